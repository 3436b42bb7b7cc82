r"""The real loss as a surface: a 2D slice through a trained network, written out in SymPy.

Pick a point :math:`\theta^*` (a trained network) and two directions :math:`d_1, d_2` in its
P-dimensional parameter space. The slice

.. math::
    S(\alpha, \beta) = L(\theta^* + \alpha d_1 + \beta d_2)
      = \frac1N \sum_{i=1}^{N} \tfrac12 \lVert f(x_i; \theta^* + \alpha d_1 + \beta d_2) - y_i \rVert^2

is an ordinary function of two variables, and here it becomes an ordinary
:class:`~surfaces.Surface`: the network's formula written out symbolically over the data, with
:math:`\alpha, \beta` as the surface's ``x, y``. Every parameter is linear in them,
:math:`\theta_j = \theta^*_j + \alpha d_{1j} + \beta d_{2j}`, so each pre-activation of the first
layer is :math:`z_{ik} = c^0_{ik} + c^1_{ik}\alpha + c^2_{ik}\beta` with numbers computed once
in NumPy, and the expression is a sum of N x (hidden units) tanh terms. SymPy then derives the
exact gradient and Hessian like for any other surface, so the playground, the critical-point
atlas and every optimizer run on it. By the chain rule its gradient is the network's gradient
projected on the two directions,

.. math::
    \nabla S(\alpha, \beta) = \big(d_1^\top \nabla L(\theta),\ d_2^\top \nabla L(\theta)\big),
    \qquad \theta = \theta^* + \alpha d_1 + \beta d_2,

which the tests check against backpropagation to 1e-8. The expression is built from our own
symbols and the data's numbers only: no text is ever parsed.

Directions (:func:`directions`):

- ``"random"``: filter-normalised random directions (Li et al. 2018, "Visualizing the loss
  landscape of neural nets"): Gaussian, then each unit's incoming weights rescaled to the norm of
  that unit's weights in :math:`\theta^*`, biases 0; so the picture does not depend on the
  network's scale. Seeded.
- ``"hessian"``: the top two eigenvectors of the Hessian at :math:`\theta^*` (unit length): the
  two most curved directions.

Size: the expressions grow like N x hidden units; :data:`MAX_TERMS` bounds it. Building the
slice for 24 examples x 32 units (768 tanh terms) takes ~1 s of CPU and a 200 x 200 grid ~2 s
(docs/performance.md, "Real network"). Only networks with one hidden layer can be sliced.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .network import MLP, Data
from .parser import X, Y
from .surface import Surface

MAX_TERMS = 2048  # examples x hidden units (first layer) a slice may have
DIRECTIONS = ("random", "hessian")


def directions(model: MLP, theta, kind: str = "random", seed: int = 0, data: Data | None = None):
    """Two directions ``(d1, d2)`` of shape (P,) through ``theta`` (see the module docstring).
    ``"hessian"`` needs ``data`` (the Hessian of its training loss)."""
    theta = np.asarray(theta, dtype=float).reshape(-1)
    if kind == "random":
        rng = np.random.default_rng(int(seed))
        out = []
        for _ in range(2):
            layers = []
            for (W, b), shape in zip(model.unflatten(theta), model.shapes):
                D = rng.normal(size=shape[0])
                norm_d = np.linalg.norm(D, axis=1, keepdims=True)
                D = D / np.where(norm_d > 0, norm_d, 1.0) * np.linalg.norm(W, axis=1, keepdims=True)
                layers.append((D, np.zeros_like(b)))
            out.append(model.flatten(layers))
        return out[0], out[1]
    if kind == "hessian":
        if data is None:
            raise ValueError("Hessian directions need the data")
        lam, Q = np.linalg.eigh(model.hessian(theta, data.x_train, data.y_train))
        d = [Q[:, -1], Q[:, -2]]
        # an eigenvector's sign is arbitrary: make the largest entry positive (reproducible)
        return tuple(v * np.sign(v[np.argmax(np.abs(v))]) for v in d)
    raise ValueError(f"unknown direction kind {kind!r}; choose one of {', '.join(DIRECTIONS)}")


def _num(v: float) -> sp.Float:
    return sp.Float(float(v), 17)  # 17 digits: the double round-trips through the printer


@dataclass(frozen=True, eq=False)
class _Pieces:
    """The numbers of a one-hidden-layer slice: first-layer pre-activations c0 + c1 a + c2 b
    (N, h), output weights V0 + a V1 + b V2 (o, h), output biases e0 + a e1 + b e2 (o,), targets (N, o)."""

    c: tuple[np.ndarray, np.ndarray, np.ndarray]
    V: tuple[np.ndarray, np.ndarray, np.ndarray]
    e: tuple[np.ndarray, np.ndarray, np.ndarray]
    y: np.ndarray


def _pieces(model: MLP, theta, d1, d2, x, y) -> _Pieces:
    if len(model.sizes) != 3:
        raise ValueError("a symbolic slice needs a network with exactly one hidden layer")
    x = np.asarray(x, dtype=float).reshape(-1, model.sizes[0])
    y = np.asarray(y, dtype=float).reshape(len(x), model.sizes[-1])
    n_terms = len(x) * model.sizes[1]
    if n_terms > MAX_TERMS:
        raise ValueError(f"the slice would have {n_terms} tanh terms (examples x hidden units); at most {MAX_TERMS}")
    layers = [model.unflatten(np.asarray(v, dtype=float).reshape(-1)) for v in (theta, d1, d2)]
    c = tuple(x @ L[0][0].T + L[0][1] for L in layers)
    return _Pieces(c=c, V=tuple(L[1][0] for L in layers), e=tuple(L[1][1] for L in layers), y=y)


def _formulas(p: _Pieces, name):
    r"""S, S_a, S_b, S_aa, S_ab, S_bb of the slice, by the chain rule written out once:

    .. math::
        r_i = \sum_k v_k t_{ik} + e - y_i, \quad v_k = V^0_k + \alpha V^1_k + \beta V^2_k, \quad
        t_{ik} = \tanh(c^0_{ik} + c^1_{ik}\alpha + c^2_{ik}\beta), \quad s_{ik} = 1 - t_{ik}^2, \\
        \partial_a r_i = \sum_k (V^a_k t_{ik} + v_k s_{ik} c^a_{ik}) + e^a, \qquad
        \partial_{ab} r_i = \sum_k \big(V^a_k s_{ik} c^b_{ik} + V^b_k s_{ik} c^a_{ik}
                                  - 2 v_k t_{ik} s_{ik} c^a_{ik} c^b_{ik}\big), \\
        S = \frac{1}{2N}\sum_i r_i^2, \qquad \partial_a S = \frac1N \sum_i r_i\, \partial_a r_i, \qquad
        \partial_{ab} S = \frac1N \sum_i (\partial_a r_i\, \partial_b r_i + r_i\, \partial_{ab} r_i).

    ``name(label, expr)`` decides what an intermediate becomes: itself (the full formula in
    alpha, beta) or a fresh symbol standing for it (the compact form that is compiled).
    """
    n, h = p.c[0].shape
    o = p.y.shape[1]
    one, minus_one = sp.Integer(1), sp.Integer(-1)

    def lin(a0, a1, a2):
        return _add(_num(a0), _mul(_num(a1), X), _mul(_num(a2), Y))

    t = [[name(f"t{i}_{k}", sp.tanh(lin(p.c[0][i, k], p.c[1][i, k], p.c[2][i, k]), evaluate=False)) for k in range(h)]
         for i in range(n)]
    s = [[name(f"s{i}_{k}", _add(one, _mul(minus_one, t[i][k], t[i][k]))) for k in range(h)] for i in range(n)]
    out = [[], [], [], [], [], []]  # the six formulas' terms, one per example and output unit
    for q in range(o):
        v = [name(f"v{q}_{k}", lin(p.V[0][q, k], p.V[1][q, k], p.V[2][q, k])) for k in range(h)]
        e = lin(p.e[0][q], p.e[1][q], p.e[2][q])
        for i in range(n):
            r = name(f"r{i}_{q}", _add(*[_mul(v[k], t[i][k]) for k in range(h)], e, _num(-p.y[i, q])))
            dr = [name(f"r{i}_{q}_{a}", _add(*[_add(_mul(_num(p.V[1 + a][q, k]), t[i][k]),
                                                    _mul(_num(p.c[1 + a][i, k]), v[k], s[i][k])) for k in range(h)],
                                              _num(p.e[1 + a][q]))) for a in (0, 1)]
            d2r = {}
            for a, b in ((0, 0), (0, 1), (1, 1)):
                terms = [_mul(s[i][k], _add(_num(p.V[1 + a][q, k] * p.c[1 + b][i, k] + p.V[1 + b][q, k] * p.c[1 + a][i, k]),
                                            _mul(_num(-2.0 * p.c[1 + a][i, k] * p.c[1 + b][i, k]), v[k], t[i][k])))
                         for k in range(h)]
                d2r[a, b] = name(f"r{i}_{q}_{a}{b}", _add(*terms))
            out[0].append(_mul(sp.Rational(1, 2), r, r))
            out[1].append(_mul(r, dr[0]))
            out[2].append(_mul(r, dr[1]))
            out[3].append(_add(_mul(dr[0], dr[0]), _mul(r, d2r[0, 0])))
            out[4].append(_add(_mul(dr[0], dr[1]), _mul(r, d2r[0, 1])))
            out[5].append(_add(_mul(dr[1], dr[1]), _mul(r, d2r[1, 1])))
    return [_mul(sp.Rational(1, n), _add(*terms)) for terms in out]


def _add(*args) -> sp.Expr:
    return sp.Add(*args, evaluate=False)


def _mul(*args) -> sp.Expr:
    return sp.Mul(*args, evaluate=False)


def _evaluate(p: _Pieces, x, y) -> list[np.ndarray]:
    """[S, S_a, S_b, S_aa, S_ab, S_bb] at the points (x, y) = (alpha, beta), vectorized: the
    formulas of :func:`_formulas` term by term in NumPy, one example at a time (memory stays
    at points x hidden units)."""
    A = np.asarray(x, dtype=float)[..., None]
    B = np.asarray(y, dtype=float)[..., None]
    shape = np.broadcast_shapes(A.shape[:-1], B.shape[:-1])
    n, h = p.c[0].shape
    acc = [np.zeros(shape) for _ in range(6)]
    for q in range(p.y.shape[1]):
        V0, V1, V2 = (p.V[j][q] for j in range(3))
        v = V0 + V1 * A + V2 * B
        e = p.e[0][q] + p.e[1][q] * A[..., 0] + p.e[2][q] * B[..., 0]
        for i in range(n):
            c1, c2 = p.c[1][i], p.c[2][i]
            t = np.tanh(p.c[0][i] + c1 * A + c2 * B)
            s = 1.0 - t * t
            vt = v * t
            r = vt.sum(axis=-1) + e - p.y[i, q]
            ra = (V1 * t + c1 * v * s).sum(axis=-1) + p.e[1][q]
            rb = (V2 * t + c2 * v * s).sum(axis=-1) + p.e[2][q]
            raa = (s * (2.0 * V1 * c1 - 2.0 * c1 * c1 * vt)).sum(axis=-1)
            rab = (s * (V1 * c2 + V2 * c1 - 2.0 * c1 * c2 * vt)).sum(axis=-1)
            rbb = (s * (2.0 * V2 * c2 - 2.0 * c2 * c2 * vt)).sum(axis=-1)
            acc[0] += 0.5 * r * r
            acc[1] += r * ra
            acc[2] += r * rb
            acc[3] += ra * ra + r * raa
            acc[4] += ra * rb + r * rab
            acc[5] += rb * rb + r * rbb
    return [a / n for a in acc]


SOURCE = "L(θ* + α·d1 + β·d2)"  # what a slice shows as its formula (the full one has N x h tanh terms)


class _SliceSurface(Surface):
    """A :class:`Surface` whose derivatives come from :func:`_formulas` instead of ``sp.diff``.

    Same fields and numeric methods; ``expr``, ``gradient_exprs`` and ``hessian_exprs`` are the
    full formulas in alpha = x, beta = y (unevaluated SymPy trees, so building them is linear in
    their size). Why not let ``Surface`` differentiate and ``lambdify`` compile: on a sum of
    N x h tanh terms SymPy's ``diff`` spends its time in the assumptions system (6 s for 4
    examples x 8 units) and printing the formulas for ``lambdify`` costs seconds more. The chain
    rule is written out once (:func:`_formulas`), and the numbers come from the same formulas
    vectorized in NumPy (:func:`_evaluate`); the tests check the two against each other and
    against backpropagation.
    """

    def __init__(self, pieces: _Pieces, **fields):
        object.__setattr__(self, "_pieces", pieces)
        super().__init__(expr=sp.Integer(0), **fields)

    # Printing the full formulas (LaTeX, Python) would take SymPy seconds and fill pages: a
    # slice shows them in closed form and exports only as repository code.
    printable = False

    @property
    def latex(self) -> str:
        n, h = self._pieces.c[0].shape
        return (r"S(\alpha, \beta) = L(\theta^* + \alpha d_1 + \beta d_2) = \frac{1}{2N}\sum_{i=1}^{N}"
                r"\big(f(x_i;\, \theta^* + \alpha d_1 + \beta d_2) - y_i\big)^2"
                rf"\quad (N = {n},\ {n * h}\ \tanh\ \text{{terms}})")

    @property
    def gradient_latex(self) -> str:
        return (r"\nabla S = \begin{bmatrix} d_1^\top \nabla L(\theta) \\ d_2^\top \nabla L(\theta) \end{bmatrix},"
                r"\quad \theta = \theta^* + \alpha d_1 + \beta d_2")

    @property
    def hessian_latex(self) -> str:
        return r"H = \begin{bmatrix} d_1 & d_2 \end{bmatrix}^\top \nabla^2 L(\theta) \begin{bmatrix} d_1 & d_2 \end{bmatrix}"

    def __post_init__(self):
        f, gx, gy, hxx, hxy, hyy = _formulas(self._pieces, lambda label, e: e)
        object.__setattr__(self, "expr", f)
        object.__setattr__(self, "gradient_exprs", (gx, gy))
        object.__setattr__(self, "hessian_exprs", ((hxx, hxy), (hxy, hyy)))
        object.__setattr__(self, "_compiled", functools.partial(_evaluate, self._pieces))

    def scalar_value_and_grad(self, a: float, b: float) -> tuple[float, float, float]:
        """(f, df/da, df/db) at one point, as floats: single-start runs (``optim.simulate``)
        evaluate through ``optim.fastpath``, which would otherwise lambdify the full formulas
        for Python's ``math`` module with a common-subexpression search: minutes for a slice.
        One point through :func:`_evaluate` costs ~0.1 ms."""
        f, ga, gb = _evaluate(self._pieces, a, b)[:3]
        return float(f), float(ga), float(gb)


@dataclass(frozen=True, eq=False)
class NetworkSlice:
    """A slice and where it came from: ``surface`` (a :class:`Surface` in alpha = x, beta = y),
    the network ``model``, the centre ``theta``, the directions ``d1, d2`` and the data (x, y)."""

    surface: Surface
    model: MLP
    theta: np.ndarray
    d1: np.ndarray
    d2: np.ndarray
    x: np.ndarray
    y: np.ndarray
    kind: str

    def params(self, alpha, beta) -> np.ndarray:
        """The network's parameters at (alpha, beta)."""
        return self.theta + float(alpha) * self.d1 + float(beta) * self.d2

    def projected_grad(self, alpha, beta) -> np.ndarray:
        """(d1 . grad L, d2 . grad L) at (alpha, beta) by backpropagation: equals ``surface.grad``."""
        g = self.model.grad(self.params(alpha, beta), self.x, self.y)
        return np.array([self.d1 @ g, self.d2 @ g])


