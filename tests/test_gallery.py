"""The gallery: every preset has a thumbnail, and each thumbnail is what its page shows now.

Thumbnails are drawn (with Pillow, no browser) from the figure the page sends for the
preset's link; they are files, so a change to a page or a preset must be followed by
``python -m pages.lib.gallery``. This test fails until it is.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from pages.lib import gallery
from pages.lib.presets import PRESETS
from tests.conftest import app_test


@pytest.mark.parametrize("preset_id", sorted(PRESETS))
def test_thumbnail_is_current(preset_id):
    stored = gallery.thumbnail_file(preset_id)
    assert stored.exists(), f"no thumbnail: run python -m pages.lib.gallery {preset_id}"
    fresh = gallery.render(gallery.race_spec(PRESETS[preset_id]))
    assert fresh == stored.read_bytes(), f"stale thumbnail: run python -m pages.lib.gallery {preset_id}"
    image = Image.open(io.BytesIO(fresh))
    assert image.size == gallery.SIZE
    colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 50  # a picture, not a blank card


def test_home_page_shows_a_card_per_preset():
    at = app_test("app.py")
    at.run()
    assert not at.exception
    assert len(_of_type(at._tree, "image")) == len(PRESETS)
    links = [el.proto for el in _of_type(at._tree, "page_link")]
    for preset in PRESETS.values():
        assert any(f"preset={preset.id}" in (link.query_string or "") for link in links), preset.id
    text = " ".join(m.value for m in at.markdown)
    for preset in PRESETS.values():
        assert preset.title[0] in text


def _of_type(node, kind: str) -> list:
    found = [node] if getattr(node, "type", None) == kind else []
    for child in getattr(node, "children", {}).values():
        found += _of_type(child, kind)
    return found
