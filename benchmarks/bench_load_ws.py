"""Load at the protocol level: N concurrent Streamlit clients on one server, no browsers.

``bench_load.py`` drives real Chromium sessions, but on this 2-core machine twenty browsers
rendering twenty plots compete with the server for the same CPU: its times measure the
browsers as much as the server. A class brings its own laptops, so this script measures what
the server owes them: it speaks Streamlit's own websocket protocol (the protobuf BackMsg /
ForwardMsg the frontend sends and receives), as N concurrent clients, each opening a
DIFFERENT preset link (cycling through the preset catalog), and records

- the time until the page's Plotly figures have arrived (the last one, complete: the rest of
  the page is text and widgets), and until the script run has finished;
- the rerun after one control change (the start's x₀, or another number input, +1: the widget
  state the browser would send, with the link updated as the browser would), which must change
  the plot;
- errors: an exception element, a run that did not finish successfully, a timeout, a dropped
  connection (target 0);
- the server's resident memory (server + atlas worker) at start, after warm-up and after
  each wave (bounded caches: no growth per session), and the server's CPU seconds per wave.

Traffic stays on 127.0.0.1; every wait is bounded. Usage:
``python benchmarks/bench_load_ws.py [clients] [waves] [--cold] [--baseline]`` (default 20 2,
warm: every preset opened once first, as a teacher does before class; --baseline then repeats
the run with Streamlit's default ``runner.postScriptGC = true``, which .streamlit/config.toml
turns off, for a ratio measured on the same machine in the same run).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from bench_load import free_port, rss_mb, start_server, stop_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The protocol client lives in deploy/stclient.py: the replicas' pre-warming, this benchmark,
# bench_deploy.py and tests/deploy use the same one.
from deploy.stclient import student, summary  # noqa: E402


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server process (children excluded)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def client(base: str, link: str, results: list) -> None:
    results.append(await student(base, link))


async def main(n: int, waves: int, warm: bool, options: tuple[str, ...] = ()) -> None:
    from pages.lib.presets import PRESETS

    links = [f"/{p.page}?{p.query()}" for p in PRESETS.values()]
    port = free_port()
    proc = start_server(port, *options)
    base = f"http://127.0.0.1:{port}"
    try:
        print(f"--- server {' '.join(options) or '(config as shipped)'}: rss at start {rss_mb(proc.pid):.0f} MB; "
              f"{n} concurrent clients per wave, {len(links)} different preset links", flush=True)
        if warm:
            t0, c0 = time.perf_counter(), cpu_seconds(proc.pid)
            warm_results: list[dict] = []
            for link in links:
                await client(base, link, warm_results)
            print(summary(f"warm-up, one link at a time ({time.perf_counter() - t0:.0f} s, server CPU "
                          f"{cpu_seconds(proc.pid) - c0:.0f} s)", warm_results), flush=True)
            print(f"server rss after warm-up: {rss_mb(proc.pid):.0f} MB", flush=True)
        for k in range(waves):
            t0, c0 = time.perf_counter(), cpu_seconds(proc.pid)
            results: list[dict] = []
            await asyncio.gather(*(client(base, links[i % len(links)], results) for i in range(n)))
            print(summary(f"wave {k + 1} ({time.perf_counter() - t0:.1f} s, server CPU "
                          f"{cpu_seconds(proc.pid) - c0:.1f} s)", results), flush=True)
            await asyncio.sleep(2)
            print(f"server rss after wave {k + 1}: {rss_mb(proc.pid):.0f} MB", flush=True)
    finally:
        stop_server(proc)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n, waves, warm = int(args[0]) if args else 20, int(args[1]) if len(args) > 1 else 2, "--cold" not in sys.argv
    asyncio.run(main(n, waves, warm))
    if "--baseline" in sys.argv:  # the same load on Streamlit's default: a full GC after every run
        asyncio.run(main(n, waves, warm, ("--runner.postScriptGC", "true")))
