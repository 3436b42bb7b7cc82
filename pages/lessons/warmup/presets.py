"""Presets of the warm-up page, its controls and the one mapping from controls to runs.

No Streamlit here (see :mod:`pages.lessons.momentum.presets` for the pattern): the page builds its
widgets from :data:`CONTROLS` and its runs from :func:`setup`; the tests run the same
:func:`setup` on each preset's link parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

import surfaces
from optim.request import CONSTANT, NoiseSpec, ScheduleSpec
from pages.lib.claims import Claim, distance, fmt, largest_step
from pages.lib.controls import Control, RunSpec, Setup, optimizer_name, optimizer_title, surface_name, surface_title
from pages.lib.preset_model import Preset
from pages.lib.registry import LESSON_MAX_STEPS

PAGE = "warmup"
MAX_STEPS = LESSON_MAX_STEPS
OPTIMIZERS = ("rmsprop", "adam")


CONTROLS: dict[str, Control] = {c.key: c for c in (
    Control("surface", "select", "elongated_bowl", options=tuple(surfaces.CATALOG), label=surface_title,
            shown=surface_name),
    Control("x0", "optional", None, -1e3, 1e3),
    Control("y0", "optional", None, -1e3, 1e3),
    Control("steps", "integer", 200, 10, MAX_STEPS),
    Control("opt", "select", "rmsprop", options=OPTIMIZERS, label=optimizer_title, shown=optimizer_name),
    Control("lr", "number", 0.5, 1e-5, 10.0),
    Control("alpha", "number", 0.99, 0.5, 0.9999),
    Control("warmup", "integer", 40, 1, MAX_STEPS),
    Control("cosine", "toggle", False),
    Control("lecture", "toggle", True),
    Control("noise", "number", 0.0, 0.0, 100.0),
    Control("batch", "integer", 1, 1, 4096),
    Control("seed", "integer", 0, 0, 2**31 - 1),
)}

COLORS = {"none": "#D55E00", "warm": "#56B4E9", "cosine": "#009E73", "lecture": "#CC79A7"}  # Okabe-Ito
NO_SCHEDULE = CONSTANT


def setup(values: Mapping[str, Any]) -> Setup:
    """The runs of the warm-up page for these control values.

    ``none``: the optimizer at a constant lr; ``warm``: the same with a linear warm-up over
    ``warmup`` steps (from 0, then constant); ``cosine`` (toggle): warm-up then cosine decay to 0
    over the rest; ``lecture`` (toggle, RMSProp only): the lecture's RMSProp (sigma^0 = |g^0|)
    at the same constant lr. All see the same gradient noise (same seed).
    """
    surface = surfaces.CATALOG[values["surface"]]
    sx, sy = surface.starts[0]
    start = (float(sx if values["x0"] is None else values["x0"]), float(sy if values["y0"] is None else values["y0"]))
    steps, lr, opt = int(values["steps"]), float(values["lr"]), values["opt"]
    warm = min(int(values["warmup"]), steps)
    hyper = (("alpha", float(values["alpha"])), ("lr", lr)) if opt == "rmsprop" else (("lr", lr),)
    runs = [RunSpec("none", opt, hyper, NO_SCHEDULE, COLORS["none"]),
            RunSpec("warm", opt, hyper, ScheduleSpec("constant", (), warm), COLORS["warm"])]
    if values["cosine"]:
        runs.append(RunSpec("cosine", opt, hyper, ScheduleSpec("cosine", (), warm), COLORS["cosine"]))
    if values["lecture"] and opt == "rmsprop":
        runs.append(RunSpec("lecture", "rmsprop_lecture", hyper, NO_SCHEDULE, COLORS["lecture"], "dot"))
    noise = NoiseSpec(float(values["noise"]), int(values["batch"]))
    return Setup(values["surface"], start, steps, tuple(runs), noise, int(values["seed"]))


_BOWL = {"surface": "elongated_bowl", "x0": "-3.5", "y0": "1.2"}


# Claims (tests/test_preset_claims.py) read the drawn paths in legend order: the runs of setup().
def _first_step(d, i: int):
    return d[i][1] - d[i][0]


def _jitter(points, last: int = 50) -> float:
    """Total of the per-coordinate standard deviations over the last ``last`` points."""
    return float(np.std(np.asarray(points, float)[-last:], axis=0).sum())


def _burst_step(points, after: int = 40, size: float = 0.5) -> int | None:
    """The first step after ``after`` longer than ``size``: a settled path bursting out."""
    d = np.linalg.norm(np.diff(np.asarray(points, float), axis=0), axis=1)
    late = np.flatnonzero(d[after:] > size)
    return int(late[0]) + after if late.size else None


def _jump_facts(d):
    return {"jump": fmt(abs(_first_step(d, 0)).min(), 1), "burst": str(_burst_step(d[1]))}

PRESETS = [
    Preset(
        "warmup_rmsprop_jump", PAGE,
        ("RMSProp's first jump, and warm-up", "RMSProp 的第一步暴冲与 warm-up"),
        ("torch's RMSProp starts its average at 0: the first step is 10× lr. Warm-up keeps it calm.",
         "torch 的 RMSProp 从 0 开始累积平均：第一步是 lr 的 10 倍。Warm-up 让它平稳起步。"),
        ("Watch the red path (no warm-up) jump by {jump} in each coordinate at its first step, far out of the valley, "
         "while the blue path (40-step warm-up) and the lecture's RMSProp (purple dots, σ⁰ = |g⁰|) walk calmly in. "
         "Keep watching: once the blue path has settled, its gradient is ≈ 0, torch's running average v shrinks, "
         "lr/√v grows, and from step {burst} it bursts out of the minimum and falls back (like the lecture's AdaGrad).",
         "看红色路径（没有 warm-up）第一步在每个坐标上各跳 {jump}，远远冲出山谷；而蓝色路径（40 步 warm-up）"
         "和课程写法的 RMSProp（紫色点线，σ⁰ = |g⁰|）平稳地走进谷底。继续看：蓝色路径停稳后 gradient ≈ 0，"
         "torch 的滑动平均 v 不断变小、lr/√v 不断变大，从第 {burst} 步起它冲出极小值又落回（和课程里的 AdaGrad 一样）。"),
        {**_BOWL, "steps": "200", "opt": "rmsprop", "lr": "0.5", "alpha": "0.99", "warmup": "40",
         "cosine": "false", "lecture": "true", "noise": "0"},
        claims=(
            Claim("without warm-up the first step is 10 x lr (5) in each coordinate",
                  lambda d: all(abs(abs(v) - 5.0) < 1e-6 for v in _first_step(d, 0))),
            Claim("that jump leaves the window's valley (|y| > 3 after step 1)", lambda d: abs(d[0][1][1]) > 3),
            Claim("with warm-up no step of the first 40 exceeds 1; in the lecture's form no step at all",
                  lambda d: largest_step(d[1], last=40) < 1 and largest_step(d[2]) < 1),
            Claim("the warm-up path settles (within 1e-6 of the minimum) and later bursts (a step > 0.5)",
                  lambda d: (k := _burst_step(d[1])) is not None
                  and min(distance(q, (0, 0)) for q in d[1][40:k]) < 1e-6),
            Claim("all three reach the minimum (within 0.01)",
                  lambda d: all(distance(d.end(i), (0, 0)) < 0.01 for i in range(3))),
        ),
        facts=_jump_facts,
    ),
    Preset(
        "warmup_adam_noise", PAGE,
        ("Adam under gradient noise: warm-up, then cosine decay", "有 gradient 噪声时的 Adam：先 warm-up，再 cosine 衰减"),
        ("Noisy gradients: full-size early steps without warm-up, a calm start with it, a quiet end with cosine decay.",
         "Gradient 有噪声：不 warm-up 时一开始就迈满步，warm-up 让起步平稳，cosine 衰减让结尾安静。"),
        ("Watch the red path (no warm-up) take full-size steps in noisy directions from step 0, the blue and green "
         "paths start small while Adam's averages fill up, and only the green one (cosine decay) stops jittering "
         "near the minimum at the end.",
         "看红色路径（没有 warm-up）从第 0 步起就沿噪声方向迈出满步；蓝色和绿色路径在 Adam 的平均值积累起来之前"
         "只迈小步；最后只有绿色路径（cosine 衰减）在极小值附近不再抖动。"),
        {**_BOWL, "steps": "300", "opt": "adam", "lr": "0.5", "warmup": "60", "cosine": "true",
         "noise": "5", "batch": "1", "seed": "0"},
        claims=(
            Claim("without warm-up the early steps are full size (a step of at least 0.5 in the first 10)",
                  lambda d: largest_step(d[0], last=10) >= 0.5),
            Claim("with warm-up the first 10 steps stay small (each under 0.2)",
                  lambda d: largest_step(d[1], last=10) < 0.2 and largest_step(d[2], last=10) < 0.2),
            Claim("only the cosine path stops jittering at the end (10x less spread over the last 50 steps)",
                  lambda d: _jitter(d[2]) * 10 < min(_jitter(d[0]), _jitter(d[1]))),
            Claim("the cosine path ends near the minimum (within 0.5)", lambda d: distance(d.end(2), (0, 0)) < 0.5),
        ),
    ),
]
