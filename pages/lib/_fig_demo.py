"""Small NumPy gradient-descent / heavy-ball loops that produce :class:`PathView` objects.

For the figure tests, the browser harness and the payload benchmark only: the real optimizer
engine is ``optim/``. Torch-form heavy ball: b = mu*b + g (b = g on the first step); theta -= lr*b.
"""

from __future__ import annotations

import numpy as np

from .figures import PALETTE, PathView


def descent_path(surface, start, *, lr: float, momentum: float = 0.0, n_steps: int = 200, name: str | None = None,
                 color: str | None = None, tol: float = 1e-10, blowup: float = 1e12) -> PathView:
    """Run GD (momentum=0) or heavy ball from ``start``; stops early on convergence or divergence."""
    theta = np.array(start, dtype=float)
    pts = [theta.copy()]
    f0, g = surface.value_and_grad(theta[0], theta[1])
    loss = [float(f0)]
    gn = [float(np.hypot(*g))]
    lrs, eff = [], []
    b = None
    status = "budget"
    for _t in range(n_steps):
        g = np.asarray(g, dtype=float)
        b = g.copy() if b is None else momentum * b + g
        step = -lr * (b if momentum else g)
        theta = theta + step
        pts.append(theta.copy())
        lrs.append(lr)
        eff.append(step)
        with np.errstate(all="ignore"):
            f, g = surface.value_and_grad(theta[0], theta[1])
        loss.append(float(f))
        gn.append(float(np.hypot(*g)) if np.all(np.isfinite(g)) else float("inf"))
        if not (np.all(np.isfinite(theta)) and np.isfinite(f)) or np.abs(theta).max() > blowup:
            status = "diverged"
            break
        if gn[-1] < tol and np.abs(step).max() < tol:
            status = "converged"
            break
    label = name or (f"GD lr={lr:g}" if not momentum else f"momentum {momentum:g} lr={lr:g}")
    return PathView(name=label, color=color or PALETTE[0], points=np.array(pts), loss=np.array(loss),
                    lr=np.array(lrs), effective_step=np.array(eff).reshape(-1, 2), grad_norm=np.array(gn),
                    status=status)


def demo_paths(surface, n_steps: int = 200, count: int = 4) -> list[PathView]:
    """A deterministic mix of GD and momentum runs from the surface's starts (cycled), in PALETTE colours."""
    starts = list(surface.starts) or [(1.0, 1.0)]
    span = max(surface.window[1] - surface.window[0], surface.window[3] - surface.window[2])
    lr = 1e-3 * (span / 10.0) ** 2 if surface.log_scale else 1e-2
    configs = [(lr, 0.0), (lr, 0.9), (lr * 3, 0.0), (lr * 0.5, 0.95), (lr * 2, 0.5), (lr * 0.3, 0.0)]
    out = []
    for k in range(count):
        a, mu = configs[k % len(configs)]
        start = np.array(starts[k % len(starts)]) + 0.15 * (k // len(starts))
        out.append(descent_path(surface, start, lr=a, momentum=mu, n_steps=n_steps, color=PALETTE[k % len(PALETTE)],
                                name=f"{'GD' if not mu else f'mom {mu:g}'} η={a:.2g} #{k + 1}"))
    return out
