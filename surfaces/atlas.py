"""Critical-point atlas: every stationary point of a surface in a window, classified.

    >>> import surfaces
    >>> atlas = surfaces.critical_points(surfaces.CATALOG["himmelblau"])
    >>> [p.kind for p in atlas.points]            # 4 minima, 4 saddles, 1 maximum
    >>> atlas.method, atlas.elapsed, atlas.notes

Two methods, merged:

1. **Exact algebra** (polynomial surfaces only): a lex Groebner basis of (df/dx, df/dy), exact
   real-root isolation of its univariate element, back-substitution; every isolated critical
   point is found. For large systems (Goldstein-Price, Beale: degree-7 gradients) the
   resultant res_x(df/dx, df/dy) replaces the basis (same guarantee, several times faster in
   SymPy); ``Atlas.method`` says which ran ("groebner" / "resultant"). A non-constant
   gcd(df/dx, df/dy) means a whole curve of critical points
   (the lecture's (1 - w1 w2)^2 has a valley of minima on w1 w2 = 1): it is reported as one
   :class:`CriticalCurve` per irreducible factor, traced inside the window. SymPy has no timeout,
   so the algebra runs in a separate, persistent child interpreter (``_atlas_worker.py``,
   started with ``subprocess``: a fresh interpreter, safe from Streamlit's threads) that is
   killed when a job overruns ``timeout`` seconds of its CPU time (read from /proc, so that a
   loaded machine does not change the answer) or ``WALL_FACTOR`` (2.5) times that in wall time; the Newton search then stands alone and a
   note says so.
2. **Multi-start Newton** (any surface): Levenberg-Marquardt-damped Newton on grad f = 0 with
   the exact Hessian, vectorized over a grid of seeds (24 x 24, refined to 48 x 48 and 96 x 96
   while new points keep appearing and time allows), fixed iteration count, step capped to a
   fifth of the window. Converged seeds are verified, deduplicated and classified. Many distinct
   converged points that are all degenerate with one zero eigenvalue and lie close together form
   a :class:`CriticalCurve` instead of hundreds of points. Newton is a search: on surfaces with
   hundreds of critical points (Rastrigin, Ackley over their full windows) it may miss some.

Non-smooth minima/maxima (Ackley's cone tip at the origin, where the gradient is undefined) are
found separately: zeros of the arguments of ``sqrt``/``abs``/fractional powers that are critical
points of that argument, classified by comparing f on a small ring around them (``source =
"nonsmooth"``, eigenvalues NaN).

Check: by the Poincare-Hopf theorem the indices of the isolated critical points (minimum and
maximum +1, saddle -1, a degenerate point its measured winding, e.g. -2 for the monkey saddle)
add up to the winding number of grad f around the window's boundary. ``Atlas.index_check``
records the result (a necessary condition: it catches a missing point, not a missing pair).

Classification tolerance (scale-aware): an eigenvalue counts as zero when
``|lambda| <= tol = max(EIG_TOL_REL * S, EIG_TOL * max|lambda|)`` with ``S`` the typical size of
the Hessian over the window (:func:`hessian_scale`: the median over a 17 x 17 grid of its
largest |eigenvalue|), ``EIG_TOL_REL = 1e-5`` and ``EIG_TOL = 1e-6``. A point found by a
numerical search is only known to some precision: at a degenerate point such as the monkey
saddle's (0, 0) a position error of 1e-7 already gives eigenvalues of +-1e-6, so an absolute
tolerance would call it a saddle. Both signs beyond the tolerance -> "saddle"; otherwise any
numerically-zero eigenvalue -> "degenerate"; else "minimum" (both > 0) or "maximum" (both < 0).
``Atlas.hessian_scale`` and ``Atlas.eig_tol`` record S and the tolerance; ``CriticalPoint.zero_tol``
the tolerance used for that point. Coordinates within 1e-12 of the window's diagonal from 0
are reported as exactly 0 when the gradient there is still zero (no 1.2e-21 in an export).

Results are cached (bounded LRU of 64, keyed by the expression's ``srepr``, the window and the
options), except a degraded answer: when the exact algebra was asked for but skipped (worker
busy or still starting), timed out or failed, ``Atlas.degraded`` is True, ``Atlas.degraded_reason``
says why ("busy", "starting", "timeout", "failed", "skipped") and the answer is not cached, so the next
call tries the algebra again. The algebra worker is ready once it has printed its ready line;
that line is read from the pipe whenever the worker is not yet known to be ready, however long
after its launch, so a worker that started long ago is never killed for being "late". It is
killed only when it died, when a job overruns its time limit, or when it has never said it is
ready although ``startup_timeout`` (default :data:`STARTUP_TIMEOUT`) has passed since its launch.
The worst case is bounded: ``timeout`` for the algebra (it overlaps the Newton search, which runs
meanwhile in this process; a first call waits at most another ``timeout`` for the worker to
start) plus about twice ``newton_budget`` for the seed refinement. Call :func:`warm_up` at app
start.
"""

