r"""Small synthetic data sets with a two-parameter model: a loss that is a MEAN over examples.

The lecture's batch section is about the fact that the error surface is an average,

.. math::
    L(w) = \frac{1}{N} \sum_{i=1}^{N} \ell_i(w), \qquad w = (w_1, w_2),

and that a mini-batch :math:`\mathcal{B}` sees only :math:`L_{\mathcal{B}}(w) = \frac{1}{|\mathcal{B}|}
\sum_{i \in \mathcal{B}} \ell_i(w)`: a different surface for every batch ("small batch size
corresponds to more loss functions"). A :class:`Dataset` therefore offers two views:

- ``surface``: the full-batch loss L as an ordinary :class:`~surfaces.Surface` (exact gradient,
  Hessian, known critical points), so the figures and the critical-point tools work on it. Its
  SymPy expression is built from our own symbols ``X, Y`` and the data's numbers: no user text
  is ever parsed here.
- ``example_losses(w, idx)`` / ``example_grads(w, idx)``: every example's loss and gradient,
  vectorized over points ``w (..., 2)`` and examples ``idx``; compiled ONCE with ``lambdify``
  over data arrays (one symbolic per-example loss, evaluated on arrays of inputs and targets).

The full-batch gradient used by the mini-batch simulator is ``batch_grad(w, arange(N))``, the
mean of the per-example gradients (same code path as any batch), so "B = N" is full-batch
gradient descent bit for bit. It agrees with ``surface.grad`` up to rounding.

Two data sets (``DATASETS``):

``linreg`` (convex)
    Linear regression :math:`\hat y = w_1 x + w_2` on N = 32 points :math:`y = 1.5 x - 0.5 +
    \text{noise}`, squared error :math:`\ell_i = (w_1 x_i + w_2 - y_i)^2`. One minimum (least
    squares); mini-batches only add noise around it.

``pca`` (non-convex, saddles where the examples disagree)
    A one-neuron linear autoencoder with tied weights (Oja's neuron; Baldi & Hornik 1989): the
    code is :math:`p_i = w \cdot z_i`, the reconstruction :math:`p_i w`, and

    .. math::
        \ell_i(w) = \lVert z_i - (w\cdot z_i)\, w \rVert^2
                  = \lVert z_i\rVert^2 - 2 p_i^2 + \lVert w\rVert^2 p_i^2 .

    The N = 32 points :math:`z_i = (x_i, y_i)` are 8 random points and their mirror images
    :math:`(\pm x, \pm y)`, scaled so that :math:`C = \frac1N\sum z_i z_i^\top = \mathrm{diag}(a, b)`
    with :math:`a = 1 > b = 0.25` (wide in x, narrow in y). Then
    :math:`L(w) = a + b - 2 w^\top C w + \lVert w\rVert^2\, w^\top C w` and

    - :math:`(\pm 1, 0)`: the minima (the first principal direction), :math:`L = b`;
    - :math:`(0, \pm 1)`: SADDLES (the second direction), :math:`L = a`, Hessian
      :math:`\mathrm{diag}(2(b - a),\ 8b)`: downhill along :math:`w_1`, uphill along :math:`w_2`;
    - :math:`(0, 0)`: a maximum, :math:`L = a + b`.

    On the axis :math:`w_1 = 0` the full gradient has no :math:`w_1` component (the data are
    mirror-symmetric), so full-batch gradient descent started there slides into the saddle and
    stays. One example's gradient at the saddle is :math:`\nabla \ell_i(0, 1) = (-2 x_i y_i,\ 0)`:
    NOT zero, and pointing exactly along the escape direction; only the mean cancels. That is
    the lecture's "small batch size helps escape critical points", in two parameters.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from .atlas_types import MAXIMUM, MINIMUM, SADDLE
from .parser import X, Y
from .surface import KnownPoint, Surface, Window

# Data symbols for the per-example loss: our own names, never user text.
_A, _B = sp.symbols("data_a data_b", real=True)


@dataclass(frozen=True, eq=False)
class Dataset:
    """N examples ``(a_i, b_i)`` and a per-example loss ``l(w1, w2; a, b)``.

    ``inputs`` and ``targets`` are read-only float arrays of shape (N,) (for ``pca`` they are the
    two coordinates of each point). ``surface`` is the full-batch mean loss with exact
    derivatives; ``start`` a suggested start point.
    """

    id: str
    title: str
    blurb: str
    example_expr: sp.Expr  # in X, Y (the weights) and _A, _B (one example's data)
    inputs: np.ndarray
    targets: np.ndarray
    window: Window
    start: tuple[float, float]
    known_points: tuple[KnownPoint, ...] = ()
    log_scale: bool = False
    data_names: tuple[str, str] = ("x", "y")
    surface: Surface = field(init=False, repr=False)
    _compiled: Callable = field(init=False, repr=False)

    def __post_init__(self):
        a = np.array(self.inputs, dtype=float)
        b = np.array(self.targets, dtype=float)
        if a.shape != b.shape or a.ndim != 1 or a.size == 0:
            raise ValueError("inputs and targets must be 1-D arrays of the same, non-zero length")
        a.setflags(write=False)
        b.setflags(write=False)
        object.__setattr__(self, "inputs", a)
        object.__setattr__(self, "targets", b)
        gx = sp.diff(self.example_expr, X)
        gy = sp.diff(self.example_expr, Y)
        compiled = sp.lambdify((X, Y, _A, _B), [self.example_expr, gx, gy], modules="numpy", cse=True)
        object.__setattr__(self, "_compiled", compiled)
        # Full-batch loss: the mean of the per-example expressions with the data's numbers in.
        terms = [self.example_expr.subs({_A: sp.Float(float(ai)), _B: sp.Float(float(bi))})
                 for ai, bi in zip(a, b)]
        full = sp.expand(sp.Add(*terms) / len(terms))
        surface = Surface(expr=full, variable_names=("w1", "w2"), id=f"data_{self.id}", title=self.title,
                          blurb=self.blurb, source="", window=self.window, starts=(self.start,),
                          log_scale=self.log_scale, known_points=self.known_points)
        object.__setattr__(self, "surface", surface)

    # --- sizes ---------------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of examples N."""
        return int(self.inputs.size)

    # --- per-example ---------------------------------------------------------------------
    def _eval(self, w, idx):
        w = np.asarray(w, dtype=float)
        if w.shape[-1:] != (2,):
            raise ValueError("w must have shape (..., 2)")
        idx = np.arange(self.n) if idx is None else np.asarray(idx, dtype=np.intp).reshape(-1)
        a = self.inputs[idx]
        b = self.targets[idx]
        w1 = w[..., 0, None]
        w2 = w[..., 1, None]
        shape = w.shape[:-1] + (idx.size,)
        with np.errstate(all="ignore"):
            values = self._compiled(w1, w2, a, b)
        return [np.broadcast_to(np.asarray(v, dtype=float), shape) for v in values]

    def example_losses(self, w, idx=None) -> np.ndarray:
        """l_i(w) for i in ``idx`` (default all): shape ``(..., len(idx))``."""
        return np.array(self._eval(w, idx)[0])

    def example_grads(self, w, idx=None) -> np.ndarray:
        """grad l_i(w) for i in ``idx`` (default all): shape ``(..., len(idx), 2)``."""
        _, gx, gy = self._eval(w, idx)
        return np.stack([gx, gy], axis=-1)

    def batch_loss_and_grad(self, w, idx=None) -> tuple[np.ndarray, np.ndarray]:
        r"""Mean loss and mean gradient over the batch ``idx``: :math:`L_\mathcal{B}(w)` shape
        ``(...)`` and :math:`\nabla L_\mathcal{B}(w)` shape ``(..., 2)``. The order of ``idx`` does
        not matter: it is sorted first, so the same SET gives the same bits."""
        idx = np.arange(self.n) if idx is None else np.sort(np.asarray(idx, dtype=np.intp).reshape(-1))
        f, gx, gy = self._eval(w, idx)
        with np.errstate(all="ignore"):
            return f.mean(axis=-1), np.stack([gx.mean(axis=-1), gy.mean(axis=-1)], axis=-1)

    def batch_grad(self, w, idx=None) -> np.ndarray:
        """Mean gradient over the batch ``idx`` (default: all examples, the full gradient)."""
        return self.batch_loss_and_grad(w, idx)[1]

    def loss(self, w) -> np.ndarray:
        """Full-batch loss L(w) = mean_i l_i(w), shape ``(...)``."""
        return self.batch_loss_and_grad(w)[0]

    def grad(self, w) -> np.ndarray:
        """Full-batch gradient, shape ``(..., 2)`` (the mean of the per-example gradients)."""
        return self.batch_loss_and_grad(w)[1]

    def gradient_noise(self, w, batch_size) -> np.ndarray:
        r"""Standard deviation of the mini-batch gradient at ``w`` for batch size B, exactly.

        For a batch of B examples drawn WITHOUT replacement from N (one batch of a shuffled
        epoch), the batch-mean gradient :math:`\hat g_B` is unbiased and

        .. math::
            \sqrt{\mathbb{E}\,\lVert \hat g_B - \nabla L \rVert^2}
            = \sqrt{\frac{\operatorname{tr}\Sigma}{B}\cdot\frac{N - B}{N - 1}},
            \qquad \Sigma = \frac1N \sum_i (\nabla\ell_i - \nabla L)(\nabla\ell_i - \nabla L)^\top,

        i.e. :math:`\propto 1/\sqrt{B}` for B much smaller than N, and exactly 0 at B = N (finite
        population correction). ``w`` is one point (2,); ``batch_size`` a scalar or an array.
        """
        g = self.example_grads(np.asarray(w, dtype=float).reshape(2))
        with np.errstate(all="ignore"):
            total_var = float(((g - g.mean(axis=0)) ** 2).sum(axis=1).mean())
            B = np.asarray(batch_size, dtype=float)
            n = self.n
            fpc = (n - B) / (n - 1) if n > 1 else np.zeros_like(B)
            return np.sqrt(np.clip(total_var / B * fpc, 0.0, None))


