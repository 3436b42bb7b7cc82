"""Presets of the basin-map page, its controls and the one mapping from controls to maps and races.

No Streamlit here (see :mod:`pages.lessons.momentum.presets` for the pattern): the page builds its
widgets from :data:`CONTROLS` and its maps and race from :func:`setup`; the tests run the same
:func:`setup` on each preset's link parameters.

Claims. A basin preset's text speaks about MAPS ("momentum sends more starts to the deep
minimum"), so most of its claims are predicates over the maps (:func:`map_claim`): their check
takes a :class:`.model.BasinDrawn` (the race paths AND the maps decoded from the figure the page
sent; ``tests/test_basins_page.py`` builds it). ``tests/test_preset_claims.py`` hands every claim a
plain :class:`pages.lib.claims.Drawn` (the race paths only): a map claim then computes the maps of
the preset's link (plus the claim's variant) itself, with the same engine call the page makes
(:func:`.model.compute_views`), so it is still checked on the real maps. Claims about the race
(:func:`race_claim`) read the drawn paths in legend order (the chosen optimizers, left to right).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import optim
import surfaces
from optim.request import CONSTANT, NoiseSpec, RunRequest
from pages.lib.claims import Claim, distance
from pages.lib.controls import Control, RunSpec, Setup, surface_title, values_from_params
from pages.lib.preset_model import Preset
from pages.lib.registry import LESSON_MAX_STEPS, PALETTE

PAGE = "basins"
MAX_STEPS = LESSON_MAX_STEPS
NONE = "none"
OPTIMIZERS = ("gd", "momentum", "nesterov", "rmsprop", "adam", "newton")
SLOTS = 3
MIN_GRID, MAX_GRID, DEFAULT_GRID = 50, 200, 200
MAX_SEEDS = 16
# The race's path colours: the palette's sky blue, vermillion and pink, which read on the surface's
# Viridis; the maps' points take the palette's other colours first (see .figures.outcome_colours).
RACE_COLOURS = (PALETTE[1], PALETTE[5], PALETTE[3])


def optimizer_title(opt_id: str) -> str:
    """English title (the Control's label: what schema-1 links wrote); the page shows
    :func:`.model.optimizer_name` in the page's language."""
    return "—" if opt_id == NONE else optim.SPECS[opt_id].title


CONTROLS: dict[str, Control] = {c.key: c for c in (
    Control("surface", "select", "two_dips", options=tuple(surfaces.CATALOG), label=surface_title),
    Control("o1", "select", "gd", options=OPTIMIZERS, label=optimizer_title),
    Control("lr1", "number", 0.05, 1e-5, 10.0),
    Control("o2", "select", "momentum", options=(NONE, *OPTIMIZERS), label=optimizer_title),
    Control("lr2", "number", 0.05, 1e-5, 10.0),
    Control("o3", "select", NONE, options=(NONE, *OPTIMIZERS), label=optimizer_title),
    Control("lr3", "number", 0.05, 1e-5, 10.0),
    Control("lam", "number", 0.9, 0.0, 0.999),
    Control("steps", "integer", 500, 10, MAX_STEPS),
    Control("n", "integer", DEFAULT_GRID, MIN_GRID, MAX_GRID),
    Control("noise", "number", 0.0, 0.0, 100.0),
    Control("k", "integer", 8, 1, MAX_SEEDS),
    Control("seed", "integer", 0, 0, 2**31 - 1),
    Control("x0", "optional", None, -1e3, 1e3),
    Control("y0", "optional", None, -1e3, 1e3),
)}

MOMENTUM_OPTIMIZERS = ("momentum", "nesterov")  # take the page's lambda


def hyper_of(opt_id: str, lr: float, lam: float) -> tuple:
    """The optimizer's hyperparameters as the page sets them (the rest: the engine's defaults)."""
    if opt_id in MOMENTUM_OPTIMIZERS:
        return (("lr", float(lr)), ("momentum", float(lam)))
    return (("lr", float(lr)),)


@dataclass(frozen=True)
class MapRequest:
    """One basin map: the hashable key of its cache and everything :func:`optim.basins.basin_maps`
    needs. ``match_tol``: an end within this fraction of the window's diagonal of a critical point
    ends there (wider with noise: a noisy run hovers around its minimum, it never stops on it)."""

    surface_id: str
    window: tuple
    opt_id: str
    hyper: tuple
    steps: int
    n: int
    noise: NoiseSpec
    seeds: int
    seed: int
    match_tol: float

    @property
    def levels(self) -> tuple[int, ...]:
        """Coarse to fine: each level halves the next (so the engine runs every start once)."""
        out = [self.n]
        while out[0] % 2 == 0 and out[0] // 2 >= 25 and len(out) < 3:
            out.insert(0, out[0] // 2)
        return tuple(out)

    def optimizer(self):
        return optim.make(self.opt_id, **dict(self.hyper))


MATCH_TOL_NOISY = 0.05  # with noise: within 5% of the window's diagonal (see MapRequest)


@dataclass(frozen=True)
class BasinSetup:
    """What the page shows for its control values: one map per chosen optimizer (left to right),
    and the race of the same optimizers from the start (``race``: a :class:`Setup`, the runs layer
    of the playground)."""

    maps: tuple[MapRequest, ...]
    race: Setup

    @property
    def surface_id(self) -> str:
        return self.race.surface_id

    def requests(self) -> list[RunRequest]:
        return [self.race.request(r) for r in self.race.runs]


def setup(values: Mapping[str, Any]) -> BasinSetup:
    """The maps and the race of the basin page for these control values. Every map has the same
    grid over the surface's window; with noise (scale > 0) each cell is run K times."""
    surface_id = values["surface"]
    surface = surfaces.CATALOG[surface_id]
    window = tuple(float(v) for v in surface.window)
    sx, sy = surface.starts[0]
    start = (float(sx if values["x0"] is None else values["x0"]), float(sy if values["y0"] is None else values["y0"]))
    steps, n, lam = int(values["steps"]), int(values["n"]), float(values["lam"])
    noise = NoiseSpec(float(values["noise"]), 1)
    noisy = noise.scale > 0
    seeds = int(values["k"]) if noisy else 1
    seed = int(values["seed"])
    maps, runs = [], []
    for i in range(SLOTS):
        opt_id = values[f"o{i + 1}"]
        if opt_id == NONE:
            continue
        hyper = hyper_of(opt_id, values[f"lr{i + 1}"], lam)
        maps.append(MapRequest(surface_id, window, opt_id, hyper, steps, n, noise, seeds, seed,
                               MATCH_TOL_NOISY if noisy else optim.basins.MATCH_TOL))
        runs.append(RunSpec(f"o{i + 1}", opt_id, hyper, CONSTANT, RACE_COLOURS[i]))
    return BasinSetup(tuple(maps), Setup(surface_id, start, steps, tuple(runs), noise, seed))


# --- claims ------------------------------------------------------------------------------------
def _maps_of(d, params: Mapping[str, str]):
    """The maps a claim reads: the page's own (decoded from its figure) when ``d`` carries them,
    else the maps of ``params`` computed with the page's engine call."""
    maps = getattr(d, "maps", None)
    if maps:
        return maps
    from . import model  # the engine runs only when a claim needs it

    return model.compute_views(setup(values_from_params(CONTROLS, params)))


def map_claim(says: str, params: Mapping[str, str], check: Callable, variant: Mapping[str, str] | None = None) -> Claim:
    """A claim over the maps (in the page's order): ``check(maps) -> bool``."""
    variant = dict(variant or {})
    return Claim(says, lambda d: bool(check(_maps_of(d, {**params, **variant}))), variant)


def race_claim(says: str, check: Callable) -> Claim:
    """A claim over the race's drawn paths (legend order)."""
    return Claim(says, check)


def _share(m, xy, tol: float = 0.02) -> float:
    """Share of the map's cells whose most likely end is the critical point at ``xy``."""
    return m.share_at(xy, tol)


_DEEP, _SHALLOW = (-1.505, 0.0), (1.301, 0.0)  # the two_dips surface's minima (left deep, right shallow)
_MAX = (-0.271, -0.923)  # Himmelblau's maximum
_HIMMELBLAU_MINIMA = ((3.0, 2.0), (-2.805, 3.131), (-3.779, -3.283), (3.584, -1.848))

_MOMENTUM = {"surface": "two_dips", "o1": "gd", "lr1": "0.05", "o2": "momentum", "lr2": "0.05", "o3": NONE,
             "lam": "0.9", "steps": "500", "n": "200", "noise": "0", "x0": "2.2", "y0": "0.8"}
_NEWTON = {"surface": "himmelblau", "o1": "gd", "lr1": "0.01", "o2": "newton", "lr2": "1", "o3": NONE,
           "steps": "300", "n": "200", "noise": "0", "x0": "0", "y0": "0"}
_NOISE = {"surface": "two_dips", "o1": "gd", "lr1": "0.05", "o2": NONE, "o3": NONE, "steps": "150", "n": "100",
          "noise": "0.5", "k": "8", "seed": "0", "x0": "0.3", "y0": "0.5"}


def _carried(a, b, src, dst) -> float:
    """Of the cells map ``a`` sends to ``src``, the share map ``b`` sends to ``dst``."""
    return b.carried_from(a, src, dst)


PRESETS = [
    Preset(
        "basins_momentum_two_dips", PAGE,
        ("Basins: momentum rolls into the deep dip", "吸引域：momentum 滚进更深的坑"),
        ("Every start on a 200 × 200 grid, coloured by the minimum it ends in: momentum's deep-dip basin is bigger.",
         "200 × 200 个起点，每个按它最终落入的极小值上色：momentum 的深坑吸引域更大。"),
        ("Compare the two maps: the left (deep) minimum's colour covers more of momentum's map than of gradient "
         "descent's, because momentum rolls over the ridge from starts where gradient descent stops in the shallow "
         "dip. The race below starts at (2.2, 0.8): drag a box on a map to race from another start.",
         "比较两张图：左边（更深的）极小值的颜色在 momentum 的图里占的面积比 gradient descent 的大，"
         "因为在 gradient descent 停在浅坑的那些起点上，momentum 会冲过山脊。下方的赛跑从 (2.2, 0.8) 出发："
         "在图上拖一个方框，就从别的起点赛跑。"),
        _MOMENTUM,
        claims=(
            map_claim("momentum sends at least 5 points more of the starts to the deep minimum than GD", _MOMENTUM,
                      lambda m: _share(m[1], _DEEP) > _share(m[0], _DEEP) + 0.05),
            map_claim("of the starts GD leaves in the shallow dip, momentum carries at least 15% to the deep one",
                      _MOMENTUM, lambda m: _carried(m[0], m[1], _SHALLOW, _DEEP) >= 0.15),
            map_claim("on both maps every start ends in one of the two minima (no divergence, all settled)",
                      _MOMENTUM, lambda m: all(abs(_share(v, _DEEP) + _share(v, _SHALLOW) - 1) < 1e-9 for v in m)),
            race_claim("from (2.2, 0.8) GD ends in the shallow dip and momentum in the deep one",
                       lambda d: distance(d.end(0), _SHALLOW) < 0.01 and distance(d.end(1), _DEEP) < 0.01),
        ),
    ),
    Preset(
        "basins_newton_himmelblau", PAGE,
        ("Basins: Newton is attracted to saddles", "吸引域：牛顿法被鞍点吸引"),
        ("Gradient descent ends in one of Himmelblau's four minima from every start; Newton's method often stops at "
         "a saddle or the maximum.",
         "从每个起点出发，gradient descent 都落入 Himmelblau 的四个极小值之一；牛顿法却常常停在鞍点或极大值。"),
        ("Watch the saddle (×) and maximum (▲) colours: they are absent from gradient descent's map but cover large "
         "areas of Newton's. Newton jumps to where the local quadratic model has zero gradient, whatever its kind. "
         "The race from (0, 0): gradient descent walks down to a minimum, Newton climbs to the maximum.",
         "看鞍点（×）和极大值（▲）的颜色：它们在 gradient descent 的图里完全没有，在牛顿法的图里却占了大片区域。"
         "牛顿法跳向局部二次模型 gradient 为零的地方，不管那里是哪一种 critical point。"
         "从 (0, 0) 出发的赛跑：gradient descent 走下坡到极小值，牛顿法却爬上了极大值。"),
        _NEWTON,
        claims=(
            map_claim("GD ends at a saddle or the maximum from under 1% of the starts", _NEWTON,
                      lambda m: m[0].share_of_kinds(("saddle", "maximum")) < 0.01),
            map_claim("GD reaches each of the four minima from at least 15% of the starts", _NEWTON,
                      lambda m: all(_share(m[0], xy) >= 0.15 for xy in _HIMMELBLAU_MINIMA)),
            map_claim("Newton ends at a saddle from at least 30% of the starts, at the maximum from at least 5%",
                      _NEWTON, lambda m: m[1].share_of_kinds(("saddle",)) >= 0.30 and _share(m[1], _MAX) >= 0.05),
            race_claim("from (0, 0) GD ends at the minimum (3, 2) and Newton at the maximum",
                       lambda d: distance(d.end(0), (3, 2)) < 0.01 and distance(d.end(1), _MAX) < 0.01),
        ),
    ),
    Preset(
        "basins_noise_two_dips", PAGE,
        ("Basins: noise blurs the borders", "吸引域：噪声让边界变模糊"),
        ("Each start run 8 times with gradient noise: far from the border the basin is certain, near it a coin toss.",
         "每个起点在 gradient 噪声下跑 8 次：远离边界时结果确定，靠近边界时像掷硬币。"),
        ("Watch the border between the two colours: with noise it turns pale, because starts near the ridge end in "
         "either dip depending on the noise. Paler means less certain (colour intensity = the probability of the "
         "most likely basin over the 8 seeds). Set the noise to 0 and the border is sharp again.",
         "看两种颜色之间的边界：有噪声时它变淡了，因为山脊附近的起点会随噪声落进任意一个坑。"
         "颜色越淡越不确定（颜色深浅 = 8 个随机种子中最常见结果的概率）。把噪声设为 0，边界又变得清晰。"),
        _NOISE,
        claims=(
            map_claim("with noise at least 1% of the cells are uncertain (most likely basin in under 90% of seeds)",
                      _NOISE, lambda m: m[0].uncertain_share() >= 0.01),
            map_claim("the uncertain cells lie along the border: at least 80% within 2 cells of it", _NOISE,
                      lambda m: m[0].uncertain_near_border() >= 0.8),
            map_claim("without noise no cell is uncertain", _NOISE, lambda m: m[0].uncertain_share() == 0,
                      variant={"noise": "0"}),
            map_claim("with noise the deep minimum still takes 49% to 59% of the starts (54% without noise)", _NOISE,
                      lambda m: 0.49 <= _share(m[0], _DEEP) <= 0.59),
        ),
    ),
]
