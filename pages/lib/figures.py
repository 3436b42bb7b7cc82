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
- Same inputs -> byte-identical ``fig.to_json()`` (Streamlit hashes the figure; cache it).

Render with ``st.plotly_chart(fig, key=..., theme=None)`` so the projector styling is kept.

Public API: :class:`PathView`, :data:`PALETTE`, :func:`frame_steps`, :func:`surface_image`,
:func:`iso_line_trace`, :func:`colorbar_trace`, :func:`race_figure`, :func:`surface_3d_figure`,
:func:`schedule_figure`, :func:`naive_race_figure` (benchmark baseline only).
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

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
    ``log10(f - f_min + delta)``, ``delta = 1e-6 (f_max - f_min)`` over the finite grid values.
    NaN/inf cells are transparent (the plot background shows through).
    """
    C, _, _ = colour_values(Z, log_scale)
    cmin, cmax = _crange(C)
    return png_data_uri(rgba_image(C, cmin, cmax, colorscale))


def _crange(C: np.ndarray) -> tuple[float, float]:
    fin = C[np.isfinite(C)]
    if fin.size == 0:
        return 0.0, 1.0
    lo, hi = float(fin.min()), float(fin.max())
    return (lo, hi) if hi > lo else (lo - 0.5, lo + 0.5)


def _iso_levels(cmin: float, cmax: float, n: int = 12) -> np.ndarray:
    return np.linspace(cmin, cmax, n + 2)[1:-1]


def iso_line_trace(xs, ys, Z, log_scale: bool, n_levels: int = 12, width: float = 0.8,
                   xaxis: str = "x", yaxis: str = "y") -> go.Scatter:
    """~n_levels iso-lines (equally spaced in colour value) as ONE Scatter line trace with NaN gaps."""
    C, _, _ = colour_values(Z, log_scale)
    cmin, cmax = _crange(C)
    lx, ly = iso_lines(xs, ys, C, _iso_levels(cmin, cmax, n_levels))
    return go.Scatter(x=lx.astype(np.float32), y=ly.astype(np.float32), mode="lines", name="iso-lines",
                      line=dict(color="rgba(255,255,255,0.55)", width=width), hoverinfo="skip",
                      showlegend=False, xaxis=xaxis, yaxis=yaxis)


def _fmt(v: float) -> str:
    if v == 0 or not math.isfinite(v):
        return "0" if v == 0 else str(v)
    a = abs(v)
    if 1e-3 <= a < 1e5:
        return f"{v:.3g}"
    return f"{v:.0e}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")


def colorbar_trace(Z, log_scale: bool, colorscale="Viridis", x: float = 1.0, len_: float = 1.0,
                   y: float = 0.5, font_size: int = 14, title: str = "f") -> go.Scatter:
    """An invisible scatter whose colour bar matches the image; tick labels show f values."""
    C, zmin, delta = colour_values(Z, log_scale)
    cmin, cmax = _crange(C)
    if log_scale:
        tickvals, ticktext = _log_ticks(cmin, cmax, zmin, delta)
    else:
        tickvals = [float(v) for v in np.linspace(cmin, cmax, 6)]
        ticktext = [_fmt(v) for v in tickvals]
    return go.Scatter(
        x=[None], y=[None], mode="markers", hoverinfo="skip", showlegend=False, name="colour bar",
        marker=dict(size=0, color=[cmin, cmax], cmin=cmin, cmax=cmax, colorscale=colorscale, showscale=True,
                    colorbar=dict(x=x, xanchor="left", y=y, yanchor="middle", len=len_, thickness=14,
                                  outlinewidth=0, tickvals=tickvals, ticktext=ticktext,
                                  tickfont=dict(size=font_size - 2),
                                  title=dict(text=title + (" (log)" if log_scale else ""), side="top",
                                             font=dict(size=font_size - 1)))),
    )


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


def _critical_traces(critical_points, msize: float, axis=("x", "y")) -> list[go.Scatter]:
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
        line = dict(color="white", width=1.5) if sym != "x" else dict(color="black", width=1)
        traces.append(go.Scatter(
            x=a[:, 0], y=a[:, 1], mode="markers", name=kind, legendgroup="critical",
            marker=dict(symbol=sym, size=msize, color="black" if sym != "x" else "white", line=line),
            hovertemplate=kind + " (%{x:.4g}, %{y:.4g})<extra></extra>", xaxis=axis[0], yaxis=axis[1],
        ))
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


def _hover(name: str) -> str:
    # step = point index: no step array needs to be sent; customdata = loss
    return (f"<b>{name}</b><br>step %{{pointNumber}}<br>x %{{x:.4g}}<br>y %{{y:.4g}}"
            "<br>loss %{customdata:.4g}<extra></extra>")


def _f4(a) -> np.ndarray:
    """Display precision: float32 halves the payload; 7 digits are plenty on screen."""
    with np.errstate(over="ignore"):
        return np.ascontiguousarray(np.asarray(a, dtype=float), dtype=np.float32)


def _b64(a) -> dict:
    """A plotly.js typed-array spec (what plotly.py emits for NumPy arrays), built directly: frames
    skip plotly.py's per-array validation, which dominates build time with thousands of arrays."""
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


