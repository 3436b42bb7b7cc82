r"""The fast loop behind basin maps: run many starts with early stopping, keep only the ends.

One job: :func:`run_starts` runs an optimizer from every start of an (N, 2) array under the
rules of :func:`optim.simulate` with ``stop_at_tolerance=True`` (a start stops at the first
point where it diverges, or where |g| and the last step are both <= 1e-8, or after ``steps``
updates) and returns where, how and when each stopped (:class:`Ends`); its gradients come from
a compiled f-and-gradient evaluator (:func:`_lean_evaluator`). Turning ends into maps is
:mod:`optim.basins`.

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
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from surfaces.surface import FormulaPrinter  # the printer Surface compiles with

from .base import Optimizer
from .noise import GradientNoise
from .schedules import Constant
from .simulate import BOUND, GRAD_TOL, MAX_STEPS, STEP_TOL

BLOCK = 4096  # starts per block: NumPy temporaries of (2, BLOCK) float64 stay small (see the module docstring)
PARTS = 2  # the starts are split in this many parts, each with its own loop (and noise stream)
MIN_PART = 2048  # ... when each part gets at least this many starts
THREADS = 2  # parts run on up to this many threads (the project machine has two cores)

Progress = Callable[[float, str], None]

_BUDGET, _CONVERGED, _DIVERGED = 0, 1, 2  # Ends.status


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
                          printer=FormulaPrinter({"fully_qualified_modules": False, "inline": True,
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
