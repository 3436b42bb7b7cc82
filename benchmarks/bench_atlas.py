"""Benchmark the critical-point atlas on every catalog surface (cold cache, median of runs).

    python benchmarks/bench_atlas.py [--runs 3] [--markdown]

The machine is shared and noisy, so each time is also given as a ratio to a baseline measured
in the same run, interleaved with the atlas runs: one 200 x 200 grid evaluation of
Himmelblau's ``surface.f`` (what a page does to draw a contour plot). "Newton CPU s" is the CPU time of the calling thread (Newton
search, classification, index check), "algebra CPU s" the child's CPU time for the exact job:
unlike wall time, these two hardly depend on the machine's load.
The algebra worker is
started (and its start-up timed) before the table, as an app does at start-up with
``surfaces.atlas.warm_up()``; "cold" means an empty atlas cache.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from surfaces import CATALOG
from surfaces import atlas as atlas_mod

TARGET_S = 1.0


def _baseline() -> float:
    s = CATALOG["himmelblau"]
    t = time.perf_counter()
    s.grid(200)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = ap.parse_args()

    t = time.perf_counter()
    atlas_mod._WORKER.close()
    atlas_mod.warm_up()
    probe = atlas_mod._WORKER.run(CATALOG["booth"].expr, CATALOG["booth"].window, 30.0)
    startup = time.perf_counter() - t
    assert probe[0] is not None, probe[1]
    for _ in range(5):
        _baseline()  # warm NumPy

    rows = []
    baselines = []
    for sid, s in CATALOG.items():
        times, cpus, acpus = [], [], []
        result = None
        for _ in range(args.runs):
            baselines.append(_baseline())
            atlas_mod.clear_cache()
            t, c = time.perf_counter(), time.thread_time()
            result = atlas_mod.critical_points(s)
            times.append(time.perf_counter() - t)
            cpus.append(time.thread_time() - c)
            acpus.append(result.algebra_cpu or 0.0)
        med = statistics.median(times)
        counts = result.counts
        summary = ", ".join(f"{counts[k]} {k[:3]}" for k in ("minimum", "saddle", "maximum", "degenerate") if k in counts)
        if result.curves:
            summary += (", " if summary else "") + f"{len(result.curves)} curve"
        if result.index_check is not None:
            summary += f"; index {'ok' if result.index_check else 'FAILED'}"
        rows.append((sid, med, max(times), statistics.median(cpus), statistics.median(acpus), result.method, summary or "none", result.notes))

    base = statistics.median(baselines)
    header = (f"{'surface':16s} {'median s':>9s} {'max s':>7s} {'cpu s':>6s} {'alg cpu':>7s} {'x base':>7s}  "
              f"{'method':16s} points")
    if args.markdown:
        print("| surface | median s | max s | Newton CPU s | algebra CPU s | x baseline | method | critical points |")
        print("|---|---:|---:|---:|---:|---:|---|---|")
    else:
        print(header)
        print("-" * len(header))
    slow = []
    for sid, med, worst, cpu, acpu, method, summary, _notes in rows:
        if med > TARGET_S:
            slow.append(sid)
        if args.markdown:
            print(f"| {sid} | {med:.3f} | {worst:.3f} | {cpu:.3f} | {acpu:.3f} | {med / base:.0f} | {method} | {summary} |")
        else:
            print(f"{sid:16s} {med:9.3f} {worst:7.3f} {cpu:6.3f} {acpu:7.3f} {med / base:7.0f}  {method:16s} {summary}")
    print()
    print(f"baseline (200x200 grid of Himmelblau's f): median {base * 1e3:.2f} ms over {len(baselines)} runs")
    print(f"algebra worker start-up (spawn + import SymPy + first job): {startup:.2f} s")
    total = sum(r[1] for r in rows)
    print(f"sum of medians: {total:.2f} s; surfaces over {TARGET_S:g} s: {', '.join(slow) or 'none'}")
    for sid, *_, notes in rows:
        for n in notes:
            print(f"  note [{sid}]: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
