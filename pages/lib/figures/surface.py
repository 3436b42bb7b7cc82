"""What the 2D map shows of a surface, independent of the paths: the colour scale chosen (log
only where it does not hide structure), the PNG background, the iso-lines, the colour bar and
the critical-point markers; the image and iso-lines memoised on the grid's bytes."""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .encoding import as_trace, asis, colorscale_list, copy_spec, fmt_number, typed
from .labels import figure_labels_with
from .raster import colour_values, iso_lines, png_data_uri, rgba_image
from .style import CRITICAL_SYMBOLS


def cell_extent(v: np.ndarray) -> tuple[float, float]:
    """Extent of a pixel row whose pixel CENTRES are the samples v."""
    v = np.asarray(v, dtype=float)
    d = (v[-1] - v[0]) / (len(v) - 1) if len(v) > 1 else 1.0
    return float(v[0] - d / 2), float(v[-1] + d / 2)


def surface_image(xs, ys, Z, log_scale: bool, colorscale="Viridis") -> str:
    """The surface as a ``data:image/png;base64,...`` URI, row 0 = top (largest y).

    Colour = :func:`.raster.colour_values`: linear f, or with ``log_scale``
    ``log10(f - f_min + delta)``, ``delta = 1e-6 (f_max - f_min)`` over the finite grid values,
    unless log would hide the surface's structure (:func:`colour_scale_is_log`: then linear).
    NaN/inf cells are transparent (the plot background shows through).
    """
    C, _, _ = colour_values(Z, colour_scale_is_log(Z, log_scale))
    cmin, cmax = crange(C)
    return png_data_uri(rgba_image(C, cmin, cmax, colorscale))


def crange(C: np.ndarray) -> tuple[float, float]:
    fin = C[np.isfinite(C)]
    if fin.size == 0:
        return 0.0, 1.0
    lo, hi = float(fin.min()), float(fin.max())
    return (lo, hi) if hi > lo else (lo - 0.5, lo + 0.5)


LOG_COLOUR_MIN_SHARE = 0.75  # log colours must spread the window at least 3/4 as evenly as linear ones
_SPREAD_BINS = 64


def _colour_spread(C: np.ndarray) -> float:
    """How evenly the finite values of C fill their colour range: entropy of a 64-bin histogram
    over [min, max], normalised to [0, 1] (1 = every colour used equally, 0 = one colour)."""
    fin = np.asarray(C, dtype=float)
    fin = fin[np.isfinite(fin)]
    if fin.size < 2:
        return 0.0
    lo, hi = float(fin.min()), float(fin.max())
    if not hi > lo:
        return 0.0
    counts = np.histogram(fin, bins=_SPREAD_BINS, range=(lo, hi))[0]
    p = counts[counts > 0] / fin.size
    return float(-(p * np.log(p)).sum() / math.log(_SPREAD_BINS))


def log_colour_hides_structure(Z) -> bool:
    """True when a log colour scale would crowd the window into a few colours.

    The log scale (:func:`.raster.colour_values`) spends ~6 decades of the colour
    bar just above the grid minimum. That suits a loss with a large dynamic range (Rosenbrock,
    Himmelblau: most of the window is far above the minimum, and log separates the valley
    floor), but on a surface whose values are spread evenly (``sin(x)*cos(y)``, a saddle) most
    cells land in the top decade: maxima, saddles and slopes all turn the same yellow. Rule:
    log hides structure when its :func:`_colour_spread` is below LOG_COLOUR_MIN_SHARE times the
    linear scale's."""
    Z = np.asarray(Z, dtype=float)
    return _colour_spread(colour_values(Z, True)[0]) < LOG_COLOUR_MIN_SHARE * _colour_spread(Z)


def colour_scale_is_log(Z, log_scale: bool) -> bool:
    """The colour scale every surface view draws: log only when asked for AND it does not hide
    structure (:func:`log_colour_hides_structure`); otherwise linear, labelled "(linear)"."""
    return bool(log_scale) and not log_colour_hides_structure(Z)


def _colour_title(title: str, requested_log: bool, log_scale: bool) -> str:
    if log_scale:
        return title + " (log)"
    return title + " (linear)" if requested_log else title


