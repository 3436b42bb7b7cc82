"""The words drawn inside the plots follow the page's language (panel titles, the step slider,
critical-point kinds, the "diverged" note): a Chinese class sees no English inside a figure."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pages.lib import figures
from pages.lib.presets import PRESETS
from pages.lib.text import FIGURE, LANGS
from tests.conftest import animated_spec, classroom_run

ZH = LANGS.index("zh")
EN_ONLY = {texts[0] for texts in FIGURE.values() if texts[0] != texts[ZH]}
ZH_WORDS = {texts[ZH] for texts in FIGURE.values()}


def figure_words(spec: dict) -> set[str]:
    """Every piece of text the figure draws by itself: trace names, panel titles (annotations),
    axis titles and the slider's "current value" prefix."""
    layout = spec["layout"]
    words = {t.get("name") for t in spec["data"] if t.get("showlegend", True)}
    words |= {a.get("text") for a in layout.get("annotations", ())}
    words |= {(v.get("title") or {}).get("text") for k, v in layout.items() if k.startswith(("xaxis", "yaxis"))}
    words |= {(s.get("currentvalue") or {}).get("prefix") for s in layout.get("sliders", ())}
    return {w for w in words if w}


def _toy_paths():
    t = np.linspace(0, 1, 31)
    pts = np.column_stack([1 - t, 1 - t])
    diverging = np.column_stack([t, np.where(t < 0.5, t, np.inf)])
    loss = (pts**2).sum(1)
    away = np.column_stack([t, 4 * t])  # leaves the window (y > 2) at step 16
    return [figures.PathView(name="GD", color="#0072B2", points=pts, loss=loss),
            figures.PathView(name="big lr", color="#D55E00", points=diverging, loss=(diverging**2).sum(1),
                             status="diverged"),
            figures.PathView(name="away", color="#009E73", points=away, loss=away[:, 0] ** 2 - away[:, 1] ** 2)]


def test_race_figure_draws_the_labels_it_is_given():
    xs = ys = np.linspace(-2, 2, 21)
    Z = xs[None, :] ** 2 - ys[:, None] ** 2
    crit = [(0.0, 0.0, "saddle"), (1.0, 1.0, "minimum")]
    zh = {key: texts[ZH] for key, texts in FIGURE.items()}
    en_spec = figures.race_figure_spec(xs, ys, Z, _toy_paths(), log_scale=False, critical_points=crit)
    zh_spec = figures.race_figure_spec(xs, ys, Z, _toy_paths(), log_scale=False, critical_points=crit, labels=zh)
    en, cn = figure_words(en_spec), figure_words(zh_spec)
    assert {"saddle", "minimum", "step ", "step"} <= en
    assert {"鞍点", "极小值", "第 ", "步数"} <= cn
    assert not (cn & EN_ONLY)
    diverged = [t["hovertemplate"] for t in zh_spec["data"] if t.get("name") == "big lr diverged"]
    assert diverged and "第 14 步后发散" in diverged[0]
    # losses <= 0 (GD ends at exactly 0, "away" goes negative): the symmetric-log loss title, in zh too
    assert "loss f(θ_t), symmetric log: linear within ±10<sup>-3</sup>" in en
    assert "损失 f(θ_t)，对称对数：±10<sup>-3</sup> 内线性" in cn
    # the path that leaves the window: its note and its edge marker's hover speak the language
    unwrap = lambda words: {w.replace("<br>", " ") for w in words}  # noqa: E731  (notes wrap at ~44 characters)
    assert "away 在第 16 步离开视窗（边缘的 ▲ 指向它）" in unwrap(cn)
    assert "away left the window at step 16 (▲ on the edge points to it)" in unwrap(en)
    (head,) = zh_spec["layout"]["meta"]["edge_traces"]
    assert "在第 %{customdata[0]} 步离开视窗" in zh_spec["data"][head]["hovertemplate"][1]
    # only words change: the same traces, frames and data
    assert len(en_spec["data"]) == len(zh_spec["data"]) and en_spec["frames"] == zh_spec["frames"]


def _first_preset_of_each_page() -> list[str]:
    first: dict[str, str] = {}
    for preset in PRESETS.values():
        first.setdefault(preset.page, preset.id)
    return sorted(first.values())


ONE_PRESET_PER_PAGE = _first_preset_of_each_page()


@pytest.mark.parametrize("preset_id", ONE_PRESET_PER_PAGE)
def test_every_figure_speaks_the_page_language(preset_id):
    preset = PRESETS[preset_id]
    at = classroom_run(f"pages/{preset.page}.py", preset, lang="zh")
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert specs, f"{preset.page}: no figure"
    if any(s.get("frames") for s in specs):  # a page with a race: its figure uses the shared words
        words = figure_words(animated_spec(at))
        assert words & ZH_WORDS, f"{preset.page}: no Chinese word in the animated figure: {sorted(words)}"
    for chart in at.get("plotly_chart"):  # and no figure of the page keeps an English one
        left = figure_words(json.loads(chart.proto.spec)) & EN_ONLY
        assert not left, f"{preset.page}: English left in a Chinese figure: {left}"
