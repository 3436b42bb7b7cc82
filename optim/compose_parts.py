r"""The lecture's optimizer parts: the m and sigma pieces, as data and as transforms (issue 14).

One job: what each piece IS. The tables the UI reads (:data:`M_PIECES`, :data:`SIGMA_PIECES`,
:data:`EPS_PLACES`: ids, en/zh names, widget-ready parameters, LaTeX; :data:`NAMED` and
:data:`RECOGNITION_TEXT`: the en/zh names of what a combination can be), the validated choice of
one piece (:class:`Piece`, :func:`m_piece`, :func:`sigma_piece`) and each piece as a small pure
transform (:func:`m_transform`, :func:`sigma_transform`). Putting the pieces together into an
optimizer, and recognising the result, is :mod:`optim.compose`.

Indexing: t = 0, 1, ... counts updates (``step``); g^t is the gradient seen at theta^t.

**m pieces** (the direction):

- ``grad``: :math:`m^{t} = g^{t}`.
- ``momentum`` (the lecture's movement, lambda = ``momentum``):
  :math:`m^{t+1} = \lambda m^{t} - \eta_t g^{t},\ m^{0} = 0`. The movement already carries the
  lr of each gradient's own step, so the update is :math:`\theta^{t+1} = \theta^{t} + m^{t+1} / \sigma^{t}`.
  Under a schedule this is NOT torch's heavy ball (torch scales the whole buffer by the current lr).
- ``heavy_ball`` (torch SGD momentum, lambda, dampening d):
  :math:`b^{0} = g^{0},\ b^{t} = \lambda b^{t-1} + (1-d)\, g^{t},\ m^{t} = b^{t}`
  (torch applies no dampening on the first step; with lambda = 0 torch keeps no buffer: m = g).
- ``nesterov`` (torch SGD nesterov=True): :math:`b^{0} = g^{0},\ b^{t} = \lambda b^{t-1} + g^{t},\
  m^{t} = g^{t} + \lambda b^{t}`.
- ``ema`` (Adam's first moment, beta1): :math:`m^{t} = \beta_1 m^{t-1} + (1-\beta_1) g^{t},\ m^{-1} = 0`,
  with bias correction :math:`\hat m^{t} = m^{t} / (1 - \beta_1^{t+1})` (applied to the lr, as torch:
  :math:`\eta_t / (1 - \beta_1^{t+1})`).

**sigma pieces** (the per-coordinate size; eps below):

- ``one``: :math:`\sigma^{t} = 1` (no division, eps unused).
- ``adagrad`` (torch, root of the SUM): :math:`\sigma^{t} = \sqrt{s_0 + \sum_{i=0}^{t} (g^{i})^2}`,
  ``initial_accumulator_value`` = s_0.
- ``adagrad_mean`` (the lecture's root MEAN square): :math:`\sigma^{t} = \sqrt{\frac{1}{t+1}\sum_{i=0}^{t} (g^{i})^2}`.
- ``rmsprop_lecture`` (alpha): :math:`\sigma^{0} = |g^{0}|,\ \sigma^{t} = \sqrt{\alpha (\sigma^{t-1})^2 + (1-\alpha)(g^{t})^2}`.
- ``rmsprop`` (torch, alpha): :math:`v^{t} = \alpha v^{t-1} + (1-\alpha)(g^{t})^2,\ v^{-1} = 0,\ \sigma^{t} = \sqrt{v^{t}}`.
- ``adam`` (Adam's second moment, beta2): :math:`v^{t} = \beta_2 v^{t-1} + (1-\beta_2)(g^{t})^2,\
  \sigma^{t} = \sqrt{v^{t}} / \sqrt{1-\beta_2^{t+1}}` (or :math:`\sqrt{v^{t}}` without bias
  correction, which IS torch's RMSprop sigma with alpha = beta2).
- ``amsgrad`` (beta2): :math:`\hat v^{t} = \max(\hat v^{t-1}, v^{t})` over torch's RAW v,
  :math:`\sigma^{t} = \sqrt{\hat v^{t}} / \sqrt{1-\beta_2^{t+1}}`.

**eps**: outside the root (every torch optimizer, and ours): divide by :math:`\sigma^{t} + \epsilon`
(for Adam after the bias correction); inside (``eps_inside=True``, as TF1's RMSProp):
divide by :math:`\sqrt{(\sigma^{t})^2 + \epsilon}`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from .base import State, zeros
from .specs import Param

# --- the pieces as plain data (the UI reads this table) ----------------------------------------
# Per piece: display names (en, zh), its parameters as widget-ready Params (torch's names), its
# update rule in LaTeX, and for sigma pieces the default eps of the named optimizer that uses it.
_LAMBDA = Param("momentum", "Momentum λ (momentum)", 0.9, 0.0, 0.999, 0.01, "%.3f")
_ALPHA = Param("alpha", "α (alpha)", 0.99, 0.5, 0.9999, 0.001, "%.4f")
_BETA2 = Param("beta2", "β2 (betas[1])", 0.999, 0.5, 0.99999, 0.001, "%.5f")
_BIAS = Param("bias_correction", "Bias correction", True, kind="bool")

M_PIECES: dict[str, dict[str, Any]] = {
    "grad": {
        "en": "Raw gradient", "zh": "原始梯度",
        "params": (),
        "latex": r"m^{t} = g^{t}",
    },
    "momentum": {
        "en": "Momentum (lecture: m = λm − ηg)", "zh": "动量（课程形式：m = λm − ηg）",
        "params": (_LAMBDA,),
        "latex": r"m^{t+1} = \lambda m^{t} - \eta_t\, g^{t},\ m^{0} = 0",
    },
    "heavy_ball": {
        "en": "Heavy ball (PyTorch SGD momentum)", "zh": "重球动量（PyTorch SGD）",
        "params": (_LAMBDA, Param("dampening", "Dampening (dampening)", 0.0, 0.0, 1.0, 0.01)),
        "latex": r"b^{0} = g^{0},\ b^{t} = \lambda b^{t-1} + (1-d)\, g^{t}",
    },
    "nesterov": {
        "en": "Nesterov (PyTorch)", "zh": "Nesterov 动量（PyTorch）",
        "params": (_LAMBDA,),
        "latex": r"b^{0} = g^{0},\ b^{t} = \lambda b^{t-1} + g^{t},\ m^{t} = g^{t} + \lambda b^{t}",
    },
    "ema": {
        "en": "EMA of gradients (β1)", "zh": "梯度的指数移动平均（β1）",
        "params": (Param("beta1", "β1 (betas[0])", 0.9, 0.0, 0.999, 0.01, "%.3f"), _BIAS),
        "latex": r"m^{t} = \beta_1 m^{t-1} + (1-\beta_1)\, g^{t},\ m^{-1} = 0",
    },
}

SIGMA_PIECES: dict[str, dict[str, Any]] = {
    "one": {
        "en": "σ = 1 (no scaling)", "zh": "σ = 1（不缩放）",
        "params": (), "eps": 0.0,
        "latex": r"\sigma^{t} = 1",
    },
    "adagrad": {
        "en": "AdaGrad: root of the sum (PyTorch)", "zh": "AdaGrad：平方和的平方根（PyTorch）",
        "params": (Param("initial_accumulator_value", "Initial accumulator s₀", 0.0, 0.0, 10.0, 0.1),), "eps": 1e-10,
        "latex": r"\sigma^{t} = \sqrt{s_0 + \textstyle\sum_{i=0}^{t} (g^{i})^2}",
    },
    "adagrad_mean": {
        "en": "AdaGrad: root mean square (lecture)", "zh": "AdaGrad：均方根（课程形式）",
        "params": (), "eps": 1e-10,
        "latex": r"\sigma^{t} = \sqrt{\tfrac{1}{t+1}\textstyle\sum_{i=0}^{t} (g^{i})^2}",
    },
    "rmsprop_lecture": {
        "en": "RMSProp (lecture: σ⁰ = |g⁰|)", "zh": "RMSProp（课程形式：σ⁰ = |g⁰|）",
        "params": (_ALPHA,), "eps": 1e-10,
        "latex": r"\sigma^{0} = |g^{0}|,\ \sigma^{t} = \sqrt{\alpha (\sigma^{t-1})^2 + (1-\alpha)(g^{t})^2}",
    },
    "rmsprop": {
        "en": "RMSProp (PyTorch: v starts at 0)", "zh": "RMSProp（PyTorch 形式：v 从 0 开始）",
        "params": (_ALPHA,), "eps": 1e-8,
        "latex": r"v^{t} = \alpha v^{t-1} + (1-\alpha)(g^{t})^2,\ v^{-1} = 0,\ \sigma^{t} = \sqrt{v^{t}}",
    },
    "adam": {
        "en": "Adam second moment (β2)", "zh": "Adam 二阶矩（β2）",
        "params": (_BETA2, _BIAS), "eps": 1e-8,
        "latex": r"v^{t} = \beta_2 v^{t-1} + (1-\beta_2)(g^{t})^2,\ \sigma^{t} = \sqrt{v^{t} / (1-\beta_2^{t+1})}",
    },
    "amsgrad": {
        "en": "AMSGrad: running max of v", "zh": "AMSGrad：v 的历史最大值",
        "params": (_BETA2, _BIAS), "eps": 1e-8,
        "latex": (r"v^{t} = \beta_2 v^{t-1} + (1-\beta_2)(g^{t})^2,\ \hat v^{t} = \max(\hat v^{t-1}, v^{t}),\ "
                  r"\sigma^{t} = \sqrt{\hat v^{t} / (1-\beta_2^{t+1})}"),
    },
}

EPS_PLACES: dict[str, dict[str, str]] = {
    "outside": {"en": "ε outside the root (PyTorch)", "zh": "ε 在根号外（PyTorch）", "latex": r"\sigma^{t} + \epsilon"},
    "inside": {"en": "ε inside the root", "zh": "ε 在根号内", "latex": r"\sqrt{(\sigma^{t})^2 + \epsilon}"},
}

# Display names of the named optimizers a combination can be, and the recognition sentences.
NAMED: dict[str, dict[str, str]] = {
    "gd": {"en": "gradient descent", "zh": "梯度下降"},
    "sgd": {"en": "PyTorch SGD", "zh": "PyTorch SGD"},
    "momentum": {"en": "the lecture's momentum", "zh": "课程中的动量法"},
    "nesterov": {"en": "PyTorch Nesterov momentum", "zh": "PyTorch Nesterov 动量"},
    "adagrad": {"en": "PyTorch Adagrad", "zh": "PyTorch Adagrad"},
    "adagrad_lecture": {"en": "the lecture's AdaGrad", "zh": "课程中的 AdaGrad"},
    "rmsprop": {"en": "PyTorch RMSprop", "zh": "PyTorch RMSprop"},
    "rmsprop_lecture": {"en": "the lecture's RMSProp", "zh": "课程中的 RMSProp"},
    "adam": {"en": "PyTorch Adam", "zh": "PyTorch Adam"},
    "adamw": {"en": "PyTorch AdamW", "zh": "PyTorch AdamW"},
    "amsgrad": {"en": "PyTorch AMSGrad", "zh": "PyTorch AMSGrad"},
}
RECOGNITION_TEXT: dict[str, dict[str, str]] = {
    "en": {"exact": "This is exactly {name} ({params}).", "new": "A new combination: no named optimizer computes this."},
    "zh": {"exact": "这正是{name}（{params}）。", "new": "新的组合：没有哪个已命名的优化器这样计算。"},
}


# --- pieces ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Piece:
    """One chosen piece: ``kind`` "m" or "sigma", its ``id`` (a key of :data:`M_PIECES` /
    :data:`SIGMA_PIECES`) and its parameter values (every parameter, defaults filled in)."""

    kind: str
    id: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        table = _table(self.kind)
        if self.id not in table:
            raise ValueError(f"unknown {self.kind} piece {self.id!r}; choose one of {', '.join(table)}")
        specs = table[self.id]["params"]
        names = {p.name for p in specs}
        unknown = set(self.params) - names
        if unknown:
            raise ValueError(f"{self.kind} piece {self.id!r} has no parameter(s) {', '.join(sorted(unknown))}")
        values = {p.name: _coerce(p, self.params.get(p.name, p.default)) for p in specs}
        object.__setattr__(self, "params", MappingProxyType(values))

    def __hash__(self):
        return hash((self.kind, self.id, tuple(sorted(self.params.items()))))

    def __eq__(self, other):
        return (isinstance(other, Piece) and (self.kind, self.id) == (other.kind, other.id)
                and dict(self.params) == dict(other.params))

    def name(self, lang: str = "en") -> str:
        return _table(self.kind)[self.id]["zh" if lang == "zh" else "en"]

    @property
    def latex(self) -> str:
        return _table(self.kind)[self.id]["latex"]


# The mathematical range of each parameter (the named optimizers' own checks). The Params' min
# and max are the WIDGET bounds; a piece is not clipped to them, so any valid named optimizer
# has its exact parts.
_VALID: dict[str, Callable[[float], bool]] = {
    "momentum": lambda v: v >= 0, "dampening": lambda v: True, "beta1": lambda v: 0 <= v < 1,
    "beta2": lambda v: 0 <= v < 1, "alpha": lambda v: 0 <= v <= 1, "initial_accumulator_value": lambda v: v >= 0,
}


def _as_bool(value) -> bool:
    """A flag from Python or from link text ("true"/"false", "1"/"0"); anything else raises."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "1", "yes", "on"):
            return True
        if text in ("false", "0", "no", "off", ""):
            return False
        raise ValueError(f"not a flag: {value!r}")
    return bool(value)


