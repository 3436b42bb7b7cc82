r"""A small REAL network in NumPy: synthetic data, an MLP, its loss, exact gradient and Hessian.

The lecture's claims about real networks (training stalls with a large gradient, local minima
are rare, small batches generalise better) need a real error surface with many parameters.
This module gives one, in plain NumPy (no autodiff library), small enough to take the FULL
Hessian of (~100-200 parameters).

**Data** (:func:`make_data`, seeded, generated in code, train/test split drawn from one
stream): ``"sine"`` is the regression :math:`y = \sin(1.5 x_1)\cos(x_2) + \varepsilon`,
:math:`x \sim U[-2, 2]^2`, :math:`\varepsilon \sim N(0, \text{noise}^2)`; ``"moons"`` two
interleaved half circles with targets :math:`\pm 1` (classification fitted as regression).

**Model** (:class:`MLP`, layer sizes :math:`d_0, \dots, d_L`, tanh hidden units, a linear output):

.. math::
    a_0 = x, \qquad z_l = W_l a_{l-1} + b_l, \qquad a_l = \tanh(z_l)\ (l < L), \qquad f(x) = z_L,

with all weights and biases in ONE flat vector :math:`\theta` (layer by layer, ``W_l`` row-major
then ``b_l``); the default 2-32-1 net has :math:`P = 2\cdot 32 + 32 + 32 + 1 = 129` parameters.

**Loss**: half the mean squared error over a set of N examples,

.. math::
    L(\theta) = \frac{1}{N}\sum_{i=1}^{N} \tfrac12 \lVert f(x_i;\theta) - y_i \rVert^2 .

**Gradient** by backpropagation, with :math:`\delta_L = (f - y)/N` per example and
:math:`\delta_{l-1} = (W_l^\top \delta_l) \odot \tanh'(z_{l-1})`:
:math:`\partial L/\partial W_l = \sum_i \delta_{l,i} a_{l-1,i}^\top`,
:math:`\partial L/\partial b_l = \sum_i \delta_{l,i}`.

**Hessian**, exactly, by forward-over-reverse differentiation written out by hand (Pearlmutter's
R-operator, :math:`R\{\cdot\} = \frac{d}{dt}(\cdot)(\theta + t v)|_{t=0}`): pushing a direction
:math:`v = (V_l, c_l)` through the forward pass,

.. math::
    R z_l = W_l\, R a_{l-1} + V_l a_{l-1} + c_l, \qquad R a_l = \tanh'(z_l) \odot R z_l, \qquad R a_0 = 0,

and through the backward pass (:math:`\tanh' = 1 - a^2`, :math:`\tanh'' = -2a(1 - a^2)`),

.. math::
    R\delta_L = R z_L / N, \qquad
    R\delta_{l-1} = (W_l^\top R\delta_l + V_l^\top \delta_l) \odot \tanh'(z_{l-1})
                    + (W_l^\top \delta_l) \odot \tanh''(z_{l-1}) \odot R z_{l-1},

gives :math:`Hv = (R\delta_l a_{l-1}^\top + \delta_l R a_{l-1}^\top,\ R\delta_l)` summed over the
examples. :meth:`MLP.hvp` does this for K directions at once; :meth:`MLP.hessian` takes the P
unit vectors, so the full Hessian costs about P gradients, with no finite differences (the tests
compare it with finite differences of the gradient).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import re
from dataclasses import dataclass

import numpy as np

# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------
DATASETS = ("sine", "moons")


@dataclass(frozen=True, eq=False)
class Data:
    """A train/test split: inputs ``(N, d)``, targets ``(N, 1)`` (read-only float arrays)."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    noise: float
    seed: int

    def __post_init__(self):
        for key in ("x_train", "y_train", "x_test", "y_test"):
            arr = np.array(getattr(self, key), dtype=float)
            if arr.ndim == 1:
                arr = arr[:, None]
            arr.setflags(write=False)
            object.__setattr__(self, key, arr)
        if len(self.x_train) != len(self.y_train) or len(self.x_test) != len(self.y_test):
            raise ValueError("inputs and targets must have the same number of rows")

    @property
    def n_train(self) -> int:
        return int(len(self.x_train))

    @property
    def n_test(self) -> int:
        return int(len(self.x_test))


