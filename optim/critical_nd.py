r"""Critical points of a real network's loss: descend to :math:`\lVert g\rVert \approx 0`, then read the Hessian.

The lecture (critical points): at a point where :math:`g = \nabla L = 0`,
:math:`L(\theta) \approx L(\theta') + \tfrac12 (\theta - \theta')^\top H (\theta - \theta')`, and the
signs of H's eigenvalues decide: all positive, a local minimum; mixed, a saddle. Its figure
plots, for many such points of a real network, the **minimum ratio**

.. math::
    \text{minimum ratio} = \frac{\#\{\text{positive eigenvalues of } H\}}{P}

(1 at a strict local minimum) and finds it mostly between 0.5 and 0.6: "local minima are rare".

**Descending to a critical point.** A training snapshot is not a critical point (the gradient
is small, not zero), so we solve :math:`g(\theta) = 0` by Newton's method on the gradient,
i.e. Gauss-Newton on :math:`\phi(\theta) = \tfrac12 \lVert g(\theta)\rVert^2` (whose Jacobian
of the residual g is H), damped (Levenberg-Marquardt) because H is singular near such points:

.. math::
    \Delta = -(H^2 + \mu I)^{-1} H g = -Q\, \mathrm{diag}\!\left(\frac{\lambda_j}{\lambda_j^2 + \mu}\right) Q^\top g,
    \qquad H = Q \Lambda Q^\top,

where every iteration tries a grid of dampings :math:`\mu` (relative to :math:`\max_j \lambda_j^2`;
one gradient each, the
eigendecomposition reused) and keeps the step that lowers :math:`\lVert g\rVert` most. Unlike
gradient descent this converges to saddles as readily as to minima: it finds the critical point
NEAR the snapshot, whatever its kind, when there is one.

**What happens on a real network** (measured on the 2-32-1 tanh net, see the tests): from a
plateau of training it converges in a few iterations to an exact saddle (||g|| ~ 1e-12). From
trained snapshots it usually does NOT: ||g|| falls 1.4-20x and then stalls in a *gradient-flat*
region, where more than 99 % of ||g||^2 lies along eigenvectors of H with
:math:`|\lambda| \le 10^{-3}\max|\lambda|` (g is not zero, but the Hessian cannot see it, so
no Newton step removes it; Frye et al. 2019 found the same on larger networks). Each result says
which of the two it is (``status``), and the minimum ratio is reported for both.

**Zero tolerance.** Such points have many eigenvalues that are zero up to rounding (directions
the data do not constrain: e.g. with N examples and P > N parameters the Gauss-Newton part
:math:`\frac1N J^\top J` has rank at most N). An eigenvalue counts as positive only when
:math:`\lambda > \tau \max_j |\lambda_j|`, negative when :math:`\lambda < -\tau \max_j|\lambda_j|`,
and zero otherwise; :math:`\tau` is the user's (default ``1e-6``), and the result reports all
three counts so the choice is visible. It matters: at the points of the tests the median ratio
is 0.61 with :math:`\tau = 10^{-6}` (and 10^-9), 0.30 with 10^-4 and 0.10 with 10^-3, because
most positive eigenvalues are tiny.

**Sharpness**: the top eigenvalue :math:`\lambda_{\max}(H)`, the curvature of the steepest
direction (gradient descent with lr :math:`\eta` is stable in it only while
:math:`\eta\, \lambda_{\max} < 2`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from surfaces.atlas_types import MAXIMUM, MINIMUM, SADDLE
from surfaces.network import single_blas_thread

DEFAULT_ZERO_TOL = 1e-6
GRAD_TOL = 1e-9


@dataclass(frozen=True, eq=False)
class Spectrum:
    """Eigenvalues of one Hessian (ascending) and their signs under the tolerance."""

    eigenvalues: np.ndarray
    tol: float  # relative: |lambda| <= tol * max|lambda| counts as zero

    @property
    def threshold(self) -> float:
        return self.tol * float(np.abs(self.eigenvalues).max(initial=0.0))

    @property
    def n_positive(self) -> int:
        return int(np.sum(self.eigenvalues > self.threshold))

    @property
    def n_negative(self) -> int:
        return int(np.sum(self.eigenvalues < -self.threshold))

    @property
    def n_zero(self) -> int:
        return len(self.eigenvalues) - self.n_positive - self.n_negative

    @property
    def minimum_ratio(self) -> float:
        """#positive / P (the lecture's definition: zero eigenvalues count in P, not as positive)."""
        return self.n_positive / len(self.eigenvalues)

    @property
    def sharpness(self) -> float:
        return float(self.eigenvalues[-1])

    @property
    def kind(self) -> str:
        """'minimum' (no negative eigenvalue: a minimum, or degenerate when zeros remain),
        'maximum' or 'saddle'."""
        if self.n_negative == 0:
            return MINIMUM
        if self.n_positive == 0:
            return MAXIMUM
        return SADDLE


def spectrum(H, tol: float = DEFAULT_ZERO_TOL) -> Spectrum:
    """Eigenvalues of the symmetric matrix ``H`` with the relative zero tolerance ``tol``."""
    H = np.asarray(H, dtype=float)
    return Spectrum(eigenvalues=np.linalg.eigvalsh(0.5 * (H + H.T)), tol=float(tol))


def minimum_ratio(eigenvalues, tol: float = DEFAULT_ZERO_TOL) -> float:
    """#(lambda > tol * max|lambda|) / len(eigenvalues)."""
    return Spectrum(np.sort(np.asarray(eigenvalues, dtype=float)), float(tol)).minimum_ratio


