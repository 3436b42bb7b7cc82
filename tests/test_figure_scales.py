"""Scales that hide data (issue 10, item 4): every finite value of a race figure stays visible.

- The log loss panel switches to a symmetric-log axis when a finite loss is <= 0 (the plain log
  axis dropped them: saddle_newton's gradient-descent line stopped at step ~38);
- the log colour scale is replaced by a linear one where log would hide the surface's structure
  (sin(x)*cos(y) turned flat yellow: its maxima and saddles looked the same);
- a path whose head leaves the plotted window gets an edge marker on the window's border, in the
  frame where it leaves and afterwards, and a note.
"""

from __future__ import annotations

import base64
import io
import math

import numpy as np
import pytest
from PIL import Image

import optim
import surfaces
from pages.lib import figures as F
from pages.lib.figures.raster import colour_values


def _dec(spec) -> np.ndarray:
    if isinstance(spec, dict):
        return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"])).astype(float)
    return np.asarray(spec, dtype=float)


def _view(run, name, color) -> F.PathView:
    return F.PathView(name=name, color=color, points=run.points, loss=run.loss, lr=run.lr,
                      effective_step=run.effective_step, grad_norm=np.linalg.norm(run.grad, axis=-1),
                      status=run.status, stop_step=run.stop_step)


@pytest.fixture(scope="module")
def saddle_newton():
    """The saddle_newton preset: x^2 - y^2 from (1.8, 0.001), GD (lr 0.05) and damped Newton, 200 steps."""
    s = surfaces.CATALOG["saddle"]
    xs, ys, Z = s.grid(100, s.window)
    start = np.array([1.8, 0.001])
    gd = optim.simulate(s, optim.make("gd", lr=0.05), start, 200)
    newton = optim.simulate(s, optim.make("newton"), start, 200)
    paths = [_view(gd, "GD", "#E69F00"), _view(newton, "Newton", "#56B4E9")]
    spec = F.race_figure_spec(xs, ys, Z, paths, log_scale=s.log_scale, window=s.window)
    return s, paths, spec


def _panel_traces(spec, axis: str = "y2"):
    return [t for t in spec["data"] if t.get("yaxis") == axis and t.get("name") != "step cursor"]


# --------------------------------------------------------------------------------------------
# Loss panel
# --------------------------------------------------------------------------------------------
def test_loss_panel_shows_every_finite_loss_when_losses_go_negative(saddle_newton):
    _, paths, spec = saddle_newton
    gd = paths[0]
    assert (gd.loss < 0).sum() > 100 and gd.loss.min() < -1e10  # the run this is about
    axis = spec["layout"]["yaxis2"]
    lo, hi = axis["range"]
    traces = _panel_traces(spec)
    assert [t["name"] for t in traces] == ["GD", "Newton"]
    for p, t in zip(paths, traces):
        y = _dec(t["y"])
        finite = np.isfinite(p.loss)
        assert np.isfinite(y).sum() == finite.sum() == y.size  # every finite loss is drawn ...
        assert (lo <= y[finite]).all() and (y[finite] <= hi).all()  # ... inside the visible range
        # same order as the losses (a monotone axis), and the hover shows the TRUE loss
        order = np.argsort(p.loss[finite], kind="stable")
        assert (np.diff(y[finite][order]) >= 0).all()
        assert np.array_equal(_dec(t["customdata"]), p.loss.astype(np.float32).astype(float))
        assert "%{customdata" in t["hovertemplate"]
    # GD's line no longer stops at step ~38: its last point is the deepest one, at the bottom
    y = _dec(traces[0]["y"])
    assert np.argmin(y) == gd.n_steps and y[-1] - lo < 0.1 * (hi - lo)
    # the axis says what it is: the title, and tick labels that are loss values (0 among them)
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    assert any(t.startswith("loss f(θ_t), symmetric log: linear within ±") for t in titles)
    assert axis["type"] == "linear" and "0" in axis["ticktext"]
    ticks = axis["ticktext"]
    assert any(t.startswith("−10") for t in ticks), ticks
    # ... and no two labels touch (issue 11): at least a label's height apart in a ~55 px panel; the
    # positive losses take ~a tenth of this axis, so no positive tick fits beside "0" here
    gaps = np.diff(sorted(axis["tickvals"])) / (hi - lo)
    assert (gaps >= 0.3).all(), (ticks, gaps)
    # the cursor spans the panel
    cursor = spec["data"][spec["layout"]["meta"]["cursor_traces"][0]]
    assert _dec(cursor["y"]).tolist() == pytest.approx([lo, hi], rel=1e-6)


