"""The warm-up lesson without Streamlit: the fitted view window, the paths' names and views, and the
readout sentences. Its controls, the controls-to-runs mapping (:func:`.presets.setup`) and the
presets are in ``presets.py``. Sentences take ``lang``."""

from __future__ import annotations

import math

import numpy as np

from optim import phenomena
from pages.lib.figures import PathView
from pages.lib.text import tr_for

from .text import WARMUP as T

FIT_LIMIT = 3.0  # the fitted view is at most this many times the surface's own window


def _num(v: float) -> str:
    return f"{v:.3g}"


def fit_window(window, paths, limit: float = FIT_LIMIT):
    """The surface's window grown to hold every finite point of the paths (at most ``limit`` times wider)."""
    x0, x1, y0, y1 = window
    cx, cy, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
    pts = np.concatenate([p.points for p in paths]) if paths else np.empty((0, 2))
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    if pts.size:
        lo = np.maximum(pts.min(axis=0), [cx - limit * hx, cy - limit * hy])
        hi = np.minimum(pts.max(axis=0), [cx + limit * hx, cy + limit * hy])
        pad = 0.05 * np.array([hx, hy])
        x0, x1 = min(x0, lo[0] - pad[0]), max(x1, hi[0] + pad[0])
        y0, y1 = min(y0, lo[1] - pad[1]), max(y1, hi[1] + pad[1])
    return (round(float(x0), 6), round(float(x1), 6), round(float(y0), 6), round(float(y1), 6))


def path_names(title: str, warmup: int, lang: str) -> dict[str, str]:
    """The paths' names by run key (``title``: the optimizer's title; ``warmup``: the warm-up steps)."""
    tr = tr_for(lang)
    return {"none": tr(T, "name_none", opt=title), "warm": tr(T, "name_warm", opt=title, w=warmup),
            "cosine": tr(T, "name_cosine", opt=title, w=warmup), "lecture": tr(T, "name_lecture")}


def path_view(spec, run, name: str) -> PathView:
    """One run as a drawn path."""
    return PathView(name=name, color=spec.color, points=run.points, loss=run.loss, lr=run.lr,
                    effective_step=run.effective_step, grad_norm=np.linalg.norm(run.grad, axis=-1),
                    status=run.status, stop_step=run.stop_step, dash=spec.dash)


def readout_sentences(values, setup, runs, names, lang: str) -> list[str]:
    """Sentences computed from the runs that name what happened."""
    tr = tr_for(lang)
    out = []
    for key, run in runs.items():
        if run.status == "diverged":
            out.append(tr(T, "ro_diverged", name=names[key], k=run.stop_step))
    none, warm = runs["none"], runs["warm"]
    big, i_big = phenomena.largest_step(none)
    small, i_small = phenomena.largest_step(warm)
    if math.isfinite(big) and small and math.isfinite(small):
        out.append(tr(T, "ro_ratio", k=phenomena.early_count(none), big=_num(big), i_big=i_big, small=_num(small),
                      i_small=i_small, w=setup.run("warm").schedule.warmup, ratio=f"{big / small:.1f}"))
    elif none.status != "diverged":
        out.append(tr(T, "no_ratio"))
    ratio = phenomena.first_step_ratio(none)
    if np.all(np.isfinite(ratio)):
        r = "/".join(f"{v:.2f}" for v in ratio)
        if values["opt"] == "rmsprop":
            f0 = float(none.loss[0])
            fpeak, k = phenomena.peak_loss(none)
            pred = f"{1 / math.sqrt(1 - float(values['alpha'])):.2f}"
            if fpeak > f0 * 1.05 + 1e-12:
                out.append(tr(T, "ro_first_rmsprop", r=r, pred=pred, f0=_num(f0), fpeak=_num(fpeak), k=k))
            else:
                out.append(tr(T, "ro_first_rmsprop_calm", r=r, pred=pred))
        else:
            out.append(tr(T, "ro_first_adam", r=r))
    if "lecture" in runs and runs["lecture"].status != "diverged":
        lec = runs["lecture"]
        r = "/".join(f"{v:.2f}" for v in phenomena.first_step_ratio(lec))
        out.append(tr(T, "ro_lecture", r=r, big=_num(phenomena.largest_step(lec)[0])))
    if "cosine" in runs:
        out.append(tr(T, "ro_tail", none=_num(phenomena.tail_loss(none)), warm=_num(phenomena.tail_loss(warm)),
                      cosine=_num(phenomena.tail_loss(runs["cosine"]))))
    return out
