"""User-facing text of the "Build an optimizer" page: ``key: (english, chinese)`` as in :mod:`pages.lib.text`.

The pieces' own names (m, σ) come from the engine's tables (``optim.compose_parts.M_PIECES`` /
``SIGMA_PIECES``, each with en and zh); this table has everything else the page shows. Technical terms
the lecture keeps in English (learning rate, warm-up, RMSProp, Adam, loss, gradient, step) stay English
in the Chinese column too.
"""

from __future__ import annotations

COMPOSE = {
    "title": ("Build an optimizer", "组装优化器"),
    "intro": (
        "The lecture ends on one rule for every method it taught: "
        "$\\theta^{t+1} = \\theta^{t} - (\\eta_t / \\sigma^{t})\\, m^{t}$. The methods differ only in how "
        "$m$ (the direction), $\\sigma$ (the per-coordinate size) and $\\eta_t$ (the schedule) are computed. Pick "
        "the three parts, read which optimizer they make, and race it against the named ones. Press ▶ Play.",
        "课程最后把讲过的所有方法总结成一条规则："
        "$\\theta^{t+1} = \\theta^{t} - (\\eta_t / \\sigma^{t})\\, m^{t}$。各种方法的区别只在于 "
        "$m$（方向）、$\\sigma$（每个坐标的尺度）和 $\\eta_t$（学习率调度）怎么计算。选出这三部分，"
        "看它们组成了哪个优化器，再和已命名的优化器赛跑。按 ▶ 播放。",
    ),
    # pickers
    "parts": ("The three parts", "三个部分"),
    "m": ("m: the direction", "m：方向"),
    "sigma": ("σ: the per-coordinate size", "σ：每个坐标的尺度"),
    "eta": ("η_t: the learning-rate schedule", "η_t：学习率调度"),
    "lam": ("Momentum λ (momentum)", "动量 λ (momentum)"),
    "damp": ("Dampening d (dampening)", "阻尼 d (dampening)"),
    "beta1": ("β1 (betas[0])", "β1 (betas[0])"),
    "m_bc": ("Bias correction of m: m / (1 − β1^(t+1))", "m 的偏差修正：m / (1 − β1^(t+1))"),
    "s0": ("Initial accumulator s₀ (initial_accumulator_value)", "初始累加值 s₀ (initial_accumulator_value)"),
    "alpha": ("α (alpha)", "α (alpha)"),
    "beta2": ("β2 (betas[1])", "β2 (betas[1])"),
    "s_bc": ("Bias correction of σ: v / (1 − β2^(t+1))", "σ 的偏差修正：v / (1 − β2^(t+1))"),
    "eps": ("ε (eps; empty: the named optimizer's default)", "ε (eps；留空：对应命名优化器的默认值)"),
    "eps_in": ("ε inside the root: √(σ² + ε)", "ε 放在根号内：√(σ² + ε)"),
    "other_settings": ("Settings of the other pieces", "其他部分的设置"),
    "lr": ("Peak learning rate η (lr)", "峰值学习率 η (lr)"),
    "sched": ("Schedule", "调度方式"),
    "warmup": ("Warm-up steps W", "Warm-up 步数 W"),
    "warmup_help": ("η_t rises linearly from 0 to η over the first W steps, then the schedule runs.",
                    "前 W 步里 η_t 从 0 线性升到 η，之后按所选调度变化。"),
    # race
    "race": ("Race against", "对手"),
    "vs": ("Named optimizer {i}", "已命名优化器 {i}"),
    "vs_help": ("Runs with the same η and, where it has them, the same λ, d, α, β1, β2 and s₀ as your parts.",
                "使用相同的 η，以及（如果有）与你的部分相同的 λ、d、α、β1、β2 和 s₀。"),
    "same_sched": ("The named optimizers use the same η_t", "已命名优化器使用相同的 η_t"),
    "same_sched_help": ("Off: they run at the constant η (to see what the schedule changes).",
                        "关闭：它们使用恒定的 η（用来看调度带来的变化）。"),
    "where": ("Surface and start", "曲面与起点"),
    "surface": ("Surface", "误差曲面"),
    "steps": ("Steps", "步数"),
    "noise": ("Gradient noise (mini-batch)", "梯度噪声（小批量）"),
    "noise_help": ("Each step sees g + ξ with ξ ~ N(0, s²/B) per coordinate; every path sees the same draws.",
                   "每步使用 g + ξ，每个分量 ξ ~ N(0, s²/B)；所有路径看到相同的随机数。"),
    "noise_scale": ("Noise scale s", "噪声尺度 s"),
    "batch_size": ("Batch size B", "批量大小 B"),
    "seed": ("Random seed", "随机种子"),
    # the rule
    "rule_general": ("The lecture's rule", "课程中的总规则"),
    "rule_yours": ("Your parts", "你选的部分"),
    # names
    "none": ("— none —", "— 无 —"),
    "name_composed_short": ("Your optimizer", "你的优化器"),
    "sched_note": (
        "η_t: {schedule}. PyTorch gets the same η_t from an LR scheduler, so the recognition holds under any schedule.",
        "η_t：{schedule}。PyTorch 用学习率调度器得到同样的 η_t，所以在任何调度下这个识别都成立。",
    ),
    "warmup_of": ("{w}-step warm-up, then {schedule}", "{w} 步 warm-up，然后{schedule}"),
    # readout
    "readout": ("What happened", "发生了什么"),
    "ro_end": ("{name}: {status}; ended at ({x}, {y}) with loss {loss}.", "{name}：{status}；停在 ({x}, {y})，损失为 {loss}。"),
    "ro_end_at": ("{name}: {status}; ended in the {kind} at ({x}, {y}), loss {loss}.",
                  "{name}：{status}；停在 ({x}, {y}) 处的{kind}，损失为 {loss}。"),
    "ro_first": (
        "Your optimizer's first step moved {dx} in x and {dy} in y, that is {rx} η and {ry} η.",
        "你的优化器第一步在 x 方向移动了 {dx}，在 y 方向移动了 {dy}，即 {rx} η 和 {ry} η。",
    ),
    "ro_same": (
        "{name} drew exactly the same points as your optimizer: the largest difference over all {n} steps is 0.",
        "{name} 画出的点和你的优化器完全相同：全部 {n} 步里最大的差是 0。",
    ),
    "ro_close": ("{name} agrees with your optimizer to {gap} (rounding) over {n} steps.",
                 "{name} 与你的优化器在 {n} 步内相差不超过 {gap}（舍入误差）。"),
    "ro_apart": ("{name} differs from your optimizer by up to {gap} (first apart by more than 1e-6 at step {k}).",
                 "{name} 与你的优化器最多相差 {gap}（第 {k} 步起相差超过 1e-6）。"),
    "ro_diverged": ("{name} diverged at step {k}.", "{name} 在第 {k} 步发散。"),
    "differences": ("Lecture and PyTorch: where these parts differ", "课程与 PyTorch：这些部分的区别"),
    "no_difference": ("These parts are written the same way in the lecture and in PyTorch.",
                      "这些部分在课程和 PyTorch 中写法相同。"),
    "rules": ("The named optimizers' update rules", "已命名优化器的更新规则"),
    "not_expressible": ("{name} cannot be built from the parts: {why}", "{name} 无法由这些部分组成：{why}"),
    "why_newton": ("it is second order (it solves with the Hessian), not (η/σ)·m.",
                   "它是二阶方法（用 Hessian 求解），不是 (η/σ)·m。"),
    "not_parts": ("{name} with these settings cannot be built from the parts.", "{name} 在这些设置下无法由这些部分组成。"),
    "made_of": ("{name} = m: {m} · σ: {sigma}", "{name} = m：{m} · σ：{sigma}"),
    "plus_wd": (" (+ weight decay {wd}, {how})", "（+ weight decay {wd}，{how}）"),
    "wd_decoupled": ("decoupled", "解耦"),
    "wd_l2": ("L2 in g", "加在 g 上的 L2"),
}

