"""Gradient descent and its momentum forms: ``gd``, ``sgd``, ``momentum``, ``nesterov``.

Symbols (the lecture's): theta = parameters, g = gradient at theta^t, eta = learning rate
(torch ``lr``), lambda = momentum coefficient (torch ``momentum``), m = movement / buffer.
"""

from __future__ import annotations

from .base import Optimizer, zeros


def gd(lr: float = 1e-2) -> Optimizer:
    r"""Plain gradient descent: :math:`\theta^{t+1} = \theta^t - \eta g^t`."""

    def init(params):
        return {}

    def update(grad, state, params, lr, step, hessian=None):
        return -lr * grad, state

    return Optimizer(
        id="gd", name="Gradient descent", hyperparams={"lr": lr}, lr=lr, init=init, update=update,
        latex=r"\theta^{t+1} = \theta^{t} - \eta\, g^{t}",
        note="The lecture's plain gradient descent; equals torch SGD with every option off.",
    )


def sgd(lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0, nesterov: bool = False,
        weight_decay: float = 0.0, *, _id: str = "sgd", _name: str = "SGD (torch)") -> Optimizer:
    r"""torch.optim.SGD, exactly (float64).

    .. math::
        g &\leftarrow g + \text{wd}\,\theta \\
        b^{1} &= g^{0} \quad\text{(first step: no dampening, as torch)} \\
        b^{t+1} &= \lambda b^{t} + (1-\text{dampening})\, g^{t} \\
        \theta^{t+1} &= \theta^{t} - \eta\,(g^{t} + \lambda b^{t+1}) \ \text{(nesterov) or }\
            \theta^{t} - \eta\, b^{t+1}

    The whole buffer is multiplied by the CURRENT lr, so with a schedule this differs from the
    lecture's ``m = lambda m - eta g`` (see :func:`momentum`); with a constant lr they agree.
    """
    if lr < 0 or momentum < 0 or weight_decay < 0:
        raise ValueError("lr, momentum and weight_decay must be non-negative")
    if nesterov and (momentum <= 0 or dampening != 0):
        raise ValueError("Nesterov momentum requires a momentum and zero dampening")
    lam, damp, wd = float(momentum), float(dampening), float(weight_decay)

    def init(params):
        return zeros(params, "m") if lam else {}

    def update(grad, state, params, lr, step, hessian=None):
        g = grad + wd * params if wd else grad
        if not lam:
            return -lr * g, state
        # torch creates the buffer from the first gradient itself: no (1 - dampening) there.
        m = g if step == 0 else lam * state["m"] + (1.0 - damp) * g
        direction = g + lam * m if nesterov else m
        return -lr * direction, {"m": m}

    if nesterov:
        latex = (r"b^{t+1} = \lambda b^{t} + g^{t},\quad "
                 r"\theta^{t+1} = \theta^{t} - \eta\,\left(g^{t} + \lambda b^{t+1}\right)")
    elif lam:
        latex = (r"b^{t+1} = \lambda b^{t} + (1-\text{dampening})\, g^{t},\quad "
                 r"\theta^{t+1} = \theta^{t} - \eta\, b^{t+1}")
    else:
        latex = r"\theta^{t+1} = \theta^{t} - \eta\, g^{t}"
    if wd:
        latex = r"g^{t} \leftarrow g^{t} + \text{wd}\,\theta^{t},\quad " + latex
    return Optimizer(
        id=_id, name=_name,
        hyperparams={"lr": lr, "momentum": lam, "dampening": damp, "nesterov": bool(nesterov),
                     "weight_decay": wd},
        lr=lr, init=init, update=update, latex=latex,
        note=("torch's form: the buffer b sums raw gradients and the current lr scales all of it; "
              "same points as the lecture's m only while the lr is constant."),
    )


def nesterov(lr: float = 1e-3, momentum: float = 0.9, weight_decay: float = 0.0) -> Optimizer:
    r"""torch.optim.SGD with ``nesterov=True`` (dampening 0):
    :math:`b^{t+1} = \lambda b^t + g^t,\ \theta^{t+1} = \theta^t - \eta (g^t + \lambda b^{t+1})`."""
    return sgd(lr=lr, momentum=momentum, dampening=0.0, nesterov=True, weight_decay=weight_decay,
               _id="nesterov", _name="Nesterov momentum (torch)")


def momentum(lr: float = 1e-2, momentum: float = 0.9) -> Optimizer:
    r"""The lecture's heavy ball: :math:`m^{t+1} = \lambda m^{t} - \eta_t g^{t},\
    \theta^{t+1} = \theta^{t} + m^{t+1}`, with :math:`m^0 = 0`.

    m is the movement itself (a weighted sum of all past gradients, each scaled by the lr of its
    own step). torch's SGD instead scales the whole buffer by the current lr.
    """
    lam = float(momentum)
    if lr < 0 or lam < 0:
        raise ValueError("lr and momentum must be non-negative")

    def init(params):
        return zeros(params, "m")

    def update(grad, state, params, lr, step, hessian=None):
        m = lam * state["m"] - lr * grad
        return m, {"m": m}

    return Optimizer(
        id="momentum", name="Momentum (lecture)", hyperparams={"lr": lr, "momentum": lam}, lr=lr,
        init=init, update=update,
        latex=r"m^{t+1} = \lambda m^{t} - \eta_t\, g^{t},\quad \theta^{t+1} = \theta^{t} + m^{t+1}",
        note=("The lecture's form: each gradient keeps the lr of its own step; torch SGD(momentum) "
              "gives the same points only with a constant lr."),
    )
