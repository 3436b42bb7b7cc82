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

Public API: :class:`PathView`, :data:`PALETTE`, :func:`frame_steps`, :func:`surface_image`,
:func:`iso_line_trace`, :func:`colorbar_trace`, :func:`colour_scale_is_log`,
:func:`log_colour_hides_structure`, :func:`race_figure`, :func:`surface_3d_figure`,
:func:`schedule_figure` (the naive baseline of the payload benchmark lives in
tests/figure_demo.py).

Fast path for pages: :func:`race_figure_spec`, :func:`surface_3d_figure_spec`,
:func:`schedule_figure_spec` return the plain figure dict (``{"data", "layout"[, "frames"]}``,
NumPy arrays already as plotly.js typed-array specs) equal to the validated twin's ``to_dict()``,
built from dicts without plotly.py's validation (~10x faster). One builder feeds both twins.
The surface layers (PNG, iso-lines) are memoised on the grid's bytes, so a rerun that changes
only the paths does not redraw them.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import math
import textwrap
import threading
from binascii import b2a_base64
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from ._fig_raster import colour_values, iso_lines, png_data_uri, rgba_image

# Okabe-Ito, ordered for paths on a sequential surface: yellow last (it vanishes on Viridis' top).
PALETTE: tuple[str, ...] = ("#E69F00", "#56B4E9", "#009E73", "#D55E00", "#CC79A7", "#0072B2", "#000000", "#F0E442")
DIVERGED_COLOR = "#D55E00"
CRITICAL_SYMBOLS = {"minimum": "circle", "maximum": "triangle-up", "saddle": "x", "degenerate": "diamond"}
STATUSES = ("converged", "diverged", "budget")
SPEEDS = (0.5, 1.0, 2.0)
BASE_FRAME_MS = 40  # 1x speed: 200 frames in about 8 s
FONT_FAMILY = "Source Sans Pro, Arial, sans-serif"

Window = tuple[float, float, float, float]


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class PathView:
    """One optimizer's run, as the figures need it (steps 0..n, n = len(points) - 1).

    - ``points`` (n+1, 2), ``loss`` (n+1,), ``grad_norm`` (n+1,): at each iterate;
    - ``lr`` (n,), ``effective_step`` (n, 2): of each update (``effective_step[t] =
      points[t+1] - points[t]`` by default);
    - ``status``: "converged" | "diverged" | "budget"; ``stop_step``: the last step (default n).

    Paths may have different lengths: a path that stopped keeps its head at its last point.
    Non-finite points (after a divergence) are allowed; the head stays at the last finite point
    and a diverged path gets a red 'x' there. ``lr``/``grad_norm`` default to NaN (panel empty).
    """

    name: str
    color: str
    points: np.ndarray
    loss: np.ndarray
    lr: np.ndarray | None = None
    effective_step: np.ndarray | None = None
    grad_norm: np.ndarray | None = None
    status: str = "budget"
    stop_step: int | None = None
    dash: str = "solid"
    marker: str = "circle"

    def __post_init__(self):
        pts = np.asarray(self.points, dtype=float).reshape(-1, 2)
        n = len(pts) - 1
        if n < 0:
            raise ValueError(f"path {self.name!r} has no points")
        loss = np.asarray(self.loss, dtype=float).reshape(-1)
        if loss.shape != (n + 1,):
            raise ValueError(f"path {self.name!r}: loss has {loss.size} values for {n + 1} points")
        lr = np.full(n, np.nan) if self.lr is None else np.asarray(self.lr, dtype=float).reshape(-1)
        if self.effective_step is None:
            with np.errstate(all="ignore"):
                eff = np.diff(pts, axis=0)
        else:
            eff = np.asarray(self.effective_step, dtype=float).reshape(-1, 2)
        gn = np.full(n + 1, np.nan) if self.grad_norm is None else np.asarray(self.grad_norm, dtype=float).reshape(-1)
        if lr.shape != (n,) or eff.shape != (n, 2) or gn.shape != (n + 1,):
            raise ValueError(f"path {self.name!r}: lr {lr.shape}, effective_step {eff.shape}, grad_norm {gn.shape} "
                             f"do not fit {n + 1} points")
        if self.status not in STATUSES:
            raise ValueError(f"path {self.name!r}: status must be one of {STATUSES}, not {self.status!r}")
        stop = n if self.stop_step is None else int(self.stop_step)
        for attr, val in (("points", pts), ("loss", loss), ("lr", lr), ("effective_step", eff),
                          ("grad_norm", gn), ("stop_step", stop)):
            object.__setattr__(self, attr, val)

    @property
    def n_steps(self) -> int:
        return len(self.points) - 1

    @property
    def last_finite(self) -> int:
        """Index of the last point whose coordinates are finite (0 if none is)."""
        ok = np.flatnonzero(np.isfinite(self.points).all(axis=1))
        return int(ok[-1]) if ok.size else 0


def frame_steps(last_step: int, max_frames: int = 200) -> np.ndarray:
    """Steps shown by the animation frames: 0, s, 2s, ... and always ``last_step``; at most max_frames."""
    last_step = max(int(last_step), 0)
    max_frames = max(int(max_frames), 2)
    stride = max(1, math.ceil(last_step / (max_frames - 1)))
    steps = np.arange(0, last_step + 1, stride)
    if steps[-1] != last_step:
        steps = np.append(steps, last_step)
    return steps


# --------------------------------------------------------------------------------------------
# Plain-dict figure specs (no plotly.py validation)
# --------------------------------------------------------------------------------------------
# plotly.py's Figure.to_dict() turns every NumPy array into a plotly.js typed-array spec
# (_plotly_utils.utils.to_typed_array_spec). _typed() does the same, so a *_spec builder's dict
# equals what go.Figure(...).to_dict() would return, without the validation (tests prove it).
_PLOTLY_SHORT_TYPES = {"int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2", "int32": "i4",
                       "uint32": "u4", "float32": "f4", "float64": "f8"}
_INT_DOWNCASTS = {"int64": (np.int8, np.int16, np.int32), "uint64": (np.uint8, np.uint16, np.uint32)}


def _typed(a):
    """A NumPy array as plotly.py's ``to_dict()`` emits it: ``{"dtype", "bdata"[, "shape"]}``.

    Same rules as ``_plotly_utils.utils.to_typed_array_spec`` (plotly 6/7): float32 -> "f4",
    float64 -> "f8", (u)int8/16/32 as is, (u)int64 downcast to the smallest (u)int8/16/32 that
    holds its range (else left as a list), ``shape`` "r, c" for ndim > 1; empty or other dtypes
    stay plain lists (what JSON makes of the array plotly.py leaves in place)."""
    a = np.asarray(a)
    if a.size == 0:
        return a.tolist()
    name = str(a.dtype)
    if name in _INT_DOWNCASTS:
        lo, hi = a.min(), a.max()
        for t in _INT_DOWNCASTS[name]:
            info = np.iinfo(t)
            if info.min <= lo and hi <= info.max:
                a = a.astype(t)
                break
        else:
            return a.tolist()
        name = str(a.dtype)
    code = _PLOTLY_SHORT_TYPES.get(name)
    if code is None:
        return a.tolist()
    spec = {"dtype": code, "bdata": base64.b64encode(np.ascontiguousarray(a)).decode("ascii")}
    if a.ndim > 1:
        spec["shape"] = str(a.shape)[1:-1]
    return spec


