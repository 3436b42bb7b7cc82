"""The batch-size lesson without Streamlit: its controls' defaults, the controls-to-run mapping
(one mini-batch run a batch size), the paths' names, the readout sentences, the table rows and the
small/large comparison. Sentences take ``lang``; presets and their claims are in ``presets.py``."""

from __future__ import annotations

import numpy as np

import optim
from optim.minibatch import simulate_minibatch, updates_per_epoch
from pages.lib.text import tr_for
from surfaces import datasets

from .text import BATCH as T

MAX_PATHS = 4
MAX_N = max(datasets.get(i).n for i in datasets.DATASET_IDS)
OPTIMIZERS = ("gd", "sgd", "momentum", "adam")
COLORS = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7")  # Okabe-Ito: orange, sky blue, green, purple
MAX_TICKS = 4000  # points per path on the epoch clock
# the controls' defaults: the first preset (batch_saddle) is the default view; presets live in
# pages/lessons/batch/presets.py (the one catalog, pages.lib.presets)
DEFAULTS = dict(data="pca", n=3, b1=1, b2=4, b3=MAX_N, b4=8, epochs=40, opt="gd", lr=0.1, mom=0.9, seed=0, P=8)


def run(dataset_id: str, opt_id: str, hyper: tuple, start: tuple, epochs: int, batch: int, seed: int):
    """One path: ``opt_id`` with ``hyper`` ((name, value) pairs) on mini-batches of ``batch`` examples."""
    optimizer = optim.make(opt_id, **dict(hyper))
    return simulate_minibatch(datasets.get(dataset_id), optimizer, start, epochs, batch, seed=seed)


def path_name(b: int, n: int, lang: str) -> str:
    tr = tr_for(lang)
    return tr(T, "full", b=b) if b == n else tr(T, "bname", b=b)


def _fmt(v: float) -> str:
    return f"{v:.2g}" if abs(v) < 1e-3 and v != 0 else f"{v:.3g}"


def readout_sentences(data, runs, names, lang: str) -> list[str]:
    """One sentence per run, computed from the run, naming what happened."""
    tr = tr_for(lang)
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


def status(run, lang: str) -> str:
    tr = tr_for(lang)
    key = {"converged": "status_converged", "diverged": "status_diverged"}.get(run.status, "status_budget")
    return tr(T, key, k=run.stop_step)


def table_rows(data, batch_list, names, runs, lang: str) -> list[dict]:
    """The readout table: one row (column -> cell) a batch size."""
    tr = tr_for(lang)
    return [{
        tr(T, "col_batch"): name,
        tr(T, "col_updates_epoch"): updates_per_epoch(data.n, b),
        tr(T, "col_updates"): int(run.steps),
        tr(T, "col_final"): f"{run.loss[-1]:.4g}",
        tr(T, "col_grad"): f"{run.grad_norm[-1]:.2g}",
        tr(T, "col_status"): status(run, lang),
    } for b, name, run in zip(batch_list, names, runs)]


def small_large_table(batch_list, runs, trade, lang: str) -> str | None:
    """The lecture's small-vs-large table (Markdown) for the smallest and largest chosen B; None if equal."""
    tr = tr_for(lang)
    small, large = min(batch_list), max(batch_list)
    if small == large:
        return None
    i_s, i_l = small - 1, large - 1
    run_s = runs[batch_list.index(small)]
    run_l = runs[batch_list.index(large)]
    return "\n".join([
        f"| | {tr(T, 'tbl_small', b=small)} | {tr(T, 'tbl_large', b=large)} |",
        "|---|---|---|",
        f"| {tr(T, 'tbl_update_serial')} | {trade.time_update_serial[i_s]:g} | {trade.time_update_serial[i_l]:g} |",
        f"| {tr(T, 'tbl_update_parallel')} | {trade.time_update_parallel[i_s]:g} | {trade.time_update_parallel[i_l]:g} |",
        f"| {tr(T, 'tbl_epoch')} | {trade.time_epoch_parallel[i_s]:g} | {trade.time_epoch_parallel[i_l]:g} |",
        f"| {tr(T, 'tbl_noise')} | {trade.grad_noise[i_s]:.3g} | {trade.grad_noise[i_l]:.3g} |",
        f"| {tr(T, 'tbl_final')} | {run_s.loss[-1]:.4g} | {run_l.loss[-1]:.4g} |",
    ])
