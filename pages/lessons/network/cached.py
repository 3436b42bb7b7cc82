"""Cached Streamlit bridge of the real-network lesson: each section's runs, keyed by their
parameters (a link reopened, or a change of language or of the zero tolerance, costs no
training), and the figures of :mod:`.figures` (``_res`` is identified by the key before it)."""

from __future__ import annotations

import streamlit as st

from pages.lib import widgets

from . import figures, model


@st.cache_data(max_entries=1, show_spinner=False)
def reference():
    """The stall section's reference run (the same for every lr and step count)."""
    return model.run_reference()


@st.cache_data(max_entries=16, show_spinner=False)
def stall(lr: float, steps: int):
    return model.run_stall(lr, steps, reference())


@st.cache_data(max_entries=2, show_spinner=False)
def ratio():
    """The survey does not depend on any control (the tolerance only re-reads its eigenvalues)."""
    return model.run_ratio()


@st.cache_data(max_entries=16, show_spinner=False)
def batch(small: int, seeds: int):
    return model.run_batch(small, seeds)


@st.cache_data(max_entries=16, show_spinner=False)
def scaling(k: int, warm_epochs: int):
    return model.run_scaling(k, warm_epochs)


@widgets.cached_figure(16)
def stall_figure(key: tuple, lang: str, big: bool, _res):
    return figures.stall_figure(_res, lang, big)


@widgets.cached_figure(32)
def ratio_scatter(tol: float, point: int, lang: str, big: bool, _res):
    return figures.ratio_scatter(_res, tol, point, lang, big)


@widgets.cached_figure(32)
def ratio_histogram(tol: float, point: int, lang: str, big: bool, _res):
    return figures.ratio_histogram(_res, tol, point, lang, big)


@widgets.cached_figure(32)
def batch_panel(key: tuple, field: str, lang: str, big: bool, _rows):
    return figures.batch_panel(_rows, field, lang, big)


@widgets.cached_figure(16)
def scaling_figure(k: int, warm_epochs: int, lang: str, big: bool, _runs):
    return figures.scaling_figure(_runs, k, warm_epochs, lang, big)
