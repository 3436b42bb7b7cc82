"""Momentum lesson: the lecture's claims, measured on runs built from the preset catalog.

Every run is made by ``pages.lessons.momentum.presets.setup`` (the page's own mapping) and
the page's own ``RunRequest`` s run without the cache (``request.run``), so if a
preset stops showing its claim, a test here fails.
"""

from __future__ import annotations

import numpy as np
import pytest

import surfaces
from optim import phenomena
from pages.lessons.momentum import presets as PM
from pages.lib import controls
from pages.lib.presets import PRESETS, presets_for
from tests.conftest import app_test

PAGE = "pages/momentum.py"
TWO_DIPS = surfaces.CATALOG["two_dips"]
SHALLOW, DEEP, RIDGE_X = (1.3009, 0.0), (-1.5052, 0.0), 0.2


def runs_of(preset_id, **override):
    params = {**PRESETS[preset_id].params, **override}
    setup = PM.setup(controls.values_from_params(PM.CONTROLS, params))
    return setup, {spec.key: setup.request(spec).run(surfaces.CATALOG[setup.surface_id]) for spec in setup.runs}


def test_catalog_has_the_momentum_presets():
    ids = [p.id for p in presets_for("momentum")]
    assert ids[0] == "momentum_two_dips"
    assert {"momentum_weighted_sum", "momentum_forms_constant", "momentum_forms_decay"} <= set(ids)


def test_gd_stops_in_the_shallow_dip_momentum_rolls_into_the_deep_one():
    setup, runs = runs_of("momentum_two_dips")
    gd, mom = runs["gd"], runs["lecture"]
    assert phenomena.settled_basin(gd, [SHALLOW, DEEP], tol=0.02) == 0
    assert phenomena.settled_basin(mom, [SHALLOW, DEEP], tol=0.02) == 1
    assert not phenomena.passes(gd, RIDGE_X)
    k = phenomena.first_crossing(mom, RIDGE_X)
    assert k is not None and k < 20
    assert mom.loss[-1] < gd.loss[-1] - 1.0  # deeper: -1.58 vs -0.46


@pytest.mark.parametrize("lr_factor, lam", [(0.8, 0.9), (1.2, 0.9), (1.0, 0.86), (1.0, 0.93)])
def test_the_two_dips_preset_is_not_on_a_knife_edge(lr_factor, lam):
    lr = float(PRESETS["momentum_two_dips"].params["lr"]) * lr_factor
    _, runs = runs_of("momentum_two_dips", lr=str(lr), lam=str(lam))
    assert phenomena.settled_basin(runs["gd"], [SHALLOW, DEEP], tol=0.05) == 0
    assert phenomena.settled_basin(runs["lecture"], [SHALLOW, DEEP], tol=0.05) == 1