PANELS = (  # (key, title, axis suffix)
    ("loss", "loss f(θ_t)", 2),
    ("lr", "learning rate η_t", 3),
    ("step", "effective step |Δθ_t|  (— x, ··· y)", 4),
    ("grad", "gradient norm ‖∇f(θ_t)‖", 5),
)


def race_figure(xs, ys, Z, paths: Sequence[PathView], *, log_scale: bool, window: Window | None = None,
                max_frames: int = 200, trail: int = 12, critical_points: Iterable = (), panels: bool = True,
                log_loss: bool = True, height: int = 620, big: bool = False, colorscale="Viridis",
                xlabel: str = "x", ylabel: str = "y", title: str | None = None,
                fast_frames: bool = True) -> go.Figure:
    """The playground's animated race: surface + paths (left, the hero) + side panels (right).

    Trace order (constant; the frames update only the LAST traces):
    ``[colour bar, iso-lines, critical points by kind..., for each path: full path (faint),
    diverged end marker (if diverged); panel lines...; ANIMATED: for each path: trail, head;
    then one cursor line per panel]``. ``fig.layout.meta["animated_traces"]`` lists the animated
    indices (also split as ``meta["trail_traces"]``, ``["head_traces"]``, ``["cursor_traces"]``),
    ``meta["frame_steps"]`` the step of each frame (frame names are the step numbers).

    Frame data arrays are float32 base64 typed-array specs. With ``fast_frames`` (default) the
    frames skip plotly.py validation: inspect them with ``fig.to_plotly_json()["frames"]``, not
    ``fig.frames[k].data`` (see :func:`_attach_frames`).
    """
    paths = list(paths)
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    Z = np.asarray(Z, dtype=float)
    if window is None:
        window = (float(xs[0]), float(xs[-1]), float(ys[0]), float(ys[-1]))
    xmin, xmax, ymin, ymax = (float(v) for v in window)
    st = _style(big)
    last = max([_head_index(p, p.n_steps) for p in paths] or [0])
    steps = frame_steps(last, max_frames)

    # geometry (paper coordinates): main plot left, colour bar, panels right
    main_dom = (0.0, 0.60) if panels else (0.0, 0.90)
    cbar_x = main_dom[1] + 0.01
    panel_dom = (0.73, 1.0)
    top = 0.90  # leave room for the legend above
    traces: list = [colorbar_trace(Z, log_scale, colorscale, x=cbar_x, len_=top, y=top / 2, font_size=st["font"])]
    traces.append(iso_line_trace(xs, ys, Z, log_scale, width=st["iso"]))
    traces += _critical_traces(critical_points, st["crit"])

    for p in paths:
        n = p.n_steps
        traces.append(go.Scatter(
            x=_f4(p.points[:, 0]), y=_f4(p.points[:, 1]), customdata=_f4(p.loss), mode="lines", name=p.name, legendgroup=p.name,
            line=dict(color=p.color, width=st["path"], dash=p.dash), opacity=0.55, hovertemplate=_hover(p.name),
            showlegend=True))
        if p.status == "diverged":
            k = p.last_finite
            traces.append(go.Scatter(
                x=p.points[k : k + 1, 0], y=p.points[k : k + 1, 1], mode="markers", legendgroup=p.name,
                name=f"{p.name} diverged", showlegend=False, cliponaxis=False,
                marker=dict(symbol="x", size=st["end"], color=DIVERGED_COLOR, line=dict(color="white", width=1.5)),
                hovertemplate=f"<b>{p.name}</b> diverged after step {k}<extra></extra>"))

    panel_ranges: dict[str, tuple[float, float]] = {}
    if panels:
        series = {
            "loss": [(p, None, _positive(p.loss) if log_loss else p.loss) for p in paths],
            "lr": [(p, None, p.lr) for p in paths],
            "step": [(p, d, _positive(np.abs(p.effective_step[:, k]))) for p in paths for k, d in ((0, "solid"), (1, "dot"))],
            "grad": [(p, None, _positive(p.grad_norm)) for p in paths],
        }
        log_axes = {"loss": log_loss, "lr": False, "step": True, "grad": True}
        for key, _, ax in PANELS:
            arrs = [a for _, _, a in series[key]]
            panel_ranges[key] = _log_range(arrs) if log_axes[key] else _lin_range(arrs)
            for p, dash, a in series[key]:
                traces.append(go.Scatter(
                    x0=0, dx=1, y=_f4(a), mode="lines",
                    line=dict(color=p.color, width=st["panel"], dash=dash or "solid"), legendgroup=p.name,
                    name=p.name, showlegend=False, xaxis=f"x{ax}", yaxis=f"y{ax}",
                    hovertemplate=f"<b>{p.name}</b> step %{{x:d}}: %{{y:.3g}}<extra></extra>"))

    # animated traces: trail + head per path, one cursor per panel
    first_anim = len(traces)
    for p in paths:
        tx, ty, hx, hy = _head_trail(p, 0, trail)
        traces.append(go.Scatter(x=_f4(tx), y=_f4(ty), mode="lines", line=dict(color=p.color, width=st["trail"]),
                                 legendgroup=p.name, name=p.name, showlegend=False, hoverinfo="skip"))
        traces.append(go.Scatter(x=_f4(hx), y=_f4(hy), mode="markers", legendgroup=p.name, name=p.name, showlegend=False,
                                 cliponaxis=False,
                                 marker=dict(symbol=p.marker, size=st["head"], color=p.color,
                                             line=dict(color="black", width=1.5)),
                                 hovertemplate=f"<b>{p.name}</b> (%{{x:.4g}}, %{{y:.4g}})<extra></extra>"))
    cursor_y = {}
    if panels:
        for key, _, ax in PANELS:
            lo, hi = panel_ranges[key]
            log_ax = key in ("step", "grad") or (key == "loss" and log_loss)
            cy = np.array([10**lo, 10**hi] if log_ax else [lo, hi])
            cursor_y[key] = cy
            traces.append(go.Scatter(x=np.zeros(2, dtype=np.float32), y=_f4(cy), mode="lines", line=dict(color="#444", width=1.2),
                                     hoverinfo="skip", showlegend=False, name="step cursor",
                                     xaxis=f"x{ax}", yaxis=f"y{ax}"))
    anim_idx = list(range(first_anim, len(traces)))

    frames = []
    for s in steps:
        data = []
        for p in paths:
            tx, ty, hx, hy = _head_trail(p, s, trail)
            data.append({"type": "scatter", "x": _b64(tx), "y": _b64(ty)})
            data.append({"type": "scatter", "x": _b64(hx), "y": _b64(hy)})
        if panels:
            cursor = _b64([s, s])
            data.extend({"type": "scatter", "x": cursor} for _ in PANELS)
        frames.append({"name": str(int(s)), "data": data, "traces": anim_idx})

    fig = go.Figure(data=traces)
    _attach_frames(fig, frames, fast_frames)
    _layout(fig, xs, ys, Z, log_scale, (xmin, xmax, ymin, ymax), steps, st, panels, panel_ranges, log_loss,
            main_dom, panel_dom, top, height, colorscale, xlabel, ylabel, title, anim_idx, big, len(paths))
    # cursors start at step 0
    return fig


