"""Baseline page for ``bench_first_plot.py``: one Streamlit chart and nothing else.

A 200 x 200 heatmap of Himmelblau's function (the grid our pages draw their surface from) plus
one line trace (a path), in a single ``st.plotly_chart``. Run by the benchmark with
``streamlit run benchmarks/one_chart_app.py``; it imports nothing from the app.
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st


@st.cache_resource
def figure() -> go.Figure:
    x = np.linspace(-5, 5, 200)
    y = np.linspace(-5, 5, 200)
    xx, yy = np.meshgrid(x, y)
    z = np.log1p((xx**2 + yy - 11) ** 2 + (xx + yy**2 - 7) ** 2)
    t = np.linspace(0, 1, 200)
    fig = go.Figure(go.Heatmap(x=x, y=y, z=z, colorscale="Viridis", showscale=False))
    fig.add_trace(go.Scatter(x=0.5 + 2.5 * t, y=4 - 2 * t, mode="lines", line={"color": "white"}))
    fig.update_layout(height=520, margin={"l": 40, "r": 10, "t": 10, "b": 40},
                      xaxis={"range": [-5, 5]}, yaxis={"range": [-5, 5], "scaleanchor": "x"})
    return fig


st.plotly_chart(figure())
