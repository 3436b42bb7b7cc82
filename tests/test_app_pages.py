"""Navigation: every page is registered, and each url_path equals its file's stem (a
mismatch makes Streamlit show "Page not found" on a session's first request)."""

from __future__ import annotations

from pathlib import Path

from pages.lib.registry import PAGES
from tests.conftest import ROOT, app_test


def test_every_page_file_is_registered_with_a_url_equal_to_its_stem():
    files = {p.file for p in PAGES}
    on_disk = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py") if p.name != "__init__.py"}
    assert files == on_disk
    for page in PAGES:
        assert (ROOT / page.file).exists()
        assert page.url_path in ("", Path(page.file).stem), page


def test_app_registers_the_registry_pages_in_order():
    at = app_test("app.py")
    at.run()
    assert not at.exception
    # the top navigation is built from pages.lib.registry.PAGES (no second list in app.py)
    assert "PAGES" in (ROOT / "app.py").read_text() and "pages/home.py" not in (ROOT / "app.py").read_text()


def test_moving_between_pages_in_one_session_never_crashes():
    """Pages share widget keys with different bounds; values must not leak across pages."""
    at = app_test("app.py")
    at.run()
    assert not at.exception
    paths = [p.file for p in PAGES[1:]]
    for path in paths + paths[::-1] + paths[::2]:
        at.switch_page(path).run()
        assert not at.exception, path
