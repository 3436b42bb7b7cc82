"""Presets of the batch-size page (see pages/lib/presets.py). Params are link parameters (strings, exactly
as the page's URL-bound widgets write them: a selectbox's value is its option's LABEL).

The tests read these presets from :data:`pages.lib.presets.PRESETS` and check the lecture's
claims on them (full batch stalls at the saddle, B = 1 and B = 4 escape), so a preset that stops
showing its claim fails a test.
"""

from pages.lib.claims import Claim as _Claim
from pages.lib.claims import distance
from pages.lib.preset_model import Preset
from surfaces import datasets

PAGE = "batch"

# Paths in legend order: 0 = B = 1, 1 = B = 4, 2 = full batch (B = 32).
_SADDLE = (0.0, 1.0)


def _escaped_to_minimum(point) -> bool:
    """Ended near one of the autoencoder's minima (+-1, 0) (|w1| within 0.05 of 1), far from the saddle."""
    return abs(abs(point[0]) - 1) < 0.05 and distance(point, _SADDLE) > 0.5


def _saddle_claims(small_batches=(0, 1)):
    return (
        _Claim("full batch ends at the saddle (0, 1)", lambda d: distance(d.end(2), _SADDLE) < 0.01),
        _Claim("the small batches escape to a minimum (+-1, 0)",
               lambda d: all(_escaped_to_minimum(d.end(i)) for i in small_batches)),
    )


def _linreg_minimum():
    k = datasets.get("linreg").known_points[0]
    return (k.x, k.y)


# the data sets' and optimizers' ids, as links name them
PCA = "pca"
LINREG = "linreg"
GD = "gd"
MOMENTUM = "momentum"
ADAM = "adam"

_RACE = {"n": "3", "b1": "1", "b2": "4", "b3": "32", "seed": "0"}

PRESETS = [
    Preset(
        "batch_saddle", PAGE,
        ("Full batch stalls at a saddle", "Full batch 卡在 saddle point"),
        ("Same data, same start: full-batch gradient descent stops at the saddle, B = 1 and B = 4 escape.",
         "同样的数据、同样的起点：full batch gradient descent 停在 saddle point，B = 1 和 B = 4 逃离了。"),
        ("Watch the green full-batch path: it slides down the w2 axis into the saddle (0, 1) and stops, its gradient "
         "shrinking towards zero. The orange (B = 1) and blue (B = 4) paths wobble off the axis within the first "
         "epoch and fall into a minimum at (±1, 0).",
         "看绿色的 full batch 路径：它沿 w2 轴滑进 saddle point (0, 1) 后停住，gradient 趋近于零。"
         "橙色（B = 1）和蓝色（B = 4）路径在第一个 epoch 内就被噪声推离轴线，落入 (±1, 0) 的极小值。"),
        {"data": PCA, **_RACE, "epochs": "40", "opt": GD, "lr": "0.1"},
        claims=_saddle_claims() + (
            _Claim("B = 1 and B = 4 leave the w2 axis within the first epoch (|w1| > 0.01 by step 32)",
                   lambda d: all(abs(d[i][:33, 0]).max() > 0.01 for i in (0, 1))),
        ),
    ),
    Preset(
        "batch_momentum", PAGE,
        ("Momentum does not help", "Momentum 也救不了"),
        ("Full-batch momentum also ends at the saddle; small batches still escape.",
         "Full batch 加 momentum 依然停在 saddle point；小 batch 仍然能逃离。"),
        ("Momentum keeps moving only in directions the gradient ever pointed: on the w2 axis the full-batch gradient "
         "never points sideways, so full-batch momentum also ends at the saddle. Small batches still escape.",
         "Momentum 只会沿 gradient 曾经指过的方向继续前进：在 w2 轴上 full batch 的 gradient 从不指向侧面，"
         "所以 full batch 加 momentum 依然停在 saddle point。小 batch 仍然能逃离。"),
        {"data": PCA, **_RACE, "epochs": "40", "opt": MOMENTUM, "lr": "0.05", "mom": "0.7"},
        claims=_saddle_claims() + (
            _Claim("full-batch momentum never leaves the w2 axis (w1 = 0 throughout)", lambda d: abs(d[2][:, 0]).max() == 0),
        ),
    ),
    Preset(
        "batch_adam", PAGE,
        ("Adam, same story", "Adam 也一样"),
        ("Adam cannot scale up a gradient that is exactly zero: full batch stalls, B = 1 escapes.",
         "Adam 无法放大恰好为零的 gradient：full batch 停住，B = 1 逃离。"),
        ("Adam divides by σ, the running size of the gradient, but on the saddle's axis the w1-gradient is exactly "
         "zero for full batch: nothing to scale up. With B = 1 it is not zero, and Adam's normalisation even enlarges "
         "the sideways push.",
         "Adam 会除以 σ（gradient 大小的滑动估计），但在 saddle point 的轴上，full batch 的 w1 方向 gradient 恰好为零："
         "没有什么可以放大。B = 1 时它不为零，Adam 的归一化甚至放大了这个侧向的推力。"),
        {"data": PCA, **_RACE, "epochs": "40", "opt": ADAM, "lr": "0.05"},
        claims=_saddle_claims(small_batches=(0,)) + (
            _Claim("full-batch Adam never leaves the w2 axis (its w1-gradient is exactly 0)",
                   lambda d: abs(d[2][:, 0]).max() == 0),
        ),
    ),
    Preset(
        "batch_convex", PAGE,
        ("Convex: noise only", "凸问题：只有噪声"),
        ("On a bowl, batch size is about speed and noise: B = 1 arrives early and jitters.",
         "在碗状曲面上，batch size 只关乎速度与噪声：B = 1 早早到达，然后抖动。"),
        ("A bowl has no saddle to escape, so here batch size is about speed and noise. Full batch (green) takes one "
         "smooth step per epoch and after 30 epochs is still on its way down; B = 1 (orange) takes 32 noisy steps per "
         "epoch, reaches the minimum within a few epochs and then jitters around it.",
         "碗状曲面没有 saddle point 可逃，这里 batch size 关乎速度与噪声。Full batch（绿色）每个 epoch 只平稳地走一步，"
         "30 个 epoch 后仍在下坡途中；B = 1（橙色）每个 epoch 走 32 步带噪声的步伐，几个 epoch 内就到达极小值，"
         "随后在其附近抖动。"),
        {"data": LINREG, **_RACE, "epochs": "30", "opt": GD, "lr": "0.05"},
        claims=(
            _Claim("B = 1 comes within 0.15 of the minimum within 5 epochs (160 steps)",
                   lambda d: min(distance(q, _linreg_minimum()) for q in d[0][:161]) < 0.15),
            _Claim("full batch is still more than 0.5 from the minimum after 30 epochs",
                   lambda d: distance(d.end(2), _linreg_minimum()) > 0.5),
            _Claim("B = 1 keeps jittering near the minimum (it moves in the last epoch but stays within 0.3)",
                   lambda d: max(distance(q, _linreg_minimum()) for q in d[0][-33:]) < 0.3
                   and distance(d[0][-33], d[0][-1]) > 0),
        ),
    ),
]