@pytest.mark.parametrize("t", [1, 2, 5, 6, 40, 150])
def test_bars_of_the_movement_decomposition_sum_to_the_real_movement(t):
    _, runs = runs_of("momentum_weighted_sum")
    run = runs["lecture"]
    lam = float(PRESETS["momentum_weighted_sum"].params["lam"])
    d = phenomena.movement_decomposition(run, t, lam)
    assert d.contributions.shape == (t, 2)
    np.testing.assert_allclose(d.contributions.sum(axis=0), run.update[t - 1], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(d.previous + d.gradient_step, run.update[t - 1], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(run.points[t - 1] + d.movement, run.points[t], atol=1e-12)
    eta = float(PRESETS["momentum_weighted_sum"].params["lr"])
    np.testing.assert_allclose(d.weights, eta * lam ** (t - 1 - np.arange(t)))  # lambda^(t-1-i) eta


def test_lecture_worked_example_m1_m2():
    """m^1 = -eta g^0, m^2 = -lambda eta g^0 - eta g^1 (the lecture's unrolling)."""
    _, runs = runs_of("momentum_two_dips")
    run = runs["lecture"]
    eta, lam = 0.05, 0.9
    g0, g1 = run.seen_grad[0], run.seen_grad[1]
    np.testing.assert_allclose(run.update[0], -eta * g0)
    np.testing.assert_allclose(run.update[1], -lam * eta * g0 - eta * g1)


def test_on_the_ridge_the_gradient_points_back_but_the_movement_goes_on():
    """The weighted-sum preset's caption: at t = 5 -eta g points back (+x), lambda m is longer, m goes on (-x)."""
    params = PRESETS["momentum_weighted_sum"].params
    _, runs = runs_of("momentum_weighted_sum")
    d = phenomena.movement_decomposition(runs["lecture"], int(params["t"]), float(params["lam"]))
    assert d.gradient_step[0] > 0 and d.actual[0] < 0
    assert np.linalg.norm(d.previous) > np.linalg.norm(d.gradient_step)


def test_decomposition_with_a_schedule_lecture_and_torch_forms():
    _, runs = runs_of("momentum_forms_decay")
    lam = 0.9
    for t in (2, 4, 5, 30):
        d = phenomena.movement_decomposition(runs["lecture"], t, lam)
        np.testing.assert_allclose(d.movement, runs["lecture"].update[t - 1], atol=1e-12)
        dt = phenomena.movement_decomposition(runs["torch"], t, lam, form="torch")
        np.testing.assert_allclose(dt.movement, runs["torch"].update[t - 1], atol=1e-12)


def test_forms_agree_at_constant_lr_and_part_under_a_step_decay():
    _, same = runs_of("momentum_forms_constant")
    gap, first = phenomena.path_gap(same["lecture"], same["torch"])
    assert first is None and gap < 1e-9
    _, apart = runs_of("momentum_forms_decay")
    gap, first = phenomena.path_gap(apart["lecture"], apart["torch"])
    assert first == int(PRESETS["momentum_forms_decay"].params["decay_at"]) + 1 and gap > 1.0
    # the decay preset's caption: PyTorch's form falls back into the shallow dip, the lecture's rolls on
    assert phenomena.settled_basin(apart["torch"], [SHALLOW, DEEP], tol=0.05) == 0
    assert phenomena.settled_basin(apart["lecture"], [SHALLOW, DEEP], tol=0.05) == 1


def test_nesterov_brakes_before_the_ridge_in_the_constant_preset():
    _, runs = runs_of("momentum_forms_constant")
    assert phenomena.settled_basin(runs["nesterov"], [SHALLOW, DEEP], tol=0.05) == 0


def test_controls_parse_like_the_widgets():
    c = PM.CONTROLS
    assert c["lr"].parse("nan") == c["lr"].default and c["lr"].parse("0.5") == 0.5
    assert c["steps"].parse("1.5") == c["steps"].default and c["steps"].parse("300") == 300
    assert c["steps"].parse("300.4") == 300  # the float number input rounds, and so does its parser
    assert c["gd"].parse("FALSE") is False and c["gd"].parse("maybe") is True
    assert c["surface"].parse("rosenbrock") == "rosenbrock" and c["surface"].parse("Rosenbrock") == "rosenbrock"
    assert c["surface"].parse("rosenbrock ") == "two_dips"
    assert c["x0"].parse("") is None and c["x0"].parse("1e308") is None


# --- the page through AppTest -------------------------------------------------------------------
def run_page(**params):
    at = app_test(PAGE)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at


def test_page_smoke_default():
    at = run_page()
    assert not at.exception
    assert len(at.get("plotly_chart")) >= 2  # race + decomposition


def test_page_first_preset_link_reaches_widgets_and_readout_names_the_phenomenon():
    preset = PRESETS["momentum_two_dips"]
    at = run_page(preset=preset.id, **preset.params)
    assert not at.exception
    assert at.selectbox(key="surface").value == "two_dips"
    assert at.number_input(key="lr").value == pytest.approx(0.05)
    assert at.number_input(key="lam").value == pytest.approx(0.9)
    assert at.slider(key="t").value == 6
    text = " ".join(m.value for m in at.markdown)
    assert "stopped in the dip at (1.30, 0.00)" in text and "passed it at step" in text and "(-1.51, 0.00)" in text
    assert "the 6 gradient bars sum to" in text
    assert not [i for i in at.info if "ignored" in i.value]


def test_page_decay_preset_readout_says_the_forms_part():
    preset = PRESETS["momentum_forms_decay"]
    at = run_page(preset=preset.id, **preset.params)
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "the two forms part at step 4" in text


def test_page_chinese():
    at = run_page(lang="zh", **PRESETS["momentum_two_dips"].params)
    assert not at.exception
    assert any("越过" in m.value for m in at.markdown)


@pytest.mark.parametrize("params", [{"lr": "abc"}, {"lam": "2"}, {"junk": "1"}, {"surface": "Nope"},
                                    {"t": "-3"}, {"decay": "sometimes"}])
def test_page_junk_link_params_show_a_note(params):
    at = run_page(**params)
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert "ignored" in notes and list(params)[0] in notes
