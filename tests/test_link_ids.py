"""Link values of choices are stable ids (schema 2), never display text; schema-1 links, which
wrote English titles, still open the same view."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest

import optim
import surfaces
from pages.lib.controls import Control, surface_title
from pages.lib.presets import PRESETS
from pages.lib.registry import PAGE_BY_PATH, SCHEMA_VERSION
from surfaces import datasets

ROOT = Path(__file__).resolve().parents[1]

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


SCHEMA_1_LINKS = (ROOT / "tests" / "golden" / "links_schema1.txt").read_text().split()  # every preset, as sent before ids


def _open(make_app, page: str, params: dict):
    at = make_app(PAGE_BY_PATH[page].file)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    widgets = {w.key: w.value for kind in ("selectbox", "number_input", "toggle", "slider", "text_input")
               for w in getattr(at, kind) if w.key and not w.key.startswith("_")}
    return widgets, [i.value for i in at.info]


@pytest.mark.slow
@pytest.mark.parametrize("link", SCHEMA_1_LINKS, ids=lambda link: parse_qs(urlsplit(link).query)["preset"][0])
def test_every_link_sent_before_ids_opens_the_same_view(make_app, link):
    """A schema-1 link (English titles, v=1) and today's link of the same preset give the same
    value in every widget and the same notes (the preset's "what to watch"; no ignored
    parameter, no other version)."""
    parts = urlsplit(link)
    old = dict(parse_qsl(parts.query))
    preset = PRESETS[old["preset"]]
    assert preset.page == parts.path.strip("/")
    before, notes_before = _open(make_app, preset.page, old)
    now, notes_now = _open(make_app, preset.page, dict(parse_qsl(preset.query())))
    assert before == now
    assert notes_before == notes_now and not any(n.startswith(("Some link parameters", "This link")) for n in notes_now), notes_now


@pytest.mark.slow
def test_choosing_an_option_writes_its_id_into_the_url(make_app):
    at = make_app("pages/warmup.py")
    at.run()
    at.selectbox(key="opt").set_value("adam").run()
    assert not at.exception
    assert at.query_params["opt"] == ["adam"] or at.query_params["opt"] == "adam"
    at.selectbox(key="opt").set_value("rmsprop").run()  # back to the default: left out of the link
    assert "opt" not in at.query_params
