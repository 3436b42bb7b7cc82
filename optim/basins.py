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

Speed (``benchmarks/bench_basins.py``, ``docs/performance.md``): a dedicated loop instead of
``simulate_many``. Starts run in lock-step (one schedule value per step, the optimizer's own
``update``, so the numbers are the same) but in BLOCKS of at most ``BLOCK`` starts: NumPy's
temporaries for larger arrays cross glibc malloc's trim/mmap thresholds and every step then pays
page faults (a 40,000-point gradient evaluation costs ~6x more per point than an 8,000-point
one on the project machine). A stopped start is dropped from its block at once (compaction, no
masking) and blocks are merged as they shrink. The gradient is evaluated without the Hessian:
f and grad f compiled from the SAME common-subexpression list that ``Surface`` compiles, so the
float operations, hence the numbers, are those of ``value_and_grad`` (checked at first use; any
mismatch falls back to ``value_and_grad``).

:func:`basin_maps` yields coarse-to-fine maps (50 x 50, 100 x 100, 200 x 200): the coarse grids
are subsets of the fine one, so every start is run once.
"""

from __future__ import annotations

import math
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from .base import Optimizer
from .noise import GradientNoise
from .schedules import Constant
from .simulate import BOUND, GRAD_TOL, MAX_STEPS, STEP_TOL

DIVERGED, NOT_SETTLED, ELSEWHERE = -1, -2, -3
MATCH_TOL = 1e-2  # an end within this fraction of the window's diagonal of a critical point ends there
BLOCK = 4096  # starts per block: NumPy temporaries of (2, BLOCK) float64 stay small (see the module docstring)
LEVELS = (50, 100, 200)
PARTS = 2  # the starts are split in this many parts, each with its own loop (and noise stream)
MIN_PART = 2048  # ... when each part gets at least this many starts
THREADS = 2  # parts run on up to this many threads (the project machine has two cores)

# Display names of the three non-point outcomes (the UI reads this table).
OUTCOMES: dict[int, dict[str, str]] = {
    DIVERGED: {"en": "diverged", "zh": "发散"},
    NOT_SETTLED: {"en": "not settled", "zh": "未停下"},
    ELSEWHERE: {"en": "settled outside the atlas", "zh": "停在图谱之外"},
}

Progress = Callable[[float, str], None]
Window = tuple[float, float, float, float]

_BUDGET, _CONVERGED, _DIVERGED = 0, 1, 2


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


# --- a lean evaluator: f and grad f only, the same float operations as value_and_grad ----------
_LEAN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _lean_evaluator(surface) -> Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``(x, y) -> (f, gx, gy)`` on float arrays. For a :class:`surfaces.Surface` it computes the
    f and gradient of ``value_and_grad`` without the Hessian's work; anything else (or any doubt)
    uses ``surface.value_and_grad``."""
    try:
        return _LEAN[surface]
    except (KeyError, TypeError):
        pass
    fn = _compile_lean(surface) or _generic_evaluator(surface)
    try:
        _LEAN[surface] = fn
    except TypeError:
        pass
    return fn


def _generic_evaluator(surface):
    def evaluate(x, y):
        f, g = surface.value_and_grad(x, y)
        f = np.asarray(f, dtype=float)
        g = np.asarray(g, dtype=float)
        return f, g[0], g[1]

    return evaluate


