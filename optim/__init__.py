"""The optimizer engine: optimizers as pure state -> state functions, schedules, gradient noise,
and a vectorized simulator. Plain Python + NumPy (no Streamlit), usable from a notebook::

    import optim, surfaces
    opt = optim.make("adam", lr=0.05)
    run = optim.simulate(surfaces.CATALOG["rosenbrock"], opt, (0, 0), 2000,
                         schedule=optim.schedules.build("cosine", opt.lr, 2000, warmup=50))
    run.points, run.status, run.message

Optimizers use PyTorch's hyperparameter names and defaults and reproduce torch.optim exactly
(float64, verified against stored torch trajectories); the lecture's own forms are separate
ids (``momentum``, ``adagrad_lecture``, ``rmsprop_lecture``).
"""

from . import basins, compose, schedules
from .adam import adam, adamw, amsgrad
from .adaptive import adagrad, adagrad_lecture, rmsprop, rmsprop_lecture
from .base import Optimizer, State
from .basins import BasinMap, basin_map, basin_maps
from .compose import recognise
from .newton import newton
from .noise import GradientNoise
from .sgd import gd, momentum, nesterov, sgd
from .simulate import (
    BOUND,
    GRAD_TOL,
    LEAVE_GRAD,
    MAX_STEPS,
    STEP_TOL,
    Fan,
    Trajectory,
    simulate,
    simulate_many,
)
from .specs import SPECS, Param, Spec, make

OPTIMIZERS = {
    "gd": gd,
    "sgd": sgd,
    "momentum": momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "adagrad_lecture": adagrad_lecture,
    "rmsprop": rmsprop,
    "rmsprop_lecture": rmsprop_lecture,
    "adam": adam,
    "adamw": adamw,
    "amsgrad": amsgrad,
    "newton": newton,
}

__all__ = [
    "BOUND", "GRAD_TOL", "LEAVE_GRAD", "MAX_STEPS", "OPTIMIZERS", "SPECS", "STEP_TOL", "BasinMap", "Fan", "GradientNoise",
    "Optimizer", "Param", "Spec", "State", "Trajectory", "adagrad", "adagrad_lecture", "adam", "adamw", "amsgrad",
    "basin_map", "basin_maps", "basins", "compose", "gd",
    "make", "momentum", "nesterov", "newton", "recognise", "rmsprop", "rmsprop_lecture", "schedules", "sgd", "simulate",
    "simulate_many",
]
