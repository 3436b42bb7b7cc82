r"""Per-parameter adaptive learning rates: AdaGrad and RMSprop, torch's and the lecture's.

All four divide the step by sigma, a running size of past gradients, coordinate by coordinate:
:math:`\theta^{t+1}_i = \theta^t_i - \frac{\eta}{\sigma^t_i} g^t_i`. They differ in how sigma is
kept. torch's forms put ``eps`` OUTSIDE the square root (``sqrt(v) + eps``); so do ours.
"""

from __future__ import annotations

import numpy as np

from .base import Optimizer, zeros


def adagrad(lr: float = 1e-2, lr_decay: float = 0.0, weight_decay: float = 0.0,
            initial_accumulator_value: float = 0.0, eps: float = 1e-10) -> Optimizer:
    r"""torch.optim.Adagrad, exactly (float64). t = 1, 2, ... counts updates.

    .. math::
        g &\leftarrow g + \text{wd}\,\theta, \qquad
        \eta'_t = \frac{\eta}{1 + (t-1)\,\text{lr\_decay}} \\
        s^{t} &= s^{t-1} + (g^{t})^2, \quad s^0 = \text{initial\_accumulator\_value} \\
        \theta^{t+1} &= \theta^{t} - \eta'_t\, \frac{g^{t}}{\sqrt{s^{t}} + \epsilon}

    The SUM never shrinks, so the step never grows. State ``sum``; view ``sigma = sqrt(sum)``.
    """
    if lr < 0 or lr_decay < 0 or weight_decay < 0 or initial_accumulator_value < 0 or eps < 0:
        raise ValueError("Adagrad hyperparameters must be non-negative")
    wd, decay, acc0, eps = float(weight_decay), float(lr_decay), float(initial_accumulator_value), float(eps)

    def init(params):
        return {"sum": np.full_like(np.asarray(params, dtype=float), acc0)}

    def update(grad, state, params, lr, step, hessian=None):
        g = grad + wd * params if wd else grad
        clr = lr / (1.0 + step * decay)  # torch: (t - 1) * lr_decay with t = step + 1
        s = state["sum"] + g * g
        return -clr * g / (np.sqrt(s) + eps), {"sum": s}

    def views(state, t):
        return {"sum": state["sum"], "sigma": np.sqrt(state["sum"])}

    return Optimizer(
        id="adagrad", name="Adagrad (torch)",
        hyperparams={"lr": lr, "lr_decay": decay, "weight_decay": wd,
                     "initial_accumulator_value": acc0, "eps": eps},
        lr=lr, init=init, update=update, views=views,
        latex=(r"\sigma^{t} = \sqrt{\textstyle\sum_{i \le t} (g^{i})^2},\quad "
               r"\theta^{t+1} = \theta^{t} - \frac{\eta}{\sigma^{t} + \epsilon}\, g^{t}"),
        note=("torch's Adagrad: sigma is the root of the SUM of squares (the lecture uses the MEAN); "
              "the lecture's form with eta_t = eta/sqrt(t+1) gives the same points."),
    )


def adagrad_lecture(lr: float = 1e-2, eps: float = 1e-10) -> Optimizer:
    r"""The lecture's AdaGrad: sigma is the root MEAN square of all gradients so far.

    .. math::
        \sigma^{t} = \sqrt{\frac{1}{t+1}\sum_{i=0}^{t} (g^{i})^2},\qquad
        \theta^{t+1} = \theta^{t} - \frac{\eta_t}{\sigma^{t} + \epsilon}\, g^{t}

    ``eps`` (tiny, outside the root) is ours, not the lecture's: it makes a zero gradient give a
    zero step instead of 0/0 = NaN. Because sigma is a mean it can SHRINK when gradients get
    small, so the effective step can grow: the lecture's AdaGrad "burst". State ``sum`` (sum of
    squares); view ``sigma``.
    """
    if lr < 0 or eps < 0:
        raise ValueError("lr and eps must be non-negative")
    eps = float(eps)

    def init(params):
        return zeros(params, "sum")

    def update(grad, state, params, lr, step, hessian=None):
        s = state["sum"] + grad * grad
        sigma = np.sqrt(s / (step + 1))
        return -lr * grad / (sigma + eps), {"sum": s}

    def views(state, t):
        return {"sum": state["sum"], "sigma": np.sqrt(state["sum"] / t)}

    return Optimizer(
        id="adagrad_lecture", name="AdaGrad (lecture, root mean square)",
        hyperparams={"lr": lr, "eps": eps}, lr=lr, init=init, update=update, views=views,
        latex=(r"\sigma^{t} = \sqrt{\frac{1}{t+1}\sum_{i=0}^{t} (g^{i})^2},\quad "
               r"\theta^{t+1} = \theta^{t} - \frac{\eta}{\sigma^{t}}\, g^{t}"),
        note=("The lecture's mean-square sigma, which can shrink (step bursts); torch's Adagrad "
              "uses the sum. A tiny eps outside the root turns 0/0 into 0."),
    )


