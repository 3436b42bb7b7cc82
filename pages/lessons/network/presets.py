"""Presets of the real-network page, its controls and the one mapping from controls to runs.

No Streamlit here. The page builds its widgets from :data:`CONTROLS` and its runs from
:func:`setup`; the tests run the same :func:`setup` on each preset's link parameters.

The page's figures are not animated 2D races, so the claims read the page's curves by the
name in their trace's ``meta={"curve": ...}`` (:func:`pages.lib.claims.drawn_from_traces`): ``d[d.names.index("stall_grad")]`` is
the drawn ||g|| curve as (step, value) rows. Select controls are written as option ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from pages.lib.claims import Claim
from pages.lib.controls import Control
from pages.lib.preset_model import Preset

from . import model as M
from .text import NETWORK as T

PAGE = "network"
SECTIONS = ("stall", "ratio", "batch", "scaling")


def section_title(section: str) -> str:
    """English title of a section (the page passes a translated one to its widget)."""
    return T[f"sec_{section}"][0]


CONTROLS: dict[str, Control] = {c.key: c for c in (
    Control("section", "select", "stall", options=SECTIONS, label=section_title),
    Control("lr", "number", 0.3, 0.01, 1.0),
    Control("steps", "integer", 2000, 200, 3000),
    Control("tol", "number", 1e-6, 0.0, 0.1),
    Control("point", "integer", 20, 1, 20),
    Control("small", "integer", 8, 4, 32),
    Control("seeds", "integer", 3, 1, 5),
    Control("k", "integer", 8, 2, 16),
    Control("warmup", "integer", 2, 0, 10),
)}
GROUPS = {"stall": ("lr", "steps"), "ratio": ("tol", "point"), "batch": ("small", "seeds"), "scaling": ("k", "warmup")}


@dataclass(frozen=True)
class Setup:
    """What one view computes: its section and the (hashable) arguments of that section's run."""

    section: str
    args: tuple

    @property
    def values(self) -> dict:
        return dict(zip(GROUPS[self.section], self.args))


def setup(values: Mapping[str, Any]) -> Setup:
    """The section shown and its run's arguments (each a cache key of :mod:`.cached`)."""
    section = values["section"] if values["section"] in SECTIONS else "stall"
    if section == "stall":
        args = (float(values["lr"]), int(values["steps"]))
    elif section == "ratio":
        args = (float(values["tol"]), int(values["point"]))
    elif section == "batch":
        args = (int(values["small"]), int(values["seeds"]))
    else:
        args = (int(values["k"]), int(values["warmup"]))
    return Setup(section, args)


# --- claims: predicates over the drawn curves (by curve name) ------------------------------------
def curve(d, name: str) -> np.ndarray:
    """The drawn curve ``name`` as (x, y) rows (empty when the page did not draw it)."""
    return d[d.names.index(name)] if name in d.names else np.empty((0, 2))


def _window(d, name: str, a: int, b: int) -> np.ndarray:
    c = curve(d, name)
    return c[(c[:, 0] >= a) & (c[:, 0] <= b), 1]


def _chunk_change(y: np.ndarray, chunks: int = 4) -> float:
    n = len(y) // chunks
    if n == 0:
        return np.inf
    means = y[: chunks * n].reshape(chunks, n).mean(axis=1)
    return float((means.max() - means.min()) / means.min())


def _stall_facts(d):
    g = _window(d, "stall_grad", 1200, 2000)
    return {"gmin": f"{g.min():.2f}", "gmax": f"{g.max():.2f}"} if g.size else {"gmin": "—", "gmax": "—"}


def _ref_smaller(d, factor: float = 5.0) -> bool:
    """The reference run passes the stalled run's mean window loss with a ||g|| ``factor`` x smaller."""
    loss, g = _window(d, "stall_loss", 1200, 2000), _window(d, "stall_grad", 1200, 2000)
    ref_loss, ref_g = curve(d, "ref_loss")[:, 1], curve(d, "ref_grad")[:, 1]
    same = ref_loss <= loss.mean() if loss.size else np.zeros(0, bool)
    return bool(same.any() and ref_g[same].max() < g.min() / factor)


def _median(d, name: str) -> float:
    y = curve(d, name)[:, 1]
    return float(np.median(y)) if y.size else np.nan


def _count(d, name: str) -> int:
    """The number of eigenvalues in the histogram's bars ``name``."""
    return int(curve(d, name)[:, 1].sum())


def _ratio_facts(d):
    return {"med": f"{_median(d, 'ratio_tol'):.2f}", "med0": f"{_median(d, 'ratio_zero'):.2f}",
            "neg": str(_count(d, "eig_neg"))}


def _per_seed(d, name: str) -> np.ndarray:
    return curve(d, name)[:, 1]


