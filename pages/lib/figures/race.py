"""The playground's animated race figure (:func:`race_figure_spec`, :func:`race_figure`): the
map with every path, the side panels, the animated heads, trails and step cursors, the
frames, and the layout with its Play/Pause/speed buttons and slider."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from .edges import edge_note, edge_point, edge_states, note_annotation
from .encoding import asis, b64, f4, f4_bytes, gc_paused, template, typed, validated
from .labels import FIGURE_LABELS, figure_labels_with
from .panels import PANELS, cursor_traces, nice_step, panel_axes, panel_traces
from .paths import PathView, Window, frame_steps, head_index
from .style import DIVERGED_COLOR, FONT_FAMILY, framed_axis, path_hover, style
from .surface import SurfaceLayers, cell_extent, colorbar_spec, critical_specs, iso_spec, surface_layers

SPEEDS = (0.5, 1.0, 2.0)
BASE_FRAME_MS = 40  # 1x speed: 200 frames in about 8 s
CLICK_TRACE = 1  # index of the click grid (:func:`click_grid_spec`), right after the colour bar
CLICK_GRID_CELLS = 40  # grid points along the window's longer side


def click_grid_spec(window: Window, enc, cells: int = CLICK_GRID_CELLS) -> dict:
    """Invisible points on a grid of round spacing over the map (``meta["click_trace"]``).

    Plotly reports a click only on a data point, and the surface is a layout image: with these
    points, a click anywhere on the map selects the nearest grid point (within Plotly's 20 px
    hover distance; the grid is ~15 px apart on a 600 px map), and the page sets the start
    there, a round number such as (1.25, -0.5). No hover label, no legend entry, never dimmed
    by a selection; gallery thumbnails skip invisible markers."""
    xmin, xmax, ymin, ymax = (float(v) for v in window)
    step = nice_step(max(xmax - xmin, ymax - ymin) / cells)
    gx = np.arange(np.ceil(xmin / step - 1e-9), np.floor(xmax / step + 1e-9) + 1) * step
    gy = np.arange(np.ceil(ymin / step - 1e-9), np.floor(ymax / step + 1e-9) + 1) * step
    X, Y = np.meshgrid(gx, gy)
    invisible = {"marker": {"opacity": 0}}
    # maxdisplayed: plotly.js hit-tests every point but puts only one in the page (drawn, the
    # ~1,700 invisible points cost ~70 ms of each draw, docs/performance.md "First plot")
    return {"type": "scatter", "x": enc(f4(X.ravel())), "y": enc(f4(Y.ravel())), "mode": "markers",
            "name": "click grid", "marker": {"size": 4, "opacity": 0, "color": "#000000", "maxdisplayed": 1},
            "hoverinfo": "none", "showlegend": False, "selected": invisible, "unselected": invisible}


def click_grid_trace(window: Window) -> go.Scatter:
    """:func:`click_grid_spec` as a trace, for figures built with plotly.py (the critical map)."""
    return go.Scatter(click_grid_spec(window, asis))


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
    with gc_paused():
        return _race_dict(xs, ys, Z, paths, log_scale=log_scale, window=window, max_frames=max_frames,
                          trail=trail, critical_points=critical_points, panels=panels, log_loss=log_loss,
                          height=height, big=big, colorscale=colorscale, xlabel=xlabel, ylabel=ylabel, title=title,
                          enc=typed, labels=labels)


def race_figure(xs, ys, Z, paths: Sequence[PathView], *, log_scale: bool, window: Window | None = None,
                max_frames: int = 200, trail: int = 12, critical_points: Iterable = (), panels: bool = True,
                log_loss: bool = True, height: int = 620, big: bool = False, colorscale="Viridis",
                xlabel: str = "x", ylabel: str = "y", title: str | None = None,
                fast_frames: bool = True, labels: Mapping[str, str] | None = None) -> go.Figure:
    """The playground's animated race: surface + paths (left, the hero) + side panels (right).

    Trace order (constant; the frames update only the LAST traces):
    ``[colour bar, click grid (:data:`CLICK_TRACE`), iso-lines, critical points by kind..., for each
    path: full path (faint), diverged end marker (if diverged); panel lines...; ANIMATED: for each
    path: trail, head; then one cursor line per panel]``. ``fig.layout.meta["animated_traces"]`` lists the animated
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
    ``fig.frames[k].data`` (see :func:`attach_frames`).

    The validated twin of :func:`race_figure_spec` (one builder, :func:`_race_dict`):
    ``race_figure(...).to_dict() == race_figure_spec(...)`` (same JSON). Building and validating
    costs ~10x more; use the spec in pages, this in notebooks/tests or to edit the figure.
    """
    spec = _race_dict(xs, ys, Z, paths, log_scale=log_scale, window=window, max_frames=max_frames, trail=trail,
                      critical_points=critical_points, panels=panels, log_loss=log_loss, height=height, big=big,
                      colorscale=colorscale, xlabel=xlabel, ylabel=ylabel, title=title, enc=asis, labels=labels)
    return validated(spec, fast_frames)


def _race_dict(xs, ys, Z, paths, *, log_scale, window, max_frames, trail, critical_points, panels, log_loss,
               height, big, colorscale, xlabel, ylabel, title, enc, labels=None) -> dict:
    """The race figure as a dict; arrays encoded by ``enc`` (:func:`typed` for the spec,
    :func:`asis` to leave NumPy arrays to plotly.py). Frames always carry float32 typed arrays.
    ``labels`` overrides words of :data:`FIGURE_LABELS` (panel titles, kinds, "step")."""
    paths = list(paths)
    words = figure_labels_with(labels)
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    Z = np.asarray(Z, dtype=float)
    if window is None:
        window = (float(xs[0]), float(xs[-1]), float(ys[0]), float(ys[-1]))
    xmin, xmax, ymin, ymax = (float(v) for v in window)
    st = style(big)
    last = max([head_index(p, p.n_steps) for p in paths] or [0])
    steps = frame_steps(last, max_frames)
    layers = surface_layers(xs, ys, Z, log_scale, colorscale)

    # geometry (paper coordinates): main plot left, colour bar, panels right
    main_dom = (0.0, 0.60) if panels else (0.0, 0.90)
    cbar_x = main_dom[1] + 0.01
    panel_dom = (0.73, 1.0)
    top = 0.90  # leave room for the legend above
    traces: list[dict] = [colorbar_spec(layers.cmin, layers.cmax, layers.zmin, layers.delta, layers.log_scale,
                                        colorscale, x=cbar_x, len_=top, y=top / 2, font_size=st["font"],
                                        requested_log=layers.requested_log)]
    traces.append(click_grid_spec((xmin, xmax, ymin, ymax), enc))  # at CLICK_TRACE
    notes = [words["colour_linear"]] if layers.requested_log and not layers.log_scale else []
    edges = [edge_states(p, (xmin, xmax, ymin, ymax)) for p in paths]
    notes += [edge_note(p, e, words) for p, e in zip(paths, edges) if e is not None]
    traces.append(iso_spec(layers, enc, width=st["iso"]))
    traces += critical_specs(critical_points, st["crit"], enc, labels=words)

    cols = [(f4(p.points[:, 0]), f4(p.points[:, 1])) for p in paths]  # float32 x, y columns
    for p, (px, py) in zip(paths, cols):
        traces.append({
            "type": "scatter", "x": enc(px), "y": enc(py), "customdata": enc(f4(p.loss)), "mode": "lines",
            "name": p.name, "legendgroup": p.name, "line": {"color": p.color, "width": st["path"], "dash": p.dash},
            "opacity": 0.55, "hovertemplate": path_hover(p.name, words["step_axis"], words["loss_word"]), "showlegend": True})
        if p.status == "diverged":
            k = p.last_finite
            traces.append({
                "type": "scatter", "x": enc(p.points[k : k + 1, 0]), "y": enc(p.points[k : k + 1, 1]),
                "mode": "markers", "legendgroup": p.name, "name": f"{p.name} diverged", "showlegend": False,
                "cliponaxis": False,
                "marker": {"symbol": "x", "size": st["end"], "color": DIVERGED_COLOR,
                           "line": {"color": "white", "width": 1.5}},
                "hovertemplate": f"<b>{p.name}</b> {words['diverged'].format(k=k)}<extra></extra>"})

    # side panels: one line per path (two on the step panel), each panel's range and axis kind
    panel_lines, panel_ranges, axis_kinds = ([], {}, {})
    if panels:
        panel_lines, panel_ranges, axis_kinds = panel_traces(paths, log_loss, st["panel"], enc, step=words["step_axis"])
    traces += panel_lines

    # animated traces: trail + head per path, one cursor per panel
    # A path whose head is outside the window: its head trace gets a SECOND point, the edge
    # marker (NaN while the head is inside), so the animated traces keep their layout.
    first_anim = len(traces)
    for p, (px, py), edge in zip(paths, cols, edges):
        h = head_index(p, 0)
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
            ex, ey, angle, cd = edge_point(edge, h, px, py)
            edge_hover = (f"<b>{p.name}</b> " + words["left_window"].format(k="%{customdata[0]}")
                          + " (%{customdata[1]:.4g}, %{customdata[2]:.4g})<br>" + words["step_axis"]
                          + " %{customdata[3]}: (%{customdata[4]:.4g}, %{customdata[5]:.4g})<extra></extra>")
            head.update(x=enc(f4([px[h], ex])), y=enc(f4([py[h], ey])), customdata=cd,
                        hovertemplate=[head_hover, edge_hover])
            head["marker"].update(symbol=[p.marker, "triangle-up"], angle=[0, angle],
                                  size=[st["head"], round(1.3 * st["head"], 2)])
        traces.append(head)
    if panels:
        traces += cursor_traces(panel_ranges, axis_kinds, enc)
    anim_idx = list(range(first_anim, len(traces)))

    frames = _race_frames(paths, cols, steps, trail, panels, anim_idx, edges)
    layout = _race_layout(xs, ys, layers, (xmin, xmax, ymin, ymax), steps, st, panels, panel_ranges, axis_kinds,
                          main_dom, panel_dom, top, height, xlabel, ylabel, title, anim_idx, len(paths), words)
    if notes:  # what the figure cannot show by itself, in the page's language, in a corner of the map
        layout.setdefault("annotations", []).append(
            note_annotation(notes, paths, edges, (xmin, xmax, ymin, ymax), st["small"]))
    layout["meta"]["narrow"] = narrow_variant(layout, st, (xmin, xmax, ymin, ymax))
    edge_heads = [layout["meta"]["head_traces"][i] for i, e in enumerate(edges) if e is not None]
    if edge_heads:
        layout["meta"]["edge_traces"] = edge_heads
    return {"data": traces, "layout": layout, "frames": frames} if frames else {"data": traces, "layout": layout}


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
        cap = min(p.stop_step, p.n_steps, p.last_finite)  # = head_index(p, s) for every s
        xb, yb = px.tobytes(), py.tobytes()
        memo: dict[int, tuple[dict, dict]] = {}
        states = []
        for s in steps_list:
            h = s if s < cap else cap
            pair = memo.get(h)
            if pair is None:
                a = 4 * max(0, h - trail)
                e = 4 * (h + 1)
                head = {"type": "scatter", "x": f4_bytes(xb[e - 4 : e]), "y": f4_bytes(yb[e - 4 : e])}
                if edge is not None:
                    ex, ey, angle, cd = edge_point(edge, h, px, py)
                    head = {"type": "scatter", "x": b64([px[h], ex]), "y": b64([py[h], ey]), "customdata": cd,
                            "marker": {"angle": [0, angle]}}
                pair = ({"type": "scatter", "x": f4_bytes(xb[a:e]), "y": f4_bytes(yb[a:e])}, head)
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
            cursor = f4_bytes(cursors[8 * i : 8 * i + 8])
            data.extend({"type": "scatter", "x": cursor} for _ in PANELS)
        frames.append({"name": str(s), "data": data, "traces": anim_idx})
    return frames


def _race_layout(xs, ys, layers: SurfaceLayers, window, steps, st, panels, panel_ranges, axis_kinds, main_dom,
                 panel_dom, top, height, xlabel, ylabel, title, anim_idx, n_paths, words=FIGURE_LABELS) -> dict:
    xmin, xmax, ymin, ymax = window
    x0, x1 = cell_extent(xs)
    y0, y1 = cell_extent(ys)

    aspect = (xmax - xmin) / (ymax - ymin) if ymax > ymin else 1.0
    equal = 0.4 <= aspect <= 2.5  # equal aspect only where it does not waste most of the plot
    if big_screen_fit(st):  # presenter mode: the hero of a 1366x768 projector, scrolled fully on screen
        height = max(height, PRESENTER_HEIGHT)
    layout = {
        "template": template(),
        "height": height,
        "margin": {"l": 60, "r": 34, "t": 40 if title is None else 70, "b": 150},
        "paper_bgcolor": "white", "plot_bgcolor": "#f2f2f2",
        "font": {"family": FONT_FAMILY, "size": st["font"], "color": "#222"},
        "hoverlabel": {"font": {"size": st["small"]}},
        "hovermode": "closest",
        # a drag zooms (a double-click zooms out); a click picks a start (the click grid): Streamlit
        # turns click selection off in box-select mode, so the box is a toolbar tool, not the default
        "dragmode": "zoom",
        # the toolbar stands at the right edge, not over the legend's first row (issue 11)
        "modebar": {"orientation": "v", "bgcolor": "rgba(255,255,255,0.7)"},
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0.0, "xanchor": "left", "y": 1.0, "yanchor": "bottom",
                   "font": {"size": st["font"]}, "bgcolor": "rgba(255,255,255,0.85)", "itemsizing": "constant"},
        "xaxis": {**framed_axis(st), "domain": list(main_dom), "range": [xmin, xmax],
                  "title": {"text": xlabel, "standoff": 2},
                  "constrain": "domain", "constraintoward": "right"},  # hug the colour bar
        "yaxis": {**framed_axis(st), "domain": [0.0, top], "range": [ymin, ymax],
                  "title": {"text": ylabel, "standoff": 4},
                  "constrain": "domain", **({"scaleanchor": "x", "scaleratio": 1} if equal else {})},
        "images": [{"source": layers.image, "xref": "x", "yref": "y", "x": x0, "y": y1, "sizex": x1 - x0,
                    "sizey": y1 - y0, "xanchor": "left", "yanchor": "top", "sizing": "stretch", "layer": "below",
                    "opacity": 0.9}],
        "meta": {"animated_traces": list(anim_idx), "frame_steps": [int(s) for s in steps], "click_trace": CLICK_TRACE,
                 "trail_traces": [anim_idx[2 * k] for k in range(n_paths)],
                 "head_traces": [anim_idx[2 * k + 1] for k in range(n_paths)],
                 "cursor_traces": anim_idx[2 * n_paths:]},
    }
    if title:
        layout["title"] = {"text": title, "x": 0.0, "xanchor": "left", "font": {"size": st["font"] + 3}}
    annotations = panel_axes(layout, steps, panel_ranges, axis_kinds, panel_dom, top, st, words) if panels else []
    if annotations:  # plotly.py drops an empty list (and None values): so does the spec
        layout["annotations"] = annotations
    dur = BASE_FRAME_MS

    def play_args(ms):
        return [None, {"frame": {"duration": ms, "redraw": False}, "fromcurrent": True, "mode": "immediate",
                       "transition": {"duration": 0}}]

    pause_args = [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate",
                           "transition": {"duration": 0}}]
    # Controls in rows of their own under the map (issue 11): the x tick labels and axis title,
    # then Play/Pause (left) and the speeds (right, at the map's right edge), then the slider
    # across the map's width. Nothing shares a row with the slider, so no button covers it and
    # the axis title never sits under a button. Rows are placed in pixels below the map
    # (paper y = -pixels / plot-area height).
    rows = _control_rows(st, panels)
    layout["margin"]["b"] = rows["bottom"]
    plot_h = max(height - layout["margin"]["t"] - rows["bottom"], 1)
    layout["updatemenus"] = [
        {"type": "buttons", "direction": "left", "showactive": False, "x": 0.0, "xanchor": "left",
         "y": round(-rows["buttons"] / plot_h, 4), "yanchor": "top", "pad": {"t": 0, "r": 6},
         "font": {"size": st["font"]}, "bgcolor": "#ffffff", "bordercolor": "#888",
         "buttons": [{"label": words["play"], "method": "animate", "args": play_args(dur)},
                     {"label": words["pause"], "method": "animate", "args": pause_args}]},
        {"type": "buttons", "direction": "left", "showactive": True, "active": 1, "x": main_dom[1],
         "xanchor": "right", "y": round(-rows["buttons"] / plot_h, 4), "yanchor": "top", "pad": {"t": 0},
         "font": {"size": st["font"]}, "bgcolor": "#ffffff", "bordercolor": "#888",
         "buttons": [{"label": f"{sp:g}×", "method": "animate", "args": play_args(int(round(dur / sp)))}
                     for sp in SPEEDS]},
    ]
    slider_steps = [{"label": str(int(s)), "method": "animate",
                     "args": [[str(int(s))], {"mode": "immediate", "frame": {"duration": 0, "redraw": False},
                                              "transition": {"duration": 0}}]} for s in steps]
    layout["sliders"] = [{
        "active": 0, "steps": slider_steps, "x": 0.0, "len": main_dom[1], "xanchor": "left",
        "y": round(-rows["slider"] / plot_h, 4), "yanchor": "top", "pad": {"t": 0, "b": 0, "l": 0, "r": 0},
        "ticklen": 0, "minorticklen": 0, "tickwidth": 0,
        "font": {"color": "rgba(0,0,0,0)", "size": 8},  # one label per frame would be unreadable: hide them
        "currentvalue": {"prefix": words["slider"], "visible": True, "xanchor": "left", "offset": 4,
                         "font": {"size": st["font"], "color": "#222"}},
        "transition": {"duration": 0}, "bgcolor": "#ddd", "activebgcolor": "#0072B2", "bordercolor": "#888"}]
    layout["meta"]["rows"] = {"buttons": rows["buttons"], "slider": rows["slider"]}  # px under the map
    if big_screen_fit(st):
        layout["meta"]["fit"] = True  # presenter mode: the page's script scrolls it fully on screen
    return layout


def big_screen_fit(st: dict) -> bool:
    """Presenter mode (the big style): the figure may grow to the viewport's height."""
    return st["font"] > 15