def sharpness(model, data, theta) -> float:
    """The top eigenvalue of the training loss's Hessian at ``theta``, exactly (full spectrum)."""
    H = model.hessian(theta, data.x_train, data.y_train)
    return float(np.linalg.eigvalsh(H)[-1])


@dataclass(frozen=True, eq=False)
class CriticalPointND:
    """Where :func:`descend_to_critical` ended.

    ``status``: "critical" (||g|| <= grad_tol), "gradient-flat" (stopped with at least
    ``FLAT_SHARE`` of ||g||^2 along eigenvectors whose |lambda| <= ``FLAT_REL`` max|lambda|:
    the gradient is not zero, but lies where the Hessian is ~0, so no Newton step can remove it;
    Frye et al. 2019 found such regions everywhere on network losses) or "stopped" (budget).
    ``flat_share`` is that share; ``path_grad_norm`` ||g|| per iteration.
    """

    theta: np.ndarray
    loss: float
    grad_norm: float
    start_loss: float
    start_grad_norm: float
    iterations: int
    status: str
    flat_share: float
    spectrum: Spectrum
    path_grad_norm: np.ndarray

    @property
    def converged(self) -> bool:
        return self.status == "critical"

    @property
    def minimum_ratio(self) -> float:
        return self.spectrum.minimum_ratio


FLAT_REL = 1e-3
FLAT_SHARE = 0.99
_MU_GRID = 10.0 ** np.arange(-14.0, 1.0, 2.0)  # damping, relative to max(lambda^2)


def _flat_share(lam: np.ndarray, gq: np.ndarray) -> float:
    total = float(gq @ gq)
    if total == 0.0:
        return 0.0
    small = np.abs(lam) <= FLAT_REL * np.abs(lam).max(initial=0.0)
    return float(gq[small] @ gq[small]) / total


def descend_to_critical(model, data, theta, *, grad_tol: float = GRAD_TOL, max_iter: int = 40,
                        zero_tol: float = DEFAULT_ZERO_TOL, patience: int = 5) -> CriticalPointND:
    r"""Newton on the gradient from ``theta`` (Levenberg-Marquardt on ||g||^2, see the module
    docstring) until ||g|| <= ``grad_tol``, or ``max_iter`` Hessians, or ``patience`` iterations
    in a row that cut ||g|| by less than 5 % (a gradient-flat region); then the spectrum there.

    Each iteration takes one Hessian and its eigendecomposition, then tries every damping
    :math:`\mu` of a grid (one gradient each, the decomposition reused) and keeps the step that
    lowers ||g|| most: a search over trust-region sizes for the price of a few gradients.
    Never raises for numeric trouble; ``status`` says how it ended.
    """
    X, Y = data.x_train, data.y_train
    theta = np.array(theta, dtype=float).reshape(-1)
    loss, g = model.loss_and_grad(theta, X, Y)
    start_loss, gn = float(loss), float(np.linalg.norm(g))
    start_gn = gn
    path = [gn]
    it = slow = 0
    with np.errstate(all="ignore"):
        H = model.hessian(theta, X, Y)
        while gn > grad_tol and it < max_iter and slow < patience and np.isfinite(gn):
            it += 1
            lam, Q = np.linalg.eigh(H)
            gq = Q.T @ g
            scale = float(np.max(lam * lam))
            best = None
            for mu in _MU_GRID:
                cand = theta - Q @ (lam / (lam * lam + mu * scale) * gq)
                c_loss, c_g = model.loss_and_grad(cand, X, Y)
                c_gn = float(np.linalg.norm(c_g))
                if np.isfinite(c_gn) and c_gn < gn and (best is None or c_gn < best[2]):
                    best = (cand, c_loss, c_gn, c_g)
            if best is None:
                break
            slow = slow + 1 if best[2] > 0.95 * gn else 0
            theta, loss, gn, g = best
            path.append(gn)
            H = model.hessian(theta, X, Y)
        lam, Q = np.linalg.eigh(H)
        share = _flat_share(lam, Q.T @ g)
    if gn <= grad_tol:
        status = "critical"
    elif share >= FLAT_SHARE:
        status = "gradient-flat"
    else:
        status = "stopped"
    return CriticalPointND(theta=theta, loss=float(loss), grad_norm=gn, start_loss=start_loss,
                           start_grad_norm=start_gn, iterations=it, status=status, flat_share=share,
                           spectrum=Spectrum(eigenvalues=lam, tol=float(zero_tol)), path_grad_norm=np.array(path))


@dataclass(frozen=True, eq=False)
class RatioSurvey:
    """:func:`minimum_ratio_survey`: one :class:`CriticalPointND` per snapshot, and summaries."""

    points: tuple[CriticalPointND, ...]
    zero_tol: float

    def ratios(self, status: str | None = None) -> np.ndarray:
        return np.array([p.minimum_ratio for p in self.points if status is None or p.status == status])

    def losses(self, status: str | None = None) -> np.ndarray:
        return np.array([p.loss for p in self.points if status is None or p.status == status])

    def count(self, status: str) -> int:
        return sum(p.status == status for p in self.points)


def minimum_ratio_survey(model, data, snapshots, *, zero_tol: float = DEFAULT_ZERO_TOL, **descend) -> RatioSurvey:
    """:func:`descend_to_critical` from every snapshot (rows of ``snapshots``), one BLAS thread."""
    with single_blas_thread():
        pts = tuple(descend_to_critical(model, data, th, zero_tol=zero_tol, **descend) for th in np.atleast_2d(snapshots))
    return RatioSurvey(points=pts, zero_tol=float(zero_tol))
