"""User-facing text of the basin-map page: ``key: (english, chinese)`` as in :mod:`pages.lib.text`.

Technical terms the lecture keeps in English (gradient, learning rate, momentum, loss, step, saddle
point ...) stay English in the Chinese column where the lecture does so.
"""

from __future__ import annotations

BASINS = {
    "title": ("Basin map: where does each start end?", "吸引域地图：每个起点最后停在哪里？"),
    "intro": (
        "Every cell of the map is one start: the optimizer runs from there and the cell takes the colour of the "
        "critical point it ends at. Several optimizers share the same grid, so their basins can be compared. "
        "Drag a small box on a map (box-select tool) to race the optimizers from its centre.",
        "地图上的每个格子都是一个起点：优化器从那里出发，格子被涂成它最终停住的 critical point 的颜色。"
        "几个优化器使用同一个网格，因此可以直接比较它们的吸引域。在图上拖一个小方框（框选工具），"
        "就让这些优化器从方框中心开始赛跑。",
    ),
    # controls
    "surface": ("Surface", "误差曲面"),
    "optimizers": ("Optimizers (side by side)", "优化器（并排比较）"),
    "optimizer": ("Optimizer {i}", "优化器 {i}"),
    "lr": ("Learning rate η{i} (lr)", "学习率 η{i} (lr)"),
    "lam": ("Momentum λ (momentum)", "动量系数 λ (momentum)"),
    "lam_help": ("Used by the momentum optimizers (lecture and Nesterov).", "用于带动量的优化器（课程写法与 Nesterov）。"),
    "map": ("Map", "地图"),
    "steps": ("Steps per start", "每个起点的步数"),
    "grid": ("Grid resolution n (n × n starts)", "网格分辨率 n（n × n 个起点）"),
    "grid_help": (
        "The map fills in coarse to fine (e.g. 50 × 50, 100 × 100, 200 × 200): the first picture comes fast.",
        "地图由粗到细逐步填充（例如 50 × 50、100 × 100、200 × 200）：第一张图很快就会出现。",
    ),
    "noise": ("Gradient noise", "Gradient 噪声"),
    "noise_scale": ("Noise scale s", "噪声尺度 s"),
    "noise_help": (
        "Each step sees g + ξ with ξ ~ N(0, s²) per coordinate. With noise every start is run K times, and the "
        "colour's intensity is the probability of its most likely end.",
        "每步使用 g + ξ，每个分量 ξ ~ N(0, s²)。有噪声时每个起点跑 K 次，颜色深浅表示最常见结果的概率。",
    ),
    "seeds": ("Seeds K per start", "每个起点的随机种子数 K"),
    "seed": ("Random seed", "随机种子"),
    "start": ("Race start", "赛跑起点"),
    "start_help": (
        "Empty means the surface's suggested start. Or drag a box on a map: its centre becomes the start.",
        "留空表示使用推荐起点。也可在图上拖出一个方框，其中心即为新起点。",
    ),
    "start_set": ("Race start set to ({x:.3g}, {y:.3g}) from the map.", "已将赛跑起点设为地图上的 ({x:.3g}, {y:.3g})。"),
    "none": ("— none —", "— 不使用 —"),
    # optimizer names (legend, titles, readout)
    "opt_gd": ("Gradient descent", "Gradient descent（梯度下降）"),
    "opt_momentum": ("Momentum (lecture)", "Momentum（课程写法）"),
    "opt_nesterov": ("Nesterov momentum (torch)", "Nesterov 动量（torch）"),
    "opt_rmsprop": ("RMSprop (torch)", "RMSprop（torch）"),
    "opt_adam": ("Adam (torch)", "Adam（torch）"),
    "opt_newton": ("Newton's method", "牛顿法"),
    "map_name": ("{opt}, η = {lr}", "{opt}，η = {lr}"),
    # progress
    "computing": ("Computing the basin maps…", "正在计算吸引域地图……"),
    "computing_map": ("{name}: {n} × {n} starts", "{name}：{n} × {n} 个起点"),
    "computed": ("Maps ready: {cells} starts per map in {time:.1f} s.", "地图已完成：每张图 {cells} 个起点，用时 {time:.1f} 秒。"),
    "cached": ("Maps ready (from the cache).", "地图已完成（来自缓存）。"),
    # figure
    "basin_of": ("basin: {name}", "吸引域：{name}"),
    "kind_minimum": ("minimum", "极小值"),
    "kind_maximum": ("maximum", "极大值"),
    "kind_saddle": ("saddle", "鞍点"),
    "kind_degenerate": ("degenerate point", "退化点"),
    "kind_curve": ("valley of minima", "极小值构成的谷线"),
    "target": ("{kind} ({x}, {y})", "{kind} ({x}, {y})"),
    "diverged": ("diverged", "发散"),
    "not_settled": ("not settled", "未停下"),
    "elsewhere": ("settled outside the window", "停在视窗之外"),
    "hover_start": ("start", "起点"),
    "hover_end": ("end", "终点"),
    "hover_steps": ("steps", "步数"),
    "hover_p": ("probability of this basin", "落入此吸引域的概率"),
    "map_caption": (
        "Same grid and colours on every map; markers: the critical points from the atlas (● minimum, × saddle, "
        "▲ maximum). Dark grey: diverged; light grey: not settled within the steps. Hover a cell for its start, end "
        "and steps.",
        "每张图使用相同的网格和颜色；标记是图谱中的 critical point（● 极小值，× 鞍点，▲ 极大值）。"
        "深灰：发散；浅灰：在给定步数内没有停下。把鼠标停在格子上可看到起点、终点和步数。",
    ),
    "noise_caption": (
        "With noise: colour intensity = probability of the most likely end over the K seeds (pale = uncertain). "
        "A noisy run never stops exactly, so it counts as ending at a critical point within {tol:.0%} of the "
        "window's diagonal.",
        "有噪声时：颜色深浅 = K 个随机种子中最常见结果的概率（越淡越不确定）。带噪声的路径不会精确停住，"
        "所以只要终点离某个 critical point 不超过视窗对角线的 {tol:.0%}，就算停在那里。",
    ),
    "legend": ("Basins", "吸引域"),
    "share": ("{pct} of the starts", "{pct} 的起点"),
    # readout
    "readout": ("What the maps say", "地图告诉我们什么"),
    "ro_shares": ("{name}: {parts}.", "{name}：{parts}。"),
    "ro_part": ("{pct} to {target}", "{pct} 到 {target}"),
    "ro_compare": ("{b} sends {pb} of the starts to {target}; {a} sends {pa}.",
                   "{b} 把 {pb} 的起点送到 {target}；{a} 只有 {pa}。"),
    "ro_carried": (
        "Of the starts from which {a} ends at {src}, {pct} take {b} elsewhere (most often to {dst}).",
        "在 {a} 停在 {src} 的那些起点中，有 {pct} 让 {b} 停在别处（最常见的是 {dst}）。",
    ),
    "ro_saddles": (
        "{name} stops at a saddle or a maximum from {pct} of the starts: it goes where the gradient is zero, "
        "not only downhill.",
        "{name} 从 {pct} 的起点出发停在鞍点或极大值：它去的是 gradient 为零的地方，而不只是往下坡走。",
    ),
    "ro_uncertain": (
        "{name}: with noise (s = {s}, K = {k}), {pct} of the cells are uncertain (their most likely end in under "
        "90% of the seeds); {near} of those lie within 2 cells of a basin border, where {base} of all cells lie.",
        "{name}：有噪声时（s = {s}，K = {k}），{pct} 的格子不确定（最常见结果少于 90% 的种子）；"
        "其中 {near} 位于吸引域边界 2 格以内，而所有格子中只有 {base} 在那里。",
    ),
    "ro_diverged": ("{name} diverged from {pct} of the starts (dark grey).", "{name} 从 {pct} 的起点出发后发散（深灰）。"),
    "ro_not_settled": ("{name} had not settled after {steps} steps from {pct} of the starts (light grey).",
                       "{name} 从 {pct} 的起点出发，{steps} 步后仍未停下（浅灰）。"),
    "ro_same": ("The maps agree on every cell.", "几张地图每个格子都一致。"),
    # race
    "race": ("Race from ({x:.3g}, {y:.3g})", "从 ({x:.3g}, {y:.3g}) 出发的赛跑"),
    "race_caption": (
        "The chosen optimizers from the race start (the same runs as the playground's). Press ▶ Play.",
        "所选优化器从赛跑起点出发（与自由实验页相同的计算）。按 ▶ 播放。",
    ),
    "race_end": ("{name} ends at {target} after {k} steps.", "{name} 在第 {k} 步停在 {target}。"),
    "race_end_open": ("{name} is at ({x}, {y}) after {k} steps, at no critical point.",
                      "{name} 在第 {k} 步位于 ({x}, {y})，不在任何 critical point 上。"),
    "race_diverged": ("{name} diverged at step {k}.", "{name} 在第 {k} 步发散。"),
    # exports
    "map_csv": ("Basin maps (CSV)", "吸引域地图（CSV）"),
    "map_python": ("Python that recomputes the maps:", "重新计算这些地图的 Python 代码："),
    "snippet_note": ("Basin maps of the page (optim.basins.basin_map), then the race.", "本页的吸引域地图（optim.basins.basin_map），然后是赛跑。"),
    "rules": ("How a cell gets its colour", "格子的颜色是怎么来的"),
    "rules_text": (
        "A start runs until it diverges, or until both |g| and its last step are ≤ 1e-8, or for the given number of "
        "steps. Its end is matched to the nearest critical point of the atlas within {tol:.0%} of the window's "
        "diagonal; otherwise the cell is 'not settled' (or 'settled outside the window'). Momentum λ = {lam}; "
        "other hyperparameters are PyTorch's defaults.",
        "每个起点一直运行，直到发散，或 |g| 与最后一步都 ≤ 1e-8，或用完给定步数。终点与图谱中最近的 critical point "
        "比较，距离不超过视窗对角线的 {tol:.0%} 就算停在那里；否则该格子为“未停下”（或“停在视窗之外”）。"
        "动量系数 λ = {lam}；其余超参数为 PyTorch 的默认值。",
    ),
}
