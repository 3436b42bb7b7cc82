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

from pages.lib.claims import Claim, distance
from pages.lib.controls import values_from_params
from pages.lib.preset_model import Preset

from . import model
from .controls import CONTROLS, NONE, PAGE, setup


# --- claims ------------------------------------------------------------------------------------
def _maps_of(d, params: Mapping[str, str]):
    """The maps a claim reads: the page's own (decoded from its figure) when ``d`` carries them,
    else the maps of ``params`` computed with the page's engine call."""
    maps = getattr(d, "maps", None)
    if maps:
        return maps
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
