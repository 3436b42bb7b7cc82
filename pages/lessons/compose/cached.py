"""Cached Streamlit bridge of the "Build an optimizer" lesson: the race of :mod:`.figures`."""

from __future__ import annotations

import surfaces
from pages.lib import widgets
from pages.lib.runs import surface_grid

from . import figures


@widgets.cached_figure(32)
def race_cached(surface_id, window, log_colour, paths, big, labels=()):
    xs, ys, Z = surface_grid(surface_id, "", window)
    return figures.race_figure(xs, ys, Z, surfaces.CATALOG[surface_id], window, log_colour, paths, big, labels)
