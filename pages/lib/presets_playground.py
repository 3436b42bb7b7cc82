"""Presets of the playground page (see presets.py). Params are link parameters; claims are
checked against the drawn paths by tests/test_preset_claims.py (see claims.py)."""

import numpy as np

import surfaces
from surfaces import generated

from .claims import Claim, distance, fmt, visited_cells
from .preset_model import Preset

_HIMMELBLAU_MINIMA = ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126))


def _minimum_index(point, tol=0.01):
    """Which Himmelblau minimum ``point`` is at (None: none within ``tol``)."""
    d = [distance(point, m) for m in _HIMMELBLAU_MINIMA]
    return int(np.argmin(d)) if min(d) <= tol else None


def _himmelblau_kind_at(point, tol=1e-3):
    atlas = surfaces.critical_points(surfaces.CATALOG["himmelblau"])
    near = [p for p in atlas.points if distance(point, (p.x, p.y)) <= tol]
    return near[0].kind if near else None


def _slice_point(point, kind=None, tol=0.01):
    """The atlas point of the network slice within ``tol`` of ``point`` (of ``kind`` if given)."""
    atlas = surfaces.critical_points(surfaces.get("network_slice"))
    near = [p for p in atlas.points if distance(point, (p.x, p.y)) <= tol and kind in (None, p.kind)]
    return near[0] if near else None


def _trained_dip(point):
    """At the slice's minimum at the trained point theta* (alpha = beta = 0)."""
    p = _slice_point(point, "minimum")
    return p is not None and distance((p.x, p.y), (0, 0)) < 0.01


def _other_dip(point):
    p = _slice_point(point, "minimum")
    return p is not None and distance((p.x, p.y), (0, 0)) > 0.5


def _full_grad_norm(point) -> float:
    """||grad L|| of the network in all its parameters at the slice's point (alpha, beta)."""
    entry = generated.network_slice_entry()
    return float(np.linalg.norm(entry.model.grad(entry.params(*point), entry.x, entry.y)))


def _slice_facts(d):
    s = surfaces.get("network_slice")
    return {"far_loss": fmt(float(s.f(*d.end(0))), 3), "near_loss": fmt(float(s.f(*d.end(1))), 4),
            "sx": fmt(d.end(3)[0], 2), "sy": fmt(d.end(3)[1], 2), "g_full": fmt(_full_grad_norm(d.end(0)), 2)}


def _race_facts(d):
    newton = d.end(5)
    return {"nx": fmt(newton[0]), "ny": fmt(newton[1])}

