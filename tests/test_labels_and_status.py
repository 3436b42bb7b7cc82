"""Legends that tell runs apart, and readouts that say when a run met the tolerance and left it."""

from __future__ import annotations

import optim
import surfaces
from pages.lib import widgets
from pages.lib.labels import distinguish
from pages.lib.presets import PRESETS
from tests.conftest import animated_spec, classroom_run


def test_same_optimizer_runs_are_named_by_what_differs():
    names = distinguish(["1·GD", "2·GD", "3·Adam"], ["gd", "gd", "adam"], [{"lr": 0.09}, {"lr": 0.01}, {"lr": 0.1}])
    assert names == ["1·GD (η = 0.09)", "2·GD (η = 0.01)", "3·Adam"]
    same = distinguish(["1·GD", "2·GD"], ["gd", "gd"], [{"lr": 0.1}, {"lr": 0.1}])
    assert same == ["1·GD", "2·GD"]  # nothing differs: nothing to name


def test_legends_of_the_adaptive_presets_tell_the_runs_apart():
    for preset_id, expected in [("adaptive_one_lr", ("η = 0.09", "η = 0.075", "η = 0.01")),
                                ("adaptive_rmsprop_adam", ("α = 0.9", "α = 0.99"))]:
        at = classroom_run("pages/adaptive.py", PRESETS[preset_id])
        spec = animated_spec(at)
        names = [spec["data"][t]["name"] for t in spec["layout"]["meta"]["trail_traces"]]
        assert len(set(names)) == len(names), names
        for text in expected:
            assert any(text in n for n in names), (text, names)


def test_the_readout_says_when_a_run_met_the_tolerance_and_left():
    tilted = surfaces.parse("10*(y - 0.1*x)^2 + 0.01*x^2")
    run = optim.simulate(tilted, optim.adagrad_lecture(lr=0.1), (1.0, 1.0), 3000)
    text = widgets.status_text(run)
    assert f"met the tolerance at step {run.met_step}" in text and f"left it at step {run.left_step}" in text
    settled = optim.simulate(surfaces.parse("x^2 + y^2"), optim.gd(lr=0.1), (1.0, 1.0), 500)
    assert widgets.status_text(settled) == f"converged at step {settled.stop_step}"