def _layout(fig, xs, ys, Z, log_scale, window, steps, st, panels, panel_ranges, log_loss, main_dom, panel_dom,
            top, height, colorscale, xlabel, ylabel, title, anim_idx, big, n_paths):
    xmin, xmax, ymin, ymax = window
    x0, x1 = _cell_extent(xs)
    y0, y1 = _cell_extent(ys)
    axis_common = dict(showgrid=False, zeroline=False, ticks="outside", showline=True, linecolor="#444",
                       mirror=True, tickfont=dict(size=st["small"]))
    aspect = (xmax - xmin) / (ymax - ymin) if ymax > ymin else 1.0
    equal = 0.4 <= aspect <= 2.5  # equal aspect only where it does not waste most of the plot
    layout = dict(
        template=go.layout.Template(),
        height=height,
        margin=dict(l=60, r=20, t=40 if title is None else 70, b=105),
        paper_bgcolor="white", plot_bgcolor="#f2f2f2",
        font=dict(family=FONT_FAMILY, size=st["font"], color="#222"),
        hoverlabel=dict(font=dict(size=st["small"])),
        hovermode="closest",
        showlegend=True,
        legend=dict(orientation="h", x=0.0, xanchor="left", y=1.0, yanchor="bottom", font=dict(size=st["font"]),
                    bgcolor="rgba(255,255,255,0.85)", itemsizing="constant"),
        xaxis=dict(axis_common, domain=list(main_dom), range=[xmin, xmax], title=dict(text=xlabel, standoff=2),
                   constrain="domain", constraintoward="right"),  # hug the colour bar
        yaxis=dict(axis_common, domain=[0.0, top], range=[ymin, ymax], title=dict(text=ylabel, standoff=4),
                   constrain="domain", **(dict(scaleanchor="x", scaleratio=1) if equal else {})),
        images=[dict(source=surface_image(xs, ys, Z, log_scale, colorscale), xref="x", yref="y",
                     x=x0, y=y1, sizex=x1 - x0, sizey=y1 - y0, xanchor="left", yanchor="top",
                     sizing="stretch", layer="below", opacity=0.9)],
        meta=dict(animated_traces=anim_idx, frame_steps=[int(s) for s in steps],
                  trail_traces=[anim_idx[2 * k] for k in range(n_paths)],
                  head_traces=[anim_idx[2 * k + 1] for k in range(n_paths)],
                  cursor_traces=anim_idx[2 * n_paths:]),
    )
    if title:
        layout["title"] = dict(text=title, x=0.0, xanchor="left", font=dict(size=st["font"] + 3))
    annotations = []
    if panels:
        n = len(PANELS)
        gap = 0.075
        h = (top - gap * (n - 1)) / n
        last_step = float(steps[-1]) if len(steps) else 1.0
        for r, (key, label, ax) in enumerate(PANELS):
            y_hi = round(top - r * (h + gap), 6)
            y_lo = round(max(0.0, y_hi - h), 6)
            log_ax = key in ("step", "grad") or (key == "loss" and log_loss)
            layout[f"xaxis{ax}"] = dict(axis_common, domain=list(panel_dom), anchor=f"y{ax}",
                                        range=[0, max(last_step, 1.0)], showticklabels=(r == n - 1),
                                        title=dict(text="step" if r == n - 1 else None, standoff=2))
            layout[f"yaxis{ax}"] = dict(axis_common, domain=[y_lo, y_hi], anchor=f"x{ax}",
                                        range=list(panel_ranges[key]), type="log" if log_ax else "linear",
                                        nticks=4, exponentformat="power" if log_ax else "B")
            annotations.append(dict(text=label, xref="paper", yref="paper", x=panel_dom[0], y=y_hi,
                                    xanchor="left", yanchor="bottom", showarrow=False,
                                    font=dict(size=st["small"])))
    layout["annotations"] = annotations
    dur = BASE_FRAME_MS

    def play_args(ms):
        return [None, dict(frame=dict(duration=ms, redraw=False), fromcurrent=True, mode="immediate",
                           transition=dict(duration=0))]

    pause_args = [[None], dict(frame=dict(duration=0, redraw=False), mode="immediate", transition=dict(duration=0))]
    btn_font = dict(size=st["font"])
    layout["updatemenus"] = [
        dict(type="buttons", direction="left", showactive=False, x=0.0, xanchor="left", y=-0.085, yanchor="top",
             pad=dict(t=0, r=6), font=btn_font, bgcolor="#ffffff", bordercolor="#888",
             buttons=[dict(label="▶ Play", method="animate", args=play_args(dur)),
                      dict(label="❚❚ Pause", method="animate", args=pause_args)]),
        dict(type="buttons", direction="left", showactive=True, active=1, x=main_dom[1], xanchor="right", y=-0.085,
             yanchor="top", pad=dict(t=0), font=dict(size=st["small"]), bgcolor="#ffffff", bordercolor="#888",
             buttons=[dict(label=f"{sp:g}×", method="animate", args=play_args(int(round(dur / sp))))
                      for sp in SPEEDS]),
    ]
    slider_steps = [dict(label=str(int(s)), method="animate",
                         args=[[str(int(s))], dict(mode="immediate", frame=dict(duration=0, redraw=False),
                                                  transition=dict(duration=0))]) for s in steps]
    layout["sliders"] = [dict(
        active=0, steps=slider_steps, x=0.22, len=main_dom[1] - 0.22 - 0.12, xanchor="left", y=-0.07,
        yanchor="top", pad=dict(t=0, b=0), ticklen=0, minorticklen=0, tickwidth=0,
        font=dict(color="rgba(0,0,0,0)", size=8),  # one label per frame would be unreadable: hide them
        currentvalue=dict(prefix="step ", visible=True, xanchor="left", font=dict(size=st["font"], color="#222")),
        transition=dict(duration=0), bgcolor="#ddd", activebgcolor="#0072B2", bordercolor="#888")]
    fig.update_layout(layout)


