"""Shareable links: widgets bound to the URL, and a guard that reports what a link got wrong.

Every control of a page is a Streamlit widget created with ``key=<url name>`` and
``bind="query-params"``: Streamlit itself keeps the URL and the widget in sync (no
hand-written URL code). Streamlit silently drops an invalid value and uses the default;
:class:`LinkGuard` checks the raw link once, with the same rules as the widgets, so the page
can say *which* parameters were ignored. Only ``lang`` and ``present`` (whose spelling the
link format fixes) and the schema version ``v`` are plain query parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from .controls import Control
from .presets import PRESETS
from .registry import READABLE_VERSIONS, SCHEMA_VERSION
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
    controls: dict[str, Control] = field(default_factory=dict)  # by link key: each widget's parser
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

    @property
    def lang(self) -> str:
        return current_lang()

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

    def _seed(self, control: Control) -> None:
        """Register ``control`` (its link value is checked by it) and, while a preset loads,
        put the widget in the preset's state (controls the preset does not name: the default)."""
        key = control.key
        self.controls[key] = control
        self._claim(key)
        pending = st.session_state.get("_pending_preset")
        if not pending or pending["page"] != self.page:
            return
        st.session_state[key] = control.parse(pending["params"].get(key))

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
        self._seed(Control(key, "optional" if optional else "number", None if optional else float(default), lo, hi))
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
            self._seed(Control(key, "slider", int(default), lo, hi))
            return int(where.slider(label, min_value=int(lo), max_value=int(hi), value=int(default), step=1,
                                    key=key, bind="query-params", help=help))
        self._seed(Control(key, "integer", int(default), lo, hi))  # a fraction is rounded, not refused
        if isinstance(st.session_state.get(key), int):
            st.session_state[key] = float(st.session_state[key])  # the float widget's own type
        value = where.number_input(label, min_value=float(lo), max_value=float(hi), value=float(default),
                                   step=1.0, format="%.0f", key=key, bind="query-params", help=help)
        return int(round(value))

    def select(self, where, label, key, options: Sequence, default, *, format_func=str, alias=None, help=None):
        """A selectbox whose link value is the option's stable id (``str(option)``), whatever
        ``format_func`` shows (translated titles). Streamlit's bound selectbox would write the
        shown label into the URL, so this one is not bound: :meth:`_follow_link` and
        :meth:`_write_link` keep the URL and the widget in step. ``alias`` (default
        ``format_func``) gives the English title that schema-1 links wrote; they still open."""
        control = Control(key, "select", default, options=tuple(options), label=alias or format_func)
        self._seed(control)
        self._follow_link(control)
        value = where.selectbox(label, list(options), index=list(options).index(default),
                                format_func=format_func, key=key, help=help)
        self._write_link(control, value)
        return value

    def _written(self) -> dict:
        return st.session_state.setdefault("_link_written", {})

    def _follow_link(self, control: Control) -> None:
        """A URL value this page did not write (a link opened, the browser's back button) sets
        the widget; otherwise the widget's own state stands."""
        key = control.key
        pending = st.session_state.get("_pending_preset")
        if pending and pending["page"] == self.page:
            return
        raw = st.query_params.get(key)
        if raw is not None and raw != self._written().get((self.page, key)) and control.valid(raw):
            st.session_state[key] = control.parse(raw)

    def _write_link(self, control: Control, value) -> None:
        """Put the widget's value in the URL (left out when it is the default, like a bound widget)."""
        key = control.key
        text = control.link_value(value)
        try:
            if value == control.default:
                if key in st.query_params:
                    del st.query_params[key]
            elif st.query_params.get(key) != text:
                st.query_params[key] = text
        except StreamlitAPIException:
            return
        self._written()[(self.page, key)] = None if value == control.default else text

    def toggle(self, where, label, key, default: bool, *, help=None) -> bool:
        self._seed(Control(key, "toggle", bool(default)))
        return where.toggle(label, value=default, key=key, bind="query-params", help=help)

    def text(self, where, label, key, default: str, *, max_chars: int, help=None) -> str:
        self._seed(Control(key, "text", default, hi=max_chars))
        return where.text_input(label, value=default, max_chars=max_chars, key=key,
                                bind="query-params", help=help)

    def colour(self, where, label, key, default: str, *, help=None) -> str:
        self._seed(Control(key, "colour", default))
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
            control = self.controls.get(key)
            if control is None:
                out.append(tr(COMMON, "unknown_param", key=_short(key)))
            elif value is None or len(value) > MAX_PARAM_CHARS or not control.valid(value):
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
            if key not in self.controls and key not in PLAIN_KEYS and key in st.query_params:
                try:
                    del st.query_params[key]
                except (KeyError, StreamlitAPIException):
                    pass
        if problems:
            shown = problems[:6] + (["…"] if len(problems) > 6 else [])
            st.info(tr(COMMON, "ignored_params", items="; ".join(shown)), icon=":material/link_off:")
        got = self.raw.get("v")
        if got is not None and got not in READABLE_VERSIONS:
            st.info(tr(COMMON, "old_version", got=_short(got)), icon=":material/history:")


def _short(text: str, limit: int = 24) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in str(text))
    return text if len(text) <= limit else text[:limit] + "…"
