"""The basin-map page through Streamlit's AppTest: every preset opens in English, Chinese and
presenter mode; the readout's numbers are those of the maps the page drew (decoded from the figure
it sent) and of the model's own maps; every claim of every preset holds on the page's real maps
(and race); hostile link values fall back to the defaults with the guard's note.

(``tests/test_preset_claims.py`` also runs these presets' claims: it hands them the race's drawn
paths only, and a map claim then computes the link's maps itself; see
``pages/lessons/basins/presets.py``.)
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from pages.lessons.basins import controls as BC
from pages.lessons.basins import figures as F
from pages.lessons.basins import model as M
from pages.lib import claims
from pages.lib.controls import values_from_params
from pages.lib.presets import PRESETS, presets_for
from pages.lib.text import LANGS
from tests.conftest import app_test, classroom_run

pytestmark = pytest.mark.slow
PAGE = "pages/basins.py"
IDS = [p.id for p in presets_for(BC.PAGE)]


def _specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def page_maps(at) -> tuple[M.MapView, ...]:
    """The maps of the basin figure the page sent."""
    (spec,) = [s for s in _specs(at) if s["layout"].get("meta", {}).get("basin_maps")]
    return F.maps_from_spec(spec)


def page_drawn(at) -> M.BasinDrawn:
    """The race's drawn paths and the page's maps, as the basin presets' claims read them."""
    animated = [s for s in _specs(at) if s.get("frames")]
    race = claims.drawn_from_spec(animated[0])
    return M.BasinDrawn(race.names, race.points, race.window, race.surface, maps=page_maps(at))


def model_maps(params) -> tuple[M.MapView, ...]:
    return M.compute_views(BC.setup(values_from_params(BC.CONTROLS, params)))


def test_the_page_has_its_three_presets():
    assert IDS == ["basins_momentum_two_dips", "basins_newton_himmelblau", "basins_noise_two_dips"]


@pytest.mark.parametrize("mode", [{}, {"lang": "zh"}, {"present": "1"}, {"present": "1", "lang": "zh"}],
                         ids=["en", "zh", "present", "present-zh"])
@pytest.mark.parametrize("preset_id", IDS)
def test_every_preset_opens_in_every_language_and_presenter_mode(preset_id, mode):
    preset = PRESETS[preset_id]
    at = classroom_run(PAGE, preset, **mode)
    assert not [i.value for i in at.info if "ignored" in i.value or "忽略" in i.value or "无效" in i.value]
    lang = mode.get("lang", "en")
    watch = preset.watch[LANGS.index(lang)]
    assert any(watch in i.value for i in at.info)
    maps = page_maps(at)
    assert len(maps) == len(BC.setup(values_from_params(BC.CONTROLS, preset.params)).maps)
    text = " ".join(m.value for m in at.markdown)
    if lang == "zh":
        assert "地图告诉我们什么" in text and "Gradient descent（梯度下降）" in text
    if mode.get("present"):
        assert any("stSidebar" in m.value and "display: none" in m.value for m in at.markdown)  # sidebar hidden
        assert not at.code and not at.expander  # no exports, no link box
        assert len(at.get("iframe")) + len(at.get("html")) >= 1  # the race's autoplay
        big = [s for s in _specs(at) if s["layout"].get("meta", {}).get("basin_maps")][0]
        assert big["layout"]["font"]["size"] > 15  # presenter mode enlarges the maps' text
    else:
        assert at.code and at.expander


@pytest.mark.parametrize("preset_id", IDS)
def test_readout_numbers_are_the_models_maps(preset_id):
    preset = PRESETS[preset_id]
    at = classroom_run(PAGE, preset)
    drawn, model = page_maps(at), model_maps(preset.params)
    assert len(drawn) == len(model)
    for d, m in zip(drawn, model):
        assert d.opt_id == m.opt_id and d.hyper == m.hyper
        np.testing.assert_array_equal(d.label, m.label)
        np.testing.assert_array_equal(d.certainty, m.certainty)
        np.testing.assert_array_equal(d.steps, m.steps)
        np.testing.assert_array_equal(d.end, m.end)
        assert d.shares() == m.shares()
    shown = " ".join(m.value for m in at.markdown)
    for sentence in M.readout_sentences(model, "en"):
        assert sentence in shown, sentence
    assert M.readout_sentences(drawn, "en") == M.readout_sentences(model, "en")


@pytest.mark.parametrize("preset_id", IDS)
def test_every_claim_holds_on_the_pages_real_maps(preset_id):
    preset = PRESETS[preset_id]
    assert preset.claims
    seen = page_drawn(classroom_run(PAGE, preset))
    assert seen.maps
    failed = []
    for claim in preset.claims:
        d = seen if not claim.variant else page_drawn(classroom_run(PAGE, preset, **claim.variant))
        if not claim.check(d):
            failed.append(claim.says)
    assert not failed, f"{preset_id}: false on screen: {failed}"


HOSTILE = {"o1": "junk", "o2": "__import__('os')", "n": "5000", "k": "-1", "lr1": "nan", "steps": "1e309",
           "surface": "<script>", "noise": "-3", "x0": "inf", "lam": "2"}


def test_hostile_link_values_fall_back_with_the_guards_note():
    at = app_test(PAGE)
    for key, value in HOSTILE.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert "ignored" in notes and "'o1' has an invalid value" in notes  # the guard's note (first six named)
    values = {w.key: w.value for kind in ("number_input", "selectbox") for w in at.get(kind)}
    defaults = {k: c.default for k, c in BC.CONTROLS.items()}
    for key in HOSTILE:
        assert values[key] == defaults[key], key
    assert len(page_maps(at)) == 2  # the default view: gradient descent and momentum


def test_a_box_on_a_map_sets_the_race_start():
    preset = PRESETS["basins_newton_himmelblau"]
    at = classroom_run(PAGE, preset)
    at.session_state[f"{BC.PAGE}_maps"] = {"selection": {"box": [{"xref": "x2", "yref": "y2", "x": [0.9, 1.1],
                                                                   "y": [-1.1, -0.9]}], "points": []}}
    at.run()
    assert not at.exception
    values = {w.key: w.value for w in at.get("number_input")}
    assert values["x0"] == pytest.approx(1.0) and values["y0"] == pytest.approx(-1.0)
    race = [s for s in _specs(at) if s.get("frames")][0]
    drawn = claims.drawn_from_spec(race)
    assert np.allclose(drawn[0][0], (1.0, -1.0))
