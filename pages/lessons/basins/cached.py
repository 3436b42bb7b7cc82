"""Cached Streamlit bridges of the basin-map lesson: each map (keyed by its
:class:`.presets.MapRequest`: surface, window, optimizer, hyperparameters, steps, grid, noise,
seeds, seed and matching tolerance) and the figure of the maps side by side.

The maps are kept in a bounded store shared by all sessions (``cache_resource``), not in
``st.cache_data``: a map is computed while the page draws its coarser levels and a progress bar,
and ``st.cache_data`` would record those elements to replay them on a hit, which it refuses for
elements of blocks created outside the function (CacheReplayClosureError). The store is keyed and
bounded like ``cache_data(max_entries=MAX_MAPS)`` (least recently used out first).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import streamlit as st

from pages.lib import widgets

from . import figures, model
from .controls import MapRequest

MAX_MAPS = 24  # a 200 x 200 map is ~0.7 MB here (label, probability, first seed's end and steps)


class _Store:
    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


@st.cache_resource(show_spinner=False)
def _store() -> _Store:
    return _Store(MAX_MAPS)


def cached_view(req: MapRequest) -> model.MapView | None:
    """The map of ``req`` if it has been computed (None otherwise)."""
    return _store().get(req)


def basin_view(req: MapRequest, progress=None, on_level=None) -> model.MapView:
    """:func:`.model.compute_view`, kept in the store. ``progress(fraction, message)`` and
    ``on_level(coarser view)`` are only called when the map is computed (not found in the store)."""
    view = _store().get(req)
    if view is None:
        view = model.compute_view(req, progress, on_level)
        _store().put(req, view)
    return view


@widgets.cached_figure(16)
def basin_figure(reqs: tuple, names: tuple, start: tuple, big: bool, lang: str, labels: tuple, _views: tuple):
    """:func:`.figures.basin_figure_spec` of the finished maps; keyed by their requests (``_views``
    are those requests' maps, so they are not hashed again)."""
    targets = _views[0].targets if _views else ()
    return figures.basin_figure_spec(list(_views), list(names), targets, start, big, lang, dict(labels))