def network_slice(model: MLP, data: Data, theta, *, kind: str = "random", seed: int = 0, d1=None, d2=None,
                  radius: float = 1.0, surface_id: str | None = None, title: str | None = None,
                  starts=None) -> NetworkSlice:
    """The loss of ``model`` on ``data``'s TRAINING set along the plane through ``theta``.

    Directions: ``d1, d2`` if given, else :func:`directions` (``kind``, ``seed``). The window is
    ``radius`` around the centre in each of alpha, beta. ``surface_id``, ``title`` and ``starts``
    name the surface (defaults: ``network_slice_<kind>``, a title saying which directions, one
    start). Raises ``ValueError`` when the data are too many for a symbolic slice (:data:`MAX_TERMS`).
    """
    theta = np.asarray(theta, dtype=float).reshape(-1)
    if d1 is None or d2 is None:
        d1, d2 = directions(model, theta, kind, seed, data)
        how = kind
    else:
        how = "given"
    d1, d2 = (np.asarray(v, dtype=float).reshape(-1) for v in (d1, d2))
    pieces = _pieces(model, theta, d1, d2, data.x_train, data.y_train)
    r = float(radius)
    what = {"random": "two filter-normalised random directions", "hessian": "the Hessian's top two eigenvectors",
            "given": "two given directions"}[how]
    surface = _SliceSurface(
        pieces, variable_names=("α", "β"), id=surface_id or f"network_slice_{how}",
        title=title or f"Real network {'-'.join(map(str, model.sizes))}: loss along {what}",
        blurb=(f"L(θ* + α d1 + β d2) of a {model.n_params}-parameter tanh network on {data.n_train} examples "
               f"({data.name}): the network's formula written out in SymPy, so its gradient and Hessian are exact."),
        source=SOURCE, window=(-r, r, -r, r),
        starts=tuple(tuple(map(float, s)) for s in starts) if starts else ((0.7 * r, -0.6 * r),),
    )
    return NetworkSlice(surface=surface, model=model, theta=theta, d1=d1, d2=d2, x=data.x_train, y=data.y_train, kind=how)
