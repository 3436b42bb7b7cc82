"""Where a new session's server CPU goes: one warm server, students one after another, py-spy.

Starts ``streamlit run app.py`` (as shipped) on loopback, opens every preset once (warm: as
``deploy.serve --prewarm`` leaves a replica), then measures the server's CPU (process + children,
from /proc) for

- ``open``: a new session opening a preset link (the run itself is cached), one at a time, each
  preset ``--rounds`` times, while another tab stays open (as in class);
- ``open + change``: the same plus one control change already computed once (cached: what the
  second student asking for it costs);
- ``open`` with no other tab: Streamlit forgets the compiled page scripts when its last session
  disconnects (websocket_session_manager), so each of these sessions compiles app.py and its
  page again (with "magic": an AST pass);

and, with py-spy (``pip install py-spy``) sampling the server's threads that hold the GIL during
a second ``open`` pass (a Streamlit server's work is Python: GIL-bound), prints where the time went: inclusive share of the main stages of a session and the functions
with the most self time. Usage: ``python benchmarks/profile_session.py [--rounds 2] [--rate 250]``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_load import free_port, start_server, stop_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from deploy.launched import group_cpu_seconds  # noqa: E402
from deploy.serve import preset_links  # noqa: E402
from deploy.stclient import student  # noqa: E402

# (stage, substrings of a frame "function (file:line)"); a sample counts for the stage of its innermost
# matching frame (a figure built by the page is the page's; st.plotly_chart called by it is Streamlit's)
STAGES = [
    ("page script: the app's own code (pages/, surfaces/, optim/)", ("(pages/", "(surfaces/", "(optim/", "(app.py",
                                                                      "/pages/", "/surfaces/", "/optim/")),
    ("st.plotly_chart: figure spec to protobuf", ("elements/plotly_chart.py",)),
    ("widgets: registration, URL binding, state", ("elements/widgets/", "elements/lib/policies",
                                                   "state/session_state", "query_params")),
    ("st.navigation / pages, compiling page scripts", ("commands/navigation", "navigation/", "pages_manager",
                                                        "script_cache", "magic.py")),
    ("st.cache_*: keys (function source, argument hashing) and lookups", ("runtime/caching/", "inspect.py",
                                                                          "tokenize.py", "hashing.py")),
    ("st.dataframe: Arrow, pandas Styler", ("elements/arrow.py", "pandas_styler_utils", "dataframe_util")),
    ("st.markdown / latex / headings / text", ("elements/markdown.py", "elements/heading.py", "elements/text.py",
                                               "elements/alert.py", "string_util.py")),
    ("script runner: exec, rerun handling", ("script_runner.py", "exec_code.py")),
    ("ForwardMsg serialization and websocket send", ("SerializeToString", "serialize_forward_msg", "websocket",
                                                    "starlette_websocket", "uvicorn", "wsproto")),
    ("session set-up / tear-down", ("app_session.py", "runtime.py", "session_manager", "websocket_session_manager")),
    ("asyncio event loop (other)", ("asyncio/",)),
]


def stage_of(stack: list[str]) -> str:
    for frame in reversed(stack):
        for name, keys in STAGES:
            if any(k in frame for k in keys):
                return name
    return "other"


PER_PAGE: dict[str, list[float]] = collections.defaultdict(list)  # page -> CPU of each measured session


async def pass_(base: str, links: list[str], rounds: int, change: bool, step: float, pid: int | None = None) -> list:
    out = []
    for _ in range(rounds):
        for link in links:
            c0 = group_cpu_seconds(pid) if pid else 0.0
            out.append(await student(base, link, change=change, step=step, timeout=300))
            if pid:
                PER_PAGE[link.split("?")[0]].append(group_cpu_seconds(pid) - c0)
    return out


async def _measured(pid: int, base: str, links: list[str], rounds: int, change: bool, step: float,
                    tab_open: bool) -> tuple[float, int]:
    hold = asyncio.Event()
    anchor = None
    if tab_open:  # another student's tab stays open meanwhile, as in class
        seen: list = []
        anchor = asyncio.ensure_future(student(base, "/", change=False, need_figure=False, hold=hold,
                                               on_view=lambda rec, _v: seen.append(rec), timeout=300))
        for _ in range(600):
            if (seen and seen[0].holding) or anchor.done():
                break
            await asyncio.sleep(0.1)
        # Streamlit compiles a page script once and keeps it while any tab is open: compile each page first
        await pass_(base, list({link.split("?")[0]: link for link in links}.values()), 1, False, step)
    try:
        c0 = group_cpu_seconds(pid)
        results = await pass_(base, links, rounds, change, step, pid if tab_open and not change else None)
        cpu = group_cpu_seconds(pid) - c0
    finally:
        hold.set()
        if anchor is not None:
            await asyncio.wait_for(anchor, 60)
    return cpu / len(results), sum(bool(r.error) for r in results)


def cpu_per_session(pid: int, base: str, links: list[str], rounds: int, change: bool, step: float,
                    tab_open: bool = True) -> tuple[float, int]:
    """Server CPU (process + children) per session, sessions one after another."""
    return asyncio.run(_measured(pid, base, links, rounds, change, step, tab_open))


def analyse(raw: Path, rate: int, top: int, what: str) -> None:
    stages: collections.Counter = collections.Counter()
    selfs: collections.Counter = collections.Counter()
    inclusive: collections.Counter = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack_text, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack_text.split(";")
        n = int(count)
        total += n
        stages[stage_of(frames[1:])] += n
        selfs[frames[-1]] += n
        for frame in {f.split(" (")[0] + " (" + f.split(" (")[-1].split(":")[0] + ")" for f in frames[1:]}:
            inclusive[frame] += n
    if not total:
        print("py-spy recorded nothing (ptrace not permitted?)")
        return
    print(f"\nraw py-spy stacks: {raw}")
    print(f"\nprofile of {what}; {total} busy samples at {rate}/s; stage (of the innermost frame that names one), "
          "share of busy samples")
    for name, n in stages.most_common():
        print(f"  {100 * n / total:5.1f}%  {name}")
    print(f"\ninclusive (the function or what it calls), top {top}:")
    for frame, n in inclusive.most_common(top):
        print(f"  {100 * n / total:5.1f}%  {frame[:150]}")
    print(f"\nself time, top {top}:")
    for frame, n in selfs.most_common(top):
        print(f"  {100 * n / total:5.1f}%  {frame[:150]}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--raw", help="only analyse this py-spy raw file (from an earlier run)")
    ap.add_argument("--option", action="append", default=[], help="streamlit option for the server, e.g. --option=--runner.fastReruns=false")
    args = ap.parse_args()
    if args.raw:
        analyse(Path(args.raw), args.rate, args.top, args.raw)
        return
    links = preset_links()[1:]
    options = [x for o in args.option for x in o.split("=", 1)]
    port = free_port()
    proc = start_server(port, *options)
    base = f"http://127.0.0.1:{port}"
    try:
        print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()[0]:.1f}; server "
              f"{' '.join(options) or '(config as shipped)'}", flush=True)
        c0 = group_cpu_seconds(proc.pid)
        warm = asyncio.run(pass_(base, links, 1, True, 1.0))  # every preset and its +1 change computed once
        print(f"warm-up: {len(warm)} presets opened and changed once, {group_cpu_seconds(proc.pid) - c0:.1f} s CPU, "
              f"errors {sum(bool(r.error) for r in warm)}", flush=True)
        for label, change, tab_open in (("open, another tab open", False, True),
                                        ("open + change (cached), another tab open", True, True),
                                        ("open, no other tab (each one is the server's only session)", False, False)):
            cpu, errors = cpu_per_session(proc.pid, base, links, args.rounds, change, 1.0, tab_open)
            print(f"{label}: {cpu:.3f} s server CPU per session ({len(links) * args.rounds} sessions one at a time, "
                  f"errors {errors})", flush=True)
        print("per page (open, another tab open): " + ", ".join(
            f"{page} {sum(v) / len(v):.3f} s" for page, v in sorted(PER_PAGE.items(), key=lambda kv: -sum(kv[1]) / len(kv[1]))),
            flush=True)
        spy = shutil.which("py-spy")
        if not spy:
            print("py-spy not installed (pip install py-spy): no profile")
            return
        raw = Path(tempfile.mkdtemp()) / "open.txt"
        rec = subprocess.Popen([spy, "record", "--pid", str(proc.pid), "--rate", str(args.rate), "--format", "raw",
                                "--output", str(raw), "--nonblocking", "--gil"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(1.5)
            cpu, _ = cpu_per_session(proc.pid, base, links, args.rounds, False, 1.0, True)
        finally:
            rec.send_signal(signal.SIGINT)
            try:
                rec.wait(timeout=60)
            except subprocess.TimeoutExpired:
                rec.kill()
        analyse(raw, args.rate, args.top, f"{len(links) * args.rounds} new sessions ({cpu:.3f} s CPU each)")
    finally:
        stop_server(proc)


if __name__ == "__main__":
    main()
