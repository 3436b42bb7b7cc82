"""pages/lib/figures/ without a browser: structure, payload and determinism of the race figure."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

import surfaces
from pages.lib import figures as F
from pages.lib.figures.encoding import typed
from pages.lib.figures.raster import colour_values, iso_lines
from pages.lib.figures.surface import LAYER_CACHE, LAYER_CACHE_SIZE, surface_layers
from tests.figure_demo import demo_paths, descent_path, naive_race_figure


@pytest.fixture(scope="module")
def himmelblau():
    s = surfaces.CATALOG["himmelblau"]
    xs, ys, Z = s.grid(80)
    return s, xs, ys, Z


def _line_path(n, name="p", color="#E69F00", status="budget", start=(-4.0, -4.0), end=(4.0, 4.0)):
    t = np.linspace(0, 1, n + 1)[:, None]
    pts = np.asarray(start) + t * (np.asarray(end) - np.asarray(start))
    loss = np.linspace(100, 1, n + 1)
    return F.PathView(name=name, color=color, points=pts, loss=loss, lr=np.full(n, 0.01),
                      grad_norm=np.linspace(10, 0.1, n + 1), status=status)


def _race(h, paths, **kw):
    s, xs, ys, Z = h
    return F.race_figure(xs, ys, Z, paths, log_scale=s.log_scale, window=s.window,
                         critical_points=s.known_points, **kw)


def test_frame_steps_cap_and_last():
    for last in (0, 1, 5, 199, 200, 201, 999, 1000, 12345):
        st = F.frame_steps(last, 200)
        assert len(st) <= 200 and st[0] == 0 and st[-1] == last
        assert np.all(np.diff(st) > 0)


def test_frame_cap_1000_steps(himmelblau):
    fig = _race(himmelblau, [_line_path(1000)])
    assert 2 <= len(fig.frames) <= 200
    assert fig.frames[-1].name == "1000"
    assert fig.layout.meta["frame_steps"][-1] == 1000
    # last frame's head is the last point
    anim = fig.layout.meta["animated_traces"]
    d = json.loads(fig.to_json())
    head = d["frames"][-1]["data"][1]
    hx = np.frombuffer(__import__("base64").b64decode(head["x"]["bdata"]), dtype=np.float32)
    assert hx[0] == pytest.approx(4.0)
    assert len(anim) == 2 + 4
    # slider: one step per frame, labels are step numbers
    slider = fig.layout.sliders[0]
    assert [s.label for s in slider.steps] == [f.name for f in fig.frames]


def test_frames_update_only_animated_traces(himmelblau):
    paths = [_line_path(300, "a"), _line_path(120, "b", "#56B4E9", start=(-4, 4), end=(3, 2))]
    fig = _race(himmelblau, paths)
    anim = list(fig.layout.meta["animated_traces"])
    n = len(fig.data)
    assert anim == list(range(n - len(anim), n))  # the last traces
    kinds = [fig.data[i] for i in anim]
    assert [t.name for t in kinds[:4]] == ["a", "a", "b", "b"]  # trail, head per path
    assert all(t.name == "step cursor" for t in kinds[4:]) and len(kinds[4:]) == 4
    meta = fig.layout.meta
    assert meta["head_traces"] == [anim[1], anim[3]] and meta["trail_traces"] == [anim[0], anim[2]]
    assert meta["cursor_traces"] == anim[4:]
    for fr in fig.to_plotly_json()["frames"]:
        assert list(fr["traces"]) == anim
        assert len(fr["data"]) == len(anim)
    # no frame touches the surface, iso-lines or full paths
    static = {fig.data[i].name for i in range(n) if i not in anim}
    assert "iso-lines" in static


def test_background_is_layout_image_and_no_contour(himmelblau):
    fig = _race(himmelblau, [_line_path(50)])
    (img,) = fig.layout.images
    assert img.layer == "below" and img.xref == "x" and img.yref == "y" and img.sizing == "stretch"
    assert img.source.startswith("data:image/png;base64,")
    types = {t.type for t in fig.data}
    assert types == {"scatter"}, types  # no contour / heatmap in the 2D view
    for fr in fig.to_plotly_json()["frames"]:
        assert all(t["type"] == "scatter" for t in fr["data"])
    assert any(t.name == "iso-lines" and t.mode == "lines" for t in fig.data)
    assert any(getattr(t.marker, "showscale", False) for t in fig.data)  # colour bar


def test_arrays_are_binary(himmelblau):
    s, xs, ys, Z = himmelblau
    paths = demo_paths(s, n_steps=400, count=3)
    js = _race(himmelblau, paths).to_json()
    assert '"bdata"' in js
    d = json.loads(js)

    def longest_number_list(o):
        """Longest list of plain numbers (decimal text) anywhere inside o."""
        if isinstance(o, list):
            own = len(o) if o and all(isinstance(v, (int, float)) or v is None for v in o) else 0
            return max([own] + [longest_number_list(v) for v in o])
        if isinstance(o, dict):
            return max([0] + [longest_number_list(v) for v in o.values()])
        return 0

    assert longest_number_list(d["data"]) < 50
    assert longest_number_list(d["frames"]) < 20  # only the 'traces' index lists
    assert len(js) < 400_000


def test_paths_of_different_lengths_stop_at_their_end(himmelblau):
    short, long_ = _line_path(20, "short"), _line_path(300, "long", "#56B4E9", start=(4, -4), end=(-4, 4))
    fig = _race(himmelblau, [short, long_], trail=5)
    d = json.loads(fig.to_json())
    import base64

    def dec(spec):
        return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.float32)

    last = d["frames"][-1]["data"]
    assert dec(last[1]["x"])[0] == pytest.approx(4.0)  # short path's head at its last point
    assert dec(last[3]["x"])[0] == pytest.approx(-4.0)
    assert dec(last[0]["x"]).size == 6  # trail of 5 + head
    assert d["frames"][-1]["name"] == "300"


def test_diverged_path_end_marker(himmelblau):
    n = 30
    pts = np.array([[0.5 * 2.0**k, 0.1] for k in range(n + 1)])
    pts[-3:] = np.inf
    loss = np.r_[np.geomspace(1, 1e30, n - 2), np.inf, np.nan, np.nan]
    p = F.PathView(name="boom", color="#CC79A7", points=pts, loss=loss, status="diverged")
    assert p.last_finite == n - 3
    fig = _race(himmelblau, [p, _line_path(40)])
    marks = [t for t in fig.data if t.name == "boom diverged"]
    assert len(marks) == 1
    m = marks[0]
    assert m.marker.symbol == "x" and m.marker.color == F.DIVERGED_COLOR
    assert float(m.x[0]) == pts[n - 3, 0]
    # the head stays at the last finite point
    import base64

    head = json.loads(fig.to_json())["frames"][-1]["data"][1]
    assert np.frombuffer(base64.b64decode(head["x"]["bdata"]), dtype=np.float32)[0] == np.float32(pts[n - 3, 0])


def test_nan_and_inf_in_surface_do_not_crash():
    s = surfaces.parse("log(x) + y^2")
    xs, ys, Z = s.grid(60, (-2, 2, -2, 2))
    assert np.isnan(Z).any()
    Z = Z.copy()
    Z[0, 0] = np.inf
    p = _line_path(10, start=(1.5, 1.5), end=(1.0, 0.0))
    for log in (False, True):
        fig = F.race_figure(xs, ys, Z, [p], log_scale=log, window=(-2, 2, -2, 2))
        fig.to_json()
        F.surface_3d_figure(xs, ys, Z, [p], log).to_json()
    allnan = np.full_like(Z, np.nan)
    F.race_figure(xs, ys, allnan, [p], log_scale=True).to_json()


def test_image_transparent_where_nan():
    import base64
    import io

    from PIL import Image

    xs = np.linspace(-1, 1, 20)
    Z = np.add.outer(xs, xs) ** 2
    Z[5, 7] = np.nan
    uri = F.surface_image(xs, xs, Z, log_scale=True)
    im = np.array(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))))
    assert im.shape == (20, 20, 4)
    assert im[19 - 5, 7, 3] == 0 and im[0, 0, 3] == 255  # row 0 of the image is the top (largest y)


def test_iso_lines_lie_on_their_level():
    xs = np.linspace(-2, 2, 101)
    Z = xs[None, :] ** 2 + xs[:, None] ** 2
    x, y = iso_lines(xs, xs, Z, [1.0])
    ok = np.isfinite(x)
    r = np.hypot(x[ok], y[ok])
    assert ok.sum() > 50 and np.allclose(r, 1.0, atol=2e-3)
    assert np.isnan(x).sum() == 1  # one closed circle, chained into one polyline
    assert x[0] == x[ok.sum() - 1] and y[0] == y[ok.sum() - 1]


def test_log_colour_values_documented_inverse():
    Z = np.array([[3.0, 4.0], [103.0, 1003.0]])
    C, zmin, delta = colour_values(Z, True)
    assert zmin == 3.0 and delta == pytest.approx(1e-3)
    assert np.allclose(10**C - delta + zmin, Z)


def test_determinism_byte_identical(himmelblau):
    s, xs, ys, Z = himmelblau
    a = F.race_figure(xs, ys, Z, demo_paths(s, 200, 3), log_scale=True, window=s.window,
                      critical_points=s.known_points).to_json()
    b = F.race_figure(xs, ys, Z, demo_paths(s, 200, 3), log_scale=True, window=s.window,
                      critical_points=s.known_points).to_json()
    assert a == b


def test_fast_frames_equal_validated_frames(himmelblau):
    fast = _race(himmelblau, [_line_path(30)], max_frames=10)
    slow = _race(himmelblau, [_line_path(30)], max_frames=10, fast_frames=False)
    assert json.loads(fast.to_json()) == json.loads(slow.to_json())  # same content (key order may differ)
    assert len(slow.frames[0].data) == len(slow.layout.meta["animated_traces"])
    assert json.loads(go.Figure(fast.to_plotly_json()).to_json()) == json.loads(fast.to_json())  # validates


def test_colours_consistent_and_big_mode(himmelblau):
    p = _line_path(50, "A", "#009E73")
    fig = _race(himmelblau, [p])
    group = [t for t in fig.data if t.legendgroup == "A"]
    cols = {t.line.color for t in group if t.mode == "lines"} | {t.marker.color for t in group if t.mode == "markers"}
    assert cols == {"#009E73"}
    big = _race(himmelblau, [p], big=True)
    assert big.layout.font.size > fig.layout.font.size
    head = lambda f: f.data[f.layout.meta["animated_traces"][1]].marker.size  # noqa: E731
    assert head(big) > head(fig)


def test_controls(himmelblau):
    fig = _race(himmelblau, [_line_path(50)])
    play, pause = fig.layout.updatemenus[0].buttons
    assert play.args[0] is None and play.args[1]["frame"]["redraw"] is False and play.args[1]["fromcurrent"]
    assert list(pause.args[0]) == [None]
    assert '"args":[[null],' in fig.to_json()  # Pause = animate([null], ...)
    speeds = fig.layout.updatemenus[1].buttons
    durs = [b.args[1]["frame"]["duration"] for b in speeds]
    assert durs == sorted(durs, reverse=True) and len(durs) == 3


def test_no_panels_variant(himmelblau):
    fig = _race(himmelblau, [_line_path(50)], panels=False)
    assert len(fig.layout.meta["animated_traces"]) == 2
    assert "xaxis2" not in fig.to_plotly_json()["layout"]


def test_other_figures(himmelblau):
    s, xs, ys, Z = himmelblau
    paths = [descent_path(s, (0, 0), lr=0.01, n_steps=100)]
    f3 = F.surface_3d_figure(xs, ys, Z, paths, True)
    assert f3.data[0].type == "surface" and not f3.frames
    sch = F.schedule_figure({"cosine": (np.cos(np.linspace(0, 1.5, 50)) * 0.1, "#E69F00"), "const": (np.full(50, 0.05), "#56B4E9")})
    assert len(sch.data) == 2 and sch.data[0].line.color == "#E69F00"


@pytest.mark.slow  # builds the 114 MB naive figure: a size benchmark, not an edit-loop test
def test_naive_is_much_bigger(himmelblau):
    s, xs, ys, Z = himmelblau
    paths = [_line_path(300, str(k)) for k in range(2)]
    naive = len(naive_race_figure(xs, ys, Z, paths, log_scale=True).to_json())
    ours = len(F.race_figure(xs, ys, Z, paths, log_scale=True).to_json())
    assert naive > 3 * ours


def test_pathview_validation():
    with pytest.raises(ValueError):
        F.PathView(name="x", color="#000", points=np.zeros((3, 2)), loss=np.zeros(2))
    with pytest.raises(ValueError):
        F.PathView(name="x", color="#000", points=np.zeros((3, 2)), loss=np.zeros(3), status="weird")
    p = F.PathView(name="x", color="#000", points=np.zeros((1, 2)), loss=np.zeros(1))
    assert p.n_steps == 0 and p.effective_step.shape == (0, 2)


# --------------------------------------------------------------------------------------------
# Plain-dict specs (race_figure_spec, surface_3d_figure_spec, schedule_figure_spec): each equals
# plotly.py's to_dict() of the validated figure, and go.Figure(spec) changes nothing. (Until the
# spec shipped they were also compared with a verbatim copy of the pre-spec builders.)
# --------------------------------------------------------------------------------------------
import plotly.io as pio  # noqa: E402
from _plotly_utils.utils import to_typed_array_spec  # noqa: E402


def _canon(fig_or_dict):
    """Figure or dict -> JSON value via plotly.io with a fixed engine (NumPy arrays -> lists)."""
    return json.loads(pio.to_json(fig_or_dict, validate=False, engine="json"))


def _diverged_path():
    n = 30
    pts = np.array([[0.5 * 2.0**k, 0.1] for k in range(n + 1)])
    pts[-3:] = np.inf
    loss = np.r_[np.geomspace(1, 1e30, n - 2), np.inf, np.nan, np.nan]
    return F.PathView(name="boom", color="#CC79A7", points=pts, loss=loss, status="diverged")


def _race_cases():
    h = surfaces.CATALOG["himmelblau"]
    xs, ys, Z = h.grid(80)
    r = surfaces.CATALOG["rosenbrock"]
    rx, ry, rZ = r.grid(200)
    six = demo_paths(r, 300, 6)
    ln = surfaces.parse("log(x) + y^2")
    lx, ly, lZ = ln.grid(60, (-2, 2, -2, 2))
    lZ = lZ.copy()
    lZ[0, 0] = np.inf
    short = _line_path(20, "stopped", "#009E73")
    stopped = F.PathView(name=short.name, color=short.color, points=short.points, loss=short.loss, stop_step=15,
                         dash="dot", marker="square")
    crit_mixed = [(0.0, 0.0, "saddle"), {"x": 1, "y": 2, "kind": "maximum"}, (3, 2, "minimum"), (1, 1, "degenerate")]
    return {
        "one_path": (xs, ys, Z, [_line_path(50)], dict(log_scale=True, window=h.window,
                                                       critical_points=h.known_points)),
        "six_300_big": (rx, ry, rZ, six, dict(log_scale=r.log_scale, window=r.window,
                                              critical_points=r.known_points, big=True)),
        "lengths_diverged": (xs, ys, Z, [_diverged_path(), stopped,
                                         _line_path(300, "long", "#56B4E9", start=(4, -4), end=(-4, 4))],
            dict(log_scale=True, window=h.window, critical_points=h.known_points, trail=5, log_loss=False)),
        "no_panels_linear": (xs, ys, Z, [_line_path(1000), _line_path(7, "b")],
                             dict(log_scale=False, panels=False, height=560, xlabel="w1", ylabel="w2",
                                  title="A title", critical_points=crit_mixed, max_frames=40)),
        "nan_surface_zero_steps": (lx, ly, lZ, [_line_path(10, start=(1.5, 1.5), end=(1.0, 0.0)),
                                                _line_path(0, "zero")],
                                   dict(log_scale=True, window=(-2, 2, -2, 2), max_frames=10)),
        "nan_surface_linear_cividis": (lx, ly, lZ, [_line_path(10)], dict(log_scale=False, colorscale="Cividis")),
        "all_nan": (lx, ly, np.full_like(lZ, np.nan), [_line_path(10)], dict(log_scale=True)),
        "no_paths": (xs, ys, Z, [], dict(log_scale=True)),
    }


RACE_CASES = list(_race_cases())


@pytest.mark.parametrize("case", RACE_CASES)
def test_race_spec_equals_validated(case):
    xs, ys, Z, paths, kw = _race_cases()[case]
    spec = F.race_figure_spec(xs, ys, Z, paths, **kw)
    assert isinstance(spec, dict) and set(spec) == {"data", "layout", "frames"}
    want = _canon(spec)
    assert json.loads(json.dumps(spec)) == want  # plain JSON already: no NumPy left inside
    assert _canon(F.race_figure(xs, ys, Z, paths, **kw).to_dict()) == want  # the validated twin
    assert _canon(go.Figure(spec).to_dict()) == want  # plotly accepts it (frames too) and changes nothing


def test_other_specs_equal_validated(himmelblau):
    s, xs, ys, Z = himmelblau
    paths = [descent_path(s, (0, 0), lr=0.01, n_steps=100), _diverged_path(),
             _line_path(30, "far", start=(-9, -9), end=(9, 9))]
    for args, kw in (((xs, ys, Z, paths, True), {}), ((xs, ys, Z, paths[:1], False), dict(big=True, n_max=30)),
                     ((xs, ys, Z, [], True), dict(n_max=200, height=300, xlabel="a"))):
        spec = F.surface_3d_figure_spec(*args, **kw)
        want = _canon(spec)
        assert json.loads(json.dumps(spec)) == want
        assert _canon(F.surface_3d_figure(*args, **kw).to_dict()) == want
        assert _canon(go.Figure(spec).to_dict()) == want
    for lrs, kw in (({"cosine": (np.cos(np.linspace(0, 1.5, 50)) * 0.1, "#E69F00"),
                      "const": (np.full(50, 0.05), "#56B4E9")}, {}),
                    ({"x": ([0.1, 0.01, 0.001], "#000")}, dict(log_y=True, big=True, height=300)),
                    ({"empty": ([], "#111")}, {})):
        spec = F.schedule_figure_spec(lrs, **kw)
        want = _canon(spec)
        assert json.loads(json.dumps(spec)) == want
        assert _canon(F.schedule_figure(lrs, **kw).to_dict()) == want
        assert _canon(go.Figure(spec).to_dict()) == want


@pytest.mark.parametrize("arr", [
    np.array([1.5, np.nan, -np.inf], dtype=np.float32), np.linspace(0, 1, 7), np.arange(5), np.arange(300),
    np.array([-40000, 40000]), np.array([0, 2**40]), np.array([3, 70000], dtype=np.uint64),
    np.arange(6, dtype=np.int32).reshape(2, 3), np.zeros((4, 3), dtype=np.float32)[:, 1], np.zeros(0),
    np.zeros((0, 2)), np.array([True, False]), np.arange(12.0).reshape(3, 4).T,
])
def test_typed_matches_plotly_encoder(arr):
    assert json.loads(json.dumps(typed(arr))) == _canon({"v": to_typed_array_spec(arr)})["v"]


def test_surface_layers_memoised_on_grid_bytes(himmelblau):
    s, xs, ys, Z = himmelblau
    a = surface_layers(xs, ys, Z, True)
    assert surface_layers(xs.copy(), ys.copy(), Z.copy(), True) is a  # same bytes -> cache hit
    assert surface_layers(xs, ys, Z, False) is not a
    Z2 = Z.copy()
    Z2[30:50, 30:50] = Z.max()
    b = surface_layers(xs, ys, Z2, True)
    assert b is not a and b.image != a.image
    assert a.image == F.surface_image(xs, ys, Z, True)
    assert not a.iso_x.flags.writeable
    for k in range(LAYER_CACHE_SIZE + 3):
        surface_layers(xs, ys, Z + k, True)
    assert len(LAYER_CACHE) <= LAYER_CACHE_SIZE


def test_spec_is_deterministic_and_not_aliased_to_cache(himmelblau):
    s, xs, ys, Z = himmelblau
    kw = dict(log_scale=True, window=s.window, critical_points=s.known_points)
    a = F.race_figure_spec(xs, ys, Z, demo_paths(s, 120, 3), **kw)
    a_json = json.dumps(a)
    iso = next(t for t in a["data"] if t.get("name") == "iso-lines")
    iso["x"]["bdata"] = "spoiled"  # a caller mutating its spec ...
    a["data"][0]["marker"]["colorscale"][0][1] = "#ffffff"
    b = F.race_figure_spec(xs, ys, Z, demo_paths(s, 120, 3), **kw)
    assert json.dumps(b) == a_json  # ... does not reach the next spec


def test_the_slider_has_a_row_of_its_own_under_the_buttons(himmelblau):
    """Issue 11: the speed buttons covered the slider's right end and the x axis title sat under
    them. Now, with or without the panels: Play/Pause and the speeds on one row under the axis
    title, the slider alone on the row below, across the map's width, and the bottom margin
    holds both rows."""
    _, xs, ys, Z = himmelblau
    path = [_line_path(50)]
    for panels, width in ((True, 0.60), (False, 0.90)):
        lay = F.race_figure_spec(xs, ys, Z, path, log_scale=True, panels=panels)["layout"]
        play, speeds = lay["updatemenus"]
        s = lay["sliders"][0]
        assert play["y"] == speeds["y"] < 0 and s["y"] < play["y"]
        assert s["x"] == 0 and s["len"] == pytest.approx(width)
        assert speeds["x"] == pytest.approx(width) and speeds["xanchor"] == "right"
        plot_h = lay["height"] - lay["margin"]["t"] - lay["margin"]["b"]
        assert -play["y"] * plot_h >= 45  # below the tick labels and the axis title (px)
        assert lay["margin"]["b"] >= -s["y"] * plot_h + 50  # the slider's label and rail fit


def test_the_race_figure_carries_its_phone_layout(himmelblau):
    """Issue 11: on a phone (a chart narrower than meta.narrow.max_width) the page's script applies
    meta.narrow: the map across the width, the controls in rows of their own with >= 40 px buttons,
    the side panels stacked full width below, all inside the figure and not overlapping."""
    _, xs, ys, Z = himmelblau
    lay = F.race_figure_spec(xs, ys, Z, demo_paths(himmelblau[0], 60, 2), log_scale=True)["layout"]
    narrow = lay["meta"]["narrow"]
    upd = narrow["layout"]
    assert narrow["max_width"] >= 500 and narrow["colorbar"] == {"marker.showscale": False}
    assert upd["xaxis.domain"] == [0, 1]
    assert upd["updatemenus[0].font.size"] * 1.3 + 3 >= 40  # plotly.js: max(1.3 font, 30) + 3 px
    map_lo = upd["yaxis.domain"][0]
    rows = [upd["updatemenus[0].y"], upd["updatemenus[1].y"], upd["sliders[0].y"]]
    assert map_lo > rows[0] > rows[1] > rows[2] > 0  # under the map, one below the other
    panels = [upd[f"yaxis{k}.domain"] for k in (2, 3, 4, 5)]
    assert all(upd[f"xaxis{k}.domain"] == [0, 1] for k in (2, 3, 4, 5))
    assert panels[0][1] < rows[2] and all(a[0] > b[1] for a, b in zip(panels, panels[1:]))
    assert panels[-1][0] > 0 and upd["height"] > lay["height"]
    assert narrow["plot_h"] + 40 + 18 == upd["height"]  # plot + margins + the legend's first rows
    alone = F.race_figure_spec(xs, ys, Z, [_line_path(50)], log_scale=True, panels=False)["layout"]
    a = alone["meta"]["narrow"]["layout"]  # no panels: the map and the controls' rows only
    assert a["xaxis.domain"] == [0, 1] and a["updatemenus[1].y"] < a["updatemenus[0].y"] < a["yaxis.domain"][0]
    assert not any(k.startswith("yaxis2") for k in a)
