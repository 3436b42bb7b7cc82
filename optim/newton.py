r"""Damped Newton's method: the second-order step that treats every critical point alike.

.. math::
    \theta^{t+1} = \theta^{t} - \eta\, (H + \delta I)^{-1} g^{t}

with ``lr`` = eta (default 1: the full Newton step) and ``damping`` = delta added to the
diagonal. Newton jumps to the critical point of the local quadratic model, whatever its kind:
on ``x^2 - y^2`` it lands on the saddle in one step. That attraction to saddles is the lesson.

The 2x2 system is solved in closed form (Cramer's rule), vectorized over any number of starts.
Fallback: where ``H + delta I`` is singular (|det| <= 1e-12 times the squared size of its
entries, or not finite) the inverse does not exist, and that start takes a plain gradient step
``-eta g`` instead, so a flat point (e.g. the monkey saddle) does not produce NaN.
"""

from __future__ import annotations

import numpy as np

from .base import Optimizer

SINGULAR_RTOL = 1e-12


def solve_2x2(h: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve ``h @ x = g`` for stacks: ``h`` (..., 2, 2), ``g`` (..., 2).

    Returns ``(x, ok)``; ``ok`` is False where the matrix is (numerically) singular, and x
    there is NaN-free garbage the caller must replace."""
    a, b, c, d = h[..., 0, 0], h[..., 0, 1], h[..., 1, 0], h[..., 1, 1]
    with np.errstate(all="ignore"):
        det = a * d - b * c
        size = a * a + b * b + c * c + d * d
        ok = np.isfinite(det) & (np.abs(det) > SINGULAR_RTOL * size)
        safe = np.where(ok, det, 1.0)
        x = np.stack([(d * g[..., 0] - b * g[..., 1]) / safe, (a * g[..., 1] - c * g[..., 0]) / safe], axis=-1)
    return x, ok


def newton(lr: float = 1.0, damping: float = 0.0) -> Optimizer:
    """Damped Newton (see the module docstring). Needs the Hessian: ``update(..., hessian=H)``
    with H shaped ``params.shape + (2,)``."""
    if lr < 0 or damping < 0:
        raise ValueError("lr and damping must be non-negative")
    damping = float(damping)

    def init(params):
        return {}

    def update(grad, state, params, lr, step, hessian=None):
        if hessian is None:
            raise ValueError("newton needs the Hessian: pass hessian=")
        h = np.asarray(hessian, dtype=float)
        if damping:
            h = h + damping * np.eye(2)
        x, ok = solve_2x2(h, grad)
        direction = np.where(ok[..., None], x, grad)
        return -lr * direction, state

    return Optimizer(
        id="newton", name="Newton (damped)", hyperparams={"lr": lr, "damping": damping}, lr=lr,
        init=init, update=update, needs_hessian=True,
        latex=r"\theta^{t+1} = \theta^{t} - \eta\,\left(H + \delta I\right)^{-1} g^{t}",
        note="Jumps to the nearest critical point of the quadratic model: minimum, maximum or saddle alike.",
    )
