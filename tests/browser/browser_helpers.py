"""Helpers shared by browser tests (imported by name: tests/browser is on sys.path under pytest)."""

from __future__ import annotations

from contextlib import contextmanager

IDLE_SELECTOR = "[data-testid='stApp'][data-test-script-state='notRunning']"
EXCEPTION_SELECTOR = "[data-testid='stException']"


def wait_app_idle(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector(IDLE_SELECTOR, timeout=timeout)


@contextmanager
def opened_page(streamlit_app, browser, path: str, width: int, height: int):
    """A page of the app at ``path`` (e.g. ``"critical?lang=zh"``) in a fresh browser context of
    ``width`` x ``height``, its script run finished; the context is closed afterwards."""
    base = streamlit_app("app.py").split("?")[0].rstrip("/")
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(f"{base}/{path}")
        wait_app_idle(page, timeout=90_000)
        yield page
    finally:
        context.close()


def assert_no_exception(page) -> None:
    """No Streamlit exception element is shown."""
    loc = page.locator(EXCEPTION_SELECTOR)
    n = loc.count()
    assert n == 0, f"Streamlit shows {n} exception(s): {loc.first.inner_text()}"


def plotly_state(page, selector: str = ".js-plotly-plot") -> dict:
    """The first Plotly graph div's layout.meta and DECODED trace coordinates (gd._fullData: base64
    arrays are decoded there), in trace order, as the animation leaves them."""
    return page.evaluate(
        """(sel) => {
            const gd = document.querySelector(sel);
            if (!gd || !gd.data) return null;
            const arr = (a) => a == null ? null : Array.from(a, Number);
            return {
              meta: gd.layout.meta || null,
              traces: (gd._fullData || []).slice().sort((a, b) => a.index - b.index).map(t => ({name: t.name, x: arr(t.x), y: arr(t.y)})),
              frames: (gd._transitionData && gd._transitionData._frames || []).length,
            };
        }""",
        selector,
    )


def head_positions(state) -> list[tuple[float, float]]:
    """(x, y) of every path's moving head, from layout.meta.animated_traces = [trail, head]*n + 4 cursors."""
    anim = state["meta"]["animated_traces"]
    n_paths = (len(anim) - 4) // 2
    return [(state["traces"][anim[2 * k + 1]]["x"][0], state["traces"][anim[2 * k + 1]]["y"][0])
            for k in range(n_paths)]


MAIN_CHART = "[data-testid='stMain'] .js-plotly-plot"  # the page body's first chart (not the sidebar's)


def background_box(page, selector: str = MAIN_CHART):
    """href and on-screen size of the surface image of the chart (None if absent)."""
    return page.evaluate(
        """(sel) => {
            const gd = document.querySelector(sel);
            const img = gd && gd.querySelector('.imagelayer image');
            if (!img) return null;
            const r = img.getBoundingClientRect();
            return {href: img.getAttribute('href') || img.getAttribute('xlink:href') || '', w: r.width, h: r.height};
        }""",
        selector,
    )


def press_play(page, selector: str = MAIN_CHART) -> None:
    page.locator(selector).first.locator("g.updatemenu-button", has_text="▶").first.click()


RACE_CHART = "[data-testid='stMain'] .js-plotly-plot[data-race='1']"


def wait_for_race_chart(page, timeout: float = 60_000) -> str:
    """Wait until the page's ANIMATED chart (layout.meta.animated_traces) is drawn, mark it and
    return its selector. "The first chart of the page" is not enough: while a page renders, a
    later, smaller figure can be in the DOM before the race."""
    page.wait_for_function(
        """() => {
            const gd = [...document.querySelectorAll("[data-testid='stMain'] .js-plotly-plot")]
                .find(g => g.layout && g.layout.meta && g.layout.meta.animated_traces && g.querySelector('.main-svg'));
            if (gd) gd.setAttribute('data-race', '1');
            return !!gd;
        }""",
        timeout=timeout,
    )
    return RACE_CHART
