"""Presets of the "Build an optimizer" page, its controls and the one mapping from controls to runs.

No Streamlit here (see :mod:`pages.lessons.momentum.presets` for the pattern): the page builds its
widgets from :data:`CONTROLS` and its runs from :func:`setup`; the tests run the same :func:`setup` on
each preset's link parameters. The composed optimizer is a path like any other:
:data:`optim.request.COMPOSED` with the :meth:`optim.compose.Parts.to_dict` pairs as its hyperparameters.

The presets are the lecture's steps towards its summary rule theta <- theta - (eta_t / sigma) m:
gradient descent, + momentum, + sigma (RMSProp), Adam, + a schedule (warm-up and cosine decay).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

import optim
import surfaces
from optim.compose import M_PIECES, SIGMA_PIECES, Parts, m_piece, parts, sigma_piece
from optim.request import COMPOSED, CONSTANT, NoiseSpec, ScheduleSpec
from optim.schedules import SCHEDULES
from pages.lib.claims import Claim, distance, fmt, largest_gap, largest_step
from pages.lib.controls import Control, RunSpec, Setup, surface_name, surface_title
from pages.lib.preset_model import Preset
from pages.lib.registry import LESSON_MAX_STEPS
from pages.lib.text import LANGS

from .text import COMPOSE, OPTIMIZER_NAMES, SCHEDULE_NAMES

PAGE = "compose"
MAX_STEPS = LESSON_MAX_STEPS
NONE = "none"
RACE_KEYS = ("vs1", "vs2", "vs3")


def m_title(piece_id: str, lang: str = "en") -> str:
    return M_PIECES[piece_id]["zh" if lang == "zh" else "en"]


def sigma_title(piece_id: str, lang: str = "en") -> str:
    return SIGMA_PIECES[piece_id]["zh" if lang == "zh" else "en"]


def schedule_title(kind: str, lang: str = "en") -> str:
    return SCHEDULE_NAMES[kind][LANGS.index(lang)]


def opponent_title(opt_id: str, lang: str = "en") -> str:
    return (COMPOSE["none"] if opt_id == NONE else OPTIMIZER_NAMES[opt_id])[LANGS.index(lang)]


CONTROLS: dict[str, Control] = {c.key: c for c in (
    Control("m", "select", "grad", options=tuple(M_PIECES), label=m_title, shown=m_title),
    Control("lam", "number", 0.9, 0.0, 0.999),
    Control("damp", "number", 0.0, 0.0, 1.0),
    Control("beta1", "number", 0.9, 0.0, 0.999),
    Control("m_bc", "toggle", True),
    Control("sigma", "select", "one", options=tuple(SIGMA_PIECES), label=sigma_title, shown=sigma_title),
    Control("s0", "number", 0.0, 0.0, 10.0),
    Control("alpha", "number", 0.99, 0.5, 0.9999),
    Control("beta2", "number", 0.999, 0.5, 0.99999),
    Control("s_bc", "toggle", True),
    Control("eps", "optional", None, 1e-12, 1e-2),
    Control("eps_in", "toggle", False),
    Control("lr", "number", 0.05, 1e-5, 10.0),
    Control("sched", "select", "constant", options=tuple(SCHEDULES), label=schedule_title, shown=schedule_title),
    Control("warmup", "integer", 0, 0, MAX_STEPS),
    Control("vs1", "select", "gd", options=(NONE, *optim.SPECS), label=opponent_title, shown=opponent_title),
    Control("vs2", "select", NONE, options=(NONE, *optim.SPECS), label=opponent_title, shown=opponent_title),
    Control("vs3", "select", NONE, options=(NONE, *optim.SPECS), label=opponent_title, shown=opponent_title),
    Control("same_sched", "toggle", True),
    Control("surface", "select", "two_dips", options=tuple(surfaces.CATALOG), label=surface_title, shown=surface_name),
    Control("x0", "optional", None, -1e3, 1e3),
    Control("y0", "optional", None, -1e3, 1e3),
    Control("steps", "integer", 200, 10, MAX_STEPS),
    Control("noise", "number", 0.0, 0.0, 100.0),
    Control("batch", "integer", 1, 1, 4096),
    Control("seed", "integer", 0, 0, 2**31 - 1),
)}

# Which controls each piece reads (the page shows only these under the piece's picker).
M_CONTROLS = {"grad": (), "momentum": ("lam",), "heavy_ball": ("lam", "damp"), "nesterov": ("lam",),
              "ema": ("beta1", "m_bc")}
SIGMA_CONTROLS = {"one": (), "adagrad": ("s0",), "adagrad_mean": (), "rmsprop_lecture": ("alpha",),
                  "rmsprop": ("alpha",), "adam": ("beta2", "s_bc"), "amsgrad": ("beta2", "s_bc")}
EPS_CONTROLS = ("eps", "eps_in")
PIECE_CONTROLS = ("lam", "damp", "beta1", "m_bc", "s0", "alpha", "beta2", "s_bc", *EPS_CONTROLS)
# A named opponent shares these of the page's values (where it has the hyperparameter).
SHARED = {"momentum": "lam", "dampening": "damp", "alpha": "alpha", "beta1": "beta1", "beta2": "beta2",
          "initial_accumulator_value": "s0"}

COMPOSED_COLOR = "#D55E00"  # Okabe-Ito vermillion: your optimizer, on every page element
COLORS = {"vs1": "#0072B2", "vs2": "#009E73", "vs3": "#CC79A7"}


def parts_of(values: Mapping[str, Any]) -> Parts:
    """The :class:`optim.compose.Parts` the controls choose (each piece with its own controls)."""
    mp = {"momentum": {"momentum": values["lam"]}, "heavy_ball": {"momentum": values["lam"], "dampening": values["damp"]},
          "nesterov": {"momentum": values["lam"]}, "ema": {"beta1": values["beta1"], "bias_correction": values["m_bc"]}}
    sp = {"adagrad": {"initial_accumulator_value": values["s0"]}, "rmsprop_lecture": {"alpha": values["alpha"]},
          "rmsprop": {"alpha": values["alpha"]}, "adam": {"beta2": values["beta2"], "bias_correction": values["s_bc"]},
          "amsgrad": {"beta2": values["beta2"], "bias_correction": values["s_bc"]}}
    m = m_piece(values["m"], **mp.get(values["m"], {}))
    s = sigma_piece(values["sigma"], **sp.get(values["sigma"], {}))
    return parts(m, s, values["eps"], lr=float(values["lr"]), eps_inside=bool(values["eps_in"]))


def opponent_hyper(opt_id: str, values: Mapping[str, Any]) -> tuple:
    """A named opponent's hyperparameters: the page's η (except Newton's step scale) and the shared
    λ, d, α, β1, β2, s₀ where it has them; the rest at its defaults."""
    names = {p.name for p in optim.SPECS[opt_id].params}
    hyper = {name: float(values[key]) for name, key in SHARED.items() if name in names}
    if opt_id != "newton":
        hyper["lr"] = float(values["lr"])
    return tuple(sorted(hyper.items()))


def opponents(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(run key, optimizer id) of each chosen opponent, a repeated choice shown once."""
    out, seen = [], set()
    for key in RACE_KEYS:
        opt_id = values[key]
        if opt_id != NONE and opt_id not in seen:
            seen.add(opt_id)
            out.append((key, opt_id))
    return out


def setup(values: Mapping[str, Any]) -> Setup:
    """The runs of the page for these control values.

    One run per chosen opponent (``vs1``..``vs3``) at the same η and shared hyperparameters, under
    the same schedule (or the constant η with ``same_sched`` off); then ``composed`` (last: on top,
    dotted): the chosen parts under the chosen schedule (``sched`` with ``warmup`` steps of linear
    warm-up). All see the same gradient noise (same seed).
    """
    surface = surfaces.CATALOG[values["surface"]]
    sx, sy = surface.starts[0]
    start = (float(sx if values["x0"] is None else values["x0"]), float(sy if values["y0"] is None else values["y0"]))
    steps = int(values["steps"])
    schedule = ScheduleSpec(values["sched"], (), min(int(values["warmup"]), steps))
    chosen = parts_of(values)
    theirs = schedule if values["same_sched"] else CONSTANT
    runs = [RunSpec(key, opt_id, opponent_hyper(opt_id, values), theirs, COLORS[key]) for key, opt_id in opponents(values)]
    # yours last: drawn on top, dotted, so a named optimizer it equals shows through as a line under the dots
    runs.append(RunSpec("composed", COMPOSED, tuple(sorted(chosen.to_dict().items())), schedule, COMPOSED_COLOR, "dot"))
    noise = NoiseSpec(float(values["noise"]), int(values["batch"]))
    return Setup(values["surface"], start, steps, tuple(runs), noise, int(values["seed"]))


# --- presets: the lecture's steps ------------------------------------------------------------------
# Claims (tests/test_preset_claims.py) read the drawn paths in legend order: the runs of setup()
# (the opponents 0, 1, ..., then your optimizer last: MINE).
MINE = -1
SHALLOW, DEEP = (1.300976, 0.0), (-1.505237, 0.0)  # the two dips' minima (surfaces.CATALOG["two_dips"])
_DIPS = {"surface": "two_dips", "x0": "2.2", "y0": "0.8", "steps": "200", "lr": "0.05", "noise": "0"}
_BOWL = {"surface": "elongated_bowl", "x0": "-3.5", "y0": "1.2", "steps": "200", "lr": "0.08", "noise": "0"}


def _first_step(d, i: int = -1):
    return np.abs(d[i][1] - d[i][0])


def _jitter(points, last: int = 50) -> float:
    """Total of the per-coordinate standard deviations over the last ``last`` points."""
    return float(np.std(np.asarray(points, float)[-last:], axis=0).sum())


def _same(d, i: int, j: int) -> bool:
    """Paths i and j are the same points (as drawn), step for step."""
    return len(d[i]) == len(d[j]) and largest_gap(d[i], d[j]) == 0.0


def _end_facts(d):
    x, y = d.end(MINE)
    return {"x": fmt(x), "y": fmt(y)}


def _rms_facts(d):
    dx, dy = _first_step(d, MINE)
    return {"dx": fmt(dx, 3), "dy": fmt(dy, 3), "off": fmt(distance(d.end(MINE), (0, 0)), 3)}


def _adam_facts(d):
    return {"adam": f"{distance(d.end(MINE), (0, 0)):.1e}", "rms": fmt(distance(d.end(0), (0, 0)), 3)}


def _schedule_facts(d):
    return {"big": fmt(largest_step(d[0], last=10)), "small": fmt(largest_step(d[MINE], last=10)),
            "ratio": f"{_jitter(d[0]) / _jitter(d[MINE]):.0f}"}


PRESETS = [
    Preset(
        "compose_gd", PAGE,
        ("Step 1 · m = g, σ = 1: gradient descent", "第 1 步 · m = g，σ = 1：梯度下降"),
        ("The summary rule with the plainest parts is gradient descent, and stops in the first dip.",
         "总规则取最简单的部分就是梯度下降，它停在第一个坑里。"),
        ("m = g, σ = 1 and a constant η turn the lecture's rule into θ ← θ − η g: the line above the plot says "
         "it is exactly gradient descent, and your orange dots lie on the blue line of named gradient descent point "
         "for point. Watch both stop in the shallow dip at ({x}, {y}), never reaching the deeper one on the left.",
         "m = g、σ = 1、η 恒定时，课程的规则就是 θ ← θ − η g：图上方的识别行说它正是梯度下降，你的橙色点线"
         "与蓝色的已命名梯度下降逐点重合。看两条路径都停在 ({x}, {y}) 的浅坑里，到不了左边更深的坑。"),
        {**_DIPS, "m": "grad", "sigma": "one", "sched": "constant", "warmup": "0", "vs1": "gd", "vs2": NONE,
         "vs3": NONE},
        claims=(
            Claim("your optimizer stops in the shallow dip (within 0.01 of x = 1.30)",
                  lambda d: distance(d.end(MINE), SHALLOW) < 0.01),
            Claim("named gradient descent draws exactly the same points", lambda d: _same(d, MINE, 0)),
        ),
        facts=_end_facts,
    ),
    Preset(
        "compose_momentum", PAGE,
        ("Step 2 · + momentum: m = λm − ηg", "第 2 步 · 加上动量：m = λm − ηg"),
        ("Make m the lecture's movement and the same rule rolls past the shallow dip into the deep one.",
         "把 m 换成课程里的移动量，同一条规则就能滚过浅坑，进入深坑。"),
        ("Only m changed: the lecture's movement m = λm − ηg (λ = 0.9), a weighted sum of all past gradients. "
         "Watch your orange dotted path roll through the shallow dip where gradient descent (blue) stops, and "
         "settle in the deep dip at ({x}, {y}), point for point on the green line of the lecture's momentum by name.",
         "只改了 m：课程里的移动量 m = λm − ηg（λ = 0.9），即所有过去梯度的加权和。看你的橙色点线滚过梯度下降"
         "（蓝色）停下的浅坑，停在 ({x}, {y}) 的深坑，与绿色的已命名课程动量法逐点重合。"),
        {**_DIPS, "m": "momentum", "lam": "0.9", "sigma": "one", "sched": "constant", "warmup": "0", "vs1": "gd",
         "vs2": "momentum", "vs3": NONE},
        claims=(
            Claim("your optimizer reaches the deep dip (within 0.01 of x = -1.51)", lambda d: distance(d.end(MINE), DEEP) < 0.01),
            Claim("gradient descent stays in the shallow dip (within 0.01 of x = 1.30)",
                  lambda d: distance(d.end(0), SHALLOW) < 0.01),
            Claim("the lecture's momentum by name draws exactly the same points", lambda d: _same(d, MINE, 1)),
        ),
        facts=_end_facts,
    ),
    Preset(
        "compose_rmsprop", PAGE,
        ("Step 3 · + σ: the lecture's RMSProp", "第 3 步 · 加上 σ：课程里的 RMSProp"),
        ("Divide by σ, a running size of each coordinate's gradients: one η now fits the steep and the flat direction.",
         "除以 σ（每个坐标梯度大小的滑动平均）：同一个 η 同时适合陡的方向和平的方向。"),
        ("Back to m = g, now divided by σ with σ⁰ = |g⁰| and σ² = α σ² + (1 − α) g² (α = 0.9). At η = 0.08 gradient "
         "descent (blue) is at its limit in the steep y direction (1 − 25η = −1) and bounces between y = 1.2 and "
         "y = −1.2 forever, while your orange dotted path's first step "
         "is {dx} in x and {dy} in y: η in each coordinate, whatever the gradient's size. It walks straight in, then "
         "hovers {off} from the minimum, since each step stays about η: that is what step 5's schedule is for. It lies "
         "on the green line of the lecture's RMSProp by name.",
         "回到 m = g，但除以 σ，其中 σ⁰ = |g⁰|，σ² = α σ² + (1 − α) g²（α = 0.9）。η = 0.08 时，梯度下降（蓝色）"
         "在陡峭的 y 方向正好处于极限（1 − 25η = −1），永远在 y = 1.2 和 y = −1.2 之间来回弹跳；你的橙色点线第一步在 x 方向走 {dx}、y 方向走 {dy}：不管梯度多大，每个坐标都是 η。"
         "它径直走进去，然后在离极小值 {off} 处徘徊，因为每步仍约为 η：这正是第 5 步调度要解决的。它与绿色的"
         "已命名课程 RMSProp 重合。"),
        {**_BOWL, "m": "grad", "sigma": "rmsprop_lecture", "alpha": "0.9", "sched": "constant", "warmup": "0",
         "vs1": "gd", "vs2": "rmsprop_lecture", "vs3": NONE},
        claims=(
            Claim("your optimizer's first step is eta = 0.08 in each coordinate (to 1e-5)",
                  lambda d: bool(np.all(np.abs(_first_step(d, MINE) - 0.08) < 1e-5))),
            Claim("gradient descent at the same eta still bounces between y = 1.2 and y = -1.2 over its last 50 steps",
                  lambda d: bool(np.all(np.abs(np.abs(d[0][-50:, 1]) - 1.2) < 1e-3))
                  and bool(np.all(np.diff(np.sign(d[0][-50:, 1])) != 0))),
            Claim("your optimizer gets within 0.2 of the minimum and stays there over the last 50 steps",
                  lambda d: max(distance(q, (0, 0)) for q in d[MINE][-50:]) < 0.2),
            Claim("it keeps hovering: still more than 0.01 from the minimum at the end",
                  lambda d: distance(d.end(MINE), (0, 0)) > 0.01),
            Claim("the lecture's RMSProp by name draws exactly the same points", lambda d: _same(d, MINE, 1)),
        ),
        facts=_rms_facts,
    ),
    Preset(
        "compose_adam", PAGE,
        ("Step 4 · m = EMA, σ = Adam's: this is Adam", "第 4 步 · m = EMA，σ = Adam 的：这就是 Adam"),
        ("\"Adam is RMSProp + momentum\": an averaged m over an averaged σ, both bias-corrected, is exactly torch's Adam.",
         "“Adam 就是 RMSProp + 动量”：平均后的 m 除以平均后的 σ，两者都做偏差修正，正是 torch 的 Adam。"),
        ("m is now an average of gradients (β1 = 0.9) and σ the root of an average of squared gradients (β2 = 0.999), "
         "both bias-corrected: the line above the plot says this is exactly PyTorch Adam, and your orange dots lie on the "
         "purple line of torch Adam. With the same η = 0.08, the lecture's RMSProp (blue, step 3) still hovers {rms} "
         "from the minimum at the end, while your Adam's averaged m settles to {adam}.",
         "现在 m 是梯度的平均（β1 = 0.9），σ 是梯度平方平均的平方根（β2 = 0.999），两者都做偏差修正：图上方的识别行"
         "说这正是 PyTorch Adam，你的橙色点线与紫色的 torch Adam 重合。同样 η = 0.08，课程的 RMSProp（蓝色，"
         "第 3 步）最后仍在离极小值 {rms} 处徘徊，而你的 Adam 因为 m 是平均值，最后停在离极小值 {adam} 处。"),
        {**_BOWL, "m": "ema", "beta1": "0.9", "m_bc": "true", "sigma": "adam", "beta2": "0.999", "s_bc": "true",
         "alpha": "0.9", "sched": "constant", "warmup": "0", "vs1": "rmsprop_lecture", "vs2": "momentum",
         "vs3": "adam"},
        claims=(
            Claim("your Adam ends within 0.001 of the minimum", lambda d: distance(d.end(MINE), (0, 0)) < 1e-3),
            Claim("the lecture's RMSProp at the same eta ends more than 0.01 from it",
                  lambda d: distance(d.end(0), (0, 0)) > 0.01),
            Claim("torch Adam by name draws exactly the same points", lambda d: _same(d, MINE, 2)),
        ),
        facts=_adam_facts,
    ),
    Preset(
        "compose_schedule", PAGE,
        ("Step 5 · + η_t: Adam with warm-up and cosine decay", "第 5 步 · 加上 η_t：Adam + warm-up + cosine 衰减"),
        ("The last part is the schedule: warm-up while σ collects data, cosine decay for a quiet end.",
         "最后一部分是调度：在 σ 收集数据时 warm-up，最后用 cosine 衰减安静收尾。"),
        ("Same Adam parts, now with η_t: a 60-step linear warm-up, then cosine decay to 0, under noisy gradients. "
         "The blue path is torch Adam at the constant η = 0.5: its largest step in the first 10 is {big}, "
         "yours only {small}, because η_t starts at 0 while σ collects gradients (the lecture's reason for warm-up). "
         "At the end your path is {ratio}× calmer: the decay lets it settle where the constant η keeps it jittering.",
         "Adam 的部分不变，现在加上 η_t：60 步线性 warm-up，再 cosine 衰减到 0，梯度带噪声。蓝色路径是 η = 0.5 "
         "恒定的 torch Adam：它前 10 步最大的一步是 {big}，你的只有 {small}，因为 η_t 从 0 开始，让 σ 先收集梯度"
         "（课程里 warm-up 的理由）。最后你的路径平稳了 {ratio} 倍：衰减让它停下来，而恒定的 η 让它一直抖动。"),
        {**_BOWL, "steps": "300", "lr": "0.5", "m": "ema", "beta1": "0.9", "m_bc": "true", "sigma": "adam",
         "beta2": "0.999", "s_bc": "true", "sched": "cosine", "warmup": "60", "vs1": "adam", "vs2": NONE, "vs3": NONE,
         "same_sched": "false", "noise": "5", "batch": "1", "seed": "0"},
        claims=(
            Claim("torch Adam at the constant eta makes a step of at least 0.5 in the first 10",
                  lambda d: largest_step(d[0], last=10) >= 0.5),
            Claim("with warm-up your first 10 steps stay under 0.2", lambda d: largest_step(d[MINE], last=10) < 0.2),
            Claim("your path jitters at least 10x less over the last 50 steps",
                  lambda d: _jitter(d[MINE]) * 10 < _jitter(d[0])),
            Claim("your path ends within 0.5 of the minimum", lambda d: distance(d.end(MINE), (0, 0)) < 0.5),
        ),
        facts=_schedule_facts,
    ),
]
