"""Exports of runs: every per-step quantity as CSV or JSON, and "copy as Python" snippets.

Plain Python + NumPy. A row of the table is one update of one path: the iterate
theta_t = (x, y) it started from, f(theta_t), the exact gradient there, the learning rate,
the update delta_t, the effective step |delta_t,i| / |g_t,i|, and the optimizer's state after
the update (e.g. m, v, sigma). The last iterate of each path gets a row of its own with the
update columns empty.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence

import numpy as np

BASE_COLUMNS = ("path", "step", "x", "y", "loss", "grad_x", "grad_y", "lr", "update_x", "update_y",
                "effective_step_x", "effective_step_y")


def _state_columns(traj) -> list[str]:
    cols = []
    for name, arr in sorted(traj.state.items()):
        arr = np.asarray(arr)
        if arr.ndim == 2 and arr.shape[1] == 2:
            cols += [f"{name}_x", f"{name}_y"]
        elif arr.ndim == 1:
            cols.append(name)
    return cols


def _num(v) -> float | None:
    v = float(v)
    return v if math.isfinite(v) else None


def records(runs: Sequence, names: Sequence[str]) -> list[dict]:
    """One dict per (path, step); non-finite numbers become None (JSON null, empty CSV cell)."""
    out = []
    for traj, name in zip(runs, names):
        n = int(traj.steps)
        state = {k: np.asarray(v) for k, v in traj.state.items()}
        for t in range(n + 1):
            row = {"path": name, "step": t, "x": _num(traj.points[t, 0]), "y": _num(traj.points[t, 1]),
                   "loss": _num(traj.loss[t]), "grad_x": _num(traj.grad[t, 0]), "grad_y": _num(traj.grad[t, 1])}
            if t < n:
                row.update(lr=_num(traj.lr[t]), update_x=_num(traj.update[t, 0]), update_y=_num(traj.update[t, 1]),
                           effective_step_x=_num(traj.effective_step[t, 0]),
                           effective_step_y=_num(traj.effective_step[t, 1]))
                for key, arr in sorted(state.items()):
                    if arr.ndim == 2 and arr.shape[1] == 2 and t < len(arr):
                        row[f"{key}_x"], row[f"{key}_y"] = _num(arr[t, 0]), _num(arr[t, 1])
                    elif arr.ndim == 1 and t < len(arr):
                        row[key] = _num(arr[t])
            out.append(row)
    return out


def to_csv(runs: Sequence, names: Sequence[str]) -> str:
    extra = sorted({c for traj in runs for c in _state_columns(traj)})
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[*BASE_COLUMNS, *extra], lineterminator="\n")
    writer.writeheader()
    for row in records(runs, names):
        writer.writerow({k: ("" if v is None else repr(v) if isinstance(v, float) else v) for k, v in row.items()})
    return buf.getvalue()


def to_json(runs: Sequence, names: Sequence[str], meta: dict | None = None) -> str:
    paths = []
    for traj, name in zip(runs, names):
        rows = [r for r in records([traj], [name])]
        paths.append({"name": name, "status": traj.status, "stop_step": int(traj.stop_step),
                      "message": traj.message, "steps": rows})
    return json.dumps({"meta": meta or {}, "paths": paths}, ensure_ascii=False)


def python_snippet(*, surface_id: str | None, formula: str, runs: Sequence[dict], start, steps: int,
                   schedule: tuple | None = None, noise: tuple | None = None, seed: int = 0) -> str:
    """Python that reproduces a page's runs with ``surfaces`` and ``optim``.

    ``runs`` are dicts with ``name``, ``opt_id`` and ``hyper`` (a dict); ``schedule`` is
    (kind, params pairs, warmup); ``noise`` is (scale, batch size). Every value is written
    with ``repr`` so floats round-trip exactly and the snippet reproduces the page bit for bit.
    """
    lines = ["import numpy as np", "import optim", "import surfaces", ""]
    if surface_id and surface_id != "custom":
        lines.append(f"surface = surfaces.CATALOG[{surface_id!r}]")
    else:
        lines.append(f"surface = surfaces.parse({formula!r})")
    lines.append(f"start = ({float(start[0])!r}, {float(start[1])!r})")
    lines.append(f"steps = {int(steps)!r}")
    if noise and noise[0] > 0:
        lines.append(f"noise = optim.GradientNoise(scale={float(noise[0])!r}, batch_size={int(noise[1])!r})")
    else:
        lines.append("noise = None")
    lines += ["", "runs = {}"]
    for run in runs:
        args = ", ".join(f"{k}={v!r}" for k, v in sorted(run["hyper"].items()))
        lines.append(f"opt = optim.make({run['opt_id']!r}{', ' if args else ''}{args})")
        if schedule and (schedule[0] != "constant" or schedule[2] > 0):
            kind, params, warmup = schedule
            extra = "".join(f", {k}={v!r}" for k, v in params)
            lines.append(f"schedule = optim.schedules.build({kind!r}, opt.lr, steps, warmup={int(warmup)!r}{extra})")
        else:
            lines.append("schedule = None")
        lines.append(f"runs[{run['name']!r}] = optim.simulate(surface, opt, np.asarray(start, float), steps, "
                     f"schedule=schedule, noise=noise, seed={int(seed)!r})")
    lines += ["", "for name, run in runs.items():",
              "    print(name, run.status, run.stop_step, run.points[-1], run.loss[-1])"]
    return "\n".join(lines) + "\n"
