"""Cached Streamlit bridges of the batch-size lesson: runs, the data set's grid and the figures of
:mod:`.figures`, keyed by hashable page state (unhashed ``_runs`` are identified by a key)."""

from __future__ import annotations

import streamlit as st

from pages.lib import widgets
from pages.lib.links import current_lang
from surfaces import datasets

from . import figures, model


@st.cache_data(max_entries=256, show_spinner=False)
def run_cached(dataset_id: str, opt_id: str, hyper: tuple, start: tuple, epochs: int, batch: int, seed: int):
    return model.run(dataset_id, opt_id, hyper, start, epochs, batch, seed)


@st.cache_data(max_entries=32, show_spinner=False)
def grid_cached(dataset_id: str):
    return datasets.get(dataset_id).surface.grid(200)


@widgets.cached_figure(32)
def race_cached(dataset_id: str, runs_key: tuple, names: tuple, colors: tuple, epochs: int, big: bool, _runs,
                labels: tuple = ()):
    """The race on the epoch clock (``runs_key`` identifies ``_runs``, which is not hashed)."""
    return figures.race_figure(datasets.get(dataset_id), grid_cached(dataset_id), _runs, names, colors, epochs, big,
                               labels, current_lang())


@widgets.cached_figure(32)
def curves_cached(runs_key: tuple, names: tuple, colors: tuple, _runs):
    """``runs_key``: identifies ``_runs`` and the language."""
    return figures.curves_figure(_runs, names, colors, current_lang())


@widgets.cached_figure(32)
def tradeoff_cached(trade_key: tuple, batch_list: tuple, colors: tuple, _tr_all):
    """``trade_key``: identifies ``_tr_all`` and the language."""
    return figures.tradeoff_figure(_tr_all, batch_list, colors, current_lang())
