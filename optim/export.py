"""Exports of runs: every per-step quantity as CSV or JSON ("copy as Python": :func:`optim.request.snippet`).

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
