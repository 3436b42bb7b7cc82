"""Issue 7 in a real browser: a link with ``lang=zh&present=1`` opened in a fresh browser shows a
Chinese presenter view (no sidebar) whose animation starts BY ITSELF (nobody clicks Play).

Opens ``app.py`` (the real multipage app, so the link is exactly what a teacher posts) at the
playground's first preset and at each lesson page's first preset. Screenshots go to
/tmp/classroom_<page>.png.
"""

from __future__ import annotations

import time

import pytest
from browser_helpers import assert_no_exception, background_box, head_positions, plotly_state, wait_app_idle

from pages.lib.presets import PRESETS, presets_for

pytestmark = pytest.mark.browser

# the first chart of the page body that is animated (the critical page's first chart is a static map)
ANIMATED = "[data-testid='stMain'] .js-plotly-plot[data-animated='1']"
MARK_ANIMATED = """() => {
    const divs = [...document.querySelectorAll("[data-testid='stMain'] .js-plotly-plot")];
    const gd = divs.find(d => d.layout && d.layout.meta && d.layout.meta.animated_traces);
    if (!gd) return false;
    divs.forEach(d => d.removeAttribute('data-animated'));
    gd.setAttribute('data-animated', '1');
    return true;
}"""

CASES = [
    ("playground", PRESETS["race_himmelblau"]),
    ("batch", presets_for("batch")[0]),
    ("critical", presets_for("critical")[0]),
    ("momentum", presets_for("momentum")[0]),
    ("adaptive", presets_for("adaptive")[0]),
    ("warmup", presets_for("warmup")[0]),
    ("compose", presets_for("compose")[0]),
]


def _heads(page):
    state = plotly_state(page, ANIMATED)
    return None if state is None or not state.get("meta") else tuple(head_positions(state))


@pytest.mark.parametrize("page_path, preset", CASES, ids=[c[0] for c in CASES])
def test_chinese_presenter_link_plays_by_itself(streamlit_app, browser_page, page_path, preset):
    assert preset.page == page_path
    base = streamlit_app("app.py").split("?")[0].rstrip("/")
    page = browser_page
    page.goto(f"{base}/{page_path}?{preset.query(lang='zh', present='1')}")
    wait_app_idle(page, timeout=90_000)
    page.wait_for_function(MARK_ANIMATED, timeout=90_000)
    page.wait_for_selector(f"{ANIMATED} .main-svg", timeout=30_000)
    assert_no_exception(page)

    # the animation starts by itself: the moving heads change within ~5 s, nobody clicks
    first = _heads(page)
    assert first, "no animated race figure"
    seen, deadline = {first}, time.monotonic() + 6.0
    while len(seen) < 3 and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        seen.add(_heads(page))
    assert len(seen) >= 2, f"{page_path}: the heads did not move within 6 s without a click"

    # Chinese presenter view: the what-to-watch caption in Chinese, no sidebar, no top bar
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "看点" in main and preset.watch[1][:12] in main
    assert "What to watch" not in main
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.count() == 0 or not sidebar.first.is_visible()
    assert not page.locator("[data-testid='stSidebarCollapsedControl']").is_visible()
    box = background_box(page, ANIMATED)
    assert box and box["href"].startswith("data:image/png;base64,") and box["w"] > 300  # big, with its surface
    page.wait_for_timeout(1500)
    assert_no_exception(page)
    page.screenshot(path=f"/tmp/classroom_{page_path}.png")
    # a url_path that differs from its file's stem made the first open show this modal
    dialog = page.locator("[role='dialog']", has_text="Page not found")
    assert dialog.count() == 0, "Streamlit says the page was not found"


def test_no_streamlit_deprecation_in_the_server_log(streamlit_app, browser_page):
    """Presenter pages (autoplay script), the playground and a lesson page ran on this server:
    Streamlit logs a deprecation for APIs due for removal (e.g. st.components.v1.html)."""
    base = streamlit_app("app.py", server="deprecations").split("?")[0].rstrip("/")
    for page_path, preset in CASES[:2] + CASES[3:4]:
        browser_page.goto(f"{base}/{page_path}?{preset.query(present='1')}")
        wait_app_idle(browser_page, timeout=90_000)
        browser_page.wait_for_function(MARK_ANIMATED, timeout=90_000)
    time.sleep(1)
    log = streamlit_app.logs[("app.py", "deprecations")].read_text(errors="replace")
    assert "deprecat" not in log.lower(), log[-3000:]
