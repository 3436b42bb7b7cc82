"""The one catalog of presets: pages, links, the gallery and the tests all read it.

A preset is a named state of one page, written as the link parameters that produce it
(strings, exactly as they appear in a URL), plus the sentence that says what to watch.
Each page keeps its presets in its own ``presets_<page>.py`` list (so page authors do not
edit one shared file); this module joins them into :data:`PRESETS`. No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping
from urllib.parse import urlencode

from .links_schema import SCHEMA_VERSION


@dataclass(frozen=True)
class Preset:
    id: str
    page: str  # the page's url_path in app.py, e.g. "playground"
    title: tuple[str, ...]  # (english, chinese)
    blurb: tuple[str, ...]  # one line for the gallery card
    watch: tuple[str, ...]  # "what to watch" caption
    params: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "params", MappingProxyType({k: str(v) for k, v in self.params.items()}))

    def query(self, **extra: str) -> str:
        """The query string of this preset's link (schema version and preset id included)."""
        return urlencode({"v": SCHEMA_VERSION, "preset": self.id, **self.params, **extra})

    def link(self, **extra: str) -> str:
        return f"/{self.page}?{self.query(**extra)}"


def _collect() -> dict[str, Preset]:
    from . import presets_playground

    modules = [presets_playground]
    for name in ("presets_critical", "presets_batch", "presets_momentum", "presets_adaptive", "presets_warmup"):
        try:
            modules.append(__import__(f"{__package__}.{name}", fromlist=["PRESETS"]))
        except ModuleNotFoundError:
            continue  # that page has no presets yet
    out: dict[str, Preset] = {}
    for module in modules:
        for preset in module.PRESETS:
            if preset.id in out:
                raise ValueError(f"duplicate preset id {preset.id!r}")
            out[preset.id] = preset
    return out


PRESETS: dict[str, Preset] = _collect()


def presets_for(page: str) -> list[Preset]:
    return [p for p in PRESETS.values() if p.page == page]