def _iso_levels(cmin: float, cmax: float, n: int = 12) -> np.ndarray:
    return np.linspace(cmin, cmax, n + 2)[1:-1]


@dataclass(frozen=True)
class SurfaceLayers:
    """What the 2D view draws of a surface, independent of the paths (cached: a rerun that
    changes one path must not redo the PNG and the marching squares, ~70 ms on 200 x 200)."""

    cmin: float
    cmax: float
    zmin: float
    delta: float
    log_scale: bool  # the scale drawn (see colour_scale_is_log)
    requested_log: bool
    image: str
    iso_x: np.ndarray  # float32, read-only
    iso_y: np.ndarray
    iso_x_spec: object  # typed(iso_x)
    iso_y_spec: object


LAYER_CACHE: OrderedDict = OrderedDict()
LAYER_CACHE_SIZE = 16
_LAYER_LOCK = threading.Lock()


def surface_layers(xs, ys, Z, log_scale: bool, colorscale="Viridis", n_levels: int = 12) -> SurfaceLayers:
    """Image, iso-lines and colour range of a grid, memoised on a digest of its bytes (LRU, 16).
    ``log_scale`` is the scale asked for; ``layers.log_scale`` the one drawn (:func:`colour_scale_is_log`)."""
    xs = np.ascontiguousarray(xs, dtype=float)
    ys = np.ascontiguousarray(ys, dtype=float)
    Z = np.ascontiguousarray(Z, dtype=float)
    h = hashlib.blake2b(digest_size=20)
    for a in (xs, ys, Z):
        h.update(repr(a.shape).encode())
        h.update(memoryview(a).cast("B"))
    key = (h.hexdigest(), bool(log_scale), repr(colorscale), int(n_levels))
    with _LAYER_LOCK:
        hit = LAYER_CACHE.get(key)
        if hit is not None:
            LAYER_CACHE.move_to_end(key)
            return hit
    drawn_log = colour_scale_is_log(Z, log_scale)
    C, zmin, delta = colour_values(Z, drawn_log)
    cmin, cmax = crange(C)
    lx, ly = iso_lines(xs, ys, C, _iso_levels(cmin, cmax, n_levels))
    lx, ly = lx.astype(np.float32), ly.astype(np.float32)
    lx.flags.writeable = False
    ly.flags.writeable = False
    layers = SurfaceLayers(cmin, cmax, zmin, delta, drawn_log, bool(log_scale),
                           png_data_uri(rgba_image(C, cmin, cmax, colorscale)), lx, ly, typed(lx), typed(ly))
    with _LAYER_LOCK:
        LAYER_CACHE[key] = layers
        while len(LAYER_CACHE) > LAYER_CACHE_SIZE:
            LAYER_CACHE.popitem(last=False)
    return layers


def iso_spec(layers: SurfaceLayers, enc, width: float = 0.8, xaxis: str = "x", yaxis: str = "y") -> dict:
    if enc is typed:
        x, y = copy_spec(layers.iso_x_spec), copy_spec(layers.iso_y_spec)
    else:
        x, y = layers.iso_x, layers.iso_y
    return {"type": "scatter", "x": x, "y": y, "mode": "lines", "name": "iso-lines",
            "line": {"color": "rgba(255,255,255,0.55)", "width": width}, "hoverinfo": "skip",
            "showlegend": False, "xaxis": xaxis, "yaxis": yaxis}


def iso_line_trace(xs, ys, Z, log_scale: bool, n_levels: int = 12, width: float = 0.8,
                   xaxis: str = "x", yaxis: str = "y") -> go.Scatter:
    """~n_levels iso-lines (equally spaced in colour value) as ONE Scatter line trace with NaN gaps."""
    return as_trace(iso_spec(surface_layers(xs, ys, Z, log_scale, n_levels=n_levels), asis, width, xaxis, yaxis))