def _asis(a):
    """Encoder for the validated go.Figure builders: hand the array to plotly.py (which encodes it)."""
    return a


def _template() -> dict:
    """What plotly.py makes of ``template=go.layout.Template()`` (no default template) in to_dict()."""
    return {"data": {"scatter": [{"type": "scatter"}]}}


_COLORSCALES: dict[str, list] = {}


def _colorscale(colorscale) -> list:
    """The colour scale as plotly.py's validator stores it (a name becomes [[pos, colour], ...])."""
    key = repr(colorscale)
    if key not in _COLORSCALES:
        val = go.scatter.Marker(colorscale=colorscale).to_plotly_json()["colorscale"]
        _COLORSCALES[key] = [list(pair) for pair in val]
    return [list(pair) for pair in _COLORSCALES[key]]


@contextmanager
def _gc_paused():
    """No cyclic-GC passes while a spec allocates its ~10^4 small dicts (they all survive: a
    collection would only rescan the app's heap). Only re-enables what it disabled."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _trace(spec: dict):
    """A trace spec (dict with "type") as a validated plotly.py trace object."""
    kw = dict(spec)
    cls = {"scatter": go.Scatter, "scatter3d": go.Scatter3d, "surface": go.Surface}[kw.pop("type")]
    return cls(**kw)


def _validated(spec: dict, fast_frames: bool = True) -> go.Figure:
    """go.Figure from a spec built with ``enc=_asis`` (arrays stay NumPy arrays in fig.data)."""
    fig = go.Figure(data=spec["data"], layout=spec["layout"])
    if spec.get("frames"):
        _attach_frames(fig, spec["frames"], fast_frames)
    return fig


# --------------------------------------------------------------------------------------------
# Surface pieces
# --------------------------------------------------------------------------------------------
def _cell_extent(v: np.ndarray) -> tuple[float, float]:
    """Extent of a pixel row whose pixel CENTRES are the samples v."""
    v = np.asarray(v, dtype=float)
    d = (v[-1] - v[0]) / (len(v) - 1) if len(v) > 1 else 1.0
    return float(v[0] - d / 2), float(v[-1] + d / 2)


def surface_image(xs, ys, Z, log_scale: bool, colorscale="Viridis") -> str:
    """The surface as a ``data:image/png;base64,...`` URI, row 0 = top (largest y).

    Colour = :func:`pages.lib._fig_raster.colour_values`: linear f, or with ``log_scale``
    ``log10(f - f_min + delta)``, ``delta = 1e-6 (f_max - f_min)`` over the finite grid values,
    unless log would hide the surface's structure (:func:`colour_scale_is_log`: then linear).
    NaN/inf cells are transparent (the plot background shows through).
    """
    C, _, _ = colour_values(Z, colour_scale_is_log(Z, log_scale))
    cmin, cmax = _crange(C)
    return png_data_uri(rgba_image(C, cmin, cmax, colorscale))


def _crange(C: np.ndarray) -> tuple[float, float]:
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

    The log scale (:func:`pages.lib._fig_raster.colour_values`) spends ~6 decades of the colour
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
class _SurfaceLayers:
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
    iso_x_spec: object  # _typed(iso_x)
    iso_y_spec: object


_LAYER_CACHE: OrderedDict = OrderedDict()
_LAYER_CACHE_SIZE = 16
_LAYER_LOCK = threading.Lock()


def _surface_layers(xs, ys, Z, log_scale: bool, colorscale="Viridis", n_levels: int = 12) -> _SurfaceLayers:
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
        hit = _LAYER_CACHE.get(key)
        if hit is not None:
            _LAYER_CACHE.move_to_end(key)
            return hit
    drawn_log = colour_scale_is_log(Z, log_scale)
    C, zmin, delta = colour_values(Z, drawn_log)
    cmin, cmax = _crange(C)
    lx, ly = iso_lines(xs, ys, C, _iso_levels(cmin, cmax, n_levels))
    lx, ly = lx.astype(np.float32), ly.astype(np.float32)
    lx.flags.writeable = False
    ly.flags.writeable = False
    layers = _SurfaceLayers(cmin, cmax, zmin, delta, drawn_log, bool(log_scale),
                            png_data_uri(rgba_image(C, cmin, cmax, colorscale)), lx, ly, _typed(lx), _typed(ly))
    with _LAYER_LOCK:
        _LAYER_CACHE[key] = layers
        while len(_LAYER_CACHE) > _LAYER_CACHE_SIZE:
            _LAYER_CACHE.popitem(last=False)
    return layers


def _iso_spec(layers: _SurfaceLayers, enc, width: float = 0.8, xaxis: str = "x", yaxis: str = "y") -> dict:
    if enc is _typed:
        x, y = _copy_spec(layers.iso_x_spec), _copy_spec(layers.iso_y_spec)
    else:
        x, y = layers.iso_x, layers.iso_y
    return {"type": "scatter", "x": x, "y": y, "mode": "lines", "name": "iso-lines",
            "line": {"color": "rgba(255,255,255,0.55)", "width": width}, "hoverinfo": "skip",
            "showlegend": False, "xaxis": xaxis, "yaxis": yaxis}


def _copy_spec(s):
    return dict(s) if isinstance(s, dict) else list(s)


def iso_line_trace(xs, ys, Z, log_scale: bool, n_levels: int = 12, width: float = 0.8,
                   xaxis: str = "x", yaxis: str = "y") -> go.Scatter:
    """~n_levels iso-lines (equally spaced in colour value) as ONE Scatter line trace with NaN gaps."""
    return _trace(_iso_spec(_surface_layers(xs, ys, Z, log_scale, n_levels=n_levels), _asis, width, xaxis, yaxis))


def _fmt(v: float) -> str:
    if v == 0 or not math.isfinite(v):
        return "0" if v == 0 else str(v)
    a = abs(v)
    if 1e-3 <= a < 1e5:
        return f"{v:.3g}"
    return f"{v:.0e}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")


def _colorbar_spec(cmin: float, cmax: float, zmin: float, delta: float, log_scale: bool, colorscale="Viridis",
                   x: float = 1.0, len_: float = 1.0, y: float = 0.5, font_size: int = 14, title: str = "f",
                   requested_log: bool | None = None) -> dict:
    if log_scale:
        tickvals, ticktext = _log_ticks(cmin, cmax, zmin, delta)
    else:
        tickvals = [float(v) for v in np.linspace(cmin, cmax, 6)]
        ticktext = [_fmt(v) for v in tickvals]
    return {
        "type": "scatter", "x": [None], "y": [None], "mode": "markers", "hoverinfo": "skip", "showlegend": False,
        "name": "colour bar",
        "marker": {"size": 0, "color": [cmin, cmax], "cmin": cmin, "cmax": cmax, "colorscale": _colorscale(colorscale),
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
    cmin, cmax = _crange(C)
    return _trace(_colorbar_spec(cmin, cmax, zmin, delta, drawn_log, colorscale, x, len_, y, font_size, title,
                                 requested_log=bool(log_scale)))


def _log_ticks(cmin: float, cmax: float, zmin: float, delta: float, max_ticks: int = 7):
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
        if cmin <= c <= cmax:
            vals.append(c)
            texts.append(_fmt(f))
    if len(vals) > max_ticks:
        step = math.ceil(len(vals) / max_ticks)
        keep = list(range(len(vals) - 1, -1, -step))[::-1]
        vals, texts = [vals[i] for i in keep], [texts[i] for i in keep]
    return vals, texts


def _critical_specs(critical_points, msize: float, enc, axis=("x", "y"), labels=None) -> list[dict]:
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


# --------------------------------------------------------------------------------------------
# Race figure
# --------------------------------------------------------------------------------------------
def _style(big: bool) -> dict:
    s = 1.35 if big else 1.0
    return dict(font=round(15 * s), small=round(13 * s), head=13 * s, crit=11 * s, path=2.0 * s,
                trail=3.5 * s, panel=1.8 * s, iso=0.8 * s, end=14 * s)


def _log_range(arrays, cap_decades: float = 8.0) -> tuple[float, float]:
    """Log10 axis range over positive finite values; top capped cap_decades above the largest start."""
    vals = [a[np.isfinite(a) & (a > 0)] for a in arrays]
    vals = [v for v in vals if v.size]
    if not vals:
        return -1.0, 1.0
    allv = np.concatenate(vals)
    lo, hi = math.log10(float(allv.min())), math.log10(float(allv.max()))
    starts = [float(v[0]) for v in vals]
    hi = min(hi, math.log10(max(starts)) + cap_decades)
    lo = max(lo, hi - 16.0)
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    pad = 0.05 * (hi - lo)
    return lo - pad, hi + pad


def _lin_range(arrays) -> tuple[float, float]:
    vals = [a[np.isfinite(a)] for a in arrays]
    vals = [v for v in vals if v.size]
    if not vals:
        return 0.0, 1.0
    allv = np.concatenate(vals)
    lo, hi = float(allv.min()), float(allv.max())
    if hi - lo < 1e-12 * max(1.0, abs(hi)):
        lo, hi = lo - max(0.5 * abs(lo), 1e-3), hi + max(0.5 * abs(hi), 1e-3)
    pad = 0.06 * (hi - lo)
    return min(lo - pad, 0.0) if lo >= 0 else lo - pad, hi + pad


def _positive(a: np.ndarray) -> np.ndarray:
    """For log panels: non-positive and non-finite values become NaN (a gap)."""
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(a) & (a > 0), a, np.nan)


SYMLOG_DECADES = 8.0  # each side of the symmetric-log loss axis shows at least this many decades


def _symlog_constant(arrays) -> float | None:
    """The linear half-width c of the symmetric-log loss axis, or None when no finite value is
    <= 0 (then the plain log axis shows every finite value).

    c = the smaller over the two signs of max(smallest nonzero |f|, largest |f| * 1e-8), rounded
    down to a power of ten: each side keeps its own decades (a loss that dives to -1e10 does not
    flatten the positive descent before it), and values with |f| < c are drawn linearly."""
    vals = [np.asarray(a, dtype=float) for a in arrays]
    vals = [a[np.isfinite(a)] for a in vals]
    allv = np.concatenate(vals) if vals else np.zeros(0)
    if allv.size == 0 or (allv > 0).all():
        return None
    sides = []
    for side in (allv[allv > 0], -allv[allv < 0]):
        if side.size:
            sides.append(max(float(side.min()), float(side.max()) * 10.0**-SYMLOG_DECADES))
    c = min(sides) if sides else 1.0
    c = 10.0 ** math.floor(math.log10(c)) if c > 0 and math.isfinite(c) else 1.0
    return c if c > 0 else np.finfo(float).tiny  # 10**k underflows below ~1e-323


def _symlog(a, c: float) -> np.ndarray:
    """``sign(f) log10(1 + |f| / c)``: monotone, finite for every finite f (NaN for non-finite)."""
    a = np.asarray(a, dtype=float)
    with np.errstate(all="ignore"):
        t = np.sign(a) * np.log10(1.0 + np.abs(a) / c)
    return np.where(np.isfinite(a) & np.isfinite(t), t, np.nan)


def _symlog_range(arrays, c: float) -> tuple[float, float]:
    """Axis range that shows EVERY finite value of arrays on the symmetric-log axis."""
    vals = [_symlog(a, c) for a in arrays]
    vals = [v[np.isfinite(v)] for v in vals]
    vals = [v for v in vals if v.size]
    if not vals:
        return -1.0, 1.0
    allv = np.concatenate(vals)
    lo, hi = float(allv.min()), float(allv.max())
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    pad = 0.05 * (hi - lo)
    return lo - pad, hi + pad


def _tick_text(f: float) -> str:
    if f == 0:
        return "0"
    a, sign = abs(f), "−" if f < 0 else ""
    if 0.1 <= a <= 100:
        return sign + f"{a:g}"
    return f"{sign}10<sup>{round(math.log10(a))}</sup>"


def _symlog_ticks(lo: float, hi: float, c: float, min_gap: float = 0.2, max_ticks: int = 4):
    """Ticks of the symmetric-log axis at 0 and +-10**k (k >= log10 c), labelled with the TRUE f.
    Greedy: 0, then the largest |f| of each side, then smaller decades, each kept only if it is
    at least ``min_gap`` of the axis height away from the ticks kept (a panel is ~100 px high)."""
    k0 = round(math.log10(c))
    sides = []
    for sign in (1.0, -1.0):
        side = []
        k = k0
        while True:
            f = sign * 10.0**k
            t = float(_symlog(f, c))
            if not math.isfinite(t) or not lo <= t <= hi:
                break
            side.append((t, f))
            k += 1
        sides.append(side[::-1])  # largest |f| first
    candidates = [(0.0, 0.0)] if lo <= 0.0 <= hi else []
    for i in range(max(len(sides[0]), len(sides[1]))):
        candidates += [side[i] for side in sides if i < len(side)]
    kept: list[tuple[float, float]] = []
    for t, f in candidates:
        if len(kept) < max_ticks and all(abs(t - u) >= min_gap * (hi - lo) for u, _ in kept):
            kept.append((t, f))
    kept.sort()
    return [t for t, _ in kept], [_tick_text(f) for _, f in kept]


def _hover(name: str) -> str:
    # step = point index: no step array needs to be sent; customdata = loss
    return (f"<b>{name}</b><br>step %{{pointNumber}}<br>x %{{x:.4g}}<br>y %{{y:.4g}}"
            "<br>loss %{customdata:.4g}<extra></extra>")


def _f4(a) -> np.ndarray:
    """Display precision: float32 halves the payload; 7 digits are plenty on screen."""
    with np.errstate(over="ignore"):
        return np.ascontiguousarray(np.asarray(a, dtype=float), dtype=np.float32)


def _b64(a) -> dict:
    """A plotly.js float32 typed-array spec (what plotly.py emits for a float32 NumPy array)."""
    return {"dtype": "f4", "bdata": base64.b64encode(_f4(a).tobytes()).decode("ascii")}


def _attach_frames(fig: go.Figure, frames: list[dict], fast: bool = True) -> None:
    """Attach frames; ``fast`` skips plotly.py's validation (same JSON as ``fig.frames = frames``,
    ~1 s faster for 6 x 1000 steps). Caveat of the fast path: ``fig.frames[k].name``/``.traces`` work
    but ``fig.frames[k].data`` raises in plotly 7.1; read frames via ``fig.to_plotly_json()["frames"]``."""
    if not fast:
        fig.frames = frames
        return
    objs = tuple(go.Frame(name=f["name"], traces=f["traces"], data=f["data"], _validate=False) for f in frames)
    if hasattr(fig, "_frame_objs"):
        fig._frame_objs = objs
    else:  # pragma: no cover - plotly internals changed: fall back to the validated path
        fig.frames = frames


def _head_index(p: PathView, step: int) -> int:
    return min(int(step), p.stop_step, p.n_steps, p.last_finite)


def _head_trail(p: PathView, step: int, trail: int):
    h = _head_index(p, step)
    seg = p.points[max(0, h - trail): h + 1]
    return seg[:, 0].copy(), seg[:, 1].copy(), p.points[h : h + 1, 0].copy(), p.points[h : h + 1, 1].copy()


class _Edges:
    """Where a path's head is outside the plotted window (see :func:`_edge_states`)."""

    def __init__(self, pts: np.ndarray, outside: np.ndarray, ex, ey, angle, k):
        self.pts, self.outside, self.ex, self.ey, self.angle, self.k = pts, outside, ex, ey, angle, k
        self.first_exit = int(k[int(np.argmax(outside))])

    def get(self, h: int) -> tuple | None:
        """(edge x, edge y, angle, exit step k, x_k, y_k) with the head at index h, None if inside."""
        if not self.outside[h]:
            return None
        k = int(self.k[h])
        return (float(self.ex[h]), float(self.ey[h]), int(self.angle[h]), k,
                float(self.pts[k, 0]), float(self.pts[k, 1]))


