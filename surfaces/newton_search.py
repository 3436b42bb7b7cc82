"""Multi-start Newton search for the points where grad f = 0 (any surface), and their polishing.

Levenberg-Marquardt-damped Newton on grad f = 0 with the exact Hessian, vectorized over a grid of
seeds (24 x 24, refined to 48 x 48 and 96 x 96 while new points keep appearing and the CPU budget
allows: :func:`refine_search`), fixed iteration count, step capped to a fifth of the window.
Converged seeds are verified (small |grad| against the window's typical |grad| *and* against their
own neighbourhood) and deduplicated; classification is not done here. Newton is a search: on
surfaces with hundreds of critical points (Rastrigin, Ackley over their full windows) it may miss some.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # annotations only
    from .surface import Surface, Window

SNAP_REL = 1e-12  # |coordinate| <= SNAP_REL * window diagonal is reported as 0 (if still critical)


# --- damped Newton ----------------------------------------------------------------------------
def _evaluate(surface: Surface, x: np.ndarray, y: np.ndarray):
    """grad (2, n) and Hessian entries (3, n) at points; non-finite values stay NaN."""
    g = surface.grad(x, y)
    h = surface.hessian(x, y)
    return g, np.stack([h[0, 0], h[0, 1], h[1, 1]])


def _lm_solve(g, h, mu):
    """Solve (H^2 + mu I) d = -H g for symmetric 2x2 H, vectorized. Returns d (2, n)."""
    a, b, c = h
    gx, gy = g
    # H^2 = [[a^2 + b^2, b(a + c)], [b(a + c), b^2 + c^2]]
    m11 = a * a + b * b + mu
    m12 = b * (a + c)
    m22 = b * b + c * c + mu
    r1 = -(a * gx + b * gy)
    r2 = -(b * gx + c * gy)
    det = m11 * m22 - m12 * m12
    with np.errstate(all="ignore"):
        dx = (m22 * r1 - m12 * r2) / det
        dy = (m11 * r2 - m12 * r1) / det
    return np.stack([dx, dy])


def _damped_newton(surface: Surface, pts: np.ndarray, iterations: int, max_step: float, done_tol: float = 0.0):
    """Damped Newton (Levenberg-Marquardt) on grad f = 0 from many seeds at once.

    pts: (2, n). Returns (pts, |grad|) after ``iterations`` steps; a step is accepted only when it
    lowers |grad|; the damping shrinks after an accepted step (-> pure Newton, quadratic) and grows
    after a rejected one (-> gradient descent on |grad|^2). Seeds with |grad| <= done_tol stop.
    """
    with np.errstate(all="ignore"):
        p = pts.copy()
        g, h = _evaluate(surface, p[0], p[1])
        gn = np.hypot(g[0], g[1])
        hs = np.sum(h * h, axis=0)
        nu = np.full(p.shape[1], 1e-4)
        alive = np.isfinite(gn) & np.all(np.isfinite(h), axis=0)
        for _ in range(iterations):
            idx = np.flatnonzero(alive & (gn > done_tol))
            if idx.size == 0:
                break
            mu = nu[idx] * (hs[idx] + 1e-30)
            d = _lm_solve(g[:, idx], h[:, idx], mu)
            norm = np.hypot(d[0], d[1])
            scale = np.where(norm > max_step, max_step / np.where(norm > 0, norm, 1), 1.0)
            d = d * scale
            trial = p[:, idx] + d
            gt, ht = _evaluate(surface, trial[0], trial[1])
            gtn = np.hypot(gt[0], gt[1])
            ok = np.isfinite(gtn) & np.all(np.isfinite(ht), axis=0) & (gtn < gn[idx])
            acc = idx[ok]
            p[:, acc] = trial[:, ok]
            g[:, acc] = gt[:, ok]
            h[:, acc] = ht[:, ok]
            gn[acc] = gtn[ok]
            hs[acc] = np.sum(ht[:, ok] ** 2, axis=0)
            nu[acc] = np.maximum(nu[acc] / 10, 1e-12)
            rej = idx[~ok]
            nu[rej] = nu[rej] * 8
            alive[rej[nu[rej] > 1e12]] = False
        return p, gn


# --- shared helpers -------------------------------------------------------------------------
def grad_scale(surface: Surface, window: Window) -> float:
    """Typical |grad f| over the window (median over a 17 x 17 grid): the search's convergence
    tolerance is relative to it, so that it means the same on a surface scaled by 1e6."""
    xmin, xmax, ymin, ymax = window
    xs = np.linspace(xmin, xmax, 17)
    ys = np.linspace(ymin, ymax, 17)
    with np.errstate(all="ignore"):
        g = surface.grad(xs[None, :], ys[:, None])
        n = np.hypot(g[0], g[1])
    n = n[np.isfinite(n)]
    return float(np.median(n)) if n.size else 1.0


def inside(p: np.ndarray, window: Window, margin: float) -> np.ndarray:
    """Boolean per column of p (2, n): inside the window grown by ``margin``."""
    xmin, xmax, ymin, ymax = window
    return (p[0] >= xmin - margin) & (p[0] <= xmax + margin) & (p[1] >= ymin - margin) & (p[1] <= ymax + margin)


def dedup(p: np.ndarray, gn: np.ndarray, tol: float) -> np.ndarray:
    """Indices of cluster representatives: greedy, smallest |grad| first, radius 2 * tol."""
    if p.shape[1] == 0:
        return np.zeros(0, dtype=int)
    order = np.argsort(gn, kind="stable")
    cell = 2 * tol
    cells = np.floor(p[:, order] / cell).astype(np.int64)
    # one candidate per occupied cell (the best), then merge neighbours across cell borders
    _, first = np.unique(cells, axis=1, return_index=True)
    first = np.sort(first)
    grid: dict[tuple[int, int], list[int]] = {}
    keep: list[int] = []
    r2 = cell * cell
    for k in first:
        i = int(order[k])
        cx, cy = int(cells[0, k]), int(cells[1, k])
        px, py = float(p[0, i]), float(p[1, i])
        clash = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for m in grid.get((cx + dx, cy + dy), ()):
                    if (p[0, m] - px) ** 2 + (p[1, m] - py) ** 2 <= r2:
                        clash = True
                        break
                if clash:
                    break
            if clash:
                break
        if not clash:
            keep.append(i)
            grid.setdefault((cx, cy), []).append(i)
    return np.array(keep, dtype=int)


# --- one pass, and the refinement --------------------------------------------------------------
def _seed_grid(window: Window, n: int, shift: float = 0.0) -> np.ndarray:
    xmin, xmax, ymin, ymax = window
    # cell centres, slightly irrational offset so seeds avoid symmetry lines of the formula;
    # ``shift`` (in cells) gives a different grid of the same density for a confirmation pass
    off = (0.5 + shift) % 1.0
    tx = (np.arange(n) + off + 0.0137) / n
    ty = (np.arange(n) + off - 0.0091) / n
    gx, gy = np.meshgrid(xmin + tx * (xmax - xmin), ymin + ty * (ymax - ymin))
    return np.stack([gx.ravel(), gy.ravel()])


def rank_one(surface: Surface, xy: np.ndarray) -> np.ndarray:
    """Boolean per point: the Hessian has exactly one (numerically) zero eigenvalue."""
    if xy.shape[1] == 0:
        return np.zeros(0, dtype=bool)
    with np.errstate(all="ignore"):
        H = surface.hessian(xy[0], xy[1])
    a, b, c = H[0, 0], H[0, 1], H[1, 1]
    norm = np.abs(a) + np.abs(c) + 2 * np.abs(b)
    det = a * c - b * b
    return np.isfinite(det) & (norm > 0) & (np.abs(det) <= 1e-6 * np.maximum(norm, 1.0) * norm)


def _locally_critical(surface: Surface, p: np.ndarray, gn: np.ndarray, delta: float) -> np.ndarray:
    """|grad| at p must be tiny compared with |grad| a little way off (delta, 4 directions).

    The global tolerance is relative to the typical |grad| over the window; on a surface with a
    huge dynamic range ((x + y + 1)^40 ...) that admits flat stretches where grad f is small but
    not zero. A true critical point stands out against its own neighbourhood."""
    if p.shape[1] == 0:
        return np.zeros(0, dtype=bool)
    best = np.zeros(p.shape[1])
    with np.errstate(all="ignore"):
        for dx, dy in ((delta, 0.0), (-delta, 0.0), (0.0, delta), (0.0, -delta)):
            g = surface.grad(p[0] + dx, p[1] + dy)
            n = np.hypot(g[0], g[1])
            best = np.fmax(best, np.where(np.isfinite(n), n, 0.0))
    return gn <= 1e-4 * best


def search(surface: Surface, window: Window, n: int, iterations: int = 60, shift: float = 0.0):
    """One multi-start pass: converged, deduplicated points (2, k) inside the window and |grad|."""
    diag = float(np.hypot(window[1] - window[0], window[3] - window[2]))
    gtol = 1e-8 * max(1.0, grad_scale(surface, window))
    p, gn = _damped_newton(surface, _seed_grid(window, n, shift), iterations, max_step=0.2 * diag, done_tol=1e-4 * gtol)
    ok = np.isfinite(gn) & (gn <= gtol) & inside(p, window, 1e-9 * diag)
    p, gn = p[:, ok], gn[ok]
    ok = _locally_critical(surface, p, gn, 1e-4 * diag)
    p, gn = p[:, ok], gn[ok]
    # Points with one zero eigenvalue may be samples of a whole critical curve: keep them
    # only as samples, about 1/100 of the window apart (cheap, and enough to draw the curve).
    flat = rank_one(surface, p)
    keep = dedup(p[:, ~flat], gn[~flat], 1e-6 * diag)
    keep_flat = dedup(p[:, flat], gn[flat], 5e-3 * diag)
    p = np.concatenate([p[:, ~flat][:, keep], p[:, flat][:, keep_flat]], axis=1)
    gn = np.concatenate([gn[~flat][keep], gn[flat][keep_flat]])
    return p, gn


@dataclass(frozen=True)
class SearchResult:
    """What :func:`refine_search` found, and how far it got."""

    points: np.ndarray  # (2, k) distinct converged points inside the window
    grad_norms: np.ndarray  # (k,) |grad| at them
    grid: int  # seeds per side of the last pass
    passes: int
    new_in_last_pass: int  # isolated points the last pass added (0: the search had settled)
    stopped_by_budget: bool

    @property
    def maybe_incomplete(self) -> bool:
        """The last refinement still found new isolated points: more may be out there."""
        return self.new_in_last_pass > 0 and self.passes >= 2


def refine_search(surface: Surface, window: Window, seeds: int, budget: float, cpu_start: float, dedup_tol: float,
                  stop_early: Callable[[], bool], report: Callable[[float, str], None]) -> SearchResult:
    """Passes of :func:`search` on ever finer seed grids (``seeds`` per side, then x2 or x4, at most
    4 x ``seeds``) until a pass adds nothing new, three passes ran, ``stop_early()`` says the list
    is already certified, or the next pass would overrun ``budget`` CPU seconds of this thread
    counted from ``cpu_start`` (CPU, not wall time: on a shared, loaded machine the answer does not
    depend on the load)."""
    report(0.05, f"Newton search from {seeds} x {seeds} seeds")
    found = np.zeros((2, 0))
    found_g = np.zeros(0)
    n = seeds
    passes = 0
    stopped_by_budget = False
    while True:
        t_pass = time.thread_time()
        p, gn = search(surface, window, n, shift=0.5 * passes)  # each pass: fresh seeds
        t_pass = time.thread_time() - t_pass
        passes += 1
        allp = np.concatenate([found, p], axis=1)
        allg = np.concatenate([found_g, gn])
        keep = dedup(allp, allg, dedup_tol)
        fresh = keep[keep >= found.shape[1]]
        if found.shape[1] and fresh.size:
            d2 = (allp[0, fresh, None] - found[0, None, :]) ** 2 + (allp[1, fresh, None] - found[1, None, :]) ** 2
            fresh = fresh[np.min(d2, axis=1) > (2 * dedup_tol) ** 2]
        # points on a non-isolated critical set (one zero eigenvalue) are endless: do not let
        # them drive the refinement
        new = int(np.sum(~rank_one(surface, allp[:, fresh])))
        found, found_g = allp[:, keep], allg[keep]
        report(min(0.1 + 0.15 * passes, 0.6), f"Newton: {found.shape[1]} points after {n} x {n} seeds")
        if passes >= 3 or (passes >= 2 and new == 0):
            break
        if stop_early():
            break  # the exact list is complete: Newton has cross-checked it with one pass
        # dense critical points (Rastrigin, Ackley): jump straight to a 4x finer grid
        factor = 4 if found.shape[1] > 0.2 * n * n else 2
        factor = max(1, min(factor, (4 * seeds) // n))  # at most 4 x seeds per side
        predicted = time.thread_time() - cpu_start + 1.1 * factor**2 * t_pass
        # the first refinement (confirmation) may use up to twice the budget, later ones not
        if predicted > budget * (2 if passes == 1 else 1):
            stopped_by_budget = True
            break
        n *= factor
    return SearchResult(found, found_g, n, passes, new, stopped_by_budget)


# --- finishing touches ----------------------------------------------------------------------
def snap_zero(surface: Surface, xy: np.ndarray, window: Window, gtol: float) -> np.ndarray:
    """Coordinates within SNAP_REL * diagonal of 0 become exactly 0 where grad f there is still
    within ``gtol`` (the lecture's saddle is (0, 0), not (1.2e-21, -1.2e-21))."""
    if xy.shape[1] == 0:
        return xy
    diag = float(np.hypot(window[1] - window[0], window[3] - window[2]))
    snapped = np.where(np.abs(xy) <= SNAP_REL * diag, 0.0, xy)
    change = np.any(snapped != xy, axis=0)
    if not change.any():
        return xy
    with np.errstate(all="ignore"):
        g = surface.grad(snapped[0, change], snapped[1, change])
        gn = np.hypot(np.asarray(g[0], dtype=float), np.asarray(g[1], dtype=float))
    gn = np.broadcast_to(gn, (int(change.sum()),))
    ok = np.zeros(xy.shape[1], dtype=bool)
    ok[change] = np.isfinite(gn) & (gn <= gtol)
    return np.where(ok[None, :], snapped, xy)


def polish(surface: Surface, xy: np.ndarray, window: Window):
    """A few short Newton steps from approximate points (the algebra's candidates): (points, |grad|,
    ok), ok where the polished point is critical to the search's tolerance and inside the window."""
    diag = float(np.hypot(window[1] - window[0], window[3] - window[2]))
    p, gn = _damped_newton(surface, xy, 12, max_step=1e-3 * diag)
    gtol = 1e-8 * max(1.0, grad_scale(surface, window))
    ok = np.isfinite(gn) & (gn <= gtol) & inside(p, window, 1e-9 * diag)
    return p, gn, ok
