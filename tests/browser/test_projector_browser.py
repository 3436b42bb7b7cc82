"""Issue 11, projector and desktop: presenter mode (``present=1``) at 1366 x 768, and the editing
view at 1400 x 1000.

On every page with an animated race (its first preset's link): no text overlaps other text or a
control (tick labels, axis and panel titles, colour-bar labels, legend, Play/Pause/speed buttons,
the slider's band, the toolbar), every button and the slider are the element a click at their
centre hits (the 0.5x button used to cover the slider's last tenth), and in presenter mode the
animation plays by itself fully above the fold (the critical page's was ~2000 px down), the
animated figure takes >= 60% of the viewport's height and formulas are enlarged with the prose.
One page load per page and size. Screenshots: /tmp/projector_<size>_<page>.png.
"""

from __future__ import annotations

import time

import pytest
from browser_helpers import assert_no_exception, wait_app_idle
from layout_helpers import MARK_RACE, RACE, RACE_PAGES, centre, hit, overlaps, race_geometry, settled_geometry, wait_laid_out

from pages.lib.presets import presets_for

pytestmark = pytest.mark.browser

SIZES = {"present1366": ({"width": 1366, "height": 768}, True), "desktop1400": ({"width": 1400, "height": 1000}, False)}

CASES = [(size, page) for size in SIZES for page in RACE_PAGES]
KATEX_VS_PROSE = """() => {
  const k = document.querySelector('[data-testid="stMain"] [data-testid="stLatex"] .katex, [data-testid="stMain"] .stMarkdown .katex');
  const p = document.querySelector('[data-testid="stMain"] .stMarkdown p');
  if (!k || !p) return null;
  return [parseFloat(getComputedStyle(k).fontSize), parseFloat(getComputedStyle(p).fontSize)];
}"""


@pytest.mark.parametrize("size, page_path", CASES, ids=[f"{s}-{p}" for s in SIZES for p in RACE_PAGES])
def test_race_figure_on_a_projector_and_a_desktop(streamlit_app, _browser, size, page_path):
    viewport, present = SIZES[size]
    preset = presets_for(page_path)[0]
    base = streamlit_app("app.py").split("?")[0].rstrip("/")
    context = _browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(f"{base}/{page_path}?v=2&preset={preset.id}" + ("&present=1" if present else ""))
        wait_app_idle(page, timeout=90_000)
        page.wait_for_function(MARK_RACE, timeout=90_000)
        assert_no_exception(page)
        wait_laid_out(page, RACE)
        time.sleep(1.0)  # presenter mode: the autoplay has pressed Play and the page has scrolled
        geo = settled_geometry(page, RACE)
        assert overlaps(geo) == [], f"{size} {page_path}: " + "; ".join(overlaps(geo))
        assert len(geo["buttons"]) == 5
        if present:
            chart = geo["chart"]
            assert chart["y"] >= -1 and chart["y"] + chart["h"] <= viewport["height"] + 1, (
                f"{page_path}: the animation is not fully on screen ({chart['y']:.0f}..{chart['y'] + chart['h']:.0f})")
            assert chart["h"] >= 0.6 * viewport["height"], f"{page_path}: the figure is {chart['h']:.0f} px high"
            sizes = page.evaluate(KATEX_VS_PROSE)
            if sizes is not None:  # a page with formulas on it: they grow with the prose
                assert sizes[0] >= sizes[1], f"{page_path}: formulas {sizes[0]} px, prose {sizes[1]} px"
        else:
            page.locator(RACE).locator(".slider-rail-touch-rect").scroll_into_view_if_needed()
            geo = race_geometry(page, RACE)
        for b in geo["buttons"]:
            assert hit(page, RACE, *centre(b)) == f"button:{b['label']}", f"{size} {page_path}: {b['label']!r} covered"
        rail = geo["slider"]["rail"]
        for x in (rail["x"] + 2, rail["x"] + rail["w"] / 2, rail["x"] + rail["w"] - 2):  # both ends too
            assert hit(page, RACE, x, rail["y"] + rail["h"] / 2) == "slider", f"{size} {page_path}: slider covered at x={x:.0f}"
        page.screenshot(path=f"/tmp/projector_{size}_{page_path}.png")
    finally:
        context.close()


PLOT_BOX_JS = """(sel) => {
  const gd = document.querySelector(sel);
  const img = gd.querySelector('.imagelayer image'), drag = gd.querySelector('.draglayer .xy .nsewdrag');
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; };
  const ys = [...gd.querySelectorAll('.xtick text')].map(t => t.getBoundingClientRect().top);
  return {image: box(img), plot: box(drag), xtick_top: Math.min(...ys), active: gd._fullLayout.sliders[0].active,
          applied: window.__descentApplied || 0, playing: !!gd._transitionData._animationRaf,
          last: gd.layout.meta.frame_steps.length - 1};
}"""


def test_presenter_relayout_during_the_animation_keeps_the_map_whole(streamlit_app, _browser):
    """Streamlit re-renders a chart after its height changes, which drops the page script's layout;
    the script then lays it out again. A relayout while the animation plays used to garble the map
    until the end of the animation (picture, axes and tick labels drawn for different sizes; CI saw
    the x tick labels under the speed buttons): the script now pauses, relayouts and plays on from
    the same frame. Forced here in the middle of the autoplayed animation."""
    preset = presets_for("critical")[0]
    base = streamlit_app("app.py").split("?")[0].rstrip("/")
    context = _browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        page.goto(f"{base}/critical?v=2&preset={preset.id}&present=1")
        wait_app_idle(page, timeout=90_000)
        page.wait_for_function(MARK_RACE, timeout=90_000)
        page.wait_for_function(f"() => document.querySelector(\"{RACE}\")._fullLayout.sliders[0].active >= 3",
                               timeout=60_000)  # the autoplay pressed Play
        before = page.evaluate(PLOT_BOX_JS, RACE)
        assert before["playing"]
        page.evaluate(f"() => {{ document.querySelector(\"{RACE}\").layout.__descentState = null; }}")  # as a re-render does
        page.wait_for_function(f"() => (window.__descentApplied || 0) > {before['applied']}", timeout=10_000)
        seen = []
        for _ in range(8):  # while it plays on
            time.sleep(0.15)
            now = page.evaluate(PLOT_BOX_JS, RACE)
            seen.append(now)
            img, plot = now["image"], now["plot"]
            assert all(abs(a - b) <= 2 for a, b in zip(img, plot)), f"map picture {img} vs axes {plot} at step {now['active']}"
            assert now["xtick_top"] >= plot[1] + plot[3] - 1, "x tick labels drawn inside the map"
        assert seen[-1]["active"] > before["active"], "the animation did not play on after the relayout"
        page.wait_for_function(f"() => document.querySelector(\"{RACE}\")._fullLayout.sliders[0].active === {before['last']}",
                               timeout=60_000)
    finally:
        context.close()
