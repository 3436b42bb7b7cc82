"""Issue 11, phone (390 x 844): students open the shared link on their phones.

On every page with an animated race (its first preset's link), at 390 x 844: the figure takes its
phone layout (meta.narrow, applied by the page's layout script), the surface is at least 330 px
wide, Play, Pause, every speed button and the slider are each >= 40 px targets that
``document.elementFromPoint`` at their centre finds (nothing lies on top of them), no text or
control overlaps another (tick labels, axis and panel titles, legend, buttons, the slider), and
tapping them works: Play moves the step, Pause stops it, dragging the slider sets it. One page
load per page. Screenshots: /tmp/phone_<page>.png.
"""

from __future__ import annotations

import re
import time

import pytest
from browser_helpers import assert_no_exception, wait_app_idle
from layout_helpers import MARK_RACE, RACE, RACE_PAGES, centre, hit, overlaps, race_geometry, settled_geometry, wait_laid_out

from pages.lib.presets import presets_for

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
  # network: charts, no race


LEGEND_VS_MAP = """(sel) => {
  const g = document.querySelector(sel), legend = g.querySelector('.legend');  // none: nothing to cover the map
  const top = g.querySelector('.nsewdrag').getBoundingClientRect().top;
  return [legend ? legend.getBoundingClientRect().bottom : top, top];
}"""


def _step(geo) -> int:
    m = re.search(r"(\d+)\s*$", geo.get("step") or "")
    assert m, f"no step in the slider's label {geo.get('step')!r}"
    return int(m.group(1))


def _control(page, label_start: str):
    """(geometry, box) of the first button whose label starts with ``label_start``, scrolled on screen."""
    page.locator(RACE).locator("g.updatemenu-button", has_text=label_start).first.scroll_into_view_if_needed()
    time.sleep(0.2)
    geo = race_geometry(page, RACE)
    box = next(b for b in geo["buttons"] if b["label"].startswith(label_start))
    return geo, box


def _tap(page, box) -> None:
    x, y = centre(box)
    page.mouse.click(x, y)