def _edge_states(p: PathView, window: Window) -> _Edges | None:
    """Where a path's head is outside the plotted window, for every index h the head can take,
    or None if it never leaves. The edge point is the head clamped onto the window's border;
    its angle (degrees clockwise from up, Plotly's ``marker.angle``) points a triangle from there
    towards the head; k is the first step of the current excursion (the head left the window at
    step k, at (x_k, y_k)). Vectorised: a 5000-step path costs well under a millisecond."""
    xmin, xmax, ymin, ymax = window
    cap = _head_index(p, p.n_steps)
    pts = p.points[: cap + 1]
    x, y = pts[:, 0], pts[:, 1]
    with np.errstate(invalid="ignore"):
        inside = (x >= xmin) & (x <= xmax) & (y >= ymin) & (y <= ymax)
        outside = np.isfinite(pts).all(axis=1) & ~inside
        if not outside.any():
            return None
        sx = (x > xmax).astype(int) - (x < xmin).astype(int)
        sy = (y > ymax).astype(int) - (y < ymin).astype(int)
    angle = np.rint(np.degrees(np.arctan2(sx, sy))).astype(int)
    last_in = np.maximum.accumulate(np.where(inside, np.arange(cap + 1), -1))
    return _Edges(pts, outside, np.clip(x, xmin, xmax), np.clip(y, ymin, ymax), angle, last_in + 1)


