"""Figures for Descent Lab: plain Plotly + NumPy + Pillow (no Streamlit), deterministic.

Why the 2D view looks the way it does (see docs/notes reference section 3):

- The surface is a PNG in ``layout.images`` (layer "below", xref/yref "x"/"y", sizing
  "stretch"), and iso-lines are ordinary Scatter line traces. A go.Contour/go.Heatmap
  background vanishes when an animation with ``redraw: False`` starts (plotly.js #4491).
- Each path is drawn ONCE, faintly, in full; the frames move only a head marker, a short
  trail and one cursor line per side panel (``traces=[...]``), with NumPy arrays so Plotly
  sends them as base64 binary. This keeps the payload ~linear in steps, not quadratic.
- Side panels (loss, lr, per-coordinate effective step, gradient norm) are subplots of the
  SAME figure, so the same frames drive their cursors.
- No scale hides a finite value: losses <= 0 on the log loss axis switch it to a symmetric log;
  log colours that would flatten the surface give way to linear ones; a head outside the window
  gets an edge marker (see :func:`race_figure`).
- Same inputs -> byte-identical ``fig.to_json()`` (Streamlit hashes the figure; cache it).

Render with ``st.plotly_chart(fig, key=..., theme=None)`` so the projector styling is kept.

Public API (import it from here): :class:`PathView`, :data:`PALETTE`, :func:`frame_steps`,
:func:`surface_image`, :func:`iso_line_trace`, :func:`colorbar_trace`, :func:`cell_extent`,
:func:`colour_scale_is_log`, :func:`log_colour_hides_structure`, :data:`FIGURE_LABELS`,
:func:`figure_labels_with`, :func:`race_figure`, :func:`surface_3d_figure`,
:func:`schedule_figure`.

Fast path for pages: :func:`race_figure_spec`, :func:`surface_3d_figure_spec`,
:func:`schedule_figure_spec` return the plain figure dict (``{"data", "layout"[, "frames"]}``,
NumPy arrays already as plotly.js typed-array specs) equal to the validated twin's ``to_dict()``,
built from dicts without plotly.py's validation (~10x faster). One builder feeds both twins.
The surface layers (PNG, iso-lines) are memoised on the grid's bytes, so a rerun that changes
only the paths does not redraw them.

Modules (each has one job; they import each other in this order, never back):

- ``paths``: :class:`PathView`, :func:`frame_steps`, where a head is at a step;
- ``style``: palette, marker symbols, font, sizes, the framed axis, a path's hover text;
- ``encoding``: arrays as typed-array specs, colour scales and numbers as plotly.js gets them,
  the validated plotly.py twin of a spec;
- ``raster``: colour values, the RGBA/PNG image, marching-squares iso-lines (no Plotly);
- ``panels``: the side panels and the symmetric-log loss axis;
- ``labels``: the words drawn inside the figures;
- ``surface``: the colour scale chosen, the image, iso-lines, colour bar, critical points (memoised);
- ``edges``: the edge marker and note of a head outside the window;
- ``race``, ``surface3d``, ``schedule``: the three figures.

Test-only builders (NumPy demo paths, the naive baseline of the payload benchmark) live in
``tests/figure_demo.py``.
"""

from __future__ import annotations

from .edges import NOTE_WIDTH
from .labels import FIGURE_LABELS, figure_labels_with
from .panels import PANELS, SYMLOG_DECADES
from .paths import STATUSES, PathView, Window, frame_steps
from .race import BASE_FRAME_MS, CLICK_TRACE, SPEEDS, click_grid_trace, race_figure, race_figure_spec
from .schedule import schedule_figure, schedule_figure_spec
from .style import CRITICAL_SYMBOLS, DIVERGED_COLOR, FONT_FAMILY, PALETTE
from .surface import (
    LOG_COLOUR_MIN_SHARE,
    cell_extent,
    colorbar_trace,
    colour_scale_is_log,
    iso_line_trace,
    log_colour_hides_structure,
    surface_image,
)
from .surface3d import surface_3d_figure, surface_3d_figure_spec

__all__ = [
    "BASE_FRAME_MS", "CLICK_TRACE", "CRITICAL_SYMBOLS", "DIVERGED_COLOR", "FIGURE_LABELS", "FONT_FAMILY",
    "LOG_COLOUR_MIN_SHARE", "NOTE_WIDTH", "PALETTE", "PANELS", "SPEEDS", "STATUSES", "SYMLOG_DECADES", "PathView",
    "Window", "cell_extent", "click_grid_trace", "colorbar_trace", "colour_scale_is_log", "figure_labels_with",
    "frame_steps", "iso_line_trace", "log_colour_hides_structure", "race_figure", "race_figure_spec",
    "schedule_figure", "schedule_figure_spec", "surface_3d_figure", "surface_3d_figure_spec", "surface_image",
]