# Differences between the lecture's formula and PyTorch's, per chosen piece (shown under the race).
DIFFERENCES = {
    "m_momentum": (
        "m (lecture momentum): the lecture's movement m = λm − ηg carries each gradient's own η; torch's SGD buffer "
        "b = λb + g is multiplied by the current η. At a constant η the paths are the same (m = −ηb); under a "
        "schedule they differ.",
        "m（课程的动量）：课程的移动量 m = λm − ηg 里每个梯度带着它当时的 η；torch SGD 的缓冲 b = λb + g "
        "乘的是当前的 η。η 恒定时两者路径相同（m = −ηb）；有调度时就不同了。",
    ),
    "m_heavy_ball": (
        "m (torch heavy ball): b⁰ = g⁰ with no dampening on the first step, then b = λb + (1 − d)g, times the current η; "
        "the lecture writes m = λm − ηg instead (the same path at a constant η when d = 0).",
        "m（torch 重球）：b⁰ = g⁰，第一步不做阻尼，之后 b = λb + (1 − d)g，再乘当前的 η；课程写成 m = λm − ηg"
        "（d = 0 且 η 恒定时路径相同）。",
    ),
    "m_nesterov": (
        "m (Nesterov): torch's form looks ahead with g + λb; the lecture does not teach Nesterov.",
        "m（Nesterov）：torch 的写法用 g + λb 向前看一步；课程没有讲 Nesterov。",
    ),
    "m_ema": (
        "m (EMA): the lecture says \"Adam is RMSProp + momentum\"; torch's Adam averages m = β1 m + (1 − β1) g and, with "
        "bias correction, divides by 1 − β1^(t+1) so the first m is g itself, not 0.1 g.",
        "m（EMA）：课程说“Adam 就是 RMSProp + 动量”；torch 的 Adam 取 m = β1 m + (1 − β1) g，做偏差修正时除以 "
        "1 − β1^(t+1)，所以第一个 m 就是 g 本身，而不是 0.1 g。",
    ),
    "s_adagrad": (
        "σ (torch Adagrad): the root of the SUM of squared gradients; the lecture's AdaGrad takes the root of the MEAN, "
        "so torch's steps shrink like 1/√(t+1) faster (with η_t = η/√(t+1) the lecture's equals torch's).",
        "σ（torch Adagrad）：梯度平方和的平方根；课程的 AdaGrad 取平方的平均再开方，所以 torch 的步长多按 1/√(t+1) "
        "缩小（课程形式配上 η_t = η/√(t+1) 就等于 torch 的）。",
    ),
    "s_adagrad_mean": (
        "σ (lecture AdaGrad): the root mean square of all past gradients; torch's Adagrad uses the root of the sum.",
        "σ（课程的 AdaGrad）：所有历史梯度的均方根；torch 的 Adagrad 用平方和的平方根。",
    ),
    "s_rmsprop_lecture": (
        "σ (lecture RMSProp): σ⁰ = |g⁰|, so the first step is η per coordinate; torch starts its average v at 0, so its "
        "first step is about η/√(1 − α) (10 η for α = 0.99).",
        "σ（课程的 RMSProp）：σ⁰ = |g⁰|，所以第一步在每个坐标上是 η；torch 的平均 v 从 0 开始，所以第一步约为 "
        "η/√(1 − α)（α = 0.99 时是 10 η）。",
    ),
    "s_rmsprop": (
        "σ (torch RMSprop): v starts at 0 with no bias correction, so the first steps are about η/√(1 − α); the "
        "lecture starts σ at |g⁰|.",
        "σ（torch RMSprop）：v 从 0 开始且不做偏差修正，所以前几步约为 η/√(1 − α)；课程让 σ 从 |g⁰| 开始。",
    ),
    "s_adam": (
        "σ (Adam): torch's v is the lecture's RMSProp average started at 0; with bias correction it is divided by "
        "1 − β2^(t+1), which undoes that start (without it, it is exactly torch's RMSprop σ).",
        "σ（Adam）：torch 的 v 就是从 0 开始的课程 RMSProp 平均；偏差修正除以 1 − β2^(t+1)，抵消了从 0 开始的影响"
        "（不修正时它正是 torch RMSprop 的 σ）。",
    ),
    "s_amsgrad": (
        "σ (AMSGrad): the running maximum of Adam's v, so σ never shrinks; the lecture does not teach it.",
        "σ（AMSGrad）：Adam 的 v 的历史最大值，所以 σ 永远不会变小；课程没有讲它。",
    ),
    "eps_inside": (
        "ε inside the root (as TF1's RMSProp): every named optimizer here adds ε outside, after the root.",
        "ε 在根号内（如 TF1 的 RMSProp）：这里所有已命名的优化器都把 ε 加在根号外。",
    ),
}