def _batch_facts(d):
    s, la = _per_seed(d, "sharp_small"), _per_seed(d, "sharp_large")
    ts, tl = _per_seed(d, "test_small"), _per_seed(d, "test_large")
    return {"flatter": str(int(np.sum(s < la))), "lower": str(int(np.sum(ts < tl))), "n": str(len(s))}


def _gap(d, name: str) -> float:
    a, b = curve(d, name)[:, 1], curve(d, "scale_small")[:, 1]
    n = min(len(a), len(b))
    if n == 0:
        return np.inf
    with np.errstate(all="ignore"):
        gap = np.abs(np.log10(a[:n]) - np.log10(b[:n]))
    return float(np.mean(gap)) if np.all(np.isfinite(gap)) else np.inf


def _scaling_facts(d):
    return {"gap": f"{_gap(d, 'scale_scaled'):.2f}", "gap_un": f"{_gap(d, 'scale_unscaled'):.2f}",
            "gap_nw": f"{_gap(d, 'scale_nowarm'):.2f}"}


PRESETS = [
    Preset(
        "network_stall", PAGE,
        ("Training stalls, the gradient does not vanish", "训练卡住了，梯度却没有消失"),
        ("A real network's loss stops falling while ||g|| stays large: a learning-rate problem, not a critical point.",
         "真实网络的损失不再下降，||g|| 却一直很大：这是学习率的问题，不是临界点。"),
        ("Watch the dark loss curve go flat while the orange ||g|| keeps jumping between {gmin} and "
         "{gmax} over steps 1200–2000: a critical point would have ||g|| = 0. The faint reference run (η = 0.1) passes "
         "the same loss with a gradient more than 5× smaller.",
         "看深色的损失曲线变平，而橙色的 ||g|| 在第 1200–2000 步一直在 {gmin} 和 {gmax} 之间跳动："
         "临界点处 ||g|| 应当为 0。浅色的参照训练（η = 0.1）在同样的损失处梯度小 5 倍以上。"),
        {"section": "stall", "lr": "0.3", "steps": "2000"},
        claims=(
            Claim("over steps 1200-2000 the loss's 200-step means change by less than 10 %",
                  lambda d: _chunk_change(_window(d, "stall_loss", 1200, 2000)[:800]) < 0.10),
            Claim("over steps 1200-2000 ||g|| stays above 0.08 and swings by more than 1.5x",
                  lambda d: (g := _window(d, "stall_grad", 1200, 2000)).size > 0 and g.min() > 0.08
                  and g.max() / g.min() > 1.5),
            Claim("the reference run (lr 0.1) passes the same mean loss with a ||g|| more than 5x smaller",
                  _ref_smaller),
        ),
        facts=_stall_facts,
    ),
    Preset(
        "network_ratio", PAGE,
        ("Minimum ratio: about half the directions still go down", "最小值比例：约一半的方向仍可下降"),
        ("From 20 training snapshots, Newton on the gradient, then the full Hessian: ratios near 0.6, no minimum.",
         "从 20 个训练快照出发，对梯度做 Newton 迭代，再算完整的 Hessian：比例在 0.6 左右，没有极小值。"),
        ("Watch the filled dots (τ = 1e-6) sit around a median of {med}, far below 1 (a local minimum). The histogram "
         "is point 20: {neg} of its 129 eigenvalues are negative (red), directions that still go down; the grey band "
         "is the zero tolerance: change τ and see the ratio move.",
         "看实心点（τ = 1e-6）的中位数在 {med} 左右，远低于 1（局部极小值）。直方图是第 20 个点：129 个特征值中有 "
         "{neg} 个是负的（红色），也就是仍能下降的方向；灰色区间是零容差：改变 τ，看比例如何变化。"),
        {"section": "ratio", "tol": "1e-06", "point": "20"},
        claims=(
            Claim("20 points are drawn", lambda d: len(curve(d, "ratio_tol")) == 20),
            Claim("the median minimum ratio at tol 1e-6 lies in the measured band 0.55-0.66",
                  lambda d: 0.55 <= _median(d, "ratio_tol") <= 0.66),
            Claim("no point is a local minimum (every ratio below 0.8)",
                  lambda d: curve(d, "ratio_tol")[:, 1].max() < 0.8),
            Claim("the histogram holds all 129 eigenvalues of point 20, at least 30 of them negative",
                  lambda d: _count(d, "eig_neg") + _count(d, "eig_zero") + _count(d, "eig_pos") == 129
                  and _count(d, "eig_neg") >= 30),
        ),
        facts=_ratio_facts,
    ),
    Preset(
        "network_ratio_tolerance", PAGE,
        ("The minimum ratio depends on the zero tolerance", "最小值比例取决于零容差"),
        ("Same points, τ = 1e-3: the ratio falls from ~0.6 to ~0.1. Many eigenvalues are tiny.",
         "同样的点，τ = 1e-3：比例从约 0.6 降到约 0.1。很多特征值非常小。"),
        ("Watch the filled dots (τ = 1e-3) fall to a median of {med} while the open dots (τ = 0, every λ > 0 counts) "
         "stay at {med0}: most positive eigenvalues are smaller than a thousandth of the largest. The ratio is a "
         "statement about the tolerance as much as about the network.",
         "看实心点（τ = 1e-3）的中位数降到 {med}，而空心点（τ = 0，每个 λ > 0 都算）仍在 {med0}："
         "大多数正特征值不到最大特征值的千分之一。这个比例既反映网络，也同样反映所选的容差。"),
        {"section": "ratio", "tol": "0.001", "point": "20"},
        claims=(
            Claim("at tol 1e-3 the median ratio is below 0.3", lambda d: _median(d, "ratio_tol") < 0.3),
            Claim("at tol 0 the median ratio is above 0.55", lambda d: _median(d, "ratio_zero") > 0.55),
        ),
        facts=_ratio_facts,
    ),
    Preset(
        "network_batch", PAGE,
        ("Small batch: flatter, but not better on test", "小批量：更平坦，测试上却没更好"),
        ("B = 8 vs B = 64 trained to the same loss, 3 seeds: small is flatter every time, its test loss is not lower.",
         "B = 8 与 B = 64 训练到同样的损失，3 个种子：小批量每次都更平坦，测试损失却不更低。"),
        ("Watch the sharpness panel: the orange dots (B = 8) lie below the blue ones (B = 64) in {flatter} of {n} seeds, "
         "flatter as the lecture says. Then the test-loss panel: the small batch has the lower test loss in only {lower} "
         "of {n}. At this size the lecture's \"generalises better\" does not reproduce.",
         "看尖锐度图：在 {n} 个种子中有 {flatter} 个，橙色点（B = 8）低于蓝色点（B = 64），与课程所说一样更平坦。"
         "再看测试损失图：只有 {lower} 个种子里小批量的测试损失更低。在这个规模下，课程说的“泛化更好”没有重现。"),
        {"section": "batch", "small": "8", "seeds": "3"},
        claims=(
            Claim("three seeds are drawn in both panels",
                  lambda d: all(len(curve(d, u)) == 3 for u in ("sharp_small", "sharp_large", "test_small",
                                                                 "test_large"))),
            Claim("the small batch ends flatter (lower lambda_max) in every seed",
                  lambda d: bool(np.all(_per_seed(d, "sharp_small") < _per_seed(d, "sharp_large")))),
            Claim("the small batch's test loss is not lower on average (>= 0.98 x the large batch's)",
                  lambda d: _per_seed(d, "test_small").mean() >= 0.98 * _per_seed(d, "test_large").mean()),
            Claim("the small batch has the lower test loss in at most one seed of three",
                  lambda d: int(np.sum(_per_seed(d, "test_small") < _per_seed(d, "test_large"))) <= 1),
        ),
        facts=_batch_facts,
    ),
    Preset(
        "network_scaling", PAGE,
        ("Batch ×8, learning rate ×8", "批量 ×8，学习率 ×8"),
        ("SGD: batch 32 with η ×8 (and warm-up) tracks batch 4 per epoch; with the same η it lags.",
         "SGD：批量 32 配 η ×8（加预热）按轮次跟上批量 4；η 不变时它落后。"),
        ("Watch the blue curve (B = 32, η ×8, 2 warm-up epochs) follow the orange small-batch curve ({gap} decades "
         "apart on average) while the grey one (B = 32, same η) lags ({gap_un} decades). The dotted one has no warm-up "
         "and tracks too ({gap_nw}): at this size warm-up is not needed.",
         "看蓝色曲线（B = 32，η ×8，预热 2 个轮次）紧跟橙色的小批量曲线（平均相差 {gap} 个数量级），"
         "而灰色曲线（B = 32，η 不变）落在后面（{gap_un} 个数量级）。点线不预热，也跟得上（{gap_nw}）："
         "在这个规模下不需要预热。"),
        {"section": "scaling", "k": "8", "warmup": "2"},
        claims=(
            Claim("scaled (with warm-up) tracks the small batch (mean |log10 gap| < 0.15)",
                  lambda d: _gap(d, "scale_scaled") < 0.15),
            Claim("the unscaled large batch does not (gap > 0.25)", lambda d: _gap(d, "scale_unscaled") > 0.25),
            Claim("without warm-up the scaled run tracks too (gap < 0.15)", lambda d: _gap(d, "scale_nowarm") < 0.15),
            Claim("40 epochs are drawn for every run",
                  lambda d: all(len(curve(d, f"scale_{k}")) == 41 for k in M.SCALING_KEYS)),
        ),
        facts=_scaling_facts,
    ),
]
