"""Presets of the momentum page, its controls and the one mapping from controls to runs.

No Streamlit here: the page builds its widgets from :data:`CONTROLS` and its runs from
:func:`setup`; the tests read a preset with :func:`values_from_params` and run the very same
:func:`setup`, so a preset that stops showing its claim fails a test.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import surfaces
from optim.request import CONSTANT, ScheduleSpec
from pages.lib.claims import Claim, distance, fmt, largest_gap
from pages.lib.controls import Control, RunSpec, Setup, surface_name, surface_title
from pages.lib.preset_model import Preset
from pages.lib.registry import LESSON_MAX_STEPS

PAGE = "momentum"


MAX_STEPS = LESSON_MAX_STEPS

CONTROLS: dict[str, Control] = {c.key: c for c in (
    Control("surface", "select", "two_dips", options=tuple(surfaces.CATALOG), label=surface_title,
            shown=surface_name),
    Control("x0", "optional", None, -1e3, 1e3),
    Control("y0", "optional", None, -1e3, 1e3),
    Control("steps", "integer", 200, 10, MAX_STEPS),
    Control("lr", "number", 0.05, 1e-5, 10.0),
    Control("lam", "number", 0.9, 0.0, 0.999),
    Control("gd", "toggle", True),
    Control("torch", "toggle", False),
    Control("nesterov", "toggle", False),
    Control("decay", "toggle", False),
    Control("decay_at", "integer", 3, 1, MAX_STEPS),
    Control("gamma", "number", 0.2, 0.01, 1.0),
    Control("t", "slider", 6, 1, MAX_STEPS),
)}


# --- controls -> runs ---------------------------------------------------------------------------
COLORS = {"gd": "#E69F00", "lecture": "#56B4E9", "torch": "#009E73", "nesterov": "#CC79A7"}  # Okabe-Ito


def setup(values: Mapping[str, Any]) -> Setup:
    """The runs the page shows for these control values.

    Gradient descent and the three momentum forms share one lr eta and one lambda; the step
    decay (``decay``) multiplies every lr by gamma from step ``decay_at`` on (torch MultiStepLR
    with one milestone), the same schedule for all of them.
    """
    surface = surfaces.CATALOG[values["surface"]]
    sx, sy = surface.starts[0]
    start = (float(sx if values["x0"] is None else values["x0"]), float(sy if values["y0"] is None else values["y0"]))
    steps = int(values["steps"])
    lr, lam = float(values["lr"]), float(values["lam"])
    if values["decay"]:
        schedule = ScheduleSpec("multistep", (("gamma", float(values["gamma"])), ("milestones", (int(values["decay_at"]),))))
    else:
        schedule = CONSTANT
    runs = []
    if values["gd"]:
        runs.append(RunSpec("gd", "gd", (("lr", lr),), schedule, COLORS["gd"]))
    runs.append(RunSpec("lecture", "momentum", (("lr", lr), ("momentum", lam)), schedule, COLORS["lecture"]))
    if values["torch"]:
        runs.append(RunSpec("torch", "sgd", (("lr", lr), ("momentum", lam)), schedule, COLORS["torch"], "dash"))
    if values["nesterov"]:
        runs.append(RunSpec("nesterov", "nesterov", (("lr", lr), ("momentum", lam)), schedule,
                            COLORS["nesterov"]))
    return Setup(values["surface"], start, steps, tuple(runs))


# --- presets ------------------------------------------------------------------------------------
# Claims (tests/test_preset_claims.py) read the drawn paths in legend order: the runs of setup().
_SHALLOW, _DEEP, _RIDGE_X = (1.301, 0.0), (-1.505, 0.0), 0.204  # the two_dips surface's critical points


def _in_dip(point, dip, tol=0.01) -> bool:
    return distance(point, dip) < tol


def _two_dips_facts(d):
    return {"gd_x": fmt(d.end(0)[0]), "mom_x": fmt(d.end(1)[0])}


def _arrows_at(d, t: int, lr: float = 0.05, lam: float = 0.9):
    """(-eta g, lambda m, next movement) at step t of the lecture momentum path (path 0): with
    m_t = theta_t - theta_{t-1}, the next movement is m_{t+1} = lambda m_t - eta g(theta_t)."""
    pts = d[0]
    _, g = surfaces.CATALOG["two_dips"].value_and_grad(pts[t, :1], pts[t, 1:])
    return -lr * g[:, 0], lam * (pts[t] - pts[t - 1]), pts[t + 1] - pts[t]


def _weighted_sum_holds(d, t: int = 5) -> bool:
    step, carry, move = _arrows_at(d, t)
    return bool(step[0] > 0 > carry[0] and abs(carry[0]) > abs(step[0]) and move[0] < 0
                and d[0][t, 0] > _RIDGE_X > d[0][-1, 0])


_TWO_DIPS = {"surface": "two_dips", "x0": "2.2", "y0": "0.8", "steps": "200", "lr": "0.05",
             "lam": "0.9"}

PRESETS = [
    Preset(
        "momentum_two_dips", PAGE,
        ("Momentum rolls past a shallow dip", "Momentum 冲过浅坑"),
        ("Same start, same η: gradient descent stops in the first dip, momentum reaches the deeper one.",
         "同一起点、同一 η：gradient descent 停在第一个浅坑里，momentum 冲进更深的坑。"),
        ("Watch the orange gradient-descent path stop in the shallow dip at x ≈ {gd_x} while the blue momentum "
         "path rolls over the ridge and settles in the deeper dip at x ≈ {mom_x}.",
         "看橙色的 gradient descent 停在 x ≈ {gd_x} 的浅坑里，而蓝色的 momentum 越过山脊，停在 x ≈ {mom_x} 的更深的坑里。"),
        {**_TWO_DIPS, "gd": "true", "t": "6"},
        claims=(
            Claim("gradient descent ends in the shallow dip", lambda d: _in_dip(d.end(0), _SHALLOW)),
            Claim("momentum ends in the deeper dip", lambda d: _in_dip(d.end(1), _DEEP)),
            Claim("the deeper dip is deeper", lambda d: float(surfaces.CATALOG["two_dips"].f(*_DEEP))
                  < float(surfaces.CATALOG["two_dips"].f(*_SHALLOW))),
        ),
        facts=_two_dips_facts,
    ),
    Preset(
        "momentum_weighted_sum", PAGE,
        ("The movement is a weighted sum of past gradients", "Movement 是过去所有 gradient 的加权和"),
        ("On the ridge the gradient points back, but the old gradients still push forward.",
         "在山脊上 gradient 指向回头路，但过去的 gradient 仍然推着它向前。"),
        ("Watch the arrows at step 5: the new gradient step −ηg points back towards the shallow dip, but λm, "
         "the sum of the older gradients, is longer, so the movement m still goes over the ridge.",
         "看第 5 步的箭头：新的一步 gradient −ηg 指回浅坑，但 λm（过去 gradient 的加权和）更长，"
         "所以 movement m 仍然越过山脊。"),
        {**_TWO_DIPS, "gd": "false", "t": "5"},
        claims=(
            Claim("at step 5 -eta g points back (+x), lambda m forward (-x) and longer, and the path then crosses "
                  "the ridge", _weighted_sum_holds),
        ),
    ),
    Preset(
        "momentum_forms_constant", PAGE,
        ("Lecture form = PyTorch form at a constant lr", "固定 lr 时课程写法 = PyTorch 写法"),
        ("m = λm − ηg and b = μb + g, θ −= lr·b trace the same points when η is constant.",
         "η 不变时，m = λm − ηg 与 b = μb + g、θ −= lr·b 走出完全相同的点。"),
        ("Watch the dashed green PyTorch path lie exactly on the blue lecture path (gap 0), while Nesterov, "
         "which looks ahead, brakes before the ridge and stays in the shallow dip.",
         "看绿色虚线（PyTorch 写法）与蓝色（课程写法）完全重合（差距为 0），而会“向前看”的 Nesterov "
         "在山脊前刹车，留在浅坑里。"),
        {**_TWO_DIPS, "gd": "false", "torch": "true", "nesterov": "true", "t": "6"},
        claims=(
            Claim("the PyTorch path lies exactly on the lecture path (gap 0)", lambda d: largest_gap(d[0], d[1]) == 0),
            Claim("Nesterov stays in the shallow dip", lambda d: _in_dip(d.end(2), _SHALLOW)),
            Claim("the lecture path reaches the deep dip", lambda d: _in_dip(d.end(0), _DEEP)),
        ),
    ),
    Preset(
        "momentum_forms_decay", PAGE,
        ("…and different under a schedule", "……在学习率调度下则不同"),
        ("Cut η five-fold at step 3: PyTorch's buffer shrinks at once, the lecture's movement keeps its speed.",
         "在第 3 步把 η 降为五分之一：PyTorch 的 buffer 立刻整体缩小，课程写法的 movement 保持原速。"),
        ("Watch the dashed green PyTorch path and the blue lecture path part at step 4: PyTorch's form loses "
         "its speed with the lr cut and falls back into the shallow dip; the lecture's form rolls on to the deep one.",
         "看绿色虚线（PyTorch）与蓝色（课程写法）在第 4 步分开：PyTorch 写法随 lr 降低立刻失速，"
         "落回浅坑；课程写法继续滚进深坑。"),
        {**_TWO_DIPS, "gd": "false", "torch": "true", "nesterov": "false", "decay": "true", "decay_at": "3",
         "gamma": "0.2", "t": "4"},
        claims=(
            Claim("the two paths are identical up to step 3 and part at step 4",
                  lambda d: largest_gap(d[0][:4], d[1][:4]) == 0 and distance(d[0][4], d[1][4]) > 1e-3),
            Claim("PyTorch's form falls back into the shallow dip", lambda d: _in_dip(d.end(1), _SHALLOW)),
            Claim("the lecture form rolls on to the deep dip", lambda d: _in_dip(d.end(0), _DEEP)),
        ),
    ),
]
