"""The exported HTML animation plays in Chromium with the network off (plotly.js embedded)."""

from __future__ import annotations

import numpy as np
import pytest

import optim
import surfaces
from pages.lib import figures
from pages.lib.exports import offline_html

pytestmark = pytest.mark.browser


def test_offline_html_plays_with_network_disabled(_browser, tmp_path):
    surface = surfaces.CATALOG["himmelblau"]
    xs, ys, Z = surface.grid(120)
    run = optim.simulate(surface, optim.make("adam", lr=0.1), surface.starts[0], 150)
    path = figures.PathView(name="adam", color="#E69F00", points=run.points, loss=run.loss, lr=run.lr,
                            effective_step=run.effective_step, grad_norm=np.linalg.norm(run.grad, axis=1),
                            status=run.status, stop_step=run.stop_step)
    html = offline_html(figures.race_figure(xs, ys, Z, [path], log_scale=True, window=surface.window))
    assert "cdn.plot.ly" not in html.split("<body>")[1][:2000]  # no script fetched from a CDN
    file = tmp_path / "anim.html"
    file.write_text(html, encoding="utf-8")

    context = _browser.new_context(offline=True, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(file.as_uri())
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    head = "(() => { const gd = document.querySelector('.js-plotly-plot'); const i = gd.layout.meta.animated_traces[1];" \
           " return [gd._fullData[i].x[0], gd._fullData[i].y[0]]; })()"
    before = page.evaluate(head)
    page.locator("g.updatemenu-button", has_text="▶").first.click()
    page.wait_for_timeout(1500)
    after = page.evaluate(head)
    assert before != after, "the head did not move: the offline animation does not play"
    assert page.locator(".js-plotly-plot .imagelayer image").count() == 1
    assert all(u.startswith(("file:", "data:", "blob:", "about:")) for u in requests), requests
    context.close()