# --------------------------------------------------------------------------------------------
# The data sets
# --------------------------------------------------------------------------------------------
_W1, _W2 = X, Y
LINREG_TRUE = (1.5, -0.5)


def _linreg() -> Dataset:
    rng = np.random.default_rng(20210305)
    n = 32
    x = rng.uniform(-1.0, 1.0, n)
    y = LINREG_TRUE[0] * x + LINREG_TRUE[1] + rng.normal(0.0, 0.3, n)
    # least-squares minimum (known point): solve the 2x2 normal equations
    A = np.column_stack([x, np.ones(n)])
    w_star = np.linalg.solve(A.T @ A, A.T @ y)
    f_star = float(np.mean((A @ w_star - y) ** 2))
    expr = (_W1 * _A + _W2 - _B) ** 2
    return Dataset(
        id="linreg", title="Linear regression (convex)",
        blurb="y ≈ w1·x + w2 on 32 noisy points, squared error: one bowl, one minimum.",
        example_expr=expr, inputs=x, targets=y, window=(-2.0, 4.0, -3.0, 3.0), start=(-1.5, 2.5),
        known_points=(KnownPoint(float(w_star[0]), float(w_star[1]), MINIMUM, f_star),),
        data_names=("x", "y"),
    )


PCA_VARIANCES = (1.0, 0.25)  # a = mean x^2, b = mean y^2


