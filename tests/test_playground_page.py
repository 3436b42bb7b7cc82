"""Playground page through Streamlit's AppTest: smoke, link -> widgets, bad links, presets."""

from __future__ import annotations

import numpy as np
import pytest

import optim
import surfaces
from pages.lib.presets import PRESETS, presets_for
from tests.conftest import app_test

PAGE = "pages/playground.py"


def run_page(**params):
    at = app_test(PAGE)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at


def test_smoke_default_view_has_six_optimizers_and_a_figure():
    at = run_page()
    assert not at.exception
    assert len(at.get("plotly_chart")) >= 2  # race + lr schedule
    table = at.dataframe[0].value
    assert len(table) == 6
    assert "Newton" in " ".join(table.iloc[:, 0])


def test_link_parameters_reach_the_widgets():
    at = run_page(surface="Rosenbrock", steps="123", n="2", o1="Adam (torch)", o1_adam_lr="0.05",
                  x0="-1.25", y0="2", noise="0.5", batch="8", seed="42")
    assert not at.exception
    assert at.selectbox(key="surface").value == "rosenbrock"
    assert at.number_input(key="steps").value == 123
    assert at.selectbox(key="o1").value == "adam"
    assert at.number_input(key="o1_adam_lr").value == pytest.approx(0.05)
    assert at.number_input(key="x0").value == pytest.approx(-1.25)
    assert at.number_input(key="seed").value == 42
    assert len(at.dataframe[0].value) == 2
    assert not at.info  # nothing ignored


def test_same_link_gives_the_same_paths_bit_for_bit():
    """Noise seed included: the link reproduces the run exactly (what a student sees)."""
    params = dict(surface="Himmelblau", n="1", o1="Adam (torch)", noise="3", batch="2", seed="5", steps="50")
    tables = [run_page(**params).dataframe[0].value for _ in range(2)]
    assert tables[0].equals(tables[1])
    surface = surfaces.CATALOG["himmelblau"]
    direct = optim.simulate(surface, optim.make("adam", lr=0.1), surface.starts[0], 50,
                            noise=optim.GradientNoise(scale=3.0, batch_size=2), seed=5)
    assert tables[0].iloc[0, 2] == f"{direct.loss[-1]:.5g}"


@pytest.mark.parametrize("params", [
    {"steps": "abc"}, {"steps": "1e9"}, {"steps": "-5"}, {"o1_gd_lr": "nan"}, {"o1_gd_lr": "inf"},
    {"surface": "Nope"}, {"junk": "1"}, {"x0": "1e308"}, {"n": "99"}, {"o1": "__import__"},
    {"o1c": "red"}, {"sched": "???"}, {"steps": "x" * 100_000},
])
def test_bad_link_parameters_fall_back_with_a_visible_note(params):
    at = run_page(**params)
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert "ignored" in notes and list(params)[0][:20] in notes
    assert len(at.dataframe[0].value) == 6  # the default race still runs


def test_hostile_formula_in_link_is_rejected_inline_and_last_surface_kept(tmp_path):
    target = tmp_path / "pwned"
    at = run_page(surface="✎ Your formula", formula=f"__import__('os').system('touch {target}')")
    assert not at.exception
    assert any("column" in e.value and "last valid surface" in e.value for e in at.error)
    assert len(at.dataframe[0].value) == 6
    assert not target.exists()


def test_typed_formula_shows_derivatives():
    at = run_page(surface="✎ Your formula", formula="(1 - w1*w2)^2", n="1")
    assert not at.exception and not at.error
    latex = " ".join(el.value for el in at.get("latex"))
    assert "w_{1}" in latex or "w_1" in latex


def test_diverging_optimizer_gives_a_sentence_not_an_error():
    at = run_page(surface="Elongated bowl", n="1", o1="Gradient descent", o1_gd_lr="0.5", steps="200")
    assert not at.exception
    assert any("diverged at step" in w.value for w in at.warning)
    assert "diverged" in at.dataframe[0].value.iloc[0, 4]


@pytest.mark.parametrize("preset_id", [p.id for p in presets_for("playground")])
def test_every_playground_preset_link_is_fully_valid(preset_id):
    """A preset is a link: every parameter in it must be accepted by the page."""
    preset = PRESETS[preset_id]
    at = run_page(**preset.params, preset=preset.id)
    assert not at.exception
    assert not [i.value for i in at.info if "ignored" in i.value]


def test_load_preset_button_sets_the_controls():
    at = run_page()
    at.selectbox(key="_preset_menu_playground").select("saddle_newton").run()
    at.button(key="_preset_load_playground").click().run()
    assert not at.exception
    assert at.selectbox(key="surface").value == "saddle"
    assert at.selectbox(key="o2").value == "newton"
    assert at.number_input(key="x0").value == pytest.approx(1.8)
    assert any("What to watch" in i.value for i in at.info)


def test_language_switch_translates_the_page():
    at = run_page(lang="zh")
    assert not at.exception
    assert "自由实验" in " ".join(c.value for c in at.caption)
    assert np.any(["优化器" in c for c in at.dataframe[0].value.columns])
