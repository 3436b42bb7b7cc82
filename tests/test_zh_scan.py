"""The Chinese page speaks Chinese: every page (default view and every preset, plus presenter
mode) rendered with lang=zh, and every visible text scanned (element text, widget labels and help,
the options a menu shows, and every word the figures draw: trace names, hovers, axis titles,
annotations, the slider's prefix, Play/Pause). Any English word outside the lecture's own English
terms and an allowlist of names and code (tests/zh_scan.py) fails the test."""

from __future__ import annotations

import pytest

from pages.lib.presets import PRESETS
from pages.lib.registry import CONTENT_PAGES, PAGES
from tests.conftest import app_test, classroom_run
from tests.zh_scan import english_words, leaks


def _describe(found: dict) -> str:
    return "\n".join(f"  {where}: {sorted(words)}" for where, words in list(found.items())[:25])


def test_the_scanner_finds_english_and_passes_chinese():
    assert english_words("Watch the red path") == {"Watch", "the", "red", "path"}
    assert not english_words("看红色路径：gradient 在 saddle point 附近（$\\eta g$，lr=0.5，`optim`）")
    assert english_words("<b>GD</b> step %{x:d}") == {"step"}


@pytest.mark.parametrize("page", [p.file if p.url_path else "app.py" for p in PAGES])  # home: through app.py
def test_every_page_by_default_in_chinese(page):
    at = app_test(page)
    at.query_params["lang"] = "zh"
    at.run()
    assert not at.exception
    found = leaks(at)
    assert not found, f"English in the Chinese {page}:\n{_describe(found)}"


@pytest.mark.parametrize("preset_id", sorted(PRESETS))
def test_every_preset_in_chinese(preset_id):
    preset = PRESETS[preset_id]
    at = classroom_run(f"pages/{preset.page}.py", preset, lang="zh")
    found = leaks(at)
    assert not found, f"English in the Chinese {preset_id}:\n{_describe(found)}"


@pytest.mark.parametrize("page", [p.url_path for p in CONTENT_PAGES])
def test_presenter_mode_in_chinese(page):
    preset = next(p for p in PRESETS.values() if p.page == page)
    at = classroom_run(f"pages/{page}.py", preset, lang="zh", present="1")
    found = leaks(at)
    assert not found, f"English in the Chinese presenter view of {page}:\n{_describe(found)}"


def test_an_english_page_is_caught():
    """The scan is not blind: the same page in English is full of words it flags."""
    preset = next(iter(PRESETS.values()))
    at = classroom_run(f"pages/{preset.page}.py", preset, lang="en")
    assert len(leaks(at)) > 10
