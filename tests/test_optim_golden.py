"""Our optimizers and schedules against stored torch.optim runs (tests/golden/, made by
tests/make_golden.py with real torch 2.13, float64). These tests need no torch."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import optim
import surfaces

GOLDEN = Path(__file__).parent / "golden"
META = json.loads((GOLDEN / "torch_cases.json").read_text())
TRAJ = np.load(GOLDEN / "torch_trajectories.npz")
SCHEDULES = json.loads((GOLDEN / "torch_schedules.json").read_text())["schedules"]
TOL = 1e-9


def _case_id(case):
    sched = "sched" if case["schedule"] else "const"
    hyper = ",".join(f"{k}={v}" for k, v in case["hyper"].items() if k != "lr")
    return f"{case['optimizer']}[{hyper}]-{case['surface']}-{sched}"


def _build(case):
    hyper = {k: tuple(v) if k == "betas" else v for k, v in case["hyper"].items()}
    opt = optim.OPTIMIZERS[case["optimizer"]](**hyper)
    schedule = None
    if case["schedule"]:
        form = dict(case["schedule"])
        schedule = optim.schedules.build(form.pop("kind"), hyper["lr"], META["steps"], **form)
    return opt, schedule


CASES = list(enumerate(META["cases"]))


def test_golden_set_covers_every_torch_backed_optimizer_with_and_without_schedule():
    seen = {(c["optimizer"], bool(c["schedule"])) for c in META["cases"]}
    for opt_id in ("sgd", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "amsgrad"):
        assert (opt_id, False) in seen and (opt_id, True) in seen
    assert {c["surface"] for c in META["cases"]} >= {"rosenbrock", "himmelblau", "booth", "elongated_bowl"}
    assert TRAJ["points"].shape == (len(META["cases"]), META["steps"] + 1, 2)


@pytest.mark.parametrize("index,case", CASES, ids=[_case_id(c) for _, c in CASES])
def test_trajectory_matches_torch(index, case):
    opt, schedule = _build(case)
    surface = surfaces.parse(case["formula"])  # the formula torch ran, whatever the catalog says today
    run = optim.simulate(surface, opt, case["start"], META["steps"], schedule=schedule)
    expected = TRAJ["points"][index]
    assert run.status == "budget", run.message  # torch ran all 100 steps: so must we
    np.testing.assert_allclose(run.points, expected, rtol=TOL, atol=TOL)
    # The lr torch used at each step (LambdaLR or constant) is the one our schedule gave.
    np.testing.assert_allclose(run.lr, TRAJ["lr"][index], rtol=1e-14, atol=0)


@pytest.mark.parametrize("entry", SCHEDULES, ids=[f"{s['kind']}-{s['params']}" for s in SCHEDULES])
def test_schedule_matches_torch_scheduler(entry):
    schedule = optim.schedules.build(entry["kind"], entry["lr"], entry["steps"], **entry["params"])
    ours = np.array([schedule(k) for k in range(entry["steps"])])
    np.testing.assert_allclose(ours, entry["torch_lr"], rtol=1e-12, atol=1e-15)