def _compile_lean(surface):
    try:
        import sympy as sp

        from surfaces.surface import _Printer  # the printer Surface compiles with
    except ImportError:  # pragma: no cover - surfaces not importable: generic path
        return None
    expr = getattr(surface, "expr", None)
    grads = getattr(surface, "gradient_exprs", None)
    hess = getattr(surface, "hessian_exprs", None)
    if not isinstance(expr, sp.Expr) or grads is None or hess is None:
        return None
    try:
        (hxx, hxy), (_, hyy) = hess
        full = [expr, grads[0], grads[1], hxx, hxy, hyy]  # the list Surface lambdifies, in its order
        symbols = {s.name: s for e in full for s in e.free_symbols}
        if set(symbols) - {"x", "y"}:
            return None
        x = symbols.get("x", sp.Symbol("x"))
        y = symbols.get("y", sp.Symbol("y"))
        cses, reduced = sp.cse(full, list=False)  # what lambdify(cse=True) does with it
        keep = _needed(cses, reduced[:3])
        pruned = [(s, e) for s, e in cses if s in keep]
        raw = sp.lambdify((x, y), list(reduced[:3]), modules="numpy", cse=lambda e: (pruned, e),
                          printer=_Printer({"fully_qualified_modules": False, "inline": True,
                                            "allow_unknown_functions": True}))
    except Exception:  # noqa: BLE001 - any SymPy/printer trouble: use value_and_grad
        return None

    def evaluate(a, b):
        shape = a.shape if (type(a) is np.ndarray and type(b) is np.ndarray and a.shape == b.shape) \
            else np.broadcast_shapes(np.shape(a), np.shape(b))
        try:  # the caller runs under np.errstate(all="ignore"): overflow is data, not a warning
            values = raw(a, b)
        except (ArithmeticError, ValueError, TypeError):
            return tuple(np.full(shape, np.nan) for _ in range(3))
        return tuple(v if type(v) is np.ndarray and v.dtype == np.float64 and v.shape == shape else _real(v, shape)
                     for v in values)

    # Check at first use: the same numbers as value_and_grad, bit for bit, on a spread of points
    # (inside and far outside the window, where overflow and NaN appear).
    w = getattr(surface, "window", (-3.0, 3.0, -3.0, 3.0))
    rng = np.random.default_rng(12345)
    px = np.concatenate([rng.uniform(w[0], w[1], 200), rng.uniform(-1e3, 1e3, 40), [0.0, 1e200, -1e200, np.nan]])
    py = np.concatenate([rng.uniform(w[2], w[3], 200), rng.uniform(-1e3, 1e3, 40), [0.0, 1.0, 1e200, 0.0]])
    try:
        with np.errstate(all="ignore"):
            f0, g0 = surface.value_and_grad(px, py)
            f1, gx1, gy1 = evaluate(px, py)
    except Exception:  # noqa: BLE001
        return None
    for a, b in ((f0, f1), (g0[0], gx1), (g0[1], gy1)):
        if not np.array_equal(np.asarray(a, dtype=float), b, equal_nan=True):
            return None
    return evaluate


def _needed(cses, outputs) -> set:
    """The CSE temporaries the outputs depend on (transitively)."""
    defs = dict(cses)
    need: set = set()
    stack = [s for e in outputs for s in e.free_symbols if s in defs]
    while stack:
        s = stack.pop()
        if s in need:
            continue
        need.add(s)
        stack.extend(t for t in defs[s].free_symbols if t in defs)
    return need


def _real(value, shape) -> np.ndarray:
    """As ``Surface``: scalars broadcast, complex -> NaN where the imaginary part is non-zero."""
    arr = np.asarray(value)
    if np.iscomplexobj(arr):
        arr = np.where(np.abs(arr.imag) > 0, np.nan, arr.real)
    arr = arr.astype(float, copy=False)
    return np.broadcast_to(arr, shape).copy() if arr.shape != shape else arr


# --- the loop --------------------------------------------------------------------------------
@dataclass
class _Block:
    """Starts that run together. Stopped starts are marked ``done`` and dropped at the next
    compaction (when a sixteenth of the block is done, or one diverged): until then they are
    computed along (cheaper than compacting at every step) but never recorded again."""

    idx: np.ndarray  # (n,) global start index
    theta: np.ndarray  # (2, n) coordinate-major
    state: dict
    last: np.ndarray | None = None  # (2, n) last step (coordinate-major view of delta)
    done: np.ndarray | None = None  # (n,) bool, None: none done
    n_done: int = 0
    dirty: bool = False  # a done start diverged (NaN/inf): compact now

    @property
    def live(self) -> int:
        return len(self.idx) - self.n_done

    def compact(self) -> None:
        if self.done is None:
            return
        keep = np.flatnonzero(~self.done)
        self.idx = self.idx[keep]
        self.theta = self.theta.take(keep, axis=1)
        self.state = {k: _take(v, keep) for k, v in self.state.items()}
        if self.last is not None:
            self.last = self.last.take(keep, axis=1)
        self.done, self.n_done, self.dirty = None, 0, False


def _take(value, keep: np.ndarray):
    """Rows ``keep`` (indices) of a state array shaped like params (n, 2), kept coordinate-major."""
    v = np.asarray(value)
    if v.ndim == 2 and v.shape[1] == 2:
        return v.T.take(keep, axis=1).T
    if v.ndim >= 1:
        return np.take(v, keep, axis=0)
    return value


def _concat(values):
    v0 = np.asarray(values[0])
    if v0.ndim == 2 and v0.shape[1] == 2:
        return np.concatenate([np.asarray(v).T for v in values], axis=1).T
    if v0.ndim >= 1:
        return np.concatenate(values, axis=0)
    return values[0]


