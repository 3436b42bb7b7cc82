"""The static 3D view (:func:`surface_3d_figure_spec`, :func:`surface_3d_figure`): the surface
(downsampled) with each full path lifted slightly above it; no frames (gl3d would need a redraw
per frame)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .encoding import asis, colorscale_list, template, typed, validated
from .paths import PathView
from .raster import colour_values
from .style import DIVERGED_COLOR, FONT_FAMILY, path_hover, style
from .surface import colour_scale_is_log, crange, log_ticks


def _downsample(xs, ys, Z, n_max: int):
    sx = max(1, math.ceil(len(xs) / n_max))
    sy = max(1, math.ceil(len(ys) / n_max))
    return xs[::sx], ys[::sy], Z[::sy, ::sx]


def surface_3d_figure_spec(xs, ys, Z, paths: Sequence[PathView], log_scale: bool, *, colorscale="Viridis",
                           height: int = 560, big: bool = False, n_max: int = 100, xlabel: str = "x",
                           ylabel: str = "y") -> dict:
    """:func:`surface_3d_figure` as the plain dict its ``to_dict()`` returns, without plotly.py."""
    return _surface_3d_dict(xs, ys, Z, paths, log_scale, colorscale, height, big, n_max, xlabel, ylabel, typed)


def surface_3d_figure(xs, ys, Z, paths: Sequence[PathView], log_scale: bool, *, colorscale="Viridis",
                      height: int = 560, big: bool = False, n_max: int = 100, xlabel: str = "x",
                      ylabel: str = "y") -> go.Figure:
    """Static 3D surface (grid downsampled to <= n_max per axis) with full paths lifted slightly above it.

    With ``log_scale`` the height is ``log10(f - f_min + delta)`` (as the 2D colours, and like them
    linear where :func:`colour_scale_is_log` says log would hide structure); z-axis ticks show f
    values. No frames: gl3d would need ``redraw: True`` for every frame.
    Validated twin of :func:`surface_3d_figure_spec`.
    """
    return validated(_surface_3d_dict(xs, ys, Z, paths, log_scale, colorscale, height, big, n_max, xlabel,
                                      ylabel, asis))


def _surface_3d_dict(xs, ys, Z, paths, log_scale, colorscale, height, big, n_max, xlabel, ylabel, enc) -> dict:
    st = style(big)
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    Z = np.asarray(Z, dtype=float)
    log_scale = colour_scale_is_log(Z, log_scale)  # as the 2D view: linear where log hides structure
    C, zmin, delta = colour_values(Z, log_scale)
    cmin, cmax = crange(C)
    dx, dy, dC = _downsample(xs, ys, C, n_max)
    lift = 0.01 * (cmax - cmin)
    traces = [{"type": "surface", "x": enc(dx), "y": enc(dy),
               "z": enc(np.where(np.isfinite(dC), dC, np.nan).astype(np.float32)),
               "colorscale": colorscale_list(colorscale), "cmin": cmin, "cmax": cmax, "showscale": False,
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
                       "hovertemplate": path_hover(p.name)})
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
        tv, tt = log_ticks(cmin, cmax, zmin, delta)
        zaxis.update(tickvals=tv, ticktext=tt, title={"text": "f (log)"})
    layout = {
        "template": template(), "height": height, "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "font": {"family": FONT_FAMILY, "size": st["font"], "color": "#222"}, "paper_bgcolor": "white",
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "font": {"size": st["font"]}},
        "scene": {"xaxis": {"title": {"text": xlabel}}, "yaxis": {"title": {"text": ylabel}}, "zaxis": zaxis,
                  "aspectmode": "manual", "aspectratio": {"x": 1, "y": 1, "z": 0.6},
                  "camera": {"eye": {"x": 1.5, "y": -1.5, "z": 1.1}}},
    }
    return {"data": traces, "layout": layout}
