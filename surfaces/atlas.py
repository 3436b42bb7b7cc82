"""Critical-point atlas: every stationary point of a surface in a window, classified.

    >>> import surfaces
    >>> atlas = surfaces.critical_points(surfaces.CATALOG["himmelblau"])
    >>> [p.kind for p in atlas.points]            # 4 minima, 4 saddles, 1 maximum
    >>> atlas.method, atlas.elapsed, atlas.notes

This module is the entry point: :func:`critical_points` runs the parts below, merges their
answers into one :class:`Atlas` and caches it. The parts, one module each:

- :mod:`.atlas_types`: the result types, the kind names and the classification of a Hessian.
- :mod:`.algebra_client` (child: ``_atlas_worker.py``): **exact algebra**, polynomial surfaces
  only. A lex Groebner basis of (df/dx, df/dy) (for large systems such as Goldstein-Price and
  Beale the resultant res_x(df/dx, df/dy), same guarantee, several times faster in SymPy;
  ``Atlas.method`` says which ran: "groebner" / "resultant"), exact real-root isolation and
  back-substitution: every isolated critical point is found. SymPy has no timeout, so this runs
  in a child process that is killed when a job overruns ``timeout`` seconds of its CPU time;
  the Newton search then stands alone and a note says so.
- :mod:`.newton_search`: **multi-start Newton** (any surface) on grad f = 0 from a grid of
  seeds, refined while new points keep appearing and the CPU budget allows. It runs in this
  process while the child computes, and cross-checks the exact list.
- :mod:`.critical_curves`: non-isolated critical sets (the lecture's (1 - w1 w2)^2 has a valley
  of minima on w1 w2 = 1) as one :class:`CriticalCurve` each, from the algebra (a non-constant
  gcd of the gradient) or from the Newton search (many degenerate points lying close together).
- :mod:`.nonsmooth_points`: kink minima and maxima where the gradient is undefined (Ackley's
  cone tip), which neither method above can see.
- :mod:`.index_check`: the Poincare-Hopf check recorded in ``Atlas.index_check``.

Merging: exact points first (those on an exact curve are dropped), then the Newton points that
are not near one of them nor on an exact curve; coordinates within 1e-12 of the window's diagonal
from 0 are reported as exactly 0 when the gradient there is still zero (no 1.2e-21 in an export).
Classification is scale-aware (``Atlas.hessian_scale``, ``Atlas.eig_tol``; see
:func:`eigen_tolerance`). Points are sorted by kind (:data:`POINT_KINDS`), then x, y.

Results are cached (bounded LRU of 64, keyed by the expression's ``srepr``, the window and the
options), except a degraded answer: when the exact algebra was asked for but skipped (worker
busy or still starting), timed out or failed, ``Atlas.degraded`` is True, ``Atlas.degraded_reason``
says why ("busy", "starting", "timeout", "failed", "skipped") and the answer is not cached, so the
next call tries the algebra again. The worst case is bounded: ``timeout`` for the algebra (it
overlaps the Newton search; a first call waits at most another ``timeout`` for the worker to
start) plus about twice ``newton_budget`` for the seed refinement. Call :func:`warm_up` at app start.
"""

from __future__ import annotations

import atexit
import collections
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .algebra_client import AlgebraWorker, AsyncAlgebra, degraded_reason
from .atlas_types import (
    CURVE_KINDS,
    DEGENERATE,
    DEGENERATE_CURVE,
    EIG_TOL,
    EIG_TOL_REL,
    MAXIMUM,
    MAXIMUM_CURVE,
    MINIMUM,
    MINIMUM_CURVE,
    POINT_KINDS,
    SADDLE,
    Atlas,
    CriticalCurve,
    CriticalPoint,
    classify,
    eigen_tolerance,
    hessian_scale,
    sorted_eigh,
)
from .critical_curves import exact_curve, newton_curves
from .index_check import index_check
from .newton_search import SearchResult, dedup, grad_scale, polish, refine_search, snap_zero
from .nonsmooth_points import kink_arguments, nonsmooth_points
from .surface import Surface, Window