def _merge(blocks: list[_Block], size: int) -> list[_Block]:
    """All blocks' live starts, re-split into as few blocks of at most ``size`` as possible."""
    for b in blocks:
        b.compact()
    idx = np.concatenate([b.idx for b in blocks])
    theta = np.concatenate([b.theta for b in blocks], axis=1)
    state = {k: _concat([b.state[k] for b in blocks]) for k in blocks[0].state}
    last = None if blocks[0].last is None else np.concatenate([b.last for b in blocks], axis=1)
    n = len(idx)
    parts = max(1, math.ceil(n / size))
    bounds = np.linspace(0, n, parts + 1).astype(int)
    out = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        sl = slice(a, b)
        out.append(_Block(idx[sl], np.ascontiguousarray(theta[:, sl]),
                          {k: _slice(v, sl) for k, v in state.items()},
                          None if last is None else np.ascontiguousarray(last[:, sl])))
    return out


def _slice(value, sl):
    v = np.asarray(value)
    if v.ndim == 2 and v.shape[1] == 2:
        return np.ascontiguousarray(v.T[:, sl]).T
    if v.ndim >= 1:
        return v[sl].copy()
    return value


@dataclass(frozen=True, eq=False)
class Ends:
    """Where each start of :func:`run_starts` stopped: ``end`` (N, 2), ``status`` (N,) 0 budget /
    1 converged / 2 diverged, ``stop`` (N,) the step it stopped at."""

    end: np.ndarray
    status: np.ndarray
    stop: np.ndarray


def run_starts(surface, optimizer: Optimizer, starts, steps: int, schedule=None, noise: GradientNoise | None = None,
               seed: int = 0, progress: Progress | None = None, block: int = BLOCK,
               progress_span: tuple[float, float] = (0.0, 1.0), threads: int = THREADS) -> Ends:
    """Run ``optimizer`` from every start ``(N, 2)`` with early stopping and keep only the ends.

    Without noise, start i ends where ``simulate(surface, optimizer, starts[i], steps, schedule,
    stop_at_tolerance=True)`` ends: the same point, status and stop step (bit for bit equal to
    ``simulate_many(..., stop_at_tolerance=True)``; ``simulate``'s one-start path evaluates the
    surface on Python floats and may differ from NumPy in the last bit).

    The starts are split into ``PARTS`` contiguous parts (when there are at least
    ``PARTS * MIN_PART``), run on up to ``threads`` threads (NumPy releases the GIL in its loops);
    ``progress`` is only called from the calling thread. With noise each part has its own stream,
    ``default_rng([seed, part])``: reproducible for the same arguments, whatever ``threads`` is.
    """
    starts = np.asarray(starts, dtype=float).reshape(-1, 2)
    n_all = len(starts)
    steps = min(max(int(steps), 0), MAX_STEPS)
    parts = PARTS if n_all >= PARTS * MIN_PART else 1
    bounds = np.linspace(0, n_all, parts + 1).astype(int)
    results: list = [None] * parts
    errors: list = []
    cancel = threading.Event()  # an error in one part (e.g. the caller's progress callback raising) stops the others
    evaluate = _lean_evaluator(surface) if n_all else None  # compiled once, before any thread starts

    def work(i, report):
        try:
            sl = slice(bounds[i], bounds[i + 1])
            rng = None
            if noise is not None:
                rng = np.random.default_rng([int(seed), i] if parts > 1 else int(seed))
            results[i] = _run_part(surface, evaluate, optimizer, starts[sl], steps, schedule, noise, rng, report,
                                   block, progress_span, cancel)
        except BaseException as err:  # noqa: BLE001 - re-raised in the calling thread
            errors.append(err)
            cancel.set()

    helpers = []
    if parts > 1 and threads > 1:
        for i in range(1, parts):
            t = threading.Thread(target=work, args=(i, None), name=f"basins-part-{i}", daemon=True)
            t.start()
            helpers.append(t)
        work(0, progress)
    else:
        for i in range(parts):
            work(i, progress if i == parts - 1 else None)
    for t in helpers:
        t.join()
    if errors:
        raise errors[0]
    if parts == 1:
        return results[0]
    return Ends(np.concatenate([r.end for r in results]), np.concatenate([r.status for r in results]),
                np.concatenate([r.stop for r in results]))


