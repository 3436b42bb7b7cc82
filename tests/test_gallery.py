"""The gallery: every preset has a thumbnail, and each thumbnail is what its page shows now.

Thumbnails are drawn (with Pillow, no browser) from the figure the page sends for the
preset's link; they are files, so a change to a page or a preset must be followed by
``python -m pages.lib.gallery``. This test fails until it is.
"""

from __future__ import annotations

import base64
import io

import numpy as np
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


def _tiny_spec(window, equal: bool, markers=()) -> dict:
    """A figure spec like the pages send: a surface image over the window, plus marker traces."""
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (40, 160, 60)).save(buf, format="PNG")
    xmin, xmax, ymin, ymax = window
    layout = {"images": [{"source": "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode(),
                          "x": xmin, "y": ymax, "sizex": xmax - xmin, "sizey": ymax - ymin}],
              "xaxis": {"range": [xmin, xmax]}, "yaxis": {"range": [ymin, ymax], **({"scaleanchor": "x"} if equal else {})}}
    data = [{"type": "scatter", "mode": "markers", "x": [x], "y": [y], "marker": {"symbol": s, "color": c, "size": 15}}
            for x, y, s, c in markers]
    return {"layout": layout, "data": data}


def test_thumbnail_keeps_an_equal_axes_figure_s_aspect_and_draws_its_markers():
    png = gallery.render(_tiny_spec((0, 10, 0, 5), True, [(5, 2.5, "circle", "#ff0000"), (2, 1, "x", "white")]))
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    green = (np.abs(rgb - [40, 160, 60]).sum(axis=2) < 30)
    ys, xs = np.nonzero(green)
    w, h = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
    assert abs(w / h - 2.0) < 0.05  # 10 x 5 stays 2:1 in a 320 x 200 card (letterboxed, not stretched)
    cx, cy = (xs.min() + xs.max()) / 2, (ys.min() + ys.max()) / 2
    assert tuple(rgb[int(round(cy)), int(round(cx))]) == (255, 0, 0)  # the red marker at the window's centre
    assert (rgb == 255).all(axis=2)[:, : xs.min()].all()  # white beside the plot
    # without equal axes the window fills the card
    png = gallery.render(_tiny_spec((0, 10, 0, 5), False))
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    assert (np.abs(rgb - [40, 160, 60]).sum(axis=2) < 30).mean() > 0.95
