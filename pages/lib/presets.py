"""The one catalog of presets: pages, links, the gallery and the tests all read it.

A preset is a named state of one page, written as the link parameters that produce it
(strings, exactly as they appear in a URL), plus the sentence that says what to watch.
Each lesson keeps its presets in its own package (``pages/lessons/<page>/presets.py``; the
playground's in ``presets_playground.py``), so page authors do not edit one shared file; this
module joins them into :data:`PRESETS`, in the order of :data:`registry.PAGES`. No Streamlit here.
"""

from __future__ import annotations

import importlib
import importlib.util

from . import presets_playground
from .preset_model import Preset
from .registry import CONTENT_PAGES


def _lesson_modules():
    """The playground's presets, then each registered lesson's ``pages/lessons/<page>/presets.py``
    in the registry's page order (registering a page in :data:`registry.PAGES` is all it takes)."""
    yield presets_playground
    for page in CONTENT_PAGES:
        name = f"pages.lessons.{page.url_path}.presets"
        if importlib.util.find_spec(f"pages.lessons.{page.url_path}") is not None:
            yield importlib.import_module(name)


def _collect() -> dict[str, Preset]:
    out: dict[str, Preset] = {}
    for module in _lesson_modules():
        for preset in module.PRESETS:
            if preset.id in out:
                raise ValueError(f"duplicate preset id {preset.id!r}")
            out[preset.id] = preset
    return out


PRESETS: dict[str, Preset] = _collect()


def presets_for(page: str) -> list[Preset]:
    return [p for p in PRESETS.values() if p.page == page]
