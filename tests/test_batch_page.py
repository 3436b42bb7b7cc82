"""Batch-size page through Streamlit's AppTest: smoke, link -> widgets, bad links, presets (from the
one catalog), readout, presenter mode, exports ("copy as Python" reproduces the page), Chinese."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import numpy as np
import pytest

from pages.lib import claims
from pages.lib.presets import PRESETS, presets_for
from tests.conftest import animated_spec, app_test, open_exports

PAGE = "pages/batch.py"
BATCH_PRESETS = presets_for("batch")


def run_page(**params):
    at = app_test(PAGE, timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at


def _text(at) -> str:
    return " ".join(m.value for m in at.markdown)


def test_smoke_default_is_the_saddle_demo():
    at = run_page()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 3  # race, loss curves, trade-off
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == ["B=1", "B=4", "full batch (B=32)"]
    assert list(table.iloc[:, 1]) == [32, 8, 1]  # updates per epoch
    text = _text(at)
    assert "B=1 escaped" in text and "B=4 escaped" in text
    assert "full batch (B=32) stalled at the saddle (0, 1)" in text
    assert "Press ▶ Play" in " ".join(c.value for c in at.caption)  # no preset in the link: the generic hint
    assert not at.info


def test_race_figure_has_paths_and_frames():
    at = run_page()
    import json

    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = {t.get("name") for t in fig["data"]}
    assert {"B=1", "B=4", "full batch (B=32)"} <= names
    assert len(fig["frames"]) > 50
    assert fig["layout"]["sliders"][0]["currentvalue"]["prefix"].startswith("epoch")


def test_link_parameters_reach_the_widgets():
    at = run_page(data="Linear regression (convex)", n="2", b1="2", b2="16", epochs="7", opt="Adam (torch)",
                  lr="0.03", seed="9", P="4", x0="0.5", y0="-1")
    assert not at.exception
    assert at.selectbox(key="data").value == "linreg"
    assert at.number_input(key="b1").value == 2 and at.number_input(key="b2").value == 16
    assert at.number_input(key="epochs").value == 7
    assert at.selectbox(key="opt").value == "adam"
    assert at.number_input(key="lr").value == pytest.approx(0.03)
    assert at.number_input(key="seed").value == 9 and at.number_input(key="P").value == 4
    assert at.number_input(key="x0").value == pytest.approx(0.5)
    table = at.dataframe[0].value
    assert list(table.iloc[:, 1]) == [16, 2]
    assert list(table.iloc[:, 2]) == [7 * 16, 7 * 2]
    assert not at.info


def test_same_link_same_run():
    params = dict(b1="3", seed="5", epochs="5")
    tables = [run_page(**params).dataframe[0].value for _ in range(2)]
    assert tables[0].equals(tables[1])


@pytest.mark.parametrize("params", [
    {"b1": "0"}, {"b1": "33"}, {"b2": "abc"}, {"epochs": "1e9"}, {"lr": "nan"}, {"data": "Nope"},
    {"junk": "1"}, {"opt": "__import__"}, {"P": "-3"}, {"seed": "x" * 100_000},
])
def test_bad_link_parameters_fall_back_with_a_visible_note(params):
    at = run_page(**params)
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert "ignored" in notes and list(params)[0][:20] in notes
    assert len(at.dataframe[0].value) == 3  # the default race still runs


def _link(preset, **extra) -> dict:
    return dict(parse_qsl(preset.query(**extra)))


def test_presets_come_from_the_one_catalog_saddle_first():
    ids = [p.id for p in BATCH_PRESETS]
    assert ids[0] == "batch_saddle" and {"batch_momentum", "batch_adam", "batch_convex"} <= set(ids)
    for p in BATCH_PRESETS:
        assert p.link().startswith("/batch?")
        assert all(len(t) == 2 and all(t) for t in (p.title, p.blurb, p.watch))


@pytest.mark.parametrize("preset", BATCH_PRESETS, ids=lambda p: p.id)
def test_every_preset_link_is_fully_valid_and_shows_its_caption(preset):
    """A preset is a link: every parameter in it must be accepted by the page (no 'ignored' note)."""
    at = run_page(**_link(preset))
    assert not at.exception
    assert not [i.value for i in at.info if "ignored" in i.value]
    assert any(preset.watch[0] in i.value for i in at.info)
    assert at.selectbox(key="data").value == ("linreg" if preset.id == "batch_convex" else "pca")
    assert at.number_input(key="epochs").value == int(preset.params["epochs"])
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == ["B=1", "B=4", "full batch (B=32)"]


def test_preset_picker_loads_a_preset():
    at = run_page()
    at.selectbox(key="_preset_menu_batch").select("batch_convex").run()
    at.button(key="_preset_load_batch").click().run()
    assert not at.exception
    assert at.selectbox(key="data").value == "linreg"
    assert at.number_input(key="epochs").value == 30
    assert at.number_input(key="lr").value == pytest.approx(0.05)
    assert any("A bowl has no saddle" in i.value for i in at.info)
    at.selectbox(key="_preset_menu_batch").select("batch_momentum").run()
    at.button(key="_preset_load_batch").click().run()
    assert not at.exception
    assert at.selectbox(key="data").value == "pca" and at.number_input(key="epochs").value == 40
    assert at.selectbox(key="opt").value == "momentum"
    assert at.number_input(key="mom").value == pytest.approx(0.7)
    assert any("Momentum keeps moving" in i.value for i in at.info)
    text = _text(at)
    assert "stalled at the saddle" in text and "B=1 escaped" in text


def test_presenter_mode():
    at = run_page(**_link(PRESETS["batch_saddle"], present="1"))
    assert not at.exception
    assert any("stSidebar" in m.value and "display: none" in m.value for m in at.markdown)  # sidebar hidden
    assert not any(m.value.startswith("# ") for m in at.markdown) and not at.title  # no page title
    assert any("Watch the green full-batch path" in i.value for i in at.info)
    charts = at.get("plotly_chart")
    assert len(charts) == 1  # the race only: loss curves and trade-off are hidden
    fig = json.loads(charts[0].proto.spec)
    assert fig["layout"]["font"]["size"] > 15  # built big
    assert not at.expander and not at.dataframe and not at.code  # no exports, table or link box
    assert len(at.get("iframe")) + len(at.get("html")) >= 1  # the autoplay script
    assert "B=1 escaped" in _text(at)  # the readout that names the phenomenon stays


def test_copy_as_python_reproduces_the_page_bit_for_bit():
    at = run_page(**_link(BATCH_PRESETS[0]))
    assert not at.exception
    assert any(e.label == "Export" for e in at.expander)
    at = open_exports(at, "batch")
    snippet = next(c.value for c in at.code if "simulate_minibatch" in c.value)
    ns: dict = {}
    exec(compile(snippet, "<snippet>", "exec"), ns)  # our own generated code, in a test only
    drawn = claims.drawn_from_spec(animated_spec(at))  # the page's public output: the drawn paths
    assert list(ns["runs"]) == list(drawn.names) == ["B=1", "B=4", "full batch (B=32)"]
    for (name, run), points in zip(ns["runs"].items(), drawn.points):
        # the figure puts every batch size on one timeline of sample-steps (a point is held while a
        # larger batch is still being read): the same points, each held for its duration
        mine = run.points.astype(np.float32).astype(float)
        held = points[np.r_[True, np.any(np.diff(points, axis=0) != 0, axis=1)]]
        np.testing.assert_array_equal(mine[np.r_[True, np.any(np.diff(mine, axis=0) != 0, axis=1)]], held, err_msg=name)


def test_exports_have_every_per_step_quantity():
    import optim
    from optim import export
    from optim.minibatch import simulate_minibatch
    from surfaces import datasets

    run = simulate_minibatch(datasets.get("pca"), optim.make("gd", lr=0.1), (0.0, 1.5), 2, 8, seed=0)
    header = export.to_csv([run], ["B=8"]).splitlines()[0].split(",")
    for col in ("x", "y", "loss", "grad_x", "lr", "update_x", "effective_step_y", "seen_grad_x", "seen_grad_y",
                "epoch", "batch_len"):
        assert col in header
    data = json.loads(export.to_json([run], ["B=8"]))
    assert len(data["paths"][0]["steps"]) == run.steps + 1


def test_chinese():
    at = run_page(**_link(BATCH_PRESETS[0], lang="zh"))
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "卡在 saddle point" in text and "逃离了" in text
    assert any("看点" in i.value and "看绿色的 full batch 路径" in i.value for i in at.info)
    assert "批" in at.caption[0].value or "与" in at.caption[0].value
    assert any("每 epoch update 数" == c for c in at.dataframe[0].value.columns)
    captions = " ".join(c.value for c in at.caption)
    assert "左：按 update 计" in captions and "模型：N = 32" in captions
    assert any(e.label == "导出" for e in at.expander)
