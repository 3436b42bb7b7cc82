"""The critical-points page in a real browser: markers drawn, the escape lab plays, background kept."""

from __future__ import annotations

import pytest
from browser_helpers import assert_no_exception, wait_app_idle

from pages.lib.presets import PRESETS

pytestmark = pytest.mark.browser

APP = "pages/critical.py"
SCREENSHOT = "/tmp/critical_after_play.png"


def _plots(page):
    """Per Plotly graph: names and marker symbols of its traces, frame count, background image."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => ({
            traces: (gd._fullData || []).map(t => ({name: t.name, mode: t.mode,
                                                    symbol: t.marker ? t.marker.symbol : null})),
            frames: (gd._transitionData && gd._transitionData._frames || []).length,
            image: (() => { const im = gd.querySelector('.imagelayer image');
                            if (!im) return null;
                            const r = im.getBoundingClientRect();
                            return {href: (im.getAttribute('href') || im.getAttribute('xlink:href') || '').slice(0, 22),
                                    w: r.width, h: r.height}; })(),
        }))"""
    )


def test_lecture_preset_markers_and_escape_lab_play(streamlit_app, browser_page):
    page = browser_page
    page.goto(streamlit_app(APP, query=PRESETS["critical_lecture"].query()))
    wait_app_idle(page, timeout=90_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    assert_no_exception(page)

    plots = _plots(page)
    saddle_plots = [p for p in plots if any(t["symbol"] == "x" and t["name"] == "saddle" for t in p["traces"])]
    assert saddle_plots, f"no plot has saddle 'x' markers: {plots}"
    race = [p for p in plots if p["frames"] > 10]
    assert len(race) == 1, "the escape lab's animated race is missing"
    assert race[0]["image"] and race[0]["image"]["href"].startswith("data:image/png")

    play = page.locator("g.updatemenu-button", has_text="▶").first
    play.scroll_into_view_if_needed()
    play.click()
    page.wait_for_timeout(2500)

    after = [p for p in _plots(page) if p["frames"] > 10]
    assert after and after[0]["image"] is not None, "the surface image vanished after Play"
    assert after[0]["image"]["w"] > 100 and after[0]["image"]["h"] > 100
    assert_no_exception(page)
    page.screenshot(path=SCREENSHOT)
