r"""Sideways bursts of a trajectory: the lecture's AdaGrad "爆走" in numbers (pure NumPy).

The lecture's AdaGrad divides by :math:`\sigma^t_i = \sqrt{\frac{1}{t+1}\sum_{k\le t}(g^k_i)^2}`.
After the path has settled into a valley floor, the cross-valley gradient :math:`g_y` is small,
so :math:`\sigma_y` shrinks like :math:`1/\sqrt{t}` and the step :math:`\eta/\sigma_y` grows until
the y-direction is unstable: the path jumps sideways, the large gradients it meets raise
:math:`\sigma_y`, and it settles again. :func:`find_bursts` finds those jumps.

Definition (``axis`` = the cross-valley coordinate, 1 = y). Let :math:`u_t = |\Delta\theta_t|` along
``axis`` for update t and :math:`|g_t|` the gradient there.

1. **Settled**: the first update t at which :math:`|g_t| \le` ``settle_frac`` :math:`\cdot\, |g_0|`
   (the path reached the valley floor). Nothing before it counts.
2. **Burst step**: an update t, at least ``history`` updates after settling, with
   :math:`u_t >` ``k`` :math:`\cdot` median(:math:`u_{t-w} .. u_{t-1}`), w = ``window``, over the
   updates since settling only, AND :math:`u_t >` ``min_frac`` :math:`\cdot` (the extent of the
   path along ``axis``), so numerical dust near a minimum never counts.
3. **Burst**: burst steps less than ``gap`` updates apart form one burst; it is reported at its
   first step and its size is its largest single sideways step :math:`\max u_t`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Bursts:
    steps: tuple[int, ...]  # first update of each burst
    sizes: tuple[float, ...]  # largest single sideways step |delta| within each burst
    settle_step: int | None  # first update at which the path had settled (None: never)

    @property
    def count(self) -> int:
        return len(self.steps)

    @property
    def largest(self) -> float:
        return max(self.sizes) if self.sizes else 0.0


def find_bursts(traj, axis: int = 1, *, k: float = 4.0, window: int = 50, history: int = 10,
                settle_frac: float = 0.1, min_frac: float = 0.01, gap: int = 5) -> Bursts:
    """The sideways bursts of ``traj`` (an ``optim.Trajectory``) along ``axis``; see the module text."""
    u = np.abs(np.asarray(traj.update, dtype=float)[:, axis])
    g = np.abs(np.asarray(traj.grad, dtype=float)[: len(u), axis])
    pts = np.asarray(traj.points, dtype=float)[:, axis]
    n = len(u)
    if n == 0 or not np.isfinite(g[0]):
        return Bursts((), (), None)
    below = np.flatnonzero(g <= settle_frac * g[0])
    below = below[below >= 1]
    if below.size == 0:
        return Bursts((), (), None)
    settle = int(below[0])
    fin = pts[np.isfinite(pts)]
    extent = float(np.ptp(fin)) if fin.size else 0.0
    floor = min_frac * extent
    hits: list[int] = []
    for t in range(settle + history, n):
        if not np.isfinite(u[t]):
            break
        base = np.median(u[max(settle, t - window): t])
        if u[t] > k * base and u[t] > floor:
            hits.append(t)
    steps: list[int] = []
    sizes: list[float] = []
    last = -gap
    for t in hits:
        if steps and t - last < gap:
            sizes[-1] = max(sizes[-1], float(u[t]))
        else:
            steps.append(t)
            sizes.append(float(u[t]))
        last = t
    return Bursts(tuple(steps), tuple(sizes), settle)


def sideways_bounces(traj, axis: int = 1) -> tuple[int, int, float]:
    """``(flips, updates, ratio)``: how often the step along ``axis`` changed sign (a bounce across
    the valley), out of how many updates, and the median of |u_{t+1}| / |u_t| (> 1: the bounces grow;
    for gradient descent on a quadratic with curvature h it is |1 - eta h|)."""
    d = np.asarray(traj.update, dtype=float)[:, axis]
    d = d[np.isfinite(d)]
    s = np.sign(d)
    flips = int(np.count_nonzero((s[1:] * s[:-1]) < 0))
    a = np.abs(d)
    with np.errstate(all="ignore"):
        r = a[1:] / a[:-1]
    r = r[np.isfinite(r) & (r > 0)]
    return flips, int(d.size), float(np.median(r)) if r.size else float("nan")


def max_difference(a, b) -> float:
    """Largest coordinate difference between two trajectories' points over their common steps."""
    pa, pb = np.asarray(a.points, dtype=float), np.asarray(b.points, dtype=float)
    n = min(len(pa), len(pb))
    return float(np.max(np.abs(pa[:n] - pb[:n]))) if n else float("nan")