# --------------------------------------------------------------------------------------------
# Other figures
# --------------------------------------------------------------------------------------------
def _downsample(xs, ys, Z, n_max: int):
    sx = max(1, math.ceil(len(xs) / n_max))
    sy = max(1, math.ceil(len(ys) / n_max))
    return xs[::sx], ys[::sy], Z[::sy, ::sx]


def surface_3d_figure(xs, ys, Z, paths: Sequence[PathView], log_scale: bool, *, colorscale="Viridis",
                      height: int = 560, big: bool = False, n_max: int = 100, xlabel: str = "x",
                      ylabel: str = "y") -> go.Figure:
    """Static 3D surface (grid downsampled to <= n_max per axis) with full paths lifted slightly above it.

    With ``log_scale`` the height is ``log10(f - f_min + delta)`` (as the 2D colours); z-axis ticks
    show f values. No frames: gl3d would need ``redraw: True`` for every frame.
    """
    st = _style(big)
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    Z = np.asarray(Z, dtype=float)
    C, zmin, delta = colour_values(Z, log_scale)
    cmin, cmax = _crange(C)
    dx, dy, dC = _downsample(xs, ys, C, n_max)
    lift = 0.01 * (cmax - cmin)
    traces = [go.Surface(x=dx, y=dy, z=np.where(np.isfinite(dC), dC, np.nan).astype(np.float32),
                         colorscale=colorscale, cmin=cmin, cmax=cmax, showscale=False, opacity=0.95,
                         hoverinfo="skip", contours=dict(z=dict(show=False)))]
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
        traces.append(go.Scatter3d(x=px, y=py, z=z, mode="lines", name=p.name, legendgroup=p.name,
                                   line=dict(color=p.color, width=st["path"] * 3),
                                   customdata=np.column_stack([np.arange(p.n_steps + 1, dtype=float), p.loss]),
                                   hovertemplate=_hover(p.name)))
        ok = np.flatnonzero(inside)
        if ok.size:
            k = ok[-1]
            end_sym = "x" if p.status == "diverged" else "circle"
            traces.append(go.Scatter3d(x=px[k : k + 1], y=py[k : k + 1], z=z[k : k + 1], mode="markers",
                                       legendgroup=p.name, showlegend=False, name=p.name, hoverinfo="skip",
                                       marker=dict(size=st["head"] / 2, symbol=end_sym,
                                                   color=DIVERGED_COLOR if p.status == "diverged" else p.color,
                                                   line=dict(color="black", width=2))))
    zaxis = dict(title=dict(text="f"))
    if log_scale:
        tv, tt = _log_ticks(cmin, cmax, zmin, delta)
        zaxis.update(tickvals=tv, ticktext=tt, title=dict(text="f (log)"))
    fig = go.Figure(traces)
    fig.update_layout(
        template=go.layout.Template(), height=height, margin=dict(l=0, r=0, t=10, b=0),
        font=dict(family=FONT_FAMILY, size=st["font"], color="#222"), paper_bgcolor="white",
        legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom", font=dict(size=st["font"])),
        scene=dict(xaxis=dict(title=dict(text=xlabel)), yaxis=dict(title=dict(text=ylabel)), zaxis=zaxis,
                   aspectmode="manual", aspectratio=dict(x=1, y=1, z=0.6),
                   camera=dict(eye=dict(x=1.5, y=-1.5, z=1.1))),
    )
    return fig


