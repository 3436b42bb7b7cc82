"""A real browser through the proxy when its replica dies: Debian's chromium (Playwright) opens a
preset link via ``deploy.serve`` (2 replicas), its replica is killed; Streamlit's frontend
reconnects through the proxy, gets a live replica's cookie, keeps showing the same view (same
link, no exception), and the next control change is computed by the live replica.

Needs haproxy (DESCENT_LAB_REQUIRE_HAPROXY) and chromium + playwright (DESCENT_LAB_REQUIRE_BROWSER):
skips without them locally, fails in CI. Every wait is bounded; processes are killed in finally.
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest
from deploy_helpers import Cluster

pytestmark = [pytest.mark.slow, pytest.mark.deploy, pytest.mark.browser]

PLOT = "[data-testid='stMain'] .js-plotly-plot .imagelayer image"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
TIMEOUT_MS = 120_000


def _affinity(page) -> str | None:
    return {c["name"]: c["value"] for c in page.context.cookies()}.get("SERVERID")


def test_browser_keeps_its_view_when_its_replica_dies(haproxy_exe, chromium_browser, tmp_path):
    from pages.lib.presets import PRESETS

    preset = PRESETS["momentum_two_dips"]
    cluster = None
    try:
        cluster = Cluster(2, tmp_path, prewarm=False)
        # the worker's one browser (tests/conftest.py): a second sync_playwright is refused
        context = chromium_browser.new_context(viewport={"width": 1366, "height": 768})
        try:
            page = context.new_page()
            page.goto(f"{cluster.url}/{preset.page}?{preset.query()}", timeout=TIMEOUT_MS)
            page.wait_for_selector(PLOT, state="attached", timeout=TIMEOUT_MS)
            page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
            first = _affinity(page)
            assert first in ("r1", "r2"), page.context.cookies()
            link = page.evaluate("() => location.href")

            os.kill(cluster.replica(first)["pid"], signal.SIGKILL)
            deadline = time.monotonic() + 60
            while _affinity(page) == first and time.monotonic() < deadline:
                page.wait_for_timeout(250)  # the frontend probes /_stcore/health and reconnects
            second = _affinity(page)
            assert second not in (None, first), "the browser did not get a live replica's cookie"
            page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
            assert page.evaluate("() => location.href") == link  # the same view: the link holds it
            assert page.locator(PLOT).count() and not page.locator("[data-testid='stException']").count()

            # the next change runs on the live replica (a new session there, the link's state)
            box = page.locator("[data-testid='stSidebar'] input[type='number']").first
            before = page.evaluate("() => location.search")
            # mark the figures drawn now: the change must bring new ones (a redraw replaces gd.data)
            page.evaluate("() => document.querySelectorAll('.js-plotly-plot').forEach(g => { if (g.data) g.data.__old = 1; })")
            box.focus()
            box.press("ArrowUp")
            box.press("Enter")
            page.wait_for_function("(q) => location.search !== q", arg=before, timeout=TIMEOUT_MS)
            page.wait_for_timeout(300)
            page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
            page.wait_for_selector(PLOT, state="attached", timeout=TIMEOUT_MS)
            # under load "idle" can show before the change's run starts: wait for its figures to arrive
            page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')]"
                                   ".some(g => g.data && !g.data.__old)", timeout=TIMEOUT_MS)
            assert not page.locator("[data-testid='stException']").count()
        finally:
            context.close()
        # HAProxy logs a websocket when it closes: under load that line can take seconds to appear
        deadline = time.monotonic() + 30
        while True:
            log = Path(cluster.state["haproxy"]["log"]).read_text(errors="replace")
            streams = re.findall(rf"replicas/{second} \S+ 101 (\d+) .*GET /_stcore/stream", log)
            if (streams and max(map(int, streams)) > 50_000) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert streams and max(map(int, streams)) > 50_000, \
            f"no websocket on {second} carried the figures after the change: {streams}"
        assert cluster.stop() == 0, cluster.output()
    finally:
        if cluster is not None:
            cluster.kill_everything()
