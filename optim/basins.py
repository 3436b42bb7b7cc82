r"""Basin-of-attraction maps: where does each start end? (issue 14)

For every start on an n x n grid over the window, run the optimizer and colour the cell by the
critical point (from the atlas, :func:`surfaces.critical_points`) it ends at::

    import optim, surfaces
    s = surfaces.CATALOG["himmelblau"]
    bm = optim.basins.basin_map(s, optim.gd(lr=0.01), n=200, steps=500)
    bm.label           # (200, 200): index into bm.targets, or DIVERGED / NOT_SETTLED / ELSEWHERE
    bm.targets[0].kind # "maximum" | "minimum" | "saddle" | ... (points first, then curves)

Rules (per start, the rules of :func:`optim.simulate` with ``stop_at_tolerance=True``):

- a start stops at the first point where it diverges, or where the tolerance is met (|g| and
  the last step both <= 1e-8), or after ``steps`` updates. Its END is that point; ``steps`` of
  the map is that step. Without noise the end equals ``simulate(..., stop_at_tolerance=True)``
  from that start: bit for bit ``simulate_many``'s and ``simulate``'s NumPy evaluation (the
  tests check every cell, and a sample); ``simulate``'s float fast path for one start squares
  with libm's ``pow``, which can differ in the last bit (see docs/performance.md, "Basin maps").
- outcome: ``DIVERGED`` (-1) if it diverged; else the index of the nearest atlas target (its
  points, then its curves of critical points) when the end lies within ``match_tol`` times the
  window's diagonal of it (also for a start that ran out of budget while hovering there, e.g.
  Adam or a noisy run: ``settled`` says whether the strict tolerance was met); else
  ``ELSEWHERE`` (-3) if the tolerance was met at a point the atlas does not list (outside the
  window), else ``NOT_SETTLED`` (-2).
- with gradient noise and ``seeds`` = K: each cell is run K times (K replicas of the grid, one
  noise stream, :class:`GradientNoise` drawn from ``default_rng(seed)``); ``probability`` holds,
  per cell, the fraction of the K runs that ended in each outcome and ``label`` the most likely.

Speed: the starts run in a dedicated blocked, two-thread loop (:mod:`optim.basin_loop`,
:func:`run_starts`, re-exported here with its constants), not ``simulate_many``; the numbers
are those of the optimizer's own ``update`` and of ``value_and_grad``.

:func:`basin_maps` yields coarse-to-fine maps (50 x 50, 100 x 100, 200 x 200): the coarse grids
are subsets of the fine one, so every start is run once.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

import surfaces

from .base import Optimizer
from .basin_loop import (
    _CONVERGED,
    _DIVERGED,
    BLOCK,
    MIN_PART,
    PARTS,
    THREADS,
    Ends,
    Progress,
    _lean_evaluator,  # noqa: F401 - tests reach it as optim.basins._lean_evaluator
    run_starts,
)
from .noise import GradientNoise
from .simulate import MAX_STEPS

__all__ = [
    "BLOCK", "DIVERGED", "ELSEWHERE", "LEVELS", "MATCH_TOL", "MIN_PART", "NOT_SETTLED", "OUTCOMES", "PARTS",
    "THREADS", "BasinMap", "Ends", "Progress", "Window", "basin_map", "basin_maps", "classify", "grid",
    "run_starts",
]

DIVERGED, NOT_SETTLED, ELSEWHERE = -1, -2, -3
MATCH_TOL = 1e-2  # an end within this fraction of the window's diagonal of a critical point ends there
LEVELS = (50, 100, 200)

# Display names of the three non-point outcomes (the UI reads this table).
OUTCOMES: dict[int, dict[str, str]] = {
    DIVERGED: {"en": "diverged", "zh": "发散"},
    NOT_SETTLED: {"en": "not settled", "zh": "未停下"},
    ELSEWHERE: {"en": "settled outside the atlas", "zh": "停在图谱之外"},
}

Window = tuple[float, float, float, float]


# --- the result ------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class BasinMap:
    """One map. Rows are y, columns x: cell (j, i) started at ``(xs[i], ys[j])``.

    Per seed k (K = ``seeds``; 1 without noise) and cell: ``outcome[k, j, i]`` (index into
    ``targets`` or ``DIVERGED`` / ``NOT_SETTLED`` / ``ELSEWHERE``), ``steps[k, j, i]`` (updates
    made before it stopped), ``end[k, j, i]`` (the end point) and ``settled[k, j, i]`` (the
    strict tolerance was met). Derived: ``probability`` (ny, nx, len(targets) + 3; the last three
    columns are diverged, not settled, elsewhere), ``label`` (the most likely outcome) and
    ``certainty`` (its probability).
    """

    xs: np.ndarray
    ys: np.ndarray
    window: Window
    outcome: np.ndarray
    steps: np.ndarray
    end: np.ndarray = field(repr=False)
    settled: np.ndarray = field(repr=False)
    targets: tuple = field(repr=False)
    optimizer_id: str = ""
    budget: int = 0
    seeds: int = 1
    match_tol: float = MATCH_TOL
    elapsed: float = 0.0
    noisy: bool = False

    @property
    def n_targets(self) -> int:
        return len(self.targets)

    @property
    def kinds(self) -> tuple[str, ...]:
        """Kind of each target ("minimum", "saddle", ..., "minimum (non-isolated)" for curves)."""
        return tuple(t.kind for t in self.targets)

    def column(self, outcome: int) -> int:
        """The column of ``probability`` that holds ``outcome``."""
        return outcome if outcome >= 0 else self.n_targets - 1 - outcome  # -1 -> T, -2 -> T + 1, -3 -> T + 2

    @property
    def probability(self) -> np.ndarray:
        cols = np.where(self.outcome >= 0, self.outcome, self.n_targets - 1 - self.outcome)
        k = self.outcome.shape[0]
        out = np.zeros(self.outcome.shape[1:] + (self.n_targets + 3,))
        for seed_cols in cols:
            np.put_along_axis(out, seed_cols[..., None], np.take_along_axis(out, seed_cols[..., None], -1) + 1.0, -1)
        return out / k

    @property
    def label(self) -> np.ndarray:
        """(ny, nx): the most likely outcome (ties: the lower column, i.e. targets first)."""
        if self.outcome.shape[0] == 1:
            return self.outcome[0]
        col = self.probability.argmax(axis=-1)
        t = self.n_targets
        return np.where(col < t, col, t - 1 - col)

    @property
    def certainty(self) -> np.ndarray:
        """(ny, nx): probability of the most likely outcome (1 everywhere without noise)."""
        if self.outcome.shape[0] == 1:
            return np.ones(self.outcome.shape[1:])
        return self.probability.max(axis=-1)

    def counts(self) -> dict[int, int]:
        """How many cells have each label."""
        values, n = np.unique(self.label, return_counts=True)
        return {int(v): int(c) for v, c in zip(values, n)}


# --- grids, matching, maps -------------------------------------------------------------------
def grid(window: Window, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Cell centres of an n x n grid over ``window``: (xs, ys)."""
    xmin, xmax, ymin, ymax = (float(v) for v in window)
    n = int(n)
    return xmin + (np.arange(n) + 0.5) * ((xmax - xmin) / n), ymin + (np.arange(n) + 0.5) * ((ymax - ymin) / n)


