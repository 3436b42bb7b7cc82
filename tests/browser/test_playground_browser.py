"""The playground in a real browser: a link opens the right view, Play animates it, the
surface stays drawn, and changing a widget changes the URL (widget -> link direction)."""

from __future__ import annotations

from pathlib import Path

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
from playwright.sync_api import expect

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
    # the frontend draws a bound number input with its default for a moment before the link's
    # value lands (Streamlit 1.67), so wait for the value instead of reading it once
    expect(page.get_by_label("Steps", exact=True)).to_have_value("123", timeout=30_000)


def test_a_deep_link_is_the_first_visit_of_a_fresh_server(streamlit_app, browser_page):
    """Streamlit treats an app with a pages/ folder as an old-style multipage app until app.py
    has run once: a student's link straight to a page used to render that page alone, narrow
    and without the navigation bar (pages/lib/entry.py reruns it through app.py)."""
    page = browser_page
    base = streamlit_app("app.py", server="never-visited").split("/?")[0].rstrip("/")
    page.goto(f"{base}/playground?steps=123&v=1")
    wait_app_idle(page, timeout=90_000)
    page.wait_for_selector(f"{MAIN_CHART} .main-svg", timeout=60_000)
    expect(page.get_by_label("Steps", exact=True)).to_have_value("123", timeout=30_000)
    n_pages = len([p for p in (Path(__file__).resolve().parents[2] / "pages").glob("*.py") if not p.name.startswith("_")])
    assert page.locator("[data-testid='stTopNavLink']").count() == n_pages
    width = page.evaluate("() => document.querySelector(\"[data-testid='stMainBlockContainer']\")"
                          ".getBoundingClientRect().width")
    assert width > 900  # the wide layout of app.py's set_page_config, not the 736 px centered one
    assert "/playground" in page.url and "steps=123" in page.url
    assert_no_exception(page)


def test_junk_link_shows_a_note_not_an_exception(streamlit_app, browser_page):
    page = browser_page
    _open(page, streamlit_app, "playground", "steps=zzz&bogus=1&o1_gd_lr=1e99")
    assert_no_exception(page)
    assert "were ignored" in page.content()


def test_a_chosen_option_is_written_into_the_link_as_its_id(streamlit_app, browser_page):
    """Selects write the option's stable id (surface=rosenbrock), not the shown name; the link
    means the same in Chinese, and opening it shows the same choice."""
    page = browser_page
    _open(page, streamlit_app, "playground", "lang=zh")
    select = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']", has_text="误差曲面").first
    select.click()
    page.keyboard.type("Rosenbrock")  # the menu filters as one types (a long list is virtualised)
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('surface=rosenbrock')", timeout=30_000)
    wait_app_idle(page, timeout=90_000)
    assert_no_exception(page)
    url = page.url.replace("lang=zh", "lang=en")
    page.goto(url)
    wait_app_idle(page, timeout=90_000)
    expect(page.get_by_role("combobox", name="Surface")).to_have_value("Rosenbrock", timeout=30_000)
    assert "surface=rosenbrock" in page.url
