"""Every preset is a shareable link, in two forms: the full link (every parameter) and the
short link ``?preset=<id>`` (survives chat apps that cut long URLs). Both open the same state,
and neither has a parameter the page ignores."""

from __future__ import annotations

import pytest

from pages.lib.presets import PRESETS
from pages.lib.registry import PAGE_BY_PATH
from tests.conftest import app_test


def _open(page: str, params: dict):
    at = app_test(PAGE_BY_PATH[page].file)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def _values(at, keys) -> dict:
    out = {}
    for kind in ("number_input", "selectbox", "toggle", "text_input", "slider", "color_picker"):
        for w in at.get(kind):
            if w.key in keys:
                out[w.key] = w.value
    return out


@pytest.mark.parametrize("preset_id", sorted(PRESETS))
def test_full_and_short_preset_links_open_the_same_state(preset_id):
    preset = PRESETS[preset_id]
    assert preset.page in PAGE_BY_PATH
    full = _open(preset.page, {"v": "1", "preset": preset.id, **preset.params})
    assert not [i.value for i in full.info if "ignored" in i.value], "the preset link has a parameter the page ignores"
    short = _open(preset.page, {"preset": preset.id})
    assert not [i.value for i in short.info if "ignored" in i.value]
    keys = set(preset.params)
    got_full, got_short = _values(full, keys), _values(short, keys)
    assert set(got_full) == keys, f"controls missing for {keys - set(got_full)}"
    assert got_short == got_full
