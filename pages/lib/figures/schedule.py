"""The small learning-rate-against-step plot (:func:`schedule_figure_spec`, :func:`schedule_figure`)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from .encoding import asis, template, typed, validated
from .style import FONT_FAMILY, style


def schedule_figure_spec(lrs: Mapping[str, tuple], *, height: int = 220, big: bool = False,
                         log_y: bool = False, xlabel: str = "step") -> dict:
    """:func:`schedule_figure` as the plain dict its ``to_dict()`` returns, without plotly.py."""
    return _schedule_dict(lrs, height, big, log_y, typed, xlabel)


def schedule_figure(lrs: Mapping[str, tuple], *, height: int = 220, big: bool = False,
                    log_y: bool = False, xlabel: str = "step") -> go.Figure:
    """Small lr-vs-step plot: ``lrs = {name: (lr_array, colour)}`` (step counted from 0).
    Validated twin of :func:`schedule_figure_spec`."""
    return validated(_schedule_dict(lrs, height, big, log_y, asis, xlabel))


def _schedule_dict(lrs, height, big, log_y, enc, xlabel="step") -> dict:
    st = style(big)
    traces = []
    for name, (arr, color) in lrs.items():
        a = np.asarray(arr, dtype=float)
        traces.append({"type": "scatter", "x": enc(np.arange(a.size, dtype=np.float32)), "y": enc(a),
                       "mode": "lines", "name": name, "line": {"color": color, "width": st["panel"] * 1.2},
                       "hovertemplate": f"<b>{name}</b> {xlabel} %{{x:d}}: η = %{{y:.4g}}<extra></extra>"})

    def axis():
        return {"showgrid": True, "gridcolor": "#e6e6e6", "zeroline": False, "showline": True, "linecolor": "#444",
                "ticks": "outside", "tickfont": {"size": st["small"]}}

    layout = {"template": template(), "height": height, "margin": {"l": 55, "r": 10, "t": 10, "b": 40},
              "font": {"family": FONT_FAMILY, "size": st["font"], "color": "#222"}, "paper_bgcolor": "white",
              "plot_bgcolor": "white", "showlegend": len(traces) > 1,
              "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
              "xaxis": {**axis(), "title": {"text": xlabel, "standoff": 2}},
              "yaxis": {**axis(), "title": {"text": "η_t", "standoff": 2}, "type": "log" if log_y else "linear",
                        "rangemode": "tozero" if not log_y else "normal"}}
    return {"data": traces, "layout": layout}
