"""Controls of the lesson pages and the run specs they map to (plain Python, no Streamlit).

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

import surfaces
from optim.request import NO_NOISE, NoiseSpec, RunRequest, ScheduleSpec


@dataclass(frozen=True)
class Control:
    """One URL parameter of a lesson page: its kind, default and bounds (as the widget has them).

    ``kind`` is number | optional (number or empty) | integer | toggle | select. A select's URL
    value is the option's LABEL (``label(option)``), as Streamlit's bound selectbox writes it.
    """

    key: str
    kind: str
    default: Any
    lo: float | None = None
    hi: float | None = None
    options: tuple = ()
    label: Callable[[Any], str] = field(default=str, compare=False)

    def parse(self, raw: str | None):
        """The widget value a link string gives (the default when it is missing or invalid)."""
        if raw is None:
            return self.default
        raw = str(raw)
        try:
            if self.kind == "toggle":
                return raw.lower() == "true" if raw.lower() in ("true", "false") else self.default
            if self.kind == "select":
                labels = [self.label(o) for o in self.options]
                return self.options[labels.index(raw)] if raw in labels else self.default
            if self.kind == "optional" and raw == "":
                return None
            value = float(raw)
            if not (math.isfinite(value) and self.lo <= value <= self.hi):
                return self.default
            if self.kind == "integer":
                return int(value) if value == int(value) else self.default
            return value
        except (ValueError, TypeError, OverflowError):
            return self.default


def values_from_params(controls: Mapping[str, Control], params: Mapping[str, str]) -> dict[str, Any]:
    """Every control's value for a link's parameters (a preset's ``params``)."""
    return {key: c.parse(params.get(key)) for key, c in controls.items()}


def make_widget(guard, where, control: Control, label: str, **kw):
    """The URL-bound widget of ``control`` made through a page's LinkGuard (same default and bounds)."""
    c = control
    if c.kind in ("number", "optional"):
        return guard.number(where, label, c.key, c.default, c.lo, c.hi, optional=c.kind == "optional", **kw)
    if c.kind == "integer":
        return guard.integer(where, label, c.key, c.default, int(c.lo), int(c.hi), **kw)
    if c.kind == "toggle":
        return guard.toggle(where, label, c.key, c.default, **kw)
    if c.kind == "select":
        return guard.select(where, label, c.key, list(c.options), c.default, format_func=c.label, **kw)
    raise ValueError(f"unknown control kind {c.kind!r}")


def surface_title(surface_id: str) -> str:
    return surfaces.CATALOG[surface_id].title


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