DEFAULT_TIMEOUT = 2.0  # seconds for the exact algebra
NEWTON_BUDGET = 0.6  # CPU seconds: no refinement pass starts that would end after this
CACHE_SIZE = 64
MAX_POINTS = 1000  # a page cannot show more; also bounds the classification work

Progress = Callable[[float, str], None]

# The atlas's public names, wherever they live: `from surfaces.atlas import X` works for all of them.
__all__ = [
    "CURVE_KINDS", "DEFAULT_TIMEOUT", "DEGENERATE", "DEGENERATE_CURVE", "EIG_TOL", "EIG_TOL_REL", "MAXIMUM",
    "MAXIMUM_CURVE", "MINIMUM", "MINIMUM_CURVE", "NEWTON_BUDGET", "POINT_KINDS", "SADDLE", "Atlas", "CriticalCurve",
    "CriticalPoint", "Progress", "classify", "clear_cache", "critical_points", "eigen_tolerance", "hessian_scale",
    "sorted_eigh", "warm_up",
]

# --- the algebra worker -----------------------------------------------------------------------
# One worker for the whole process (the app's pages share it). It lives here, not in the client
# module, so that the entry point owns it and tests can swap it: `monkeypatch.setattr(atlas, "_WORKER", w)`.
_WORKER = AlgebraWorker()
atexit.register(_WORKER.close)

# Names tests and benchmarks have always reached for here.
_AlgebraWorker = AlgebraWorker
_index_check = index_check


def warm_up() -> None:
    """Start the algebra worker ahead of the first atlas (call at app start; never blocks)."""
    _WORKER.warm_up()


# --- cache and entry point --------------------------------------------------------------------
_CACHE: collections.OrderedDict[tuple, Atlas] = collections.OrderedDict()
_CACHE_LOCK = threading.Lock()


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()


def critical_points(
    surface: Surface,
    window: Window | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    exact: bool = True,
    seeds: int = 24,
    newton_budget: float = NEWTON_BUDGET,
    progress: Progress | None = None,
) -> Atlas:
    """All isolated critical points of ``surface`` in ``window`` (default ``surface.window``).

    - Polynomial surfaces (and ``exact=True``): lex Groebner basis in a child process, killed
      after ``timeout`` seconds; a non-constant gcd of the gradient gives :class:`CriticalCurve`
      objects. The Newton search always runs too (concurrently) and is merged in.
    - Any surface: multi-start damped Newton on grad f = 0 from a ``seeds`` x ``seeds`` grid,
      refined (x2, x4) while new points appear and ``newton_budget`` CPU seconds are not used up
      (CPU, not wall time, so that the answer does not depend on the machine's load).

    Kinds: "minimum", "maximum", "saddle", "degenerate"; an eigenvalue counts as zero when
    ``|lambda| <= Atlas.eig_tol`` (``EIG_TOL_REL`` times the Hessian's typical size over the
    window, see :func:`eigen_tolerance`). Points are sorted by (kind, x, y).
    ``progress(fraction, message)`` is called as the work advances. Cached, except a degraded
    answer (``Atlas.degraded``: the exact algebra was asked for and skipped, timed out or failed).
    """
    window = tuple(float(v) for v in (window or surface.window))
    if not (window[0] < window[1] and window[2] < window[3]) or not all(np.isfinite(window)):
        raise ValueError("The window must be (xmin, xmax, ymin, ymax) with xmin < xmax and ymin < ymax.")
    key = (sp.srepr(surface.expr), window, float(timeout), bool(exact), int(seeds), float(newton_budget))
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
    if hit is not None:
        if progress:
            progress(1.0, "done (cached)")
        return hit
    atlas = _compute(surface, window, timeout, exact, seeds, newton_budget, progress)
    if atlas.degraded:
        return atlas  # the algebra was skipped, timed out or failed: the next call tries again
    with _CACHE_LOCK:
        _CACHE[key] = atlas
        _CACHE.move_to_end(key)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return atlas


