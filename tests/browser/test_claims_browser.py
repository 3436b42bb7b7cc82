"""In a real browser, after Play: the 'what to watch' sentence under the figure and the figure
agree. The sentence's numbers are the drawn run's, and every claim of the preset holds on the
paths Chromium holds (gd._fullData: what is on screen), one preset per page."""

from __future__ import annotations

import time

import pytest
from browser_helpers import assert_no_exception, press_play, wait_app_idle, wait_for_race_chart

from pages.lib import claims
from pages.lib.presets import PRESETS

pytestmark = pytest.mark.browser

CASES = ["race_himmelblau", "critical_lecture", "batch_saddle", "momentum_two_dips", "adaptive_rmsprop_adam",
         "warmup_rmsprop_jump", "compose_rmsprop"]

DRAWN_JS = """(sel) => {
    const gd = document.querySelector(sel);
    const arr = (a) => a == null ? [] : Array.from(a, Number);
    return {meta: gd.layout.meta, data: gd._fullData.slice().sort((a, b) => a.index - b.index).map(t => {
        const out = {name: t.name, x: arr(t.x), y: arr(t.y)};
        if (t.xaxis && t.xaxis !== 'x') out.xaxis = t.xaxis;
        return out;
    })};
}"""


@pytest.mark.parametrize("preset_id", CASES)
def test_the_sentence_and_the_figure_agree_after_play(streamlit_app, browser_page, preset_id):
    preset = PRESETS[preset_id]
    base = streamlit_app("app.py").split("?")[0].rstrip("/")
    page = browser_page
    page.goto(f"{base}/{preset.page}?{preset.query()}")
    wait_app_idle(page, timeout=90_000)
    chart = wait_for_race_chart(page, timeout=90_000)
    assert_no_exception(page)
    press_play(page, chart)
    time.sleep(3)
    got = page.evaluate(DRAWN_JS, chart)
    drawn = claims.drawn_from_spec({"data": got["data"], "layout": {"meta": got["meta"]}})
    assert drawn.names, "no paths on screen"
    false = [c.says for c in preset.claims if not c.variant and not c.check(drawn)]
    assert not false, f"{preset_id}: on screen, false: {false}"
    sentence = claims.fill(preset.watch[0], preset.facts, drawn)
    shown = page.locator("[data-testid='stAlert']", has_text="What to watch").first.inner_text()
    assert " ".join(sentence.split()) in " ".join(shown.split()), (sentence, shown)
