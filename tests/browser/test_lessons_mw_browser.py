"""Momentum and warm-up pages in a real browser: open the first preset's link, press Play.

After Play there must be no Streamlit exception and the race figure's background image (the
surface) must still be drawn (a contour background would vanish: see figures.py).
"""

from __future__ import annotations

import pytest
from browser_helpers import (
    RACE_CHART,
    assert_no_exception,
    background_box,
    plotly_state,
    wait_app_idle,
    wait_for_race_chart,
)

from pages.lib.presets import presets_for

pytestmark = pytest.mark.browser

RACE = RACE_CHART


@pytest.mark.parametrize("page_name, script", [("momentum", "pages/momentum.py"), ("warmup", "pages/warmup.py")])
def test_first_preset_plays_and_keeps_the_surface(streamlit_app, browser_page, page_name, script):
    preset = presets_for(page_name)[0]
    page = browser_page
    page.goto(streamlit_app(script, query=preset.query()))
    wait_app_idle(page, timeout=60_000)
    wait_for_race_chart(page)
    assert_no_exception(page)
    before = background_box(page, RACE)
    assert before and before["href"].startswith("data:image/png;base64,") and before["w"] > 100

    page.locator(f"{RACE} g.updatemenu-button", has_text="▶").first.click()
    page.wait_for_timeout(2000)

    after = background_box(page, RACE)
    assert after is not None, "the surface image vanished after Play"
    assert after["href"] == before["href"] and after["w"] > 100 and after["h"] > 50
    state = plotly_state(page, RACE)
    assert state is not None and state["frames"] > 10
    assert_no_exception(page)
    # the readout names the phenomenon
    text = page.locator("[data-testid='stMain']").inner_text()
    assert ("passed it at step" in text) if page_name == "momentum" else ("warm-up made it" in text)
    page.screenshot(path=f"/tmp/lesson_{page_name}_after_play.png")
