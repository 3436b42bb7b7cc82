"""Poincare-Hopf check of an atlas: do the indices of the points found add up?

By the Poincare-Hopf theorem the indices of the isolated critical points inside the window
(minimum and maximum +1, saddle -1, a degenerate point its measured winding, e.g. -2 for the
monkey saddle) add up to the winding number of grad f around the window's boundary. A necessary
condition: it catches a missing point, not a missing pair (a minimum and a saddle cancel).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .atlas_types import MAXIMUM, MINIMUM, SADDLE, CriticalPoint

if TYPE_CHECKING:  # annotations only
    from .surface import Surface, Window


def _winding(surface: Surface, xs: np.ndarray, ys: np.ndarray, strict: bool = True) -> float | None:
    """Winding number of grad f along the closed polyline (xs, ys); None if grad f ~ 0 on it.
    With strict=False an under-sampled loop returns the raw sum instead of None."""
    with np.errstate(all="ignore"):
        g = surface.grad(xs, ys)
    norm = np.hypot(g[0], g[1])
    if not np.all(np.isfinite(norm)):
        return None
    scale = max(float(np.max(norm)), 1e-300)
    if np.min(norm) <= 1e-9 * scale:
        return None
    ang = np.arctan2(g[1], g[0])
    d = np.diff(np.append(ang, ang[0]))
    d = (d + np.pi) % (2 * np.pi) - np.pi
    w = float(np.sum(d) / (2 * np.pi))
    if strict and np.max(np.abs(d)) > 0.5 * np.pi:  # under-sampled: not reliable
        return None
    return w


def _boundary_loop(window: Window, m: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """The window's boundary, counter-clockwise, m samples per side."""
    xmin, xmax, ymin, ymax = window
    t = np.linspace(0, 1, m, endpoint=False)
    xs = np.concatenate([xmin + t * (xmax - xmin), np.full(m, xmax), xmax - t * (xmax - xmin), np.full(m, xmin)])
    ys = np.concatenate([np.full(m, ymin), ymin + t * (ymax - ymin), np.full(m, ymax), ymax - t * (ymax - ymin)])
    return xs, ys


def _point_index(surface: Surface, p: CriticalPoint, others: np.ndarray, diag: float) -> int | None:
    """+1 / -1 by kind; a degenerate point's winding on a small circle that holds no other point."""
    if p.kind in (MINIMUM, MAXIMUM):
        return 1
    if p.kind == SADDLE:
        return -1
    d = np.hypot(others[0] - p.x, others[1] - p.y)
    d = d[d > 0]
    r = min(1e-3 * diag, 0.25 * float(np.min(d))) if d.size else 1e-3 * diag
    ang = np.linspace(0, 2 * np.pi, 720, endpoint=False)
    w = _winding(surface, p.x + r * np.cos(ang), p.y + r * np.sin(ang))
    return None if w is None or abs(w - round(w)) > 0.05 else round(w)


def index_check(surface: Surface, points, window: Window) -> tuple[bool | None, int | None]:
    """(the indices of ``points`` add up to the boundary winding number, that winding number).
    (None, None) when the winding cannot be measured (grad f ~ 0 on the boundary); (None, w) when
    a degenerate point's own index cannot be measured."""
    # Refine where grad f turns fast along the boundary; where it nearly vanishes there (Beale)
    # the turn stays sharp at any sampling, so accept a count that is stable under refinement.
    w, previous = None, None
    for m in (1000, 8000, 40000):
        xs, ys = _boundary_loop(window, m)
        w = _winding(surface, xs, ys)
        if w is not None:
            break
        raw = _winding(surface, xs, ys, strict=False)
        if raw is not None and previous is not None and abs(raw - previous) < 1e-6 and abs(raw - round(raw)) < 1e-6:
            w = raw
            break
        previous = raw
    if w is None or abs(w - round(w)) > 0.05:
        return None, None
    diag = float(np.hypot(window[1] - window[0], window[3] - window[2]))
    xy = np.array([[p.x, p.y] for p in points]).T if points else np.zeros((2, 0))
    total = 0
    for p in points:
        k = _point_index(surface, p, xy, diag)
        if k is None:
            return None, round(w)
        total += k
    return total == round(w), round(w)
