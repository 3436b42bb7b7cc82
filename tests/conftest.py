"""Shared test helpers."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def app_test(script: str = "app.py", timeout: float = 120):
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(ROOT / script), default_timeout=timeout)


@pytest.fixture
def make_app():
    return app_test


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def browser_unavailable(reason: str):
    """Skip a browser test locally; fail it in CI (DESCENT_LAB_REQUIRE_BROWSER=1)."""
    if os.environ.get("DESCENT_LAB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (DESCENT_LAB_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


def need_torch() -> None:
    """Skip a test that runs an exported PyTorch script without torch; fail it in CI
    (DESCENT_LAB_REQUIRE_TORCH=1, after ``pip install -r requirements-torch.txt``)."""
    if importlib.util.find_spec("torch") is None:
        if os.environ.get("DESCENT_LAB_REQUIRE_TORCH") == "1":
            pytest.fail("PyTorch-script tests required (DESCENT_LAB_REQUIRE_TORCH=1) but torch is not installed")
        pytest.skip("torch is not installed (pip install -r requirements-torch.txt)")


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless Debian chromium per test session (per xdist worker), shared by every browser
    test in any folder. Playwright's sync API runs an event loop on the main thread while it is
    open, so a second ``sync_playwright()`` in the same worker is refused: there must be one."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("playwright is not installed")
    exe = shutil.which("chromium")
    if not exe:
        browser_unavailable("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _scan_installed_components_once() -> None:
    """Every AppTest builds a fresh Streamlit runtime, which rescans the metadata of every
    installed package for custom components (~0.3 s each time, most of a small page's test
    run). Installed packages do not change during a test session: scan once."""
    try:
        from streamlit.components.v2 import manifest_scanner
    except ImportError:  # another Streamlit layout: nothing to speed up
        return
    original = manifest_scanner.scan_component_manifests
    result: list = []

    def scan_once(max_workers=None):
        if not result:
            result.append(original(max_workers))
        return list(result[0])

    manifest_scanner.scan_component_manifests = scan_once


_scan_installed_components_once()


def classroom_run(page_file: str, preset, **extra):
    """Open a page with a preset's link (plus e.g. present="1", lang="zh") in a fresh AppTest."""
    from urllib.parse import parse_qsl

    at = app_test(page_file)
    for key, value in parse_qsl(preset.query(**extra)):
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def open_exports(at, page: str):
    """Open ``page``'s "Export" expander as a user would (its content is built only while it is
    open; opening reruns the page). Returns the AppTest after the rerun."""
    from pages.lib.exports import export_box_key

    at.session_state[export_box_key(page)] = True
    at.run()
    assert not at.exception
    return at


def animated_spec(at) -> dict:
    """The spec of the page's first animated chart (the one with frames)."""
    import json

    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return next(s for s in specs if s.get("frames"))


def watch_text(preset, lang_index: int, at) -> str:
    """The preset's 'what to watch' sentence as the page must show it: numbers filled from the
    paths the page drew (see pages.lib.claims)."""
    import json

    from pages.lib import claims

    specs = [s for s in (json.loads(c.proto.spec) for c in at.get("plotly_chart")) if s.get("frames")]
    drawn = claims.drawn_from_spec(specs[0]) if specs else claims.Drawn((), ())
    return claims.fill(preset.watch[lang_index], preset.facts, drawn)


_PAGE_RUNNERS = ("app_test", "classroom_run", "AppTest")


def pytest_collection_modifyitems(config, items):
    """The fast tier (``-m "not slow and not browser"``) is the engines and the plain lesson
    logic: every test in a module that runs a page through Streamlit's AppTest (a page run costs
    0.5-5 s) is marked ``slow`` here, so nobody has to remember to mark it."""
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and any(name in vars(module) for name in _PAGE_RUNNERS):
            item.add_marker(pytest.mark.slow)
