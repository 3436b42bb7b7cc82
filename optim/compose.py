r"""Build an optimizer from the lecture's three parts (issue 14).

The lecture ends on one rule that covers every method it taught,

.. math::
    \theta_i^{t+1} = \theta_i^{t} - \frac{\eta_t}{\sigma_i^{t}}\, m_i^{t},

"the methods differ only in how m, sigma and eta_t are computed". :func:`compose` takes one
piece for m, one for sigma and the place of eps, and returns an ordinary :class:`Optimizer`
(id ``"composed"``); eta_t is any schedule of :mod:`optim.schedules`, passed to ``simulate`` as
for every optimizer. :func:`recognise` says which named optimizer of ``optim.OPTIMIZERS`` a
combination IS (bit for bit, with which hyperparameters), or None: a new combination.

The pieces themselves (m: ``grad``, ``momentum``, ``heavy_ball``, ``nesterov``, ``ema``; sigma:
``one``, ``adagrad``, ``adagrad_mean``, ``rmsprop_lecture``, ``rmsprop``, ``adam``, ``amsgrad``;
eps outside or inside the root), their rules and tables live in :mod:`optim.compose_parts` and
are re-exported here. This module's job: put the pieces together (:class:`Parts`,
:func:`compose`, :func:`build`), show the composed rule (:func:`rule_latex`, :func:`rule_lines`, :func:`describe`)
and map between parts and named optimizers (:func:`identify`, :func:`recognise`,
:func:`decompose`).

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
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .base import Optimizer
from .compose_parts import (
    EPS_PLACES,
    M_PIECES,
    NAMED,
    RECOGNITION_TEXT,
    SIGMA_PIECES,
    Piece,
    Transform,
    _as_bool,
    _as_piece,
    m_piece,
    m_transform,
    sigma_piece,
    sigma_transform,
)

__all__ = [
    "EPS_PLACES", "M_PIECES", "NAMED", "NOT_EXPRESSIBLE", "RECOGNITION_TEXT", "SIGMA_PIECES",
    "Parts", "Piece", "Transform", "build", "compose", "decompose", "describe", "identify", "m_piece",
    "m_transform", "parts", "recognise", "rule_latex", "rule_lines", "rule_text", "sigma_piece", "sigma_transform",
]

# Named optimizers (or settings of them) the parts cannot express, and why.
NOT_EXPRESSIBLE: dict[str, str] = {
    "newton": "second order: the step solves with the Hessian, it is not (eta / sigma) m",
    "rmsprop(momentum>0)": "torch's RMSprop momentum accumulates g / sigma (already divided), not m / sigma",
    "rmsprop(centered=True)": "sigma from the variance v - gbar^2: no such sigma piece",
    "adagrad(lr_decay>0)": "an lr decay inside the optimizer, multiplied into any schedule",
}


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
    return r",\quad ".join(rule_lines(chosen))


def rule_lines(chosen: Parts) -> list[str]:
    """The composed rule as separate LaTeX lines: [L2 weight decay,] m, [sigma,] the step (last)."""
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
    return lines


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