def test_loss_panel_zero_loss_is_visible():
    """Newton that lands exactly on a minimum with f = 0: the log axis dropped that point."""
    t = np.linspace(0, 1, 11)
    pts = np.column_stack([1 - t, 1 - t])
    loss = (pts**2).sum(1)
    assert loss[-1] == 0
    xs = ys = np.linspace(-2, 2, 41)
    Z = xs[None, :] ** 2 + ys[:, None] ** 2
    spec = F.race_figure_spec(xs, ys, Z, [F.PathView(name="a", color="#000", points=pts, loss=loss)],
                              log_scale=True)
    (trace,) = _panel_traces(spec)
    y = _dec(trace["y"])
    assert np.isfinite(y).all() and y[-1] == 0 and (np.diff(y) < 0).all()


def test_positive_losses_keep_the_plain_log_axis():
    s = surfaces.CATALOG["rosenbrock"]
    xs, ys, Z = s.grid(60, s.window)
    run = optim.simulate(s, optim.make("adam", lr=0.05), (-1.5, 2.5), 150)
    assert (run.loss > 0).all()
    spec = F.race_figure_spec(xs, ys, Z, [_view(run, "adam", "#000")], log_scale=True, window=s.window)
    axis = spec["layout"]["yaxis2"]
    assert axis["type"] == "log"  # not the symmetric log (whose ticks are 0 and +-10^k)
    assert all(v > 0 for v in axis.get("tickvals", [])) and "0" not in axis.get("ticktext", [])
    (trace,) = _panel_traces(spec)
    assert "customdata" not in trace and np.allclose(_dec(trace["y"]), run.loss.astype(np.float32))
    assert spec["layout"]["annotations"][0]["text"] == "loss f(θ_t)"


def test_linear_loss_axis_is_left_alone(saddle_newton):
    s, paths, _ = saddle_newton
    xs, ys, Z = s.grid(40, s.window)
    spec = F.race_figure_spec(xs, ys, Z, paths, log_scale=False, window=s.window, log_loss=False)
    assert spec["layout"]["yaxis2"]["type"] == "linear" and "tickvals" not in spec["layout"]["yaxis2"]
    assert spec["layout"]["annotations"][0]["text"] == "loss f(θ_t)"


@pytest.mark.parametrize("formula", ["x^4 - x^2 + y^2", "sin(x)*cos(y)"])
def test_loss_panel_is_not_empty_on_surfaces_below_zero(formula):
    s = surfaces.parse(formula)
    xs, ys, Z = s.grid(60, s.window)
    run = optim.simulate(s, optim.make("gd", lr=0.05), (1.2, 0.4), 200)
    assert (run.loss < 0).mean() > 0.5
    spec = F.race_figure_spec(xs, ys, Z, [_view(run, "gd", "#000")], log_scale=False, window=s.window)
    (trace,) = _panel_traces(spec)
    assert np.isfinite(_dec(trace["y"])).all()


