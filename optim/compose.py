r"""Build an optimizer from the lecture's three parts (issue 14).

The lecture ends on one rule that covers every method it taught,

.. math::
    \theta_i^{t+1} = \theta_i^{t} - \frac{\eta_t}{\sigma_i^{t}}\, m_i^{t},

"the methods differ only in how m, sigma and eta_t are computed". :func:`compose` takes one
piece for m, one for sigma and the place of eps, and returns an ordinary :class:`Optimizer`
(id ``"composed"``); eta_t is any schedule of :mod:`optim.schedules`, passed to ``simulate`` as
for every optimizer. :func:`recognise` says which named optimizer of ``optim.OPTIMIZERS`` a
combination IS (bit for bit, with which hyperparameters), or None: a new combination.

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

**weight decay** (optional): L2 (``weight_decay``): :math:`g^{t} \leftarrow g^{t} + \text{wd}\,\theta^{t}`
before both m and sigma (torch SGD, Adagrad, RMSprop, Adam); decoupled (``decoupled=True``, AdamW):
:math:`\theta^{t+1} \mathrel{-}= \eta_t\,\text{wd}\,\theta^{t}` after the step.

Exactness: the composed update performs the same floating-point operations in the same order
as the named optimizer it equals, so recognised combinations give the same points bit for bit
(``tests/test_compose.py`` checks 1000 steps, constant lr and warm-up + cosine).

Not expressible (the list :data:`NOT_EXPRESSIBLE` keeps it explicit): Newton (second order),
RMSprop with momentum (torch accumulates the ALREADY divided g / sigma), centered RMSprop,
Adagrad's ``lr_decay`` (an eta_t piece tied to the optimizer; a schedule ``inverse_time`` gives
the same lr but torch multiplies it into any schedule).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from .base import Optimizer, State, zeros
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

# Named optimizers (or settings of them) the parts cannot express, and why.
NOT_EXPRESSIBLE: dict[str, str] = {
    "newton": "second order: the step solves with the Hessian, it is not (eta / sigma) m",
    "rmsprop(momentum>0)": "torch's RMSprop momentum accumulates g / sigma (already divided), not m / sigma",
    "rmsprop(centered=True)": "sigma from the variance v - gbar^2: no such sigma piece",
    "adagrad(lr_decay>0)": "an lr decay inside the optimizer, multiplied into any schedule",
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


@dataclass(frozen=True)
class Parts:
    """A full choice: m, sigma, eps and where it sits, optional weight decay, the base lr."""

    m: Piece
    sigma: Piece
    eps: float
    eps_inside: bool = False
    weight_decay: float = 0.0
    decoupled: bool = False
    lr: float = 1e-2

    def __post_init__(self):
        for name in ("eps", "weight_decay", "lr"):
            value = float(getattr(self, name))
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number >= 0")
            object.__setattr__(self, name, value)
        object.__setattr__(self, "eps_inside", _as_bool(self.eps_inside))
        object.__setattr__(self, "decoupled", _as_bool(self.decoupled))

    def to_dict(self) -> dict[str, Any]:
        """Flat, link-friendly form: ``m``, ``m.<param>``, ``sigma``, ``sigma.<param>``, the rest."""
        out: dict[str, Any] = {"lr": self.lr, "m": self.m.id}
        out.update({f"m.{k}": v for k, v in self.m.params.items()})
        out["sigma"] = self.sigma.id
        out.update({f"sigma.{k}": v for k, v in self.sigma.params.items()})
        out.update(eps=self.eps, eps_inside=self.eps_inside, weight_decay=self.weight_decay, decoupled=self.decoupled)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Parts:
        """Inverse of :meth:`to_dict` (missing entries take their defaults; unknown keys raise)."""
        data = dict(data)
        m_id, s_id = data.pop("m", "grad"), data.pop("sigma", "one")
        m_params = {k[2:]: data.pop(k) for k in [k for k in data if k.startswith("m.")]}
        s_params = {k[6:]: data.pop(k) for k in [k for k in data if k.startswith("sigma.")]}
        sigma = Piece("sigma", s_id, s_params)
        known = {"lr", "eps", "eps_inside", "weight_decay", "decoupled"}
        if set(data) - known:
            raise ValueError(f"unknown part setting(s) {', '.join(sorted(set(data) - known))}")
        eps = data.pop("eps", None)
        return cls(m=Piece("m", m_id, m_params), sigma=sigma,
                   eps=SIGMA_PIECES[s_id]["eps"] if eps is None else eps, **data)


def parts(m="grad", sigma="one", eps: float | None = None, *, lr: float = 1e-2, eps_inside: bool = False,
          weight_decay: float = 0.0, decoupled: bool = False) -> Parts:
    """The :class:`Parts` that :func:`compose` builds (same arguments)."""
    m, sigma = _as_piece("m", m), _as_piece("sigma", sigma)
    return Parts(m=m, sigma=sigma, eps=SIGMA_PIECES[sigma.id]["eps"] if eps is None else eps,
                 eps_inside=eps_inside, weight_decay=weight_decay, decoupled=decoupled, lr=lr)


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


# --- compose ---------------------------------------------------------------------------------
def compose(m="grad", sigma="one", eps: float | None = None, *, lr: float = 1e-2, eps_inside: bool = False,
            weight_decay: float = 0.0, decoupled: bool = False) -> Optimizer:
    r"""An optimizer from the lecture's parts: :math:`\theta^{t+1} = \theta^{t} - \frac{\eta_t}{\sigma^{t}} m^{t}`.

    ``m``: an id of :data:`M_PIECES`, ``(id, params)`` or :func:`m_piece`; ``sigma`` likewise
    (:data:`SIGMA_PIECES`, :func:`sigma_piece`); ``eps`` (default: that of the named optimizer
    using this sigma) outside the root, or inside with ``eps_inside``; ``weight_decay`` as L2
    in g, or ``decoupled`` (AdamW). eta_t: any schedule given to ``simulate`` (``lr`` is the
    constant one). Also accepts a ready :class:`Parts` as ``m``.

    Returns an :class:`Optimizer` with id ``"composed"``, ``hyperparams`` = :meth:`Parts.to_dict`,
    the composed rule as ``latex`` and the recognition as ``note``; ``update.__doc__`` carries
    the chosen pieces' rules.
    """
    chosen = m if isinstance(m, Parts) else parts(m, sigma, eps, lr=lr, eps_inside=eps_inside,
                                                   weight_decay=weight_decay, decoupled=decoupled)
    return build(chosen)


def build(chosen: Parts) -> Optimizer:
    """:func:`compose` for a ready :class:`Parts`."""
    mt = m_transform(chosen.m)
    st = sigma_transform(chosen.sigma, chosen.eps, chosen.eps_inside)
    wd = chosen.weight_decay
    coupled = bool(wd) and not chosen.decoupled
    decoupled = bool(wd) and chosen.decoupled
    m_update, s_update, movement, divisor = mt.update, st.update, mt.movement, mt.lr_divisor

    def init(params):
        state = {f"m.{k}": v for k, v in mt.init(params).items()}
        state.update({f"sigma.{k}": v for k, v in st.init(params).items()})
        return state

    def update(grad, state, params, lr, step, hessian=None):
        g = grad + wd * params if coupled else grad
        ms = {k[2:]: v for k, v in state.items() if k[0] == "m"}
        ss = {k[6:]: v for k, v in state.items() if k[0] == "s"}
        m, ms = m_update(g, ms, params, lr, step)
        den, ss = s_update(g, ss, params, lr, step)
        # The same float operations, in the same order, as the named optimizers:
        # torch: -lr * g / den;  Adam: -(lr / bc1) * m / den;  lecture momentum: m (already -eta g).
        if movement:
            delta = m if den is None else m / den
        else:
            c = lr / divisor(step) if divisor is not None else lr
            delta = -c * m if den is None else -c * m / den
        if decoupled:
            delta = delta - (lr * wd) * params
        new = {f"m.{k}": v for k, v in ms.items()}
        new.update({f"sigma.{k}": v for k, v in ss.items()})
        return delta, new

    update.__doc__ = rule_text(chosen)

    def views(state, t):
        out = dict(state)
        if st.views is not None:
            sv = st.views({k[6:]: v for k, v in state.items() if k.startswith("sigma.")}, t)
            if "sigma" in sv:
                out["sigma"] = sv["sigma"]
        return out

    found = identify(chosen)
    note = describe(chosen)
    title = f"{chosen.m.name()} / {chosen.sigma.name()}"
    return Optimizer(
        id="composed", name=f"Composed: {title}" + (f" (= {NAMED[found[0]]['en']})" if found else ""),
        hyperparams=chosen.to_dict(), lr=chosen.lr, init=init, update=update, latex=rule_latex(chosen),
        note=note, views=views,
    )


# --- display ---------------------------------------------------------------------------------
def _m_term(piece: Piece) -> str:
    if piece.id == "ema" and piece.params["bias_correction"]:
        return r"\frac{m^{t}}{1-\beta_1^{t+1}}"
    if piece.id == "heavy_ball":
        return r"b^{t}"
    return r"m^{t}"


def rule_latex(chosen: Parts) -> str:
    """The composed rule in LaTeX, with the chosen pieces (m, sigma, eps, weight decay)."""
    m, s = chosen.m, chosen.sigma
    lines = []
    if chosen.weight_decay and not chosen.decoupled:
        lines.append(r"g^{t} \leftarrow g^{t} + \text{wd}\,\theta^{t}")
    plain = m.id in ("heavy_ball", "nesterov") and not m.params["momentum"]  # torch: no buffer
    lines.append(r"m^{t} = g^{t}" if plain else m.latex)
    if s.id != "one":
        lines.append(s.latex)
        den = EPS_PLACES["inside" if chosen.eps_inside else "outside"]["latex"]
    else:
        den = None
    decay = r" - \eta_t\,\text{wd}\,\theta^{t}" if chosen.weight_decay and chosen.decoupled else ""
    if m.id == "momentum":
        step = r"\theta^{t+1} = \theta^{t} + " + (r"\frac{m^{t+1}}{%s}" % den if den else r"m^{t+1}")
    else:
        term = r"g^{t}" if plain or m.id == "grad" else _m_term(m)
        step = r"\theta^{t+1} = \theta^{t} - " + (r"\frac{\eta_t}{%s}\, %s" % (den, term) if den else r"\eta_t\, %s" % term)
    lines.append(step + decay)
    return r",\quad ".join(lines)


def rule_text(chosen: Parts) -> str:
    """A docstring for the composed update: each chosen piece's rule in math (LaTeX)."""
    m, s = chosen.m, chosen.sigma
    eps = "inside" if chosen.eps_inside else "outside"
    text = ["Composed optimizer: theta^(t+1) = theta^t - (eta_t / sigma^t) m^t  (t = 0 first update).",
            f"m: {m.name()} {dict(m.params)}:  {m.latex}",
            f"sigma: {s.name()} {dict(s.params)}:  {s.latex}"]
    if s.id != "one":
        text.append(f"eps = {chosen.eps:g}, {EPS_PLACES[eps]['en']}:  divide by {EPS_PLACES[eps]['latex']}")
    if chosen.weight_decay:
        text.append(f"weight decay {chosen.weight_decay:g} ({'decoupled' if chosen.decoupled else 'L2 in g'})")
    text.append(f"Rule: {rule_latex(chosen)}")
    return "\n".join(text)


