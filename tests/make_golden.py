"""Regenerate the stored torch.optim trajectories in tests/golden/ (needs torch; the tests do not).

    pip install torch==2.13.0     # the CPU build; the tests read the stored files only
    python tests/make_golden.py

What is stored:

- ``torch_cases.json``: one entry per case (optimizer id + hyperparameters with PyTorch's names,
  surface id and its formula text, start, optional schedule in ``optim.schedules.build`` form,
  torch version). The tests parse the stored formula, so editing the catalog cannot silently
  change what the goldens mean;
- ``torch_trajectories.npz``: ``points`` (cases, 101, 2) and ``lr`` (cases, 100): the 100-step
  trajectories torch.optim produced in float64, and the lr torch used at each step;
- ``torch_schedules.json``: 100-step lr sequences of torch's own schedulers (StepLR, MultiStepLR,
  ExponentialLR, CosineAnnealingLR, CosineAnnealingWarmRestarts, OneCycleLR) with the matching
  ``build`` arguments.

torch computes the gradient by autograd of the same formula as the catalog surface, written in
torch ops below (our engine differentiates it symbolically with SymPy), so the two agree to
rounding. A scheduled case drives torch with ``LambdaLR(lambda k: schedule(k) / lr)``, whose
step k (0 for the first update) is our convention, with the schedule built by our
``optim.schedules.build``; the lr torch used is stored so the test checks the schedule too.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOLDEN = ROOT / "tests" / "golden"
STEPS = 100

SURFACES = {  # catalog id -> (formula text for surfaces.parse, the same formula in torch ops, start)
    "rosenbrock": ("(1 - x)^2 + 100*(y - x^2)^2", lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2, (0.0, 0.0)),
    "himmelblau": ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
                   lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2, (0.0, 0.0)),
    "booth": ("(x + 2*y - 7)^2 + (2*x + y - 5)^2", lambda x, y: (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2,
              (-8.0, -8.0)),
    "elongated_bowl": ("0.5*(x^2 + 25*y^2)", lambda x, y: 0.5 * (x**2 + 25 * y**2), (-3.5, 1.2)),
}

CONFIGS = [  # (our optimizer id, hyperparameters with torch's names)
    ("sgd", {"lr": 1e-3}),
    ("sgd", {"lr": 1e-3, "momentum": 0.9}),
    ("sgd", {"lr": 1e-3, "momentum": 0.9, "dampening": 0.5}),
    ("nesterov", {"lr": 1e-3, "momentum": 0.9}),
    ("sgd", {"lr": 1e-3, "momentum": 0.8, "weight_decay": 0.1}),
    ("adagrad", {"lr": 0.1}),
    ("adagrad", {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.01, "initial_accumulator_value": 0.1}),
    ("rmsprop", {"lr": 1e-2}),
    ("rmsprop", {"lr": 1e-2, "centered": True, "momentum": 0.5}),
    ("rmsprop", {"lr": 1e-2, "alpha": 0.9, "weight_decay": 0.01}),
    ("adam", {"lr": 0.05}),
    ("adam", {"lr": 0.05, "betas": [0.8, 0.99], "eps": 1e-6}),
    ("adam", {"lr": 0.05, "weight_decay": 0.1}),
    ("adamw", {"lr": 0.05, "weight_decay": 0.1}),
    ("amsgrad", {"lr": 0.05}),
]

SCHEDULE = {"kind": "cosine", "warmup": 10, "start_factor": 0.0, "floor": 0.1}


def torch_optimizer(torch, opt_id, hyper, params):
    kw = dict(hyper)
    if "betas" in kw:
        kw["betas"] = tuple(kw["betas"])
    cls = {"sgd": torch.optim.SGD, "nesterov": torch.optim.SGD, "adagrad": torch.optim.Adagrad,
           "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
           "amsgrad": torch.optim.Adam}[opt_id]
    if opt_id == "nesterov":
        kw["nesterov"] = True
    if opt_id == "amsgrad":
        kw["amsgrad"] = True
    # foreach=False: the per-tensor kernels the reference notes quote (same math either way).
    return cls(params, foreach=False, **kw)


def run_torch(torch, opt_id, hyper, surface_id, schedule):
    _, formula, start = SURFACES[surface_id]
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = torch_optimizer(torch, opt_id, hyper, [p])
    sched = None
    if schedule is not None:
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda k: schedule(k) / hyper["lr"])
    points, lrs = [p.detach().clone().numpy()], []
    for _ in range(STEPS):
        opt.zero_grad()
        formula(p[0], p[1]).backward()
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        if sched is not None:
            sched.step()
        points.append(p.detach().clone().numpy())
    return np.array(points), np.array(lrs)


def torch_schedules(torch):
    """lr sequences of torch's own schedulers, with the build() call that should match."""
    S = torch.optim.lr_scheduler
    lr = 0.1
    cases = [
        ("step", {"step_size": 15, "gamma": 0.5}, lambda o: S.StepLR(o, step_size=15, gamma=0.5)),
        ("multistep", {"milestones": [30, 70], "gamma": 0.1}, lambda o: S.MultiStepLR(o, milestones=[30, 70], gamma=0.1)),
        ("exponential", {"gamma": 0.97}, lambda o: S.ExponentialLR(o, gamma=0.97)),
        ("cosine", {"T": 100, "floor": 0.0}, lambda o: S.CosineAnnealingLR(o, T_max=100, eta_min=0.0)),
        ("cosine", {"T": 100, "floor": 0.05}, lambda o: S.CosineAnnealingLR(o, T_max=100, eta_min=0.05 * lr)),
        ("cosine_restarts", {"T_0": 10, "T_mult": 2, "floor": 0.0},
         lambda o: S.CosineAnnealingWarmRestarts(o, T_0=10, T_mult=2, eta_min=0.0)),
        ("one_cycle", {}, lambda o: S.OneCycleLR(o, max_lr=lr, total_steps=STEPS)),
        ("one_cycle", {"pct_start": 0.25, "div_factor": 10.0, "final_div_factor": 100.0},
         lambda o: S.OneCycleLR(o, max_lr=lr, total_steps=STEPS, pct_start=0.25, div_factor=10.0,
                                final_div_factor=100.0)),
    ]
    out = []
    for kind, params, make in cases:
        p = torch.zeros(2, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.SGD([p], lr=lr)
        sched = make(opt)
        lrs = []
        for _ in range(STEPS):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        out.append({"kind": kind, "lr": lr, "steps": STEPS, "params": params, "torch_lr": lrs})
    return out


def main():
    import torch

    import optim

    torch.set_default_dtype(torch.float64)
    cases, points, lrs = [], [], []
    for surface_id in SURFACES:
        for opt_id, hyper in CONFIGS:
            for schedule_form in (None, SCHEDULE):
                schedule = None
                if schedule_form is not None:
                    form = dict(schedule_form)
                    schedule = optim.schedules.build(form.pop("kind"), hyper["lr"], STEPS, **form)
                pts, lr = run_torch(torch, opt_id, hyper, surface_id, schedule)
                if not np.isfinite(pts).all():
                    raise SystemExit(f"non-finite torch trajectory: {opt_id} {hyper} on {surface_id}")
                text, _, start = SURFACES[surface_id]
                cases.append({"optimizer": opt_id, "hyper": hyper, "surface": surface_id, "formula": text,
                              "start": list(start), "schedule": schedule_form})
                points.append(pts)
                lrs.append(lr)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    meta = {"torch_version": torch.__version__, "steps": STEPS, "dtype": "float64", "cases": cases}
    (GOLDEN / "torch_cases.json").write_text(json.dumps(meta, indent=1) + "\n")
    np.savez_compressed(GOLDEN / "torch_trajectories.npz", points=np.array(points), lr=np.array(lrs))
    sched_meta = {"torch_version": torch.__version__, "schedules": torch_schedules(torch)}
    (GOLDEN / "torch_schedules.json").write_text(json.dumps(sched_meta, indent=1) + "\n")
    print(f"wrote {len(cases)} trajectories and {len(sched_meta['schedules'])} schedules to {GOLDEN}")


if __name__ == "__main__":
    main()
