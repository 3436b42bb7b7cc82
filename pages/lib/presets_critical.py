"""Presets of the critical-points page (see presets.py). Params are link parameters (strings)."""

from .preset_model import Preset

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
        {"surface": "Lecture example (1 - w1 w2)^2", "esteps": "80", "elr": "0.1", "eps": "0.001", "phi": "30",
         "ulen": "0.5", "noise": "0.05", "noff": "0.2"},
    ),
    Preset(
        "critical_himmelblau", PAGE,
        ("Himmelblau: 4 minima, 4 saddles, 1 maximum", "Himmelblau：4 个极小值、4 个鞍点、1 个极大值"),
        ("Every kind of critical point on one surface, each with its own curvature and stability bound.",
         "一个曲面上包含所有类型的 critical point，每个都有自己的曲率与稳定上限。"),
        ("Watch the saddles between the four basins: each has one red (downhill) arrow. The escape lab starts on "
         "the saddle near (-0.13, -1.95), where λ₁ ≈ -51: the offset grows fast and each run picks a basin.",
         "看四个盆地之间的鞍点：每个都有一对红色（下坡）箭头。逃离实验从 (-0.13, -1.95) 附近的鞍点出发，"
         "那里 λ₁ ≈ -51：偏移增长很快，每条路径各自落入一个盆地。"),
        {"surface": "Himmelblau", "sad": "saddle (-0.128, -1.95)", "esteps": "100", "elr": "0.01",
         "eps": "0.001", "phi": "30", "ulen": "0.6", "noise": "2", "noff": "0.3"},
    ),
    Preset(
        "critical_monkey", PAGE,
        ("Monkey saddle: when the Hessian says nothing", "猴鞍：Hessian 无能为力的时候"),
        ("At the origin H = 0: the second-order test cannot classify the point.",
         "原点处 H = 0：二阶判别无法给这个点分类。"),
        ("Watch the inspector at the origin: g = 0 and both eigenvalues are 0, the dashed Taylor model is flat, yet the "
         "surface falls in three directions. Move the ring (drag a box) to see the Taylor model fit away from the origin.",
         "看原点处的检查器：g = 0，两个特征值都是 0，虚线的泰勒模型是平的，而曲面却在三个方向下降。"
         "拖动方框移动圆环，看看离开原点后泰勒模型如何贴合。"),
        {"surface": "Monkey saddle", "rad": "0.6"},
    ),
]
