"""Shareable links: widgets bound to the URL, and a guard that reports what a link got wrong.

Every control of a page is a Streamlit widget created with ``key=<url name>`` and
``bind="query-params"``: Streamlit itself keeps the URL and the widget in sync (no
hand-written URL code). Streamlit silently drops an invalid value and uses the default;
:class:`LinkGuard` checks the raw link once, with the same rules as the widgets, so the page
can say *which* parameters were ignored. Only ``lang`` and ``present`` (whose spelling the
link format fixes) and the schema version ``v`` are plain query parameters.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from .presets import PRESETS
from .registry import SCHEMA_VERSION
from .text import COMMON, LANGS, translate

PLAIN_KEYS = ("v", "lang", "present", "preset")
MAX_PARAM_CHARS = 400  # longer values are never valid for any control


def current_lang() -> str:
    lang = st.query_params.get("lang", "en")
    return lang if lang in LANGS else "en"


def presenter_mode() -> bool:
    return st.query_params.get("present", "") in ("1", "true")


def tr(table: dict, text_key: str, /, **fmt: Any) -> str:
    """Text ``text_key`` of ``table`` in the current language, formatted with ``fmt``."""
    return translate(table, text_key, current_lang(), **fmt)


@dataclass
class LinkGuard:
    """Creates URL-bound widgets for one page and reports ignored link parameters.

    Create it at the top of the page (before any widget), make every control through it,
    then call :meth:`report` once at the end.
    """

    page: str
    validators: dict[str, Callable[[str], bool]] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        # Snapshot the link as it arrived, once per page per session: Streamlit removes
        # invalid bound values from the URL while the widgets register.
        snap_key = f"_link_snapshot_{self.page}"
        if snap_key not in st.session_state:
            st.session_state[snap_key] = {k: st.query_params.get(k) for k in st.query_params}
            self._expand_short_preset_link(st.session_state[snap_key])
        self.raw = st.session_state[snap_key]
        if st.query_params.get("v") != SCHEMA_VERSION:
            st.query_params["v"] = SCHEMA_VERSION

    def _expand_short_preset_link(self, raw: dict) -> None:
        """A link that names only a preset (``?preset=<id>``, plus lang/present/v) opens the
        preset's full state: short links survive chat apps that cut long URLs."""
        preset = PRESETS.get(raw.get("preset") or "")
        if preset is None or preset.page != self.page or set(raw) - set(PLAIN_KEYS):
            return
        st.session_state["_pending_preset"] = {"page": self.page, "params": dict(preset.params)}

    # --- presets -----------------------------------------------------------------------
    def apply_preset(self, preset) -> None:
        """Put every control of this page in the preset's state, then rerun.

        A preset is a set of link parameters (strings, as in a URL). Each widget converts its
        own value when it is next created (see :meth:`_seed`); controls the preset does not
        name go back to their defaults.
        """
        st.session_state["_pending_preset"] = {"page": self.page, "params": dict(preset.params)}
        st.query_params["preset"] = preset.id
        st.rerun()

    def _seed(self, key: str, default, convert) -> None:
        self._claim(key)
        pending = st.session_state.get("_pending_preset")
        if not pending or pending["page"] != self.page:
            return
        raw = pending["params"].get(key)
        value = default
        if raw is not None and _safe_check(self.validators[key], str(raw)):
            value = convert(str(raw))
        st.session_state[key] = value

    def _claim(self, key: str) -> None:
        """Pages share widget keys (``steps``, ``n``, ``lr`` ...) with different meanings and
        bounds, and Streamlit keeps a URL-bound widget's value when the user moves to another
        page. A value left by another page is dropped, so this page's widget starts from its
        own default or link (a playground n=6 must not reach the batch page's n <= 4)."""
        owners = st.session_state.setdefault("_widget_owner", {})
        if owners.get(key, self.page) != self.page and key in st.session_state:
            del st.session_state[key]
        owners[key] = self.page

    # --- widgets -----------------------------------------------------------------------
    def number(self, where, label, key, default, lo, hi, *, step=None, fmt="%g", help=None,
               optional=False) -> float | None:
        """A float input in [lo, hi]; ``optional`` widgets may be empty (None = automatic)."""
        self.validators[key] = lambda raw: (optional and raw == "") or _float_in(raw, lo, hi)
        self._seed(key, None if optional else float(default), lambda raw: float(raw) if raw != "" else None)
        return where.number_input(label, min_value=float(lo), max_value=float(hi),
                                  value=None if optional else float(default), step=step, format=fmt,
                                  key=key, bind="query-params", help=help,
                                  placeholder=None if default is None else f"{default:g}")

    def integer(self, where, label, key, default, lo, hi, *, help=None, slider=False) -> int:
        """A whole number in [lo, hi].

        The number input is a FLOAT widget shown with "%.0f": Streamlit 1.67's integer number
        input crashes on a link value of inf or nan (int(inf) raises OverflowError while it
        seeds the widget from the URL), whereas the float widget rejects non-finite values.
        """
        if slider:
            self.validators[key] = lambda raw: _int_in(raw, lo, hi)
            self._seed(key, int(default), lambda raw: int(float(raw)))
            return int(where.slider(label, min_value=int(lo), max_value=int(hi), value=int(default), step=1,
                                    key=key, bind="query-params", help=help))
        self.validators[key] = lambda raw: _float_in(raw, lo, hi)  # a fraction is rounded, not refused
        self._seed(key, float(default), lambda raw: float(round(float(raw))))
        value = where.number_input(label, min_value=float(lo), max_value=float(hi), value=float(default),
                                   step=1.0, format="%.0f", key=key, bind="query-params", help=help)
        return int(round(value))

    def select(self, where, label, key, options: Sequence, default, *, format_func=str, help=None):
        labels = [format_func(o) for o in options]
        self.validators[key] = lambda raw: raw in labels
        self._seed(key, default, lambda raw: list(options)[labels.index(raw)])
        return where.selectbox(label, list(options), index=list(options).index(default),
                               format_func=format_func, key=key, bind="query-params", help=help)

    def toggle(self, where, label, key, default: bool, *, help=None) -> bool:
        self.validators[key] = lambda raw: raw.lower() in ("true", "false")
        self._seed(key, bool(default), lambda raw: raw.lower() == "true")
        return where.toggle(label, value=default, key=key, bind="query-params", help=help)

    def text(self, where, label, key, default: str, *, max_chars: int, help=None) -> str:
        self.validators[key] = lambda raw: len(raw) <= max_chars
        self._seed(key, default, str)
        return where.text_input(label, value=default, max_chars=max_chars, key=key,
                                bind="query-params", help=help)

    def colour(self, where, label, key, default: str, *, help=None) -> str:
        self.validators[key] = lambda raw: _is_hex_colour(raw)
        self._seed(key, default, lambda raw: raw if len(raw) == 7 else "#" + "".join(c * 2 for c in raw[1:]))
        return where.color_picker(label, default, key=key, bind="query-params", help=help)

    # --- report ------------------------------------------------------------------------
    def problems(self) -> list[str]:
        """Human sentences for the parameters of the arriving link that were not used."""
        out = []
        preset = self.raw.get("preset")
        if preset is not None and (preset not in PRESETS or PRESETS[preset].page != self.page):
            out.append(tr(COMMON, "unknown_preset", key=_short(preset)))
        for key, value in self.raw.items():
            if key in PLAIN_KEYS:
                continue
            check = self.validators.get(key)
            if check is None:
                out.append(tr(COMMON, "unknown_param", key=_short(key)))
            elif value is None or len(value) > MAX_PARAM_CHARS or not _safe_check(check, value):
                out.append(tr(COMMON, "bad_value", key=_short(key)))
        return out

    def report(self) -> None:
        """Show a note about ignored parameters and an old schema version (if any).

        Call once, after every control of the page exists (it also ends a preset load)."""
        pending = st.session_state.get("_pending_preset")
        if pending and pending["page"] == self.page:
            del st.session_state["_pending_preset"]
        problems = self.problems()
        # Unknown keys are not bound to any widget: drop them from the address bar, so the
        # link a student copies next is clean (the note stays for this visit).
        for key in list(self.raw):
            if key not in self.validators and key not in PLAIN_KEYS and key in st.query_params:
                try:
                    del st.query_params[key]
                except (KeyError, StreamlitAPIException):
                    pass
        if problems:
            shown = problems[:6] + (["…"] if len(problems) > 6 else [])
            st.info(tr(COMMON, "ignored_params", items="; ".join(shown)), icon=":material/link_off:")
        got = self.raw.get("v")
        if got is not None and got != SCHEMA_VERSION:
            st.info(tr(COMMON, "old_version", got=_short(got)), icon=":material/history:")


def _short(text: str, limit: int = 24) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in str(text))
    return text if len(text) <= limit else text[:limit] + "…"


def _safe_check(check, value) -> bool:
    try:
        return bool(check(value))
    except (ValueError, TypeError, OverflowError):
        return False


def _is_hex_colour(raw: str) -> bool:
    return len(raw) in (4, 7) and raw.startswith("#") and all(c in "0123456789abcdefABCDEF" for c in raw[1:])


def _float_in(raw: str, lo: float, hi: float) -> bool:
    value = float(raw)
    return math.isfinite(value) and lo <= value <= hi


def _int_in(raw: str, lo: int, hi: int) -> bool:
    value = float(raw)
    return math.isfinite(value) and value == int(value) and lo <= value <= hi
