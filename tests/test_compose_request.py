"""A composition of the lecture's parts as a run request (issue 14): ``RunRequest("composed", Parts.to_dict())``
runs like any named optimizer, is a cache key, and "copy as Python" reproduces it bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

import surfaces
from optim import compose
from optim.request import COMPOSED, RunRequest, ScheduleSpec, snippet

CASES = [  # (parts, the named optimizer and hyperparameters they equal)
    (compose.parts("ema", "adam", lr=0.1), ("adam", {"lr": 0.1})),
    (compose.parts("grad", compose.sigma_piece("rmsprop_lecture", alpha=0.9), lr=0.1),
     ("rmsprop_lecture", {"lr": 0.1, "alpha": 0.9})),
    (compose.parts(compose.m_piece("momentum", momentum=0.9), "one", lr=0.05), ("momentum", {"lr": 0.05, "momentum": 0.9})),
]


@pytest.mark.parametrize("chosen, named", CASES)
@pytest.mark.parametrize("schedule", [ScheduleSpec(), ScheduleSpec("cosine", (), 20)])
def test_a_composed_request_draws_the_named_optimizers_points(chosen, named, schedule):
    surface = surfaces.CATALOG["two_dips"]
    mine = RunRequest(COMPOSED, chosen.to_dict(), (2.2, 0.8), 150, schedule).run(surface)
    theirs = RunRequest(named[0], named[1], (2.2, 0.8), 150, schedule).run(surface)
    np.testing.assert_array_equal(mine.points, theirs.points)


def test_the_request_is_hashable_and_its_optimizer_is_the_composition():
    chosen = compose.parts("ema", "adagrad", lr=0.2)
    req = RunRequest(COMPOSED, chosen.to_dict(), (1, 1), 10)
    assert hash(req) == hash(RunRequest(COMPOSED, dict(reversed(list(chosen.to_dict().items()))), (1, 1), 10))
    opt = req.optimizer()
    assert opt.id == "composed" and compose.Parts.from_dict(opt.hyperparams) == chosen
    assert compose.recognise(opt) is None  # EMA over AdaGrad's sigma: a new combination


def test_copy_as_python_reproduces_a_composed_run_bit_for_bit():
    req = RunRequest(COMPOSED, compose.parts("ema", "amsgrad", lr=0.3).to_dict(), (-1.5, 2.5), 80,
                     ScheduleSpec("cosine", (), 10))
    code = snippet(surface_id="rosenbrock", formula="", runs=[("mine", req)])
    assert "optim.compose.build(optim.compose.Parts.from_dict(" in code
    ns: dict = {}
    exec(compile(code, "<snippet>", "exec"), ns)  # our own generated code, in a test only
    np.testing.assert_array_equal(ns["runs"]["mine"].points, req.run(surfaces.CATALOG["rosenbrock"]).points)


def test_rule_lines_are_the_rule_with_the_step_last():
    chosen = compose.parts("ema", "adam", lr=0.1)
    lines = compose.rule_lines(chosen)
    assert compose.rule_latex(chosen) == r",\quad ".join(lines)
    assert lines[0] == chosen.m.latex and lines[1] == chosen.sigma.latex and lines[-1].startswith(r"\theta^{t+1}")
