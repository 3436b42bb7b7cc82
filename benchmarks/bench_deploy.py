"""A class through HAProxy: 200 protocol-level students on 1, 2 and 4 replicas (``deploy.serve``).

For each replica count, starts ``python -m deploy.serve --replicas N --prewarm`` on free loopback
ports (every preset opened once on every replica, as before class), then runs waves of students
(deploy/stclient.py: each opens a different preset link through the proxy, keeps the proxy's
affinity cookie, waits for the figures, changes one control (+1) and waits for the rerun). In
the first wave the changed runs are new to the replicas (computed once per replica and link, then
shared by the students who asked for the same); later waves and the capacity search make the
same change, cached by then, as a class following the teacher's instructions does. Per wave:

- errors (target 0), the wave's wall time and throughput (students served per second);
- figures received and the change's rerun: median and p95 (from each student's own start);
- server CPU per student: the CPU seconds of every replica and its children during the wave,
  divided by the students (load-independent, unlike the times), and HAProxy's CPU per student;
- resident memory per replica after the wave.

``--capacity`` then asks the question of the capacity table: students arrive evenly over 10 s
(``--spread``); how many can there be with p95(figures) <= 5 s and 0 errors? It increases the
class size on a running cluster until that fails.

On a 2-core machine more replicas cannot add CPU: 2 replicas use both cores (one Python process
is mostly one core, its GIL); 4 show what more processes cost. Traffic stays on 127.0.0.1; every
wait and loop is bounded. Usage:

    python benchmarks/bench_deploy.py [--replicas 1,2,4] [--clients 200] [--waves 2] [--wave-spread 0]
                                      [--capacity R1,R2] [--spread 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from deploy.launched import Launched, cpu_seconds, group_cpu_seconds, group_rss_mb  # noqa: E402
from deploy.serve import preset_links  # noqa: E402
from deploy.stclient import median, pct, student  # noqa: E402

CAPACITY_STEPS = [10, 20, 30, 40, 50, 60, 80, 100, 120, 150, 180, 220, 260, 320]


async def wave(url: str, links: list[str], n: int, step: float, spread: float) -> tuple[list, float]:
    async def one(i: int):
        await asyncio.sleep(spread * i / n)
        return await student(url, links[i % len(links)], via_proxy=True, step=step, timeout=300)

    t0 = time.perf_counter()
    results = await asyncio.gather(*(one(i) for i in range(n)))
    return results, time.perf_counter() - t0


def measure(cluster: Launched, links: list[str], n: int, step: float, spread: float) -> dict:
    replicas = [r["pid"] for r in cluster.state["replicas"]]
    proxy = cluster.state["haproxy"]["pid"]
    c0, p0 = sum(group_cpu_seconds(p) for p in replicas), cpu_seconds(proxy)
    results, wall = asyncio.run(wave(cluster.url, links, n, step, spread))
    cpu, proxy_cpu = sum(group_cpu_seconds(p) for p in replicas) - c0, cpu_seconds(proxy) - p0
    plot = [r.plot_s for r in results if not r.error]
    change = [r.change_s for r in results if not r.error]
    per_replica: dict[str, int] = {}
    for r in results:
        for name in r.replicas:
            per_replica[str(name)] = per_replica.get(str(name), 0) + 1
    return {
        "replicas": len(replicas), "students": n, "spread_s": spread, "errors": sum(bool(r.error) for r in results),
        "error_samples": [f"{r.link[:60]}: {r.error}" for r in results if r.error][:3],
        "wall_s": wall, "throughput": n / wall,
        "plot_p50": median(plot), "plot_p95": pct(plot, 0.95), "change_p50": median(change), "change_p95": pct(change, 0.95),
        "cpu_per_student": cpu / n, "proxy_cpu_per_student": proxy_cpu / n,
        "rss_mb": [round(group_rss_mb(p)) for p in replicas], "per_replica": per_replica,
        "sticky": all(len(r.replicas) == 1 for r in results if not r.error),
    }


def row(m: dict, label: str) -> str:
    return (f"| {m['replicas']} | {label} | {m['students']} | {m['errors']} | {m['wall_s']:.1f} | {m['throughput']:.1f} | "
            f"{m['plot_p50']:.1f} / {m['plot_p95']:.1f} | {m['change_p50']:.1f} / {m['change_p95']:.1f} | "
            f"{m['cpu_per_student']:.3f} | {m['proxy_cpu_per_student'] * 1000:.1f} | "
            f"{'/'.join(str(v) for v in m['rss_mb'])} | {'yes' if m['sticky'] else 'NO'} |")


HEADER = ("| replicas | wave | students | errors | wall s | students/s | figures p50 / p95 s | change p50 / p95 s | "
          "replica CPU s / student | proxy CPU ms / student | RSS MB per replica | sticky |\n"
          "|---:|---|---:|---:|---:|---:|---|---|---:|---:|---|---|")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", default="1,2,4")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--waves", type=int, default=2)
    ap.add_argument("--capacity", default="", help="replica counts for the capacity search, e.g. 1,2")
    ap.add_argument("--wave-spread", type=float, default=0.0, help="arrival window of the waves, seconds (0: all at once)")
    ap.add_argument("--spread", type=float, default=10.0, help="arrival window of the capacity search, seconds")
    ap.add_argument("--p95", type=float, default=5.0, help="the capacity search's limit on p95(figures), seconds")
    args = ap.parse_args()
    if not (shutil.which("haproxy") or os.path.exists("/usr/sbin/haproxy")):
        raise SystemExit("haproxy is not installed: apt-get install haproxy")
    links = preset_links()[1:]  # the presets (the home page has no figure)
    rows, capacity = [], []
    counts = sorted({int(x) for x in args.replicas.split(",") if x} | {int(x) for x in args.capacity.split(",") if x})
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}",
          flush=True)
    for n_rep in counts:
        run_dir = Path(tempfile.mkdtemp(prefix=f"bench-deploy-{n_rep}-"))
        t0 = time.perf_counter()
        cluster = Launched(n_rep, run_dir, prewarm=True, ready_timeout=900)
        step = 1.0  # every wave makes the same change: new to the replicas in the first, cached after
        try:
            print(f"--- {n_rep} replica(s): ready and pre-warmed in {time.perf_counter() - t0:.0f} s "
                  f"(load {os.getloadavg()[0]:.1f})", flush=True)
            if str(n_rep) in args.replicas.split(","):
                for k in range(args.waves):
                    m = measure(cluster, links, args.clients, step, args.wave_spread)
                    when = f"over {args.wave_spread:g} s" if args.wave_spread else "all at once"
                    rows.append(row(m, f"{k + 1}: {when}, changes {'new' if k == 0 else 'cached'}"))
                    print(rows[-1], m["per_replica"], *m["error_samples"], flush=True)
                    time.sleep(2)
            if str(n_rep) in args.capacity.split(","):
                best = None
                for n in CAPACITY_STEPS:
                    m = measure(cluster, links, n, step, args.spread)
                    ok = m["errors"] == 0 and m["plot_p95"] <= args.p95
                    rows.append(row(m, f"over {args.spread:g} s"))
                    print(rows[-1], "OK" if ok else "over the limit", *m["error_samples"], flush=True)
                    if not ok:
                        break
                    best = m
                    time.sleep(2)
                capacity.append((n_rep, best))
        finally:
            code = cluster.stop()
            if code != 0:
                cluster.kill_everything()
            shutil.rmtree(run_dir, ignore_errors=True)
    print("\n" + HEADER)
    print("\n".join(rows))
    for n_rep, best in capacity:
        if best:
            print(f"capacity, {n_rep} replica(s): {best['students']} students arriving over {args.spread:g} s with "
                  f"p95(figures) {best['plot_p95']:.1f} s <= {args.p95:g} s; {best['cpu_per_student']:.3f} s replica CPU each")
        else:
            print(f"capacity, {n_rep} replica(s): not even {CAPACITY_STEPS[0]} students within the limit")


if __name__ == "__main__":
    main()