def rmsprop(lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8, weight_decay: float = 0.0,
            momentum: float = 0.0, centered: bool = False) -> Optimizer:
    r"""torch.optim.RMSprop, exactly (float64): zero-initialised, no bias correction.

    .. math::
        v^{t} &= \alpha v^{t-1} + (1-\alpha)(g^{t})^2, \quad v^{0} = 0 \\
        \sigma^{t} &= \sqrt{v^{t} - (\bar g^{t})^2}\ \text{(centered, } \bar g^{t} = \alpha \bar g^{t-1}
            + (1-\alpha) g^{t}\text{) or } \sqrt{v^{t}} \\
        \theta^{t+1} &= \theta^{t} - \eta\, \frac{g^{t}}{\sigma^{t} + \epsilon}
            \quad\text{or, with momentum } \mu:\ m^{t} = \mu m^{t-1} + \frac{g^{t}}{\sigma^{t}+\epsilon},\
            \theta^{t+1} = \theta^{t} - \eta\, m^{t}

    Starting from v = 0, the first step is about ``lr / sqrt(1 - alpha)`` = 10 lr at alpha 0.99:
    the early jump that warm-up tames. State ``v`` (+ ``gbar``, momentum buffer ``m``); view ``sigma``.
    """
    if lr < 0 or eps < 0 or weight_decay < 0 or momentum < 0 or not 0 <= alpha <= 1:
        raise ValueError("RMSprop hyperparameters out of range")
    a, eps, wd, mu, centered = float(alpha), float(eps), float(weight_decay), float(momentum), bool(centered)
    names = ("v",) + (("gbar",) if centered else ()) + (("m",) if mu > 0 else ())  # m: momentum buffer, as in sgd

    def init(params):
        return zeros(params, *names)

    def update(grad, state, params, lr, step, hessian=None):
        g = grad + wd * params if wd else grad
        new = {"v": a * state["v"] + (1.0 - a) * (g * g)}
        if centered:
            new["gbar"] = state["gbar"] + (1.0 - a) * (g - state["gbar"])  # torch uses lerp
            avg = np.sqrt(new["v"] - new["gbar"] * new["gbar"]) + eps
        else:
            avg = np.sqrt(new["v"]) + eps
        if mu > 0:
            new["m"] = mu * state["m"] + g / avg
            return -lr * new["m"], new
        return -lr * g / avg, new

    def views(state, t):
        out = dict(state)
        v = state["v"] - state["gbar"] ** 2 if centered else state["v"]
        out["sigma"] = np.sqrt(v)
        return out

    latex = (r"\sigma^{t} = \sqrt{\alpha (\sigma^{t-1})^2 + (1-\alpha)(g^{t})^2},\ \sigma^{-1} = 0,\quad "
             r"\theta^{t+1} = \theta^{t} - \frac{\eta}{\sigma^{t} + \epsilon}\, g^{t}")
    return Optimizer(
        id="rmsprop", name="RMSprop (torch)",
        hyperparams={"lr": lr, "alpha": a, "eps": eps, "weight_decay": wd, "momentum": mu, "centered": centered},
        lr=lr, init=init, update=update, views=views, latex=latex,
        note=("torch starts the average at 0 with no bias correction, so the first step is about "
              "10 lr (alpha 0.99); the lecture starts sigma at |g|."),
    )


def rmsprop_lecture(lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-10) -> Optimizer:
    r"""The lecture's RMSProp: sigma starts at the first gradient's size, so there is no jump.

    .. math::
        \sigma^{0} = |g^{0}|,\qquad
        \sigma^{t} = \sqrt{\alpha (\sigma^{t-1})^2 + (1-\alpha)(g^{t})^2},\qquad
        \theta^{t+1} = \theta^{t} - \frac{\eta}{\sigma^{t} + \epsilon}\, g^{t}

    The tiny ``eps`` (ours) makes a zero gradient give a zero step. State ``sigma``.
    """
    if lr < 0 or eps < 0 or not 0 <= alpha <= 1:
        raise ValueError("RMSprop hyperparameters out of range")
    a, eps = float(alpha), float(eps)

    def init(params):
        return zeros(params, "sigma")

    def update(grad, state, params, lr, step, hessian=None):
        if step == 0:
            sigma = np.abs(grad)
        else:
            sigma = np.sqrt(a * state["sigma"] ** 2 + (1.0 - a) * (grad * grad))
        return -lr * grad / (sigma + eps), {"sigma": sigma}

    return Optimizer(
        id="rmsprop_lecture", name="RMSProp (lecture)", hyperparams={"lr": lr, "alpha": a, "eps": eps},
        lr=lr, init=init, update=update,
        latex=(r"\sigma^{0} = |g^{0}|,\ \sigma^{t} = \sqrt{\alpha (\sigma^{t-1})^2 + (1-\alpha)(g^{t})^2},\quad "
               r"\theta^{t+1} = \theta^{t} - \frac{\eta}{\sigma^{t}}\, g^{t}"),
        note="The lecture's form: sigma starts at |g0| (first step about lr); torch starts at 0 (about 10 lr).",
    )
