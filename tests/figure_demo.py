"""Test-only figure code: small NumPy gradient-descent / heavy-ball loops that produce
:class:`~pages.lib.figures.PathView` objects, and the naive race figure (the payload baseline).

For the figure tests, the browser harness (tests/browser/figure_app.py) and the payload
benchmark (benchmarks/bench_figure.py) only: the real optimizer engine is ``optim/``, the real
race figure :func:`pages.lib.figures.race_figure_spec`. Torch-form heavy ball: b = mu*b + g
(b = g on the first step); theta -= lr*b.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from pages.lib.figures import PALETTE, PathView, Window, colorbar_trace, iso_line_trace, surface_image


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


def naive_race_figure(xs, ys, Z, paths: Sequence[PathView], *, log_scale: bool, window: Window | None = None,
                      height: int = 620) -> go.Figure:
    """BENCHMARK BASELINE ONLY: the tutorial approach, one frame per step carrying every path
    so far as Python lists (decimal text). Payload grows with steps^2. Do not use in pages."""
    paths = list(paths)
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    if window is None:
        window = (float(xs[0]), float(xs[-1]), float(ys[0]), float(ys[-1]))
    last = max([p.n_steps for p in paths] or [0])
    traces = [colorbar_trace(Z, log_scale), iso_line_trace(xs, ys, Z, log_scale)]
    first = len(traces)
    for p in paths:
        traces.append(go.Scatter(x=p.points[:1, 0].tolist(), y=p.points[:1, 1].tolist(), mode="lines+markers",
                                 name=p.name, line=dict(color=p.color)))
    frames = []
    for s in range(last + 1):
        data = []
        for p in paths:
            h = min(s, p.n_steps)
            data.append(go.Scatter(x=p.points[: h + 1, 0].tolist(), y=p.points[: h + 1, 1].tolist()))
        frames.append(go.Frame(name=str(s), data=data, traces=list(range(first, first + len(paths)))))
    fig = go.Figure(data=traces, frames=frames)
    xmin, xmax, ymin, ymax = window
    fig.update_layout(
        height=height, xaxis=dict(range=[xmin, xmax]), yaxis=dict(range=[ymin, ymax]),
        images=[dict(source=surface_image(xs, ys, Z, log_scale), xref="x", yref="y", x=xmin, y=ymax,
                     sizex=xmax - xmin, sizey=ymax - ymin, sizing="stretch", layer="below")],
        updatemenus=[dict(type="buttons", buttons=[dict(label="Play", method="animate", args=[None, dict(
            frame=dict(duration=20, redraw=False), fromcurrent=True)])])],
    )
    return fig
