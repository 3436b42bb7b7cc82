"""Widget-ready descriptions of every optimizer, and :func:`make` to build one safely.

The UI generates its widgets from ``SPECS``; the bounds are chosen so no widget value can crash
the engine (a blow-up is still possible and is reported as "diverged", never raised).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import adam as _adam
from . import adaptive as _adaptive
from . import newton as _newton
from . import sgd as _sgd
from .base import Optimizer


@dataclass(frozen=True)
class Param:
    """One hyperparameter as a widget: ``kind`` is float | int | bool | choice | int_list.

    ``step`` None with ``log=True`` means a log-scale slider (the UI picks the resolution)."""

    name: str
    label: str
    default: Any
    min: float | None = None
    max: float | None = None
    step: float | None = None
    format: str | None = None
    log: bool = False
    kind: str = "float"
    choices: tuple = ()
    help: str = ""

    def clamp(self, value):
        """Coerce ``value`` to this kind and clip it into [min, max] (ValueError if impossible)."""
        if self.kind == "bool":
            return bool(value)
        if self.kind == "choice":
            if value not in self.choices:
                raise ValueError(f"{self.name} must be one of {self.choices}, not {value!r}")
            return value
        if self.kind == "int_list":
            return tuple(int(self._clip(int(v))) for v in (value or ()))
        number = float(value)
        if math.isnan(number):  # NaN: no sensible clip
            raise ValueError(f"{self.name} must be a number")
        if self.kind == "int":
            number = round(number)
        return type(number)(self._clip(number))

    def _clip(self, x):
        if self.min is not None and x < self.min:
            x = self.min
        if self.max is not None and x > self.max:
            x = self.max
        return x


@dataclass(frozen=True)
class Spec:
    id: str
    title: str
    family: str  # "first-order" | "momentum" | "adaptive" | "second-order"
    params: tuple[Param, ...]
    factory: Callable[..., Optimizer]

    @property
    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}


def _lr(default: float) -> Param:
    return Param("lr", "Learning rate η (lr)", default, 1e-5, 10.0, None, "%.5f", log=True)


_WD = Param("weight_decay", "Weight decay (weight_decay)", 0.0, 0.0, 1.0, 0.001, "%.3f")
_MOMENTUM = Param("momentum", "Momentum λ (momentum)", 0.9, 0.0, 0.999, 0.01, "%.3f")


def _eps(default: float) -> Param:
    return Param("eps", "ε (eps)", default, 1e-12, 1e-2, None, "%.0e", log=True)


_ADAM_PARAMS = (
    Param("beta1", "β1 (betas[0])", 0.9, 0.0, 0.999, 0.01, "%.3f"),
    Param("beta2", "β2 (betas[1])", 0.999, 0.5, 0.99999, 0.001, "%.5f"),
    _eps(1e-8),
)
_BIAS = Param("bias_correction", "Bias correction", True, kind="bool")

SPECS: dict[str, Spec] = {s.id: s for s in (
    Spec("gd", "Gradient descent", "first-order", (_lr(1e-2),), _sgd.gd),
    Spec("sgd", "SGD (torch)", "momentum", (
        _lr(1e-3), Param("momentum", "Momentum λ (momentum)", 0.0, 0.0, 0.999, 0.01, "%.3f"),
        Param("dampening", "Dampening (dampening)", 0.0, 0.0, 1.0, 0.01),
        Param("nesterov", "Nesterov (nesterov)", False, kind="bool",
              help="needs momentum > 0 and dampening = 0"), _WD), _sgd.sgd),
    Spec("momentum", "Momentum (lecture)", "momentum", (_lr(1e-2), _MOMENTUM), _sgd.momentum),
    Spec("nesterov", "Nesterov momentum (torch)", "momentum", (
        _lr(1e-3), Param("momentum", "Momentum λ (momentum)", 0.9, 0.01, 0.999, 0.01, "%.3f",
                         help="torch's Nesterov needs momentum > 0"), _WD), _sgd.nesterov),
    Spec("adagrad", "Adagrad (torch)", "adaptive", (
        _lr(1e-2), Param("lr_decay", "lr decay (lr_decay)", 0.0, 0.0, 1.0, 0.001, "%.3f"), _WD,
        Param("initial_accumulator_value", "Initial accumulator", 0.0, 0.0, 10.0, 0.1), _eps(1e-10)),
        _adaptive.adagrad),
    Spec("adagrad_lecture", "AdaGrad (lecture, RMS)", "adaptive", (_lr(1e-2), _eps(1e-10)), _adaptive.adagrad_lecture),
    Spec("rmsprop", "RMSprop (torch)", "adaptive", (
        _lr(1e-2), Param("alpha", "α (alpha)", 0.99, 0.5, 0.9999, 0.001, "%.4f"), _eps(1e-8), _WD,
        Param("momentum", "Momentum (momentum)", 0.0, 0.0, 0.999, 0.01, "%.3f"),
        Param("centered", "Centered (centered)", False, kind="bool")), _adaptive.rmsprop),
    Spec("rmsprop_lecture", "RMSProp (lecture)", "adaptive", (
        _lr(1e-2), Param("alpha", "α", 0.99, 0.5, 0.9999, 0.001, "%.4f"), _eps(1e-10)), _adaptive.rmsprop_lecture),
    Spec("adam", "Adam (torch)", "adaptive", (
        _lr(1e-3), *_ADAM_PARAMS, _WD, Param("amsgrad", "AMSGrad (amsgrad)", False, kind="bool"), _BIAS), _adam.adam),
    Spec("adamw", "AdamW (torch)", "adaptive", (
        _lr(1e-3), *_ADAM_PARAMS, Param("weight_decay", "Weight decay (weight_decay)", 1e-2, 0.0, 1.0, 0.001, "%.3f"),
        Param("amsgrad", "AMSGrad (amsgrad)", False, kind="bool"), _BIAS), _adam.adamw),
    Spec("amsgrad", "AMSGrad (torch)", "adaptive", (_lr(1e-3), *_ADAM_PARAMS, _WD, _BIAS), _adam.amsgrad),
    Spec("newton", "Newton (damped)", "second-order", (
        Param("lr", "Step scale η (lr)", 1.0, 1e-5, 10.0, None, "%.4f", log=True),
        Param("damping", "Damping δ (added to H's diagonal)", 0.0, 0.0, 100.0, 0.01)), _newton.newton),
)}


def make(id: str, **hyper) -> Optimizer:
    """Build optimizer ``id`` from widget values: unknown names raise ``ValueError``, numbers
    are clipped into the spec's bounds, missing ones take the defaults. Adam's ``betas`` may be
    given as ``betas=(b1, b2)`` or as ``beta1``/``beta2``. Inconsistent combinations the factory
    rejects (torch's nesterov rule) still raise ``ValueError``."""
    if id not in SPECS:
        raise ValueError(f"unknown optimizer {id!r}; choose one of {', '.join(SPECS)}")
    spec = SPECS[id]
    if "betas" in hyper:
        hyper = dict(hyper)
        hyper["beta1"], hyper["beta2"] = hyper.pop("betas")
    names = {p.name for p in spec.params}
    unknown = set(hyper) - names
    if unknown:
        raise ValueError(f"{id} has no hyperparameter(s) {', '.join(sorted(unknown))}")
    values = {p.name: p.clamp(hyper.get(p.name, p.default)) for p in spec.params}
    if "beta1" in values:
        values["betas"] = (values.pop("beta1"), values.pop("beta2"))
    return spec.factory(**values)