def _coerce(param: Param, value):
    if param.kind == "bool":
        return _as_bool(value)
    number = float(value)
    if not math.isfinite(number) or not _VALID[param.name](number):
        raise ValueError(f"{param.name} = {value!r} is out of range")
    return number


def _table(kind: str) -> dict[str, dict[str, Any]]:
    if kind == "m":
        return M_PIECES
    if kind == "sigma":
        return SIGMA_PIECES
    raise ValueError(f"a piece is an 'm' or a 'sigma' piece, not {kind!r}")


def m_piece(id: str, **params) -> Piece:
    """An m piece with its parameters (e.g. ``m_piece("ema", beta1=0.9)``); missing ones default."""
    return Piece("m", id, params)


def sigma_piece(id: str, **params) -> Piece:
    """A sigma piece with its parameters (e.g. ``sigma_piece("adam", beta2=0.999)``)."""
    return Piece("sigma", id, params)


def _as_piece(kind: str, value) -> Piece:
    if isinstance(value, Piece):
        if value.kind != kind:
            raise ValueError(f"expected a {kind} piece, got a {value.kind} piece")
        return value
    if isinstance(value, str):
        return Piece(kind, value, {})
    if isinstance(value, tuple) and len(value) == 2:
        return Piece(kind, value[0], dict(value[1]))
    raise ValueError(f"a {kind} piece is an id, (id, params) or a Piece")