def describe(chosen, lang: str = "en") -> str:
    """'This is exactly PyTorch Adam (...)' / 'A new combination ...' in ``lang`` (en, zh)."""
    found = identify(chosen)
    texts = RECOGNITION_TEXT["zh" if lang == "zh" else "en"]
    if found is None:
        return texts["new"]
    name, hyper = found
    params = ", ".join(f"{k}={_fmt(v)}" for k, v in hyper.items())
    return texts["exact"].format(name=NAMED[name]["zh" if lang == "zh" else "en"], params=params)


def _fmt(v) -> str:
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, tuple):
        return "(" + ", ".join(_fmt(x) for x in v) + ")"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


# --- recognition -----------------------------------------------------------------------------
def _to_parts(value) -> Parts:
    if isinstance(value, Parts):
        return value
    if isinstance(value, Optimizer):
        if value.id == "composed":
            return Parts.from_dict(value.hyperparams)
        found = decompose(value)
        if found is None:
            raise ValueError(f"{value.id} with these settings is not expressible by the parts")
        return found
    if isinstance(value, Mapping):
        return Parts.from_dict(value)
    raise TypeError("expected Parts, a composed Optimizer or a Parts.to_dict() mapping")


def identify(chosen) -> tuple[str, dict[str, Any]] | None:
    """``(id, hyperparams)`` of the named optimizer in ``optim.OPTIMIZERS`` that the parts equal
    exactly (``OPTIMIZERS[id](**hyperparams)`` gives the same points bit for bit, under any
    schedule), else None. ``chosen``: :class:`Parts`, a composed Optimizer or its hyperparams."""
    c = _to_parts(chosen)
    m, s = c.m, c.sigma
    mp, sp = dict(m.params), dict(s.params)
    lr, wd, eps = c.lr, c.weight_decay, c.eps
    # torch keeps no buffer without momentum: heavy ball / Nesterov with lambda = 0 is the gradient.
    if m.id in ("heavy_ball", "nesterov") and not mp["momentum"]:
        m_id = "grad"
    else:
        m_id = m.id
    # Adam's second moment without bias correction IS torch RMSprop's v (same operations).
    s_id = s.id
    if s_id == "adam" and not sp["bias_correction"]:
        s_id, sp = "rmsprop", {"alpha": sp["beta2"]}
    if s_id != "one" and c.eps_inside and eps:
        return None  # every named optimizer adds eps outside the root
    coupled_wd = wd if not c.decoupled else 0.0
    if wd and c.decoupled and not (m_id == "ema" and s_id in ("adam", "amsgrad", "rmsprop")):
        return None  # only AdamW decouples
    if s_id == "one":
        if c.decoupled and wd:
            return None
        if m_id == "grad":
            return ("sgd", {"lr": lr, "weight_decay": wd}) if wd else ("gd", {"lr": lr})
        if m_id == "heavy_ball":
            return "sgd", {"lr": lr, "momentum": mp["momentum"], "dampening": mp["dampening"], "weight_decay": wd}
        if m_id == "nesterov":
            return "nesterov", {"lr": lr, "momentum": mp["momentum"], "weight_decay": wd}
        if m_id == "momentum" and not wd:
            return "momentum", {"lr": lr, "momentum": mp["momentum"]}
        return None
    if m_id == "grad":
        if s_id == "adagrad":
            return "adagrad", {"lr": lr, "lr_decay": 0.0, "weight_decay": wd,
                               "initial_accumulator_value": sp["initial_accumulator_value"], "eps": eps}
        if s_id == "adagrad_mean" and not wd:
            return "adagrad_lecture", {"lr": lr, "eps": eps}
        if s_id == "rmsprop":
            return "rmsprop", {"lr": lr, "alpha": sp["alpha"], "eps": eps, "weight_decay": wd, "momentum": 0.0,
                               "centered": False}
        if s_id == "rmsprop_lecture" and not wd:
            return "rmsprop_lecture", {"lr": lr, "alpha": sp["alpha"], "eps": eps}
        return None
    if m_id == "ema":
        bias = bool(mp["bias_correction"])
        if s_id == "rmsprop" and not bias:
            b2, ams = sp["alpha"], False
        elif s_id in ("adam", "amsgrad") and bool(sp["bias_correction"]) == bias:
            b2, ams = sp["beta2"], s_id == "amsgrad"
        else:
            return None
        hyper = {"lr": lr, "betas": (mp["beta1"], b2), "eps": eps, "weight_decay": wd, "amsgrad": ams,
                 "bias_correction": bias}
        if c.decoupled and wd:
            return "adamw", hyper
        hyper["weight_decay"] = coupled_wd
        if ams:
            del hyper["amsgrad"]
            return "amsgrad", hyper
        return "adam", hyper
    return None