# --- the computation, step by step --------------------------------------------------------------
def _compute(surface, window, timeout, exact, seeds, newton_budget, progress) -> Atlas:
    t0 = time.perf_counter()
    # The Newton budget is CPU time of this thread: on a shared, loaded machine the answer does
    # not depend on the load (the wall time does).
    cpu0 = time.thread_time()
    report = progress or (lambda fraction, message: None)
    notes: list[str] = []  # every step appends what the user should know, in this order
    diag = float(np.hypot(window[1] - window[0], window[3] - window[2]))
    dedup_tol = 1e-5 * diag

    algebra, skipped = _start_algebra(surface, window, timeout, exact, notes, report)
    scale = hessian_scale(surface, window)
    gtol = 1e-8 * max(1.0, grad_scale(surface, window))
    # Newton passes (run while the child computes)
    search = refine_search(surface, window, seeds, newton_budget, cpu0, dedup_tol,
                           stop_early=lambda: algebra is not None and algebra.succeeded(), report=report)
    found = _at_most_max_points(search, notes)
    answer = _exact_answer(surface, window, algebra, gtol, dedup_tol, notes, report)
    report(0.8, "classifying")
    points, curves, newton_extra = _merge(surface, window, found, answer, seeds, scale, gtol, dedup_tol)
    notes.extend(_search_notes(search, answer.complete, newton_extra))
    if _has_kinks(surface):
        report(0.9, "looking for non-smooth extrema")
        _add_nonsmooth(surface, window, points, dedup_tol, notes)

    order = {kind: rank for rank, kind in enumerate(POINT_KINDS)}
    points.sort(key=lambda p: (order.get(p.kind, len(order)), round(p.x, 9), round(p.y, 9)))
    method = _method(algebra is not None, answer, newton_extra, curves)
    if any(c.source == "newton" for c in curves):
        notes.append("a non-isolated set of critical points was detected numerically and reported as a curve")
    index_ok, winding = _check_indices(surface, window, points, curves, notes)
    eig_tol = eigen_tolerance([], scale)
    elapsed = time.perf_counter() - t0
    report(1.0, f"done in {elapsed:.2f} s")
    reason = skipped or answer.degraded_reason
    return Atlas(tuple(points), tuple(curves), method, elapsed, tuple(notes), window, answer.complete, index_ok, winding,
                 answer.cpu, bool(reason), reason, scale, eig_tol)


def _start_algebra(surface, window, timeout, exact, notes, report) -> tuple[AsyncAlgebra | None, str]:
    """Send a polynomial to the algebra worker (it runs while the Newton search does); else say why
    not. Returns (the running job or None, "skipped" when the algebra was asked for but given no time)."""
    if exact and surface.is_polynomial and timeout > 0:
        report(0.02, "exact algebra (Groebner basis) started")
        return AsyncAlgebra(_WORKER, surface.expr, window, timeout), ""
    if exact and surface.is_polynomial:
        notes.append("exact algebra skipped: no time allowed for it (timeout <= 0); Newton search used")
        return None, "skipped"
    if exact:
        notes.append("not a polynomial: exact algebra does not apply; Newton search used")
    return None, ""


def _at_most_max_points(search: SearchResult, notes) -> np.ndarray:
    """The Newton points (2, k), at most MAX_POINTS of them: those with the smallest |grad|."""
    found, found_g = search.points, search.grad_norms
    if found.shape[1] > MAX_POINTS:
        order = np.argsort(found_g, kind="stable")[:MAX_POINTS]
        notes.append(f"more than {MAX_POINTS} critical points: only the {MAX_POINTS} with the smallest |grad| are listed")
        found = found[:, order]
    return found


