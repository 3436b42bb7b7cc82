"""What a figure draws: :class:`PathView` (one optimizer's run), :func:`frame_steps` (the steps
the animation frames show) and :func:`head_index` (where a path's head is at a step)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

STATUSES = ("converged", "diverged", "budget")
Window = tuple[float, float, float, float]


@dataclass(frozen=True, eq=False)
class PathView:
    """One optimizer's run, as the figures need it (steps 0..n, n = len(points) - 1).

    - ``points`` (n+1, 2), ``loss`` (n+1,), ``grad_norm`` (n+1,): at each iterate;
    - ``lr`` (n,), ``effective_step`` (n, 2): of each update (``effective_step[t] =
      points[t+1] - points[t]`` by default);
    - ``status``: "converged" | "diverged" | "budget"; ``stop_step``: the last step (default n).

    Paths may have different lengths: a path that stopped keeps its head at its last point.
    Non-finite points (after a divergence) are allowed; the head stays at the last finite point
    and a diverged path gets a red 'x' there. ``lr``/``grad_norm`` default to NaN (panel empty).
    """

    name: str
    color: str
    points: np.ndarray
    loss: np.ndarray
    lr: np.ndarray | None = None
    effective_step: np.ndarray | None = None
    grad_norm: np.ndarray | None = None
    status: str = "budget"
    stop_step: int | None = None
    dash: str = "solid"
    marker: str = "circle"

    def __post_init__(self):
        pts = np.asarray(self.points, dtype=float).reshape(-1, 2)
        n = len(pts) - 1
        if n < 0:
            raise ValueError(f"path {self.name!r} has no points")
        loss = np.asarray(self.loss, dtype=float).reshape(-1)
        if loss.shape != (n + 1,):
            raise ValueError(f"path {self.name!r}: loss has {loss.size} values for {n + 1} points")
        lr = np.full(n, np.nan) if self.lr is None else np.asarray(self.lr, dtype=float).reshape(-1)
        if self.effective_step is None:
            with np.errstate(all="ignore"):
                eff = np.diff(pts, axis=0)
        else:
            eff = np.asarray(self.effective_step, dtype=float).reshape(-1, 2)
        gn = np.full(n + 1, np.nan) if self.grad_norm is None else np.asarray(self.grad_norm, dtype=float).reshape(-1)
        if lr.shape != (n,) or eff.shape != (n, 2) or gn.shape != (n + 1,):
            raise ValueError(f"path {self.name!r}: lr {lr.shape}, effective_step {eff.shape}, grad_norm {gn.shape} "
                             f"do not fit {n + 1} points")
        if self.status not in STATUSES:
            raise ValueError(f"path {self.name!r}: status must be one of {STATUSES}, not {self.status!r}")
        stop = n if self.stop_step is None else int(self.stop_step)
        for attr, val in (("points", pts), ("loss", loss), ("lr", lr), ("effective_step", eff),
                          ("grad_norm", gn), ("stop_step", stop)):
            object.__setattr__(self, attr, val)

    @property
    def n_steps(self) -> int:
        return len(self.points) - 1

    @property
    def last_finite(self) -> int:
        """Index of the last point whose coordinates are finite (0 if none is)."""
        ok = np.flatnonzero(np.isfinite(self.points).all(axis=1))
        return int(ok[-1]) if ok.size else 0


def frame_steps(last_step: int, max_frames: int = 200) -> np.ndarray:
    """Steps shown by the animation frames: 0, s, 2s, ... and always ``last_step``; at most max_frames."""
    last_step = max(int(last_step), 0)
    max_frames = max(int(max_frames), 2)
    stride = max(1, math.ceil(last_step / (max_frames - 1)))
    steps = np.arange(0, last_step + 1, stride)
    if steps[-1] != last_step:
        steps = np.append(steps, last_step)
    return steps


def head_index(p: PathView, step: int) -> int:
    return min(int(step), p.stop_step, p.n_steps, p.last_finite)