def _run_part(surface, evaluate, optimizer: Optimizer, starts: np.ndarray, steps: int, schedule, noise, rng,
              progress: Progress | None, block: int, progress_span: tuple[float, float],
              cancel: threading.Event | None = None) -> Ends | None:
    """The loop of :func:`run_starts` for one part, in one thread."""
    n_all = len(starts)
    end = np.full((n_all, 2), np.nan)
    status = np.zeros(n_all, dtype=np.int8)
    stop = np.full(n_all, steps, dtype=np.int64)
    if n_all == 0:
        return Ends(end, status, stop)
    schedule = Constant(optimizer.lr) if schedule is None else schedule
    update = optimizer.update
    need_h = optimizer.needs_hessian
    block = max(16, int(block))
    tol_g, tol_s = GRAD_TOL**2, STEP_TOL**2
    theta_all = np.ascontiguousarray(starts.T)
    blocks = []
    for a in range(0, n_all, block):
        theta = theta_all[:, a:a + block].copy()
        blocks.append(_Block(np.arange(a, min(a + block, n_all)), theta, optimizer.init(theta.T)))
    p0, p1 = progress_span
    every = max(1, steps // 40)
    with np.errstate(all="ignore"):
        for k in range(steps + 1):
            if cancel is not None and cancel.is_set():
                return None
            lr = float(schedule(k)) if k < steps else 0.0
            for b in blocks:
                theta = b.theta
                f, gx, gy = evaluate(theta[0], theta[1])
                done = b.done
                fin = None
                # NaN makes max/min/sum NaN, and every comparison with NaN is False.
                if not (theta.max() <= BOUND and theta.min() >= -BOUND and np.isfinite(f.sum())):
                    bad = ~((np.abs(theta) <= BOUND).all(axis=0) & np.isfinite(f))
                    if done is not None:
                        b.dirty = b.dirty or bool((bad & done).any())
                        bad &= ~done
                    if bad.any():
                        sel = b.idx[bad]
                        end[sel] = theta[:, bad].T
                        status[sel] = _DIVERGED
                        stop[sel] = k
                        fin = bad
                        b.dirty = True
                # |g|^2 <= GRAD_TOL^2 needs |gx| <= GRAD_TOL: when no |gx| is within twice that (fmin
                # skips NaN), no start can have met the tolerance and the full test is skipped.
                if k > 0 and np.fmin.reduce(np.abs(gx)) <= 2.0 * GRAD_TOL:
                    small = gx * gx + gy * gy <= tol_g
                    if small.any():
                        d = b.last
                        small &= d[0] * d[0] + d[1] * d[1] <= tol_s
                        if done is not None:
                            small &= ~done
                        if fin is not None:
                            small &= ~fin
                        if small.any():
                            sel = b.idx[small]
                            end[sel] = theta[:, small].T
                            status[sel] = _CONVERGED
                            stop[sel] = k
                            fin = small if fin is None else fin | small
                if k == steps:  # the budget is used up: every start still running ends here
                    rest = np.ones(len(b.idx), dtype=bool)
                    if done is not None:
                        rest &= ~done
                    if fin is not None:
                        rest &= ~fin
                    end[b.idx[rest]] = theta[:, rest].T  # status stays "budget", stop = steps
                    b.idx, b.done, b.n_done = b.idx[:0], None, 0
                    continue
                if fin is not None:
                    b.n_done += int(np.count_nonzero(fin))
                    b.done = fin if done is None else done | fin
                # --- one update: the optimizer's own function, on this block ------------------
                g = np.concatenate((gx, gy)).reshape(2, -1).T  # (n, 2) view of (2, n) memory
                if noise is not None:
                    g = g + noise.sample(rng, g.shape)
                hessian = np.moveaxis(surface.hessian(theta[0], theta[1]), (0, 1), (-2, -1)) if need_h else None
                delta, b.state = update(g, b.state, theta.T, lr, k, hessian)
                new = theta.T + delta
                b.theta = new.T if new.T.flags.c_contiguous else np.ascontiguousarray(new.T)
                b.last = delta.T
                if b.n_done and (b.dirty or 16 * b.n_done >= len(b.idx)):
                    b.compact()
            blocks = [b for b in blocks if b.live]
            if not blocks:
                break
            if len(blocks) > 1 and sum(b.live for b in blocks) <= (len(blocks) - 1) * block * 0.9:
                blocks = _merge(blocks, block)
            if progress is not None and k % every == 0:
                active = sum(b.live for b in blocks)
                progress(p0 + (p1 - p0) * (k + 1) / (steps + 1),
                         f"step {k + 1} of {steps}: {active} of {n_all} starts still moving")
    return Ends(end, status, stop)


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
    import surfaces  # lazy: optim does not need surfaces otherwise

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