def _pca() -> Dataset:
    rng = np.random.default_rng(20210312)
    base = np.abs(rng.normal(0.0, 1.0, (8, 2))) + 0.15
    # mirror images (+-x, +-y), interleaved so that mirror partners are neighbours
    signs = np.array([(1, 1), (-1, 1), (1, -1), (-1, -1)], dtype=float)
    pts = (base[:, None, :] * signs[None, :, :]).reshape(-1, 2)
    a, b = PCA_VARIANCES
    pts = pts / np.sqrt(np.mean(pts**2, axis=0)) * np.sqrt([a, b])
    a_hat, b_hat = (float(v) for v in np.mean(pts**2, axis=0))
    p = _W1 * _A + _W2 * _B  # the code w . z
    expr = _A**2 + _B**2 - 2 * p**2 + (_W1**2 + _W2**2) * p**2
    known = (
        KnownPoint(1.0, 0.0, MINIMUM, b_hat), KnownPoint(-1.0, 0.0, MINIMUM, b_hat),
        KnownPoint(0.0, 1.0, SADDLE, a_hat), KnownPoint(0.0, -1.0, SADDLE, a_hat),
        KnownPoint(0.0, 0.0, MAXIMUM, a_hat + b_hat),
    )
    return Dataset(
        id="pca", title="One-neuron autoencoder (saddles)",
        blurb=("Reconstruct 32 points z from w·(w·z): the best w is the direction of largest spread; "
               "the other direction (0, ±1) is a saddle where every example still pulls sideways."),
        example_expr=expr, inputs=pts[:, 0], targets=pts[:, 1], window=(-1.6, 1.6, -1.6, 1.6),
        start=(0.0, 1.5), known_points=known, data_names=("z1", "z2"), log_scale=True,
    )


@functools.lru_cache(maxsize=1)
def _all() -> dict[str, Dataset]:
    return {d.id: d for d in (_pca(), _linreg())}


def get(dataset_id: str) -> Dataset:
    """The data set ``dataset_id`` (built and compiled once per process). KeyError if unknown."""
    return _all()[dataset_id]


DATASET_IDS: tuple[str, ...] = ("pca", "linreg")


def saddle_points(dataset: Dataset) -> list[KnownPoint]:
    return [k for k in dataset.known_points if k.kind == SADDLE]


def min_loss(dataset: Dataset) -> float | None:
    vals = [k.f for k in dataset.known_points if k.kind == MINIMUM and k.f is not None]
    return min(vals) if vals else None