from __future__ import annotations

import atexit
import collections
import threading
import time
from collections.abc import Callable

import numpy as np
import sympy as sp

from .algebra_client import AlgebraWorker, AsyncAlgebra
from .algebra_client import degraded_reason as algebra_degraded_reason
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
from .newton_search import dedup, grad_scale, polish, refine_search, snap_zero
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


# --- the algebra worker -----------------------------------------------------------------------
# One worker for the whole process (the app's pages share it). It lives here, not in the client
# module, so that the entry point owns it and tests can swap it: `monkeypatch.setattr(atlas, "_WORKER", w)`.
_WORKER = AlgebraWorker()
atexit.register(_WORKER.close)
_AlgebraWorker = AlgebraWorker  # the name tests and benchmarks have always used


def warm_up() -> None:
    """Start the algebra worker ahead of the first atlas (call at app start; never blocks)."""
    _WORKER.warm_up()


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
    if not points or xy.shape[1] == 0:
        return np.zeros(xy.shape[1], dtype=bool)
    q = np.array([[p.x, p.y] for p in points]).T
    d2 = (xy[0, :, None] - q[0, None, :]) ** 2 + (xy[1, :, None] - q[1, None, :]) ** 2
    return np.min(d2, axis=1) <= tol * tol




# The Poincare-Hopf check, under the name tests have always called.
_index_check = index_check


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


