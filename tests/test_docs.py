"""The teacher's guide and the README name only presets and pages that exist."""

from __future__ import annotations

import re
from pathlib import Path

from pages.lib.presets import PRESETS
from pages.lib.registry import CONTENT_PAGES

ROOT = Path(__file__).resolve().parents[1]
PAGES = {p.url_path for p in CONTENT_PAGES}


def test_teaching_guide_links_point_at_real_presets_of_the_right_page():
    text = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
    links = re.findall(r"`/(\w+)\?preset=(\w+)", text)
    assert len(links) >= 12
    for page, preset_id in links:
        assert page in PAGES, page
        assert preset_id in PRESETS, preset_id
        assert PRESETS[preset_id].page == page, (page, preset_id)


def test_readme_gives_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -r requirements.txt && streamlit run app.py" in text
    assert "pip install -r requirements-dev.txt && python -m pytest -n 2" in text
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\npython -m pytest -n 2\n" in ci
