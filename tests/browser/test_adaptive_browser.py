"""The adaptive page in a real browser: open the first preset's link, press Play, no exception,
and the surface (a layout image) is still drawn after Play."""

from __future__ import annotations

import pytest
from browser_helpers import assert_no_exception, wait_app_idle

from pages.lib.presets import presets_for

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/adaptive_after_play.png"


def _image(page):
    return page.evaluate(
        """() => {
            const img = document.querySelector('.js-plotly-plot .imagelayer image');
            if (!img) return null;
            const r = img.getBoundingClientRect();
            return {href: (img.getAttribute('href') || img.getAttribute('xlink:href') || '').slice(0, 30), w: r.width, h: r.height};
        }"""
    )


@pytest.mark.parametrize("index", [0, 1])
def test_preset_play_keeps_background(streamlit_app, browser_page, index):
    preset = presets_for("adaptive")[index]
    page = browser_page
    page.goto(streamlit_app("pages/adaptive.py", query=preset.query()))
    wait_app_idle(page, timeout=90_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", state="attached", timeout=120_000)
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot .imagelayer image') !== null", timeout=120_000)
    assert_no_exception(page)
    before = _image(page)
    assert before and before["href"].startswith("data:image/png") and before["w"] > 100
    page.locator("g.updatemenu-button", has_text="▶").first.click()
    page.wait_for_timeout(2500)
    after = _image(page)
    assert after is not None and after["w"] > 100 and after["h"] > 100, "background image vanished after Play"
    assert_no_exception(page)
    page.screenshot(path=SCREENSHOT.replace(".png", f"_{index}.png"))
