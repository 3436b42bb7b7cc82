"""Navigation: every page is registered, and each url_path equals its file's stem (a
mismatch makes Streamlit show "Page not found" on a session's first request)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT, app_test


def _pages():
    tree = ast.parse((ROOT / "app.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PAGES":
            return ast.literal_eval(node.value)
    raise AssertionError("no PAGES in app.py")


def test_every_page_file_is_registered_with_a_url_equal_to_its_stem():
    pages = _pages()
    files = {p[0] for p in pages}
    on_disk = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py") if p.name != "__init__.py"}
    assert files == on_disk
    for path, _title, _icon, url in pages:
        assert (ROOT / path).exists()
        assert url in ("", Path(path).stem), (path, url)


def test_moving_between_pages_in_one_session_never_crashes():
    """Pages share widget keys with different bounds; values must not leak across pages."""
    at = app_test("app.py")
    at.run()
    assert not at.exception
    paths = [p[0] for p in _pages()[1:]]
    for path in paths + paths[::-1] + paths[::2]:
        at.switch_page(path).run()
        assert not at.exception, path
