"""The race figure in a real browser: Play moves the heads and the surface image stays drawn.

(Plotly's contour/heatmap background vanishes when a redraw=False animation starts; our
background is a layout image, so it must survive Play.)
"""

from __future__ import annotations

import re

import pytest
from browser_helpers import assert_no_exception, plotly_state, wait_app_idle

pytestmark = pytest.mark.browser

APP = "tests/browser/figure_app.py"
SCREENSHOT = "/tmp/figure_after_play.png"


def _heads(state) -> list[tuple[float, float]]:
    anim = state["meta"]["animated_traces"]
    n_paths = (len(anim) - 4) // 2  # [trail, head] per path, then 4 panel cursors
    return [(state["traces"][anim[2 * k + 1]]["x"][0], state["traces"][anim[2 * k + 1]]["y"][0]) for k in range(n_paths)]


def _image_box(page):
    return page.evaluate(
        """() => {
            const img = document.querySelector('.js-plotly-plot .imagelayer image');
            if (!img) return null;
            const r = img.getBoundingClientRect();
            return {href: img.getAttribute('href') || img.getAttribute('xlink:href') || '', w: r.width, h: r.height};
        }"""
    )


def test_play_moves_heads_and_keeps_background(streamlit_app, browser_page):
    page = browser_page
    page.goto(streamlit_app(APP, query="steps=300"))
    wait_app_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    assert_no_exception(page)

    before = plotly_state(page)
    assert before is not None and before["frames"] > 10
    heads0 = _heads(before)
    box0 = _image_box(page)
    assert box0 and box0["href"].startswith("data:image/png;base64,") and box0["w"] > 100 and box0["h"] > 100

    page.locator("g.updatemenu-button", has_text="▶").first.click()
    page.wait_for_timeout(1500)

    after = plotly_state(page)
    heads1 = _heads(after)
    moved = [abs(a[0] - b[0]) + abs(a[1] - b[1]) > 1e-3 for a, b in zip(heads0, heads1)]
    assert any(moved), f"no head moved after Play: {heads0} -> {heads1}"

    box1 = _image_box(page)
    assert box1 is not None, "the background image vanished after Play"
    assert box1["href"] == box0["href"] and box1["w"] > 100 and box1["h"] > 100
    # the iso-lines (a scatter trace) are still drawn too
    assert page.locator(".js-plotly-plot .scatterlayer .trace path.js-line").count() > 5
    assert_no_exception(page)
    page.screenshot(path=SCREENSHOT)


def test_pause_stops_and_slider_seeks(streamlit_app, browser_page):
    page = browser_page
    page.goto(streamlit_app(APP, query="steps=300"))
    wait_app_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    page.locator("g.updatemenu-button", has_text="▶").first.click()
    page.wait_for_timeout(500)
    page.locator("g.updatemenu-button", has_text="Pause").first.click()
    page.wait_for_timeout(300)
    paused = _heads(plotly_state(page))
    page.wait_for_timeout(600)
    assert _heads(plotly_state(page)) == paused, "heads still moving after Pause"
    # the slider shows the current step as "step N"
    label = page.locator(".js-plotly-plot text").filter(has_text=re.compile(r"^step \d+$")).first.text_content()
    assert label.startswith("step ")
    assert int(label.split()[1]) > 0
    assert_no_exception(page)
