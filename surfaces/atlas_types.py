"""Critical-point results and their classification: the atlas's vocabulary (a leaf module).

It holds what every part of the atlas shares and imports nothing of it: the kind names, the
result types (:class:`CriticalPoint`, :class:`CriticalCurve`, :class:`Atlas`), the sign-fixed
symmetric eigen-decomposition (:func:`sorted_eigh`, also used by ``optim.escape``) and the
classification of a Hessian (:func:`classify`).

Classification tolerance (scale-aware): an eigenvalue counts as zero when
``|lambda| <= tol = max(EIG_TOL_REL * S, EIG_TOL * max|lambda|)`` with ``S`` the typical size of
the Hessian over the window (:func:`hessian_scale`: the median over a 17 x 17 grid of its
largest |eigenvalue|), ``EIG_TOL_REL = 1e-5`` and ``EIG_TOL = 1e-6``. A point found by a
numerical search is only known to some precision: at a degenerate point such as the monkey
saddle's (0, 0) a position error of 1e-7 already gives eigenvalues of +-1e-6, so an absolute
tolerance would call it a saddle. Both signs beyond the tolerance -> "saddle"; otherwise any
numerically-zero eigenvalue -> "degenerate"; else "minimum" (both > 0) or "maximum" (both < 0).
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # annotations only: at run time this module needs nothing but NumPy
    from .surface import Surface, Window

EIG_TOL = 1e-6  # relative to the point's own largest |eigenvalue| (conditioning)
EIG_TOL_REL = 1e-5  # relative to the Hessian's typical size over the window (hessian_scale)

# The kinds, spelled once: pages translate these exact strings, tests compare against them.
MINIMUM, MAXIMUM, SADDLE, DEGENERATE = "minimum", "maximum", "saddle", "degenerate"
MINIMUM_CURVE = "minimum (non-isolated)"  # a valley floor of minima (CriticalCurve.kind)
MAXIMUM_CURVE = "maximum (non-isolated)"  # a ridge of maxima
DEGENERATE_CURVE = "degenerate (non-isolated)"  # anything else along a curve
POINT_KINDS = (MINIMUM, SADDLE, MAXIMUM, DEGENERATE)  # the order points are listed in
CURVE_KINDS = (MINIMUM_CURVE, MAXIMUM_CURVE, DEGENERATE_CURVE)


# --- results --------------------------------------------------------------------------------
@dataclass(frozen=True)
class CriticalPoint:
    """An isolated critical point.

    ``eigenvalues`` ascending, shape (2,); ``eigenvectors`` shape (2, 2), column k belongs to
    eigenvalue k (sign fixed so that the first non-zero component is positive). For a saddle,
    ``eigenvectors[:, 0]`` is the escape direction (negative curvature). ``source`` is "exact"
    (Groebner basis), "newton" (multi-start search only) or "nonsmooth" (a kink: gradient
    undefined, eigenvalues NaN, kind from the values of f around it). ``zero_tol``: eigenvalues
    with ``|lambda| <= zero_tol`` were counted as zero (see :func:`eigen_tolerance`).
    """

    x: float
    y: float
    f: float
    eigenvalues: np.ndarray = field(compare=False)
    eigenvectors: np.ndarray = field(compare=False)
    kind: str
    source: str
    grad_norm: float = 0.0
    zero_tol: float = field(default=0.0, compare=False)

    @property
    def escape_direction(self) -> np.ndarray | None:
        """Unit direction of steepest negative curvature (saddles and maxima), else None; never
        from an eigenvalue that is zero within ``zero_tol``."""
        lam = self.eigenvalues[0]
        if np.isfinite(lam) and lam < -self.zero_tol and self.kind in (SADDLE, MAXIMUM):
            return self.eigenvectors[:, 0].copy()
        return None


@dataclass(frozen=True)
class CriticalCurve:
    """A non-isolated set of critical points (a valley floor or ridge), as one object.

    ``branches``: tuple of (n, 2) arrays, each an ordered polyline inside the window (a curve
    may cross the window several times, e.g. both branches of the hyperbola w1 w2 = 1).
    ``kind``: :data:`MINIMUM_CURVE`, :data:`MAXIMUM_CURVE` or :data:`DEGENERATE_CURVE`.
    ``equation``: the exact curve (e.g. "w1*w2 - 1 = 0") when the algebra found it, else "".
    """

    branches: tuple[np.ndarray, ...] = field(compare=False)
    f: float
    kind: str
    description: str
    equation: str = ""
    source: str = "exact"

    @property
    def points(self) -> np.ndarray:
        """All sample points, shape (n, 2)."""
        if not self.branches:
            return np.zeros((0, 2))
        return np.concatenate(self.branches, axis=0)

    @property
    def polyline(self) -> tuple[np.ndarray, np.ndarray]:
        """(xs, ys) with NaN between branches: ready for a line plot."""
        parts = []
        for b in self.branches:
            parts.extend([b, np.full((1, 2), np.nan)])
        arr = np.concatenate(parts[:-1], axis=0) if parts else np.zeros((0, 2))
        return arr[:, 0], arr[:, 1]


@dataclass(frozen=True)
class Atlas:
    points: tuple[CriticalPoint, ...]
    curves: tuple[CriticalCurve, ...]
    method: str  # "groebner", "resultant", "newton", or exact + "+newton" when Newton added something
    elapsed: float
    notes: tuple[str, ...]
    window: Window
    complete: bool  # True when the exact algebra certified the list of isolated points
    # Poincare-Hopf check: the indices of the points (minimum/maximum +1, saddle -1, degenerate
    # measured) add up to the winding number of grad f around the window's boundary. True /
    # False, or None when it does not apply (curves, kinks, grad f vanishing on the boundary).
    index_check: bool | None = None
    boundary_winding: int | None = None
    algebra_cpu: float | None = None  # CPU seconds the algebra child spent (None: it did not answer)
    # The exact algebra was asked for but not used (skipped, timed out or failed): the points come
    # from the Newton search only. Such an answer is never cached. The reason: "busy",
    # "starting", "timeout", "failed" or "skipped" (timeout <= 0); "" when not degraded. A note
    # says more.
    degraded: bool = False
    degraded_reason: str = ""
    # Classification: eigenvalues with |lambda| <= eig_tol count as zero; eig_tol = EIG_TOL_REL *
    # hessian_scale (the Hessian's typical size over the window), see eigen_tolerance().
    hessian_scale: float = 1.0
    eig_tol: float = EIG_TOL_REL

    def of_kind(self, kind: str) -> tuple[CriticalPoint, ...]:
        return tuple(p for p in self.points if p.kind == kind)

    @property
    def counts(self) -> dict[str, int]:
        return dict(collections.Counter(p.kind for p in self.points))

    def nearest(self, x: float, y: float) -> CriticalPoint | None:
        if not self.points:
            return None
        return min(self.points, key=lambda p: (p.x - x) ** 2 + (p.y - y) ** 2)


# --- classification --------------------------------------------------------------------------
def sorted_eigh(hessian) -> tuple[np.ndarray, np.ndarray]:
    """Ascending eigenvalues and unit eigenvectors (columns) of a symmetric 2x2 matrix.

    The matrix is symmetrized first; each eigenvector's sign is fixed so that its first non-zero
    component is positive (eigh's signs are arbitrary: a fixed sign keeps the lecture's
    (1, 1)/sqrt(2) and an escape arrow that does not flip between runs). A non-finite matrix
    gives NaN values and vectors."""
    H = np.asarray(hessian, dtype=float)
    H = 0.5 * (H + H.T)
    if not np.all(np.isfinite(H)):
        return np.full(2, np.nan), np.full((2, 2), np.nan)
    vals, vecs = np.linalg.eigh(H)
    for k in range(2):
        col = vecs[:, k]
        nz = np.flatnonzero(np.abs(col) > 1e-12)
        if nz.size and col[nz[0]] < 0:
            vecs[:, k] = -col
    return vals, vecs


def eigen_tolerance(eigenvalues, scale: float | None = None, tol: float = EIG_TOL, rel: float = EIG_TOL_REL) -> float:
    """Eigenvalues with ``|lambda| <=`` this count as zero.

    With ``scale`` (the Hessian's typical size over the window, :func:`hessian_scale`):
    ``max(rel * scale, tol * max|lambda|)``: zero relative to the surface's own curvature, so that
    a degenerate point located to a precision of 1e-7 (eigenvalues ~1e-6) is still degenerate.
    Without it (a Hessian alone): ``tol * max(1, max|lambda|)``."""
    vals = np.asarray(eigenvalues, dtype=float)
    big = float(np.max(np.abs(vals))) if vals.size and np.all(np.isfinite(vals)) else 0.0
    if scale is None or not np.isfinite(scale):
        return tol * max(1.0, big)
    return max(rel * float(scale), tol * big)


def classify(hessian: np.ndarray, tol: float = EIG_TOL, scale: float | None = None) -> tuple[np.ndarray, np.ndarray, str]:
    """Eigen-decomposition of a symmetric 2x2 Hessian and the kind of the critical point.

    An eigenvalue within :func:`eigen_tolerance` (``scale``: the Hessian's typical size over the
    window) of zero counts as zero: then the point is "degenerate" unless the other eigenvalues
    have both signs beyond it ("saddle")."""
    H = np.asarray(hessian, dtype=float)
    if not np.all(np.isfinite(H)):
        return np.full(2, np.nan), np.full((2, 2), np.nan), DEGENERATE
    vals, vecs = sorted_eigh(H)
    zero = eigen_tolerance(vals, scale, tol)
    neg, pos = vals < -zero, vals > zero
    if neg.any() and pos.any():
        kind = SADDLE
    elif not (neg | pos).all():
        kind = DEGENERATE
    else:
        kind = MINIMUM if pos.all() else MAXIMUM
    vals = vals + 0.0  # no -0.0
    vals.setflags(write=False)
    vecs.setflags(write=False)
    return vals, vecs, kind


def hessian_scale(surface: Surface, window: Window, n: int = 17) -> float:
    """Typical size of the Hessian over the window: the median over an n x n grid of its largest
    |eigenvalue| (the median, not the maximum, so that a steep corner of the window does not make
    real curvature elsewhere look like zero). Where the median is 0 (H = 0 over most of the
    window) the largest sample is used; 1.0 when no sample is finite or all are 0."""
    xmin, xmax, ymin, ymax = window
    X_, Y_ = np.meshgrid(np.linspace(xmin, xmax, n), np.linspace(ymin, ymax, n))
    with np.errstate(all="ignore"):
        H = np.asarray(surface.hessian(X_, Y_), dtype=float)
        a, b, c = (np.broadcast_to(H[i, j], X_.shape) for i, j in ((0, 0), (0, 1), (1, 1)))
        lam = np.abs(0.5 * (a + c)) + np.hypot(0.5 * (a - c), b)
    lam = lam[np.isfinite(lam)]
    if not lam.size:
        return 1.0
    med = float(np.median(lam))
    if med > 0:
        return med
    top = float(np.max(lam))
    return top if top > 0 else 1.0

