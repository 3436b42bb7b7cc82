"""Batch size: several batch sizes race on the full-batch loss of a small data set.

The lecture's claims made live: a batch of B examples sees its own average loss, so small
batches take noisy steps; at a saddle the full-batch gradient is zero but a batch's is not, so
small batches escape where full-batch gradient descent stalls; and the small/large trade-off
table (time per update, time per epoch, gradient noise) as a model of B, N and the parallel
capacity P. Engines: :mod:`surfaces.datasets` and :mod:`optim.minibatch`.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

import optim
from optim.minibatch import batch_snippet, resample_by_epoch, simulate_minibatch, tradeoff, updates_per_epoch
from pages.lib import figures, widgets
from pages.lib.links import current_lang, tr
from pages.lib.text import COMMON
from pages.lib.text_batch import BATCH as T
from surfaces import datasets

PAGE = "batch"
MAX_PATHS = 4
MAX_N = max(datasets.get(i).n for i in datasets.DATASET_IDS)
OPTIMIZERS = ("gd", "sgd", "momentum", "adam")
COLORS = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7")  # Okabe-Ito: orange, sky blue, green, purple
MAX_TICKS = 4000  # points per path on the epoch clock
# the controls' defaults: the first preset (batch_saddle) is the default view; presets live in
# pages/lib/presets_batch.py (the one catalog, pages.lib.presets)
DEFAULTS = dict(data="pca", n=3, b1=1, b2=4, b3=MAX_N, b4=8, epochs=40, opt="gd", lr=0.1, mom=0.9, seed=0, P=8)

# --- cached engine calls ---------------------------------------------------------------------
@st.cache_data(max_entries=256, show_spinner=False)
def run_cached(dataset_id: str, opt_id: str, hyper: tuple, start: tuple, epochs: int, batch: int, seed: int):
    optimizer = optim.make(opt_id, **dict(hyper))
    return simulate_minibatch(datasets.get(dataset_id), optimizer, start, epochs, batch, seed=seed)


@st.cache_data(max_entries=32, show_spinner=False)
def grid_cached(dataset_id: str):
    return datasets.get(dataset_id).surface.grid(200)


def _name(b: int, n: int) -> str:
    return tr(T, "full", b=b) if b == n else tr(T, "bname", b=b)


@widgets.cached_figure(32)
def race_cached(dataset_id: str, runs_key: tuple, names: tuple, colors: tuple, epochs: int, big: bool, _runs,
                labels: tuple = ()):
    """The race on the epoch clock (``runs_key`` identifies ``_runs``, which is not hashed)."""
    data = datasets.get(dataset_id)
    k = max(r.updates_per_epoch for r in _runs)
    k = max(1, min(k, MAX_TICKS // max(epochs, 1)))
    t, rows = resample_by_epoch(_runs, k, float(epochs))
    paths = []
    for run, row, name, color in zip(_runs, rows, names, colors):
        lr = run.lr[np.clip(row[1:] - 1, 0, max(run.lr.size - 1, 0))] if run.lr.size else np.full(t.size - 1, np.nan)
        paths.append(figures.PathView(name=name, color=color, points=run.points[row], loss=run.loss[row], lr=lr,
                                      grad_norm=run.grad_norm[row], status=run.status))
    xs, ys, Z = grid_cached(dataset_id)
    fig = figures.race_figure(xs, ys, Z, paths, log_scale=data.log_scale, window=data.window,
                              critical_points=data.known_points, xlabel="w1", ylabel="w2", big=big,
                              height=560, labels=dict(labels))
    _epoch_axes(fig, k, t)
    return fig


def _epoch_axes(fig, k: int, t: np.ndarray) -> None:
    """The race's clock is ticks of 1/k epoch: relabel the slider and the panels' x axes in epochs."""
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


@widgets.cached_figure(32)
def _curves_figure(runs_key: tuple, names: tuple, colors: tuple, _runs) -> go.Figure:
    runs = _runs
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


@widgets.cached_figure(32)
def _tradeoff_figure(trade_key: tuple, batch_list: tuple, colors: tuple, _tr_all) -> go.Figure:
    tr_all = _tr_all
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


# --- readout ---------------------------------------------------------------------------------
def _fmt(v: float) -> str:
    return f"{v:.2g}" if abs(v) < 1e-3 and v != 0 else f"{v:.3g}"


def readout_sentences(data, runs, names) -> list[str]:
    """One sentence per run, computed from the run, naming what happened."""
    saddles = datasets.saddle_points(data)
    fmin = datasets.min_loss(data)
    out = []
    for run, name in zip(runs, names):
        k = run.steps
        ep = _fmt(float(run.epoch_time()[-1]))
        if run.status == "diverged":
            out.append(tr(T, "ro_diverged", name=name, k=k))
            continue
        if not saddles:
            last = run.loss[run.epoch_end[-2]:] if run.epoch_end.size > 1 else run.loss
            out.append(tr(T, "ro_convex", name=name, k=k, loss=_fmt(run.loss[-1]), fmin=_fmt(fmin),
                          spread=_fmt(float(np.ptp(last)))))
            continue
        sp = np.array([[s.x, s.y] for s in saddles])
        d = np.linalg.norm(run.points[:, None, :] - sp[None, :, :], axis=-1)  # (n+1, n_saddles)
        j = int(np.argmin(d[-1]))
        fs = float(saddles[j].f)
        below = fs - 0.1 * (fs - fmin)
        gnorm = float(run.grad_norm[-1])
        if run.loss[-1] < below:
            above = np.flatnonzero(run.loss >= below)
            k_esc = int(above[-1]) + 1 if above.size else 0
            if d.min() < 0.3:
                ep_esc = _fmt(float(run.epoch_time()[k_esc]))
                out.append(tr(T, "ro_escaped", name=name, k=k_esc, ep=ep_esc, fs=_fmt(fs), loss=_fmt(run.loss[-1]),
                              fmin=_fmt(fmin)))
            else:
                out.append(tr(T, "ro_never_near", name=name, loss=_fmt(run.loss[-1]), fmin=_fmt(fmin), k=k))
        elif d[-1, j] < 0.05:
            pt = f"({saddles[j].x:g}, {saddles[j].y:g})"
            out.append(tr(T, "ro_stalled", name=name, pt=pt, k=k, ep=ep, dist=_fmt(float(d[-1, j])), g=_fmt(gnorm),
                          loss=_fmt(run.loss[-1]), fs=_fmt(fs)))
        else:
            out.append(tr(T, "ro_stuck_other", name=name, loss=_fmt(run.loss[-1]), k=k, dist=_fmt(float(d[-1, j])),
                          g=_fmt(gnorm)))
    return out


def _status(run) -> str:
    key = {"converged": "status_converged", "diverged": "status_diverged"}.get(run.status, "status_budget")
    return tr(T, key, k=run.stop_step)


# ============================================================================================
guard, present, side = widgets.page_header(PAGE, tr(T, "title"))
if st.query_params.get("preset") is None:
    st.caption(tr(T, "custom_watch"))

# --- data and batch sizes --------------------------------------------------------------------
side.subheader(tr(T, "data"))
dataset_id = guard.select(side, tr(T, "dataset"), "data", list(datasets.DATASET_IDS), DEFAULTS["data"],
                          format_func=lambda i: datasets.get(i).title)
data = datasets.get(dataset_id)
side.caption(tr(T, f"blurb_{dataset_id}"))
sx, sy = data.start
c0, c1 = side.columns(2)
x0 = guard.number(c0, "w1₀", "x0", sx, -10.0, 10.0, optional=True, help=tr(T, "start"))
y0 = guard.number(c1, "w2₀", "y0", sy, -10.0, 10.0, optional=True)
start = (float(sx if x0 is None else x0), float(sy if y0 is None else y0))

side.subheader(tr(T, "batches"))
n_paths = guard.integer(side, tr(T, "n_paths"), "n", DEFAULTS["n"], 1, MAX_PATHS, slider=True)
bcols = side.columns(2)
batch_list = []
for i in range(n_paths):
    b = guard.integer(bcols[i % 2], tr(T, "batch_i", i=i + 1), f"b{i + 1}", DEFAULTS[f"b{i + 1}"], 1, MAX_N,
                      help=tr(T, "batch_help"))
    batch_list.append(min(int(b), data.n))

side.subheader(tr(T, "training"))
epochs = guard.integer(side, tr(T, "epochs"), "epochs", DEFAULTS["epochs"], 1, 300)
opt_id = guard.select(side, tr(T, "optimizer"), "opt", list(OPTIMIZERS), DEFAULTS["opt"],
                      format_func=lambda k: optim.SPECS[k].title)
lr = guard.number(side, tr(T, "lr"), "lr", DEFAULTS["lr"], 1e-4, 2.0, fmt="%.4g")
hyper = {"lr": float(lr)}
if opt_id in ("sgd", "momentum"):
    hyper["momentum"] = float(guard.number(side, tr(T, "momentum"), "mom", DEFAULTS["mom"], 0.0, 0.99, fmt="%.3g"))
seed = guard.integer(side, tr(T, "seed"), "seed", DEFAULTS["seed"], 0, 2**31 - 1, help=tr(T, "seed_help"))

side.subheader(tr(T, "hardware"))
parallel = guard.integer(side, tr(T, "parallel"), "P", DEFAULTS["P"], 1, 1024, help=tr(T, "parallel_help"))

# --- compute ---------------------------------------------------------------------------------
hyper_t = tuple(sorted(hyper.items()))
runs = [run_cached(dataset_id, opt_id, hyper_t, start, int(epochs), b, int(seed)) for b in batch_list]
names = tuple(_name(b, data.n) for b in batch_list)
colors = COLORS[: len(batch_list)]
runs_key = (dataset_id, opt_id, hyper_t, start, int(epochs), tuple(batch_list), int(seed))

# --- show ------------------------------------------------------------------------------------
guard.report()
if not present:
    with st.expander(tr(T, "about"), expanded=False):
        st.markdown(tr(T, "intro"))

fig = race_cached(dataset_id, runs_key, names, colors, int(epochs), present, runs, widgets.figure_labels())
st.plotly_chart(fig, key=f"{PAGE}_race", config={"displaylogo": False, "scrollZoom": False}, theme=None)

st.subheader(tr(T, "readout"))
for sentence in readout_sentences(data, runs, names):
    st.markdown(f"- {sentence}")
if datasets.saddle_points(data) and any(r.status != "diverged" for r in runs):
    st.caption(tr(T, "ro_summary"))

rows = [{
    tr(T, "col_batch"): name,
    tr(T, "col_updates_epoch"): updates_per_epoch(data.n, b),
    tr(T, "col_updates"): int(run.steps),
    tr(T, "col_final"): f"{run.loss[-1]:.4g}",
    tr(T, "col_grad"): f"{run.grad_norm[-1]:.2g}",
    tr(T, "col_status"): _status(run),
} for b, name, run in zip(batch_list, names, runs)]

if not present:
    st.dataframe(rows, hide_index=True, width="stretch")
    st.subheader(tr(T, "curves"))
    st.caption(tr(T, "curves_caption"))
    st.plotly_chart(_curves_figure((runs_key, current_lang()), tuple(names), tuple(colors), runs), key=f"{PAGE}_curves", theme=None,
                    config={"displayModeBar": False})

    st.subheader(tr(T, "tradeoff"))
    all_b = np.arange(1, data.n + 1)
    trade = tradeoff(all_b, data.n, parallel, data, start)
    st.caption(tr(T, "tradeoff_caption", n=data.n, p=parallel, pt=f"({start[0]:g}, {start[1]:g})"))
    st.plotly_chart(
        _tradeoff_figure((dataset_id, int(parallel), tuple(start), current_lang()), tuple(batch_list), tuple(colors),
                         trade), key=f"{PAGE}_tradeoff", theme=None,
                    config={"displayModeBar": False})
    small, large = min(batch_list), max(batch_list)
    if small != large:
        i_s, i_l = small - 1, large - 1
        run_s = runs[batch_list.index(small)]
        run_l = runs[batch_list.index(large)]
        table = "\n".join([
            f"| | {tr(T, 'tbl_small', b=small)} | {tr(T, 'tbl_large', b=large)} |",
            "|---|---|---|",
            f"| {tr(T, 'tbl_update_serial')} | {trade.time_update_serial[i_s]:g} | {trade.time_update_serial[i_l]:g} |",
            f"| {tr(T, 'tbl_update_parallel')} | {trade.time_update_parallel[i_s]:g} | {trade.time_update_parallel[i_l]:g} |",
            f"| {tr(T, 'tbl_epoch')} | {trade.time_epoch_parallel[i_s]:g} | {trade.time_epoch_parallel[i_l]:g} |",
            f"| {tr(T, 'tbl_noise')} | {trade.grad_noise[i_s]:.3g} | {trade.grad_noise[i_l]:.3g} |",
            f"| {tr(T, 'tbl_final')} | {run_s.loss[-1]:.4g} | {run_l.loss[-1]:.4g} |",
        ])
        st.markdown(table)
    else:
        st.caption(tr(T, "no_small_large"))
    with st.expander(tr(COMMON, "exports"), expanded=False):
        snippet = batch_snippet(dataset_id=dataset_id, opt_id=opt_id, hyper=hyper, start=start, epochs=int(epochs),
                                batches=list(zip(names, batch_list)), seed=int(seed))
        widgets.export_panel(fig, runs, list(names), snippet, key=PAGE)
    widgets.link_box()
else:
    widgets.autoplay()
    st.caption(tr(COMMON, "presenter_hint"))
