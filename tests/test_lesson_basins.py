"""Basin-map lesson without Streamlit: the controls-to-maps mapping, the model's shares and
sentences, the figure's encoding (decoded back exactly), the map selection -> race start."""

from __future__ import annotations

import numpy as np
import pytest

from optim import basins as B
from pages.lessons.basins import controls as BC
from pages.lessons.basins import figures as F
from pages.lessons.basins import model as M
from pages.lessons.basins import presets as PB
from pages.lessons.basins.text import BASINS
from pages.lib.controls import values_from_params


def _view(label, certainty=None, noisy=False, seeds=1):
    label = np.asarray(label, dtype=np.int16)
    ny, nx = label.shape
    cert = np.ones(label.shape, np.float32) if certainty is None else np.asarray(certainty, np.float32)
    return M.MapView(opt_id="gd", hyper=(("lr", 0.1),), xs=np.arange(nx) + 0.5, ys=np.arange(ny) + 0.5,
                     window=(0.0, float(nx), 0.0, float(ny)), label=label, certainty=cert,
                     end=np.zeros(label.shape + (2,), np.float32), steps=np.full(label.shape, 7, np.int32),
                     targets=((0.0, 0.0, "minimum"), (3.0, 0.0, "minimum"), (1.5, 0.0, "saddle")),
                     seeds=seeds, budget=100, noisy=noisy, noise_scale=0.5 if noisy else 0.0)


def test_setup_maps_every_chosen_optimizer_on_one_grid():
    values = values_from_params(BC.CONTROLS, {"o1": "gd", "o2": "none", "o3": "newton", "lr3": "0.5", "n": "64"})
    s = BC.setup(values)
    assert [r.opt_id for r in s.maps] == ["gd", "newton"] and [r.key for r in s.race.runs] == ["o1", "o3"]
    assert {r.n for r in s.maps} == {64} and {r.window for r in s.maps} == {(-2.5, 2.5, -1.5, 1.5)}
    assert s.maps[0].levels == (32, 64) and s.maps[1].hyper == (("lr", 0.5),)
    assert BC.MapRequest("two_dips", (0, 1, 0, 1), "gd", (), 10, 200, s.race.noise, 1, 0, 0.01).levels == (50, 100, 200)
    assert s.maps[0].seeds == 1 and s.maps[0].match_tol == B.MATCH_TOL  # no noise: one seed
    noisy = BC.setup({**values, "noise": 0.5, "k": 4})
    assert noisy.maps[0].seeds == 4 and noisy.maps[0].match_tol == BC.MATCH_TOL_NOISY


def test_shares_carried_and_border_zone():
    a = _view([[0, 0, 1, 1]] * 4)
    b = _view([[0, 0, 0, 1]] * 4)
    assert a.shares() == {0: 0.5, 1: 0.5} and b.shares() == {0: 0.75, 1: 0.25}
    assert b.carried_from(a, (3, 0), (0, 0)) == 0.5
    assert a.share_of_kinds(("saddle",)) == 0.0
    zone = _view([[0] * 10 + [1] * 10] * 3).border_zone(2)
    assert zone[0].tolist() == [False] * 7 + [True] * 6 + [False] * 7


def test_uncertain_cells_near_the_border():
    label = [[0] * 10 + [1] * 10] * 3
    cert = np.ones((3, 20))
    cert[:, 9:11] = 0.5
    v = _view(label, cert, noisy=True, seeds=2)
    assert v.uncertain_share() == pytest.approx(0.1) and v.uncertain_near_border() == 1.0


def test_readout_names_the_shares_and_the_difference():
    a, b = _view([[0, 0, 1, 1]] * 4), _view([[0, 0, 0, 1]] * 4)
    en = M.readout_sentences([a, b], "en")
    assert en[0] == "1 · Gradient descent, η = 0.1: 50% to minimum (0.00, 0.00), 50% to minimum (3.00, 0.00)."
    assert "2 · Gradient descent, η = 0.1 sends 75% of the starts to minimum (0.00, 0.00); 1 · Gradient descent, " \
           "η = 0.1 sends 50%." in en
    assert any("50% take 2 · Gradient descent, η = 0.1 elsewhere (most often to minimum (0.00, 0.00))" in s for s in en)
    zh = M.readout_sentences([a, b], "zh")
    assert len(zh) == len(en) and all(any("\u4e00" <= ch <= "\u9fff" for ch in s) for s in zh)


