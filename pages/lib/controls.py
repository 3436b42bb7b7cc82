"""Controls of the pages and the run specs they map to (plain Python, no Streamlit).

A lesson page declares its URL parameters as :class:`Control` s; the page makes one URL-bound
widget per control (:func:`make_widget`), and the tests read a preset's values with
:func:`values_from_params`, so the page and the tests parse a link the same way. A lesson's
``setup(values)`` returns a :class:`Setup`: the runs it shows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import optim
import surfaces
from optim.request import NO_NOISE, NoiseSpec, RunRequest, ScheduleSpec

from .text_names import optimizer_name, surface_name  # noqa: F401  (re-exported for the lessons' controls)


@dataclass(frozen=True)
class Control:
    """One URL parameter of a page: its kind, default and bounds (as the widget has them). The ONE
    parser of link values: :class:`pages.lib.links.LinkGuard` checks and converts every widget's
    link value through a Control, and the tests read presets with :func:`values_from_params`.

    ``kind``: number | optional (number or empty) | integer (a number input: a fraction is
    rounded, as the widget rounds it) | slider (a whole number, as Streamlit's int slider
    requires) | toggle | select | text (at most ``hi`` characters) | colour (#rgb or #rrggbb).

    A select's link value is the option's stable id, ``str(option)``, never display text, so a
    link means the same in every language and after a title is reworded. ``label(option)`` is
    the option's English title: links written before ids (schema 1) used it, and they still
    open the same view. ``shown(option, lang)`` is the name the widget shows (default: ``label``).
    """

    key: str
    kind: str
    default: Any
    lo: float | None = None
    hi: float | None = None
    options: tuple = ()
    label: Callable[[Any], str] = field(default=str, compare=False)
    shown: Callable[[Any, str], str] | None = field(default=None, compare=False)  # (option, lang) -> name on screen

    def link_value(self, value) -> str:
        """How ``value`` is written in a link."""
        if self.kind == "toggle":
            return "true" if value else "false"
        if value is None:
            return ""
        return str(value) if self.kind in ("select", "text", "colour") else f"{value:g}"

    def valid(self, raw: str | None) -> bool:
        """Whether a link's raw value is accepted (else the widget keeps its default)."""
        return raw is not None and self._convert(str(raw)) is not _INVALID

    def parse(self, raw: str | None):
        """The widget value a link string gives (the default when it is missing or invalid)."""
        if raw is None:
            return self.default
        value = self._convert(str(raw))
        return self.default if value is _INVALID else value

    def _convert(self, raw: str):
        try:
            if self.kind == "toggle":
                return raw.lower() == "true" if raw.lower() in ("true", "false") else _INVALID
            if self.kind == "select":
                for option in self.options:
                    if raw == str(option):
                        return option
                for option in self.options:  # schema 1 wrote the English title
                    if raw == self.label(option):
                        return option
                return _INVALID
            if self.kind == "text":
                return raw if len(raw) <= self.hi else _INVALID
            if self.kind == "colour":
                ok = len(raw) in (4, 7) and raw.startswith("#") and all(c in "0123456789abcdefABCDEF" for c in raw[1:])
                return (raw if len(raw) == 7 else "#" + "".join(c * 2 for c in raw[1:])) if ok else _INVALID
            if self.kind == "optional" and raw == "":
                return None
            value = float(raw)
            if not (math.isfinite(value) and self.lo <= value <= self.hi):
                return _INVALID
            if self.kind == "integer":
                return int(round(value))
            if self.kind == "slider":
                return int(value) if value == int(value) else _INVALID
            return value
        except (ValueError, TypeError, OverflowError):
            return _INVALID


_INVALID = object()


def values_from_params(controls: Mapping[str, Control], params: Mapping[str, str]) -> dict[str, Any]:
    """Every control's value for a link's parameters (a preset's ``params``)."""
    return {key: c.parse(params.get(key)) for key, c in controls.items()}


def make_widget(guard, where, control: Control, label: str, **kw):
    """The URL-bound widget of ``control`` made through a page's LinkGuard (same default and bounds)."""
    c = control
    if c.kind in ("number", "optional"):
        return guard.number(where, label, c.key, c.default, c.lo, c.hi, optional=c.kind == "optional", **kw)
    if c.kind in ("integer", "slider"):
        return guard.integer(where, label, c.key, c.default, int(c.lo), int(c.hi), slider=c.kind == "slider", **kw)
    if c.kind == "toggle":
        return guard.toggle(where, label, c.key, c.default, **kw)
    if c.kind == "select":
        shown = (lambda option: c.shown(option, guard.lang)) if c.shown else c.label
        return guard.select(where, label, c.key, list(c.options), c.default, format_func=shown, alias=c.label, **kw)
    raise ValueError(f"unknown control kind {c.kind!r}")


def surface_title(surface_id: str) -> str:
    """A surface's English title (what schema-1 links wrote); on screen: :func:`surface_name`."""
    return surfaces.CATALOG[surface_id].title


def optimizer_title(opt_id: str) -> str:
    """An optimizer's English title (what schema-1 links wrote); on screen: :func:`optimizer_name`."""
    return optim.SPECS[opt_id].title


@dataclass(frozen=True)
class RunSpec:
    """One path of the page: ``key`` names its role (gd | lecture | torch | nesterov)."""

    key: str
    opt_id: str
    hyper: tuple  # sorted (name, value) pairs
    schedule: ScheduleSpec
    color: str
    dash: str = "solid"


@dataclass(frozen=True)
class Setup:
    surface_id: str
    start: tuple[float, float]
    steps: int
    runs: tuple[RunSpec, ...]
    noise: NoiseSpec = NO_NOISE
    seed: int = 0

    def request(self, run: RunSpec) -> RunRequest:
        """The :class:`optim.request.RunRequest` of one run (the page and the tests)."""
        return RunRequest(run.opt_id, run.hyper, self.start, self.steps, run.schedule, self.noise, self.seed)

    def run(self, key: str) -> RunSpec | None:
        return next((r for r in self.runs if r.key == key), None)


def selection_point(state, *, main_axes_only: bool = False, curve: int | None = None) -> tuple[float, float] | None:
    """The point a chart selection names (``st.plotly_chart``'s ``on_select`` state): the centre of
    the last box dragged, else the last clicked point. ``curve``: only a point of that trace, and
    only when exactly one is selected (a lasso over a grid is not a pick); ``main_axes_only``: a
    box on other axes (a side panel) names nothing. None when there is no point, or it is
    malformed or not finite."""
    try:
        selection = state["selection"] if state else None
        boxes = list(selection.get("box") or []) if selection else []
        points = list(selection.get("points") or []) if selection else []
        if boxes:
            box = boxes[-1]
            if main_axes_only and (box.get("xref", "x") != "x" or box.get("yref", "y") != "y"):
                return None
            xs, ys = [float(v) for v in box["x"]], [float(v) for v in box["y"]]
            x, y = sum(xs) / len(xs), sum(ys) / len(ys)
        else:
            if curve is not None:
                points = [pt for pt in points if pt.get("curve_number") == curve]
                if len(points) != 1:
                    return None
            if not points:
                return None
            x, y = float(points[-1]["x"]), float(points[-1]["y"])
    except (KeyError, TypeError, ValueError, AttributeError, ZeroDivisionError):
        return None
    return (x, y) if math.isfinite(x) and math.isfinite(y) else None

