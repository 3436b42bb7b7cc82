"""The adaptive-learning-rate page's lecture claims, measured on runs built FROM THE PRESETS.

Every run comes from ``pages.lessons.adaptive.presets.scene(preset.params)`` -> ``simulate_scene`` (the mapping
the page uses), so a preset that stops showing its claim fails here.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

import numpy as np
import pytest

import optim
import surfaces
from optim.bursts import find_bursts, max_difference, sideways_bounces
from pages.lessons.adaptive.presets import PAGE, scene, simulate_scene
from pages.lib import claims
from pages.lib.presets import PRESETS, presets_for
from tests.conftest import animated_spec

PAGE_FILE = str(Path(__file__).resolve().parents[1] / "pages" / "adaptive.py")


def runs_of(preset_id):
    sc = scene(PRESETS[preset_id].params)
    return sc, simulate_scene(sc)


# --- one learning rate on the elongated bowl ------------------------------------------------
def test_gd_no_single_lr_fits_the_elongated_bowl():
    sc, (big, mid, small) = runs_of("adaptive_one_lr")
    assert sc.surface_id == "elongated_bowl" and all(s.opt_id == "gd" for s in sc.slots)
    h_yy = surfaces.CATALOG["elongated_bowl"].hessian(np.array([0.0]), np.array([0.0]))[1, 1][0]
    assert h_yy == pytest.approx(25.0)
    # too large: y flips every step and the swings grow (diverges)
    flips, n, ratio = sideways_bounces(big)
    assert big.status == "diverged" and flips >= n - 2 and ratio > 1.0
    # just below 2/h_yy: still bounces across the valley in y for the whole budget
    flips, n, ratio = sideways_bounces(mid)
    assert flips >= 0.9 * n and 0.8 < ratio < 1.0
    # small: no bouncing, but still far from the minimum after the step budget
    flips, _, _ = sideways_bounces(small)
    d0, d = np.linalg.norm(small.points[0]), np.linalg.norm(small.points[-1])
    assert flips == 0 and small.status == "budget" and d > 0.25 * d0 and d > 1.0


# --- AdaGrad bursts ------------------------------------------------------------------------
def test_lecture_adagrad_bursts_repeatedly_after_settling_and_torch_does_not():
    sc, (lecture, torch_form) = runs_of("adaptive_adagrad_burst")
    assert [s.opt_id for s in sc.slots] == ["adagrad_lecture", "adagrad"]
    b = find_bursts(lecture)
    assert b.settle_step is not None and b.count >= 2 and min(b.steps) > b.settle_step
    assert b.largest > 0.2  # a visible jump across a valley whose floor is within ~0.05
    # the burst comes from sigma_y shrinking: just before each burst eta/sigma_y is above 2/h_yy
    h_yy = 80.0
    for s in b.steps[:2]:
        assert lecture.effective_step[s - 1, 1] > 2.0 / h_yy
        assert lecture.state["sigma"][s - 1, 1] < lecture.state["sigma"][b.settle_step, 1]
    # the first two bursts happen while travelling along the valley, not at its end
    assert all(lecture.points[s, 0] > -20 for s in b.steps[:2])
    assert find_bursts(torch_form).count == 0


def test_torch_adagrad_effective_step_never_grows():
    _, runs = runs_of("adaptive_adagrad_burst")
    torch_form = runs[1]
    eff = torch_form.effective_step
    assert np.all(np.diff(eff, axis=0)[np.isfinite(np.diff(eff, axis=0))] <= 1e-15)
    sigma = torch_form.state["sigma"]
    assert np.all(np.diff(sigma, axis=0) >= 0)


def test_decay_removes_bursts_and_equals_torch_adagrad():
    sc, (lecture, decayed, torch_form) = runs_of("adaptive_decay_equals_torch")
    assert sc.slots[1].decay and sc.slots[1].opt_id == "adagrad_lecture" and sc.slots[2].opt_id == "adagrad"
    assert find_bursts(lecture).count >= 2
    assert find_bursts(decayed).count == 0
    assert max_difference(decayed, torch_form) < 1e-9
    # and it gets to the minimum (-22, -1.1)
    assert np.linalg.norm(decayed.points[-1] - (-22.0, -1.1)) < 0.05


def test_decayed_form_at_the_bursting_lr_does_not_burst_either():
    params = dict(PRESETS["adaptive_adagrad_burst"].params, o1_decay="true")
    lecture_decayed = simulate_scene(scene(params))[0]
    assert find_bursts(lecture_decayed).count == 0


def test_rmsprop_reacts_faster_and_adam_glides():
    sc, (adagrad, rms_fast, rms_slow, adam) = runs_of("adaptive_rmsprop_adam")
    assert dict(sc.slots[1].hyper)["alpha"] == 0.9 and dict(sc.slots[2].hyper)["alpha"] == 0.99
    b_ada, b_fast, b_slow = find_bursts(adagrad), find_bursts(rms_fast), find_bursts(rms_slow)
    assert b_fast.largest < 0.5 * b_ada.largest  # forgets fast: only small jumps
    assert b_fast.count == 0 or max(b_fast.steps) < min(b_ada.steps)  # ...and only early
    assert b_slow.count >= 1  # long memory: bursts like AdaGrad
    assert find_bursts(adam).count == 0
    assert np.linalg.norm(adam.points[-1] - (-22.0, -1.1)) < 1e-3


# --- find_bursts ---------------------------------------------------------------------------
def test_find_bursts_on_a_smooth_path_is_empty():
    s = surfaces.CATALOG["elongated_bowl"]
    run = optim.simulate(s, optim.make("gd", lr=0.01), s.starts[0], 200)
    b = find_bursts(run)
    assert b.count == 0 and b.largest == 0.0


# --- the page ------------------------------------------------------------------------------
def test_presets_are_registered_with_valid_links():
    ids = [p.id for p in presets_for(PAGE)]
    assert ids[:4] == ["adaptive_one_lr", "adaptive_adagrad_burst", "adaptive_rmsprop_adam",
                       "adaptive_decay_equals_torch"]
    for p in presets_for(PAGE):
        assert p.link().startswith("/adaptive?")
        assert all(len(t) == 2 for t in (p.title, p.blurb, p.watch))


def _app(query: dict):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(PAGE_FILE, default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


@pytest.mark.slow
@pytest.mark.parametrize("preset_id", [p.id for p in presets_for(PAGE)])
def test_page_link_sets_the_widgets_the_scene_expects(preset_id):
    preset = PRESETS[preset_id]
    at = _app(dict(parse_qsl(preset.query())))
    assert not at.exception
    # the page draws exactly the runs the link's scene describes (read from the figure it sends)
    drawn = claims.drawn_from_spec(animated_spec(at))
    runs = simulate_scene(scene(preset.params))
    assert len(drawn.points) == len(runs)
    for points, run in zip(drawn.points, runs):
        np.testing.assert_array_equal(points, run.points.astype(np.float32).astype(float))
    text = " ".join(m.value for m in at.markdown)
    if preset_id == "adaptive_adagrad_burst":
        assert "burst sideways" in text
    if preset_id == "adaptive_decay_equals_torch":
        assert "max |difference|" in text


@pytest.mark.slow
def test_page_default_and_chinese_render():
    at = _app({"lang": "zh"})
    assert not at.exception
    assert any("自适应学习率" in c.value for c in at.caption)


@pytest.mark.slow
def test_junk_link_params_show_a_note():
    at = _app({"surface": "Nope", "steps": "abc", "o1_adagrad_lecture_lr": "-5", "bogus": "1"})
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert "ignored" in notes and "bogus" in notes and "steps" in notes
