"""Divergence diagnosis: a surface that overflows inside the window is blamed, not the learning rate."""

from __future__ import annotations

import numpy as np

import optim
import surfaces
from optim import diagnose
from tests.conftest import app_test

TOWER = surfaces.parse("exp(exp(exp(x)))")  # not a finite float for x > ~1.88


def test_the_non_finite_part_of_a_grid_is_found_and_named():
    xs, ys, Z = TOWER.grid(200, (-3.0, 3.0, -3.0, 3.0))
    region = diagnose.nonfinite_region(xs, ys, Z)
    assert region is not None and 0.15 < region.share < 0.25  # x in (1.88, 3] of [-3, 3]
    assert region.example[0] > 1.8 and not np.isfinite(region.value)
    assert not np.isfinite(float(TOWER.f(*region.example)))
    xs, ys, Z = surfaces.CATALOG["himmelblau"].grid(50)
    assert diagnose.nonfinite_region(xs, ys, Z) is None


def test_a_run_that_steps_off_the_surface_blames_the_surface():
    # sqrt(2 - x) falls towards its edge x = 2 and is undefined beyond it: a modest step crosses it.
    edge = surfaces.parse("sqrt(2 - x) + y^2")
    run = optim.simulate(edge, optim.gd(lr=0.5), (0.0, 0.5), 200)
    assert run.status == "diverged" and run.divergence == "loss_nan"
    assert 2.0 < run.points[-1, 0] < 3.0 and np.linalg.norm(run.update[-1]) < 1.0  # inside the window
    assert diagnose.divergence_cause(run, edge.window) == diagnose.SURFACE


def test_a_run_whose_steps_explode_blames_the_steps():
    bowl = surfaces.parse("2*x^2 + 2*y^2")
    run = optim.simulate(bowl, optim.gd(lr=0.6), (1.0, 0.0), 500)
    assert run.divergence == "bound" and diagnose.divergence_cause(run, bowl.window) == diagnose.STEPS
    steep = surfaces.parse("exp(x^2)")  # the loss overflows, but far outside the window
    run = optim.simulate(steep, optim.gd(lr=1.0), (3.0, 0.0), 50)
    assert run.divergence == "loss_inf" and diagnose.divergence_cause(run, steep.window) == diagnose.STEPS
    ok = optim.simulate(bowl, optim.gd(lr=0.1), (1.0, 0.0), 50)
    assert diagnose.divergence_cause(ok, bowl.window) is None


def test_the_playground_says_the_surface_overflows_instead_of_blaming_the_learning_rate():
    at = app_test("pages/playground.py")
    for key, value in {"surface": "✎ Your formula", "formula": "exp(exp(exp(x)))", "n": "2",
                       "o1": "Gradient descent", "o2": "Adam (torch)", "steps": "100"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("the surface itself is not a finite number on" in w.lower() for w in warnings), warnings
    assert not any("smaller learning rate" in w and "surface" not in w for w in warnings if "stopped" in w)
