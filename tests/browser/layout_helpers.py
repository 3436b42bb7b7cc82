"""Geometry of the animated race figure as Chromium draws it (imported by name: tests/browser is on
sys.path under pytest; the screenshot script in tests/browser/layout_shots.py uses it too).

:func:`race_geometry` returns, in CSS pixels relative to the viewport, the race chart's box, the
surface image, every button of its updatemenus (Play, Pause, speeds), the slider's rail and grip,
and every piece of text drawn in the figure (tick labels, axis titles, colour-bar labels, panel
titles, legend entries, the slider's current value), each with a kind and a label.
:func:`overlaps` lists the pairs of those boxes that overlap; :func:`hit_check` asks
``document.elementFromPoint`` what a tap at each control's centre would hit.
"""

from __future__ import annotations

from pages.lib.registry import CONTENT_PAGES

# The page's animated race chart, marked once it is drawn (wait_for_function(MARK_RACE)), and the
# pages that have one (the real-network page has charts, no race).
RACE = "[data-testid='stMain'] .js-plotly-plot[data-race='1']"
MARK_RACE = """() => {
  const gd = [...document.querySelectorAll("[data-testid='stMain'] .js-plotly-plot")]
      .find(g => g.layout && g.layout.meta && g.layout.meta.animated_traces && g.querySelector('.main-svg'));
  if (gd) gd.setAttribute('data-race', '1');
  return !!gd;
}"""
RACE_PAGES = [p.url_path for p in CONTENT_PAGES if p.url_path != "network"]

LAID_OUT_JS = """(sel) => {
  const gd = document.querySelector(sel);
  if (!gd || !gd.layout || !gd._fullLayout) return false;
  const m = gd.layout.meta || {};
  if (!(m.rows || m.fit || m.narrow)) return true;
  if (!gd.layout.__descentDone) return false;
  const narrow = m.narrow && gd.clientWidth < m.narrow.max_width;
  return !narrow || gd._fullLayout.height === m.narrow.layout.height + (gd.__descentExtra || 0);
}"""


# one evaluation (JavaScript runs to the end before any re-render): the state it was measured in too
GEOMETRY_JS = """(sel) => {
  const gd = document.querySelector(sel);
  if (!gd) return null;
  const laidOut = """ + LAID_OUT_JS + """;
  const box = (el) => { const r = el.getBoundingClientRect();
    return {x: r.left, y: r.top, w: r.width, h: r.height}; };
  const out = {chart: box(gd), scrollY: window.scrollY, vw: window.innerWidth, vh: window.innerHeight,
               docH: document.documentElement.scrollHeight, buttons: [], texts: [], slider: null,
               surface: null, modebar: null, legend: null,
               state: (gd.layout && gd.layout.__descentState) || null, laid_out: laidOut(sel)};
  const img = gd.querySelector('.imagelayer image');
  if (img) out.surface = box(img);
  const mb = gd.querySelector('.modebar');
  if (mb && getComputedStyle(mb).opacity !== '0') out.modebar = box(mb);
  const lg = gd.querySelector('g.legend');
  if (lg) out.legend = box(lg);
  gd.querySelectorAll('g.updatemenu-button').forEach((b, i) => {
    const t = (b.textContent || '').trim();
    out.buttons.push({label: t, ...box(b.querySelector('rect') || b)});
  });
  const rail = gd.querySelector('g.slider-container .slider-rail-rect');
  const grip = gd.querySelector('g.slider-container .slider-grip-rect');
  const touch = gd.querySelector('g.slider-container .slider-rail-touch-rect');
  if (rail && grip && touch) out.slider = {rail: box(rail), grip: box(grip), touch: box(touch)};
  const label = gd.querySelector('g.slider-container g.slider-group > text.slider-label');  // "step 12"
  if (label) out.step = (label.textContent || '').trim();
  const add = (kind, el) => {
    const t = (el.textContent || '').trim();
    if (!t) return;
    const b = box(el);
    if (b.w < 0.5 || b.h < 0.5) return;
    if (getComputedStyle(el).display === 'none' || el.closest('[display="none"]')) return;
    const fill = el.style.fill || el.getAttribute('fill') || '';
    if (/rgba\\(0, ?0, ?0, ?0\\)/.test(fill)) return;  // hidden (the slider's step labels)
    out.texts.push({kind, label: t, ...b});
  };
  gd.querySelectorAll('.xtick text, .ytick text, [class*="tick"] > text').forEach(el => {
    if (el.closest('.slider-container') || el.closest('.colorbar')) return;
    add('tick', el);
  });
  gd.querySelectorAll('.g-xtitle text, .g-ytitle text, [class^="g-x"][class$="title"] text, [class^="g-y"][class$="title"] text')
    .forEach(el => add('axis-title', el));
  gd.querySelectorAll('.colorbar text').forEach(el => add('colourbar', el));
  gd.querySelectorAll('.annotation-text').forEach(el => add('annotation', el));
  gd.querySelectorAll('g.legend .legendtext').forEach(el => add('legend', el));
  gd.querySelectorAll('.slider-container g.slider-group > text.slider-label').forEach(el => add('slider-value', el));
  gd.querySelectorAll('.gtitle').forEach(el => add('title', el));
  // de-duplicate (selectors overlap)
  const seen = new Set();
  out.texts = out.texts.filter(t => { const k = [t.label, Math.round(t.x), Math.round(t.y)].join('|');
    if (seen.has(k)) return false; seen.add(k); return true; });
  return out;
}"""


