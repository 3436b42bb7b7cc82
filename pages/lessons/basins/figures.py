"""Figures of the basin-map lesson (plain Plotly dicts, no Streamlit): the maps side by side, one
heatmap per optimizer on the same grid and with the same colour per critical point, the atlas's
points on top, the race start marked; and the decoding of that figure back into maps (the tests
read what the page sent).

Colour of a cell: the outcome's colour (:func:`outcome_colours`: the minima take the site's
palette first), blended with white by the probability of that outcome over the seeds (1 without
noise: full colour). One heatmap carries both: ``z = category + 0.999 * probability`` over a
colour scale that runs, within each category's unit interval, from white to the category's colour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from optim import basins as B
from pages.lib.claims import decode_array
from pages.lib.figures.encoding import template, typed
from pages.lib.figures.race import NARROW_MAX_WIDTH
from pages.lib.figures.style import FONT_FAMILY, framed_axis, style
from pages.lib.figures.surface import critical_specs
from pages.lib.registry import PALETTE
from pages.lib.text import tr_for

from .controls import RACE_COLOURS
from .model import MapView, map_title
from .text import BASINS as T

EXTRA_COLOURS = ("#F0E442", "#882255", "#44AA99", "#117733", "#332288", "#999933", "#AA4499", "#88CCEE",
                 "#DDCC77", "#661100")
OUTCOME_COLOURS = {B.DIVERGED: "#3d3d3d", B.NOT_SETTLED: "#cfcfcf", B.ELSEWHERE: "#8f8f8f"}
SPREAD = 0.999  # z = category + SPREAD * probability
START_COLOUR = "#ffffff"


def outcome_colours(targets: tuple) -> dict[int, str]:
    """A colour per outcome: minima first from the palette, then the other points, then the three
    non-point outcomes (dark grey diverged, light grey not settled, grey elsewhere)."""
    order = sorted(range(len(targets)), key=lambda i: (targets[i][2] != "minimum", i))
    pool = [c for c in PALETTE if c not in RACE_COLOURS] + list(EXTRA_COLOURS) + list(RACE_COLOURS)
    out = {i: pool[k % len(pool)] for k, i in enumerate(order)}
    out.update(OUTCOME_COLOURS)
    return out


def categories(targets: tuple) -> list[int]:
    """The outcomes in colour-scale order: the targets, then diverged, not settled, elsewhere."""
    return [*range(len(targets)), B.DIVERGED, B.NOT_SETTLED, B.ELSEWHERE]


def _rgb(hex_colour: str) -> np.ndarray:
    h = hex_colour.lstrip("#")
    return np.array([int(h[k:k + 2], 16) for k in (0, 2, 4)], float)


def _css(rgb) -> str:
    r, g, b = (int(round(v)) for v in rgb)
    return f"rgb({r},{g},{b})"


def colour_scale(targets: tuple) -> list:
    """Per category c (of N), from white at c/N to the category's colour at (c + SPREAD)/N."""
    cats = categories(targets)
    colours = outcome_colours(targets)
    n = len(cats)
    white = np.array([255.0, 255.0, 255.0])
    scale = []
    for c, outcome in enumerate(cats):
        full = _rgb(colours[outcome])
        scale.append([c / n, _css(white * 0.85 + full * 0.15)])
        scale.append([(c + SPREAD) / n, _css(full)])
    if scale[-1][0] < 1.0:
        scale.append([1.0, scale[-1][1]])
    return scale


def z_values(view: MapView) -> np.ndarray:
    cats = categories(view.targets)
    index = {o: c for c, o in enumerate(cats)}
    cat = np.vectorize(index.__getitem__, otypes=[np.int64])(view.label) if view.label.size else view.label
    return (cat + SPREAD * view.certainty.astype(np.float64)).astype(np.float32)


def _customdata(view: MapView) -> np.ndarray:
    cols = [view.end[..., 0], view.end[..., 1], view.steps.astype(np.float32)]
    if view.noisy:
        cols.append(view.certainty)
    return np.stack(cols, axis=-1).astype(np.float32)


