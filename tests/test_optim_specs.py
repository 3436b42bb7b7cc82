"""The registry, the widget specs and make(): defaults are torch's, bounds are safe."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest

import optim
import surfaces

TORCH_DEFAULTS = {  # torch 2.x signatures (reference notes, section 1)
    "sgd": {"lr": 1e-3, "momentum": 0.0, "dampening": 0.0, "nesterov": False, "weight_decay": 0.0},
    "adagrad": {"lr": 1e-2, "lr_decay": 0.0, "weight_decay": 0.0, "initial_accumulator_value": 0.0, "eps": 1e-10},
    "rmsprop": {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0, "momentum": 0.0, "centered": False},
    "adam": {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, "amsgrad": False},
    "adamw": {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 1e-2, "amsgrad": False},
}


def test_registry_and_specs_agree():
    assert list(optim.OPTIMIZERS) == list(optim.SPECS) == [
        "gd", "sgd", "momentum", "nesterov", "adagrad", "adagrad_lecture", "rmsprop", "rmsprop_lecture",
        "adam", "adamw", "amsgrad", "newton"]
    for opt_id, factory in optim.OPTIMIZERS.items():
        opt = factory()
        assert opt.id == opt_id and optim.SPECS[opt_id].factory is factory
        assert opt.latex and r"\theta" in opt.latex and opt.note and opt.name
        assert opt.lr == opt.hyperparams["lr"]
        assert opt.needs_hessian == (opt_id == "newton")
        with pytest.raises(TypeError):
            opt.hyperparams["lr"] = 1.0  # frozen


@pytest.mark.parametrize("opt_id", list(TORCH_DEFAULTS))
def test_defaults_are_torchs(opt_id):
    used = dict(optim.OPTIMIZERS[opt_id]().hyperparams)
    for name, value in TORCH_DEFAULTS[opt_id].items():
        assert used[name] == value, name


@pytest.mark.parametrize("opt_id", list(optim.SPECS))
def test_spec_defaults_match_the_factory(opt_id):
    spec = optim.SPECS[opt_id]
    built = optim.make(opt_id)
    signature = inspect.signature(spec.factory).parameters
    for p in spec.params:
        assert p.kind in ("float", "int", "bool", "choice")
        if p.kind in ("float", "int"):
            assert p.min <= p.default <= p.max
        if p.name in ("beta1", "beta2"):
            assert built.hyperparams["betas"][int(p.name[-1]) - 1] == p.default
        else:
            assert signature[p.name].default == p.default == built.hyperparams[p.name]
    lr = next(p for p in spec.params if p.name == "lr")
    assert lr.min >= 1e-5 and lr.max <= 10 and lr.log


@pytest.mark.parametrize("opt_id", list(optim.SPECS))
def test_every_corner_of_the_widget_box_runs_without_errors_or_warnings(opt_id):
    spec = optim.SPECS[opt_id]
    numeric = [p for p in spec.params if p.kind in ("float", "int")]
    corners = [{p.name: getattr(p, end) for p in numeric} for end in ("min", "max")]
    corners += [{p.name: p.max if i % 2 else p.min for i, p in enumerate(numeric)}]
    for hyper in corners:
        if opt_id == "sgd":
            hyper["nesterov"] = False
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            run = optim.simulate(surfaces.CATALOG["himmelblau"], optim.make(opt_id, **hyper), (0.0, 0.0), 200)
        assert run.status in ("converged", "diverged", "budget")
        assert np.isfinite(run.points[:-1]).all()


def test_make_clamps_and_validates():
    opt = optim.make("adam", lr=1e9, beta1=2.0, eps=0.0)
    assert opt.lr == 10.0 and opt.hyperparams["betas"][0] == 0.999 and opt.hyperparams["eps"] == 1e-12
    assert optim.make("adam", betas=(0.5, 0.9)).hyperparams["betas"] == (0.5, 0.9)
    assert optim.make("sgd", momentum=0.5, nesterov=True).hyperparams["nesterov"] is True
    with pytest.raises(ValueError):
        optim.make("sgd", nesterov=True)  # torch's rule: nesterov needs momentum
    with pytest.raises(ValueError):
        optim.make("adam", momentum=0.9)
    with pytest.raises(ValueError):
        optim.make("lbfgs")
    with pytest.raises(ValueError):
        optim.make("gd", lr=float("nan"))
