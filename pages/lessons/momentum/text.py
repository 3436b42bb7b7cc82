"""User-facing text of the momentum page: ``key: (english, chinese)`` as in :mod:`pages.lib.text`.

Technical terms the lecture keeps in English (gradient descent, momentum, movement, gradient,
loss, learning rate, local minimum) stay English in the Chinese column too. Formulas are LaTeX in
the page, the same in every language.
"""

from __future__ import annotations

MOMENTUM = {
    "title": ("Momentum: rolling past a shallow dip", "Momentum：冲过浅坑"),
    "intro": (
        "Gradient descent moves by $-\\eta g$ and stops wherever the gradient is zero. Momentum adds the previous "
        "movement: $m^{t} = \\lambda m^{t-1} - \\eta g^{t-1}$, $\\theta^{t} = \\theta^{t-1} + m^{t}$, so a ball that has picked up speed rolls on "
        "through a small dip. Press ▶ Play, then pick a step below to see the movement taken apart.",
        "Gradient descent 每步移动 $-\\eta g$，梯度为零就停下。Momentum 再加上前一步的 movement："
        "$m^{t} = \\lambda m^{t-1} - \\eta g^{t-1}$，$\\theta^{t} = \\theta^{t-1} + m^{t}$，就像一个已经有速度的球，会滚过小坑继续前进。"
        "按 ▶ 播放，然后在下方选一步，看 movement 如何拆开。",
    ),
    # controls
    "surface": ("Surface", "误差曲面"),
    "steps": ("Steps", "步数"),
    "lr": ("Learning rate η (lr)", "学习率 η (lr)"),
    "lam": ("Momentum λ (momentum)", "动量系数 λ (momentum)"),
    "paths": ("Paths", "路径"),
    "show_gd": ("Gradient descent (same η)", "Gradient descent（同一 η）"),
    "show_torch": ("PyTorch form: SGD(momentum=λ)", "PyTorch 写法：SGD(momentum=λ)"),
    "show_nesterov": ("Nesterov: SGD(nesterov=True)", "Nesterov：SGD(nesterov=True)"),
    "schedule": ("Learning-rate schedule", "学习率调度"),
    # the three forms (the engine's notes, translated here; the formulas are the engine's LaTeX)
    "note_momentum": (
        "The lecture's form: each gradient keeps the lr of its own step; torch SGD(momentum) gives the same points "
        "only with a constant lr.",
        "课程写法：每个 gradient 保留它那一步的 lr；torch 的 SGD(momentum) 只有在 lr 不变时才走出相同的点。",
    ),
    "note_sgd": (
        "torch's form: the buffer b sums raw gradients and the current lr scales all of it; same points as the "
        "lecture's m only while the lr is constant.",
        "torch 写法：buffer b 累加原始 gradient，再由当前的 lr 整体缩放；只有 lr 不变时才与课程的 m 走出相同的点。",
    ),
    "note_nesterov": (
        "torch's Nesterov: the same buffer b, but the step uses g + λb, a look-ahead without a second gradient; "
        "it brakes earlier than plain momentum.",
        "torch 的 Nesterov：同样的 buffer b，但每步用 g + λb，相当于不额外计算 gradient 的“向前看”；"
        "它比普通 momentum 更早刹车。",
    ),
    "decay": ("Step decay: η → γη at one step", "阶梯衰减：在某一步 η → γη"),
    "decay_at": ("Decay at step", "衰减发生在第几步"),
    "gamma": ("γ (gamma)", "γ (gamma)"),
    "decay_help": (
        "torch MultiStepLR with one milestone; the same schedule for every path.",
        "相当于只有一个 milestone 的 torch MultiStepLR；所有路径使用同一调度。",
    ),
    # names
    "name_gd": ("Gradient descent", "Gradient descent"),
    "name_lecture": ("Momentum (lecture form)", "Momentum（课程写法）"),
    "name_torch": ("Momentum (PyTorch form)", "Momentum（PyTorch 写法）"),
    "name_nesterov": ("Nesterov (PyTorch)", "Nesterov（PyTorch）"),
    # readout
    "readout": ("What happened", "发生了什么"),
    "ro_passed": (
        "{gd} stopped in the dip at {p_gd} (loss {f_gd}); {mom} passed it at step {k} and settled at {p_mom} "
        "(loss {f_mom}), a {which} minimum.",
        "{gd} 停在 {p_gd} 的坑里（loss {f_gd}）；{mom} 在第 {k} 步越过它，最后停在 {p_mom}"
        "（loss {f_mom}），是一个{which}的极小值。",
    ),
    "deeper": ("deeper", "更深"),
    "shallower": ("shallower", "更浅"),
    "ro_same": (
        "{gd} and {mom} both ended at {p} (loss {f}); {mom} stayed within 0.01 of it from step {k_mom}, "
        "{gd} from step {k_gd}.",
        "{gd} 和 {mom} 都停在 {p}（loss {f}）；{mom} 从第 {k_mom} 步起保持在距它 0.01 以内，{gd} 从第 {k_gd} 步起。",
    ),
    "never": ("never", "从未"),
    "ro_end": ("{name} ended at {p} (loss {f}), {status}.", "{name} 停在 {p}（loss {f}），{status}。"),
    "ro_settled": ("settled in a minimum", "已稳定在一个极小值"),
    "ro_moving": ("still moving after {k} steps", "{k} 步后仍在移动"),
    "ro_diverged": ("{name} diverged at step {k}: η is too large for this surface.",
                    "{name} 在第 {k} 步发散：对这个曲面来说 η 太大了。"),
    "ro_forms_same": (
        "The lecture form and PyTorch's form trace the same points (largest gap {gap}): with a constant η, "
        "−η·b is exactly m.",
        "课程写法与 PyTorch 写法走出相同的点（最大差距 {gap}）：η 不变时，−η·b 恰好等于 m。",
    ),
    "ro_forms_apart": (
        "With η cut to {gamma}·η at step {at}, the two forms part at step {k} and drift up to {gap} apart: "
        "PyTorch's form ends at {p_torch} (loss {f_torch}), the lecture's at {p_lecture} (loss {f_lecture}).",
        "在第 {at} 步把 η 降到 {gamma}·η 后，两种写法从第 {k} 步分开，最远相距 {gap}："
        "PyTorch 写法停在 {p_torch}（loss {f_torch}），课程写法停在 {p_lecture}（loss {f_lecture}）。",
    ),
    "ro_nesterov": (
        "Nesterov evaluates the gradient where the momentum is taking it and brakes earlier: it ended at {p} "
        "(loss {f}).",
        "Nesterov 在动量将要到达的位置计算 gradient，因此更早刹车：它停在 {p}（loss {f}）。",
    ),
    # decomposition
    "decomp": ("One movement taken apart", "拆开一步 movement"),
    "decomp_caption": (
        "Left: at $\\theta^{t-1}$ the previous movement $\\lambda m^{t-1}$ (blue) plus the gradient step "
        "$-\\eta g^{t-1}$ (red) is the new movement $m^{t}$ (black), which lands on $\\theta^{t}$. Right: the same "
        "$m^{t}$ as a sum over every past gradient, $g^{i}$ weighted by $\\lambda^{t-1-i}\\eta$; the Σ bars are "
        "the sum and equal the real movement.",
        "左：在 $\\theta^{t-1}$ 处，前一步 movement $\\lambda m^{t-1}$（蓝）加上这一步的 gradient 项 $-\\eta g^{t-1}$（红）"
        "就是新的 movement $m^{t}$（黑），它把参数带到 $\\theta^{t}$。右：同一个 $m^{t}$ 写成所有过去 gradient 的和，"
        "$g^{i}$ 的权重是 $\\lambda^{t-1-i}\\eta$；Σ 柱是它们的和，等于真实的 movement。",
    ),
    "t_slider": ("Step t (movement m^t of the lecture-form path)", "第 t 步（课程写法路径的 movement m^t）"),
    "weights": ("weight λ^(t−1−i)·η of gradient i", "第 i 个 gradient 的权重 λ^(t−1−i)·η"),
    "contrib": ("its share of m^t: −λ^(t−1−i)·η·g^i", "它在 m^t 中的份额：−λ^(t−1−i)·η·g^i"),
    "x_part": ("x part", "x 分量"),
    "y_part": ("y part", "y 分量"),
    "older": ("older", "更早"),
    "gradient_i": ("gradient i", "第 i 个 gradient"),
    "decomp_numbers": (
        "At $t = {t}$: $\\lambda m^{{t-1}} = {prev}$, $-\\eta g^{{t-1}} = {grad}$, $m^{{t}} = {m}$; the {n} "
        "gradient bars sum to ${s}$ (difference {err}).",
        "$t = {t}$ 时：$\\lambda m^{{t-1}} = {prev}$，$-\\eta g^{{t-1}} = {grad}$，$m^{{t}} = {m}$；"
        "{n} 根 gradient 柱子之和为 ${s}$（差 {err}）。",
    ),
    "no_moves": ("This run made no movement to take apart.", "这次运行没有可拆分的 movement。"),
    # forms
    "forms": ("Three ways to write momentum", "动量的三种写法"),
    "forms_caption": (
        "The lecture keeps the movement m (each gradient scaled by the η of its own step); PyTorch keeps a "
        "buffer b of raw gradients and scales all of it by the current lr. With a constant η they give the "
        "same points; under a schedule they do not. Nesterov adds a look-ahead.",
        "课程写法记录 movement m（每个 gradient 乘以它那一步的 η）；PyTorch 记录原始 gradient 的 buffer b，"
        "再整体乘以当前的 lr。η 不变时两者走出相同的点；有学习率调度时则不同。Nesterov 则多了一步“向前看”。",
    ),
    "schedule_rule": ("Schedule used by every path", "所有路径使用的调度"),
}