@dataclass(frozen=True)
class _ExactAnswer:
    """What the algebra contributed (all empty when it did not run or gave no answer)."""

    points: np.ndarray  # (2, k) polished, verified, deduplicated
    curves: tuple[CriticalCurve, ...] = ()
    complete: bool = False  # the algebra certified the list of isolated points
    algorithm: str = "groebner"
    cpu: float | None = None  # CPU seconds the child spent
    degraded_reason: str = ""  # why there is no answer although the algebra ran


def _exact_answer(surface, window, algebra, gtol, dedup_tol, notes, report) -> _ExactAnswer:
    """Wait for the algebra job, then polish its candidate points with Newton (they are
    approximate) and keep those that stay put and are critical; trace its curves."""
    if algebra is None:
        return _ExactAnswer(np.zeros((2, 0)))
    report(0.65, "waiting for the exact algebra")
    reply, note = algebra.join()
    if note:
        notes.append(note)
    if reply is None:
        return _ExactAnswer(np.zeros((2, 0)), degraded_reason=degraded_reason(note))
    if reply.get("constant"):
        notes.append("the gradient is identically zero: every point is critical")
    curves = [c for c in (exact_curve(surface, c, window) for c in reply.get("curves", [])) if c is not None]
    xy = np.zeros((2, 0))
    cand = np.array(reply.get("points", []), dtype=float).reshape(-1, 2).T
    if cand.shape[1]:
        diag = float(np.hypot(window[1] - window[0], window[3] - window[2]))
        pp, pg, ok = polish(surface, cand, window)
        ok &= np.hypot(*(pp - cand)) <= 1e-3 * diag  # a candidate Newton carried away was not this point
        keep = dedup(pp[:, ok], pg[ok], dedup_tol)
        xy = snap_zero(surface, pp[:, ok][:, keep], window, gtol)
    for extra in reply.get("notes", []):
        notes.append("algebra: " + extra)
    return _ExactAnswer(xy, tuple(curves), bool(reply.get("zero_dimensional", False)),
                        str(reply.get("algorithm", "groebner")), float(reply.get("cpu", 0.0)))


def _merge(surface, window, found, answer: _ExactAnswer, seeds, scale, gtol, dedup_tol):
    """Classified points and curves from both methods: exact points off the exact curves, then
    the Newton points that are new (not near an exact point nor on an exact curve). Without exact
    curves, Newton points that form a curve become one. Returns (points, curves, how many points
    Newton added)."""
    exact_xy, exact_curves = answer.points, list(answer.curves)
    points = _make_points(surface, exact_xy[:, ~_near_curves(exact_xy, exact_curves, dedup_tol)], "exact", scale)
    rest = found[:, ~_near_points(found, points, 100 * dedup_tol) & ~_near_curves(found, exact_curves, dedup_tol)]
    newton_points = _make_points(surface, snap_zero(surface, rest, window, gtol), "newton", scale)
    curves = list(exact_curves)
    if not exact_curves:
        diag = float(np.hypot(window[1] - window[0], window[3] - window[2]))
        link = 2.5 * diag / np.sqrt(2) / max(seeds, 1)  # ~2.5 seed spacings of the first pass
        ncurves, newton_points = newton_curves(surface, newton_points, link)
        curves.extend(ncurves)
    return points + newton_points, curves, len(newton_points)


def _search_notes(search: SearchResult, complete: bool, newton_extra: int) -> list[str]:
    """What the user should know about how far the Newton search got."""
    n = search.grid
    if not complete and search.passes == 1 and search.stopped_by_budget:
        notes = [f"Newton search: one pass of {n} x {n} seeds only (time budget); the list may be incomplete"]
    elif not complete and search.maybe_incomplete:
        notes = [f"Newton still found {search.new_in_last_pass} new point(s) in its last pass ({n} x {n} seeds"
                 f"{', then the time budget ran out' if search.stopped_by_budget else ''}): the list may be incomplete"]
    else:
        notes = []
    if complete and newton_extra:
        notes.append(f"Newton found {newton_extra} point(s) the exact algebra did not: check them")
    return notes