def colorbar_spec(cmin: float, cmax: float, zmin: float, delta: float, log_scale: bool, colorscale="Viridis",
                  x: float = 1.0, len_: float = 1.0, y: float = 0.5, font_size: int = 14, title: str = "f",
                  requested_log: bool | None = None) -> dict:
    if log_scale:
        tickvals, ticktext = log_ticks(cmin, cmax, zmin, delta)
    else:
        tickvals = [float(v) for v in np.linspace(cmin, cmax, 6)]
        ticktext = [fmt_number(v) for v in tickvals]
    return {
        "type": "scatter", "x": [None], "y": [None], "mode": "markers", "hoverinfo": "skip", "showlegend": False,
        "name": "colour bar",
        "marker": {"size": 0, "color": [cmin, cmax], "cmin": cmin, "cmax": cmax, "colorscale": colorscale_list(colorscale),
                   "showscale": True,
                   "colorbar": {"x": x, "xanchor": "left", "y": y, "yanchor": "middle", "len": len_, "thickness": 14,
                                "outlinewidth": 0, "tickvals": tickvals, "ticktext": ticktext,
                                "tickfont": {"size": font_size - 2},
                                "title": {"text": _colour_title(title, log_scale if requested_log is None
                                                                else requested_log, log_scale), "side": "top",
                                          "font": {"size": font_size - 1}}}},
    }


def colorbar_trace(Z, log_scale: bool, colorscale="Viridis", x: float = 1.0, len_: float = 1.0,
                   y: float = 0.5, font_size: int = 14, title: str = "f") -> go.Scatter:
    """An invisible scatter whose colour bar matches the image; tick labels show f values.
    Log only where :func:`colour_scale_is_log` keeps it (title "f (linear)" when it did not)."""
    drawn_log = colour_scale_is_log(Z, log_scale)
    C, zmin, delta = colour_values(Z, drawn_log)
    cmin, cmax = crange(C)
    return as_trace(colorbar_spec(cmin, cmax, zmin, delta, drawn_log, colorscale, x, len_, y, font_size, title,
                                  requested_log=bool(log_scale)))


def log_ticks(cmin: float, cmax: float, zmin: float, delta: float, max_ticks: int = 7):
    """Colour-bar ticks for the log scale at round f values: f = base + 10**k, where base is f_min
    rounded to 2 significant digits (0 when f_min is negligible against the range)."""
    span = 10.0**cmax - delta  # = f_max - f_min
    base = 0.0 if abs(zmin) <= 1e-3 * span else float(f"{zmin:.2g}")
    vals, texts = [], []
    for k in range(math.floor(cmin) - 1, math.ceil(cmax) + 2):
        f = base + 10.0**k
        arg = f - zmin + delta
        if arg <= 0:
            continue
        c = math.log10(arg)
        if cmin <= c <= cmax - 0.06 * (cmax - cmin):  # the top 6 %: the bar's title sits right above
            vals.append(c)
            texts.append(fmt_number(f))
    if len(vals) > max_ticks:
        step = math.ceil(len(vals) / max_ticks)
        keep = list(range(len(vals) - 1, -1, -step))[::-1]
        vals, texts = [vals[i] for i in keep], [texts[i] for i in keep]
    return vals, texts


def critical_specs(critical_points, msize: float, enc, axis=("x", "y"), labels=None) -> list[dict]:
    names = figure_labels_with(labels)
    by_kind: dict[str, list[tuple[float, float]]] = {}
    for cp in critical_points or ():
        if isinstance(cp, Mapping):
            x, y, kind = cp["x"], cp["y"], cp["kind"]
        elif hasattr(cp, "kind"):
            x, y, kind = cp.x, cp.y, cp.kind
        else:
            x, y, kind = cp[0], cp[1], cp[2]
        by_kind.setdefault(str(kind), []).append((float(x), float(y)))
    traces = []
    for kind in ("minimum", "maximum", "saddle", "degenerate"):
        pts = by_kind.get(kind)
        if not pts:
            continue
        a = np.array(pts)
        sym = CRITICAL_SYMBOLS[kind]
        line = {"color": "white", "width": 1.5} if sym != "x" else {"color": "black", "width": 1}
        traces.append({
            "type": "scatter", "x": enc(a[:, 0]), "y": enc(a[:, 1]), "mode": "markers", "name": names[kind],
            "legendgroup": "critical",
            "marker": {"symbol": sym, "size": msize, "color": "black" if sym != "x" else "white", "line": line},
            "hovertemplate": names[kind] + " (%{x:.4g}, %{y:.4g})<extra></extra>", "xaxis": axis[0], "yaxis": axis[1],
        })
    return traces
