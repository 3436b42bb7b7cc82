r"""Mini-batch gradient noise: the optimizer sees :math:`\tilde g = g + \xi`,
:math:`\xi \sim \mathcal N(0, s^2 / B)` independently per coordinate and step.

``scale`` s is the per-example gradient spread and ``batch_size`` B the batch: a bigger batch
averages more examples, so the variance falls as 1/B (the lecture's small-vs-large batch story).
Draws come from ``np.random.default_rng(seed)``, one ``(..., 2)`` block per step in step order,
so the same seed gives the same run bit for bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GradientNoise:
    scale: float = 1.0
    batch_size: int = 1

    def __post_init__(self):
        if not (self.scale >= 0 and math.isfinite(self.scale)):
            raise ValueError("noise scale must be a finite number >= 0")
        if int(self.batch_size) < 1:
            raise ValueError("batch_size must be at least 1")

    @property
    def std(self) -> float:
        """Standard deviation of each coordinate of xi: s / sqrt(B)."""
        return self.scale / math.sqrt(int(self.batch_size))

    def sample(self, rng: np.random.Generator, shape) -> np.ndarray:
        """One step's xi (one draw of ``shape`` from ``rng``)."""
        return rng.normal(0.0, self.std, size=shape)

    def apply(self, grad: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return grad + self.sample(rng, np.shape(grad))
