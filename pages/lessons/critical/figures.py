"""Figures of the critical-points lesson (plain Plotly, no Streamlit): the atlas map, the Taylor
model around the inspected point, the escape lab's race and its distance-from-the-saddle plot.
The page's cached bridges (``cached.py``) pass the surface and its grid in."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from optim import escape
from pages.lib import figures
from surfaces.atlas_types import DEGENERATE, MAXIMUM, MINIMUM, SADDLE

from .model import ESCAPE_RED, kind_name


def map_figure(xs, ys, Z, window: tuple, log_colour: bool, points: tuple, curves: tuple, arrows: bool,
               inspect: tuple, big: bool, labels: tuple, lang: str):
    """Static map: surface image, iso-lines, markers by kind, curves, eigenvector arrows, the ring.

    ``xs, ys, Z``: the surface's grid over ``window``; ``points``: (x, y, f, kind, l1, l2, v1x, v1y,
    v2x, v2y) tuples; ``curves``: (xs, ys, kind, f); ``labels``: the figure words of ``lang``
    (kind names)."""
    words = figures.figure_labels_with(dict(labels))
    xmin, xmax, ymin, ymax = window
    s = 1.3 if big else 1.0
    traces = [figures.colorbar_trace(Z, log_colour, x=1.0, font_size=round(14 * s)),
              figures.click_grid_trace(window),  # at CLICK_TRACE: a click inspects there
              figures.iso_line_trace(xs, ys, Z, log_colour)]
    for cx, cy, kind, f in curves:
        traces.append(go.Scatter(x=np.asarray(cx, dtype=np.float32), y=np.asarray(cy, dtype=np.float32),
                                 mode="lines", name=kind_name(kind, lang),
                                 line=dict(color="white", width=3 * s, dash="dash"),
                                 hovertemplate=f"{kind_name(kind, lang)}, f = {f:.4g}<extra></extra>"))
    for kind in (MINIMUM, MAXIMUM, SADDLE, DEGENERATE):
        rows = [p for p in points if p[3] == kind]
        if not rows:
            continue
        a = np.array([p[:3] + p[4:6] for p in rows], dtype=float)
        sym = figures.CRITICAL_SYMBOLS[kind]
        line = dict(color="black", width=2) if sym == "x" else dict(color="white", width=1.5)
        traces.append(go.Scatter(
            x=a[:, 0], y=a[:, 1], customdata=a[:, 2:], mode="markers", name=words[kind],
            marker=dict(symbol=sym, size=15 * s, color="white" if sym == "x" else "black", line=line),
            hovertemplate=(f"<b>{words[kind]}</b> (%{{x:.4g}}, %{{y:.4g}})<br>f = %{{customdata[0]:.4g}}"
                           "<br>λ = %{customdata[1]:.4g}, %{customdata[2]:.4g}<extra></extra>")))
    ix, iy = inspect
    traces.append(go.Scatter(x=[ix], y=[iy], mode="markers", name="θ'", cliponaxis=False,
                             marker=dict(symbol="circle-open", size=26 * s, color="#CC79A7", line=dict(width=4 * s)),
                             hovertemplate="θ' (%{x:.4g}, %{y:.4g})<extra></extra>"))
    annotations = []
    if arrows:
        length = 0.16 * min(xmax - xmin, ymax - ymin)
        for p in points:
            if p[3] != SADDLE:
                continue
            x, y = p[0], p[1]
            for vx, vy, color, width in ((p[6], p[7], ESCAPE_RED, 3.5), (p[8], p[9], "white", 2)):
                for sign in (1, -1):
                    annotations.append(dict(x=x + sign * length * vx, y=y + sign * length * vy, ax=x, ay=y,
                                            xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                                            arrowhead=2, arrowsize=1.1, arrowwidth=width * s, arrowcolor=color,
                                            text=""))
    fig = go.Figure(traces)
    x0, x1 = figures.cell_extent(xs)
    y0, y1 = figures.cell_extent(ys)
    aspect = (xmax - xmin) / (ymax - ymin)
    axis = dict(showgrid=False, zeroline=False, ticks="outside", showline=True, linecolor="#444", mirror=True,
                tickfont=dict(size=round(13 * s)))
    fig.update_layout(
        template=go.layout.Template(), height=round(540 * s), margin=dict(l=50, r=10, t=10, b=70),
        paper_bgcolor="white", plot_bgcolor="#f2f2f2", dragmode="zoom", meta={"click_trace": figures.CLICK_TRACE},  # a click inspects
        font=dict(family=figures.FONT_FAMILY, size=round(15 * s), color="#222"),
        legend=dict(orientation="h", x=0, y=-0.09, yanchor="top", bgcolor="#d9d9d9",
                    itemsizing="constant"),
        xaxis=dict(axis, domain=[0, 0.9], range=[xmin, xmax], title=dict(text="x (w1)", standoff=0),
                   constrain="domain"),
        yaxis=dict(axis, range=[ymin, ymax], title=dict(text="y (w2)", standoff=4), constrain="domain",
                   **(dict(scaleanchor="x", scaleratio=1) if 0.4 <= aspect <= 2.5 else {})),
        images=[dict(source=figures.surface_image(xs, ys, Z, log_colour), xref="x", yref="y", x=x0, y=y1,
                     sizex=x1 - x0, sizey=y1 - y0, xanchor="left", yanchor="top", sizing="stretch",
                     layer="below", opacity=0.9)],
        annotations=annotations,
    )
    return fig


def taylor_figure(surface, center: tuple, radius: float, title: str, big: bool, zero_tol: float = 0.0):
    """The surface (filled contours) and its second-order Taylor model (dashed) around ``center``;
    the red arrow along v₁ only where λ₁ < -``zero_tol`` (never from a numerically-zero eigenvalue)."""
    model = escape.local_model(surface, *center)
    n = 90
    gx = np.linspace(center[0] - radius, center[0] + radius, n)
    gy = np.linspace(center[1] - radius, center[1] + radius, n)
    X, Y = np.meshgrid(gx, gy)
    with np.errstate(all="ignore"):
        F = np.asarray(surface.f(X, Y), dtype=float)
        Q = model.taylor(X, Y)
    fin = F[np.isfinite(F)]
    lo, hi = (float(np.percentile(fin, 2)), float(np.percentile(fin, 98))) if fin.size else (0.0, 1.0)
    if hi - lo < 1e-12:
        lo, hi = lo - 1, hi + 1
    size = (hi - lo) / 12
    contours = dict(start=lo, end=hi, size=size)
    s = 1.3 if big else 1.0
    fig = go.Figure([
        go.Contour(x=gx, y=gy, z=F, colorscale="Viridis", contours=dict(contours, coloring="fill"),
                   line=dict(width=0.5, color="rgba(255,255,255,0.6)"), showscale=False, name="f",
                   hovertemplate="(%{x:.3g}, %{y:.3g}) f = %{z:.4g}<extra></extra>"),
        go.Contour(x=gx, y=gy, z=Q, contours=dict(contours, coloring="none"), showscale=False, name="Taylor",
                   line=dict(width=2 * s, color="black", dash="dash"), hoverinfo="skip"),
        go.Scatter(x=[center[0]], y=[center[1]], mode="markers", showlegend=False, hoverinfo="skip",
                   marker=dict(symbol="circle-open", size=16 * s, color="#CC79A7", line=dict(width=3 * s))),
    ])
    if model.finite and model.lam_min < -zero_tol:
        v = model.v_min * radius * 0.6
        fig.add_annotation(x=center[0] + v[0], y=center[1] + v[1], ax=center[0], ay=center[1], xref="x", yref="y",
                           axref="x", ayref="y", showarrow=True, arrowhead=2, arrowwidth=3 * s, arrowcolor=ESCAPE_RED,
                           text="")
    axis = dict(showgrid=False, zeroline=False, ticks="outside", showline=True, linecolor="#444", mirror=True,
                tickfont=dict(size=round(12 * s)), nticks=5)
    fig.update_layout(template=go.layout.Template(), height=round(330 * s), margin=dict(l=45, r=10, t=34, b=30),
                      title=dict(text=title, x=0, font=dict(size=round(14 * s))), paper_bgcolor="white",
                      font=dict(family=figures.FONT_FAMILY, size=round(13 * s), color="#222"), showlegend=False,
                      xaxis=dict(axis, range=[gx[0], gx[-1]], constrain="domain"),
                      yaxis=dict(axis, range=[gy[0], gy[-1]], scaleanchor="x", scaleratio=1, constrain="domain"))
    return fig


def lab_race_figure(xs, ys, Z, window: tuple, log_colour: bool, paths: tuple, points: tuple, big: bool,
                    labels: tuple = ()):
    """The six lab runs on the surface (``xs, ys, Z``: its grid over ``window``), critical points marked."""
    crit = [(p[0], p[1], p[3]) for p in points]
    fig = figures.race_figure(xs, ys, Z, list(paths), log_scale=log_colour, window=window, critical_points=crit,
                              panels=False, big=big, height=560, xlabel="x (w1)", ylabel="y (w2)",
                              labels=dict(labels))
    fig.update_layout(showlegend=False, margin=dict(t=10))  # the distance plot beside it carries the legend
    return fig


def distance_figure(curves, predicted, zero_note: str, title: str, big: bool, step: str = "step t"):
    """Distance from the saddle (log y) per run, with the lecture's prediction dashed; ``step``
    is the x axis title in the page's language."""
    s = 1.3 if big else 1.0
    traces = []
    positives = []
    for name, color, d, dash in curves:
        d = np.asarray(d, dtype=float)
        y = np.where(d > 0, d, np.nan)
        positives.append(y[np.isfinite(y)])
        traces.append(go.Scatter(x=np.arange(d.size), y=y, mode="lines", name=name,
                                 line=dict(color=color, width=2.5 * s, dash=dash),
                                 hovertemplate=f"<b>{name}</b> t = %{{x}}: %{{y:.3g}}<extra></extra>"))
    pname, pd = predicted
    traces.append(go.Scatter(x=np.arange(pd.size), y=pd, mode="lines", name=pname,
                             line=dict(color="#777", width=3 * s, dash="dot"),
                             hovertemplate=f"{pname} t = %{{x}}: %{{y:.3g}}<extra></extra>"))
    allv = np.concatenate([p for p in positives if p.size] + [pd[np.isfinite(pd) & (pd > 0)]])
    lo = max(float(np.min(allv)) if allv.size else 1e-6, 1e-3 * float(pd[0]) if pd.size and pd[0] > 0 else 1e-14)
    seen = np.concatenate([p for p in positives if p.size] or [np.ones(1)])
    hi = 3 * float(np.max(seen))
    traces[-1].y = np.where(pd <= hi, pd, np.nan)  # the linear prediction only holds near the saddle
    axis = dict(showgrid=True, gridcolor="#e6e6e6", zeroline=False, showline=True, linecolor="#444", ticks="outside",
                tickfont=dict(size=round(13 * s)))
    fig = go.Figure(traces)
    fig.update_layout(
        template=go.layout.Template(), height=round(560 * s), margin=dict(l=60, r=10, t=40, b=45),
        paper_bgcolor="white", plot_bgcolor="white", title=dict(text=title, x=0, font=dict(size=round(15 * s))),
        font=dict(family=figures.FONT_FAMILY, size=round(14 * s), color="#222"),
        legend=dict(orientation="h", x=0, y=-0.12, yanchor="top", font=dict(size=round(13 * s))),
        xaxis=dict(axis, title=dict(text=step, standoff=2)),
        yaxis=dict(axis, type="log", range=[math.log10(lo) - 0.3, math.log10(hi) + 0.3], exponentformat="power"),
        annotations=[dict(text=zero_note, xref="paper", yref="paper", x=0.01, y=0.01, xanchor="left",
                          yanchor="bottom", showarrow=False, font=dict(size=round(12 * s), color="#000"))],
    )
    return fig