def schedule_figure(lrs: Mapping[str, tuple], *, height: int = 220, big: bool = False,
                    log_y: bool = False) -> go.Figure:
    """Small lr-vs-step plot: ``lrs = {name: (lr_array, colour)}`` (step counted from 0)."""
    st = _style(big)
    traces = []
    for name, (arr, color) in lrs.items():
        a = np.asarray(arr, dtype=float)
        traces.append(go.Scatter(x=np.arange(a.size, dtype=np.float32), y=a, mode="lines", name=name,
                                 line=dict(color=color, width=st["panel"] * 1.2),
                                 hovertemplate=f"<b>{name}</b> step %{{x:d}}: η = %{{y:.4g}}<extra></extra>"))
    fig = go.Figure(traces)
    axis = dict(showgrid=True, gridcolor="#e6e6e6", zeroline=False, showline=True, linecolor="#444", ticks="outside",
                tickfont=dict(size=st["small"]))
    fig.update_layout(template=go.layout.Template(), height=height, margin=dict(l=55, r=10, t=10, b=40),
                      font=dict(family=FONT_FAMILY, size=st["font"], color="#222"), paper_bgcolor="white",
                      plot_bgcolor="white", showlegend=len(traces) > 1,
                      legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"),
                      xaxis=dict(axis, title=dict(text="step", standoff=2)),
                      yaxis=dict(axis, title=dict(text="η_t", standoff=2), type="log" if log_y else "linear",
                                 rangemode="tozero" if not log_y else "normal"))
    return fig


