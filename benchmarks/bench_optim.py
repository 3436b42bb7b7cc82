"""Benchmark the optimizer engine (a script, not a test).

    python benchmarks/bench_optim.py [--repeats 5]

(a) 8 optimizers x 1000 steps from (0, 0) on Rosenbrock with ``optim.simulate``, against
    the same loop written with torch.optim + autograd (float64) when torch is importable.
    The ratio is measured in the same run, median over repeats (the machine is shared/noisy).
(b) 10,000 starts x 500 steps of Adam on Himmelblau with ``optim.simulate_many``, against a
    baseline measured in the same run: 500 calls of ``surface.value_and_grad`` on the same
    10,000 points (the cost of the gradients alone).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import optim
import surfaces

SURFACE = surfaces.CATALOG["rosenbrock"]
FAN_SURFACE = surfaces.CATALOG["himmelblau"]
START = (0.0, 0.0)
STEPS = 1000

# (label, our optimizer, torch class name, torch kwargs): the 8 torch-backed configurations.
CASES = [
    ("SGD", optim.sgd(lr=1e-3), "SGD", {"lr": 1e-3}),
    ("SGD momentum", optim.sgd(lr=1e-3, momentum=0.9), "SGD", {"lr": 1e-3, "momentum": 0.9}),
    ("Nesterov", optim.nesterov(lr=1e-3), "SGD", {"lr": 1e-3, "momentum": 0.9, "nesterov": True}),
    ("Adagrad", optim.adagrad(lr=0.1), "Adagrad", {"lr": 0.1}),
    ("RMSprop", optim.rmsprop(lr=1e-2), "RMSprop", {"lr": 1e-2}),
    ("Adam", optim.adam(lr=0.05), "Adam", {"lr": 0.05}),
    ("AdamW", optim.adamw(lr=0.05), "AdamW", {"lr": 0.05}),
    ("AMSGrad", optim.amsgrad(lr=0.05), "Adam", {"lr": 0.05, "amsgrad": True}),
]


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def ours(opt):
    # GRAD/STEP tolerances could stop a run early; from (0, 0) on Rosenbrock none of these
    # converges within 1000 steps, which main() checks, so both sides do exactly 1000 steps.
    return optim.simulate(SURFACE, opt, START, STEPS)


def torch_loop(torch, cls_name, kwargs):
    p = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = getattr(torch.optim, cls_name)([p], **kwargs)
    for _ in range(STEPS):
        opt.zero_grad()
        x, y = p[0], p[1]
        ((1 - x) ** 2 + 100 * (y - x**2) ** 2).backward()
        opt.step()
    return p.detach().numpy()


def bench_single(repeats: int):
    try:
        import torch
    except ImportError:
        torch = None
    rows = []
    for label, opt, cls_name, kwargs in CASES:
        run = ours(opt)
        assert run.steps == STEPS, f"{label} stopped early: {run.message}"
        t_ours = [timed(lambda opt=opt: ours(opt)) for _ in range(repeats)]
        t_torch = None
        if torch is not None:
            final = torch_loop(torch, cls_name, kwargs)
            # Same run up to rounding (1000 steps amplify ulp differences a little; 100-step goldens agree to 1e-12).
            assert np.allclose(final, run.final, rtol=1e-6, atol=1e-9), (label, final, run.final)
            t_torch = [timed(lambda c=cls_name, kw=kwargs: torch_loop(torch, c, kw)) for _ in range(repeats)]
        rows.append((label, statistics.median(t_ours), statistics.median(t_torch) if t_torch else None))
    return rows, (torch.__version__ if torch is not None else None)


def bench_fan(repeats: int, n_starts: int = 10_000, steps: int = 500):
    rng = np.random.default_rng(0)
    starts = rng.uniform(-5, 5, size=(n_starts, 2))
    opt = optim.adam(lr=0.05)
    x, y = starts[:, 0], starts[:, 1]

    def baseline():
        for _ in range(steps):
            FAN_SURFACE.value_and_grad(x, y)

    t_fan = [timed(lambda: optim.simulate_many(FAN_SURFACE, opt, starts, steps)) for _ in range(repeats)]
    t_base = [timed(baseline) for _ in range(repeats)]
    fan = optim.simulate_many(FAN_SURFACE, opt, starts, steps)
    return statistics.median(t_fan), statistics.median(t_base), fan


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"# bench_optim  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  python {platform.python_version()}"
          f"  numpy {np.__version__}  cpus {__import__('os').cpu_count()}  repeats {args.repeats} (medians)")

    rows, torch_version = bench_single(args.repeats)
    print(f"\n(a) one start, {STEPS} steps on rosenbrock from {START}; torch {torch_version or 'not installed'}")
    print(f"{'optimizer':<14}{'ours ms':>10}{'us/step':>9}{'torch ms':>10}{'ratio':>8}")
    for label, t_o, t_t in rows:
        ratio = f"{t_t / t_o:7.1f}x" if t_t else "      -"
        torch_ms = f"{1e3 * t_t:10.1f}" if t_t else "         -"
        print(f"{label:<14}{1e3 * t_o:10.1f}{1e6 * t_o / STEPS:9.1f}{torch_ms}{ratio:>8}")
    total_o = sum(r[1] for r in rows)
    if rows[0][2] is not None:
        total_t = sum(r[2] for r in rows)
        print(f"{'all 8':<14}{1e3 * total_o:10.1f}{'':9}{1e3 * total_t:10.1f}{total_t / total_o:7.1f}x")

    t_fan, t_base, fan = bench_fan(args.repeats)
    n_starts, steps = fan.points.shape[1], fan.points.shape[0] - 1
    status, counts = np.unique(fan.status, return_counts=True)
    print(f"\n(b) simulate_many adam, {n_starts} starts x {steps} steps on himmelblau: {t_fan:.3f} s "
          f"({dict(zip(status.tolist(), counts.tolist()))})")
    print(f"    baseline: {steps} x value_and_grad on {n_starts} points: {t_base:.3f} s  "
          f"-> simulate_many / baseline = {t_fan / t_base:.2f}")


if __name__ == "__main__":
    main()
