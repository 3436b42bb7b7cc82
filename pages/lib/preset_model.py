"""The Preset record (apart from the catalog in presets.py, so that each page's
presets_<page>.py can import it without importing the catalog that imports them)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import urlencode

from .registry import SCHEMA_VERSION


@dataclass(frozen=True)
class Preset:
    """A named state of one page: the link parameters that produce it (strings, exactly as
    in a URL), a title and one line for the gallery, and the sentence that says what to watch.

    ``claims``: what the texts claim, as :class:`pages.lib.claims.Claim` predicates over the
    drawn paths (the suite checks every one; a preset without claims fails it). ``facts``: drawn
    paths -> the formatted numbers the ``watch`` sentence's ``{placeholders}`` show."""

    id: str
    page: str  # the page's url_path in app.py, e.g. "playground"
    title: tuple[str, ...]  # (english, chinese)
    blurb: tuple[str, ...]  # one line for the gallery card
    watch: tuple[str, ...]  # "what to watch" caption
    params: Mapping[str, str] = field(default_factory=dict)
    claims: tuple = field(default=(), compare=False)
    facts: Callable | None = field(default=None, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "params", MappingProxyType({k: str(v) for k, v in self.params.items()}))

    def query(self, **extra: str) -> str:
        """The query string of this preset's link (schema version and preset id included)."""
        return urlencode({"v": SCHEMA_VERSION, "preset": self.id, **self.params, **extra})

    def link(self, **extra: str) -> str:
        return f"/{self.page}?{self.query(**extra)}"