def _edge_customdata(h: int, head: tuple[float, float], state: tuple | None) -> list:
    """customdata of a head trace with an edge point: row 0 (the head) unused, row 1 =
    [k, x_k, y_k, h, head x, head y] for the hover "left the window at step k (x_k, y_k)"."""
    if state is None:
        return [None, None]
    _, _, _, k, xk, yk = state
    return [None, [k, _num(xk), _num(yk), int(h), _num(head[0]), _num(head[1])]]


def _num(v: float) -> float | None:
    return float(f"{v:.6g}") if math.isfinite(v) else None  # JSON has no NaN


def _edge_note(p: PathView, edges: _Edges, words: Mapping[str, str]) -> str:
    return words["left_window_note"].format(name=p.name, k=edges.first_exit)


PANELS = (  # (key, title, axis suffix); the title is the English default of FIGURE_LABELS[key]
    ("loss", "loss f(θ_t)", 2),
    ("lr", "learning rate η_t", 3),
    ("step", "effective step |Δθ_t|  (— x, ··· y)", 4),
    ("grad", "gradient norm ‖∇f(θ_t)‖", 5),
)

# Words drawn inside the figures. Pages pass their language's table as ``labels`` (see
# pages/lib/text.py FIGURE); missing keys fall back to these. Play/Pause stay as they are: the
# ▶ and ❚❚ glyphs read in any language, and presenter mode's autoplay finds the button by them.
FIGURE_LABELS = {
    **{key: title for key, title, _ in PANELS},
    "step_axis": "step",
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


def race_figure_spec(xs, ys, Z, paths: Sequence[PathView], *, log_scale: bool, window: Window | None = None,
                     max_frames: int = 200, trail: int = 12, critical_points: Iterable = (), panels: bool = True,
                     log_loss: bool = True, height: int = 620, big: bool = False, colorscale="Viridis",
                     xlabel: str = "x", ylabel: str = "y", title: str | None = None,
                     fast_frames: bool = True, labels: Mapping[str, str] | None = None) -> dict:
    """:func:`race_figure` as the plain figure dict ``{"data", "layout", "frames"}`` that
    ``race_figure(...).to_dict()`` returns (arrays as typed-array specs), built without plotly.py.

    Same signature and content (``fast_frames`` is accepted and ignored: nothing is validated).
    About 10x faster than building and serialising the go.Figure; what pages should cache and
    hand to ``st.plotly_chart`` (via a figure whose ``to_dict()`` returns it). Treat it as
    read-only: parts of it (iso-lines, colour scale lists aside) may be shared between calls.
    """
    del fast_frames
    with _gc_paused():
        return _race_dict(xs, ys, Z, paths, log_scale=log_scale, window=window, max_frames=max_frames,
                          trail=trail, critical_points=critical_points, panels=panels, log_loss=log_loss,
                          height=height, big=big, colorscale=colorscale, xlabel=xlabel, ylabel=ylabel, title=title,
                          enc=_typed, labels=labels)


def race_figure(xs, ys, Z, paths: Sequence[PathView], *, log_scale: bool, window: Window | None = None,
                max_frames: int = 200, trail: int = 12, critical_points: Iterable = (), panels: bool = True,
                log_loss: bool = True, height: int = 620, big: bool = False, colorscale="Viridis",
                xlabel: str = "x", ylabel: str = "y", title: str | None = None,
                fast_frames: bool = True, labels: Mapping[str, str] | None = None) -> go.Figure:
    """The playground's animated race: surface + paths (left, the hero) + side panels (right).

    Trace order (constant; the frames update only the LAST traces):
    ``[colour bar, iso-lines, critical points by kind..., for each path: full path (faint),
    diverged end marker (if diverged); panel lines...; ANIMATED: for each path: trail, head;
    then one cursor line per panel]``. ``fig.layout.meta["animated_traces"]`` lists the animated
    indices (also split as ``meta["trail_traces"]``, ``["head_traces"]``, ``["cursor_traces"]``),
    ``meta["frame_steps"]`` the step of each frame (frame names are the step numbers).

    Nothing finite is hidden (issue 10): a log loss panel with a loss <= 0 becomes a symmetric-log
    axis (ticks and hover show the true loss); a log colour scale that would crowd the surface
    into a few colours is drawn linear (:func:`colour_scale_is_log`, with a note); and a path
    whose head leaves the window gets an edge marker: its head trace carries a SECOND point, the
    head clamped onto the window's border (a triangle pointing at the head, NaN while the head is
    inside), listed in ``meta["edge_traces"]``, plus a note on the map saying when it left.

    Frame data arrays are float32 base64 typed-array specs. With ``fast_frames`` (default) the
    frames skip plotly.py validation: inspect them with ``fig.to_plotly_json()["frames"]``, not
    ``fig.frames[k].data`` (see :func:`_attach_frames`).

    The validated twin of :func:`race_figure_spec` (one builder, :func:`_race_dict`):
    ``race_figure(...).to_dict() == race_figure_spec(...)`` (same JSON). Building and validating
    costs ~10x more; use the spec in pages, this in notebooks/tests or to edit the figure.
    """
    spec = _race_dict(xs, ys, Z, paths, log_scale=log_scale, window=window, max_frames=max_frames, trail=trail,
                      critical_points=critical_points, panels=panels, log_loss=log_loss, height=height, big=big,
                      colorscale=colorscale, xlabel=xlabel, ylabel=ylabel, title=title, enc=_asis, labels=labels)
    return _validated(spec, fast_frames)


def _race_dict(xs, ys, Z, paths, *, log_scale, window, max_frames, trail, critical_points, panels, log_loss,
               height, big, colorscale, xlabel, ylabel, title, enc, labels=None) -> dict:
    """The race figure as a dict; arrays encoded by ``enc`` (:func:`_typed` for the spec,
    :func:`_asis` to leave NumPy arrays to plotly.py). Frames always carry float32 typed arrays.
    ``labels`` overrides words of :data:`FIGURE_LABELS` (panel titles, kinds, "step")."""
    paths = list(paths)
    words = figure_labels_with(labels)
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    Z = np.asarray(Z, dtype=float)
    if window is None:
        window = (float(xs[0]), float(xs[-1]), float(ys[0]), float(ys[-1]))
    xmin, xmax, ymin, ymax = (float(v) for v in window)
    st = _style(big)
    last = max([_head_index(p, p.n_steps) for p in paths] or [0])
    steps = frame_steps(last, max_frames)
    layers = _surface_layers(xs, ys, Z, log_scale, colorscale)

    # geometry (paper coordinates): main plot left, colour bar, panels right
    main_dom = (0.0, 0.60) if panels else (0.0, 0.90)
    cbar_x = main_dom[1] + 0.01
    panel_dom = (0.73, 1.0)
    top = 0.90  # leave room for the legend above
    traces: list[dict] = [_colorbar_spec(layers.cmin, layers.cmax, layers.zmin, layers.delta, layers.log_scale,
                                         colorscale, x=cbar_x, len_=top, y=top / 2, font_size=st["font"],
                                         requested_log=layers.requested_log)]
    notes = [words["colour_linear"]] if layers.requested_log and not layers.log_scale else []
    edges = [_edge_states(p, (xmin, xmax, ymin, ymax)) for p in paths]
    notes += [_edge_note(p, e, words) for p, e in zip(paths, edges) if e is not None]
    traces.append(_iso_spec(layers, enc, width=st["iso"]))
    traces += _critical_specs(critical_points, st["crit"], enc, labels=words)

    cols = [(_f4(p.points[:, 0]), _f4(p.points[:, 1])) for p in paths]  # float32 x, y columns
    for p, (px, py) in zip(paths, cols):
        traces.append({
            "type": "scatter", "x": enc(px), "y": enc(py), "customdata": enc(_f4(p.loss)), "mode": "lines",
            "name": p.name, "legendgroup": p.name, "line": {"color": p.color, "width": st["path"], "dash": p.dash},
            "opacity": 0.55, "hovertemplate": _hover(p.name), "showlegend": True})
        if p.status == "diverged":
            k = p.last_finite
            traces.append({
                "type": "scatter", "x": enc(p.points[k : k + 1, 0]), "y": enc(p.points[k : k + 1, 1]),
                "mode": "markers", "legendgroup": p.name, "name": f"{p.name} diverged", "showlegend": False,
                "cliponaxis": False,
                "marker": {"symbol": "x", "size": st["end"], "color": DIVERGED_COLOR,
                           "line": {"color": "white", "width": 1.5}},
                "hovertemplate": f"<b>{p.name}</b> {words['diverged'].format(k=k)}<extra></extra>"})

    panel_ranges: dict[str, tuple[float, float]] = {}
    # Each panel's y axis: "log", "linear", or ("symlog", c) for a log loss axis that would
    # otherwise drop losses <= 0 (every finite loss stays visible; hover shows the true loss).
    axis_kinds: dict[str, object] = {"loss": "log" if log_loss else "linear", "lr": "linear", "step": "log",
                                     "grad": "log"}
    if panels:
        c = _symlog_constant([p.loss for p in paths]) if log_loss else None
        if c is not None:
            axis_kinds["loss"] = ("symlog", c)
        series = {
            "loss": [(p, None, _positive(p.loss) if axis_kinds["loss"] == "log" else p.loss) for p in paths],
            "lr": [(p, None, p.lr) for p in paths],
            "step": [(p, d, _positive(np.abs(p.effective_step[:, k])))
                     for p in paths for k, d in ((0, "solid"), (1, "dot"))],
            "grad": [(p, None, _positive(p.grad_norm)) for p in paths],
        }
        for key, _, ax in PANELS:
            arrs = [a for _, _, a in series[key]]
            kind = axis_kinds[key]
            if kind == "log":
                panel_ranges[key] = _log_range(arrs)
            elif kind == "linear":
                panel_ranges[key] = _lin_range(arrs)
            else:
                panel_ranges[key] = _symlog_range(arrs, kind[1])
            for p, dash, a in series[key]:
                trace = {
                    "type": "scatter", "x0": 0, "dx": 1, "y": enc(_f4(a)), "mode": "lines",
                    "line": {"color": p.color, "width": st["panel"], "dash": dash or "solid"}, "legendgroup": p.name,
                    "name": p.name, "showlegend": False, "xaxis": f"x{ax}", "yaxis": f"y{ax}",
                    "hovertemplate": f"<b>{p.name}</b> step %{{x:d}}: %{{y:.3g}}<extra></extra>"}
                if isinstance(kind, tuple):  # drawn at symlog(f); the hover shows f itself
                    trace.update(y=enc(_f4(_symlog(a, kind[1]))), customdata=enc(_f4(a)),
                                 hovertemplate=f"<b>{p.name}</b> step %{{x:d}}: %{{customdata:.4g}}<extra></extra>")
                traces.append(trace)

    # animated traces: trail + head per path, one cursor per panel
    # A path whose head is outside the window: its head trace gets a SECOND point, the edge
    # marker (NaN while the head is inside), so the animated traces keep their layout.
    first_anim = len(traces)
    for p, (px, py), edge in zip(paths, cols, edges):
        h = _head_index(p, 0)
        a = max(0, h - trail)
        traces.append({"type": "scatter", "x": enc(px[a : h + 1]), "y": enc(py[a : h + 1]), "mode": "lines",
                       "line": {"color": p.color, "width": st["trail"]}, "legendgroup": p.name, "name": p.name,
                       "showlegend": False, "hoverinfo": "skip"})
        head_hover = f"<b>{p.name}</b> (%{{x:.4g}}, %{{y:.4g}})<extra></extra>"
        head = {"type": "scatter", "x": enc(px[h : h + 1]), "y": enc(py[h : h + 1]), "mode": "markers",
                "legendgroup": p.name, "name": p.name, "showlegend": False, "cliponaxis": False,
                "marker": {"symbol": p.marker, "size": st["head"], "color": p.color,
                           "line": {"color": "black", "width": 1.5}},
                "hovertemplate": head_hover}
        if edge is not None:
            ex, ey, angle, cd = _edge_point(edge, h, px, py)
            edge_hover = (f"<b>{p.name}</b> " + words["left_window"].format(k="%{customdata[0]}")
                          + " (%{customdata[1]:.4g}, %{customdata[2]:.4g})<br>" + words["step_axis"]
                          + " %{customdata[3]}: (%{customdata[4]:.4g}, %{customdata[5]:.4g})<extra></extra>")
            head.update(x=enc(_f4([px[h], ex])), y=enc(_f4([py[h], ey])), customdata=cd,
                        hovertemplate=[head_hover, edge_hover])
            head["marker"].update(symbol=[p.marker, "triangle-up"], angle=[0, angle],
                                  size=[st["head"], round(1.3 * st["head"], 2)])
        traces.append(head)
    if panels:
        for key, _, ax in PANELS:
            lo, hi = panel_ranges[key]
            log_ax = axis_kinds[key] == "log"
            cy = np.array([10**lo, 10**hi] if log_ax else [lo, hi])
            traces.append({"type": "scatter", "x": enc(np.zeros(2, dtype=np.float32)), "y": enc(_f4(cy)),
                           "mode": "lines", "line": {"color": "#444", "width": 1.2}, "hoverinfo": "skip",
                           "showlegend": False, "name": "step cursor", "xaxis": f"x{ax}", "yaxis": f"y{ax}"})
    anim_idx = list(range(first_anim, len(traces)))

    frames = _race_frames(paths, cols, steps, trail, panels, anim_idx, edges)
    layout = _race_layout(xs, ys, layers, (xmin, xmax, ymin, ymax), steps, st, panels, panel_ranges, axis_kinds,
                          main_dom, panel_dom, top, height, xlabel, ylabel, title, anim_idx, len(paths), words)
    if notes:  # what the figure cannot show by itself, in the page's language, in a corner of the map
        layout.setdefault("annotations", []).append(
            _note_annotation(notes, paths, edges, (xmin, xmax, ymin, ymax), st["small"]))
    edge_heads = [layout["meta"]["head_traces"][i] for i, e in enumerate(edges) if e is not None]
    if edge_heads:
        layout["meta"]["edge_traces"] = edge_heads
    return {"data": traces, "layout": layout, "frames": frames} if frames else {"data": traces, "layout": layout}


NOTE_WIDTH = 44  # characters per line of a note on the map (it must fit a narrow column)


def _note_annotation(notes, paths, edges, window: Window, font_size: float) -> dict:
    """One box of notes inside the map, in the corner whose box covers the fewest path points
    (an edge marker counts 100) -- bottom left when several tie; each note wrapped at NOTE_WIDTH
    characters. The box size is estimated in fractions of the map (no text metrics here)."""
    xmin, xmax, ymin, ymax = window
    lines = [line for note in notes for line in textwrap.wrap(note, NOTE_WIDTH)]
    box_w = min(1.0, 0.62 * max(len(line) for line in lines) / NOTE_WIDTH)
    box_h = min(1.0, 0.045 * len(lines) + 0.02)

    def unit(x, y):  # window coordinates -> [0, 1]^2 (NaN and far-away points fall outside)
        return (np.asarray(x, dtype=float) - xmin) / (xmax - xmin), (np.asarray(y, dtype=float) - ymin) / (ymax - ymin)

    heads = [p.points[: _head_index(p, p.n_steps) + 1] for p in paths]
    u, v = unit(*np.concatenate(heads).T) if heads else unit([], [])
    marks = [unit(e.ex[e.outside], e.ey[e.outside]) for e in edges if e is not None]
    mu, mv = (np.concatenate([m[0] for m in marks]), np.concatenate([m[1] for m in marks])) if marks else unit([], [])

    def covered(a, b, x_side, y_side) -> int:
        with np.errstate(invalid="ignore"):
            in_u = (a >= 0) & (a <= box_w) if x_side == "left" else (a >= 1 - box_w) & (a <= 1)
            in_v = (b >= 0) & (b <= box_h) if y_side == "bottom" else (b >= 1 - box_h) & (b <= 1)
        return int((in_u & in_v).sum())

    corners = (("left", "bottom"), ("right", "bottom"), ("left", "top"), ("right", "top"))
    x_side, y_side = min(corners, key=lambda c: covered(u, v, *c) + 100 * covered(mu, mv, *c))  # first on ties
    return {"text": "<br>".join(lines), "xref": "x domain", "yref": "y domain",
            "x": 0.01 if x_side == "left" else 0.99, "y": 0.01 if y_side == "bottom" else 0.99,
            "xanchor": x_side, "yanchor": y_side, "align": x_side, "showarrow": False,
            "bgcolor": "rgba(255,255,255,0.85)", "bordercolor": "#888", "borderwidth": 1,
            "font": {"size": font_size, "color": "#222"}}


def _f4_bytes(b: bytes) -> dict:
    """Typed-array spec of float32 data given as raw bytes."""
    return {"dtype": "f4", "bdata": b2a_base64(b, newline=False).decode("ascii")}


def _edge_point(edge: _Edges, h: int, px, py) -> tuple[float, float, int, list]:
    """(edge x, edge y, angle, customdata) of the edge marker with the head at index h (NaN, no
    data when the head is inside the window)."""
    state = edge.get(h)
    if state is None:
        return math.nan, math.nan, 0, _edge_customdata(h, (px[h], py[h]), None)
    return state[0], state[1], state[2], _edge_customdata(h, (float(px[h]), float(py[h])), state)


def _race_frames(paths, cols, steps, trail, panels, anim_idx, edges=None) -> list[dict]:
    """One frame per step in ``steps``: for each path its trail and head (float32 typed arrays),
    then the panel cursors at x = step. The hot loop of the spec (thousands of tiny arrays):
    base64 straight from byte slices of each path's float32 columns; a state shared by several
    frames (a path that stopped) is encoded once and shared. A path with ``edges[i]`` (its head
    leaves the window) has a two-point head: the head and its edge marker (with its angle and
    hover data), NaN while the head is inside."""
    steps_list = [int(s) for s in steps]
    edges = edges or [None] * len(paths)
    per_path = []
    for p, (px, py), edge in zip(paths, cols, edges):
        cap = min(p.stop_step, p.n_steps, p.last_finite)  # = _head_index(p, s) for every s
        xb, yb = px.tobytes(), py.tobytes()
        memo: dict[int, tuple[dict, dict]] = {}
        states = []
        for s in steps_list:
            h = s if s < cap else cap
            pair = memo.get(h)
            if pair is None:
                a = 4 * max(0, h - trail)
                e = 4 * (h + 1)
                head = {"type": "scatter", "x": _f4_bytes(xb[e - 4 : e]), "y": _f4_bytes(yb[e - 4 : e])}
                if edge is not None:
                    ex, ey, angle, cd = _edge_point(edge, h, px, py)
                    head = {"type": "scatter", "x": _b64([px[h], ex]), "y": _b64([py[h], ey]), "customdata": cd,
                            "marker": {"angle": [0, angle]}}
                pair = ({"type": "scatter", "x": _f4_bytes(xb[a:e]), "y": _f4_bytes(yb[a:e])}, head)
                memo[h] = pair
            states.append(pair)
        per_path.append(states)
    cursors = np.repeat(np.asarray(steps, dtype=float), 2).astype(np.float32).tobytes() if panels else b""
    frames = []
    for i, s in enumerate(steps_list):
        data = []
        for states in per_path:
            data.extend(states[i])
        if panels:
            cursor = _f4_bytes(cursors[8 * i : 8 * i + 8])
            data.extend({"type": "scatter", "x": cursor} for _ in PANELS)
        frames.append({"name": str(s), "data": data, "traces": anim_idx})
    return frames


def _race_layout(xs, ys, layers: _SurfaceLayers, window, steps, st, panels, panel_ranges, axis_kinds, main_dom,
                 panel_dom, top, height, xlabel, ylabel, title, anim_idx, n_paths, words=FIGURE_LABELS) -> dict:
    xmin, xmax, ymin, ymax = window
    x0, x1 = _cell_extent(xs)
    y0, y1 = _cell_extent(ys)

    def axis_common():
        return {"showgrid": False, "zeroline": False, "ticks": "outside", "showline": True, "linecolor": "#444",
                "mirror": True, "tickfont": {"size": st["small"]}}

    aspect = (xmax - xmin) / (ymax - ymin) if ymax > ymin else 1.0
    equal = 0.4 <= aspect <= 2.5  # equal aspect only where it does not waste most of the plot
    layout = {
        "template": _template(),
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 40 if title is None else 70, "b": 105 if panels else 165},
        "paper_bgcolor": "white", "plot_bgcolor": "#f2f2f2",
        "font": {"family": FONT_FAMILY, "size": st["font"], "color": "#222"},
        "hoverlabel": {"font": {"size": st["small"]}},
        "hovermode": "closest",
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0.0, "xanchor": "left", "y": 1.0, "yanchor": "bottom",
                   "font": {"size": st["font"]}, "bgcolor": "rgba(255,255,255,0.85)", "itemsizing": "constant"},
        "xaxis": {**axis_common(), "domain": list(main_dom), "range": [xmin, xmax],
                  "title": {"text": xlabel, "standoff": 2},
                  "constrain": "domain", "constraintoward": "right"},  # hug the colour bar
        "yaxis": {**axis_common(), "domain": [0.0, top], "range": [ymin, ymax],
                  "title": {"text": ylabel, "standoff": 4},
                  "constrain": "domain", **({"scaleanchor": "x", "scaleratio": 1} if equal else {})},
        "images": [{"source": layers.image, "xref": "x", "yref": "y", "x": x0, "y": y1, "sizex": x1 - x0,
                    "sizey": y1 - y0, "xanchor": "left", "yanchor": "top", "sizing": "stretch", "layer": "below",
                    "opacity": 0.9}],
        "meta": {"animated_traces": list(anim_idx), "frame_steps": [int(s) for s in steps],
                 "trail_traces": [anim_idx[2 * k] for k in range(n_paths)],
                 "head_traces": [anim_idx[2 * k + 1] for k in range(n_paths)],
                 "cursor_traces": anim_idx[2 * n_paths:]},
    }
    if title:
        layout["title"] = {"text": title, "x": 0.0, "xanchor": "left", "font": {"size": st["font"] + 3}}
    annotations = []
    if panels:
        n = len(PANELS)
        gap = 0.075
        h = (top - gap * (n - 1)) / n
        last_step = float(steps[-1]) if len(steps) else 1.0
        for r, (key, _, ax) in enumerate(PANELS):
            y_hi = round(top - r * (h + gap), 6)
            y_lo = round(max(0.0, y_hi - h), 6)
            kind = axis_kinds[key]
            log_ax = kind == "log"
            layout[f"xaxis{ax}"] = {**axis_common(), "domain": list(panel_dom), "anchor": f"y{ax}",
                                    "range": [0, max(last_step, 1.0)], "showticklabels": (r == n - 1),
                                    "title": {"text": words["step_axis"], "standoff": 2} if r == n - 1 else {"standoff": 2}}
            layout[f"yaxis{ax}"] = {**axis_common(), "domain": [y_lo, y_hi], "anchor": f"x{ax}",
                                    "range": list(panel_ranges[key]), "type": "log" if log_ax else "linear",
                                    "nticks": 4, "exponentformat": "power" if log_ax else "B"}
            panel_title = words[key]
            if isinstance(kind, tuple):  # symmetric log: ticks at 0 and +-10**k, labelled with f itself
                tv, tt = _symlog_ticks(*panel_ranges[key], kind[1])
                layout[f"yaxis{ax}"].update(tickmode="array", tickvals=tv, ticktext=tt)
                panel_title = words["loss_symlog"].format(c=_tick_text(kind[1]))
            annotations.append({"text": panel_title, "xref": "paper", "yref": "paper", "x": panel_dom[0], "y": y_hi,
                                "xanchor": "left", "yanchor": "bottom", "showarrow": False,
                                "font": {"size": st["small"]}})
    if annotations:  # plotly.py drops an empty list (and None values): so does the spec
        layout["annotations"] = annotations
    dur = BASE_FRAME_MS

    def play_args(ms):
        return [None, {"frame": {"duration": ms, "redraw": False}, "fromcurrent": True, "mode": "immediate",
                       "transition": {"duration": 0}}]

    pause_args = [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate",
                           "transition": {"duration": 0}}]
    layout["updatemenus"] = [
        {"type": "buttons", "direction": "left", "showactive": False, "x": 0.0, "xanchor": "left", "y": -0.085,
         "yanchor": "top", "pad": {"t": 0, "r": 6}, "font": {"size": st["font"]}, "bgcolor": "#ffffff",
         "bordercolor": "#888",
         "buttons": [{"label": "▶ Play", "method": "animate", "args": play_args(dur)},
                     {"label": "❚❚ Pause", "method": "animate", "args": pause_args}]},
        {"type": "buttons", "direction": "left", "showactive": True, "active": 1, "x": main_dom[1],
         "xanchor": "right", "y": -0.085, "yanchor": "top", "pad": {"t": 0}, "font": {"size": st["small"]},
         "bgcolor": "#ffffff", "bordercolor": "#888",
         "buttons": [{"label": f"{sp:g}×", "method": "animate", "args": play_args(int(round(dur / sp)))}
                     for sp in SPEEDS]},
    ]
    slider_steps = [{"label": str(int(s)), "method": "animate",
                     "args": [[str(int(s))], {"mode": "immediate", "frame": {"duration": 0, "redraw": False},
                                              "transition": {"duration": 0}}]} for s in steps]
    # Beside the panels the figure is wide enough for Play/Pause, the slider and the speeds on one
    # row; alone (panels=False) it usually sits in a narrow column, where the speed buttons
    # would cover the slider: there the slider gets its own row under the buttons.
    one_row = panels
    layout["sliders"] = [{
        "active": 0, "steps": slider_steps, "x": 0.22 if one_row else 0.0,
        "len": main_dom[1] - 0.22 - 0.12 if one_row else main_dom[1], "xanchor": "left",
        "y": -0.07 if one_row else -0.2, "yanchor": "top", "pad": {"t": 0, "b": 0}, "ticklen": 0, "minorticklen": 0, "tickwidth": 0,
        "font": {"color": "rgba(0,0,0,0)", "size": 8},  # one label per frame would be unreadable: hide them
        "currentvalue": {"prefix": words["slider"], "visible": True, "xanchor": "left",
                         "font": {"size": st["font"], "color": "#222"}},
        "transition": {"duration": 0}, "bgcolor": "#ddd", "activebgcolor": "#0072B2", "bordercolor": "#888"}]
    return layout