def test_figure_encodes_maps_that_decode_exactly():
    rng = np.random.default_rng(0)
    label = rng.choice([0, 1, 2, B.DIVERGED, B.NOT_SETTLED], size=(6, 8))
    cert = rng.choice([1.0, 0.75, 0.5, 0.25], size=(6, 8)).astype(np.float32)
    v = _view(label, cert, noisy=True, seeds=4)
    v = M.MapView(**{**v.__dict__, "end": rng.normal(size=(6, 8, 2)).astype(np.float32),
                     "steps": rng.integers(0, 500, (6, 8)).astype(np.int32)})
    spec = F.basin_figure_spec([v, v], ["a", "b"], v.targets, (1.0, 2.0), False, "en")
    (d1, d2) = F.maps_from_spec(spec)
    for d in (d1, d2):
        np.testing.assert_array_equal(d.label, v.label)
        np.testing.assert_array_equal(d.certainty, v.certainty)
        np.testing.assert_array_equal(d.end, v.end)
        np.testing.assert_array_equal(d.steps, v.steps)
    scale = F.colour_scale(v.targets)
    positions = [p for p, _ in scale]
    assert positions == sorted(positions) and positions[0] == 0 and positions[-1] == 1
    heat = [t for t in spec["data"] if t["type"] == "heatmap"]
    assert len(heat) == 2 and heat[0]["xaxis"] == "x" and heat[1]["xaxis"] == "x2"
    names = {t.get("name") for t in spec["data"] if t.get("showlegend", True)}
    assert names == {"minimum", "saddle", "Race start"}  # the basins' legend is the page's coloured table


def test_minima_take_the_palette_and_outcomes_their_greys():
    colours = F.outcome_colours(((0, 0, "saddle"), (1, 0, "minimum"), (2, 0, "minimum")))
    free = [c for c in BC.PALETTE if c not in BC.RACE_COLOURS]  # the race's colours come last
    assert colours[1] == free[0] and colours[2] == free[1] and colours[0] == free[2]
    assert colours[B.DIVERGED] != colours[B.NOT_SETTLED]
    assert not set(BC.RACE_COLOURS) & {colours[0], colours[1], colours[2]}


@pytest.mark.parametrize("state, point", [
    ({"selection": {"box": [{"x": [0, 1], "y": [2, 4], "xref": "x3"}], "points": []}}, (0.5, 3.0)),
    ({"selection": {"box": [], "points": [{"x": -1, "y": 2}]}}, (-1.0, 2.0)),
    ({"selection": {"box": [{"x": ["nan", 1], "y": [0, 1]}]}}, None),
    ({"selection": {"box": [{"x": [1e9, 1e9], "y": [0, 0]}]}}, (1e3, 0.0)),
    (None, None), ({"selection": None}, None), ({"nothing": 1}, None),
])
def test_selection_to_race_start(state, point):
    assert M.point_from_selection(state) == point


def test_every_preset_param_is_a_control_and_parses():
    for preset in PB.PRESETS:
        assert set(preset.params) <= set(BC.CONTROLS), preset.id
        for key, raw in preset.params.items():
            c = BC.CONTROLS[key]
            assert c.parse(raw) != c.default or raw in (str(c.default), c.label(c.default), "0") or \
                c.link_value(c.parse(raw)) == raw, (preset.id, key, raw)


def test_text_covers_every_optimizer():
    for opt_id in BC.OPTIMIZERS:
        assert f"opt_{opt_id}" in BASINS


def test_map_snippet_recomputes_the_model_maps():
    values = values_from_params(BC.CONTROLS, {"surface": "himmelblau", "o1": "newton", "lr1": "1", "o2": "none",
                                              "n": "50", "steps": "50"})
    s = BC.setup(values)
    namespace: dict = {}
    exec(compile(M.map_snippet(s), "<snippet>", "exec"), namespace)  # our own generated code, not user text
    (view,) = M.compute_views(s)
    np.testing.assert_array_equal(namespace["maps"][1].label, view.label)