def _compute(surface, window, timeout, exact, seeds, newton_budget, progress) -> Atlas:
    t0 = time.perf_counter()
    # The Newton budget is CPU time of this thread: on a shared, loaded machine the answer does
    # not depend on the load (the wall time does).
    cpu0 = time.thread_time()
    report = progress or (lambda fraction, message: None)
    notes: list[str] = []
    diag = float(np.hypot(window[1] - window[0], window[3] - window[2]))
    dedup_tol = 1e-5 * diag

    algebra = None
    degraded_reason = ""
    if exact and surface.is_polynomial and timeout > 0:
        report(0.02, "exact algebra (Groebner basis) started")
        algebra = AsyncAlgebra(_WORKER, surface.expr, window, timeout)
    elif exact and surface.is_polynomial:
        notes.append("exact algebra skipped: no time allowed for it (timeout <= 0); Newton search used")
        degraded_reason = "skipped"
    elif exact and not surface.is_polynomial:
        notes.append("not a polynomial: exact algebra does not apply; Newton search used")
    scale = hessian_scale(surface, window)
    gtol = 1e-8 * max(1.0, grad_scale(surface, window))

    # Newton passes (run while the child computes)
    found_by_newton = refine_search(surface, window, seeds, newton_budget, cpu0, dedup_tol,
                                    stop_early=lambda: algebra is not None and algebra.succeeded(), report=report)
    found, found_g = found_by_newton.points, found_by_newton.grad_norms
    n, passes, new = found_by_newton.grid, found_by_newton.passes, found_by_newton.new_in_last_pass
    stopped_by_budget = found_by_newton.stopped_by_budget
    newton_incomplete = found_by_newton.maybe_incomplete

    if found.shape[1] > MAX_POINTS:
        order = np.argsort(found_g, kind="stable")[:MAX_POINTS]
        notes.append(f"more than {MAX_POINTS} critical points: only the {MAX_POINTS} with the smallest |grad| are listed")
        found, found_g = found[:, order], found_g[order]

    # Exact results
    exact_xy = np.zeros((2, 0))
    exact_curves: list[CriticalCurve] = []
    complete = False
    exact_algo = "groebner"
    algebra_cpu = None
    if algebra is not None:
        report(0.65, "waiting for the exact algebra")
        reply, note = algebra.join()
        if note:
            notes.append(note)
        if reply is None:
            degraded_reason = algebra_degraded_reason(note)
        else:
            if reply.get("constant"):
                notes.append("the gradient is identically zero: every point is critical")
            for c in reply.get("curves", []):
                cc = exact_curve(surface, c, window)
                if cc is not None:
                    exact_curves.append(cc)
            cand = np.array(reply.get("points", []), dtype=float).reshape(-1, 2).T
            if cand.shape[1]:
                pp, pg, ok = polish(surface, cand, window)
                moved = np.hypot(*(pp - cand)) <= 1e-3 * diag
                ok &= moved
                keep = dedup(pp[:, ok], pg[ok], dedup_tol)
                exact_xy = snap_zero(surface, pp[:, ok][:, keep], window, gtol)
            complete = bool(reply.get("zero_dimensional", False))
            exact_algo = str(reply.get("algorithm", "groebner"))
            algebra_cpu = float(reply.get("cpu", 0.0))
            for extra in reply.get("notes", []):
                notes.append("algebra: " + extra)
    report(0.8, "classifying")

    points: list[CriticalPoint] = []
    points.extend(_make_points(surface, exact_xy[:, ~_near_curves(exact_xy, exact_curves, dedup_tol)], "exact", scale))
    rest = found[:, ~_near_points(found, points, 100 * dedup_tol) & ~_near_curves(found, exact_curves, dedup_tol)]
    newton_points = _make_points(surface, snap_zero(surface, rest, window, gtol), "newton", scale)
    link = 2.5 * diag / np.sqrt(2) / max(seeds, 1)
    curves = list(exact_curves)
    if not exact_curves:
        ncurves, newton_points = newton_curves(surface, newton_points, link)
        curves.extend(ncurves)
    newton_extra = len(newton_points)
    if not complete and passes == 1 and stopped_by_budget:
        notes.append(f"Newton search: one pass of {n} x {n} seeds only (time budget); the list may be incomplete")
    elif not complete and newton_incomplete:
        notes.append(
            f"Newton still found {new} new point(s) in its last pass ({n} x {n} seeds"
            f"{', then the time budget ran out' if stopped_by_budget else ''}): the list may be incomplete"
        )
    if complete and newton_extra:
        notes.append(f"Newton found {newton_extra} point(s) the exact algebra did not: check them")
    points.extend(newton_points)

    # non-smooth extrema
    if not surface.is_polynomial and kink_arguments(surface.expr):
        report(0.9, "looking for non-smooth extrema")
        for k in nonsmooth_points(surface, window):
            if not _near_points(np.array([[k.x], [k.y]]), points, 100 * dedup_tol)[0]:
                points.append(k)
                notes.append(f"non-smooth {k.kind} at ({k.x:.6g}, {k.y:.6g}): the gradient is undefined there")

    order = {kind: rank for rank, kind in enumerate(POINT_KINDS)}
    points.sort(key=lambda p: (order.get(p.kind, len(order)), round(p.x, 9), round(p.y, 9)))
    used_exact = algebra is not None and (len(exact_xy.T) > 0 or complete or exact_curves)
    used_newton = newton_extra > 0 or any(c.source == "newton" for c in curves) or not used_exact
    method = "+".join(([exact_algo] if used_exact else []) + (["newton"] if used_newton else []))
    if any(c.source == "newton" for c in curves):
        notes.append("a non-isolated set of critical points was detected numerically and reported as a curve")
    index_ok, winding = None, None
    if not curves and not (not surface.is_polynomial and kink_arguments(surface.expr)):
        # (a kink makes grad f discontinuous: its winding number means nothing)
        index_ok, winding = index_check(surface, points, window)
        if index_ok is False:
            notes.append(
                f"index check failed: the indices of the points found do not add up to {winding}, the "
                "winding number of grad f around the window: some critical points are missing"
            )
    eig_tol = eigen_tolerance([], scale)
    elapsed = time.perf_counter() - t0
    report(1.0, f"done in {elapsed:.2f} s")
    return Atlas(tuple(points), tuple(curves), method, elapsed, tuple(notes), window, complete, index_ok, winding,
                 algebra_cpu, bool(degraded_reason), degraded_reason, scale, eig_tol)
