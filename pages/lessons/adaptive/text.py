"""User-facing text of the adaptive-learning-rate page: ``key: (english, chinese)`` as in
:mod:`pages.lib.text`. Terms the lecture keeps in English (learning rate, AdaGrad, RMSProp, Adam,
momentum, loss, step, PyTorch) stay English in the Chinese column too.
"""

from __future__ import annotations

ADAPTIVE = {
    "title": ("Adaptive learning rate: AdaGrad, RMSProp, Adam", "自适应学习率：AdaGrad、RMSProp、Adam"),
    "intro": (
        "Each coordinate gets its own step η/σᵢ, where σᵢ is a running size of its past gradients. Press ▶ Play: "
        "the path moves in step with the loss, the learning rate and the per-coordinate effective step on the right.",
        "每个参数方向有自己的步长 η/σᵢ，σᵢ 是该方向过往梯度的大小。按 ▶ 播放：右侧的 loss、learning rate 和"
        "各方向的有效步长与路径同步移动。",
    ),
    "surface": ("Surface", "误差曲面"),
    "steps": ("Steps", "步数"),
    "optimizers": ("Optimizers", "优化器"),
    "n_optimizers": ("How many optimizers", "优化器数量"),
    "decay": ("{i} · lr decay η/√(t+1)", "{i} · 学习率衰减 η/√(t+1)"),
    "decay_help": (
        "Multiply this optimizer's learning rate by 1/√(t+1). For the lecture's AdaGrad this gives exactly torch's Adagrad.",
        "把该优化器的学习率乘以 1/√(t+1)。对课程版 AdaGrad，这样恰好等于 torch 的 Adagrad。",
    ),
    "decay_suffix": (" · η/√(t+1)", " · η/√(t+1)"),
    # effective-lr figure
    "eff_title": (
        "Effective learning rate along y: |Δy|/|g_y| (= η_t/σ_y for AdaGrad and RMSProp)",
        "y 方向的有效学习率：|Δy|/|g_y|（对 AdaGrad 和 RMSProp 即 η_t/σ_y）",
    ),
    "eff_caption": (
        "Above the dashed line 2/h_yy = {thr:.3g} (h_yy = ∂²f/∂y² = {h:.3g} at the minimum) a step along y overshoots "
        "by more than it corrects: the y-direction is unstable. ▼ marks a sideways burst.",
        "高于虚线 2/h_yy = {thr:.3g}（极小值处 h_yy = ∂²f/∂y² = {h:.3g}）时，沿 y 的一步过冲大于修正，y 方向不稳定。"
        "▼ 标出横向爆走。",
    ),
    "threshold": ("stability limit 2/h_yy", "稳定上限 2/h_yy"),
    "burst_marker": ("burst", "爆走"),
    # readout
    "readout": ("Readout", "结果"),
    "col_optimizer": ("Optimizer", "优化器"),
    "col_final": ("Final point", "终点"),
    "col_dist": ("Distance to minimum", "距极小值"),
    "col_bounces": ("y-step sign flips", "Δy 变号次数"),
    "col_bursts": ("Sideways bursts (steps)", "横向爆走（步）"),
    "col_jump": ("Largest jump |Δy|", "最大横跳 |Δy|"),
    "col_eff": ("Max η/σ_y", "最大 η/σ_y"),
    "col_status": ("Status", "状态"),
    "none": ("none", "无"),
    "say_diverged": (
        "**{name}** with η = {lr:.3g} > 2/h_yy = {thr:.3g}: the y-step flips sign every step and grows ×{ratio:.3g} per "
        "step, so it diverged at step {k}.",
        "**{name}** 的 η = {lr:.3g} > 2/h_yy = {thr:.3g}：y 方向每一步都反向，且每步放大 ×{ratio:.3g}，在第 {k} 步发散。",
    ),
    "say_bursts": (
        "**{name}** burst sideways {count} times: steps {steps}; largest jump {jump:.2g}. Before a burst η/σ_y "
        "climbs above 2/h_yy = {thr:.3g} (it reaches {eff:.3g}).",
        "**{name}** 横向爆走了 {count} 次：第 {steps} 步；最大横跳 {jump:.2g}。每次爆走前 η/σ_y 都升到 "
        "2/h_yy = {thr:.3g} 之上（最高 {eff:.3g}）。",
    ),
    "say_bounce": (
        "**{name}** bounces across the valley: Δy changed sign in {flips} of {n} steps (each swing ×{ratio:.3g}); "
        "it ended {dist:.3g} from the minimum.",
        "**{name}** 在山谷两壁之间来回弹跳：{n} 步中 Δy 变号 {flips} 次（每次摆幅 ×{ratio:.3g}）；终点距极小值 {dist:.3g}。",
    ),
    "say_crawl": (
        "**{name}** never jumps sideways but crawls: after {n} steps it is still {dist:.3g} from the minimum "
        "({pct:.0f}% of the starting distance {d0:.3g}).",
        "**{name}** 从不横跳，但走得很慢：{n} 步后距极小值仍有 {dist:.3g}（起点距离 {d0:.3g} 的 {pct:.0f}%）。",
    ),
    "say_calm": (
        "**{name}** reaches the minimum without a sideways burst: {dist:.2g} away after {n} steps; largest |Δy| "
        "after settling {jump:.2g}.",
        "**{name}** 没有横向爆走就到达极小值：{n} 步后距离 {dist:.2g}；进入谷底后最大 |Δy| 为 {jump:.2g}。",
    ),
    "say_same": (
        "**{a}** and **{b}** are the same path: max |difference| = {diff:.1e} over {n} steps "
        "(η/√(t+1) divided by the root MEAN square = η divided by the root of the SUM; only ε differs: ε√(t+1) vs ε).",
        "**{a}** 与 **{b}** 是同一条路径：{n} 步中最大 |差异| = {diff:.1e}"
        "（η/√(t+1) 除以均方根 = η 除以平方和的平方根；只有 ε 的位置不同：ε√(t+1) 与 ε）。",
    ),
    # formulas
    "rules": ("Update rules: the lecture vs PyTorch", "更新规则：课程公式与 PyTorch 的区别"),
    "rules_lecture_adagrad": (
        "Lecture AdaGrad: σ is the root MEAN square, so it can SHRINK (steps grow: the bursts).",
        "课程版 AdaGrad：σ 是均方根（MEAN），所以会变小（步长变大：爆走）。",
    ),
    "rules_torch_adagrad": (
        "torch.optim.Adagrad: σ is the root of the SUM, which never shrinks (steps only shrink). "
        "Lecture form with η_t = η/√(t+1) gives the same points.",
        "torch.optim.Adagrad：σ 是平方和（SUM）的平方根，永不变小（步长只会变小）。课程形式配上 η_t = η/√(t+1) 得到完全相同的点。",
    ),
    "rules_rmsprop": (
        "RMSProp: the lecture starts at σ⁰ = |g⁰|; torch starts v at 0 with no bias correction (first step ≈ 10η at α = 0.99).",
        "RMSProp：课程从 σ⁰ = |g⁰| 开始；torch 从 v = 0 开始且没有 bias correction（α = 0.99 时第一步约 10η）。",
    ),
    "rules_adam": (
        "Adam = RMSProp + momentum: the direction comes from m (momentum), the size from σ (torch, with bias correction).",
        "Adam = RMSProp + momentum：方向由 m（momentum）决定，大小由 σ 决定（torch 形式，带 bias correction）。",
    ),
}
