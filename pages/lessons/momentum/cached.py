"""Cached Streamlit bridges of the momentum lesson: the figures of :mod:`.figures`, keyed by hashable
page state (the unhashed ``_run`` is identified by ``run_key``)."""

from __future__ import annotations

import surfaces
from pages.lib import widgets
from pages.lib.runs import surface_grid

from . import figures


@widgets.cached_figure(32)
def race_cached(surface_id, window, log_colour, paths, big, labels=()):
    xs, ys, Z = surface_grid(surface_id, "", window)
    return figures.race_figure(xs, ys, Z, surfaces.CATALOG[surface_id], window, log_colour, paths, big, labels)


@widgets.cached_figure(64)
def decomposition_figure(surface_id: str, log_colour: bool, _run, run_key, t: int, lam: float, big: bool,
                         lang: str):
    """:func:`figures.decomposition_figure` of the lecture-form run ``_run`` (identified by ``run_key``)."""
    return figures.decomposition_figure(surfaces.CATALOG[surface_id], log_colour, _run, t, lam, big, lang)
