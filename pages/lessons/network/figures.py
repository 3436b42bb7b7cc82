"""Figures of the real-network lesson (plain Plotly, no Streamlit). Every curve a claim reads
carries ``meta={"curve": name}`` (see :func:`pages.lib.claims.drawn_from_traces`). Words come in ``lang``."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from optim.critical_nd import Spectrum
from pages.lib import figures
from pages.lib.text import tr_for

from . import model as M
from .text import NETWORK as T

DARK, ORANGE, BLUE, GREEN, GREY, PURPLE = "#222222", "#E69F00", "#0072B2", "#009E73", "#888888", "#CC79A7"
SCALING_COLORS = {"small": ORANGE, "scaled": BLUE, "unscaled": GREY, "nowarm": GREEN}
SCALING_DASH = {"small": "solid", "scaled": "solid", "unscaled": "solid", "nowarm": "dot"}


def _style(fig: go.Figure, height: int, big: bool, legend_below: bool = False) -> go.Figure:
    axis = dict(showgrid=True, gridcolor="#e6e6e6", zeroline=False, showline=True, linecolor="#444", ticks="outside")
    fig.update_xaxes(axis, title_standoff=6)
    fig.update_yaxes(axis)
    fig.for_each_yaxis(lambda ax: ax.update(dtick=1, minor=dict(ticks="outside", ticklen=3, showgrid=False))
                       if ax.type == "log" else None)
    fig.for_each_xaxis(lambda ax: ax.update(dtick=1) if ax.type == "log" else None)
    size = 18 if big else 13
    fig.update_annotations(font_size=size + 1)
    fig.update_layout(template=go.layout.Template(), height=int(height * (1.2 if big else 1.0)),
                      margin=dict(l=60, r=60, t=40, b=70 if big else 50),
                      font=dict(family=figures.FONT_FAMILY, size=size, color="#222"), paper_bgcolor="white",
                      plot_bgcolor="white", legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"))
    if legend_below:  # subplot titles sit where a legend on top would go
        fig.update_layout(legend=dict(orientation="h", x=0, y=-0.24 if big else -0.22, yanchor="top"),
                          margin=dict(t=50, b=130 if big else 100))
    return fig


def stall_figure(res: M.Stall, lang: str, big: bool = False) -> go.Figure:
    """Training loss (left, log) and ||g|| (right, log) on one step axis, with the reference run."""
    tr = tr_for(lang)
    run, ref = res.run, res.ref
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    w = 3 if big else 2
    k = np.arange(run.loss.size)
    kr = np.arange(ref.loss.size)
    fig.add_trace(go.Scatter(x=kr, y=ref.loss, mode="lines", name=tr(T, "loss_of", lr=M.REF_LR), meta={"curve": "ref_loss"},
                             line=dict(color=DARK, width=1.5), opacity=0.3), secondary_y=False)
    fig.add_trace(go.Scatter(x=kr, y=ref.grad_norm, mode="lines", name=tr(T, "grad_of", lr=M.REF_LR), meta={"curve": "ref_grad"},
                             line=dict(color=ORANGE, width=1.5), opacity=0.35), secondary_y=True)
    fig.add_trace(go.Scatter(x=k, y=run.loss, mode="lines", name=tr(T, "loss_of", lr=res.lr), meta={"curve": "stall_loss"},
                             line=dict(color=DARK, width=w)), secondary_y=False)
    fig.add_trace(go.Scatter(x=k, y=run.grad_norm, mode="lines", name=tr(T, "grad_of", lr=res.lr), meta={"curve": "stall_grad"},
                             line=dict(color=ORANGE, width=w)), secondary_y=True)
    if run.status != "diverged":
        a, b = M.stall_window(run.steps)
        fig.add_vrect(x0=a, x1=b, fillcolor="#56B4E9", opacity=0.12, line_width=0,
                      annotation_text=tr(T, "window"), annotation_position="top left")
    fig.update_xaxes(title_text=tr(T, "axis_step"), range=[0, max(run.loss.size, ref.loss.size) - 1])
    fig.update_yaxes(title_text=tr(T, "axis_loss"), type="log", secondary_y=False)
    fig.update_yaxes(title_text=tr(T, "axis_grad"), type="log", secondary_y=True, color=ORANGE, showgrid=False)
    return _style(fig, 420, big)


def _power(e: int) -> str:
    return {0: "1", 1: "10", -1: "0.1"}.get(e, f"1e{e}")


def _signed_log(lam: np.ndarray, floor: float) -> np.ndarray:
    """sign(λ) · log10(|λ| / floor), 0 inside |λ| <= floor: a symmetric log axis."""
    mag = np.log10(np.maximum(np.abs(lam), floor) / floor)
    return np.sign(lam) * mag


def ratio_scatter(res: M.Ratio, tol: float, point: int, lang: str, big: bool = False) -> go.Figure:
    """The lecture's scatter: minimum ratio vs training loss at τ (filled) and at 0 (open), the
    chosen point ringed."""
    tr = tr_for(lang)
    i = M.point_index(res, point)
    fig = go.Figure()
    ms = 13 if big else 10
    r, r0 = res.ratios(tol), res.ratios(0.0)
    tip = [f"#{j + 1}" for j in range(res.n)]
    fig.add_trace(go.Scatter(x=res.losses, y=r, mode="markers", name=tr(T, "at_tol", tol=M.tol_text(tol)),
                             meta={"curve": "ratio_tol"}, text=tip, marker=dict(size=ms, color=BLUE)))
    fig.add_trace(go.Scatter(x=res.losses, y=r0, mode="markers", name=tr(T, "at_zero"), meta={"curve": "ratio_zero"},
                             text=tip, marker=dict(size=ms - 2, color="rgba(0,0,0,0)", line=dict(color=BLUE, width=2))))
    fig.add_trace(go.Scatter(x=[res.losses[i]], y=[r[i]], mode="markers", name=tr(T, "chosen", i=i + 1),
                             marker=dict(size=ms + 8, color="rgba(0,0,0,0)", line=dict(color=ORANGE, width=3))))
    fig.update_xaxes(title_text=tr(T, "axis_loss"), type="log")
    fig.update_yaxes(title_text=tr(T, "axis_ratio"), range=[0, 1.02])
    fig.update_layout(title=dict(text=tr(T, "scatter_title"), x=0.5, xanchor="center", y=0.98))
    return _style(fig, 420, big, legend_below=True)


def ratio_histogram(res: M.Ratio, tol: float, point: int, lang: str, big: bool = False) -> go.Figure:
    """One point's eigenvalues on a signed log axis, sign(λ)·log10(|λ|/floor), coloured by sign
    under τ, with the zero band |λ| <= τ·max|λ| shaded."""
    tr = tr_for(lang)
    i = M.point_index(res, point)
    fig = go.Figure()
    lam = res.eigenvalues[i]
    top = float(np.abs(lam).max(initial=0.0)) or 1.0
    c = math.ceil(math.log10(top))  # the axis spans |λ| from 10^(c-13) to 10^c
    floor = 10.0 ** (c - 13)
    s = Spectrum(lam, tol)
    v = _signed_log(lam, floor)
    edges = np.linspace(-13.0, 13.0, 53)
    groups = ((lam < -s.threshold, "neg", "#D55E00"), ((lam >= -s.threshold) & (lam <= s.threshold), "zero", GREY),
              (lam > s.threshold, "pos", GREEN))
    for mask, key, color in groups:
        counts, _ = np.histogram(v[mask], bins=edges)
        fig.add_trace(go.Bar(x=0.5 * (edges[1:] + edges[:-1]), y=counts, name=f"{tr(T, key)}: {int(mask.sum())}",
                             meta={"curve": f"eig_{key}"}, marker=dict(color=color), width=0.5))
    band = _signed_log(np.array([s.threshold]), floor)[0] if s.threshold > 0 else 0.0
    if band > 0:
        fig.add_vrect(x0=-band, x1=band, fillcolor=GREY, opacity=0.15, line_width=0,
                      annotation_text=tr(T, "band"), annotation_position="top left")
    ticks = [-13 + j for j in (1, 5, 9)] + [0] + [13 - j for j in (9, 5, 1)]
    labels = ["0" if t == 0 else ("−" if t < 0 else "") + _power(c - 13 + abs(t)) for t in ticks]
    fig.update_xaxes(title_text=tr(T, "axis_eig"), tickvals=ticks, ticktext=labels, range=[-13.5, 13.5])
    fig.update_yaxes(title_text=tr(T, "axis_count"), type="log")
    fig.update_layout(barmode="stack", bargap=0,
                      title=dict(text=tr(T, "hist_title", i=i + 1), x=0.5, xanchor="center", y=0.98))
    return _style(fig, 420, big, legend_below=True)


def batch_panel(rows: list[dict], field: str, lang: str, big: bool = False) -> go.Figure:
    """``field`` ("sharpness" or "test_loss") per seed, small vs large batch (a line joins each
    seed's pair)."""
    tr = tr_for(lang)
    pairs = M.batch_pairs(rows)
    name = {"sharpness": "sharp", "test_loss": "test"}[field]
    fig = go.Figure()
    ms = 15 if big else 11
    if pairs:
        seeds = np.array([s["seed"] for s, _ in pairs], dtype=float)
        small_b, large_b = pairs[0][0]["batch_size"], pairs[0][1]["batch_size"]
        ys = np.array([s[field] for s, _ in pairs], dtype=float)
        yl = np.array([large[field] for _, large in pairs], dtype=float)
        for seed, a, b in zip(seeds, ys, yl):
            fig.add_trace(go.Scatter(x=[seed, seed], y=[a, b], mode="lines", showlegend=False, hoverinfo="skip",
                                     line=dict(color="#bbbbbb", width=2)))
        fig.add_trace(go.Scatter(x=seeds, y=ys, mode="markers", name=tr(T, "bname", b=small_b),
                                 meta={"curve": f"{name}_small"}, marker=dict(size=ms, color=ORANGE, symbol="circle")))
        fig.add_trace(go.Scatter(x=seeds, y=yl, mode="markers", name=tr(T, "bname", b=large_b),
                                 meta={"curve": f"{name}_large"}, marker=dict(size=ms, color=BLUE, symbol="diamond")))
        fig.update_xaxes(tickvals=list(seeds), range=[seeds.min() - 0.5, seeds.max() + 0.5])
    fig.update_xaxes(title_text=tr(T, "axis_seed"))
    fig.update_layout(title=dict(text=tr(T, f"{name}_title"), x=0.5, xanchor="center", y=0.98))
    return _style(fig, 380, big, legend_below=True)


def offline_html(figs) -> str:
    """One standalone page with every figure of the view (plotly.js embedded once)."""
    import plotly.io as pio

    parts = [pio.to_html(f.to_dict() if hasattr(f, "to_dict") else f, include_plotlyjs=j == 0, full_html=False,
                         validate=False, config={"displaylogo": False}) for j, f in enumerate(figs)]
    return "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>" + "".join(parts) + "</body></html>"


def scaling_figure(runs: dict, k: int, warm_epochs: int, lang: str, big: bool = False) -> go.Figure:
    """Training loss per epoch (log) of the four runs of the linear-scaling rule."""
    names = M.scaling_names(k, warm_epochs, lang)
    tr = tr_for(lang)
    fig = go.Figure()
    w = 3.5 if big else 2.5
    for key in M.SCALING_KEYS:
        run = runs[key]
        y = np.where(np.isfinite(run.loss_per_epoch), run.loss_per_epoch, np.nan)
        fig.add_trace(go.Scatter(x=np.arange(y.size), y=y, mode="lines+markers", name=names[key], meta={"curve": f"scale_{key}"},
                                 line=dict(color=SCALING_COLORS[key], width=w, dash=SCALING_DASH[key]),
                                 marker=dict(size=4 if not big else 6)))
    fig.update_xaxes(title_text=tr(T, "axis_epoch"))
    fig.update_yaxes(title_text=tr(T, "axis_loss"), type="log")
    return _style(fig, 400, big)

