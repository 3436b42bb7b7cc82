"""Cached Streamlit bridge of the adaptive-learning-rate lesson: the effective-lr figure."""

from __future__ import annotations

from pages.lib import widgets

from . import figures


@widgets.cached_figure(32)
def effective_lr_figure(series, threshold, h_yy, marks, labels, big):
    return figures.effective_lr_figure(series, threshold, h_yy, marks, labels, big)
