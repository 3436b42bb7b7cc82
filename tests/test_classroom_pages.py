"""Classroom behaviour of every lesson page with a "copy as Python" snippet (issue 7), one
parametrized test per behaviour instead of a copy per page: presenter mode, the snippet
reproducing the page's runs bit for bit, and the Chinese captions and readouts. (The
playground and batch pages have their own variants in test_exports.py / test_batch_page.py.)"""

from __future__ import annotations

import numpy as np
import pytest

from pages.lib import claims
from pages.lib.presets import presets_for
from tests.conftest import animated_spec, classroom_run, open_exports, watch_text

LESSON_PAGES = ("critical", "momentum", "adaptive", "warmup", "compose")


def _first_preset_run(page: str, **extra):
    return classroom_run(f"pages/{page}.py", presets_for(page)[0], **extra)


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("page", LESSON_PAGES)
def test_presenter_mode_hides_controls_enlarges_and_autoplays(page):
    preset = presets_for(page)[0]
    normal, at = _first_preset_run(page), _first_preset_run(page, present="1")
    assert any("stSidebar" in m.value and "display: none" in m.value for m in at.markdown)  # sidebar hidden
    assert any(watch_text(preset, 0, at) in i.value for i in at.info)  # what to watch
    assert animated_spec(at)["layout"]["font"]["size"] > animated_spec(normal)["layout"]["font"]["size"]  # big
    assert len(at.get("iframe")) + len(at.get("html")) >= 1  # the autoplay script
    assert not at.code and "Export" not in [e.label for e in at.expander]  # no exports, no link box
    assert len([m for m in at.markdown if m.value.startswith("## ")]) == 0  # no page title
    assert not [i for i in at.info if "ignored" in i.value]


@pytest.mark.parametrize("page", LESSON_PAGES)
def test_copy_as_python_reproduces_the_pages_runs_bit_for_bit(page):
    at = _first_preset_run(page)
    assert "Export" in [e.label for e in at.expander]
    at = open_exports(at, page)
    snippet = next(c.value for c in at.code if "optim.simulate" in c.value)
    ns: dict = {}
    exec(compile(snippet, "<snippet>", "exec"), ns)  # our own generated code, in a test only
    # the page's public output: every point of every path as the figure draws it (float32)
    drawn = claims.drawn_from_spec(animated_spec(at))
    assert list(ns["runs"]) == list(drawn.names) and drawn.names
    for (name, run), points in zip(ns["runs"].items(), drawn.points):
        mine = run.points.astype(np.float32).astype(float)
        # the critical lab draws (c) from the saddle: its escape step comes before the run it starts
        assert len(points) - len(mine) in (0, 1), name
        np.testing.assert_array_equal(mine, points[len(points) - len(mine):], err_msg=name)


@pytest.mark.parametrize("page", LESSON_PAGES)
def test_chinese_captions_and_readouts(page):
    """lang=zh: the what-to-watch caption, the readout sentences and captions, the export panel are Chinese."""
    preset = presets_for(page)[0]
    at = _first_preset_run(page, lang="zh")
    assert any(watch_text(preset, 1, at) in i.value and "看点" in i.value for i in at.info)
    readout = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert readout and all(_cjk(t) for t in readout)
    captions = [c.value for c in at.caption]
    assert captions and sum(_cjk(c) for c in captions) >= 0.8 * len(captions)
    assert "导出" in [e.label for e in at.expander]
