"""Figures of the batch-size lesson (plain Plotly, no Streamlit): the race on the epoch clock, the
loss per update and per epoch, and the small/large trade-off model. Words come in ``lang``."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from optim.minibatch import resample_by_epoch
from pages.lib import figures
from pages.lib.text import tr_for

from .model import MAX_TICKS
from .text import BATCH as T


def race_figure(data, grid, runs, names: tuple, colors: tuple, epochs: int, big: bool, labels: tuple, lang: str):
    """The race on the epoch clock (``grid``: ``data.surface.grid(200)``; ``labels``: the figure words
    of ``lang``)."""
    k = max(r.updates_per_epoch for r in runs)
    k = max(1, min(k, MAX_TICKS // max(epochs, 1)))
    t, rows = resample_by_epoch(runs, k, float(epochs))
    paths = []
    for run, row, name, color in zip(runs, rows, names, colors):
        lr = run.lr[np.clip(row[1:] - 1, 0, max(run.lr.size - 1, 0))] if run.lr.size else np.full(t.size - 1, np.nan)
        paths.append(figures.PathView(name=name, color=color, points=run.points[row], loss=run.loss[row], lr=lr,
                                      grad_norm=run.grad_norm[row], status=run.status))
    xs, ys, Z = grid
    fig = figures.race_figure(xs, ys, Z, paths, log_scale=data.log_scale, window=data.window,
                              critical_points=data.known_points, xlabel="w1", ylabel="w2", big=big,
                              height=560, labels=dict(labels))
    _epoch_axes(fig, k, t, lang)
    return fig


def _epoch_axes(fig, k: int, t: np.ndarray, lang: str) -> None:
    """The race's clock is ticks of 1/k epoch: relabel the slider and the panels' x axes in epochs."""
    tr = tr_for(lang)
    epochs = float(t[-1]) if t.size else 0.0
    sliders = fig.layout.sliders
    if sliders:
        s = sliders[0]
        for step in s.steps:
            step.label = f"{int(step.label) / k:.2f}".rstrip("0").rstrip(".")
        s.currentvalue.prefix = tr(T, "axis_epoch") + " "
    every = max(1, math.ceil(epochs / 6))
    tickvals = [e * k for e in range(0, int(epochs) + 1, every)]
    for name in ("xaxis2", "xaxis3", "xaxis4", "xaxis5"):
        ax = fig.layout[name] if name in fig.layout else None
        if ax is None:
            continue
        ax.tickvals = tickvals
        ax.ticktext = [str(v // k) for v in tickvals]
        if ax.title and ax.title.text:
            ax.title.text = tr(T, "axis_epoch")


def curves_figure(runs, names: tuple, colors: tuple, lang: str) -> go.Figure:
    """Loss per update (log x) and per epoch, one line a batch size."""
    tr = tr_for(lang)
    fig = make_subplots(rows=1, cols=2, subplot_titles=(tr(T, "per_update"), tr(T, "per_epoch")),
                        horizontal_spacing=0.08)
    for run, name, color in zip(runs, names, colors):
        fig.add_trace(go.Scatter(x=np.arange(run.loss.size), y=run.loss, mode="lines", name=name, legendgroup=name,
                                 line=dict(color=color, width=2)), 1, 1)
        epochs = np.arange(run.loss_per_epoch.size)
        fig.add_trace(go.Scatter(x=epochs, y=run.loss_per_epoch, mode="lines+markers", name=name, legendgroup=name,
                                 showlegend=False, line=dict(color=color, width=2), marker=dict(size=5)), 1, 2)
    fig.update_xaxes(title_text=tr(T, "axis_update_log"), type="log", row=1, col=1)
    fig.update_xaxes(title_text=tr(T, "axis_epoch"), row=1, col=2)
    fig.update_yaxes(title_text=tr(T, "axis_loss"), type="log", row=1, col=1)
    fig.update_yaxes(type="log", row=1, col=2)
    _style(fig, 330)
    return fig


def tradeoff_figure(tr_all, batch_list: tuple, colors: tuple, lang: str) -> go.Figure:
    """The trade-off model (``optim.minibatch.tradeoff``) over every B, the chosen batch sizes dotted."""
    tr = tr_for(lang)
    B = tr_all.batch_sizes
    titles = (tr(T, "t_update"), tr(T, "t_epoch"), tr(T, "t_noise"), tr(T, "t_updates"))
    fig = make_subplots(rows=1, cols=4, subplot_titles=titles, horizontal_spacing=0.06)
    ser, par = tr(T, "serial"), tr(T, "parallel_l", p=tr_all.parallel)
    grey, blue = "#888888", "#0072B2"
    lines = [
        (1, tr_all.time_update_serial, ser, grey, "dash", True),
        (1, tr_all.time_update_parallel, par, blue, "solid", True),
        (2, tr_all.time_epoch_serial, ser, grey, "dash", False),
        (2, tr_all.time_epoch_parallel, par, blue, "solid", False),
        (4, tr_all.updates_per_epoch.astype(float), "⌈N/B⌉", "#222222", "solid", False),
    ]
    for col, y, name, color, dash, legend in lines:
        fig.add_trace(go.Scatter(x=B, y=y, mode="lines", name=name, legendgroup=name, showlegend=legend,
                                 line=dict(color=color, dash=dash, width=2, shape="hv")), 1, col)
    if tr_all.grad_noise is not None:
        noise = tr_all.grad_noise
        fig.add_trace(go.Scatter(x=B, y=noise, mode="lines+markers", name=tr(T, "measured"), marker=dict(size=4),
                                 line=dict(color="#D55E00", width=2)), 1, 3)
        fig.add_trace(go.Scatter(x=B, y=noise[0] / np.sqrt(B), mode="lines", name=tr(T, "inv_sqrt"),
                                 line=dict(color="#D55E00", width=1.5, dash="dot")), 1, 3)
    for b, color in zip(batch_list, colors):
        for col in range(1, 5):
            fig.add_vline(x=b, line=dict(color=color, width=1.5, dash="dot"), row=1, col=col)
    for col in range(1, 5):
        fig.update_xaxes(type="log", title_text=tr(T, "axis_b") if col == 1 else None, row=1, col=col)
    _style(fig, 310)
    return fig


def _style(fig, height: int) -> None:
    axis = dict(showgrid=True, gridcolor="#e6e6e6", zeroline=False, showline=True, linecolor="#444", ticks="outside")
    fig.update_xaxes(axis)
    fig.update_yaxes(axis)
    fig.update_annotations(font_size=14)
    fig.update_layout(template=go.layout.Template(), height=height, margin=dict(l=55, r=10, t=40, b=95),
                      font=dict(family=figures.FONT_FAMILY, size=13, color="#222"), paper_bgcolor="white",
                      plot_bgcolor="white", legend=dict(orientation="h", x=0, y=-0.32, yanchor="top"))
