"""Presets of the critical-points page (see pages/lib/presets.py). Params are link parameters (strings).
Claims (tests/test_preset_claims.py) read the atlas and the escape lab's drawn paths, in the lab's
order (a) .. (f)."""

import numpy as np

import surfaces
from pages.lib.claims import Claim, distance, fmt
from pages.lib.preset_model import Preset
from surfaces import generated


def _atlas(surface_id):
    return surfaces.critical_points(surfaces.get(surface_id))


def _kinds(surface_id):
    kinds = [p.kind for p in _atlas(surface_id).points]
    return {k: kinds.count(k) for k in set(kinds)}


def _point_near(surface_id, xy, tol=0.01):
    near = [p for p in _atlas(surface_id).points if distance((p.x, p.y), xy) <= tol]
    return near[0] if near else None


def _himmelblau_lab_saddle():
    return _point_near("himmelblau", (-0.128, -1.954))


def _himmelblau_facts(_drawn):
    p = _himmelblau_lab_saddle()
    return {"lam": fmt(p.eigenvalues[0], 0), "sx": fmt(p.x), "sy": fmt(p.y)}


def _slice_saddle():
    saddles = [p for p in _atlas("network_slice").points if p.kind == "saddle"]
    return saddles[0] if len(saddles) == 1 else None


def _network_grad_norm(p) -> float:
    """||grad L|| of the network in all its parameters at the slice's point p."""
    entry = generated.network_slice_entry()
    return float(np.linalg.norm(entry.model.grad(entry.params(p.x, p.y), entry.x, entry.y)))


def _slice_facts(_drawn):
    p = _slice_saddle()
    return {"sx": fmt(p.x), "sy": fmt(p.y), "lam": fmt(p.eigenvalues[0]), "g": fmt(_network_grad_norm(p))}


def _on_valley(point, tol=0.05):
    return abs(point[0] * point[1] - 1) < tol

PAGE = "critical"

