"""Load: 20 concurrent browser sessions on one server, as when a class opens the links.

Starts `streamlit run app.py` on a free loopback port, then drives N concurrent sessions
(Playwright contexts in Debian's Chromium), each opening a DIFFERENT preset link (cycling
through the preset catalog), waiting until its animated plot is drawn (surface image
present), then changing one control (the first number input of the sidebar, +1 step) and
waiting for the rerun to finish. It records errors (timeouts or a Streamlit exception
element: target 0), the median and 95th percentile of the time until the plot is drawn and
of the control-change rerun, and the server's resident memory before, after each wave, and
after a second wave of fresh sessions (bounded caches: memory must not grow per session).

Traffic stays on 127.0.0.1, the number of sessions and every wait are bounded, and the
server is stopped at the end. Usage: python benchmarks/bench_load.py [sessions] [waves] [--cold]

By default the server is warmed first (every preset opened once, one at a time, as a
teacher does before class); --cold starts the waves on a server that has computed nothing.
The browsers run on the same 2-core machine as the server, so their rendering competes
with it for CPU: times are an upper bound of what students on their own machines see.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
PLOT_IMAGE = "[data-testid='stMain'] .js-plotly-plot .imagelayer image"
TIMEOUT_MS = 300_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of the server process and its children (the atlas worker), in MB."""
    total = 0
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                                       text=True).stdout.split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server and its children (the atlas worker): TERM, then KILL after 15 s."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def start_server(port: int, *options: str) -> subprocess.Popen:
    """``streamlit run app.py`` on 127.0.0.1:port (plus ``options``, e.g. "--runner.postScriptGC", "true")."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
         *options],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)
    raise SystemExit("the server did not start")


async def session(browser, url: str, results: list) -> None:
    context = await browser.new_context(viewport={"width": 1366, "height": 768})
    page = await context.new_page()
    record = {"url": url, "error": None}
    try:
        t0 = time.perf_counter()
        await page.goto(url, timeout=TIMEOUT_MS)
        await page.wait_for_selector(PLOT_IMAGE, timeout=TIMEOUT_MS, state="attached")
        record["plot_s"] = time.perf_counter() - t0
        await page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
        # the first sidebar number input that shows a value (an empty optional one would ignore
        # ArrowUp); the change must reach the link, proof that the widget changed
        index = await page.evaluate("""() => [...document.querySelectorAll(
            "[data-testid='stSidebar'] input[type='number']")].findIndex(e => e.value !== '')""")
        box = page.locator("[data-testid='stSidebar'] input[type='number']").nth(max(index, 0))
        before = await page.evaluate("() => location.search")
        t1 = time.perf_counter()
        await box.focus()
        await box.press("ArrowUp")
        await box.press("Enter")
        await page.wait_for_function("(q) => location.search !== q", arg=before, timeout=TIMEOUT_MS)
        await page.wait_for_timeout(300)  # let the rerun start
        await page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
        await page.wait_for_selector(PLOT_IMAGE, timeout=TIMEOUT_MS, state="attached")
        record["change_s"] = time.perf_counter() - t1
        if await page.locator("[data-testid='stException']").count():
            record["error"] = "Streamlit exception shown"
    except Exception as exc:  # a timeout or a navigation failure counts as an error
        record["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    finally:
        results.append(record)
        await context.close()


async def wave(browser, base: str, links: list[str], n: int) -> list[dict]:
    results: list[dict] = []
    await asyncio.gather(*(session(browser, base + links[i % len(links)], results) for i in range(n)))
    return results


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")


def summary(name: str, results: list[dict]) -> None:
    plot = [r["plot_s"] for r in results if "plot_s" in r]
    change = [r["change_s"] for r in results if "change_s" in r]
    errors = [r for r in results if r["error"]]
    print(f"{name}: sessions {len(results)}, errors {len(errors)}; time until plot drawn: median "
          f"{statistics.median(plot):.1f} s, p95 {pct(plot, 0.95):.1f} s; rerun after one control change: "
          f"median {statistics.median(change) if change else float('nan'):.1f} s, p95 {pct(change, 0.95):.1f} s")
    for r in errors:
        print("   error:", r["url"][:80], r["error"])


async def main(n: int, waves: int, warm: bool) -> None:
    from playwright.async_api import async_playwright

    from pages.lib.presets import PRESETS

    links = [f"/{p.page}?{p.query()}" for p in PRESETS.values()]
    port = free_port()
    proc = start_server(port)
    base = f"http://127.0.0.1:{port}"
    try:
        print(f"server rss at start: {rss_mb(proc.pid):.0f} MB; {n} concurrent sessions per wave, "
              f"{len(links)} different preset links")
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            if warm:
                # The teacher opened the app before class: each preset once, one at a time.
                t0 = time.perf_counter()
                warm_results: list[dict] = []
                for link in links:
                    await session(browser, base + link, warm_results)
                    r = warm_results[-1]
                    print(f"  warm {link[:60]}: plot {r.get('plot_s', float('nan')):.1f} s, "
                          f"change {r.get('change_s', float('nan')):.1f} s{'  ' + r['error'] if r['error'] else ''}",
                          flush=True)
                print(f"warm-up: every preset opened once in {time.perf_counter() - t0:.0f} s; "
                      f"server rss {rss_mb(proc.pid):.0f} MB", flush=True)
            for k in range(waves):
                t0 = time.perf_counter()
                results = await wave(browser, base, links, n)
                summary(f"wave {k + 1} ({time.perf_counter() - t0:.0f} s)", results)
                await asyncio.sleep(2)
                print(f"server rss after wave {k + 1}: {rss_mb(proc.pid):.0f} MB")
            await browser.close()
    finally:
        stop_server(proc)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    asyncio.run(main(int(args[0]) if args else 20, int(args[1]) if len(args) > 1 else 2, "--cold" not in sys.argv))