def _targets(atlas) -> tuple[tuple, np.ndarray, np.ndarray, np.ndarray]:
    """(targets, segment starts (S, 2), segment ends (S, 2), owner index (S,)): a point is a
    segment of length 0, a curve the segments of each of its branches' polylines."""
    points = tuple(atlas.points)
    curves = tuple(getattr(atlas, "curves", ()))
    xy = np.array([[p.x, p.y] for p in points], dtype=float).reshape(-1, 2)
    starts, ends, owner = [xy], [xy], [np.arange(len(points))]
    for j, c in enumerate(curves):
        for branch in c.branches:
            pts = np.asarray(branch, dtype=float).reshape(-1, 2)
            if len(pts) == 1:
                pts = np.concatenate([pts, pts])
            starts.append(pts[:-1])
            ends.append(pts[1:])
            owner.append(np.full(len(pts) - 1, len(points) + j))
    return points + curves, np.concatenate(starts), np.concatenate(ends), np.concatenate(owner)


def classify(ends: Ends, atlas, window: Window, match_tol: float = MATCH_TOL) -> tuple[np.ndarray, tuple]:
    """Outcome per start (see the module docstring) and the targets the indices refer to. The
    distance to a curve of critical points is the distance to its polyline."""
    targets, seg_a, seg_b, owner = _targets(atlas)
    diag = float(np.hypot(window[1] - window[0], window[3] - window[2]))
    tol2 = (match_tol * diag) ** 2
    out = np.where(ends.status == _CONVERGED, ELSEWHERE, NOT_SETTLED).astype(np.int64)
    out[ends.status == _DIVERGED] = DIVERGED
    live = np.flatnonzero(ends.status != _DIVERGED)
    if len(seg_a) and len(live):
        d = seg_b - seg_a
        dd = (d * d).sum(axis=1)
        inv = np.divide(1.0, dd, out=np.zeros_like(dd), where=dd > 0)
        chunk = max(1, 2**22 // len(seg_a))
        with np.errstate(all="ignore"):
            for a in range(0, len(live), chunk):
                sel = live[a:a + chunk]
                ex = ends.end[sel, 0][:, None] - seg_a[None, :, 0]
                ey = ends.end[sel, 1][:, None] - seg_a[None, :, 1]
                t = np.clip((ex * d[None, :, 0] + ey * d[None, :, 1]) * inv[None, :], 0.0, 1.0)
                d2 = (ex - t * d[None, :, 0]) ** 2 + (ey - t * d[None, :, 1]) ** 2
                j = d2.argmin(axis=1)
                near = d2[np.arange(len(sel)), j] <= tol2
                out[sel[near]] = owner[j[near]]
    return out, targets


def _atlas(surface, window, atlas):
    if atlas is not None:
        return atlas
    return surfaces.critical_points(surface, window)


def _window(surface, window) -> Window:
    w = tuple(float(v) for v in (window if window is not None else surface.window))
    if not (len(w) == 4 and w[0] < w[1] and w[2] < w[3] and all(math.isfinite(v) for v in w)):
        raise ValueError("The window must be (xmin, xmax, ymin, ymax) with xmin < xmax and ymin < ymax.")
    return w


def basin_map(surface, optimizer: Optimizer, window: Window | None = None, n: int = 200, steps: int = 500,
              schedule=None, noise: GradientNoise | None = None, seeds: int = 1, atlas=None,
              progress: Progress | None = None, *, seed: int = 0, match_tol: float = MATCH_TOL,
              block: int = BLOCK, threads: int = THREADS) -> BasinMap:
    """The basin map of ``optimizer`` on ``surface``: an ``n`` x ``n`` grid of starts (cell
    centres) over ``window`` (default the surface's), ``steps`` updates at most each.

    ``atlas``: a :class:`surfaces.Atlas` (default ``surfaces.critical_points(surface, window)``).
    ``noise`` with ``seeds`` = K runs every cell K times (without noise K is 1: the runs would be
    identical). ``progress(fraction, message)`` is called as the work advances.
    """
    return _map_from_indices(surface, optimizer, _window(surface, window), int(n), None, steps, schedule, noise,
                             seeds, atlas, progress, seed, match_tol, block, threads)


def _map_from_indices(surface, optimizer, window, n, index, steps, schedule, noise, seeds, atlas, progress, seed,
                      match_tol, block, threads, cache=None, span=(0.0, 1.0)) -> BasinMap:
    t0 = time.perf_counter()
    report = progress or (lambda fraction, message: None)
    k_seeds = max(1, int(seeds)) if noise is not None else 1
    xs_all, ys_all = grid(window, n)
    ix = np.arange(n) if index is None else index
    xs, ys = xs_all[ix], ys_all[ix]
    atlas = _atlas(surface, window, atlas)
    X, Y = np.meshgrid(xs, ys)
    starts = np.stack([X.ravel(), Y.ravel()], axis=1)
    cells = len(starts)
    if cache is None:
        ends = run_starts(surface, optimizer, np.tile(starts, (k_seeds, 1)), steps, schedule, noise, seed,
                          progress, block, span, threads)
    else:  # coarse-to-fine: run only the starts not run yet, for each seed replica
        ends = cache.run(ix, starts, report, span)
    outcome, targets = classify(ends, atlas, window, match_tol)
    shape = (k_seeds, len(ys), len(xs))
    report(span[1], f"{cells} starts mapped")
    return BasinMap(
        xs=xs, ys=ys, window=window, outcome=outcome.reshape(shape), steps=ends.stop.reshape(shape),
        end=ends.end.reshape(shape + (2,)), settled=(ends.status == _CONVERGED).reshape(shape), targets=targets,
        optimizer_id=optimizer.id, budget=min(max(int(steps), 0), MAX_STEPS), seeds=k_seeds, match_tol=match_tol,
        elapsed=time.perf_counter() - t0, noisy=noise is not None,
    )


def _nested_offsets(levels: tuple[int, ...]) -> dict[int, np.ndarray] | None:
    """For levels that each divide the finest by a power of two, the fine-grid indices of every
    level, nested (each coarse grid is a subset of the next finer one) and as close to the coarse
    cells' centres as nesting allows. None when the levels do not nest."""
    n = levels[-1]
    out = {n: np.arange(n)}
    offset = 0
    f = 1
    for m in reversed(levels[:-1]):
        if n % m or (n // m) & (n // m - 1) or n // m <= f:
            return None
        while f < n // m:  # double: keep offset, or offset + f, whichever is nearer the centre
            f *= 2
            centre = (f - 1) / 2
            offset = min((offset, offset + f // 2), key=lambda o: abs(o - centre))
        out[m] = np.arange(m) * f + offset
    return out


class _Cache:
    """Ends already computed on the fine grid (per seed replica), for coarse-to-fine maps."""

    def __init__(self, surface, optimizer, window, n, steps, schedule, noise, seeds, seed, block, threads):
        self.args = (surface, optimizer, steps, schedule, noise, seed, block, threads)
        self.k = seeds
        self.window, self.n = window, n
        size = seeds * n * n
        self.end = np.full((size, 2), np.nan)
        self.status = np.zeros(size, dtype=np.int8)
        self.stop = np.zeros(size, dtype=np.int64)
        self.done = np.zeros(size, dtype=bool)
        self.calls = 0

    def run(self, ix, starts, report, span):
        surface, optimizer, steps, schedule, noise, seed, block, threads = self.args
        n, k = self.n, self.k
        rows_y, cols_x = np.meshgrid(ix, ix, indexing="ij")
        flat = (rows_y * n + cols_x).ravel()
        rows = (np.arange(k)[:, None] * n * n + flat[None, :]).ravel()
        todo = rows[~self.done[rows]]
        if len(todo):
            fine = np.concatenate(grid(self.window, n))
            gx, gy = fine[:n], fine[n:]
            local = todo % (n * n)
            pts = np.stack([gx[local % n], gy[local // n]], axis=1)
            ends = run_starts(surface, optimizer, pts, steps, schedule, noise, seed + self.calls, report, block, span,
                              threads)
            self.end[todo], self.status[todo], self.stop[todo] = ends.end, ends.status, ends.stop
            self.done[todo] = True
            self.calls += 1
        return Ends(self.end[rows], self.status[rows], self.stop[rows])


def basin_maps(surface, optimizer: Optimizer, window: Window | None = None, levels: tuple[int, ...] = LEVELS,
               steps: int = 500, schedule=None, noise: GradientNoise | None = None, seeds: int = 1, atlas=None,
               progress: Progress | None = None, *, seed: int = 0, match_tol: float = MATCH_TOL,
               block: int = BLOCK, threads: int = THREADS) -> Iterator[BasinMap]:
    """Coarse to fine: yield the map at each of ``levels`` (default 50, 100, 200 cells a side).

    When the levels nest (each divides the finest by a power of two) the coarse grids are subsets
    of the finest grid (each coarse cell is represented by a fine start inside it, at most a
    quarter of a coarse cell from its centre) and every start is run once: the total work is that
    of the finest map alone, whose cells are exactly ``basin_map(..., n=levels[-1])``'s. Otherwise
    each level is computed on its own grid. ``progress`` sees the whole sequence as 0 .. 1.
    """
    window = _window(surface, window)
    levels = tuple(int(v) for v in levels)
    if not levels or any(v < 1 for v in levels) or list(levels) != sorted(levels):
        raise ValueError("levels must be increasing positive grid sizes")
    atlas = _atlas(surface, window, atlas)
    k_seeds = max(1, int(seeds)) if noise is not None else 1
    nested = _nested_offsets(levels)
    total = float(sum(v * v for v in levels)) if nested is None else float(levels[-1] ** 2)
    done = 0.0
    cache = None
    if nested is not None:
        cache = _Cache(surface, optimizer, window, levels[-1], steps, schedule, noise, k_seeds, seed, block, threads)
    previous = 0
    for m in levels:
        new = m * m - (previous if nested is not None else 0)
        span = (done / total, (done + new) / total)
        if nested is None:
            yield _map_from_indices(surface, optimizer, window, m, None, steps, schedule, noise, k_seeds, atlas,
                                    progress, seed, match_tol, block, threads, span=span)
        else:
            yield _map_from_indices(surface, optimizer, window, levels[-1], nested[m], steps, schedule, noise,
                                    k_seeds, atlas, progress, seed, match_tol, block, threads, cache=cache, span=span)
        done += new
        previous = m * m
