"""First plot: time from navigation until the surface is drawn, ours against a one-chart page.

    python benchmarks/bench_first_plot.py [--rounds 7] [--pages playground momentum] [--compression | --compare]

Starts two Streamlit servers on free loopback ports (``app.py`` and
``benchmarks/one_chart_app.py``, a page with one ``st.plotly_chart`` of a 200 x 200 Himmelblau
heatmap plus one line: nothing else), both from the repository root so both read
``.streamlit/config.toml``, and drives Debian's Chromium through Playwright. Every visit is a
FRESH browser context (no HTTP cache, no Streamlit message cache, a new session), and is timed
from the start of ``page.goto`` until the chart's surface is drawn, polled every 20 ms:

- ours: a ``.js-plotly-plot`` whose ``layout.meta.animated_traces`` exists (the race figure,
  not a side chart) and which contains ``.imagelayer image`` (our surface is a layout image);
- baseline: ``.js-plotly-plot .heatmaplayer image`` (Plotly's heatmap, drawn as one image).

"wall ms" is Python's clock around goto + wait; "page ms" is ``performance.now()`` in the page
at the moment the condition held (milliseconds since the navigation started, without
Playwright's own overhead). Each page is visited once first (warm server caches: the figure and
the run are computed then, as after a teacher's first visit), then ``--rounds`` rounds; in each
round every page of ours is paired with a baseline visit, the order flipped every round. The
machine is shared, so the result is the ratio of medians measured in the same run, and the
median of the per-pair ratios (less sensitive to load that drifts during the run).

``--compression`` starts both servers with ``--server.enableWebsocketCompression true``;
``--compare`` starts both pairs of servers (without and with) and interleaves their visits in the
same rounds, for the two ratios side by side. Servers are always stopped at the end.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench_load import free_port, stop_server

ROOT = Path(__file__).resolve().parents[1]
BASELINE_APP = "benchmarks/one_chart_app.py"
PAGES = {
    "playground": "/playground?v=2&preset=race_himmelblau",
    "momentum": "/momentum?v=2&preset=momentum_two_dips",
}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
COMPRESSION = ("--server.enableWebsocketCompression", "true")
TIMEOUT_MS = 120_000
# Both conditions return performance.now() (truthy) once the surface is drawn.
OURS_DRAWN = """() => {
  for (const g of document.querySelectorAll('.js-plotly-plot')) {
    if (g.layout && g.layout.meta && g.layout.meta.animated_traces
        && g.querySelector('.imagelayer image')) return performance.now();
  }
  return 0;
}"""
BASELINE_DRAWN = """() => document.querySelector('.js-plotly-plot .main-svg .heatmaplayer image')
  ? performance.now() : 0"""


def start(script: str, options: tuple[str, ...]) -> tuple[subprocess.Popen, str]:
    """``streamlit run script`` on a free loopback port; returns the process and its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", *options],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    return proc, f"http://127.0.0.1:{port}"


def wait_healthy(proc: subprocess.Popen, base: str, timeout_s: float = 120) -> None:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server {base} exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server {base} not healthy after {timeout_s:.0f} s")


def visit(browser, url: str, condition: str) -> tuple[float, float]:
    """(wall ms, page ms) from goto until ``condition`` holds, in a fresh context."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        handle = page.wait_for_function(condition, polling=20, timeout=TIMEOUT_MS)
        wall = (time.perf_counter() - t0) * 1000
        if page.locator("[data-testid='stException']").count():
            raise RuntimeError(f"Streamlit exception on {url}")
        return wall, float(handle.json_value())
    finally:
        context.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--pages", nargs="+", choices=sorted(PAGES), default=list(PAGES),
                    help="pages of ours to time (default: all)")
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--compression", action="store_true",
                       help="start both servers with --server.enableWebsocketCompression true")
    group.add_argument("--compare", action="store_true",
                       help="both variants (config as shipped, compression on) interleaved in one run")
    args = ap.parse_args()
    pages = {name: PAGES[name] for name in args.pages}

    from playwright.sync_api import sync_playwright

    variants = {"shipped": (), "compressed": COMPRESSION} if args.compare else (
        {"compressed": COMPRESSION} if args.compression else {"shipped": ()})
    procs: list[subprocess.Popen] = []
    # samples[(variant, name)] = list of (wall, page); name is a page of ours or "baseline/<page>"
    samples: dict[tuple[str, str], list[tuple[float, float]]] = {}
    try:
        servers = {}
        for variant, options in variants.items():
            ours, ours_base = start("app.py", options)
            procs.append(ours)
            base, base_base = start(BASELINE_APP, options)
            procs.append(base)
            servers[variant] = (ours_base, base_base)
        for proc, url in zip(procs, [u for pair in servers.values() for u in pair]):
            wait_healthy(proc, url)
        t_start = time.perf_counter()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            try:
                for ours_base, base_base in servers.values():  # warm-up: caches, first compile
                    visit(browser, base_base + "/", BASELINE_DRAWN)
                    for path in pages.values():
                        visit(browser, ours_base + path, OURS_DRAWN)
                print(f"warm-up done in {time.perf_counter() - t_start:.0f} s; {args.rounds} rounds", flush=True)
                order = list(servers.items())
                for r in range(args.rounds):
                    for variant, (ours_base, base_base) in (order if r % 2 == 0 else order[::-1]):
                        for name, path in pages.items():
                            pair = [("baseline/" + name, base_base + "/", BASELINE_DRAWN),
                                    (name, ours_base + path, OURS_DRAWN)]
                            for key, url, cond in (pair if r % 2 == 0 else pair[::-1]):
                                samples.setdefault((variant, key), []).append(visit(browser, url, cond))
                    print(f"  round {r + 1}/{args.rounds} ({time.perf_counter() - t_start:.0f} s)", flush=True)
            finally:
                browser.close()
    finally:
        for proc in procs:
            if proc.poll() is None:
                stop_server(proc)

    print()
    print(f"{'variant':11s} {'page':11s} {'ours wall':>9s} {'base wall':>9s} {'ratio':>6s} {'pairs':>6s}   "
          f"{'ours page':>9s} {'base page':>9s} {'ratio':>6s}")
    for variant in variants:
        for name in pages:
            ours = samples[(variant, name)]
            base = samples[(variant, "baseline/" + name)]
            ow, bw = (statistics.median(s[0] for s in ours), statistics.median(s[0] for s in base))
            op, bp = (statistics.median(s[1] for s in ours), statistics.median(s[1] for s in base))
            pairs = statistics.median(o[0] / b[0] for o, b in zip(ours, base))
            print(f"{variant:11s} {name:11s} {ow:7.0f}ms {bw:7.0f}ms {ow / bw:5.2f}x {pairs:5.2f}x   "
                  f"{op:7.0f}ms {bp:7.0f}ms {op / bp:5.2f}x")
    print("(ratio = median ours / median baseline; pairs = median of the per-round ratios; wall = goto to drawn "
          "in Python, page = performance.now() in the page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