# --------------------------------------------------------------------------------------------
# Other figures
# --------------------------------------------------------------------------------------------
def _downsample(xs, ys, Z, n_max: int):
    sx = max(1, math.ceil(len(xs) / n_max))
    sy = max(1, math.ceil(len(ys) / n_max))
    return xs[::sx], ys[::sy], Z[::sy, ::sx]


def surface_3d_figure_spec(xs, ys, Z, paths: Sequence[PathView], log_scale: bool, *, colorscale="Viridis",
                           height: int = 560, big: bool = False, n_max: int = 100, xlabel: str = "x",
                           ylabel: str = "y") -> dict:
    """:func:`surface_3d_figure` as the plain dict its ``to_dict()`` returns, without plotly.py."""
    return _surface_3d_dict(xs, ys, Z, paths, log_scale, colorscale, height, big, n_max, xlabel, ylabel, _typed)


def surface_3d_figure(xs, ys, Z, paths: Sequence[PathView], log_scale: bool, *, colorscale="Viridis",
                      height: int = 560, big: bool = False, n_max: int = 100, xlabel: str = "x",
                      ylabel: str = "y") -> go.Figure:
    """Static 3D surface (grid downsampled to <= n_max per axis) with full paths lifted slightly above it.

    With ``log_scale`` the height is ``log10(f - f_min + delta)`` (as the 2D colours, and like them
    linear where :func:`colour_scale_is_log` says log would hide structure); z-axis ticks show f
    values. No frames: gl3d would need ``redraw: True`` for every frame.
    Validated twin of :func:`surface_3d_figure_spec`.
    """
    return _validated(_surface_3d_dict(xs, ys, Z, paths, log_scale, colorscale, height, big, n_max, xlabel,
                                       ylabel, _asis))


