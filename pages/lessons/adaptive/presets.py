"""Presets of the adaptive-learning-rate page, and the ONE mapping from link parameters to runs.

:func:`scene` turns link parameters (strings, as in a URL or ``Preset.params``) into a
:class:`Scene` with the same defaults as the page's widgets; :func:`simulate_scene` runs it with
``optim.simulate`` (no Streamlit). The page builds its scene from its widgets with
:func:`scene_from_values` (the function :func:`scene` ends in), so a test that runs a preset's
scene measures exactly what the page shows.

"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

import optim
import surfaces
from optim.request import CONSTANT, RunRequest, ScheduleSpec
from pages.lib.claims import Claim, distance, fmt, largest_gap, largest_step, sideways_jumps
from pages.lib.controls import Control, surface_title
from pages.lib.preset_model import Preset
from pages.lib.registry import PALETTE, demo_default

PAGE = "adaptive"
MAX_SLOTS = 5
SURFACES = ("tilted_valley", "elongated_bowl")
DEFAULT_SURFACE = "tilted_valley"
DEFAULT_STEPS = 1500
DEFAULT_RACE = ("adagrad_lecture", "adagrad", "rmsprop_lecture", "adam", "gd")
DECAY_KEY = "o{i}_decay"  # per-slot toggle: multiply the lr by 1/sqrt(t+1)

LECTURE_ADAGRAD = "adagrad_lecture"
TORCH_ADAGRAD = "adagrad"
LECTURE_RMSPROP = "rmsprop_lecture"
TORCH_ADAM = "adam"
GD = "gd"
TILTED = "tilted_valley"
BOWL = "elongated_bowl"


@dataclass(frozen=True)
class SlotSpec:
    opt_id: str
    hyper: tuple  # sorted (name, value) pairs
    decay: bool  # lr_t = lr / sqrt(t + 1)
    color: str


@dataclass(frozen=True)
class Scene:
    surface_id: str
    start: tuple[float, float]
    steps: int
    slots: tuple[SlotSpec, ...]

    def request(self, slot: SlotSpec) -> RunRequest:
        """The :class:`optim.request.RunRequest` of one slot (decay: lr_t = lr / sqrt(t + 1))."""
        schedule = ScheduleSpec("inverse_sqrt") if slot.decay else CONSTANT
        return RunRequest(slot.opt_id, slot.hyper, self.start, self.steps, schedule)


def scene_from_values(surface_id: str, x0, y0, steps: int, slots) -> Scene:
    """From widget values (``None`` start = the surface's suggested start)."""
    sx, sy = surfaces.CATALOG[surface_id].starts[0]
    start = (float(sx if x0 is None else x0), float(sy if y0 is None else y0))
    return Scene(surface_id, start, int(steps), tuple(slots))


def scene(params: Mapping[str, str]) -> Scene:
    """The scene a link shows (unknown or invalid values fall back to the page's defaults)."""
    def num(key, default, cast=float):
        try:
            return cast(float(params[key])) if key in params and params[key] != "" else default
        except ValueError:
            return default

    surface_id = Control("surface", "select", DEFAULT_SURFACE, options=tuple(SURFACES),
                         label=surface_title).parse(params.get("surface"))
    n = int(num("n", 4, int))
    opt_control = Control("o", "select", None, options=tuple(optim.SPECS), label=lambda k: optim.SPECS[k].title)
    slots = []
    for i in range(1, n + 1):
        opt_id = opt_control.parse(params.get(f"o{i}")) or DEFAULT_RACE[i - 1]
        hyper = {}
        for p in optim.SPECS[opt_id].params:
            if p.kind not in ("float", "int", "bool", "choice"):
                continue
            default = demo_default(opt_id, p)
            raw = params.get(f"o{i}_{opt_id}_{p.name}")
            if raw is None:
                hyper[p.name] = default
            elif p.kind == "bool":
                hyper[p.name] = raw.lower() == "true"
            elif p.kind == "choice":
                hyper[p.name] = raw
            else:
                hyper[p.name] = int(float(raw)) if p.kind == "int" else float(raw)
        decay = params.get(DECAY_KEY.format(i=i), "false").lower() == "true"
        color = params.get(f"o{i}c", PALETTE[(i - 1) % len(PALETTE)])
        slots.append(SlotSpec(opt_id, tuple(sorted(hyper.items())), decay, color))
    x0 = num("x0", None)
    y0 = num("y0", None)
    return scene_from_values(surface_id, x0, y0, int(num("steps", DEFAULT_STEPS, int)), slots)


def simulate_scene(sc: Scene) -> list:
    """Every slot's ``optim.Trajectory``: the page's requests, run without its cache."""
    surface = surfaces.CATALOG[sc.surface_id]
    return [sc.request(slot).run(surface) for slot in sc.slots]


# Claims (tests/test_preset_claims.py) read the drawn paths in legend order (slot 1 first).
_VALLEY_MIN = (-22.0, -1.1)  # the tilted valley's minimum


def _y_flips(points, first: int = 0, last: int | None = None) -> int:
    """How often the y-step changes sign: the zig-zag across the narrow direction."""
    dy = np.diff(np.asarray(points, float)[first:last, 1])
    dy = dy[np.isfinite(dy) & (dy != 0)]
    return int(np.count_nonzero(np.sign(dy[1:]) != np.sign(dy[:-1])))


def _share_left(d, i: int) -> float:
    """Distance still to go to the bowl's minimum (0, 0), as a share of the start's."""
    return distance(d.end(i), (0, 0)) / distance(d[i][0], (0, 0))


def _burst_facts(d):
    return {"jump": fmt(largest_step(d[0], axis=1, first=100))}


def _one_lr_facts(d):
    return {"share": f"{_share_left(d, 2):.0%}"}


PRESETS = [
    Preset(
        "adaptive_one_lr", PAGE,
        ("No single learning rate fits the elongated bowl", "一个学习率无法同时适合两个方向"),
        ("Gradient descent on curvatures 1 and 25: too large bounces or diverges, too small crawls.",
         "曲率 1 和 25 的碗上的梯度下降：学习率太大就来回弹跳甚至发散，太小就走不动。"),
        ("Watch the three gradient-descent paths: η = 0.09 (> 2/25) bounces across the narrow y-direction with "
         "growing swings and leaves, η = 0.075 zig-zags across it for dozens of steps, and η = 0.01 is smooth in y "
         "but after 100 steps still has {share} of the way to the minimum to go.",
         "看三条梯度下降路径：η = 0.09（大于 2/25）在窄的 y 方向上来回弹跳、越弹越大，最后飞出去；"
         "η = 0.075 在 y 方向上来回折返几十步；η = 0.01 在 y 方向很平稳，但 100 步后仍剩 {share} 的路程没有走完。"),
        {"surface": BOWL, "steps": "100", "n": "3",
         "o1": GD, "o1_gd_lr": "0.09", "o2": GD, "o2_gd_lr": "0.075", "o3": GD, "o3_gd_lr": "0.01"},
        claims=(
            Claim("eta = 0.09 bounces with growing swings and leaves (|y| beyond 100)",
                  lambda d: _y_flips(d[0]) >= 10 and abs(d.end(0)[1]) > 100),
            Claim("eta = 0.075 zig-zags across y for dozens of steps (>= 24 sign changes)",
                  lambda d: _y_flips(d[1]) >= 24),
            Claim("eta = 0.01 is smooth in y (no sign change) and still has between 20% and 50% to go",
                  lambda d: _y_flips(d[2]) == 0 and 0.2 < _share_left(d, 2) < 0.5),
        ),
        facts=_one_lr_facts,
    ),
    Preset(
        "adaptive_adagrad_burst", PAGE,
        ("AdaGrad (lecture form) bursts sideways", "AdaGrad（课程形式）在山谷中横向爆走"),
        ("The root-MEAN-square σ shrinks in the valley, η/σ_y grows, the path jumps sideways; torch's sum form "
         "never does but slows down.",
         "均方根 σ 在谷底变小，η/σ_y 变大，路径横向跳出；torch 的求和形式不会爆走，但越走越慢。"),
        ("Watch the orange lecture AdaGrad: once in the valley floor its σ_y keeps shrinking, so η/σ_y (right, "
         "effective step, dotted) climbs until the path jumps across the valley, then the big gradients raise σ_y "
         "and it settles again, several times. The blue torch Adagrad (same η) never jumps but almost stops.",
         "看橙色的课程版 AdaGrad：进入谷底后 σ_y 不断变小，η/σ_y（右侧有效步长，虚线）不断上升，直到路径横向"
         "跳出山谷；大梯度又把 σ_y 推高，路径重新回到谷底，如此反复几次。蓝色的 torch Adagrad（同样的 η）从不"
         "跳出，但几乎停下来了。"),
        {"surface": TILTED, "steps": "1500", "n": "2",
         "o1": LECTURE_ADAGRAD, "o1_adagrad_lecture_lr": "0.06", "o2": TORCH_ADAGRAD, "o2_adagrad_lr": "0.06"},
        claims=(
            Claim("the lecture AdaGrad jumps sideways (>= 0.1 in y) several times after settling",
                  lambda d: sideways_jumps(d[0], min_size=0.1, after=100) >= 2),
            Claim("torch Adagrad never jumps", lambda d: sideways_jumps(d[1], min_size=0.1, after=100) == 0),
            Claim("torch Adagrad almost stops: its last 500 steps move less than 1 in total",
                  lambda d: distance(d[1][-501], d.end(1)) < 1 and distance(d.end(1), _VALLEY_MIN) > 10),
        ),
    ),
    Preset(
        "adaptive_rmsprop_adam", PAGE,
        ("RMSProp reacts faster; Adam = RMSProp + momentum", "RMSProp 反应更快；Adam = RMSProp + Momentum"),
        ("α sets RMSProp's memory: α = 0.9 forgets fast and soon only jitters, α = 0.99 still bursts; Adam adds momentum.",
         "α 决定 RMSProp 的记忆长短：α = 0.9 忘得快，很快只剩小幅抖动；α = 0.99 仍会爆走；Adam 再加上 momentum。"),
        ("Watch the sideways jumps: the orange lecture AdaGrad jumps about {jump} again and again; green RMSProp with "
         "α = 0.9 forgets fast (its σ follows the recent gradients), so after two small early jumps it only jitters; pink RMSProp with α = 0.99 remembers longer and bursts, "
         "and dark-blue Adam (RMSProp + momentum) glides to the minimum.",
         "看横向跳动的大小：橙色的课程版 AdaGrad 跳出约 {jump}；绿色 α = 0.9 的 RMSProp 只有小幅抖动（σ 跟随最近的"
         "梯度）；粉色 α = 0.99 的 RMSProp 记忆更长，仍会爆走；深蓝色的 Adam（RMSProp + momentum）平稳滑到极小值。"),
        {"surface": TILTED, "steps": "1500", "n": "4",
         "o1": LECTURE_ADAGRAD, "o1_adagrad_lecture_lr": "0.06",
         "o2": LECTURE_RMSPROP, "o2_rmsprop_lecture_lr": "0.06", "o2_rmsprop_lecture_alpha": "0.9", "o2c": "#009E73",
         "o3": LECTURE_RMSPROP, "o3_rmsprop_lecture_lr": "0.06", "o3_rmsprop_lecture_alpha": "0.99", "o3c": "#CC79A7",
         "o4": TORCH_ADAM, "o4_adam_lr": "0.06", "o4c": "#0072B2"},
        claims=(
            Claim("the lecture AdaGrad jumps again and again (>= 3 jumps of >= 0.1)",
                  lambda d: sideways_jumps(d[0], min_size=0.1, after=100) >= 3),
            Claim("RMSProp alpha = 0.9 only jitters after step 100 (no step of 0.1 in y)",
                  lambda d: largest_step(d[1], axis=1, first=100) < 0.1),
            Claim("RMSProp alpha = 0.99 bursts (>= 2 jumps of >= 0.1)",
                  lambda d: sideways_jumps(d[2], min_size=0.1, after=100) >= 2),
            Claim("Adam glides to the minimum (within 0.01, no jump)",
                  lambda d: distance(d.end(3), _VALLEY_MIN) < 0.01 and sideways_jumps(d[3], min_size=0.1, after=100) == 0),
        ),
        facts=_burst_facts,
    ),
    Preset(
        "adaptive_decay_equals_torch", PAGE,
        ("Learning-rate decay removes the bursts (= torch Adagrad)", "学习率衰减消除爆走（= torch Adagrad）"),
        ("With η_t = η/√(t+1) the lecture's AdaGrad no longer bursts, and its path IS torch's Adagrad.",
         "加上 η_t = η/√(t+1) 后，课程版 AdaGrad 不再爆走，而且它的路径就是 torch 的 Adagrad。"),
        ("Watch the blue lecture AdaGrad with η/√(t+1) and the green torch Adagrad: they lie on top of "
         "each other all the way to the minimum, without a single sideways jump, while the orange undecayed form "
         "bursts. The readout gives their largest difference.",
         "看蓝色（课程版 AdaGrad + η/√(t+1)）和绿色（torch Adagrad）：两条路径一路重合到极小值，没有一次横向跳出；"
         "而没有衰减的橙色路径仍在爆走。下方结果给出两者的最大差异。"),
        {"surface": TILTED, "steps": "1500", "n": "3",
         "o1": LECTURE_ADAGRAD, "o1_adagrad_lecture_lr": "0.06",
         "o2": LECTURE_ADAGRAD, "o2_adagrad_lecture_lr": "0.6", "o2_adagrad_lecture_eps": "1e-12", "o2_decay": "true",
         "o3": TORCH_ADAGRAD, "o3_adagrad_lr": "0.6", "o3_adagrad_eps": "1e-12"},
        claims=(
            Claim("the decayed lecture AdaGrad and torch Adagrad lie on top of each other (gap < 1e-6)",
                  lambda d: largest_gap(d[1], d[2]) < 1e-6),
            Claim("neither makes a sideways jump", lambda d: all(sideways_jumps(d[i], min_size=0.1, after=100) == 0
                                                                   for i in (1, 2))),
            Claim("the undecayed form bursts", lambda d: sideways_jumps(d[0], min_size=0.1, after=100) >= 2),
            Claim("they reach the minimum (within 0.05)", lambda d: distance(d.end(2), _VALLEY_MIN) < 0.05),
        ),
    ),
]