# --- the transforms --------------------------------------------------------------------------
# Each piece is a small pure transform with the Optimizer protocol's signature,
#   init(params) -> state,  update(grad, state, params, lr, step, hessian=None) -> (out, state),
# where ``out`` is the piece's quantity: m (the direction) for an m piece, the DENOMINATOR
# (sigma with eps in its place; None for sigma = 1) for a sigma piece. An m piece also says
# whether its m is a movement that already carries -eta_t (the lecture's momentum) and, for the
# bias-corrected EMA, the divisor it puts under the lr (1 - beta1^(t+1), as torch: lr / bc1).
@dataclass(frozen=True, eq=False)
class Transform:
    piece: Piece
    init: Callable[[np.ndarray], State] = field(repr=False)
    update: Callable[..., tuple[np.ndarray | None, State]] = field(repr=False)
    movement: bool = False
    lr_divisor: Callable[[int], float] | None = field(default=None, repr=False)
    views: Callable[[State, np.ndarray], dict[str, np.ndarray]] | None = field(default=None, repr=False)


def _none(params) -> State:
    return {}


def m_transform(piece: Piece) -> Transform:
    """The m piece as a transform (see the module docstring for each rule)."""
    p = piece.params
    if piece.id == "grad":
        return Transform(piece, _none, lambda grad, state, params, lr, step, hessian=None: (grad, state))
    if piece.id == "momentum":
        lam = float(p["momentum"])

        def update(grad, state, params, lr, step, hessian=None):
            m = lam * state["m"] - lr * grad
            return m, {"m": m}

        return Transform(piece, lambda params: zeros(params, "m"), update, movement=True)
    if piece.id in ("heavy_ball", "nesterov"):
        lam = float(p["momentum"])
        damp = float(p.get("dampening", 0.0))
        nesterov = piece.id == "nesterov"
        if not lam:  # torch keeps no buffer without momentum: m = g
            return Transform(piece, _none, lambda grad, state, params, lr, step, hessian=None: (grad, state))

        def update(grad, state, params, lr, step, hessian=None):
            # torch creates the buffer from the first gradient itself: no (1 - dampening) there.
            b = grad if step == 0 else lam * state["m"] + (1.0 - damp) * grad
            return (grad + lam * b if nesterov else b), {"m": b}

        return Transform(piece, lambda params: zeros(params, "m"), update)
    if piece.id == "ema":
        b1, bias = float(p["beta1"]), bool(p["bias_correction"])

        def update(grad, state, params, lr, step, hessian=None):
            m = b1 * state["m"] + (1.0 - b1) * grad
            return m, {"m": m}

        divisor = (lambda step: 1.0 - b1 ** (step + 1)) if bias else None
        return Transform(piece, lambda params: zeros(params, "m"), update, lr_divisor=divisor)
    raise ValueError(f"unknown m piece {piece.id!r}")