def _sine(rng, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-2.0, 2.0, (n, 2))
    y = np.sin(1.5 * x[:, 0]) * np.cos(x[:, 1]) + noise * rng.normal(size=n)
    return x, y


def _moons(rng, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    label = rng.integers(0, 2, n)
    t = rng.uniform(0.0, np.pi, n)
    x = np.where(label[:, None] == 0,
                 np.stack([np.cos(t), np.sin(t)], axis=1),
                 np.stack([1.0 - np.cos(t), 0.5 - np.sin(t)], axis=1))
    x = x - np.array([0.5, 0.25]) + noise * rng.normal(size=(n, 2))
    return 1.5 * x, np.where(label == 0, 1.0, -1.0)


def make_data(name: str = "sine", n_train: int = 64, n_test: int = 500, noise: float = 0.1, seed: int = 0) -> Data:
    """A seeded synthetic data set: ``n_train + n_test`` examples from ONE random stream, the
    first ``n_train`` for training. Same arguments, same numbers, bit for bit."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(DATASETS)}")
    n_train, n_test = int(n_train), int(n_test)
    if n_train < 1 or n_test < 0:
        raise ValueError("n_train must be >= 1 and n_test >= 0")
    rng = np.random.default_rng(int(seed))
    x, y = (_sine if name == "sine" else _moons)(rng, n_train + n_test, float(noise))
    return Data(name=name, x_train=x[:n_train], y_train=y[:n_train], x_test=x[n_train:], y_test=y[n_train:],
                noise=float(noise), seed=int(seed))


# --------------------------------------------------------------------------------------------
# The network
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MLP:
    """A tanh multilayer perceptron with a linear output; parameters are one flat vector.

    ``sizes`` = (inputs, hidden..., outputs). Every numeric method takes ``theta`` of shape
    ``(P,)``, inputs ``X (N, d_0)`` and targets ``Y (N, d_L)`` (or ``(N,)`` for one output).
    """

    sizes: tuple[int, ...] = (2, 32, 1)

    def __post_init__(self):
        sizes = tuple(int(s) for s in self.sizes)
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError("sizes must list at least an input and an output size, all >= 1")
        object.__setattr__(self, "sizes", sizes)

    # --- the flat parameter vector -----------------------------------------------------------
    @property
    def shapes(self) -> list[tuple[tuple[int, int], int]]:
        """[((out, in), out) for each layer]: the shape of W_l and the length of b_l."""
        return [((o, i), o) for i, o in zip(self.sizes[:-1], self.sizes[1:])]

    @property
    def n_params(self) -> int:
        return sum(o * i + o for (o, i), _ in self.shapes)

    def slices(self) -> list[tuple[slice, slice]]:
        """Where (W_l, b_l) sit in the flat vector: [(slice of W_l, slice of b_l), ...]."""
        out, k = [], 0
        for (o, i), _ in self.shapes:
            out.append((slice(k, k + o * i), slice(k + o * i, k + o * i + o)))
            k += o * i + o
        return out

    def unflatten(self, theta) -> list[tuple[np.ndarray, np.ndarray]]:
        """Flat ``theta (..., P)`` -> [(W_l (..., out, in), b_l (..., out))] (views, no copy)."""
        theta = np.asarray(theta, dtype=float)
        if theta.shape[-1] != self.n_params:
            raise ValueError(f"theta must have {self.n_params} entries in its last axis, not {theta.shape[-1]}")
        lead = theta.shape[:-1]
        return [(theta[..., sw].reshape(lead + shape), theta[..., sb])
                for (sw, sb), (shape, _) in zip(self.slices(), self.shapes)]

    def flatten(self, layers) -> np.ndarray:
        """[(W_l, b_l)] -> flat ``theta (P,)``, the inverse of :meth:`unflatten`."""
        return np.concatenate([np.concatenate([np.ravel(W), np.ravel(b)]) for W, b in layers])

    def init(self, seed: int = 0, scale: float = 1.0) -> np.ndarray:
        """LeCun-normal weights (std ``scale / sqrt(fan_in)``), zero biases, from ``seed``."""
        rng = np.random.default_rng(int(seed))
        layers = [(rng.normal(0.0, scale / np.sqrt(i), (o, i)), np.zeros(o)) for (o, i), _ in self.shapes]
        return self.flatten(layers)

    # --- forward and loss ------------------------------------------------------------------
    def _forward(self, theta, X):
        """Pre-activations z_l and activations a_l for l = 0..L (a_0 = X, a_L = z_L)."""
        layers = self.unflatten(theta)
        a = [np.asarray(X, dtype=float).reshape(-1, self.sizes[0])]
        z = [None]
        for j, (W, b) in enumerate(layers, start=1):
            zl = a[-1] @ W.T + b
            z.append(zl)
            a.append(np.tanh(zl) if j < len(layers) else zl)
        return layers, z, a

    def _targets(self, Y, n: int) -> np.ndarray:
        return np.asarray(Y, dtype=float).reshape(n, self.sizes[-1])

    def predict(self, theta, X) -> np.ndarray:
        """f(x; theta) for every row of X: shape ``(N, d_L)``."""
        return self._forward(theta, X)[2][-1]

    def loss(self, theta, X, Y) -> float:
        """L = mean over examples of 0.5 * ||f(x_i) - y_i||^2 (NaN for no examples)."""
        f = self.predict(theta, X)
        if len(f) == 0:
            return float("nan")
        r = f - self._targets(Y, len(f))
        return float(0.5 * np.mean(np.sum(r * r, axis=1)))

    # --- gradient: backpropagation --------------------------------------------------------
    def _backward(self, layers, a, r):
        """Per-layer deltas delta_l (N, d_l) for l = 1..L from the output's dL/df = r / N."""
        L = len(layers)
        deltas = [None] * (L + 1)
        deltas[L] = r / len(r)
        for j in range(L, 1, -1):
            W = layers[j - 1][0]
            deltas[j - 1] = (deltas[j] @ W) * (1.0 - a[j - 1] ** 2)
        return deltas

    def loss_and_grad(self, theta, X, Y) -> tuple[float, np.ndarray]:
        """(L, dL/dtheta (P,)) by one forward and one backward pass."""
        layers, z, a = self._forward(theta, X)
        r = a[-1] - self._targets(Y, len(a[-1]))
        deltas = self._backward(layers, a, r)
        parts = []
        for j in range(1, len(layers) + 1):
            parts.append((deltas[j].T @ a[j - 1]).ravel())
            parts.append(deltas[j].sum(axis=0))
        return float(0.5 * np.mean(np.sum(r * r, axis=1))), np.concatenate(parts)

    def grad(self, theta, X, Y) -> np.ndarray:
        return self.loss_and_grad(theta, X, Y)[1]

    def per_example_grads(self, theta, X, Y) -> np.ndarray:
        r"""Row i is :math:`\nabla_\theta \tfrac12\lVert f(x_i) - y_i\rVert^2` (N, P): their mean is the gradient."""
        layers, z, a = self._forward(theta, X)
        r = a[-1] - self._targets(Y, len(a[-1]))
        deltas = self._backward(layers, a, r * len(r))  # undo the 1/N: one example each
        parts = []
        for j in range(1, len(layers) + 1):
            parts.append(np.einsum("no,ni->noi", deltas[j], a[j - 1]).reshape(len(r), -1))
            parts.append(deltas[j])
        return np.concatenate(parts, axis=1)

    # --- Hessian: forward-over-reverse (R-operator) --------------------------------------------
    def hvp(self, theta, X, Y, V) -> np.ndarray:
        """Hessian-vector products H @ V for directions ``V`` of shape (P,) or (P, K), exactly."""
        V = np.asarray(V, dtype=float)
        single = V.ndim == 1
        Vk = V[:, None] if single else V
        layers, z, a = self._forward(theta, X)
        r = a[-1] - self._targets(Y, len(a[-1]))
        deltas = self._backward(layers, a, r)
        dirs = self.unflatten(Vk.T)  # [(V_l (K, out, in), c_l (K, out))]
        L, n = len(layers), len(r)
        K = Vk.shape[1]
        # forward: R z_l, R a_l with shape (K, N, d_l)
        Ra = [np.zeros((K,) + a[0].shape)]
        Rz = [None]
        for j in range(1, L + 1):
            W = layers[j - 1][0]
            Vl, cl = dirs[j - 1]
            rz = Ra[-1] @ W.T + np.einsum("ni,koi->kno", a[j - 1], Vl) + cl[:, None, :]
            Rz.append(rz)
            Ra.append(rz * (1.0 - a[j] ** 2) if j < L else rz)
        # backward: R delta_l
        Rd = [None] * (L + 1)
        Rd[L] = Ra[L] / n
        for j in range(L, 1, -1):
            W = layers[j - 1][0]
            Vl = dirs[j - 1][0]
            da = 1.0 - a[j - 1] ** 2
            back = deltas[j] @ W  # (N, d_{l-1})
            Rd[j - 1] = ((Rd[j] @ W + np.einsum("no,koi->kni", deltas[j], Vl)) * da
                         + back * (-2.0 * a[j - 1] * da) * Rz[j - 1])
        parts = []
        for j in range(1, L + 1):
            gW = np.einsum("kno,ni->koi", Rd[j], a[j - 1]) + np.einsum("no,kni->koi", deltas[j], Ra[j - 1])
            parts.append(gW.reshape(K, -1))
            parts.append(Rd[j].sum(axis=1))
        out = np.concatenate(parts, axis=1).T  # (P, K)
        return out[:, 0] if single else out

    def hessian(self, theta, X, Y) -> np.ndarray:
        """The full P x P Hessian of the loss, exact (symmetrised against rounding).

        One hidden layer: the closed form of :meth:`_hessian_one_hidden` (~20x faster);
        deeper nets: :meth:`hvp` on the P unit vectors.
        """
        if len(self.sizes) == 3:
            H = self._hessian_one_hidden(theta, X, Y)
        else:
            H = self.hvp(theta, X, Y, np.eye(self.n_params))
        return 0.5 * (H + H.T)

    def _hessian_one_hidden(self, theta, X, Y) -> np.ndarray:
        r"""Closed form for :math:`f_o(x) = \sum_k V_{ok}\, s_k + c_o`, :math:`s_k = \tanh(w_k \cdot x + b_k)`:

        .. math::
            H = \frac1N \sum_i J_i^\top J_i + \frac1N \sum_i \sum_o r_{io} \nabla^2 f_o(x_i),

        the Gauss-Newton term from the per-example Jacobian :math:`J_i = \partial f(x_i)/\partial\theta`
        and the residual term, which is nonzero only in two kinds of blocks (with
        :math:`\tilde x = (x, 1)`, :math:`s' = 1 - s^2`, :math:`s'' = -2 s s'`):
        :math:`\partial^2 f_o / \partial(w_k, b_k)^2 = V_{ok} s''_k \tilde x \tilde x^\top` and
        :math:`\partial^2 f_o / \partial(w_k, b_k)\, \partial V_{ok} = s'_k \tilde x`.
        """
        (W1, b1), (W2, b2) = self.unflatten(theta)
        Xa = np.asarray(X, dtype=float).reshape(-1, self.sizes[0])
        n, d = Xa.shape
        h, o = W1.shape[0], W2.shape[0]
        s = np.tanh(Xa @ W1.T + b1)  # (N, h)
        ds = 1.0 - s * s
        r = s @ W2.T + b2 - self._targets(Y, n)  # (N, o)
        xt = np.hstack([Xa, np.ones((n, 1))])  # (N, d + 1)
        P = self.n_params
        # per-example Jacobian of every output, (N, o, P)
        J = np.zeros((n, o, P))
        # layer 1: df_o/dW1[k, j] = V[o, k] s'_k x_j, df_o/db1[k] = V[o, k] s'_k
        g1 = W2[None, :, :] * ds[:, None, :]  # (N, o, h)
        J[:, :, : h * d] = (g1[:, :, :, None] * Xa[:, None, None, :]).reshape(n, o, h * d)
        J[:, :, h * d: h * d + h] = g1
        off = h * d + h
        for q in range(o):
            J[:, q, off + q * h: off + (q + 1) * h] = s
            J[:, q, off + o * h + q] = 1.0
        Jf = J.reshape(n * o, P)
        H = Jf.T @ Jf / n
        # residual blocks; unit k's first-layer parameters are W1[k, :] and b1[k]
        idx1 = np.stack([np.concatenate([k * d + np.arange(d), [h * d + k]]) for k in range(h)])  # (h, d + 1)
        rv = r @ W2  # (N, h): sum_o r_o V_ok
        blocks = np.einsum("nk,ni,nj->kij", rv * (-2.0 * s * ds), xt, xt) / n  # (h, d+1, d+1)
        H[idx1[:, :, None], idx1[:, None, :]] += blocks
        cross = np.einsum("no,nk,ni->oki", r, ds, xt) / n  # (o, h, d+1)
        for q in range(o):
            cols = off + q * h + np.arange(h)
            H[idx1, cols[:, None]] += cross[q]
            H[cols[:, None], idx1] += cross[q]
        return H


def train_loss_and_grad(model: MLP, data: Data, theta, idx=None) -> tuple[float, np.ndarray]:
    """Loss and gradient over the training examples ``idx`` (default all of them)."""
    if idx is None:
        return model.loss_and_grad(theta, data.x_train, data.y_train)
    idx = np.sort(np.asarray(idx, dtype=np.intp).reshape(-1))
    return model.loss_and_grad(theta, data.x_train[idx], data.y_train[idx])


def held_out_loss(model: MLP, data: Data, theta) -> float:
    """The test loss (same formula as the training loss, on the held-out examples)."""
    return model.loss(theta, data.x_test, data.y_test)


# --------------------------------------------------------------------------------------------
# BLAS threads
# --------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _openblas_local_threads():
    """OpenBLAS's ``openblas_set_num_threads_local`` (>= 0.3.27: sets the count for the CALLING
    thread only) from the library NumPy has loaded, or None (another BLAS, no /proc, ...)."""
    try:
        with open("/proc/self/maps") as fh:
            paths = sorted(set(re.findall(r"(/\S*openblas\S*\.so\S*)", fh.read())))
    except OSError:
        return None
    for path in paths:
        try:
            fn = ctypes.CDLL(path).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        fn.restype, fn.argtypes = ctypes.c_int, [ctypes.c_int]
        return fn
    return None


@contextlib.contextmanager
def single_blas_thread():
    """Run the block with ONE BLAS thread in this thread (no-op where that cannot be set).

    Why: the matrices here are small (129 x 129). OpenBLAS's threads spin while they wait, so
    on a busy 2-core machine ``numpy.linalg.eigh`` of a 129 x 129 matrix took 78 ms of CPU with
    two threads and 3 ms with one (measured while a CI run kept the load at ~9). The setting is
    thread-local, so other threads of a server keep their own.
    """
    fn = _openblas_local_threads()
    if fn is None:
        yield
        return
    previous = fn(1)
    try:
        yield
    finally:
        fn(max(int(previous), 1))
