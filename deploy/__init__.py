"""Serving a class: N ``streamlit run app.py`` replicas behind HAProxy (see docs/deploy.md)."""
