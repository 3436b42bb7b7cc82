"""A box dragged on a chart sets a point (the playground's start, the critical map's inspected
point): once per new box, only on the main axes, never from a non-finite box."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page():
    import streamlit as st

    from pages.lib import widgets

    st.session_state["chart"] = st.session_state.get("selection_event")  # what plotly_chart stores
    st.session_state["result"] = widgets.set_point_from_box("chart", "_seen", "px", "py")


def _drag(at: AppTest, box: dict | None) -> AppTest:
    at.session_state["selection_event"] = {"selection": {"box": [box]}} if box else None
    at.run()
    assert not at.exception
    return at


def test_a_box_sets_the_point_once():
    at = AppTest.from_function(_page)
    _drag(at, {"x": [1.0, 3.0], "y": [-1.0, 0.0], "xref": "x", "yref": "y"})
    assert at.session_state["result"] == (2.0, -0.5)
    assert (at.session_state["px"], at.session_state["py"]) == (2.0, -0.5)
    _drag(at, {"x": [1.0, 3.0], "y": [-1.0, 0.0], "xref": "x", "yref": "y"})  # the same box again: a rerun
    assert at.session_state["result"] is None
    _drag(at, {"x": [5e4, 5e4], "y": [0.0, 0.0]})  # a new box far out: clipped to the inputs' bounds
    assert at.session_state["result"] == (5e4, 0.0) and at.session_state["px"] == 1e3


def test_boxes_that_are_not_points_on_the_surface_are_ignored():
    at = AppTest.from_function(_page)
    for box in ({"x": [0, 1], "y": [0, 1], "xref": "x2", "yref": "y2"},  # on a side panel
                {"x": [0, float("inf")], "y": [0, 1]},  # not finite
                {"x": "junk", "y": [0, 1]},  # malformed
                None):  # no selection
        _drag(at, box)
        assert at.session_state["result"] is None, box
        assert "px" not in at.session_state


def _click(at: AppTest, *points: dict) -> AppTest:
    at.session_state["selection_event"] = {"selection": {"box": [], "points": list(points)}}
    at.run()
    assert not at.exception
    return at


def test_a_click_on_the_map_picks_the_click_grid_point_once_and_rounds_it():
    """Plotly reports a click only on a point: the race and critical maps carry an invisible grid
    (trace ``CLICK_TRACE``); a click selects one grid point, whose float32 value is rounded back."""
    import numpy as np

    from pages.lib.figures import CLICK_TRACE

    at = AppTest.from_function(_page)
    _click(at, {"curve_number": CLICK_TRACE, "x": float(np.float32(0.1)), "y": float(np.float32(-2.25))})
    assert at.session_state["result"] == (0.1, -2.25)
    assert (at.session_state["px"], at.session_state["py"]) == (0.1, -2.25)
    _click(at, {"curve_number": CLICK_TRACE, "x": float(np.float32(0.1)), "y": float(np.float32(-2.25))})
    assert at.session_state["result"] is None  # the same click again: a rerun, not a new pick
    for points in ([{"curve_number": CLICK_TRACE + 5, "x": 1.0, "y": 1.0}],  # a path's point, not the grid
                   [{"curve_number": CLICK_TRACE, "x": 1.0, "y": 1.0}, {"curve_number": CLICK_TRACE, "x": 2.0,
                                                                        "y": 1.0}],  # a lasso of many points
                   [{"curve_number": CLICK_TRACE, "x": "junk", "y": 1.0}]):
        _click(at, *points)
        assert at.session_state["result"] is None, points
        assert at.session_state["px"] == 0.1


def test_the_click_grid_has_round_spacing_over_the_whole_window():
    import numpy as np

    from pages.lib.claims import decode_array
    from pages.lib.figures.encoding import typed
    from pages.lib.figures.panels import nice_step
    from pages.lib.figures.race import click_grid_spec

    assert [nice_step(v) for v in (0.24, 0.25, 0.26, 0.07, 3.0, 7.5)] == [0.25, 0.25, 0.5, 0.1, 5.0, 10.0]
    spec = click_grid_spec((-5.0, 5.0, -2.0, 3.0), typed)
    x, y = decode_array(spec["x"]), decode_array(spec["y"])
    assert x.min() == -5 and x.max() == 5 and y.min() == -2 and y.max() == 3
    assert sorted(set(np.round(np.diff(np.unique(x)), 6))) == [0.25]  # 10 / 40 cells
    assert spec["marker"]["opacity"] == 0 and spec["hoverinfo"] == "none" and not spec["showlegend"]
    assert spec["marker"]["maxdisplayed"] == 1  # hit-tested, not drawn (each point would be an SVG path)