def _has_kinks(surface) -> bool:
    return not surface.is_polynomial and bool(kink_arguments(surface.expr))


def _add_nonsmooth(surface, window, points: list[CriticalPoint], dedup_tol, notes) -> None:
    """Append the kink extrema that are not already listed, with a note for each."""
    for k in nonsmooth_points(surface, window):
        if not _near_points(np.array([[k.x], [k.y]]), points, 100 * dedup_tol)[0]:
            points.append(k)
            notes.append(f"non-smooth {k.kind} at ({k.x:.6g}, {k.y:.6g}): the gradient is undefined there")


def _method(asked_algebra: bool, answer: _ExactAnswer, newton_extra: int, curves) -> str:
    """Atlas.method: the exact algorithm ("groebner" / "resultant"), "newton", or both joined by
    "+" when each contributed."""
    used_exact = asked_algebra and (answer.points.shape[1] > 0 or answer.complete or bool(answer.curves))
    used_newton = newton_extra > 0 or any(c.source == "newton" for c in curves) or not used_exact
    return "+".join(([answer.algorithm] if used_exact else []) + (["newton"] if used_newton else []))


def _check_indices(surface, window, points, curves, notes) -> tuple[bool | None, int | None]:
    """The Poincare-Hopf check, where it applies: not with curves (their points are not isolated)
    and not with kinks (grad f is discontinuous there: its winding number means nothing)."""
    if curves or _has_kinks(surface):
        return None, None
    index_ok, winding = index_check(surface, points, window)
    if index_ok is False:
        notes.append(
            f"index check failed: the indices of the points found do not add up to {winding}, the "
            "winding number of grad f around the window: some critical points are missing"
        )
    return index_ok, winding


# --- merging helpers ---------------------------------------------------------------------------
def _make_points(surface: Surface, xy: np.ndarray, source: str, scale: float | None = None) -> list[CriticalPoint]:
    """Classified points for the columns of xy (2, k), from one vectorized evaluation; ``scale``:
    the Hessian's typical size over the window (for the zero tolerance of the eigenvalues)."""
    if xy.shape[1] == 0:
        return []
    with np.errstate(all="ignore"):
        fv = surface.f(xy[0], xy[1])
        g = surface.grad(xy[0], xy[1])
        H = surface.hessian(xy[0], xy[1])
    gn = np.hypot(g[0], g[1])
    out = []
    for k in range(xy.shape[1]):
        vals, vecs, kind = classify(H[:, :, k], scale=scale)
        out.append(CriticalPoint(float(xy[0, k]), float(xy[1, k]), float(fv[k]), vals, vecs, kind, source, float(gn[k]),
                                 eigen_tolerance(vals, scale)))
    return out


def _near_curves(xy: np.ndarray, curves: list[CriticalCurve], tol: float) -> np.ndarray:
    """Boolean per column of xy (2, k): lies on one of the curves (within a sampling gap)."""
    near = np.zeros(xy.shape[1], dtype=bool)
    for c in curves:
        for pts in c.branches:
            gap = np.max(np.hypot(*np.diff(pts, axis=0).T)) if len(pts) > 1 else 0.0
            d2 = (xy[0, :, None] - pts[None, :, 0]) ** 2 + (xy[1, :, None] - pts[None, :, 1]) ** 2
            near |= np.min(d2, axis=1) <= max(tol, 0.75 * gap) ** 2
    return near


def _near_points(xy: np.ndarray, points: list[CriticalPoint], tol: float) -> np.ndarray:
    """Boolean per column of xy (2, k): within ``tol`` of one of the points."""
    if not points or xy.shape[1] == 0:
        return np.zeros(xy.shape[1], dtype=bool)
    q = np.array([[p.x, p.y] for p in points]).T
    d2 = (xy[0, :, None] - q[0, None, :]) ** 2 + (xy[1, :, None] - q[1, None, :]) ** 2
    return np.min(d2, axis=1) <= tol * tol
