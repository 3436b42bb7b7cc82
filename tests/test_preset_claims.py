"""Every claim a preset makes holds on the run its link draws (issue: truth on screen).

For each preset: open its link in the real page (AppTest), decode the animated figure the page
sends to the browser, and evaluate every :class:`pages.lib.claims.Claim` of the preset on those
drawn paths (a claim with a ``variant`` opens the link with those parameters overridden). A
preset without claims fails. The "what to watch" sentence shown must be the preset's sentence
with its numbers filled from the same drawn paths.
"""

from __future__ import annotations

import json
import re

import pytest

from pages.lib import claims
from pages.lib.presets import PRESETS
from pages.lib.text import LANGS
from tests.conftest import classroom_run

pytestmark = pytest.mark.slow


def _drawn(at) -> claims.Drawn:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    animated = [s for s in specs if s.get("frames")]
    # pages without an animated race (the real-network page) name the curves their claims read in
    # each trace's meta: claims.drawn_from_traces
    return claims.drawn_from_spec(animated[0]) if animated else claims.drawn_from_traces(specs)


def _open(preset, **extra):
    return classroom_run(f"pages/{preset.page}.py", preset, **extra)


@pytest.mark.parametrize("preset_id", list(PRESETS))
def test_every_claim_of_the_preset_holds_on_the_drawn_run(preset_id):
    preset = PRESETS[preset_id]
    assert preset.claims, f"{preset_id} states things but checks none of them: give it claims"
    at = _open(preset)
    drawn = _drawn(at)
    failed = []
    for claim in preset.claims:
        seen = drawn if not claim.variant else _drawn(_open(preset, **claim.variant))
        if not claim.check(seen):
            failed.append(claim.says)
    assert not failed, f"{preset_id}: false on screen: {failed}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("preset_id", [p.id for p in PRESETS.values() if p.facts is not None])
def test_numbers_in_the_watch_sentence_come_from_the_drawn_run(preset_id, lang):
    preset = PRESETS[preset_id]
    at = _open(preset, lang=lang)
    shown = " ".join(i.value for i in at.info)
    expected = claims.fill(preset.watch[LANGS.index(lang)], preset.facts, _drawn(at))
    assert expected in shown, (expected, shown)
    assert not re.search(r"\{[a-z_]+\}", shown)


@pytest.mark.parametrize("preset_id", list(PRESETS))
def test_watch_sentences_without_facts_have_no_placeholders(preset_id):
    preset = PRESETS[preset_id]
    if preset.facts is None:
        for text in preset.watch:
            assert not re.search(r"\{[a-z_]+\}", text), preset_id
