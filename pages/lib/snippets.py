""""Copy as Python" for pages whose runs differ in more than the optimizer.

:func:`optim.export.python_snippet` writes runs that share one start, step count, schedule,
noise and seed (the playground, the momentum page). The critical-points lab (six starts, noise on
one path), the adaptive page (lr decay per optimizer) and the warm-up page (a schedule per path)
need each run's own; :func:`simulate_snippet` writes them the way
:func:`pages.lib.runs.run_optimizer` computes them, so the snippet reproduces the page bit for
bit. Plain Python, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence


def simulate_snippet(*, surface_id: str, formula: str, runs: Sequence[dict], note: str = "") -> str:
    """Python for ``runs``: dicts with ``name``, ``opt_id``, ``hyper`` (dict or pairs), ``start``,
    ``steps``, ``schedule`` ((kind, params pairs, warm-up) as ``run_optimizer`` takes it),
    ``noise`` ((scale, batch size)) and ``seed``. Every value is written with ``repr``."""
    lines = ["import numpy as np", "import optim", "import surfaces", ""]
    if note:
        lines += [f"# {line}" for line in note.splitlines()] + [""]
    if surface_id and surface_id != "custom":
        lines.append(f"surface = surfaces.CATALOG[{surface_id!r}]")
    else:
        lines.append(f"surface = surfaces.parse({formula!r})")
    lines += ["", "runs = {}"]
    for run in runs:
        args = ", ".join(f"{k}={v!r}" for k, v in sorted(dict(run["hyper"]).items()))
        start, steps = run["start"], int(run["steps"])
        kind, params, warmup = run.get("schedule") or ("constant", (), 0)
        scale, batch = run.get("noise") or (0.0, 1)
        lines.append(f"# {run['name']}")
        lines.append(f"opt = optim.make({run['opt_id']!r}{', ' if args else ''}{args})")
        if kind != "constant" or warmup > 0:
            extra = "".join(f", {k}={v!r}" for k, v in params)
            lines.append(f"schedule = optim.schedules.build({kind!r}, opt.lr, {steps!r}, warmup={int(warmup)!r}{extra})")
        else:
            lines.append("schedule = None")
        if scale > 0:
            lines.append(f"noise = optim.GradientNoise(scale={float(scale)!r}, batch_size={int(batch)!r})")
        else:
            lines.append("noise = None")
        lines.append(f"runs[{run['name']!r}] = optim.simulate(surface, opt, "
                     f"np.asarray(({float(start[0])!r}, {float(start[1])!r}), float), {steps!r}, "
                     f"schedule=schedule, noise=noise, seed={int(run.get('seed', 0))!r})")
    lines += ["", "for name, run in runs.items():",
              "    print(name, run.status, run.stop_step, run.points[-1], run.loss[-1])"]
    return "\n".join(lines) + "\n"
