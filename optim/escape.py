r"""Saddle-point escape, as the lecture ("Critical Point") describes it. Pure NumPy, no Streamlit.

Near a critical point :math:`\theta'` (where :math:`g = 0`) the loss is its second-order Taylor
model

.. math::
    L(\theta) \approx L(\theta') + (\theta-\theta')^T g + \tfrac12 (\theta-\theta')^T H (\theta-\theta').

- If :math:`u` is an eigenvector of :math:`H` with eigenvalue :math:`\lambda < 0`, then
  :math:`L(\theta' + u) \approx L(\theta') + \tfrac12 \lambda \lVert u\rVert^2 < L(\theta')`:
  the lecture's escape step :math:`\theta = \theta' + u` (:func:`escape_step`).
- Gradient descent near the saddle is the linear map :math:`\delta_{t+1} = (I - \eta H)\,\delta_t`
  on the offset :math:`\delta = \theta - \theta'`: the component along the negative-curvature
  eigenvector grows by :math:`1 + \eta|\lambda_{\min}|` per step, the other one is multiplied by
  :math:`1 - \eta\lambda_{\max}` (:func:`predicted_distance`). Started exactly at the saddle,
  :math:`\delta = 0` stays 0: plain gradient descent never leaves.
- Gradient descent is locally stable around a point only if :math:`\eta < 2/\lambda_{\max}`
  (:func:`stability_bound`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from surfaces.atlas_types import sorted_eigh

from .request import NoiseSpec, RunRequest


@dataclass(frozen=True)
class LocalModel:
    """f, gradient, Hessian and its eigen-decomposition at one point.

    ``eigenvalues`` ascending; column k of ``eigenvectors`` belongs to eigenvalue k, with the sign
    fixed so that its first non-zero component is positive (the lecture's (1, 1)/sqrt(2))."""

    x: float
    y: float
    f: float
    grad: np.ndarray  # (2,)
    hessian: np.ndarray  # (2, 2), symmetric
    eigenvalues: np.ndarray  # (2,) ascending
    eigenvectors: np.ndarray  # (2, 2), columns

    @property
    def finite(self) -> bool:
        return bool(np.isfinite(self.f) and np.all(np.isfinite(self.grad)) and np.all(np.isfinite(self.hessian)))

    @property
    def lam_min(self) -> float:
        return float(self.eigenvalues[0])

    @property
    def lam_max(self) -> float:
        return float(self.eigenvalues[1])

    @property
    def v_min(self) -> np.ndarray:
        """Unit eigenvector of the smallest eigenvalue (the escape direction when it is < 0)."""
        return self.eigenvectors[:, 0].copy()

    def taylor(self, x, y) -> np.ndarray:
        """The second-order Taylor model around this point, vectorized over x and y."""
        return taylor_model(self.f, self.grad, self.hessian, (self.x, self.y), x, y)


# Ascending eigenvalues and unit eigenvectors (columns, first non-zero component > 0): the one
# sign-fixed decomposition, shared with the critical-point atlas so that the page's escape arrow
# and the atlas's escape direction can never disagree in sign.
eigen = sorted_eigh


def local_model(surface, x: float, y: float) -> LocalModel:
    """Evaluate ``surface`` (anything with f/grad/hessian like :class:`surfaces.Surface`) at (x, y)."""
    with np.errstate(all="ignore"):
        f = float(surface.f(x, y))
        g = np.asarray(surface.grad(x, y), dtype=float).reshape(2)
        H = np.asarray(surface.hessian(x, y), dtype=float).reshape(2, 2)
    H = 0.5 * (H + H.T)
    vals, vecs = eigen(H)
    return LocalModel(float(x), float(y), f, g, H, vals, vecs)


def taylor_model(f0: float, grad, hessian, center, x, y) -> np.ndarray:
    r""":math:`f_0 + d^T g + \tfrac12 d^T H d` with :math:`d = (x, y) - center`, vectorized."""
    g = np.asarray(grad, dtype=float).reshape(2)
    H = np.asarray(hessian, dtype=float).reshape(2, 2)
    dx = np.asarray(x, dtype=float) - center[0]
    dy = np.asarray(y, dtype=float) - center[1]
    return f0 + g[0] * dx + g[1] * dy + 0.5 * (H[0, 0] * dx * dx + 2 * H[0, 1] * dx * dy + H[1, 1] * dy * dy)


def stability_bound(hessian) -> float:
    r"""Largest learning rate for which gradient descent is locally stable: :math:`2/\lambda_{\max}`
    (inf when no eigenvalue is positive: no curvature to overshoot)."""
    vals, _ = eigen(hessian)
    lam = float(vals[1])
    return 2.0 / lam if np.isfinite(lam) and lam > 0 else math.inf


def escape_step(point, hessian, length: float = 1.0) -> tuple[np.ndarray, float]:
    r"""The lecture's escape: :math:`\theta = \theta' + u`, u = ``length`` times the unit eigenvector
    of the smallest eigenvalue. Returns (new point, predicted change of the loss
    :math:`\tfrac12 \lambda_{\min} \lVert u\rVert^2`, negative at a saddle).

    Raises ValueError when the Hessian has no negative eigenvalue (no descent direction of
    second order: a minimum, or a flat/degenerate point such as the monkey saddle)."""
    vals, vecs = eigen(hessian)
    if not (np.isfinite(vals[0]) and vals[0] < 0):
        raise ValueError("the Hessian has no negative eigenvalue: there is no escape direction of second order")
    u = float(length) * vecs[:, 0]
    return np.asarray(point, dtype=float).reshape(2) + u, 0.5 * float(vals[0]) * float(length) ** 2


def offset_direction(hessian, angle_deg: float) -> np.ndarray:
    """Unit vector at ``angle_deg`` from the escape eigenvector towards the other eigenvector."""
    _, vecs = eigen(hessian)
    a = math.radians(float(angle_deg))
    return math.cos(a) * vecs[:, 0] + math.sin(a) * vecs[:, 1]


def predicted_distance(eps: float, lr: float, eigenvalues, steps: int, angle_deg: float = 0.0) -> np.ndarray:
    r"""Distance from the saddle predicted by the linear model of gradient descent, t = 0..steps.

    The offset starts at length ``eps``, at ``angle_deg`` from the escape eigenvector:
    :math:`d_t = \varepsilon\sqrt{\cos^2\varphi\,(1+\eta|\lambda_{\min}|)^{2t} + \sin^2\varphi\,(1-\eta\lambda_{\max})^{2t}}`.
    With :math:`\varphi = 0` this is the lecture's :math:`\varepsilon(1+\eta|\lambda_{\min}|)^t`.
    """
    lam_min, lam_max = (float(v) for v in np.asarray(eigenvalues, dtype=float).reshape(2))
    t = np.arange(int(steps) + 1, dtype=float)
    a = math.radians(float(angle_deg))
    with np.errstate(over="ignore", invalid="ignore"):
        grow = math.cos(a) * (1.0 - lr * lam_min) ** t
        other = math.sin(a) * (1.0 - lr * lam_max) ** t
        return float(eps) * np.hypot(grow, other)


def growth_factor(lr: float, lam_min: float) -> float:
    r""":math:`1 + \eta|\lambda_{\min}|` (for :math:`\lambda_{\min} < 0`): the escape component's growth per step."""
    return 1.0 + float(lr) * abs(min(float(lam_min), 0.0))


def steps_to_escape(eps: float, lr: float, lam_min: float, distance: float) -> float:
    """Steps the lecture's formula needs to carry an offset ``eps`` out to ``distance`` (inf if it never grows)."""
    q = growth_factor(lr, lam_min)
    if q <= 1.0 or eps <= 0:
        return math.inf
    return max(0.0, math.log(distance / eps) / math.log(q))


def distance_from(points, center) -> np.ndarray:
    """Euclidean distance of each row of ``points`` (n, 2) from ``center``."""
    p = np.asarray(points, dtype=float).reshape(-1, 2)
    return np.hypot(p[:, 0] - float(center[0]), p[:, 1] - float(center[1]))


@dataclass(frozen=True)
class EscapeLab:
    """The lecture's saddle-escape experiment at a saddle ``center`` (the critical page's lab):
    six runs, in this order,

    (a) gradient descent started exactly at the saddle;
    (b) gradient descent from :math:`\\theta' + \\varepsilon\\, d(\\varphi)` (``offset_direction``);
    (c) the escape step :math:`\\theta' + u` along :math:`v_1`, then gradient descent (one step
        fewer: the escape step is step 1);
    (d) noisy gradient descent (noise ``noise``, ``seed``) started at the saddle;
    (e) lecture momentum from the same offset start as (b);
    (f) undamped Newton from :math:`\\theta' + n_{off}\\, d(\\varphi)`: it jumps back to the saddle.
    """

    center: tuple
    hessian: tuple
    lr: float
    steps: int
    eps: float
    angle: float
    escape_length: float
    newton_offset: float
    noise: float
    seed: int
    momentum: float

    KEYS = ("a", "b", "c", "d", "e", "f")

    @property
    def escape_start(self) -> np.ndarray:
        return escape_step(self.center, np.asarray(self.hessian), self.escape_length)[0]

    def requests(self) -> list:
        """The six runs as :class:`optim.request.RunRequest` s, (a) .. (f)."""
        c = np.asarray(self.center, float)
        d = offset_direction(np.asarray(self.hessian), self.angle)
        gd = (("lr", self.lr),)
        offset = tuple(c + self.eps * d)
        return [
            RunRequest("gd", gd, tuple(c), self.steps),
            RunRequest("gd", gd, offset, self.steps),
            RunRequest("gd", gd, tuple(self.escape_start), self.steps - 1),
            RunRequest("gd", gd, tuple(c), self.steps, noise=NoiseSpec(self.noise, 1), seed=self.seed),
            RunRequest("momentum", (("lr", self.lr), ("momentum", self.momentum)), offset, self.steps),
            RunRequest("newton", (("damping", 0.0), ("lr", 1.0)), tuple(c + self.newton_offset * d), self.steps),
        ]
