"""CPU seconds of each real-network computation (issue 13), from cold.

    python benchmarks/bench_network.py [--runs 3] [--markdown]

Each view runs in a fresh interpreter (no cache of any kind), with the presets of
tests/test_network_claims.py; the time is the child's CPU time (``time.process_time``: this
2-core machine is shared, and CPU time hardly depends on the load) for the computation alone,
with the imports (NumPy, SymPy, optim, surfaces) timed separately. Target: <= 10 s per view.

- ``stall``: gradient descent lr 0.3 for 2000 full-batch steps on 200 examples, a reference run
  (lr 0.1, 1000 steps) and the sharpness at the end;
- ``ratio``: Adam for 400 epochs (20 snapshots), then Newton on the gradient from each
  snapshot and the full Hessian spectrum there;
- ``batch``: batch 8 vs 64 trained to the same training loss, three seeds, sharpness and test loss;
- ``scaling``: batch 4 (lr 0.02) vs batch 32 with lr x8 + warm-up, without scaling and without
  warm-up, 40 epochs each;
- ``slice``: Adam on 24 examples, the symbolic slice (random directions, 24 x 32 = 768 tanh
  terms) built, drawn on a 200 x 200 grid and raced by one optimizer for 300 steps;
- ``slice_atlas``: the critical-point atlas (Newton only, 24 x 24 seeds) on that slice.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, ROOT)

VIEWS = ("stall", "ratio", "batch", "scaling", "slice", "slice_atlas")
TARGET_S = 10.0


def _view(name: str) -> dict:
    t0 = time.process_time()
    import numpy as np

    import optim
    from optim.critical_nd import minimum_ratio_survey, sharpness
    from optim.schedules import Constant, warmup
    from optim.train import compare_batch_sizes, linear_scaling, train
    from surfaces.network import MLP, make_data, single_blas_thread
    from surfaces.network_slice import network_slice

    t_import = time.process_time() - t0
    model = MLP((2, 32, 1))
    info: dict = {}
    t = time.process_time()
    with single_blas_thread():
        if name == "stall":
            data = make_data("sine", 200, 500, noise=0.1, seed=0)
            run = train(model, data, optim.make("gd", lr=0.3), 2000, 200)
            train(model, data, optim.make("gd", lr=0.1), 1000, 200)
            info["sharpness"] = sharpness(model, data, run.final)
        elif name == "ratio":
            data = make_data("sine", 200, 500, noise=0.1, seed=0)
            run = train(model, data, optim.make("adam", lr=0.01), 400, 200, snapshot_every=20)
            survey = minimum_ratio_survey(model, data, run.snapshots[1:])
            info["median_ratio"] = float(np.median(survey.ratios()))
            info["hessians"] = int(sum(p.iterations + 1 for p in survey.points))
        elif name == "batch":
            data = make_data("sine", 64, 1000, noise=0.2, seed=0)
            res = compare_batch_sizes(model, data, lambda: optim.make("adam", lr=0.01), (8, 64), (0, 1, 2), 0.015)
            info["runs"] = len(res)
        elif name == "scaling":
            data = make_data("sine", 200, 500, noise=0.1, seed=0)
            lr_big = linear_scaling(0.02, 32, 4)
            train(model, data, optim.make("sgd", lr=0.02), 40, 4)
            train(model, data, optim.make("sgd", lr=lr_big), 40, 32, schedule=warmup(Constant(lr_big), 14))
            train(model, data, optim.make("sgd", lr=0.02), 40, 32)
            train(model, data, optim.make("sgd", lr=lr_big), 40, 32)
        elif name in ("slice", "slice_atlas"):
            data = make_data("sine", 24, 100, noise=0.1, seed=0)
            theta = train(model, data, optim.make("adam", lr=0.02), 150, 24).final
            t_train = time.process_time() - t
            sl = network_slice(model, data, theta, kind="random")
            info["train_s"] = round(t_train, 3)
            info["build_s"] = round(time.process_time() - t - t_train, 3)
            if name == "slice":
                t_grid = time.process_time()
                sl.surface.grid(200)
                info["grid_s"] = round(time.process_time() - t_grid, 3)
                t_run = time.process_time()
                optim.simulate(sl.surface, optim.make("adam", lr=0.05), sl.surface.starts[0], 300)
                info["race_s"] = round(time.process_time() - t_run, 3)
            else:
                import surfaces

                t_atlas = time.process_time()
                atlas = surfaces.critical_points(sl.surface, exact=False)
                info["atlas_s"] = round(time.process_time() - t_atlas, 3)
                info["points"] = len(atlas.points)
        else:
            raise SystemExit(f"unknown view {name!r}")
    return {"view": name, "cpu_s": time.process_time() - t, "import_s": t_import, **info}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--view", help=argparse.SUPPRESS)  # internal: run one view in this process
    args = ap.parse_args()
    if args.view:
        print(json.dumps(_view(args.view)))
        return 0
    rows = []
    for name in VIEWS:
        results = []
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, __file__, "--view", name], capture_output=True, text=True, check=True)
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        cpu = [r["cpu_s"] for r in results]
        extra = {k: v for k, v in results[0].items() if k not in ("view", "cpu_s", "import_s")}
        rows.append((name, statistics.median(cpu), max(cpu), statistics.median(r["import_s"] for r in results), extra))
        print(f"{name:12s} median {statistics.median(cpu):6.2f} s CPU  max {max(cpu):6.2f}  imports "
              f"{rows[-1][3]:.2f} s  {extra}", flush=True)
    if args.markdown:
        print("\n| view | median CPU s | max CPU s | imports CPU s | details | <= 10 s |")
        print("|---|---:|---:|---:|---|---|")
        for name, med, mx, imp, extra in rows:
            detail = ", ".join(f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v}" for k, v in extra.items())
            print(f"| {name} | {med:.2f} | {mx:.2f} | {imp:.2f} | {detail} | {'yes' if mx + imp <= TARGET_S else 'NO'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