def _control_rows(st: dict, panels: bool) -> dict:
    """Pixel offsets below the map of the rows under it: ``buttons`` (top of Play/Pause and the
    speeds, under the x tick labels and axis title), ``slider`` (top of the slider's label) and
    ``bottom`` (the bottom margin that holds them)."""
    tick_h = round(st["small"] * 1.3 + 8)
    title_h = round(st["font"] * 1.3 + 4)
    buttons = tick_h + title_h + 6
    button_h = round(st["font"] * 1.3 + 14)
    slider = buttons + button_h + 8
    return {"buttons": buttons, "slider": slider, "bottom": slider + round(st["font"] * 1.3) + 4 + 36}


PRESENTER_HEIGHT = 740  # px: a 1366x768 projector's viewport less a margin
NARROW_MAX_WIDTH = 640  # px of the chart's width; below it the page's script applies meta["narrow"]
NARROW_BUTTON_FONT = 30  # plotly.js: a button is max(1.3 x font, 30) + 3 px high: 42 px, a thumb-sized target


def narrow_variant(layout: dict, st: dict, window) -> dict:
    """The race figure's layout on a phone (issue 11), for the page's script (``pages.lib.widgets``)
    to apply with ``Plotly.update`` when the chart is narrower than :data:`NARROW_MAX_WIDTH`:
    ``{"max_width", "layout": {dotted key: value}, "colorbar": {dotted key: value}}`` (the
    colour-bar trace's changes: hidden).

    One column, top to bottom: the map across the full width (no colour bar), Play/Pause on one
    row, the speeds on the next, the slider across the width, then the four side panels stacked
    full width. A figure cannot see the viewport, so it carries both layouts; the frames (and the
    meta the tests read) are the same in both."""
    xmin, xmax, ymin, ymax = window
    aspect = (xmax - xmin) / (ymax - ymin) if ymax > ymin else 1.0
    equal = 0.4 <= aspect <= 2.5
    assumed_w = 360  # the map's width on a 390 px phone, with room for the legend's rows
    map_h = round(min(max(assumed_w / aspect if equal else 300, 180), 360))
    line = lambda size: round(size * 1.3)  # noqa: E731
    button_h = line(NARROW_BUTTON_FONT) + 14
    y = 0  # pixels from the top of the plot area
    pieces = {"map": (0, map_h)}
    y = map_h + line(st["small"]) + 8 + line(st["font"]) + 12  # x tick labels and title
    pieces["play"] = y
    y += button_h + 8
    pieces["speeds"] = y
    y += button_h + 10
    pieces["slider"] = y
    y += line(st["font"]) + 4 + 42 + 28  # its label, then its 42 px touch band
    panel_h, title_h = 88, line(st["small"]) + 6
    keys = [k for k in layout if k.startswith("yaxis") and k != "yaxis"]
    panel_tops = []
    for _ in keys:
        y += title_h
        panel_tops.append(y)
        y += panel_h + 10
    y += line(st["small"]) + line(st["font"]) + 4
    plot_h = y
    margin = {"l": 46, "r": 2, "t": 10, "b": 8}
    frac = lambda px: round(1.0 - px / plot_h, 5)  # noqa: E731  pixels from the top -> paper y

    upd: dict = {"height": plot_h + margin["t"] + margin["b"] + 40,  # + the legend's rows (automargin)
                 "margin.l": margin["l"], "margin.r": margin["r"], "margin.t": margin["t"], "margin.b": margin["b"],
                 "xaxis.domain": [0, 1], "xaxis.constraintoward": "center",
                 "yaxis.domain": [frac(map_h), 1], "yaxis.constraintoward": "top",
                 "updatemenus[0].y": frac(pieces["play"]), "updatemenus[0].font.size": NARROW_BUTTON_FONT,
                 "updatemenus[1].x": 0, "updatemenus[1].xanchor": "left", "updatemenus[1].y": frac(pieces["speeds"]),
                 "updatemenus[1].font.size": NARROW_BUTTON_FONT,
                 "sliders[0].x": 0, "sliders[0].len": 1, "sliders[0].y": frac(pieces["slider"]),
                 # invisible ticks make plotly.js's touch band of the slider 42 px high (34 without)
                 "sliders[0].ticklen": 8, "sliders[0].tickcolor": "rgba(0,0,0,0)"}
    for i, (key, top) in enumerate(zip(keys, panel_tops)):
        suffix = key[len("yaxis"):]
        upd[f"xaxis{suffix}.domain"] = [0, 1]
        upd[f"yaxis{suffix}.domain"] = [frac(top + panel_h), frac(top)]
        upd[f"annotations[{i}].x"] = 0
        upd[f"annotations[{i}].y"] = frac(top)
    # No colour bar on a phone: lying under the map it needs a row of its own and plotly.js places a
    # horizontal bar's title apart from the bar; the contour lines and the hover carry the heights.
    bar = {"marker.showscale": False}
    return {"max_width": NARROW_MAX_WIDTH, "plot_h": plot_h, "layout": upd, "colorbar": bar}
