"""Formulas fit their column on a 1400x1000 desktop: the momentum page's "three ways to write
momentum" were clipped (each pair of equations on one line in a third of the page). Every
display formula in the page body, on every page at its default link, must be no wider than the
box it is drawn in (KaTeX boxes round up by a px or two, hence the small tolerance). On a
phone, long formulas scroll sideways (KaTeX's own overflow), which this test does not forbid."""

from __future__ import annotations

import pytest
from browser_helpers import assert_no_exception, opened_page

from pages.lib.registry import PAGES

pytestmark = pytest.mark.browser

TOLERANCE_PX = 3
OVERFLOWING = """(tol) => [...document.querySelectorAll("[data-testid='stMain'] .katex-display")]
  .filter(e => e.scrollWidth > e.clientWidth + tol)
  .map(e => `${e.textContent.slice(0, 60)} (${e.scrollWidth} px in ${e.clientWidth} px)`)"""


def test_display_formulas_fit_their_column_on_a_desktop(streamlit_app, _browser):
    clipped = {}
    for entry in PAGES:
        with opened_page(streamlit_app, _browser, entry.url_path, 1400, 1000) as page:
            page.wait_for_timeout(1000)  # KaTeX lays out after the script run
            assert_no_exception(page)
            if bad := page.evaluate(OVERFLOWING, TOLERANCE_PX):
                clipped[entry.url_path or "home"] = bad
    assert not clipped, clipped
