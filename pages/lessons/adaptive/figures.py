"""Figures of the adaptive-learning-rate lesson (plain Plotly, no Streamlit): the effective learning
rate across the valley per optimizer, with the stability limit and the bursts marked. (The race
is the shared one: ``pages.lib.figures.race_figure_spec``.)"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from pages.lib import figures


def effective_lr_figure(series, threshold, h_yy, marks, labels, big):
    """η_t/σ_y (|Δy|/|g_y|) per optimizer on a log axis, the stability limit 2/h_yy, burst markers."""
    fig = go.Figure()
    top = 0.0
    for name, color, eff in series:
        y = np.where(np.isfinite(eff) & (eff > 0), eff, np.nan).astype(np.float32)
        top = max(top, float(np.nanmax(y)) if np.isfinite(y).any() else 0.0)
        fig.add_trace(go.Scatter(x0=0, dx=1, y=y, mode="lines", name=name,
                                 line=dict(color=color, width=2.4 if big else 1.8),
                                 hovertemplate=f"<b>{name}</b> {labels[2]} %{{x:d}}: η/σ_y = %{{y:.3g}}<extra></extra>"))
    for name, color, steps_, values in marks:
        if steps_:
            fig.add_trace(go.Scatter(x=list(steps_), y=list(values), mode="markers", name=f"{name}: {labels[1]}",
                                     marker=dict(symbol="triangle-down", size=13 if big else 10, color=color,
                                                 line=dict(color="black", width=1)), showlegend=False,
                                     hovertemplate=f"<b>{name}</b> {labels[1]} {labels[2]} %{{x:d}}<extra></extra>"))
    if np.isfinite(threshold):
        fig.add_hline(y=threshold, line=dict(color="#444", dash="dash", width=1.5),
                      annotation_text=f"{labels[0]} = {threshold:.3g}", annotation_position="top left")
    axis = dict(showgrid=True, gridcolor="#e6e6e6", zeroline=False, showline=True, linecolor="#444", ticks="outside")
    fig.update_layout(template=go.layout.Template(), height=260 if not big else 330,
                      margin=dict(l=60, r=10, t=10, b=40), paper_bgcolor="white", plot_bgcolor="white",
                      font=dict(family=figures.FONT_FAMILY, size=20 if big else 15, color="#222"),
                      legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"),
                      xaxis=dict(axis, title=dict(text=labels[2], standoff=2)),
                      yaxis=dict(axis, type="log", dtick=1, title=dict(text="η_t / σ_y", standoff=2),
                                 exponentformat="power"))
    return fig