def naive_race_figure(xs, ys, Z, paths: Sequence[PathView], *, log_scale: bool, window: Window | None = None,
                      height: int = 620) -> go.Figure:
    """BENCHMARK BASELINE ONLY: the tutorial approach, one frame per step carrying every path
    so far as Python lists (decimal text). Payload grows with steps^2. Do not use in pages."""
    paths = list(paths)
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    if window is None:
        window = (float(xs[0]), float(xs[-1]), float(ys[0]), float(ys[-1]))
    last = max([p.n_steps for p in paths] or [0])
    traces = [colorbar_trace(Z, log_scale), iso_line_trace(xs, ys, Z, log_scale)]
    first = len(traces)
    for p in paths:
        traces.append(go.Scatter(x=p.points[:1, 0].tolist(), y=p.points[:1, 1].tolist(), mode="lines+markers",
                                 name=p.name, line=dict(color=p.color)))
    frames = []
    for s in range(last + 1):
        data = []
        for p in paths:
            h = min(s, p.n_steps)
            data.append(go.Scatter(x=p.points[: h + 1, 0].tolist(), y=p.points[: h + 1, 1].tolist()))
        frames.append(go.Frame(name=str(s), data=data, traces=list(range(first, first + len(paths)))))
    fig = go.Figure(data=traces, frames=frames)
    xmin, xmax, ymin, ymax = window
    fig.update_layout(
        height=height, xaxis=dict(range=[xmin, xmax]), yaxis=dict(range=[ymin, ymax]),
        images=[dict(source=surface_image(xs, ys, Z, log_scale), xref="x", yref="y", x=xmin, y=ymax,
                     sizex=xmax - xmin, sizey=ymax - ymin, sizing="stretch", layer="below")],
        updatemenus=[dict(type="buttons", buttons=[dict(label="Play", method="animate", args=[None, dict(
            frame=dict(duration=20, redraw=False), fromcurrent=True)])])],
    )
    return fig
