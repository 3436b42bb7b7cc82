"""The one catalog of presets: pages, links, the gallery and the tests all read it.

A preset is a named state of one page, written as the link parameters that produce it
(strings, exactly as they appear in a URL), plus the sentence that says what to watch.
Each lesson keeps its presets in its own package (``pages/lessons/<page>/presets.py``; the
playground's in ``presets_playground.py``), so page authors do not edit one shared file; this
module joins them into :data:`PRESETS`. No Streamlit here.
"""

from __future__ import annotations

from pages.lessons.adaptive import presets as presets_adaptive
from pages.lessons.batch import presets as presets_batch
from pages.lessons.critical import presets as presets_critical
from pages.lessons.momentum import presets as presets_momentum
from pages.lessons.warmup import presets as presets_warmup

from . import presets_playground
from .preset_model import Preset


def _collect() -> dict[str, Preset]:
    out: dict[str, Preset] = {}
    for module in (presets_playground, presets_critical, presets_batch, presets_momentum, presets_adaptive,
                   presets_warmup):
        for preset in module.PRESETS:
            if preset.id in out:
                raise ValueError(f"duplicate preset id {preset.id!r}")
            out[preset.id] = preset
    return out


PRESETS: dict[str, Preset] = _collect()


def presets_for(page: str) -> list[Preset]:
    return [p for p in PRESETS.values() if p.page == page]
