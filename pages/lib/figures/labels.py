"""The words drawn inside the figures (:data:`FIGURE_LABELS`, English defaults) and how a
page's language table is laid over them (:func:`figure_labels_with`)."""

from __future__ import annotations

from collections.abc import Mapping

from .panels import PANELS

# Words drawn inside the figures. Pages pass their language's table as ``labels`` (see
# pages/lib/text.py FIGURE); missing keys fall back to these. Play and Pause keep their ▶ and ❚❚
# glyphs in every language: presenter mode's autoplay and the browser tests find the button by ▶.
FIGURE_LABELS = {
    **{key: title for key, title, _ in PANELS},
    "step_axis": "step",
    "loss_word": "loss",
    "play": "▶ Play",
    "pause": "❚❚ Pause",
    "slider": "step ",
    "diverged": "diverged after step {k}",
    "loss_symlog": "loss f(θ_t), symmetric log: linear within ±{c}",
    "left_window": "left the window at step {k}",
    "left_window_note": "{name} left the window at step {k} (▲ on the edge points to it)",
    "colour_linear": "Linear colours: a log scale would flatten this surface",
    "minimum": "minimum",
    "maximum": "maximum",
    "saddle": "saddle",
    "degenerate": "degenerate",
}


def figure_labels_with(labels: Mapping[str, str] | None) -> dict:
    """:data:`FIGURE_LABELS` with ``labels`` (a language's words) laid over it."""
    return {**FIGURE_LABELS, **(labels or {})}