@pytest.mark.parametrize("page_path", RACE_PAGES)
def test_phone_controls_are_separate_tappable_and_work(streamlit_app, _browser, page_path):
    preset = presets_for(page_path)[0]
    base = streamlit_app("app.py").split("?")[0].rstrip("/")
    context = _browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{base}/{page_path}?v=2&preset={preset.id}")
        wait_app_idle(page, timeout=90_000)
        page.wait_for_function(MARK_RACE, timeout=90_000)
        assert_no_exception(page)
        wait_laid_out(page, RACE)
        page.locator(RACE).scroll_into_view_if_needed()
        geo = settled_geometry(page, RACE)
        assert geo["state"] == "narrow", f"{page_path}: layout {geo['state']!r}"
        assert geo["surface"]["w"] >= 330, f"{page_path}: surface {geo['surface']['w']:.0f} px wide"
        assert geo["chart"]["x"] >= -1 and geo["chart"]["x"] + geo["chart"]["w"] <= PHONE["width"] + 1
        assert overlaps(geo) == [], f"{page_path}: " + "; ".join(overlaps(geo))
        time.sleep(2.0)  # the legend used to be drawn over the map's top ~2 s after the layout
        legend_bottom, map_top = page.evaluate(LEGEND_VS_MAP, RACE)
        assert legend_bottom <= map_top + 1, f"{page_path}: the legend covers the map's top {legend_bottom - map_top:.0f} px"
        labels = [b["label"] for b in geo["buttons"]]
        assert len(labels) == 5, labels  # Play, Pause, 0.5x, 1x, 2x
        for b in geo["buttons"]:
            assert min(b["w"], b["h"]) >= 40, f"{page_path}: button {b['label']!r} is {b['w']:.0f}x{b['h']:.0f} px"
        touch = geo["slider"]["touch"]
        assert touch["h"] >= 40 and touch["w"] >= 300, f"{page_path}: slider band {touch}"

        # every control is the element a tap at its centre hits
        for b in geo["buttons"]:
            geo_b, box = _control(page, b["label"][:3])
            assert hit(page, RACE, *centre(box)) == f"button:{box['label']}", f"{page_path}: {box['label']!r} covered"
        page.locator(RACE).locator(".slider-rail-touch-rect").scroll_into_view_if_needed()
        geo = race_geometry(page, RACE)
        for where in (geo["slider"]["grip"], geo["slider"]["touch"]):
            assert hit(page, RACE, *centre(where)) == "slider", f"{page_path}: the slider is covered"

        # tap Play: the step moves; tap Pause: it stops
        geo, play = _control(page, "▶")
        start = _step(geo)
        _tap(page, play)
        time.sleep(1.2)
        geo, pause = _control(page, "❚❚")
        _tap(page, pause)
        time.sleep(0.3)
        paused = _step(race_geometry(page, RACE))
        assert paused > start, f"{page_path}: Play did not move the step ({start} -> {paused})"
        time.sleep(0.6)
        assert _step(race_geometry(page, RACE)) == paused, f"{page_path}: Pause did not stop the animation"

        # drag the slider's grip to the right end of its rail: the last steps
        page.locator(RACE).locator(".slider-rail-touch-rect").scroll_into_view_if_needed()
        geo = race_geometry(page, RACE)
        gx, gy = centre(geo["slider"]["grip"])
        rail = geo["slider"]["rail"]
        page.mouse.move(gx, gy)
        page.mouse.down()
        page.mouse.move(rail["x"] + 0.6 * rail["w"], gy, steps=6)
        page.mouse.move(rail["x"] + rail["w"] - 1, gy, steps=6)
        page.mouse.up()
        time.sleep(0.4)
        last = page.evaluate(f"() => document.querySelector(\"{RACE}\").layout.sliders[0].steps.slice(-1)[0].label")
        assert _step(race_geometry(page, RACE)) == int(last), f"{page_path}: dragging the slider did not reach {last}"
        page.screenshot(path=f"/tmp/phone_{page_path}.png")
    finally:
        context.close()


MAPS_GEOMETRY = """() => {
  const g = [...document.querySelectorAll("[data-testid='stMain'] .js-plotly-plot")]
    .find(d => d.layout && d.layout.meta && d.layout.meta.basin_maps);
  if (!g || g.layout.__descentState !== 'narrow') return null;
  const box = (el) => { const r = el.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; };
  return {maps: [...g.querySelectorAll('.draglayer .nsewdrag')].map(box),
          texts: [...g.querySelectorAll('.annotation-text, .xtick text, .ytick text')]
            .map(t => ({label: t.textContent, ...box(t)}))};
}"""


def test_phone_basin_maps_stack_full_width_with_titles_apart(streamlit_app, _browser):
    """Three basin maps side by side were ~110 px wide on a phone, their titles crowded: on a phone
    they stack, each the phone's width, and no title or tick label touches another."""
    preset = presets_for("basins")[0]
    base = streamlit_app("app.py").split("?")[0].rstrip("/")
    context = _browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{base}/basins?{preset.query()}&o3=momentum&lr3=0.01")  # a third map
        wait_app_idle(page, timeout=120_000)
        assert_no_exception(page)
        page.wait_for_function(MAPS_GEOMETRY, timeout=60_000)
        time.sleep(1.0)
        geo = page.evaluate(MAPS_GEOMETRY)
        maps = geo["maps"]
        assert len(maps) == 3, maps
        assert all(m["w"] >= 300 for m in maps), maps
        assert all(a["y"] + a["h"] <= b["y"] + 1 for a, b in zip(maps, maps[1:])), "maps not stacked"
        texts = [t for t in geo["texts"] if t["label"].strip()]
        touching = [(a["label"], b["label"]) for i, a in enumerate(texts) for b in texts[i + 1:]
                    if min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > 1
                    and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > 1]
        assert not touching, touching
        page.screenshot(path="/tmp/phone_basins_maps.png", full_page=True)
    finally:
        context.close()