def _surface_3d_dict(xs, ys, Z, paths, log_scale, colorscale, height, big, n_max, xlabel, ylabel, enc) -> dict:
    st = _style(big)
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    Z = np.asarray(Z, dtype=float)
    log_scale = colour_scale_is_log(Z, log_scale)  # as the 2D view: linear where log hides structure
    C, zmin, delta = colour_values(Z, log_scale)
    cmin, cmax = _crange(C)
    dx, dy, dC = _downsample(xs, ys, C, n_max)
    lift = 0.01 * (cmax - cmin)
    traces = [{"type": "surface", "x": enc(dx), "y": enc(dy),
               "z": enc(np.where(np.isfinite(dC), dC, np.nan).astype(np.float32)),
               "colorscale": _colorscale(colorscale), "cmin": cmin, "cmax": cmax, "showscale": False,
               "opacity": 0.95, "hoverinfo": "skip", "contours": {"z": {"show": False}}}]
    for p in paths:
        loss = p.loss
        if log_scale:
            with np.errstate(all="ignore"):
                z = np.log10(np.maximum(loss - zmin, 0.0) + delta)
        else:
            z = loss.copy()
        inside = ((p.points[:, 0] >= xs[0]) & (p.points[:, 0] <= xs[-1]) & (p.points[:, 1] >= ys[0])
                  & (p.points[:, 1] <= ys[-1]) & np.isfinite(z))
        z = np.where(inside, np.clip(z, cmin, cmax) + lift, np.nan)
        px = np.where(inside, p.points[:, 0], np.nan)
        py = np.where(inside, p.points[:, 1], np.nan)
        traces.append({"type": "scatter3d", "x": enc(px), "y": enc(py), "z": enc(z), "mode": "lines",
                       "name": p.name, "legendgroup": p.name,
                       "line": {"color": p.color, "width": st["path"] * 3},
                       "customdata": enc(np.column_stack([np.arange(p.n_steps + 1, dtype=float), p.loss])),
                       "hovertemplate": _hover(p.name)})
        ok = np.flatnonzero(inside)
        if ok.size:
            k = ok[-1]
            end_sym = "x" if p.status == "diverged" else "circle"
            traces.append({"type": "scatter3d", "x": enc(px[k : k + 1]), "y": enc(py[k : k + 1]),
                           "z": enc(z[k : k + 1]), "mode": "markers", "legendgroup": p.name, "showlegend": False,
                           "name": p.name, "hoverinfo": "skip",
                           "marker": {"size": st["head"] / 2, "symbol": end_sym,
                                      "color": DIVERGED_COLOR if p.status == "diverged" else p.color,
                                      "line": {"color": "black", "width": 2}}})
    zaxis = {"title": {"text": "f"}}
    if log_scale:
        tv, tt = _log_ticks(cmin, cmax, zmin, delta)
        zaxis.update(tickvals=tv, ticktext=tt, title={"text": "f (log)"})
    layout = {
        "template": _template(), "height": height, "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "font": {"family": FONT_FAMILY, "size": st["font"], "color": "#222"}, "paper_bgcolor": "white",
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "font": {"size": st["font"]}},
        "scene": {"xaxis": {"title": {"text": xlabel}}, "yaxis": {"title": {"text": ylabel}}, "zaxis": zaxis,
                  "aspectmode": "manual", "aspectratio": {"x": 1, "y": 1, "z": 0.6},
                  "camera": {"eye": {"x": 1.5, "y": -1.5, "z": 1.1}}},
    }
    return {"data": traces, "layout": layout}


