"""The playground in a real browser: a link opens the right view, Play animates it, the
surface stays drawn, and changing a widget changes the URL (widget -> link direction)."""

from __future__ import annotations

import pytest
from browser_helpers import (
    MAIN_CHART,
    assert_no_exception,
    background_box,
    head_positions,
    plotly_state,
    press_play,
    wait_app_idle,
)

from pages.lib.presets import PRESETS

pytestmark = pytest.mark.browser


def _open(page, streamlit_app, path: str, query: str = ""):
    base = streamlit_app("app.py").split("/?")[0].rstrip("/")
    page.goto(f"{base}/{path}" + (f"?{query}" if query else ""))
    wait_app_idle(page, timeout=90_000)
    page.wait_for_selector(f"{MAIN_CHART} .main-svg", timeout=60_000)
    return base


def test_link_opens_preset_and_play_moves_heads_and_keeps_background(streamlit_app, browser_page):
    page = browser_page
    preset = PRESETS["saddle_newton"]
    _open(page, streamlit_app, "playground", preset.query())
    assert_no_exception(page)
    assert "Newton" in page.content()
    before = plotly_state(page, MAIN_CHART)
    heads0 = head_positions(before)
    assert len(heads0) == 2  # the preset races two optimizers
    box0 = background_box(page)
    assert box0 and box0["href"].startswith("data:image/png") and box0["w"] > 100

    press_play(page)
    page.wait_for_timeout(2000)
    heads1 = head_positions(plotly_state(page, MAIN_CHART))
    assert any(abs(a[0] - b[0]) + abs(a[1] - b[1]) > 1e-3 for a, b in zip(heads0, heads1))
    box1 = background_box(page)
    assert box1 is not None and box1["href"] == box0["href"] and box1["w"] > 100
    assert_no_exception(page)
    page.screenshot(path="/tmp/playground_after_play.png")


def test_changing_a_widget_changes_the_url(streamlit_app, browser_page):
    page = browser_page
    _open(page, streamlit_app, "playground")
    assert "steps=" not in page.url
    box = page.get_by_label("Steps", exact=True)
    box.fill("123")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('steps=123')", timeout=30_000)
    wait_app_idle(page, timeout=90_000)
    assert_no_exception(page)
    # and the link round-trips: opening it in a fresh page shows the same value
    url = page.url
    page.goto(url)
    wait_app_idle(page, timeout=90_000)
    assert page.get_by_label("Steps", exact=True).input_value() == "123"


def test_junk_link_shows_a_note_not_an_exception(streamlit_app, browser_page):
    page = browser_page
    _open(page, streamlit_app, "playground", "steps=zzz&bogus=1&o1_gd_lr=1e99")
    assert_no_exception(page)
    assert "were ignored" in page.content()