PRESETS = [
    Preset(
        "critical_lecture", PAGE,
        ("Lecture example: (1 - w1 w2)²", "课程例子：(1 - w1 w2)²"),
        ("The saddle at the origin, its Hessian [[0, -2], [-2, 0]] and the escape along (1, 1)/√2.",
         "原点处的鞍点、Hessian [[0, -2], [-2, 0]]，以及沿 (1, 1)/√2 的逃离。"),
        ("Watch the origin: g = 0 and the eigenvalues are -2 and 2, so it is a saddle. In the lab, (a) never moves, "
         "(b) and (e) slide off along the red arrow into the valley w1·w2 = 1, and Newton (f) walks back into the saddle.",
         "看原点：g = 0，特征值为 -2 和 2，所以它是鞍点。实验中 (a) 一动不动，(b) 和 (e) 沿红色箭头滑进山谷 w1·w2 = 1，"
         "而牛顿法 (f) 却走回鞍点。"),
        {"surface": "lecture", "esteps": "80", "elr": "0.1", "eps": "0.001", "phi": "30",
         "ulen": "0.5", "noise": "0.05", "noff": "0.2"},
        claims=(
            Claim("the origin is a saddle with eigenvalues -2 and 2",
                  lambda d: (p := _point_near("lecture", (0, 0), 1e-12)) is not None and p.kind == "saddle"
                  and np.allclose(p.eigenvalues, [-2, 2])),
            Claim("(a) never moves", lambda d: np.all(np.linalg.norm(d[0] - d[0][0], axis=1) == 0)),
            Claim("(b) and (e) slide into the valley w1 w2 = 1", lambda d: _on_valley(d.end(1)) and _on_valley(d.end(4))),
            Claim("(f) Newton walks back into the saddle", lambda d: distance(d.end(5), (0, 0)) < 1e-6),
        ),
    ),
    Preset(
        "critical_himmelblau", PAGE,
        ("Himmelblau: 4 minima, 4 saddles, 1 maximum", "Himmelblau：4 个极小值、4 个鞍点、1 个极大值"),
        ("Every kind of critical point on one surface, each with its own curvature and stability bound.",
         "一个曲面上包含所有类型的 critical point，每个都有自己的曲率与稳定上限。"),
        ("Watch the saddles between the four basins: each has one red (downhill) arrow. The escape lab starts on "
         "the saddle at ({sx}, {sy}), where λ₁ ≈ {lam}: the offset grows fast and each run picks a basin.",
         "看四个盆地之间的鞍点：每个都有一对红色（下坡）箭头。逃离实验从 ({sx}, {sy}) 处的鞍点出发，"
         "那里 λ₁ ≈ {lam}：偏移增长很快，每条路径各自落入一个盆地。"),
        {"surface": "himmelblau", "sad": "saddle (-0.128, -1.95)", "esteps": "100", "elr": "0.01",
         "eps": "0.001", "phi": "30", "ulen": "0.6", "noise": "2", "noff": "0.3"},
        claims=(
            Claim("Himmelblau has 4 minima, 4 saddles and 1 maximum",
                  lambda d: _kinds("himmelblau") == {"minimum": 4, "saddle": 4, "maximum": 1}),
            Claim("the lab's saddle has one negative eigenvalue near -51",
                  lambda d: (p := _himmelblau_lab_saddle()) is not None and p.kind == "saddle"
                  and -52 < p.eigenvalues[0] < -50 and p.eigenvalues[1] > 0),
            Claim("the lab starts on that saddle", lambda d: distance(d[0][0], (-0.128, -1.954)) < 0.01),
            Claim("the offset runs (b), (c), (e) leave the saddle and end in a minimum",
                  lambda d: all(distance(d.end(i), d[0][0]) > 1 and (q := _point_near("himmelblau", d.end(i), 0.05))
                                is not None and q.kind == "minimum" for i in (1, 2, 4))),
        ),
        facts=_himmelblau_facts,
    ),
    Preset(
        "critical_monkey", PAGE,
        ("Monkey saddle: when the Hessian says nothing", "猴鞍：Hessian 无能为力的时候"),
        ("At the origin H = 0: the second-order test cannot classify the point.",
         "原点处 H = 0：二阶判别无法给这个点分类。"),
        ("Watch the inspector at the origin: g = 0 and both eigenvalues are 0, the dashed Taylor model is flat, yet the "
         "surface falls in three directions. Move the ring (click the map) to see the Taylor model fit away from the origin.",
         "看原点处的检查器：g = 0，两个特征值都是 0，虚线的泰勒模型是平的，而曲面却在三个方向下降。"
         "点击地图移动圆环，看看离开原点后泰勒模型如何贴合。"),
        {"surface": "monkey", "rad": "0.6"},
        claims=(
            Claim("the only critical point is the origin, degenerate, with H = 0",
                  lambda d: len(_atlas("monkey").points) == 1 and (p := _point_near("monkey", (0, 0), 1e-9)) is not None
                  and p.kind == "degenerate" and np.allclose(surfaces.CATALOG["monkey"].hessian(0.0, 0.0), 0)),
            Claim("the surface falls in three directions around the origin",
                  lambda d: sum(float(surfaces.CATALOG["monkey"].f(np.cos(a), np.sin(a))) < 0
                                for a in np.linspace(0, 2 * np.pi, 6, endpoint=False)) == 3),  # cos(3a) = -1 at odd k pi/3
        ),
    ),
    Preset(
        "critical_network_slice", PAGE,
        ("A real network's loss: its critical points in a plane", "真实网络的损失：一个平面里的临界点"),
        ("The atlas on a trained network's loss along a plane: two minima and a saddle between them.",
         "在训练好的网络的损失平面切面上运行图谱：两个极小值，中间一个鞍点。"),
        ("This surface is a real network's training loss L(θ* + α d1 + β d2) (2-32-1 tanh, 129 parameters). Watch "
         "the atlas find two minima and the saddle at ({sx}, {sy}) between them, with λ₁ ≈ {lam}: the lab's offset "
         "runs slide off it into a dip and Newton walks back in. These are critical points of the plane only: "
         "at the saddle the network's gradient in all 129 directions has norm {g}.",
         "这个曲面是真实网络的训练损失 L(θ* + α d1 + β d2)（2-32-1 tanh，129 个参数）。看图谱找到两个极小值和它们之间 "
         "({sx}, {sy}) 处的鞍点，λ₁ ≈ {lam}：实验中带偏移的路径从鞍点滑进一个坑，而牛顿法走回鞍点。这些只是这个平面上的"
         "临界点：在鞍点处，网络在全部 129 个方向上的梯度范数是 {g}。"),
        {"surface": "network_slice", "esteps": "80", "elr": "0.2", "eps": "0.001", "phi": "30",
         "ulen": "0.3", "noise": "0.05", "noff": "0.1"},
        claims=(
            Claim("in this plane the atlas finds two minima and one saddle",
                  lambda d: _kinds("network_slice") == {"minimum": 2, "saddle": 1}),
            Claim("the saddle has one negative and one positive eigenvalue",
                  lambda d: (p := _slice_saddle()) is not None and p.eigenvalues[0] < 0 < p.eigenvalues[1]),
            Claim("the lab starts on that saddle", lambda d: distance(d[0][0], (_slice_saddle().x, _slice_saddle().y)) < 1e-3),
            Claim("the offset runs (b), (c) and (e) leave the saddle and end in a minimum",
                  lambda d: all((q := _point_near("network_slice", d.end(i), 0.02)) is not None and q.kind == "minimum"
                                and distance(d.end(i), d[0][0]) > 0.3 for i in (1, 2, 4))),
            Claim("(f) Newton walks back into the saddle",
                  lambda d: distance(d.end(5), (_slice_saddle().x, _slice_saddle().y)) < 1e-3),
            Claim("the network's full gradient at the saddle is not 0 (> 0.1)", lambda d: _network_grad_norm(_slice_saddle()) > 0.1),
        ),
        facts=_slice_facts,
    ),
]

