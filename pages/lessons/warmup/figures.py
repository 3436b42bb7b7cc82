"""Figures of the warm-up lesson (plain Plotly, no Streamlit): the race, whose learning-rate panel is
the schedule plot with a cursor that moves with the paths."""

from __future__ import annotations

from pages.lib import figures


def race_figure(xs, ys, Z, surface, window, log_colour, paths, big, labels=()):
    """The race on a catalog surface (``xs, ys, Z``: its grid over ``window``, which may be the fitted
    one), its known minima, maxima and saddles marked."""
    crit = [p for p in surface.known_points if p.kind in ("minimum", "maximum", "saddle")]
    return figures.race_figure(xs, ys, Z, list(paths), log_scale=log_colour, window=window, big=big,
                               critical_points=crit, height=600, labels=dict(labels))
