"""User-facing text of the warm-up page: ``key: (english, chinese)`` as in :mod:`pages.lib.text`.

Technical terms the lecture keeps in English (warm-up, learning rate, RMSProp, Adam, loss,
gradient, step) stay English in the Chinese column too.
"""

from __future__ import annotations

WARMUP = {
    "title": ("Warm-up: start with a small learning rate", "Warm-up：先用小的 learning rate 起步"),
    "intro": (
        "Adaptive methods divide the step by $\\sigma$, a running size of past gradients. At the start $\\sigma$ "
        "rests on very few gradients: torch's RMSprop starts its average at 0, so its first step is about "
        "$\\eta/\\sqrt{1-\\alpha}$, ten times the learning rate. Warm-up raises $\\eta_t$ from 0 while $\\sigma$ "
        "collects data, exactly the lecture's reason. Press ▶ Play; the learning-rate panel on the right moves "
        "with the paths.",
        "自适应方法把步长除以 $\\sigma$，也就是过去 gradient 的滑动大小。刚开始时 $\\sigma$ 只基于很少几个 gradient："
        "torch 的 RMSprop 从 0 开始累积平均，所以第一步约为 $\\eta/\\sqrt{1-\\alpha}$，是 learning rate 的 10 倍。"
        "Warm-up 让 $\\eta_t$ 从 0 慢慢升高，同时 $\\sigma$ 收集足够的数据，这正是课程里的理由。"
        "按 ▶ 播放；右侧的 learning rate 小图与路径同步移动。",
    ),
    # controls
    "surface": ("Surface", "误差曲面"),
    "steps": ("Steps", "步数"),
    "optimizer": ("Optimizer", "优化器"),
    "lr": ("Peak learning rate η (lr)", "峰值学习率 η (lr)"),
    "alpha": ("α (alpha)", "α (alpha)"),
    "schedule": ("Learning-rate schedule", "学习率调度"),
    "warmup": ("Warm-up steps W", "Warm-up 步数 W"),
    "warmup_help": ("η_t rises linearly from 0 to η over the first W steps.", "前 W 步里 η_t 从 0 线性升到 η。"),
    "cosine": ("Also: warm-up, then cosine decay to 0", "再加一条：先 warm-up，再 cosine 衰减到 0"),
    "lecture": ("Also: the lecture's RMSProp (σ⁰ = |g⁰|)", "再加一条：课程写法的 RMSProp（σ⁰ = |g⁰|）"),
    "noise": ("Gradient noise (mini-batch)", "Gradient 噪声（小批量）"),
    "noise_scale": ("Noise scale s", "噪声尺度 s"),
    "batch_size": ("Batch size B", "批量大小 B"),
    "seed": ("Random seed", "随机种子"),
    "noise_help": ("Each step sees g + ξ with ξ ~ N(0, s²/B) per coordinate; every path sees the same draws.",
                   "每步使用 g + ξ，每个分量 ξ ~ N(0, s²/B)；所有路径看到相同的随机数。"),
    "fit": ("Fit the view to the paths", "视窗包含整条路径"),
    # names
    "name_none": ("{opt}, no warm-up", "{opt}，不 warm-up"),
    "name_warm": ("{opt}, warm-up {w}", "{opt}，warm-up {w} 步"),
    "name_cosine": ("{opt}, warm-up {w} + cosine", "{opt}，warm-up {w} 步 + cosine"),
    "name_lecture": ("RMSProp (lecture, σ⁰ = |g⁰|)", "RMSProp（课程写法，σ⁰ = |g⁰|）"),
    # readout
    "readout": ("What happened", "发生了什么"),
    "ro_ratio": (
        "Largest step in the first {k} steps (10% of the run): {big} without warm-up (step {i_big}), {small} "
        "with a {w}-step warm-up (step {i_small}): warm-up made it {ratio}× smaller.",
        "前 {k} 步（全程的 10%）里最大的一步：不 warm-up 时是 {big}（第 {i_big} 步），{w} 步 warm-up 时是 {small}"
        "（第 {i_small} 步）：warm-up 让它缩小到 1/{ratio}。",
    ),
    "ro_first_rmsprop": (
        "torch's RMSprop moved {r} × lr per coordinate at its very first step (1/√(1−α) = {pred}), "
        "which threw the path from loss {f0} to {fpeak} at step {k}.",
        "torch 的 RMSprop 第一步在每个坐标上移动了 {r} × lr（1/√(1−α) = {pred}），"
        "把路径从 loss {f0} 甩到第 {k} 步的 {fpeak}。",
    ),
    "ro_first_rmsprop_calm": (
        "torch's RMSprop moved {r} × lr per coordinate at its very first step (1/√(1−α) = {pred}).",
        "torch 的 RMSprop 第一步在每个坐标上移动了 {r} × lr（1/√(1−α) = {pred}）。",
    ),
    "ro_first_adam": (
        "Adam's bias correction makes its first step exactly {r} × lr per coordinate, whatever the noise: "
        "a full-size step in a direction set by one noisy gradient.",
        "Adam 的偏差修正让第一步在每个坐标上正好是 {r} × lr，不管噪声多大：这是由一个带噪声的 gradient 决定方向的满步。",
    ),
    "ro_lecture": (
        "The lecture's RMSProp starts with σ⁰ = |g⁰|: its first step was {r} × lr per coordinate and its largest "
        "early step {big}, with no warm-up at all.",
        "课程写法的 RMSProp 从 σ⁰ = |g⁰| 开始：第一步在每个坐标上是 {r} × lr，前期最大的一步是 {big}，完全不需要 warm-up。",
    ),
    "ro_tail": (
        "Mean loss over the last 10% of steps: {none} without warm-up, {warm} with warm-up, {cosine} with warm-up "
        "and cosine decay.",
        "最后 10% 步的平均 loss：不 warm-up {none}，warm-up {warm}，warm-up 加 cosine 衰减 {cosine}。",
    ),
    "ro_diverged": ("{name} diverged at step {k}.", "{name} 在第 {k} 步发散。"),
    "no_ratio": ("Warm-up could not be compared: a run made no early step.", "无法比较 warm-up：有一条路径前期没有移动。"),
    # rules
    "rules": ("Update rule and schedules", "更新规则与学习率调度"),
    "rule_note": ("Difference from the lecture / PyTorch", "与课程公式 / PyTorch 的区别"),
    # the engine's notes of the page's optimizers, translated here
    "note_rmsprop": (
        "torch starts the average at 0 with no bias correction, so the first step is about 10 lr (alpha 0.99); "
        "the lecture starts sigma at |g|.",
        "torch 从 0 开始累积平均且不做偏差修正，所以第一步约为 10 倍 lr（alpha 0.99）；课程写法让 σ 从 |g| 开始。",
    ),
    "note_adam": (
        "torch's Adam: the lecture's m/sigma with both averages bias-corrected; eps after the correction.",
        "torch 的 Adam：即课程中的 m/σ，两个平均都做了偏差修正；eps 加在修正之后。",
    ),
    "note_rmsprop_lecture": (
        "The lecture's form: sigma starts at |g0| (first step about lr); torch starts at 0 (about 10 lr).",
        "课程写法：σ 从 |g⁰| 开始（第一步约为 lr）；torch 从 0 开始（约为 10 倍 lr）。",
    ),
    "schedule_of": ("Schedule of “{name}”", "“{name}”的调度"),
}
