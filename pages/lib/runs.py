"""Cached bridges from page controls to the engines (``surfaces`` and ``optim``).

Pages call these with plain, hashable arguments. Compiled surfaces (lambdified functions
are not picklable) live in a bounded ``cache_resource``; trajectories, grids and figures in
bounded ``cache_data``. User text makes the key space unbounded, so every cache has
``max_entries``. Unchanged inputs return the same objects, so an unrelated rerun sends a
byte-identical figure and Streamlit keeps the chart mounted (zoom and animation position).
"""

from __future__ import annotations

import streamlit as st

import surfaces
from optim.bursts import find_bursts
from optim.request import RunRequest
from surfaces import Surface

CUSTOM = "custom"


@st.cache_resource(max_entries=64, show_spinner=False)
def get_surface(surface_id: str, formula: str = "") -> Surface:
    """A catalog or generated surface (``surfaces.get``), or the user's formula when
    ``surface_id == "custom"``.

    Raises ``surfaces.ParseError`` for a bad formula (the caller shows it and falls back).
    """
    if surface_id == CUSTOM:
        return surfaces.parse(formula)
    return surfaces.get(surface_id)


@st.cache_data(max_entries=64, show_spinner=False)
def surface_grid(surface_id: str, formula: str, window: tuple, n: int = 200):
    return get_surface(surface_id, formula).grid(n, window)


@st.cache_data(max_entries=512, show_spinner=False)
def run_request(surface_id: str, formula: str, request: RunRequest):
    """One trajectory: ``request`` (an :class:`optim.request.RunRequest`) on the surface. The
    request is the cache key: a page's paths are a list of requests."""
    return request.run(get_surface(surface_id, formula))


@st.cache_data(max_entries=512, show_spinner=False)
def bursts_of(surface_id: str, formula: str, request: RunRequest):
    """:func:`optim.bursts.find_bursts` of ``run_request(...)``, cached like the run: the burst
    scan takes a running median at every step (~0.1-0.3 s on a long run), too much to redo for
    every student who opens the same link."""
    return find_bursts(run_request(surface_id, formula, request))


@st.cache_data(max_entries=64, show_spinner=False)
def critical_points(surface_id: str, formula: str, window: tuple):
    """The critical-point atlas of a surface in a window (bounded in time by the atlas)."""
    return surfaces.critical_points(get_surface(surface_id, formula), window)
