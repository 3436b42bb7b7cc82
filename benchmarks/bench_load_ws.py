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
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import websockets
from bench_load import free_port, rss_mb, start_server, stop_server
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TIMEOUT_S = 300.0
FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server process (children excluded)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Run:
    """What one script run sent back: figure arrival, finish status, number inputs, errors."""

    def __init__(self):
        self.t_plot: float | None = None
        self.status: int | None = None
        self.errors: list[str] = []
        self.number_inputs: list = []
        self.page_hash = ""
        self.figures: list[int] = []  # hashes of the figure specs, in page order


async def one_run(ws, t0: float) -> Run:
    """Read ForwardMsgs until the script run finishes (status other than 'early for rerun')."""
    run = Run()
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=TIMEOUT_S)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            run.page_hash = msg.new_session.page_script_hash
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "plotly_chart":  # the run's figures are all there when the last one is
                run.t_plot = time.perf_counter() - t0
                run.figures.append(hash(element.plotly_chart.spec))
            elif which == "exception":
                run.errors.append(f"exception: {element.exception.message[:100]}")
            elif which == "number_input":
                run.number_inputs.append(element.number_input)
        elif kind == "page_not_found":
            run.errors.append("page not found")
        elif kind == "script_finished":
            run.status = msg.script_finished
            if run.status != ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN"):
                return run


def rerun_msg(query: str, page: str, page_hash: str = "", widget=None) -> bytes:
    back = BackMsg()
    back.rerun_script.query_string = query
    back.rerun_script.page_name = page
    back.rerun_script.page_script_hash = page_hash
    if widget is not None:
        state = back.rerun_script.widget_states.widgets.add()
        state.id, state.double_value = widget
    return back.SerializeToString()


def _shown_value(w) -> float | None:
    if w.set_value:
        return w.value
    default = w.default  # a scalar in 1.67's proto (repeated in some older versions)
    return default if isinstance(default, float) else (default[0] if len(default) else None)


def control_to_change(inputs) -> tuple[str, str, float] | None:
    """(widget id, link key, new value) of the control to change: the start's x₀ if the page has
    one, else the inspector's radius, else the steps, else the first number input that shows a
    value; +1 (within its bounds)."""
    candidates = [w for w in inputs if _shown_value(w) is not None and w.query_param_key]
    # the start point moves every path, the inspector's radius redraws the critical-points map;
    # a longer run may change nothing once every path has stopped
    preference = {"x0": 0, "rad": 1, "steps": 2}
    candidates.sort(key=lambda w: preference.get(w.query_param_key, len(preference)))
    if not candidates:
        return None
    w = candidates[0]
    new = _shown_value(w) + 1
    return w.id, w.query_param_key, min(new, w.max) if w.has_max else new


async def client(base_ws: str, link: str, results: list) -> None:
    page, _, query = link.lstrip("/").partition("?")
    record: dict = {"link": link, "error": None}
    try:
        t0 = time.perf_counter()
        async with websockets.connect(base_ws, subprotocols=["streamlit"], max_size=None,
                                      open_timeout=TIMEOUT_S, ping_interval=None) as ws:
            await ws.send(rerun_msg(query, page))
            run = await one_run(ws, t0)
            record["plot_s"], record["done_s"] = run.t_plot, time.perf_counter() - t0
            problems = run.errors + ([] if run.status == FINISHED else [f"run status {run.status}"])
            if not run.figures:
                problems.append("no figure")
            change = control_to_change(run.number_inputs)
            if change and not problems:
                widget_id, key, new = change
                params = dict(parse_qsl(query))
                params[key] = f"{new:g}"
                t1 = time.perf_counter()
                await ws.send(rerun_msg(urlencode(params), page, widget=(widget_id, new)))
                rerun = await one_run(ws, t1)
                record["change_s"] = time.perf_counter() - t1
                problems += rerun.errors + ([] if rerun.status == FINISHED else [f"rerun status {rerun.status}"])
                # the change must reach the plot: same number of figures, not all of them the same
                if len(rerun.figures) != len(run.figures) or rerun.figures == run.figures:
                    problems.append(f"the change of {key} to {new:g} did not change the figures")
            record["error"] = "; ".join(problems) or None
    except Exception as exc:  # a timeout or a dropped connection counts as an error
        record["error"] = f"{type(exc).__name__}: {str(exc)[:100]}"
    results.append(record)


def pct(values, q):
    values = sorted(v for v in values if v is not None)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")


def summary(name: str, results: list[dict]) -> None:
    errors = [r for r in results if r["error"]]
    plot = [r.get("plot_s") for r in results]
    change = [r.get("change_s") for r in results]
    print(f"{name}: clients {len(results)}, errors {len(errors)}; figure received: median "
          f"{statistics.median([v for v in plot if v] or [float('nan')]):.2f} s, p95 {pct(plot, 0.95):.2f} s; "
          f"rerun after one control change: median {statistics.median([v for v in change if v] or [float('nan')]):.2f} s, "
          f"p95 {pct(change, 0.95):.2f} s", flush=True)
    for r in errors:
        print("   error:", r["link"][:80], r["error"], flush=True)


async def main(n: int, waves: int, warm: bool, options: tuple[str, ...] = ()) -> None:
    from pages.lib.presets import PRESETS

    links = [f"/{p.page}?{p.query()}" for p in PRESETS.values()]
    port = free_port()
    proc = start_server(port, *options)
    base_ws = f"ws://127.0.0.1:{port}/_stcore/stream"
    try:
        print(f"--- server {' '.join(options) or '(config as shipped)'}: rss at start {rss_mb(proc.pid):.0f} MB; "
              f"{n} concurrent clients per wave, {len(links)} different preset links", flush=True)
        if warm:
            t0, c0 = time.perf_counter(), cpu_seconds(proc.pid)
            warm_results: list[dict] = []
            for link in links:
                await client(base_ws, link, warm_results)
            summary(f"warm-up, one link at a time ({time.perf_counter() - t0:.0f} s, server CPU "
                    f"{cpu_seconds(proc.pid) - c0:.0f} s)", warm_results)
            print(f"server rss after warm-up: {rss_mb(proc.pid):.0f} MB", flush=True)
        for k in range(waves):
            t0, c0 = time.perf_counter(), cpu_seconds(proc.pid)
            results: list[dict] = []
            await asyncio.gather(*(client(base_ws, links[i % len(links)], results) for i in range(n)))
            summary(f"wave {k + 1} ({time.perf_counter() - t0:.1f} s, server CPU {cpu_seconds(proc.pid) - c0:.1f} s)",
                    results)
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