def sigma_transform(piece: Piece, eps: float, inside: bool) -> Transform:
    """The sigma piece as a transform whose ``out`` is the denominator (sigma and eps)."""
    p = piece.params
    eps = float(eps)
    if piece.id == "one":
        return Transform(piece, _none, lambda grad, state, params, lr, step, hessian=None: (None, state),
                         views=lambda state, t: {})
    if piece.id in ("adagrad", "adagrad_mean"):
        acc0 = float(p.get("initial_accumulator_value", 0.0))
        mean = piece.id == "adagrad_mean"

        def init(params):
            return {"sum": np.full_like(np.asarray(params, dtype=float), acc0)}

        def update(grad, state, params, lr, step, hessian=None):
            s = state["sum"] + grad * grad
            q = s / (step + 1) if mean else s
            return (np.sqrt(q + eps) if inside else np.sqrt(q) + eps), {"sum": s}

        def views(state, t):
            return {"sum": state["sum"], "sigma": np.sqrt(state["sum"] / t if mean else state["sum"])}

        return Transform(piece, init, update, views=views)
    if piece.id == "rmsprop_lecture":
        a = float(p["alpha"])

        def update(grad, state, params, lr, step, hessian=None):
            if step == 0:
                sigma = np.abs(grad)
                if inside:
                    return np.sqrt(grad * grad + eps), {"sigma": sigma}
            else:
                q = a * state["sigma"] ** 2 + (1.0 - a) * (grad * grad)
                sigma = np.sqrt(q)
                if inside:
                    return np.sqrt(q + eps), {"sigma": sigma}
            return sigma + eps, {"sigma": sigma}

        return Transform(piece, lambda params: zeros(params, "sigma"), update, views=lambda state, t: dict(state))
    if piece.id in ("rmsprop", "adam", "amsgrad"):
        b2 = float(p["alpha"] if piece.id == "rmsprop" else p["beta2"])
        bias = piece.id != "rmsprop" and bool(p["bias_correction"])
        ams = piece.id == "amsgrad"
        names = ("v", "v_max") if ams else ("v",)

        def update(grad, state, params, lr, step, hessian=None):
            v = b2 * state["v"] + (1.0 - b2) * (grad * grad)
            new = {"v": v}
            if ams:
                v = new["v_max"] = np.maximum(state["v_max"], v)
            if bias:
                if inside:
                    return np.sqrt(v / (1.0 - b2 ** (step + 1)) + eps), new
                return np.sqrt(v) / math.sqrt(1.0 - b2 ** (step + 1)) + eps, new
            return (np.sqrt(v + eps) if inside else np.sqrt(v) + eps), new

        def views(state, t):
            out = dict(state)
            v = state["v_max"] if ams else state["v"]
            out["sigma"] = np.sqrt(v) / np.sqrt(1.0 - b2 ** t) if bias else np.sqrt(v)
            return out

        return Transform(piece, lambda params: zeros(params, *names), update, views=views)
    raise ValueError(f"unknown sigma piece {piece.id!r}")
