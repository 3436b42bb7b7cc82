r"""Measurements on trajectories: the numbers a lesson's readout quotes and its tests assert.

Pure NumPy on :class:`optim.Trajectory` fields (no Streamlit). Indexing follows the
trajectory: ``points[k]`` is :math:`\theta^k` (k = 0 .. n) and row i of ``update``,
``seen_grad`` and ``lr`` belongs to update i, :math:`\theta^i \to \theta^{i+1}`. In the lecture's
momentum notation the movement of update i is :math:`m^{i+1}`, so :math:`m^t` = ``update[t-1]``
and :math:`\theta^t = \theta^{t-1} + m^t`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


# --- step sizes (warm-up) -----------------------------------------------------------------
def early_count(traj, first_fraction: float = 0.1) -> int:
    r"""How many updates "the first ``first_fraction`` of the run" is:
    :math:`K = \max(1, \lceil f\,N \rceil)` with N the run's step BUDGET (``requested_steps``, so a run that
    converged early is measured over the same K as one that did not), capped by the updates made
    (0 if none were made)."""
    made = len(traj.update)
    budget = int(getattr(traj, "requested_steps", 0) or made)
    return 0 if made == 0 else min(made, max(1, math.ceil(first_fraction * budget - 1e-9)))


def step_norms(traj) -> np.ndarray:
    r""":math:`\|\Delta\theta^i\| = \|\theta^{i+1} - \theta^i\|` for every update i (NaN if not finite)."""
    norms = np.linalg.norm(np.asarray(traj.update, dtype=float).reshape(-1, 2), axis=1)
    return np.where(np.isfinite(norms), norms, np.nan)


def largest_step(traj, first_fraction: float = 0.1) -> tuple[float, int]:
    r"""The largest step of the first updates and the update where it happened:

    .. math:: \max_{i < K} \|\theta^{i+1} - \theta^{i}\|,\qquad K = \max(1, \lceil f\, N \rceil)

    (N the step budget, see :func:`early_count`).

    Returns ``(size, i)``; ``(nan, -1)`` for a run without updates. A non-finite step (a blow-up)
    counts as infinitely large.
    """
    k = early_count(traj, first_fraction)
    if k == 0:
        return float("nan"), -1
    norms = step_norms(traj)[:k]
    norms = np.where(np.isnan(norms), np.inf, norms)
    i = int(np.argmax(norms))
    return float(norms[i]), i


def first_step_ratio(traj) -> np.ndarray:
    r"""The first update per coordinate in units of its learning rate,
    :math:`|\Delta\theta^0_j| / \eta_0`.

    torch's RMSprop starts :math:`v = 0` without bias correction, so
    :math:`v^0 = (1-\alpha) (g^0)^2` and :math:`|\Delta\theta^0_j| = \eta |g^0_j| / (\sqrt{1-\alpha}\,|g^0_j| + \epsilon)
    \approx \eta / \sqrt{1-\alpha}` = 10 lr at alpha 0.99; the lecture's :math:`\sigma^0 = |g^0|` gives 1;
    Adam's bias correction gives 1.
    """
    if len(traj.update) == 0 or traj.lr[0] == 0:
        return np.full(2, np.nan)
    return np.abs(np.asarray(traj.update[0], dtype=float)) / float(traj.lr[0])


def peak_loss(traj, first_fraction: float = 0.1) -> tuple[float, int]:
    r"""The highest loss among :math:`\theta^0 .. \theta^K` (K as in :func:`largest_step`) and where:
    a path thrown uphill by a large early step shows it here. Non-finite losses count as inf."""
    k = early_count(traj, first_fraction)
    loss = np.asarray(traj.loss[: k + 1], dtype=float)
    loss = np.where(np.isfinite(loss), loss, np.inf)
    i = int(np.argmax(loss))
    return float(loss[i]), i


def tail_loss(traj, last_fraction: float = 0.1) -> float:
    r"""Mean loss over the last :math:`\lceil f (n+1) \rceil` points: where a noisy run hovers
    at the end (one final point would be a lucky or unlucky draw)."""
    loss = np.asarray(traj.loss, dtype=float)
    k = max(1, math.ceil(last_fraction * len(loss) - 1e-9))
    return float(np.mean(loss[-k:]))


# --- where a path goes (momentum) ---------------------------------------------------------
def first_crossing(traj, threshold: float, axis: int = 0) -> int | None:
    r"""The first k with :math:`\theta^k_{axis}` on the other side of ``threshold`` than
    :math:`\theta^0_{axis}` (None if it never crosses). E.g. the step at which a path passes the
    x of a local minimum or of the ridge behind it."""
    coord = np.asarray(traj.points, dtype=float)[:, axis]
    side0 = np.sign(coord[0] - threshold)
    if side0 == 0:
        return None
    crossed = np.flatnonzero(np.sign(coord - threshold) == -side0)
    return int(crossed[0]) if crossed.size else None


def passes(traj, x_threshold: float, axis: int = 0) -> bool:
    """Whether the path ever crosses ``x_threshold`` (see :func:`first_crossing`)."""
    return first_crossing(traj, x_threshold, axis) is not None


def settled_basin(traj, minima: Sequence[Sequence[float]], tol: float = 0.1,
                  last_fraction: float = 0.1) -> int | None:
    r"""Index of the minimum in ``minima`` the run settled at, or None.

    Settled means: every point of the last :math:`\lceil f (n+1) \rceil` points is within ``tol``
    of the same minimum :math:`p_j` (:math:`\max_k \|\theta^k - p_j\| \le tol`). A run still
    travelling, orbiting or diverged gives None.
    """
    pts = np.asarray(traj.points, dtype=float)
    mins = np.asarray(minima, dtype=float).reshape(-1, 2)
    if mins.size == 0 or not np.all(np.isfinite(pts[-1])):
        return None
    k = max(1, math.ceil(last_fraction * len(pts) - 1e-9))
    tail = pts[-k:]
    dist = np.linalg.norm(tail[:, None, :] - mins[None, :, :], axis=-1).max(axis=0)
    j = int(np.argmin(dist))
    return j if dist[j] <= tol else None


def arrival_step(traj, point: Sequence[float], tol: float = 0.01) -> int | None:
    r"""The first k from which the path stays within ``tol`` of ``point``:
    :math:`\min\{k : \|\theta^j - p\| \le tol\ \forall j \ge k\}` (None if it does not end there)."""
    pts = np.asarray(traj.points, dtype=float)
    far = np.flatnonzero(~(np.linalg.norm(pts - np.asarray(point, dtype=float), axis=1) <= tol))
    if far.size and far[-1] == len(pts) - 1:
        return None
    return int(far[-1]) + 1 if far.size else 0


def path_gap(a, b) -> tuple[float, int | None]:
    r"""How far two runs drift apart: :math:`\max_k \|\theta^k_a - \theta^k_b\|` over their common
    steps, and the first k where the gap exceeds 1e-9 (None: identical to rounding)."""
    n = min(len(a.points), len(b.points))
    gap = np.linalg.norm(np.asarray(a.points[:n], float) - np.asarray(b.points[:n], float), axis=1)
    gap = np.where(np.isfinite(gap), gap, np.inf)
    apart = np.flatnonzero(gap > 1e-9)
    return float(gap.max(initial=0.0)), (int(apart[0]) if apart.size else None)


# --- the movement as a weighted sum of past gradients (momentum) ----------------------------
@dataclass(frozen=True)
class Decomposition:
    r"""The movement :math:`m^t` of one momentum run split into its past gradients.

    - ``index``: i = 0 .. t-1 (the gradients :math:`g^i` seen so far)
    - ``weights``: the scalar in front of each :math:`-g^i`
    - ``contributions``: ``-weights[:, None] * g^i``, shape (t, 2); their sum is ``movement``
    - ``movement``: :math:`\sum_i` contributions; ``actual``: the run's real :math:`m^t` (``update[t-1]``)
    - ``previous``: :math:`\lambda m^{t-1}`; ``gradient_step``: :math:`-\eta_{t-1} g^{t-1}` (lecture form),
      so ``previous + gradient_step`` is :math:`m^t` as well
    - ``origin``: :math:`\theta^{t-1}`, where the arrows start
    """

    t: int
    index: np.ndarray
    weights: np.ndarray
    contributions: np.ndarray
    movement: np.ndarray
    actual: np.ndarray
    previous: np.ndarray
    gradient_step: np.ndarray
    origin: np.ndarray


def movement_decomposition(traj, t: int, lam: float, eta: float | Sequence[float] | None = None,
                           form: str = "lecture") -> Decomposition:
    r"""Split the movement :math:`m^t` (t = 1 .. n) into the gradients :math:`g^0 .. g^{t-1}`.

    Lecture form (:math:`m^0 = 0,\ m^{t} = \lambda m^{t-1} - \eta_{t-1} g^{t-1}`), unrolled:

    .. math::
        m^{t} = -\sum_{i=0}^{t-1} \lambda^{\,t-1-i}\, \eta_i\, g^{i}
        \qquad (m^1 = -\eta g^0,\ m^2 = -\lambda\eta g^0 - \eta g^1, \dots)

    so gradient i has weight :math:`\lambda^{t-1-i}\eta_i`. torch's form (``form="torch"``,
    :math:`b^t = \lambda b^{t-1} + g^{t-1}`, :math:`\theta^t = \theta^{t-1} - \eta_{t-1} b^t`) scales
    the whole sum by the CURRENT lr: weight :math:`\lambda^{t-1-i}\eta_{t-1}`. With a constant lr
    the two are the same numbers.

    ``eta`` None uses the run's own per-step lr (``traj.lr``); a number means a constant lr. The
    gradients are the ones the optimizer saw (``seen_grad``, noisy if the run had noise).
    """
    n = len(traj.update)
    if not 1 <= t <= n:
        raise ValueError(f"t must be in 1 .. {n} (the movements of this run), not {t}")
    if form not in ("lecture", "torch"):
        raise ValueError("form must be 'lecture' or 'torch'")
    grads = np.asarray(traj.seen_grad[:t], dtype=float).reshape(t, 2)
    etas = np.asarray(traj.lr[:t], dtype=float) if eta is None else np.broadcast_to(
        np.asarray(eta, dtype=float), (t,)).astype(float)
    index = np.arange(t)
    decay = float(lam) ** (t - 1 - index)
    weights = decay * (etas if form == "lecture" else etas[t - 1])
    contributions = -weights[:, None] * grads
    movement = contributions.sum(axis=0)
    update = np.asarray(traj.update, dtype=float).reshape(-1, 2)
    actual = update[t - 1]
    if form == "lecture":
        previous = float(lam) * (update[t - 2] if t >= 2 else np.zeros(2))
        gradient_step = -etas[t - 1] * grads[t - 1]
    else:  # theta moves by -eta_{t-1} (lam b^{t-1} + g^{t-1})
        previous = movement + etas[t - 1] * grads[t - 1]
        gradient_step = -etas[t - 1] * grads[t - 1]
    return Decomposition(t=t, index=index, weights=weights, contributions=contributions, movement=movement,
                         actual=actual, previous=previous, gradient_step=gradient_step,
                         origin=np.asarray(traj.points[t - 1], dtype=float))