PRESETS = [
    Preset(
        "race_himmelblau", "playground",
        ("Six optimizers on Himmelblau", "六个优化器在 Himmelblau 上赛跑"),
        ("Same start, six rules: three different minima, and Newton stops on a saddle.",
         "同一起点，六种规则：三个不同的极小值，而牛顿法停在鞍点上。"),
        ("Watch where each colour ends: from the same start (0.5, 4), gradient descent rolls to (3, 2), momentum "
         "overshoots into the minimum at (3.58, −1.85), AdaGrad, RMSProp and Adam take the minimum at (−2.81, 3.13), "
         "and Newton's method stops on the saddle at ({nx}, {ny}): it goes to any critical point, not only minima.",
         "看每种颜色停在哪里：从同一起点 (0.5, 4) 出发，梯度下降滚到 (3, 2)，动量法冲过头落入 (3.58, −1.85) 的极小值，"
         "AdaGrad、RMSProp 和 Adam 落入 (−2.81, 3.13) 的极小值，而牛顿法停在 ({nx}, {ny}) 的鞍点上：它会走向任何"
         "临界点，不只是极小值。"),
        {"x0": "0.5", "y0": "4"},
        claims=(
            Claim("gradient descent ends at the minimum (3, 2)", lambda d: _minimum_index(d.end(0)) == 0),
            Claim("momentum ends at the minimum (3.58, -1.85)", lambda d: _minimum_index(d.end(1)) == 3),
            Claim("AdaGrad, RMSProp and Adam end at the minimum (-2.81, 3.13)",
                  lambda d: all(_minimum_index(d.end(i)) == 1 for i in (2, 3, 4))),
            Claim("the first-order paths end in three different minima",
                  lambda d: len({_minimum_index(d.end(i)) for i in range(5)} - {None}) == 3),
            Claim("Newton ends on a saddle", lambda d: _himmelblau_kind_at(d.end(5)) == "saddle"),
        ),
        facts=_race_facts,
    ),
    Preset(
        "saddle_newton", "playground",
        ("Newton is attracted to saddles", "牛顿法会被鞍点吸引"),
        ("Gradient descent slides off the saddle; Newton's method walks into it.",
         "梯度下降从鞍点滑走；牛顿法却走进鞍点。"),
        ("Watch the blue Newton path stop exactly at the saddle (0, 0) while gradient descent "
         "escapes along y once the tiny offset has grown.",
         "看蓝色的牛顿路径正好停在鞍点 (0, 0)，而梯度下降在微小偏移放大后沿 y 方向逃离。"),
        {"surface": "saddle", "x0": "1.8", "y0": "0.001", "steps": "200", "n": "2",
         "o1": "gd", "o1_gd_lr": "0.05", "o2": "newton"},
        claims=(
            Claim("Newton ends exactly at the saddle (0, 0)", lambda d: distance(d.end(1), (0, 0)) < 1e-9),
            Claim("gradient descent escapes along y (|y| grows past 10)", lambda d: abs(d.end(0)[1]) > 10),
            Claim("gradient descent first slides towards the saddle (x shrinks below 0.01)",
                  lambda d: np.nanmin(np.abs(d[0][:, 0])) < 0.01),
        ),
    ),
    Preset(
        "rosenbrock_valley", "playground",
        ("Rosenbrock's banana valley", "Rosenbrock 香蕉形山谷"),
        ("Finding the valley is easy, following it is slow.", "找到山谷容易，沿山谷前进很慢。"),
        ("Watch gradient descent zig-zag down the steep walls and then crawl along the flat floor, "
         "while Adam and momentum keep moving towards (1, 1).",
         "看梯度下降在陡峭谷壁间来回折返、在平坦谷底缓慢爬行，而 Adam 和动量法持续向 (1, 1) 前进。"),
        {"surface": "rosenbrock", "x0": "-1.5", "y0": "2.5", "steps": "1000", "n": "4",
         "o1": "gd", "o1_gd_lr": "0.001", "o2": "momentum", "o2_momentum_lr": "0.0005",
         "o3": "adam", "o3_adam_lr": "0.05", "o4": "rmsprop", "o4_rmsprop_lr": "0.01"},
        claims=(
            Claim("Adam and momentum end nearer (1, 1) than gradient descent",
                  lambda d: max(distance(d.end(1), (1, 1)), distance(d.end(2), (1, 1))) < distance(d.end(0), (1, 1))),
            Claim("gradient descent zig-zags (its y-step changes sign at least 5 times in the first 100 steps)",
                  lambda d: np.count_nonzero(np.diff(np.sign(np.diff(d[0][:101, 1]))) != 0) >= 5),
            Claim("gradient descent is still far from (1, 1) after all its steps (more than 1 away)",
                  lambda d: distance(d.end(0), (1, 1)) > 1),
        ),
    ),
    Preset(
        "noisy_rastrigin", "playground",
        ("Noise on a bumpy bowl", "崎岖碗面上的噪声"),
        ("Gradient noise kicks gradient descent from dip to dip on Rastrigin; without noise it stays in one.",
         "梯度噪声把梯度下降从一个小坑踢到另一个小坑；没有噪声时它停在一个坑里。"),
        ("Watch the gradient-descent path with gradient noise s = 30, B = 1: it jitters and hops between the small "
         "dips ({gd_dips} of them in 400 steps). Adam, with the same noise, stays in its first dip: its steps are at "
         "most about η long. Set the noise to 0 and gradient descent freezes in the first dip.",
         "看有梯度噪声（s = 30、B = 1）的梯度下降路径：它抖动着在小坑之间跳跃（400 步内到过 {gd_dips} 个）。"
         "同样噪声下的 Adam 一直待在第一个坑里：它每步最多约 η 长。把噪声设为 0，梯度下降就冻结在第一个坑里。"),
        {"surface": "rastrigin", "steps": "400", "n": "2", "o1": "gd", "o1_gd_lr": "0.005",
         "o2": "adam", "o2_adam_lr": "0.05", "noise": "30", "batch": "1", "seed": "7"},
        claims=(
            Claim("the noisy gradient-descent path visits at least 3 dips and stays in the window",
                  lambda d: visited_cells(d[0]) >= 3 and np.abs(d[0]).max() < 5.12),
            Claim("the noisy Adam path stays in one dip", lambda d: visited_cells(d[1]) == 1),
            Claim("without noise, gradient descent stays in one dip", lambda d: visited_cells(d[0]) == 1,
                  variant={"noise": "0"}),
        ),
        facts=lambda d: {"gd_dips": str(visited_cells(d[0]))},
    ),
    Preset(
        "network_slice_race", "playground",
        ("A real network's loss, sliced", "真实网络的损失切面"),
        ("The loss of a trained 129-parameter network along a plane: a second dip, a saddle, and who ends where.",
         "一个训练好的 129 参数网络沿一个平面的损失：第二个坑、一个鞍点，以及谁停在哪里。"),
        ("This surface is a real network's training loss L(θ* + α d1 + β d2) (2-32-1 tanh, trained point θ* at the "
         "centre). From (0.9, 0.9) gradient descent and Adam settle in the plane's second dip (loss {far_loss}, the "
         "trained point's dip has {near_loss}); momentum rolls past it into the trained point's dip; Newton stops on "
         "the saddle at ({sx}, {sy}). The second dip is a minimum of this plane only: there the network's gradient in "
         "all 129 directions has norm {g_full}, not 0.",
         "这个曲面是真实网络的训练损失 L(θ* + α d1 + β d2)（2-32-1 tanh，中心是训练得到的 θ*）。从 (0.9, 0.9) 出发，"
         "梯度下降和 Adam 停在这个平面的第二个坑里（损失 {far_loss}，θ* 所在的坑是 {near_loss}）；动量法冲过它进入 θ* "
         "所在的坑；牛顿法停在 ({sx}, {sy}) 的鞍点上。第二个坑只是这个平面上的极小值：在那里网络在全部 129 个方向上的"
         "梯度范数是 {g_full}，不是 0。"),
        {"surface": "network_slice", "x0": "0.9", "y0": "0.9", "steps": "300", "n": "4",
         "o1": "gd", "o1_gd_lr": "0.2", "o2": "momentum", "o2_momentum_lr": "0.1", "o3": "adam", "o3_adam_lr": "0.05",
         "o4": "newton", "o4_newton_lr": "1"},
        claims=(
            Claim("gradient descent and Adam end in the plane's second dip", lambda d: _other_dip(d.end(0)) and _other_dip(d.end(2))),
            Claim("momentum ends in the trained point's dip", lambda d: _trained_dip(d.end(1))),
            Claim("Newton ends on the saddle", lambda d: _slice_point(d.end(3), "saddle") is not None),
            Claim("the second dip's loss is more than 10 times the trained point's",
                  lambda d: float(surfaces.get("network_slice").f(*d.end(0))) > 10 * float(surfaces.get("network_slice").f(*d.end(1)))),
            Claim("at the second dip the slice's gradient is ~0 but the network's full gradient is not (> 0.1)",
                  lambda d: np.linalg.norm(surfaces.get("network_slice").grad(*d.end(0))) < 1e-6 and _full_grad_norm(d.end(0)) > 0.1),
        ),
        facts=_slice_facts,
    ),
]
