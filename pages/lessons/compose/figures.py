"""Figures of the "Build an optimizer" lesson (plain Plotly, no Streamlit): the race of your composition
against the named optimizers, with the shared race figure's side panels (loss, learning rate, per-coordinate
step, gradient norm) moving in step with the paths."""

from __future__ import annotations

from pages.lib import figures

HEIGHT = 540  # the plot and its Play button within a 1366x768 screen under the rule and recognition lines


def race_figure(xs, ys, Z, surface, window, log_colour, paths, big, labels=()):
    """The race on a catalog surface (``xs, ys, Z``: its grid over ``window``), its known minima,
    maxima and saddles marked."""
    crit = [p for p in surface.known_points if p.kind in ("minimum", "maximum", "saddle")]
    return figures.race_figure_spec(xs, ys, Z, list(paths), log_scale=log_colour, window=window, big=big,
                                    critical_points=crit, height=HEIGHT, labels=dict(labels))
