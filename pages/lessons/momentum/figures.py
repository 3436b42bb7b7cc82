"""Figures of the momentum lesson (plain Plotly, no Streamlit): the race, and the movement taken
apart (arrows λm + (−ηg) = m at one step, and the bars of m as the weighted sum of past gradients)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from optim import phenomena
from pages.lib import figures
from pages.lib.text import tr_for

from .presets import COLORS
from .text import MOMENTUM as T

ARROW = {"previous": "#56B4E9", "gradient": "#D55E00", "movement": "#000000"}
BAR = {"x": "#0072B2", "y": "#E69F00"}
MAX_BARS = 40


def race_figure(xs, ys, Z, surface, window, log_colour, paths, big, labels=()):
    """The race on a catalog surface (``xs, ys, Z``: its grid over ``window``), its known minima,
    maxima and saddles marked."""
    crit = [p for p in surface.known_points if p.kind in ("minimum", "maximum", "saddle")]
    return figures.race_figure(xs, ys, Z, list(paths), log_scale=log_colour, window=window, big=big,
                               log_loss=False, critical_points=crit, height=600, labels=dict(labels))


def _sup(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"))


def decomposition_figure(surface, log_colour: bool, run, t: int, lam: float, big: bool, lang: str):
    """Arrows at theta^{t-1} (left) and the bars of m^t = sum of weighted past gradients (right);
    returns the figure and the decomposition (``optim.phenomena.movement_decomposition``)."""
    tr = tr_for(lang)
    d = phenomena.movement_decomposition(run, t, lam)
    o = d.origin
    tips = np.array([o, o + d.previous, o + d.actual, run.points[t]])
    lo, hi = tips.min(axis=0), tips.max(axis=0)
    half = max(float((hi - lo).max()) * 0.75, 0.15)
    mid = (lo + hi) / 2
    window = (mid[0] - half, mid[0] + half, mid[1] - half, mid[1] + half)
    xs, ys, Z = surface.grid(120, window)
    fig = make_subplots(rows=2, cols=2, column_widths=[0.42, 0.58], row_heights=[0.35, 0.65],
                        specs=[[{"rowspan": 2}, {}], [None, {}]], horizontal_spacing=0.1, vertical_spacing=0.14,
                        subplot_titles=("", tr(T, "weights"), tr(T, "contrib")))
    fig.add_trace(figures.iso_line_trace(xs, ys, Z, log_colour, width=0.8), 1, 1)
    near = run.points[max(0, t - 6): t + 4]
    fig.add_trace(go.Scatter(x=near[:, 0], y=near[:, 1], mode="lines+markers", hoverinfo="skip", showlegend=False,
                             line=dict(color=COLORS["lecture"], width=2), marker=dict(size=6), opacity=0.6), 1, 1)
    fig.add_trace(go.Scatter(x=[o[0], o[0] + d.actual[0]], y=[o[1], o[1] + d.actual[1]], mode="markers+text",
                             text=[f"θ{_sup(t - 1)}", f"θ{_sup(t)}"], textposition=["top right", "bottom left"], hoverinfo="skip",
                             showlegend=False, marker=dict(size=9, color="white", line=dict(color="black", width=2)),
                             textfont=dict(size=16)), 1, 1)
    arrows = [(o, o + d.actual, ARROW["movement"], f"m{_sup(t)}", 6),
              (o, o + d.previous, ARROW["previous"], f"λm{_sup(t - 1)}", 3),
              (o + d.previous, o + d.actual, ARROW["gradient"], f"−ηg{_sup(t - 1)}", 3)]
    ann = []
    for side_sign, (tail, tip, color, label, width) in zip((-1, 1, 1), arrows):
        vec = tip - tail
        length = float(np.linalg.norm(vec))
        if length < 1e-12:
            continue
        ann.append(dict(x=tip[0], y=tip[1], ax=tail[0], ay=tail[1], xref="x", yref="y", axref="x", ayref="y",
                        showarrow=True, arrowhead=3, arrowsize=1.2 if width < 5 else 0.8, arrowwidth=width,
                        arrowcolor=color, text=""))
        normal = np.array([-vec[1], vec[0]]) / length * side_sign
        at = tail + vec * (0.5 if label.startswith("−") else 0.4)
        ann.append(dict(x=at[0], y=at[1], xref="x", yref="y", text=f"<b>{label}</b>", showarrow=False,
                        font=dict(size=17, color=color), bgcolor="rgba(255,255,255,0.8)",
                        xshift=float(26 * normal[0]), yshift=float(26 * normal[1])))
    fig.update_layout(images=[dict(source=figures.surface_image(xs, ys, Z, log_colour), xref="x", yref="y",
                                   x=window[0], y=window[3], sizex=2 * half, sizey=2 * half, sizing="stretch",
                                   layer="below", opacity=0.85)])
    fig.update_xaxes(range=[window[0], window[1]], row=1, col=1, constrain="domain", showgrid=False, title_text="x")
    fig.update_yaxes(range=[window[2], window[3]], row=1, col=1, scaleanchor="x", scaleratio=1, constrain="domain",
                     showgrid=False, title_text="y")

    # bars: the last MAX_BARS - 1 gradients one by one, the older ones lumped into one bar
    idx, w, c = d.index, d.weights, d.contributions
    if t > MAX_BARS:
        cut = t - (MAX_BARS - 1)
        labels = [tr(T, "older")] + [str(i) for i in idx[cut:]]
        w_show = np.concatenate([[w[:cut].sum()], w[cut:]])
        c_show = np.vstack([c[:cut].sum(axis=0), c[cut:]])
    else:
        labels = [str(i) for i in idx]
        w_show, c_show = w, c
    fig.add_trace(go.Bar(x=labels, y=w_show, marker_color="#888", showlegend=False,
                         hovertemplate="i = %{x}: %{y:.4g}<extra></extra>"), 1, 2)
    for k, (part, color) in enumerate((("x", BAR["x"]), ("y", BAR["y"]))):
        fig.add_trace(go.Bar(x=labels + ["Σ = m" + _sup(t)], y=np.append(c_show[:, k], d.movement[k]),
                             name=tr(T, f"{part}_part"), marker_color=color, legendgroup=part,
                             marker_line=dict(color=["rgba(0,0,0,0)"] * len(labels) + ["black"],
                                              width=[0] * len(labels) + [2.5]),
                             hovertemplate="%{x}: %{y:.4g}<extra>" + tr(T, f"{part}_part") + "</extra>"), 2, 2)
    fig.update_layout(barmode="group", template=go.layout.Template(), height=430 if not big else 520,
                      margin=dict(l=50, r=10, t=30, b=40), paper_bgcolor="white", plot_bgcolor="#f7f7f7",
                      font=dict(family=figures.FONT_FAMILY, size=15 if not big else 19, color="#222"),
                      annotations=list(fig.layout.annotations) + ann,
                      legend=dict(orientation="h", x=1.0, xanchor="right", y=0.6, yanchor="bottom",
                                  bgcolor="rgba(255,255,255,0.8)"))
    fig.update_xaxes(type="category", row=1, col=2, showticklabels=False)
    fig.update_xaxes(type="category", row=2, col=2, title_text=tr(T, "gradient_i"))
    return fig, d
