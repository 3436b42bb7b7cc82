"""Link values of choices are stable ids (schema 2), never display text; schema-1 links, which
wrote English titles, still open the same view."""

from __future__ import annotations

import pytest

import optim
import surfaces
from pages.lib.controls import Control, surface_title
from pages.lib.presets import PRESETS
from pages.lib.registry import SCHEMA_VERSION
from surfaces import datasets

SURFACE = Control("surface", "select", "two_dips", options=tuple(surfaces.CATALOG), label=surface_title)
TITLES = ({s.title for s in surfaces.CATALOG.values()} | {s.title for s in optim.SPECS.values()}
          | {datasets.get(i).title for i in datasets.DATASET_IDS})


def test_a_select_reads_its_id_and_the_old_title_and_nothing_else():
    assert SURFACE.parse("himmelblau") == "himmelblau" and SURFACE.valid("himmelblau")
    assert SURFACE.parse(surfaces.CATALOG["himmelblau"].title) == "himmelblau"  # a schema-1 link
    for junk in ("Himmelblau ", "HIMMELBLAU", "", "<script>", "x" * 500, None):
        assert SURFACE.parse(junk) == "two_dips"
        assert not SURFACE.valid(junk)
    assert SURFACE.link_value("himmelblau") == "himmelblau"


def test_numbers_share_one_parser():
    steps = Control("steps", "integer", 200, 10, 2000)
    assert steps.parse("300.4") == 300 and steps.parse("inf") == 200 and steps.parse("5") == 200
    n = Control("n", "slider", 3, 1, 4)
    assert n.parse("2") == 2 and n.parse("2.5") == 3 and not n.valid("2.5")
    colour = Control("c", "colour", "#000000")
    assert colour.parse("#abc") == "#aabbcc" and not colour.valid("red")
    text = Control("f", "text", "x", hi=5)
    assert text.parse("x*y") == "x*y" and text.parse("x" * 6) == "x"


def test_no_preset_writes_a_title_into_its_link():
    for preset in PRESETS.values():
        shown = {k: v for k, v in preset.params.items() if v in TITLES}
        assert not shown, f"{preset.id} links by display text: {shown}"
        assert f"v={SCHEMA_VERSION}" in preset.query()


@pytest.mark.slow
def test_a_schema_1_link_opens_the_same_view_as_its_schema_2_link(make_app):
    """The warm-up preset, written with titles and v=1 as links were before ids, gives the same
    widgets and no note about ignored parameters or another version."""
    preset = PRESETS["warmup_rmsprop_jump"]
    old = {**preset.params, "surface": surface_title(preset.params["surface"]),
           "opt": optim.SPECS[preset.params["opt"]].title, "v": "1"}
    views = []
    for params in (dict(preset.params), old):
        at = make_app("pages/warmup.py")
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        assert not at.exception
        assert not [i.value for i in at.info], [i.value for i in at.info]
        views.append((at.selectbox(key="surface").value, at.selectbox(key="opt").value,
                      [m.value for m in at.markdown if m.value.startswith("- ")]))
    assert views[0] == views[1] and views[0][:2] == ("elongated_bowl", "rmsprop")


@pytest.mark.slow
def test_choosing_an_option_writes_its_id_into_the_url(make_app):
    at = make_app("pages/warmup.py")
    at.run()
    at.selectbox(key="opt").set_value("adam").run()
    assert not at.exception
    assert at.query_params["opt"] == ["adam"] or at.query_params["opt"] == "adam"
    at.selectbox(key="opt").set_value("rmsprop").run()  # back to the default: left out of the link
    assert "opt" not in at.query_params