def race_geometry(page, selector: str) -> dict:
    return page.evaluate(GEOMETRY_JS, selector)


def settled_geometry(page, selector: str, tries: int = 4) -> dict:
    """:func:`race_geometry` measured while the layout script's layout is in place: a Streamlit
    re-render can put the figure's own (wide) layout back for a moment after :func:`wait_laid_out`
    returned (the script applies its layout again within 400 ms); a measurement that caught that
    moment is taken again."""
    for _ in range(tries):
        wait_laid_out(page, selector)
        geo = race_geometry(page, selector)
        if geo and geo["laid_out"]:
            return geo
    raise AssertionError(f"the race figure's layout kept changing under the measurement (state {geo and geo['state']})")


def _inter(a: dict, b: dict) -> tuple[float, float]:
    w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return w, h


def overlaps(geo: dict, tolerance: float = 1.0) -> list[str]:
    """Every pair of boxes (texts, buttons, the slider's rail) that overlap by more than
    ``tolerance`` px in both directions, as readable strings; empty when nothing overlaps."""
    items = [(f"{t['kind']} {t['label']!r}", t) for t in geo["texts"]]
    items += [(f"button {b['label']!r}", b) for b in geo["buttons"]]
    if geo.get("slider"):
        items.append(("slider", geo["slider"]["touch"]))  # the band a tap or drag catches
    if geo.get("modebar"):
        items.append(("modebar", geo["modebar"]))
    bad = []
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            (na, a), (nb, b) = items[i], items[j]
            kinds = {na.split(" ")[0], nb.split(" ")[0]}
            if kinds == {"slider-value", "slider"}:
                continue  # the slider's own "step k" label above its touch band
            if "modebar" in kinds and not kinds & {"legend", "button", "slider"}:
                continue  # the toolbar shows on hover only, at the right edge: it must keep off the legend and controls
            w, h = _inter(a, b)
            if w > tolerance and h > tolerance:
                bad.append(f"{na} overlaps {nb} ({w:.0f}x{h:.0f} px)")
    return bad


HIT_JS = """([sel, x, y]) => {
  const gd = document.querySelector(sel);
  const el = document.elementFromPoint(x, y);
  if (!el || !gd.contains(el)) return el ? ('outside: ' + el.tagName + '.' + (el.getAttribute('class') || '')) : 'nothing';
  const btn = el.closest('g.updatemenu-button');
  if (btn) return 'button:' + (btn.textContent || '').trim();
  if (el.closest('g.slider-container')) return 'slider';
  return 'other: ' + el.tagName + '.' + (el.getAttribute('class') || '');
}"""


def hit(page, selector: str, x: float, y: float) -> str:
    """What a tap at viewport point (x, y) hits: "button:<label>", "slider", or another element."""
    return page.evaluate(HIT_JS, [selector, x, y])


def centre(b: dict) -> tuple[float, float]:
    return b["x"] + b["w"] / 2, b["y"] + b["h"] / 2





def wait_laid_out(page, selector: str, timeout: float = 30_000) -> None:
    """Wait until the page's layout script (pages.lib.screen.layout_script) has laid the race figure
    out for this screen, and it stays so (Streamlit may put its own height back once, then the
    script applies the layout again)."""
    import time

    for _ in range(3):
        page.wait_for_function(LAID_OUT_JS, arg=selector, timeout=timeout)
        time.sleep(0.8)
        if page.evaluate(LAID_OUT_JS, selector):
            return
    raise AssertionError("the race figure's layout did not settle")
