"""A path that leaves the window: its edge marker is DRAWN by the redraw=False animation in
Chromium (the head trace's second point), on the window's border, and absent before it leaves.

(Frames only update traces that exist in the initial figure; the edge marker is a point of the
head trace that is NaN while the head is inside, so this checks plotly.js draws a point that
appears mid-animation, with the frame's marker angle and hover data.)
"""

from __future__ import annotations

import numpy as np
import pytest

import optim
import surfaces
from pages.lib import figures
from pages.lib.exports import offline_html

pytestmark = pytest.mark.browser

STATE = """(i) => {
    const gd = document.querySelector('.js-plotly-plot');
    const t = gd._fullData[i];
    const g = Array.from(gd.querySelectorAll('g.trace.scatter'))
        .find(el => el.__data__ && el.__data__[0] && el.__data__[0].trace.index === i);
    const pts = g ? Array.from(g.querySelectorAll('path.point')) : [];
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    return {x: Array.from(t.x, Number), y: Array.from(t.y, Number), angle: t.marker.angle,
            n_points: pts.length,
            drawn: pts.map(p => p.getAttribute('transform')),
            edge_px: [xa.l2p(Number(t.x[1])), ya.l2p(Number(t.y[1]))],
            top_px: ya.l2p(ya.range[1]), cd: t.customdata};
}"""


def _saddle_race():
    surface = surfaces.CATALOG["saddle"]
    xs, ys, Z = surface.grid(120)
    run = optim.simulate(surface, optim.make("gd", lr=0.05), (1.8, 0.001), 200)
    path = figures.PathView(name="GD", color="#E69F00", points=run.points, loss=run.loss, lr=run.lr,
                            effective_step=run.effective_step, grad_norm=np.linalg.norm(run.grad, axis=1),
                            status=run.status, stop_step=run.stop_step)
    return figures.race_figure_spec(xs, ys, Z, [path], log_scale=False, window=surface.window)


def test_edge_marker_appears_when_the_head_leaves(_browser, tmp_path):
    spec = _saddle_race()
    (head,) = spec["layout"]["meta"]["edge_traces"]
    file = tmp_path / "edge.html"
    file.write_text(offline_html(spec), encoding="utf-8")
    context = _browser.new_context(offline=True, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(file.as_uri())
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)

    def go_to(step: int) -> dict:
        page.evaluate("(s) => Plotly.animate(document.querySelector('.js-plotly-plot'), [String(s)], "
                      "{mode: 'immediate', frame: {duration: 0, redraw: false}, transition: {duration: 0}})", step)
        page.wait_for_timeout(300)
        return page.evaluate(STATE, head)

    inside = go_to(40)
    assert np.isnan(inside["x"][1]) and inside["n_points"] == 1  # only the head is drawn
    out = go_to(120)
    assert out["y"][0] > 50 and out["y"][1] == 2.0  # head far above, marker on the top edge
    assert out["n_points"] == 2, out["drawn"]  # plotly.js drew the point that appeared mid-animation
    assert abs(out["edge_px"][1] - out["top_px"]) < 1.0
    assert out["cd"][1][0] == 80 and out["cd"][1][3] == 120  # left at step 80; hover shows step 120
    back = go_to(40)  # the slider can go back: the marker goes away again
    assert back["n_points"] == 1
    context.close()
