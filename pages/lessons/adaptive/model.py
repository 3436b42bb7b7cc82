"""The adaptive-learning-rate lesson without Streamlit: the stability threshold across the valley,
the readout sentences, the effective-lr series and the readout table. Its controls, the
controls-to-runs mapping (:func:`.presets.scene_from_values`) and the presets are in ``presets.py``.
Sentences take ``lang``."""

from __future__ import annotations

import numpy as np

from optim.bursts import max_difference, sideways_bounces
from pages.lib.text import tr_for
from surfaces.atlas_types import MINIMUM

from .text import ADAPTIVE as T


def stability(surface) -> tuple[np.ndarray, float, float]:
    """The first known minimum ``x_min`` (origin if none), the curvature across the valley there
    ``h_yy`` and gradient descent's stability limit ``2 / h_yy`` on it (NaN if h_yy <= 0)."""
    minima = [p for p in surface.known_points if p.kind == MINIMUM]
    x_min = np.array([minima[0].x, minima[0].y]) if minima else np.zeros(2)
    h_yy = float(np.asarray(surface.hessian(np.array([x_min[0]]), np.array([x_min[1]])))[1, 1].ravel()[0])
    threshold = 2.0 / h_yy if h_yy > 0 else float("nan")
    return x_min, h_yy, threshold


def distance_to(point, x_min) -> float:
    return float(np.linalg.norm(np.asarray(point, float) - x_min))


def sentences(slots, specs, runs, bursts, x_min, threshold: float, lang: str) -> list[str]:
    """One sentence per optimizer naming what happened (diverged, bursts, bounces, crawl or calm),
    plus "the same path" where the lecture's AdaGrad with decay meets torch's Adagrad (``slots``:
    anything with a ``label``)."""
    tr = tr_for(lang)
    out = []
    for slot, spec, run, b in zip(slots, specs, runs, bursts):
        lr = dict(spec.hyper).get("lr", float("nan"))
        flips, n_up, ratio = sideways_bounces(run)
        dist, d0 = distance_to(run.points[-1], x_min), distance_to(run.points[0], x_min)
        eff = run.effective_step[:, 1]
        eff_max = float(np.nanmax(eff)) if np.isfinite(eff).any() else float("nan")
        if run.status == "diverged":
            out.append(tr(T, "say_diverged", name=slot.label, lr=lr, thr=threshold, ratio=ratio, k=run.stop_step))
        elif b.count:
            out.append(tr(T, "say_bursts", name=slot.label, count=b.count, steps=", ".join(map(str, b.steps)),
                          jump=b.largest, thr=threshold, eff=eff_max))
        elif n_up and flips > 0.3 * n_up:
            out.append(tr(T, "say_bounce", name=slot.label, flips=flips, n=n_up, ratio=ratio, dist=dist))
        elif d0 > 0 and dist > 0.05 * d0:
            out.append(tr(T, "say_crawl", name=slot.label, n=run.steps, dist=dist, pct=100 * dist / d0, d0=d0))
        else:
            settle = b.settle_step or 0
            jump = float(np.nanmax(np.abs(run.update[settle:, 1]))) if run.steps > settle else 0.0
            out.append(tr(T, "say_calm", name=slot.label, dist=dist, n=run.steps, jump=jump))
    # the lecture's AdaGrad with eta/sqrt(t+1) next to torch's Adagrad with the same lr: the same path
    for i, a in enumerate(specs):
        for j, b_ in enumerate(specs):
            ha, hb = dict(a.hyper), dict(b_.hyper)
            if (a.opt_id == "adagrad_lecture" and a.decay and b_.opt_id == "adagrad" and not b_.decay
                    and ha["lr"] == hb["lr"] and ha["eps"] == hb["eps"] and hb["lr_decay"] == 0
                    and hb["weight_decay"] == 0 and hb["initial_accumulator_value"] == 0):
                out.append(tr(T, "say_same", a=slots[i].label, b=slots[j].label,
                              diff=max_difference(runs[i], runs[j]), n=min(runs[i].steps, runs[j].steps)))
    return out


def effective_series(slots, runs, bursts) -> tuple[tuple, tuple]:
    """Figure input: per optimizer (label, colour, η_t/σ_y per step), and its bursts as (label,
    colour, steps, η/σ_y at each)."""
    series = tuple((slot.label, slot.color, np.asarray(run.effective_step[:, 1], dtype=float))
                   for slot, run in zip(slots, runs))
    marks = tuple((slot.label, slot.color, b.steps,
                   tuple(float(run.effective_step[max(s - 1, 0), 1]) for s in b.steps))
                  for slot, run, b in zip(slots, runs, bursts))
    return series, marks


def table_rows(slots, runs, bursts, statuses, x_min, lang: str) -> list[dict]:
    """The readout table: one row (column -> cell) per optimizer (``statuses``: each run's status in words)."""
    tr = tr_for(lang)
    rows = []
    for slot, run, b, status in zip(slots, runs, bursts, statuses):
        x, y = run.points[-1]
        flips, n_up, _ = sideways_bounces(run)
        eff = run.effective_step[:, 1]
        rows.append({
            tr(T, "col_optimizer"): slot.label,
            tr(T, "col_final"): f"({x:.4g}, {y:.4g})",
            tr(T, "col_dist"): f"{distance_to(run.points[-1], x_min):.3g}",
            tr(T, "col_bounces"): f"{flips} / {n_up}",
            tr(T, "col_bursts"): f"{b.count}: {', '.join(map(str, b.steps))}" if b.count else tr(T, "none"),
            tr(T, "col_jump"): f"{b.largest:.3g}" if b.count else "–",
            tr(T, "col_eff"): f"{np.nanmax(eff):.3g}" if np.isfinite(eff).any() else "–",
            tr(T, "col_status"): status,
        })
    return rows