def basin_figure_spec(views: Sequence[MapView | None], req_names: Sequence[str], targets: tuple, start, big: bool,
                      lang: str, labels: Mapping[str, str] | None = None, window=None, final_n: int | None = None) -> dict:
    """The maps side by side (``None``: a map still being computed, drawn empty with its name).

    ``req_names``: each map's title (:func:`titles_of`) (``final_n``: the finished grid, named on a coarser map's
    title); ``targets``: the atlas's (x, y, kind) (the same for every map); ``start``: the race
    start, marked on every map; ``labels``: the figure words of the page's language (critical-point
    kinds in the legend)."""
    tr = tr_for(lang)
    st = style(big)
    k = max(1, len(views))
    gap = 0.05 if k > 1 else 0.0
    width = (1.0 - gap * (k - 1)) / k
    scale = colour_scale(targets)
    n_cats = len(categories(targets))
    data: list[dict] = []
    layout: dict = {
        "template": template(), "height": int((480 if k == 1 else 400 if k == 2 else 360) * (1.2 if big else 1.0)),
        "margin": {"l": 50, "r": 10, "t": 48, "b": 64 if big else 52}, "font": {"family": FONT_FAMILY, "size": st["font"]},
        "paper_bgcolor": "white", "plot_bgcolor": "#f2f2f2", "dragmode": "select",
        "legend": {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.0, "x": 0,
                   "font": {"size": st["small"]}},
        "annotations": [], "meta": {"basin_maps": []},
    }
    for i, view in enumerate(views):
        ax = "" if i == 0 else str(i + 1)
        xa, ya = f"x{ax}", f"y{ax}"
        w = window or (view.window if view is not None else None)
        x_axis = {**framed_axis(st), "domain": [i * (width + gap), i * (width + gap) + width], "anchor": ya,
                  "constrain": "domain"}
        y_axis = {**framed_axis(st), "anchor": xa, "scaleanchor": xa, "scaleratio": 1, "constrain": "domain",
                  "title": {"text": "y" if i == 0 else ""}}
        if w is not None:
            x_axis["range"], y_axis["range"] = [w[0], w[1]], [w[2], w[3]]
        layout[f"xaxis{ax}"], layout[f"yaxis{ax}"] = x_axis, y_axis
        title = req_names[i] if i < len(req_names) else ""
        if view is not None and final_n and view.n < final_n:
            title += f" · {view.n} × {view.n}"
        layout["annotations"].append({
            "text": f"<b>{title}</b>" if view is not None else f"{title}<br>{tr(T, 'computing')}",
            "xref": f"{xa} domain", "yref": f"{ya} domain", "x": 0.5, "y": 1.0, "yanchor": "bottom",
            "showarrow": False, "font": {"size": st["small"]},
        })
        if view is None:  # an invisible point makes plotly lay the subplot out (and place its title)
            data.append({"type": "scatter", "x": [w[0]] if w else [0.0], "y": [w[2]] if w else [0.0],
                         "mode": "markers", "marker": {"opacity": 0}, "showlegend": False, "hoverinfo": "skip",
                         "xaxis": xa, "yaxis": ya})
            continue
        hover = (f"<b>{title.replace('<br>', ' ')}</b><br>{tr(T, 'hover_start')} (%{{x:.3g}}, %{{y:.3g}})<br>{tr(T, 'hover_end')} "
                 f"(%{{customdata[0]:.3g}}, %{{customdata[1]:.3g}})<br>{tr(T, 'hover_steps')} %{{customdata[2]:.0f}}")
        if view.noisy:
            hover += f"<br>{tr(T, 'hover_p')} %{{customdata[3]:.2f}}"
        data.append({
            "type": "heatmap", "x": typed(view.xs), "y": typed(view.ys), "z": typed(z_values(view)),
            "customdata": typed(_customdata(view)), "colorscale": scale, "zmin": 0, "zmax": n_cats,
            "showscale": False, "zsmooth": False, "showlegend": False, "name": title.replace("<br>", " "),
            "hovertemplate": hover + "<extra></extra>", "xaxis": xa, "yaxis": ya,
        })
        layout["meta"]["basin_maps"].append({
            "trace": len(data) - 1, "opt_id": view.opt_id, "hyper": [list(p) for p in view.hyper],
            "outcomes": categories(targets), "targets": [list(t) for t in targets], "seeds": view.seeds,
            "budget": view.budget, "noisy": view.noisy, "noise_scale": view.noise_scale,
            "window": list(view.window),
        })
        for trace in critical_specs([t for t in targets if t[2] in ("minimum", "maximum", "saddle", "degenerate")],
                                    st["crit"], typed, axis=(xa, ya), labels=labels):
            trace["showlegend"] = i == 0
            trace.pop("legendgroup", None)  # one legend row: a group would stack its entries
            data.append(trace)
        data.append({
            "type": "scatter", "x": [float(start[0])], "y": [float(start[1])], "mode": "markers",
            "name": tr(T, "start"), "legendgroup": "start",
            "showlegend": i == 0, "xaxis": xa, "yaxis": ya, "cliponaxis": True,
            "marker": {"symbol": "star", "size": st["crit"] * 1.6, "color": START_COLOUR,
                       "line": {"color": "black", "width": 1.5}},
            "hovertemplate": f"{tr(T, 'start')} (%{{x:.3g}}, %{{y:.3g}})<extra></extra>",
        })
    windows = [window or (v.window if v is not None else None) for v in views]
    if k > 1 and all(w is not None for w in windows):
        layout["meta"]["narrow"] = narrow_maps(k, windows[0], st)
    return {"data": data, "layout": layout}


