"""Batch-size page through Streamlit's AppTest: smoke, link -> widgets, bad links, presets, readout."""

from __future__ import annotations

import pytest

from tests.conftest import app_test

PAGE = "pages/batch_size.py"


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
    assert "Watch the green full-batch path" in text  # the default view is the saddle preset
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


def test_preset_buttons_set_the_controls():
    at = run_page()
    at.button(key="_preset_convex").click().run()
    assert not at.exception
    assert at.selectbox(key="data").value == "linreg"
    assert at.number_input(key="epochs").value == 30
    assert "A bowl has no saddle" in _text(at)
    at.button(key="_preset_momentum").click().run()
    assert not at.exception
    assert at.selectbox(key="opt").value == "momentum"
    assert at.number_input(key="mom").value == pytest.approx(0.7)
    text = _text(at)
    assert "Momentum keeps moving" in text and "stalled at the saddle" in text and "B=1 escaped" in text


def test_changing_a_control_drops_the_preset_caption():
    at = run_page(epochs="12")
    assert not at.exception
    assert "Watch the green" not in _text(at) and "Press ▶ Play" in _text(at)


def test_chinese():
    at = run_page(lang="zh")
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "卡在 saddle point" in text and "逃离了" in text
