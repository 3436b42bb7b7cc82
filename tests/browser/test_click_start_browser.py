"""A click on the map sets the start (issue 11): the race pages' and the critical map's surface is
a layout image, so an invisible grid of round points (``figures.CLICK_TRACE``) catches the
click; the page moves the start (the critical page: the inspected point) to the grid point
under the mouse, the link carries it, and the redrawn paths start there. Desktop and phone."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from browser_helpers import assert_no_exception, opened_page, wait_app_idle
from layout_helpers import MARK_RACE, RACE, wait_laid_out
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from pages.lib.presets import PRESETS

pytestmark = pytest.mark.browser

# the page body's chart that has a click grid (the race, or the critical page's map)
CLICKABLE = """() => [...document.querySelectorAll("[data-testid='stMain'] .js-plotly-plot")]
  .find(d => d.layout && d.layout.meta && d.layout.meta.click_trace !== undefined)"""
TO_PIXELS = f"""([tx, ty]) => {{
  const g = ({CLICKABLE})();
  const xa = g._fullLayout.xaxis, ya = g._fullLayout.yaxis;
  const r = g.querySelector('.nsewdrag').getBoundingClientRect();
  return [r.left + xa.l2p(tx), r.top + ya.l2p(ty)];
}}"""
PATH_STARTS = f"""() => {{
  const g = ({CLICKABLE})();
  return (g.layout.meta.head_traces || []).map(i => [g._fullData[i].x[0], g._fullData[i].y[0]]);
}}"""


def _click_map(page, x: float, y: float) -> dict:
    """Click the map at data point (x, y); return the link's parameters after the page's rerun. A
    second click if the first changed nothing within 15 s (on a loaded machine the figure may
    still have been moving under the mouse; a person clicks again too)."""
    before = page.url
    for attempt in range(2):
        px, py = page.evaluate(TO_PIXELS, [x, y])
        page.mouse.click(px, py)
        try:
            page.wait_for_function("(u) => location.href !== u", arg=before, timeout=15_000)
            break
        except PlaywrightTimeout:
            if attempt == 1:
                raise
    wait_app_idle(page, timeout=90_000)
    assert_no_exception(page)
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


@pytest.mark.parametrize("viewport", [(1400, 1000), (390, 844)], ids=["desktop", "phone"])
def test_a_click_on_the_race_map_moves_the_start_there(streamlit_app, _browser, viewport):
    with opened_page(streamlit_app, _browser, f"momentum?{PRESETS['momentum_two_dips'].query()}", *viewport) as page:
        page.wait_for_function(CLICKABLE, timeout=60_000)
        page.wait_for_function(MARK_RACE, timeout=60_000)
        wait_laid_out(page, RACE)  # the phone layout (narrow variant) is applied and stays
        # the grid is hit-tested, not drawn: its ~1,700 points are not in the page (one is)
        assert page.evaluate(f"() => ({CLICKABLE})().querySelectorAll('path.point').length") < 100
        params = _click_map(page, -1.4, 1.0)  # the shallow dip's left, far from the preset's start (2.2, 0.8)
        x0, y0 = float(params["x0"]), float(params["y0"])
        assert abs(x0 + 1.4) <= 0.11 and abs(y0 - 1.0) <= 0.11, params  # the grid point under the mouse
        assert len(f"{x0:g}") <= 5 and len(f"{y0:g}") <= 5  # a round number, not 1.0000000149
        page.wait_for_function(f"() => ({PATH_STARTS})().every(([x, y]) => Math.abs(x - {x0}) < 1e-6)",
                               timeout=60_000)
        starts = page.evaluate(PATH_STARTS)
        assert starts and all(abs(x - x0) < 1e-6 and abs(y - y0) < 1e-6 for x, y in starts), starts


def test_a_click_on_the_critical_map_inspects_that_point(streamlit_app, _browser):
    with opened_page(streamlit_app, _browser, "critical?lang=zh", 1400, 1000) as page:
        page.wait_for_function(CLICKABLE, timeout=60_000)
        params = _click_map(page, 0.5, 0.5)
        assert (float(params["px"]), float(params["py"])) == (0.5, 0.5), params
        page.wait_for_function("() => document.body.innerText.includes(\"θ' = (0.5, 0.5)\")", timeout=30_000)