# --------------------------------------------------------------------------------------------
# Colour scale
# --------------------------------------------------------------------------------------------
def _pixel(uri: str, xs, ys, x: float, y: float) -> np.ndarray:
    im = np.array(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB")).astype(int)
    j, i = int(np.argmin(abs(xs - x))), int(np.argmin(abs(ys - y)))
    return im[len(ys) - 1 - i, j]  # row 0 of the image is the top (largest y)


def test_sin_cos_gets_linear_colours_that_show_maxima_and_saddles():
    s = surfaces.parse("sin(x)*cos(y)")
    xs, ys, Z = s.grid(200, s.window)
    uri = F.surface_image(xs, ys, Z, log_scale=True)  # asked for log ...
    top, saddle, low = (_pixel(uri, xs, ys, *pt) for pt in ((math.pi / 2, 0), (0, math.pi / 2), (-math.pi / 2, 0)))
    assert np.abs(top - saddle).sum() > 200 and np.abs(saddle - low).sum() > 200  # three distinct colours
    assert uri == F.surface_image(xs, ys, Z, log_scale=False)  # ... drawn linear
    assert F.log_colour_hides_structure(Z) and not F.colour_scale_is_log(Z, True)
    # the colour values span the range, a maximum and a saddle half of it apart
    C, _, _ = colour_values(Z, F.colour_scale_is_log(Z, True))
    cmin, cmax = np.nanmin(C), np.nanmax(C)
    i0, j_top, j_saddle = int(np.argmin(abs(ys))), int(np.argmin(abs(xs - math.pi / 2))), int(np.argmin(abs(xs)))
    i_saddle = int(np.argmin(abs(ys - math.pi / 2)))
    assert C[i0, j_top] - C[i_saddle, j_saddle] > 0.4 * (cmax - cmin)
    # the figure says so: colour bar "f (linear)" and a note
    spec = F.race_figure_spec(xs, ys, Z, [], log_scale=True)
    assert spec["data"][0]["marker"]["colorbar"]["title"]["text"] == "f (linear)"
    assert spec["layout"]["images"][0]["source"] == uri
    assert any(a["text"].replace("<br>", " ") == F.FIGURE_LABELS["colour_linear"] for a in spec["layout"]["annotations"])


def test_quartic_double_well_keeps_log_colours_where_they_show_more():
    """x^4 - x^2 + y^2 goes below zero too, but there log colours are what separates the two
    wells (f = -0.25) from the saddle between them (f = 0) under walls up to 81: log is kept."""
    s = surfaces.parse("x^4 - x^2 + y^2")
    xs, ys, Z = s.grid(200, s.window)
    assert F.colour_scale_is_log(Z, True)
    wells = ((1 / math.sqrt(2), 0), (0, 0), (2.5, 2.5))
    well, saddle, wall = (_pixel(F.surface_image(xs, ys, Z, log_scale=True), xs, ys, *pt) for pt in wells)
    assert np.abs(well - saddle).sum() > 60 and np.abs(saddle - wall).sum() > 60
    well, saddle, _ = (_pixel(F.surface_image(xs, ys, Z, log_scale=False), xs, ys, *pt) for pt in wells)
    assert np.abs(well - saddle).sum() < 10  # linear colours would merge them


@pytest.mark.parametrize("sid", ["rosenbrock", "himmelblau", "beale", "goldstein_price", "tilted_valley"])
def test_log_surfaces_of_the_catalog_stay_log(sid):
    s = surfaces.CATALOG[sid]
    assert s.log_scale
    for n in (80, 200):
        xs, ys, Z = s.grid(n, s.window)
        assert F.colour_scale_is_log(Z, True), (sid, n)
    spec = F.race_figure_spec(xs, ys, Z, [], log_scale=True, window=s.window)
    assert spec["data"][0]["marker"]["colorbar"]["title"]["text"] == "f (log)"
    assert "annotations" not in spec["layout"] or not any(
        a["text"].replace("<br>", " ") == F.FIGURE_LABELS["colour_linear"] for a in spec["layout"]["annotations"])


def test_linear_request_is_never_changed():
    s = surfaces.CATALOG["rosenbrock"]
    xs, ys, Z = s.grid(60, s.window)
    assert not F.colour_scale_is_log(Z, False)
    assert F.colorbar_trace(Z, False).marker.colorbar.title.text == "f"


def test_3d_view_follows_the_same_choice():
    s = surfaces.parse("sin(x)*cos(y)")
    xs, ys, Z = s.grid(60, s.window)
    a = F.surface_3d_figure_spec(xs, ys, Z, [], True)
    b = F.surface_3d_figure_spec(xs, ys, Z, [], False)
    assert a == b


# --------------------------------------------------------------------------------------------
# A path that leaves the window
# --------------------------------------------------------------------------------------------
def test_path_that_leaves_the_window_gets_an_edge_marker(saddle_newton):
    s, paths, spec = saddle_newton
    xmin, xmax, ymin, ymax = s.window
    gd = paths[0]
    outside = (np.abs(gd.points) > 2).any(axis=1)
    k = int(np.argmax(outside))
    assert 60 < k < 100 and outside[k:].all()  # GD leaves at step k and never comes back
    meta = spec["layout"]["meta"]
    head_gd, head_newton = meta["head_traces"]
    assert meta["edge_traces"] == [head_gd]  # Newton stays inside: no edge marker
    assert meta["animated_traces"][: 4] == [meta["trail_traces"][0], head_gd, meta["trail_traces"][1], head_newton]
    pos = meta["animated_traces"].index(head_gd)
    seen_after = 0
    for frame in spec["frames"]:
        step = int(frame["name"])
        head = frame["data"][pos]
        x, y = _dec(head["x"]), _dec(head["y"])
        assert x.size == 2 and x[0] == np.float32(gd.points[step, 0])  # [head, edge marker]
        if step < k:
            assert np.isnan(x[1]) and np.isnan(y[1])  # inside: no marker
            continue
        seen_after += 1
        # on the window's border (the top edge: it escapes along +y), pointing up, at the head's x
        assert y[1] == ymax and xmin <= x[1] <= xmax and x[1] == pytest.approx(x[0], abs=1e-6)
        assert head["marker"]["angle"] == [0, 0]
        left, *_, now, hx, hy = head["customdata"][1]
        assert left == k and now == step and hy == pytest.approx(gd.points[step, 1], rel=1e-5)
    assert seen_after >= 50
    # the initial trace: two points, an outward triangle, and the hover text
    trace = spec["data"][head_gd]
    assert trace["marker"]["symbol"] == ["circle", "triangle-up"] and trace["marker"]["color"] == "#E69F00"
    assert trace["cliponaxis"] is False
    assert "GD</b> left the window at step %{customdata[0]} (%{customdata[1]" in trace["hovertemplate"][1]
    # and a note on the figure
    notes = [a["text"].replace("<br>", " ") for a in spec["layout"]["annotations"] if a.get("xref") == "x domain"]
    assert notes == [f"GD left the window at step {k} (▲ on the edge points to it)"]


def test_edge_marker_points_out_of_the_side_it_crossed():
    xs = ys = np.linspace(-1, 1, 21)
    Z = xs[None, :] ** 2 + ys[:, None] ** 2
    t = np.linspace(0, 1, 21)
    paths = [F.PathView(name=n, color="#000", points=np.column_stack([a * t, b * t]), loss=t)
             for n, a, b in (("right", 3, 0.5), ("down", 0.2, -3), ("corner", -3, -3), ("stays", 0.5, 0.5))]
    spec = F.race_figure_spec(xs, ys, Z, paths, log_scale=False, max_frames=21)
    meta = spec["layout"]["meta"]
    assert meta["edge_traces"] == meta["head_traces"][:3]
    last = spec["frames"][-1]["data"]
    want = {"right": ((1.0, 0.5), 90), "down": ((0.2, -1.0), 180), "corner": ((-1.0, -1.0), -135)}
    for i, name in enumerate(("right", "down", "corner")):
        head = last[2 * i + 1]
        (ex, ey), angle = want[name]
        assert _dec(head["x"])[1] == pytest.approx(ex) and _dec(head["y"])[1] == pytest.approx(ey)
        assert head["marker"]["angle"][1] == angle, name
    assert _dec(last[7]["x"]).size == 1  # a path that stays inside keeps a one-point head


def test_diverged_path_outside_the_window_gets_an_edge_marker_too():
    xs = ys = np.linspace(-2, 2, 21)
    Z = xs[None, :] ** 2 + ys[:, None] ** 2
    n = 30
    pts = np.array([[0.5 * 2.0**k, 0.1] for k in range(n + 1)])
    pts[-3:] = np.inf
    p = F.PathView(name="boom", color="#CC79A7", points=pts, loss=(pts**2).sum(1), status="diverged")
    spec = F.race_figure_spec(xs, ys, Z, [p], log_scale=False)
    head = spec["frames"][-1]["data"][1]
    assert _dec(head["x"])[1] == 2.0 and _dec(head["y"])[1] == pytest.approx(0.1)
    assert head["customdata"][1][0] == 3  # 0.5 * 2**3 = 4 > 2: left at step 3


def test_a_log_panel_under_a_decade_gets_two_round_ticks():
    """plotly.js labels a log axis spanning less than a decade 0.5, 1, 1.5, ... (they touched in
    the batch page's 50 px loss panel, issue 11): two round values instead, far apart."""
    from pages.lib.figures.panels import _sub_decade_ticks

    assert _sub_decade_ticks(math.log10(0.23), math.log10(1.51)) == [0.5, 1.5]
    assert _sub_decade_ticks(2.0, 2.05) == [100.0, 110.0]
    assert _sub_decade_ticks(math.log10(4.1), math.log10(4.4)) == [4.1, 4.4]
