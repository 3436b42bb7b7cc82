"""Cached Streamlit bridges of the critical-points lesson: the atlas with a progress bar and the
figures of :mod:`.figures`, keyed by hashable page state (surface id and formula, not the surface)."""

from __future__ import annotations

import streamlit as st

import surfaces
from pages.lib import widgets
from pages.lib.links import current_lang, tr
from pages.lib.runs import get_surface, surface_grid

from . import figures
from .text import CRITICAL as T


def atlas_with_progress(surface_id: str, formula: str, window: tuple):
    """The atlas (bounded in time; cached by the atlas itself) with a live progress bar."""
    surface = get_surface(surface_id, formula)
    bar = st.empty()

    def report(fraction: float, message: str) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=f"{tr(T, 'computing')} {message}")

    with st.spinner(tr(T, "computing")):
        atlas = surfaces.critical_points(surface, window, progress=report)
    bar.empty()
    return atlas


@widgets.cached_figure(32)
def map_figure(surface_id: str, formula: str, window: tuple, log_colour: bool, points: tuple, curves: tuple,
               arrows: bool, inspect: tuple, big: bool, labels: tuple = ()):
    """:func:`figures.map_figure`; ``labels``: :func:`widgets.figure_labels` of the page's language
    (kind names; a cache key)."""
    xs, ys, Z = surface_grid(surface_id, formula, window)
    return figures.map_figure(xs, ys, Z, window, log_colour, points, curves, arrows, inspect, big, labels,
                              current_lang())


@widgets.cached_figure(32)
def taylor_figure(surface_id: str, formula: str, center: tuple, radius: float, title: str, big: bool,
                  zero_tol: float = 0.0):
    return figures.taylor_figure(get_surface(surface_id, formula), center, radius, title, big, zero_tol)


@widgets.cached_figure(32)
def lab_race_figure(surface_id: str, formula: str, window: tuple, log_colour: bool, paths: tuple,
                    points: tuple, big: bool, labels: tuple = ()):
    xs, ys, Z = surface_grid(surface_id, formula, window)
    return figures.lab_race_figure(xs, ys, Z, window, log_colour, paths, points, big, labels)
