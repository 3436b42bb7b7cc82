"""Benchmark basin-of-attraction maps (a script, not a test).

    python benchmarks/bench_basins.py [--repeats 3] [--n 200] [--steps 500] [--simulate-many]

The target (issue 14): one optimizer's 200 x 200 map of 500 steps <= 2 s on the project's
2-core machine. The machine is shared, so every time is measured next to a baseline IN THE
SAME RUN and reported as a ratio:

- baseline: 500 calls of ``surface.value_and_grad`` on the 40,000 grid points (the bare
  gradient evaluations of the map without any optimizer or stopping work), as the issue asks;
- baseline in blocks: the same calls in blocks of ``optim.basins.BLOCK`` points (the map's own
  block size: NumPy temporaries of 40,000 points cross glibc malloc's trim threshold and pay
  page faults, blocks do not);
- maps: ``optim.basins.basin_map`` for GD (lr 0.01) and Adam (lr 0.05) on Himmelblau, with one
  thread and with two; then coarse to fine (``basin_maps``, 50 -> 100 -> 200): time to the first
  picture and to the last.
- ``--simulate-many``: also ``optim.simulate_many(..., stop_at_tolerance=True)`` on the same
  40,000 starts (what a map would cost without the dedicated loop).

Wall time (perf_counter) and CPU time of this process (process_time, all threads) are both
printed, medians over ``--repeats``; the load average says how shared the machine was.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import optim
import surfaces
from optim import basins

SURFACE = surfaces.CATALOG["himmelblau"]
CASES = [("GD lr 0.01", optim.gd(lr=0.01)), ("Adam lr 0.05", optim.adam(lr=0.05))]


def measure(fn, repeats: int):
    walls, cpus, out = [], [], None
    for _ in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--simulate-many", action="store_true")
    args = parser.parse_args()
    n, steps = args.n, args.steps
    print(f"# bench_basins  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  python {platform.python_version()}"
          f"  numpy {np.__version__}  cpus {os.cpu_count()}  load {os.getloadavg()[0]:.1f}  repeats {args.repeats} (medians)")
    atlas = surfaces.critical_points(SURFACE)
    xs, ys = basins.grid(SURFACE.window, n)
    gx, gy = np.meshgrid(xs, ys)
    x, y = gx.ravel().copy(), gy.ravel().copy()
    block = basins.BLOCK
    basins.basin_map(SURFACE, CASES[0][1], n=20, steps=5, atlas=atlas)  # compile the evaluator once

    def baseline():
        for _ in range(steps):
            SURFACE.value_and_grad(x, y)

    def baseline_blocks():
        for _ in range(steps):
            for a in range(0, len(x), block):
                SURFACE.value_and_grad(x[a:a + block], y[a:a + block])

    base_w, base_c, _ = measure(baseline, args.repeats)
    blk_w, blk_c, _ = measure(baseline_blocks, args.repeats)
    print(f"\n{n} x {n} = {n * n} starts x {steps} steps on himmelblau")
    print(f"{'':34}{'wall s':>8}{'cpu s':>8}{'/ base':>8}{'/ blocks':>9}   (ratios of wall; of cpu)")
    print(f"{'baseline: value_and_grad x ' + str(steps):34}{base_w:8.2f}{base_c:8.2f}")
    print(f"{'baseline in blocks of ' + str(block):34}{blk_w:8.2f}{blk_c:8.2f}")

    def row(label, w, c, extra=""):
        print(f"{label:34}{w:8.2f}{c:8.2f}{w / base_w:8.2f}{w / blk_w:9.2f}   ({c / base_c:.2f}; {c / blk_c:.2f}){extra}")

    for label, opt in CASES:
        for threads in (1, 2):
            w, c, bm = measure(lambda opt=opt, t=threads: basins.basin_map(
                SURFACE, opt, n=n, steps=steps, atlas=atlas, threads=t), args.repeats)
            counts = bm.counts()
            extra = f"  mean steps {bm.steps.mean():.0f}, settled {bm.settled.mean():.0%}, labels {counts}" if threads == 2 else ""
            row(f"map {label}, {threads} thread{'s' if threads > 1 else ''}", w, c, extra)

    levels = (n // 4, n // 2, n)
    for label, opt in CASES:
        def coarse_to_fine(opt=opt):
            t0 = time.perf_counter()
            times = []
            for _ in basins.basin_maps(SURFACE, opt, levels=levels, steps=steps, atlas=atlas):
                times.append(time.perf_counter() - t0)
            return times

        runs = [coarse_to_fine() for _ in range(args.repeats)]
        med = [statistics.median(t[i] for t in runs) for i in range(len(levels))]
        print(f"coarse to fine {label}: " + ", ".join(f"{m}x{m} at {t:.2f} s" for m, t in zip(levels, med)))

    if args.simulate_many:
        starts = np.stack([x, y], axis=1)
        for label, opt in CASES:
            w, c, _ = measure(lambda opt=opt: optim.simulate_many(SURFACE, opt, starts, steps, stop_at_tolerance=True), 1)
            row(f"simulate_many {label}", w, c)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
