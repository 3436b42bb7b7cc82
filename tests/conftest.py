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