# Titles of the schedule kinds (optim.schedules.SCHEDULES), translated.
SCHEDULE_NAMES = {
    "constant": ("Constant", "恒定"),
    "step": ("Step decay", "阶梯衰减"),
    "multistep": ("Multi-step decay", "多阶梯衰减"),
    "exponential": ("Exponential decay", "指数衰减"),
    "inverse_time": ("Inverse time η/(1+kt)", "反比衰减 η/(1+kt)"),
    "inverse_sqrt": ("Inverse square root η/√(t+1)", "平方根反比 η/√(t+1)"),
    "cosine": ("Cosine decay", "cosine 衰减"),
    "cosine_restarts": ("Cosine with warm restarts (SGDR)", "带热重启的 cosine（SGDR）"),
    "one_cycle": ("One-cycle (η is the peak)", "单周期（η 为峰值）"),
}

# Names of the named optimizers (optim.SPECS ids) as the race shows them.
OPTIMIZER_NAMES = {
    "gd": ("Gradient descent", "梯度下降"),
    "sgd": ("SGD (torch)", "torch 的 SGD"),
    "momentum": ("Momentum (lecture)", "动量（课程）"),
    "nesterov": ("Nesterov momentum (torch)", "Nesterov 动量（torch）"),
    "adagrad": ("Adagrad (torch)", "torch 的 Adagrad"),
    "adagrad_lecture": ("AdaGrad (lecture, RMS)", "AdaGrad（课程，均方根）"),
    "rmsprop": ("RMSprop (torch)", "torch 的 RMSprop"),
    "rmsprop_lecture": ("RMSProp (lecture)", "RMSProp（课程）"),
    "adam": ("Adam (torch)", "torch 的 Adam"),
    "adamw": ("AdamW (torch)", "torch 的 AdamW"),
    "amsgrad": ("AMSGrad (torch)", "torch 的 AMSGrad"),
    "newton": ("Newton (damped)", "牛顿法（阻尼）"),
}

KIND_NAMES = {"minimum": ("minimum", "极小值"), "maximum": ("maximum", "极大值"), "saddle": ("saddle", "鞍点"),
              "degenerate": ("degenerate point", "退化点")}
