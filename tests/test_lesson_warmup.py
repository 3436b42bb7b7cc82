"""Warm-up lesson: the lecture's claims, measured on runs built from the preset catalog.

Runs come from ``pages.lessons.warmup.presets.setup`` (the page's own mapping) and the page's runner
the page's own ``RunRequest`` s run without the cache.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import optim
import surfaces
from optim import phenomena
from pages.lessons.warmup import presets as PW
from pages.lib import controls
from pages.lib.presets import PRESETS, presets_for
from tests.conftest import app_test

PAGE = "pages/warmup.py"


def runs_of(preset_id, **override):
    params = {**PRESETS[preset_id].params, **override}
    setup = PW.setup(controls.values_from_params(PW.CONTROLS, params))
    return setup, {spec.key: setup.request(spec).run(surfaces.CATALOG[setup.surface_id]) for spec in setup.runs}


def test_catalog_has_the_warmup_presets():
    ids = [p.id for p in presets_for("warmup")]
    assert ids[:2] == ["warmup_rmsprop_jump", "warmup_adam_noise"]


def test_first_torch_rmsprop_step_is_ten_lr_per_coordinate():
    setup, runs = runs_of("warmup_rmsprop_jump")
    alpha = float(PRESETS["warmup_rmsprop_jump"].params["alpha"])
    assert alpha == 0.99
    np.testing.assert_allclose(phenomena.first_step_ratio(runs["none"]), 1 / math.sqrt(1 - alpha), rtol=1e-4)
    np.testing.assert_allclose(phenomena.first_step_ratio(runs["lecture"]), 1.0, rtol=1e-6)


@pytest.mark.parametrize("alpha", [0.9, 0.99, 0.999])
def test_first_step_ratio_is_one_over_sqrt_one_minus_alpha(alpha):
    run = optim.simulate(surfaces.CATALOG["rosenbrock"], optim.make("rmsprop", lr=1e-3, alpha=alpha), (-1.5, 2.5), 3)
    np.testing.assert_allclose(phenomena.first_step_ratio(run), 1 / math.sqrt(1 - alpha), rtol=1e-4)


def test_the_jump_throws_rmsprop_far_off_and_warmup_cuts_the_largest_early_step():
    _, runs = runs_of("warmup_rmsprop_jump")
    big, i_big = phenomena.largest_step(runs["none"])
    small, _ = phenomena.largest_step(runs["warm"])
    assert i_big == 0 and big / small >= 3.0
    f0 = runs["none"].loss[0]
    assert phenomena.peak_loss(runs["none"])[0] > 3 * f0  # thrown uphill
    assert phenomena.peak_loss(runs["warm"])[0] == pytest.approx(f0)  # calm
    assert phenomena.peak_loss(runs["lecture"])[0] == pytest.approx(f0)  # the lecture's form: no jump
    assert phenomena.largest_step(runs["lecture"])[0] < big / 3


@pytest.mark.parametrize("seed", range(5))
def test_warmup_cuts_adams_largest_early_step_under_noise(seed):
    _, runs = runs_of("warmup_adam_noise", seed=str(seed))
    big, _ = phenomena.largest_step(runs["none"])
    small, _ = phenomena.largest_step(runs["warm"])
    assert big / small >= 3.0
    # warm-up followed by cosine decay ends quieter than a constant lr (the preset's caption)
    assert phenomena.tail_loss(runs["cosine"]) < 0.5 * phenomena.tail_loss(runs["none"])


def test_largest_step_counts_the_budget_not_the_updates_made():
    _, runs = runs_of("warmup_rmsprop_jump")
    assert len(runs["none"].update) == 200  # runs make their whole budget (they may leave a minimum again)
    assert phenomena.early_count(runs["none"]) == phenomena.early_count(runs["warm"]) == 20


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
    assert len(at.get("plotly_chart")) >= 1


@pytest.mark.parametrize("preset_id, needle", [
    ("warmup_rmsprop_jump", "× lr per coordinate at its very first step"),
    ("warmup_adam_noise", "Mean loss over the last 10% of steps"),
])
def test_page_preset_links_reach_widgets_and_readout_names_the_phenomenon(preset_id, needle):
    preset = PRESETS[preset_id]
    at = run_page(preset=preset.id, **preset.params)
    assert not at.exception
    assert at.selectbox(key="surface").value == "elongated_bowl"
    assert at.number_input(key="lr").value == pytest.approx(float(preset.params["lr"]))
    assert at.number_input(key="warmup").value == int(preset.params["warmup"])
    text = " ".join(m.value for m in at.markdown)
    assert "warm-up made it" in text and needle in text
    assert not [i for i in at.info if "ignored" in i.value]


def test_page_chinese():
    at = run_page(lang="zh", **PRESETS["warmup_rmsprop_jump"].params)
    assert not at.exception
    assert any("warm-up 让它缩小到" in m.value for m in at.markdown)


@pytest.mark.parametrize("params", [{"lr": "-1"}, {"warmup": "x"}, {"opt": "SGD"}, {"junk": "1"},
                                    {"noise": "inf"}, {"seed": "-3"}])
def test_page_junk_link_params_show_a_note(params):
    at = run_page(**params)
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert "ignored" in notes and list(params)[0] in notes
