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
