"""Shared test helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def app_test(script: str = "app.py", timeout: float = 120):
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(ROOT / script), default_timeout=timeout)


@pytest.fixture
def make_app():
    return app_test


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
