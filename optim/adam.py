r"""Adam, AdamW and AMSGrad (torch.optim.Adam / AdamW), exactly in float64.

Adam is "RMSprop + momentum" in the lecture's words: m gives the direction, sigma the size.
With t = 1, 2, ... counting updates:

.. math::
    m^{t} &= \beta_1 m^{t-1} + (1-\beta_1) g^{t}, \qquad v^{t} = \beta_2 v^{t-1} + (1-\beta_2)(g^{t})^2 \\
    \hat m^{t} &= \frac{m^{t}}{1-\beta_1^{t}}, \qquad \sigma^{t} = \sqrt{\frac{v^{t}}{1-\beta_2^{t}}} \\
    \theta^{t+1} &= \theta^{t} - \eta\, \frac{\hat m^{t}}{\sigma^{t} + \epsilon}

Weight decay: Adam adds ``wd * theta`` to g; AdamW (decoupled) first shrinks theta by
``(1 - eta * wd)``. AMSGrad uses ``max(v_max, v)`` over the RAW v, as torch (optax takes the max
over the bias-corrected v: different numbers).
"""

from __future__ import annotations

import math

import numpy as np

from .base import Optimizer, zeros


def _adam_family(id, name, lr, betas, eps, weight_decay, amsgrad, bias_correction, decoupled, note) -> Optimizer:
    b1, b2 = (float(b) for b in betas)
    eps, wd = float(eps), float(weight_decay)
    if lr < 0 or eps < 0 or wd < 0 or not (0 <= b1 < 1 and 0 <= b2 < 1):
        raise ValueError("Adam hyperparameters out of range (0 <= beta < 1, others non-negative)")
    amsgrad, bias_correction = bool(amsgrad), bool(bias_correction)
    names = ("m", "v") + (("v_max",) if amsgrad else ())

    def init(params):
        return zeros(params, *names)

    def corrections(t):
        if not bias_correction:
            return 1.0, 1.0
        return 1.0 - b1 ** t, np.sqrt(1.0 - b2 ** t)

    def update(grad, state, params, lr, step, hessian=None):
        g = grad
        if wd and not decoupled:
            g = grad + wd * params
        m = b1 * state["m"] + (1.0 - b1) * g
        v = b2 * state["v"] + (1.0 - b2) * (g * g)
        new = {"m": m, "v": v}
        if amsgrad:
            v = new["v_max"] = np.maximum(state["v_max"], v)
        if bias_correction:
            t = step + 1
            bc1, bc2_sqrt = 1.0 - b1 ** t, math.sqrt(1.0 - b2 ** t)
            delta = -(lr / bc1) * m / (np.sqrt(v) / bc2_sqrt + eps)
        else:
            delta = -lr * m / (np.sqrt(v) + eps)
        if wd and decoupled:
            delta = delta - (lr * wd) * params
        return delta, new

    def views(state, t):
        out = dict(state)
        _, bc2_sqrt = corrections(t)
        out["sigma"] = np.sqrt(state["v_max"] if amsgrad else state["v"]) / bc2_sqrt
        return out

    hat = r"\hat m^{t}" if bias_correction else r"m^{t}"
    latex = (r"m^{t} = \beta_1 m^{t-1} + (1-\beta_1) g^{t},\ "
             r"\sigma^{t} = \sqrt{\frac{%s}{%s}},\quad "
             r"\theta^{t+1} = \theta^{t} - \frac{\eta}{\sigma^{t} + \epsilon}\, %s"
             % (r"\max_{i \le t} v^{i}" if amsgrad else r"v^{t}",
                r"1-\beta_2^{t}" if bias_correction else "1", hat))
    if bias_correction:
        latex += r",\ \hat m^{t} = \frac{m^{t}}{1-\beta_1^{t}}"
    if wd:
        latex = (r"\theta^{t} \leftarrow (1 - \eta\,\text{wd})\,\theta^{t},\ " if decoupled
                 else r"g^{t} \leftarrow g^{t} + \text{wd}\,\theta^{t},\ ") + latex
    return Optimizer(
        id=id, name=name, lr=lr, init=init, update=update, views=views, latex=latex, note=note,
        hyperparams={"lr": lr, "betas": (b1, b2), "eps": eps, "weight_decay": wd, "amsgrad": amsgrad,
                     "bias_correction": bias_correction},
    )


def adam(lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
         weight_decay: float = 0.0, amsgrad: bool = False, bias_correction: bool = True) -> Optimizer:
    """torch.optim.Adam (L2 weight decay added to g). ``bias_correction=False`` is ours: it
    shows why the correction exists (without it the first steps are ~(1-beta1)/sqrt(1-beta2) lr)."""
    return _adam_family("adam", "Adam (torch)", lr, betas, eps, weight_decay, amsgrad, bias_correction,
                        decoupled=False,
                        note="torch's Adam: the lecture's m/sigma with both averages bias-corrected; eps after the correction.")


def adamw(lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
          weight_decay: float = 1e-2, amsgrad: bool = False, bias_correction: bool = True) -> Optimizer:
    """torch.optim.AdamW: decoupled weight decay, theta <- (1 - lr wd) theta before the Adam step."""
    return _adam_family("adamw", "AdamW (torch)", lr, betas, eps, weight_decay, amsgrad, bias_correction,
                        decoupled=True,
                        note="Weight decay shrinks theta directly instead of entering g, so sigma never sees it.")


def amsgrad(lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
            weight_decay: float = 0.0, bias_correction: bool = True) -> Optimizer:
    """torch.optim.Adam(amsgrad=True): sigma from the running max of the RAW v."""
    return _adam_family("amsgrad", "AMSGrad (torch)", lr, betas, eps, weight_decay, True, bias_correction,
                        decoupled=False,
                        note="Max over torch's raw v (optax takes it over the bias-corrected v), so sigma never shrinks.")
