"""Who is to blame when a run breaks: the learning rate, or the surface itself.

A run "diverges" when its loss stops being a finite number or its point leaves ``|x|, |y| <= 1e6``
(:mod:`optim.simulate`). Usually the steps grew without bound: the learning rate is too large for
the curvature. But a surface such as ``exp(exp(exp(x)))`` is not a finite float on part of the
plotted window: a path that walks there at a modest pace "diverges" through no fault of its
optimizer. Telling a student "try a smaller learning rate" then is false. These helpers decide
from the run and the window alone (plain NumPy, no UI).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SURFACE, STEPS = "surface", "steps"


def divergence_cause(run, window) -> str | None:
    """``None`` if ``run`` did not diverge; ``"surface"`` if it stopped because the LOSS became
    inf/NaN at a finite point inside ``window`` (xmin, xmax, ymin, ymax), where the surface itself is
    not finite; else ``"steps"`` (the point ran away: too large a learning rate for the curvature)."""
    if run.status != "diverged":
        return None
    x, y = (float(v) for v in run.points[-1])
    xmin, xmax, ymin, ymax = window
    inside = np.isfinite([x, y]).all() and xmin <= x <= xmax and ymin <= y <= ymax
    if inside and run.divergence in ("loss_inf", "loss_nan"):
        return SURFACE
    return STEPS


@dataclass(frozen=True)
class NonFinite:
    """Where a surface grid is not a finite number: the share of grid cells, and one example point
    (the one nearest the window's centre, so the message names a place a student can find)."""

    share: float
    example: tuple[float, float]
    value: float  # f at the example (inf, -inf or nan)


def nonfinite_region(xs, ys, Z) -> NonFinite | None:
    """The non-finite part of a grid ``Z[j, i] = f(xs[i], ys[j])``, or None if all of it is finite."""
    Z = np.asarray(Z, dtype=float)
    bad = ~np.isfinite(Z)
    if not bad.any():
        return None
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    jj, ii = np.nonzero(bad)
    cx, cy = (xs[0] + xs[-1]) / 2, (ys[0] + ys[-1]) / 2
    k = int(np.argmin((xs[ii] - cx) ** 2 + (ys[jj] - cy) ** 2))
    return NonFinite(float(bad.mean()), (float(xs[ii[k]]), float(ys[jj[k]])), float(Z[jj[k], ii[k]]))
