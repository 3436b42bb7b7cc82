"""Presets of the playground page (see presets.py). Params are link parameters."""

from .preset_model import Preset

PRESETS = [
    Preset(
        "race_himmelblau", "playground",
        ("Six optimizers on Himmelblau", "六个优化器在 Himmelblau 上赛跑"),
        ("Same start, six rules, four different minima.", "同一起点，六种规则，四个不同的极小值。"),
        ("Watch where each colour ends: from the same start, Newton climbs to the maximum at (-0.27, -0.92) "
         "while the first-order methods roll into different minima.",
         "看每种颜色停在哪里：同一起点出发，牛顿法爬到了 (-0.27, -0.92) 处的极大值，而一阶方法滚入了不同的极小值。"),
        {},
    ),
    Preset(
        "saddle_newton", "playground",
        ("Newton is attracted to saddles", "牛顿法会被鞍点吸引"),
        ("Gradient descent slides off the saddle; Newton's method walks into it.",
         "梯度下降从鞍点滑走；牛顿法却走进鞍点。"),
        ("Watch the blue Newton path stop exactly at the saddle (0, 0) while gradient descent "
         "escapes along y once the tiny offset has grown.",
         "看蓝色的牛顿路径正好停在鞍点 (0, 0)，而梯度下降在微小偏移放大后沿 y 方向逃离。"),
        {"surface": "Saddle x^2 - y^2", "x0": "1.8", "y0": "0.001", "steps": "200", "n": "2",
         "o1": "Gradient descent", "o1_gd_lr": "0.05", "o2": "Newton (damped)"},
    ),
    Preset(
        "rosenbrock_valley", "playground",
        ("Rosenbrock's banana valley", "Rosenbrock 香蕉形山谷"),
        ("Finding the valley is easy, following it is slow.", "找到山谷容易，沿山谷前进很慢。"),
        ("Watch gradient descent zig-zag down the steep walls and then crawl along the flat floor, "
         "while Adam and momentum keep moving towards (1, 1).",
         "看梯度下降在陡峭谷壁间来回折返、在平坦谷底缓慢爬行，而 Adam 和动量法持续向 (1, 1) 前进。"),
        {"surface": "Rosenbrock", "x0": "-1.5", "y0": "2.5", "steps": "1000", "n": "4",
         "o1": "Gradient descent", "o1_gd_lr": "0.001", "o2": "Momentum (lecture)", "o2_momentum_lr": "0.0005",
         "o3": "Adam (torch)", "o3_adam_lr": "0.05", "o4": "RMSprop (torch)", "o4_rmsprop_lr": "0.01"},
    ),
    Preset(
        "noisy_rastrigin", "playground",
        ("Noise on a bumpy bowl", "崎岖碗面上的噪声"),
        ("Small batches (more noise) hop out of local minima on Rastrigin.",
         "小批量（噪声更大）能跳出 Rastrigin 的局部极小值。"),
        ("Watch the same optimizer with gradient noise s = 20, B = 1: the path jitters and "
         "hops between the small dips instead of freezing in the first one.",
         "看同一优化器在梯度噪声 s = 20、B = 1 时：路径抖动，在小坑之间跳跃，而不是冻结在第一个坑里。"),
        {"surface": "Rastrigin", "steps": "400", "n": "2", "o1": "Gradient descent", "o1_gd_lr": "0.002",
         "o2": "Adam (torch)", "o2_adam_lr": "0.05", "noise": "20", "batch": "1", "seed": "7"},
    ),
]