def narrow_maps(k: int, window, st: dict) -> dict:
    """The maps on a phone: one under the other, full width (side by side, two or three maps were
    ~150 px wide there and their titles crowded). For the page's layout script, as the race's
    :func:`pages.lib.figures.race.narrow_variant`: ``{"max_width", "plot_h", "layout", "colorbar"}``.
    Each map's title (an annotation on its axes' domain) follows its map."""
    xmin, xmax, ymin, ymax = (float(v) for v in window)
    aspect = (xmax - xmin) / (ymax - ymin) if ymax > ymin else 1.0
    map_h = round(min(max(320 / aspect, 140), 320))  # equal axes in a ~320 px wide plot
    line = lambda size: round(size * 1.3)  # noqa: E731
    title_h, ticks_h = 2 * line(st["small"]) + 8, line(st["small"]) + 14  # two-line titles; x tick labels
    tops, y = [], 0
    for _ in range(k):
        y += title_h
        tops.append(y)
        y += map_h + ticks_h
    plot_h = y
    frac = lambda px: round(1.0 - px / plot_h, 5)  # noqa: E731  pixels from the top -> paper y
    upd: dict = {"height": plot_h + 10 + 8 + 60, "margin.t": 10, "margin.b": 8, "margin.l": 46, "margin.r": 4}
    for i, top in enumerate(tops):
        ax = "" if i == 0 else str(i + 1)
        upd[f"xaxis{ax}.domain"] = [0, 1]
        upd[f"yaxis{ax}.domain"] = [frac(top + map_h), frac(top)]
        upd[f"yaxis{ax}.title.text"] = "y"
    return {"max_width": NARROW_MAX_WIDTH, "plot_h": plot_h, "layout": upd, "colorbar": {}}


def maps_from_spec(spec: Mapping) -> tuple[MapView, ...]:
    """The maps a basin figure draws (its plotly JSON as sent): the inverse of :func:`basin_figure_spec`
    for the label, the probability, the first seed's end and steps."""
    out = []
    for m in spec["layout"].get("meta", {}).get("basin_maps", []):
        tr = spec["data"][m["trace"]]
        xs, ys = decode_array(tr["x"]), decode_array(tr["y"])
        z = _decode_nd(tr["z"]).astype(np.float64)
        cat = np.floor(z).astype(np.int64)
        outcomes = np.array(m["outcomes"], dtype=np.int64)
        certainty = (z - cat) / SPREAD
        k = int(m["seeds"])
        certainty = (np.round(certainty * k) / k).astype(np.float32)
        cd = _decode_nd(tr["customdata"])
        out.append(MapView(
            opt_id=m["opt_id"], hyper=tuple(tuple(p) for p in m["hyper"]), xs=xs, ys=ys, window=tuple(m["window"]),
            label=outcomes[cat].astype(np.int16), certainty=certainty, end=cd[..., :2].astype(np.float32),
            steps=cd[..., 2].astype(np.int32), targets=tuple((float(t[0]), float(t[1]), str(t[2])) for t in m["targets"]),
            seeds=k, budget=int(m["budget"]), noisy=bool(m["noisy"]), noise_scale=float(m["noise_scale"]),
        ))
    return tuple(out)


def _decode_nd(v) -> np.ndarray:
    """A typed-array spec with its shape (or nested lists) as an N-d array."""
    if isinstance(v, dict) and "bdata" in v:
        import base64

        a = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
        shape = tuple(int(s) for s in str(v.get("shape", len(a))).split(",") if s.strip())
        return a.reshape(shape)
    return np.asarray(v, dtype=float)


def titles_of(views_or_reqs, lang: str) -> list[str]:
    """The maps' titles (two lines: index and optimizer, then the learning rate)."""
    return [map_title(v, i, lang) for i, v in enumerate(views_or_reqs)]