def recognise(chosen) -> str | None:
    """The id of the named optimizer (``optim.OPTIMIZERS`` / ``optim.SPECS``) the parts equal
    exactly, else None (a new combination). :func:`identify` also gives its hyperparameters."""
    found = identify(chosen)
    return found[0] if found else None


def decompose(optimizer: Optimizer) -> Parts | None:
    """The :class:`Parts` of a named optimizer (from its id and hyperparameters), or None when
    the parts cannot express it (see :data:`NOT_EXPRESSIBLE`). ``build(decompose(opt))`` makes
    the same points as ``opt`` bit for bit."""
    h = dict(optimizer.hyperparams)
    lr = float(optimizer.lr)
    oid = optimizer.id
    if oid == "composed":
        return Parts.from_dict(h)
    if oid == "gd":
        return parts("grad", "one", lr=lr)
    if oid in ("sgd", "nesterov"):
        lam = h["momentum"]
        if oid == "nesterov" or h.get("nesterov"):
            m = m_piece("nesterov", momentum=lam)
        elif lam:
            m = m_piece("heavy_ball", momentum=lam, dampening=h["dampening"])
        else:
            m = m_piece("grad")
        return parts(m, "one", lr=lr, weight_decay=h["weight_decay"])
    if oid == "momentum":
        return parts(m_piece("momentum", momentum=h["momentum"]), "one", lr=lr)
    if oid == "adagrad":
        if h["lr_decay"]:
            return None
        return parts("grad", sigma_piece("adagrad", initial_accumulator_value=h["initial_accumulator_value"]),
                     h["eps"], lr=lr, weight_decay=h["weight_decay"])
    if oid == "adagrad_lecture":
        return parts("grad", "adagrad_mean", h["eps"], lr=lr)
    if oid == "rmsprop":
        if h["momentum"] or h["centered"]:
            return None
        return parts("grad", sigma_piece("rmsprop", alpha=h["alpha"]), h["eps"], lr=lr, weight_decay=h["weight_decay"])
    if oid == "rmsprop_lecture":
        return parts("grad", sigma_piece("rmsprop_lecture", alpha=h["alpha"]), h["eps"], lr=lr)
    if oid in ("adam", "adamw", "amsgrad"):
        b1, b2 = h["betas"]
        bias = h["bias_correction"]
        s = sigma_piece("amsgrad" if h["amsgrad"] else "adam", beta2=b2, bias_correction=bias)
        return parts(m_piece("ema", beta1=b1, bias_correction=bias), s, h["eps"], lr=lr,
                     weight_decay=h["weight_decay"], decoupled=oid == "adamw")
    return None