def schedule_figure_spec(lrs: Mapping[str, tuple], *, height: int = 220, big: bool = False,
                         log_y: bool = False, xlabel: str = "step") -> dict:
    """:func:`schedule_figure` as the plain dict its ``to_dict()`` returns, without plotly.py."""
    return _schedule_dict(lrs, height, big, log_y, _typed, xlabel)


def schedule_figure(lrs: Mapping[str, tuple], *, height: int = 220, big: bool = False,
                    log_y: bool = False, xlabel: str = "step") -> go.Figure:
    """Small lr-vs-step plot: ``lrs = {name: (lr_array, colour)}`` (step counted from 0).
    Validated twin of :func:`schedule_figure_spec`."""
    return _validated(_schedule_dict(lrs, height, big, log_y, _asis, xlabel))


def _schedule_dict(lrs, height, big, log_y, enc, xlabel="step") -> dict:
    st = _style(big)
    traces = []
    for name, (arr, color) in lrs.items():
        a = np.asarray(arr, dtype=float)
        traces.append({"type": "scatter", "x": enc(np.arange(a.size, dtype=np.float32)), "y": enc(a),
                       "mode": "lines", "name": name, "line": {"color": color, "width": st["panel"] * 1.2},
                       "hovertemplate": f"<b>{name}</b> step %{{x:d}}: η = %{{y:.4g}}<extra></extra>"})

    def axis():
        return {"showgrid": True, "gridcolor": "#e6e6e6", "zeroline": False, "showline": True, "linecolor": "#444",
                "ticks": "outside", "tickfont": {"size": st["small"]}}

    layout = {"template": _template(), "height": height, "margin": {"l": 55, "r": 10, "t": 10, "b": 40},
              "font": {"family": FONT_FAMILY, "size": st["font"], "color": "#222"}, "paper_bgcolor": "white",
              "plot_bgcolor": "white", "showlegend": len(traces) > 1,
              "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
              "xaxis": {**axis(), "title": {"text": xlabel, "standoff": 2}},
              "yaxis": {**axis(), "title": {"text": "η_t", "standoff": 2}, "type": "log" if log_y else "linear",
                        "rangemode": "tozero" if not log_y else "normal"}}
    return {"data": traces, "layout": layout}
