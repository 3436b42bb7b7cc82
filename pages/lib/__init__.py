"""Shared page code: figures (plain Plotly), widgets and link handling (Streamlit), text tables."""
