"""User-facing text of the critical-points page: ``key: (english, chinese)`` (see pages/lib/text.py)."""

from __future__ import annotations

CRITICAL = {
    "title": ("Critical points: local minimum or saddle?", "Critical point：是 local minimum 还是 saddle point？"),
    "intro": (
        "When the loss stops falling, the gradient may be zero at a local minimum OR at a saddle point. "
        "The Hessian's eigenvalues tell them apart, and at a saddle the eigenvector of a negative eigenvalue points downhill.",
        "当 loss 不再下降时，梯度为零的地方可能是 local minimum，也可能是 saddle point。"
        "Hessian 的特征值可以区分二者；在鞍点处，负特征值对应的特征向量指向下坡方向。",
    ),
    # sidebar
    "surface": ("Surface", "误差曲面"),
    "inspector": ("Inspector", "检查器"),
    "pick": ("Jump to a found point", "跳到找到的点"),
    "auto": ("auto", "自动"),
    "pick_help": (
        "'auto' = the first saddle (or the first point found). Typing x, y or dragging a box on the map overrides it.",
        "“自动”表示第一个鞍点（或找到的第一个点）。输入 x、y 或在图上拖框会覆盖它。",
    ),
    "px_help": (
        "Empty = the point chosen above. Or click the map (or drag a box on it): that point is inspected.",
        "留空表示上面选中的点。也可以点击地图（或拖出一个方框）：检查该处（方框取其中心）。",
    ),
    "radius": ("Taylor view radius", "泰勒视图半径"),
    "radius_help": ("Half-width of the zoomed Taylor plot. Empty = 15% of the window.", "泰勒局部图的半宽。留空为视窗的 15%。"),
    "view": ("View", "显示"),
    "log_colour": ("Log colour scale", "对数色阶"),
    "arrows": ("Eigenvector arrows at saddles", "在鞍点画特征向量箭头"),
    "lab": ("Saddle-escape lab", "鞍点逃离实验"),
    "saddle": ("Saddle", "鞍点"),
    "lab_steps": ("Steps", "步数"),
    "lab_lr": ("Learning rate η", "学习率 η"),
    "lab_lr_help": ("Empty = 0.5 / λ_max of the chosen saddle (a quarter of the stability bound).",
                    "留空表示所选鞍点的 0.5 / λ_max（稳定上限的四分之一）。"),
    "eps": ("Tiny offset ε", "微小偏移 ε"),
    "phi": ("Offset angle φ from the escape direction (°)", "偏移方向与逃离方向的夹角 φ（度）"),
    "phi_help": ("0° = exactly along the negative-eigenvalue eigenvector; 90° = along the positive one (no escape in the quadratic model).",
                 "0° 表示正好沿负特征值的特征向量；90° 表示沿正特征值方向（二次模型中不会逃离）。"),
    "ulen": ("Escape step length |u|", "逃离步长 |u|"),
    "ulen_help": ("Empty = 10% of the window.", "留空为视窗的 10%。"),
    "noise": ("SGD noise scale s", "SGD 噪声尺度 s"),
    "noise_help": ("Each step of (d) sees g + ξ, ξ ~ N(0, s²) per coordinate.", "(d) 每一步使用 g + ξ，每个分量 ξ ~ N(0, s²)。"),
    "mom": ("Momentum λ of (e)", "(e) 的动量 λ"),
    "noff": ("Newton's start offset", "牛顿法起点偏移"),
    "noff_help": ("Distance of Newton's start from the saddle (same angle φ). Empty = 5% of the window.",
                  "牛顿法起点到鞍点的距离（同一夹角 φ）。留空为视窗的 5%。"),
    "seed": ("Noise seed", "噪声种子"),
    # atlas
    "computing": ("Finding every critical point in the window…", "正在寻找视窗内的所有 critical point…"),
    "map_caption": (
        "Markers: ● minimum, ▲ maximum, ✕ saddle, ◆ degenerate. At each saddle the red arrows point along the "
        "eigenvector of the negative eigenvalue (downhill), the white ones along the positive one (uphill). "
        "The ◯ ring is the inspected point: click the map (or drag a box) to move it.",
        "标记：● 极小值，▲ 极大值，✕ 鞍点，◆ 退化点。每个鞍点处，红色箭头沿负特征值的特征向量（下坡），"
        "白色箭头沿正特征值的特征向量（上坡）。◯ 圆环是正在检查的点：点击地图（或拖一个方框）即可移动它。",
    ),
    "atlas_summary": ("{n} isolated critical point(s) found ({counts}) by {method} in {time:.2f} s.",
                      "共找到 {n} 个孤立 critical point（{counts}），方法：{method}，耗时 {time:.2f} 秒。"),
    "atlas_notes": ("How they were found", "查找过程说明"),
    "degraded": (
        "**The exact algebra was not used this time** ({why}): the points below come from a numerical (Newton) "
        "search only, which can miss points and places a degenerate point only approximately. This answer is not "
        "kept: rerun or reload the page to try the exact algebra again.",
        "**这次没有使用精确代数求解**（{why}）：下面的点只来自数值（牛顿法）搜索，可能漏掉一些点，"
        "退化点的位置也只是近似的。这个结果不会被缓存：重新运行或刷新页面即可再次尝试精确求解。",
    ),
    "degraded_busy": ("the algebra worker was busy with another page", "代数求解进程正忙于另一个页面"),
    "degraded_starting": ("the algebra worker was still starting", "代数求解进程仍在启动"),
    "degraded_timeout": ("it ran out of time", "求解超时"),
    "degraded_failed": ("it failed", "求解失败"),
    "degraded_skipped": ("it was switched off", "求解被关闭"),
    "eig_tol": (
        "Tolerance: an eigenvalue with |λ| ≤ {tol:.2g} counts as zero ({rel:g} × {scale:.3g}, the typical size of the "
        "Hessian over the window). A point found numerically is only known to some precision, so a tinier eigenvalue "
        "is not evidence of curvature: such a point is degenerate (numerically), with no stability bound and no escape direction.",
        "容差：|λ| ≤ {tol:.2g} 的特征值视为零（{rel:g} × {scale:.3g}，即视窗内 Hessian 的典型大小）。"
        "数值方法找到的点只有有限精度，更小的特征值不能说明存在曲率：这样的点是（数值上的）退化点，"
        "没有稳定上限，也没有逃离方向。",
    ),
    "no_points": ("No isolated critical point in this window.", "此视窗内没有孤立的 critical point。"),
    "curve_line": (
        "Dashed white line: a whole curve of critical points ({kind}, f = {f}) — e.g. the valley w1·w2 = 1 of the lecture's example.",
        "白色虚线：一整条 critical point 曲线（{kind}，f = {f}），例如课程例子中的山谷 w1·w2 = 1。",
    ),
    "table": ("Critical points (click a row to inspect it)", "Critical point 列表（点击一行即可检查）"),
    "col_kind": ("kind", "类型"),
    "col_lam1": ("λ₁", "λ₁"),
    "col_lam2": ("λ₂", "λ₂"),
    "col_bound": ("GD stable if η <", "GD 稳定条件 η <"),
    "bound_zero": ("none (λ_max ≈ 0)", "无（λ_max ≈ 0）"),
    # inspector
    "inspect_at": ("Inspecting θ' = ({x:.3g}, {y:.3g})", "检查点 θ' = ({x:.3g}, {y:.3g})"),
    "kind_is": ("Kind: **{kind}**", "类型：**{kind}**"),
    "not_critical": ("not a critical point (g ≠ 0: gradient descent just walks downhill)",
                     "不是 critical point（g ≠ 0：梯度下降会直接往下走）"),
    "why_saddle": (
        "One eigenvalue is negative and one positive: the Taylor term ½vᵀHv has both signs, so this is a saddle point. "
        "Moving along v₁ lowers the loss: L(θ' + u) ≈ L(θ') + ½λ₁|u|².",
        "一个特征值为负，一个为正：泰勒项 ½vᵀHv 有正有负，所以这是 saddle point。"
        "沿 v₁ 移动会降低 loss：L(θ' + u) ≈ L(θ') + ½λ₁|u|²。",
    ),
    "why_min": ("Both eigenvalues are positive: ½vᵀHv > 0 in every direction, a local minimum.",
                "两个特征值都为正：任何方向上 ½vᵀHv > 0，是 local minimum。"),
    "why_max": ("Both eigenvalues are negative: ½vᵀHv < 0 in every direction, a local maximum.",
                "两个特征值都为负：任何方向上 ½vᵀHv < 0，是 local maximum。"),
    "why_degenerate": (
        "An eigenvalue is (numerically) zero: the second-order Taylor model cannot decide the kind; "
        "higher-order terms do (the monkey saddle falls in three directions and rises in three).",
        "有特征值（在数值上）为零：二阶泰勒模型无法判断类型，需要更高阶的项（猴鞍在三个方向下降、三个方向上升）。",
    ),
    "stability": ("Gradient descent is locally stable here only if η < 2/λ_max = **{bound:.4g}**.",
                  "此处梯度下降局部稳定的条件是 η < 2/λ_max = **{bound:.4g}**。"),
    "stability_none": ("No positive eigenvalue: no learning-rate bound from curvature here.",
                       "没有正特征值：此处曲率不限制学习率。"),
    "stability_zero": (
        "No stability bound: the largest curvature λ_max = {lam:.2g} is zero within the tolerance {tol:.2g}, "
        "so 2/λ_max would be meaningless here.",
        "没有稳定上限：最大曲率 λ_max = {lam:.2g} 在容差 {tol:.2g} 内为零，此处 2/λ_max 没有意义。",
    ),
    "taylor_title": ("Taylor model (dashed) vs the surface (colours)", "泰勒二次模型（虚线）与真实曲面（颜色）"),
    "taylor_caption": (
        "Where the dashed contours of the quadratic model follow the coloured ones, the second-order Taylor expansion is accurate.",
        "虚线（二次模型的等高线）与彩色等高线重合的地方，二阶泰勒展开就是准确的。",
    ),
    "point_set": ("Inspecting ({x:.4g}, {y:.4g}) from the map.", "已根据地图检查 ({x:.4g}, {y:.4g})。"),
    # lecture example
    "lecture_title": ("The lecture's worked example", "课程中的计算示例"),
    "lecture_text": (
        "At the origin: g = (0, 0), H = [[0, -2], [-2, 0]], eigenvalues {l1} and {l2}: one negative, one positive, "
        "so the origin is a saddle point, not a local minimum. The escape direction is the eigenvector of {l1}: "
        "u = (1, 1)/√2 ≈ ({u1:.3f}, {u2:.3f}). Moving along it lowers L: L(r·u) = (1 - r²/2)² < 1 = L(0) "
        "for 0 < r < 2; for example r = {r:g} gives L = {lr:.4f} (the Taylor model says 1 - r² = {taylor:.4f}).",
        "在原点：g = (0, 0)，H = [[0, -2], [-2, 0]]，特征值为 {l1} 和 {l2}：一负一正，所以原点是 saddle point，"
        "而不是 local minimum。逃离方向是特征值 {l1} 的特征向量：u = (1, 1)/√2 ≈ ({u1:.3f}, {u2:.3f})。"
        "沿它移动会降低 L：当 0 < r < 2 时 L(r·u) = (1 - r²/2)² < 1 = L(0)；例如 r = {r:g} 时 L = {lr:.4f}"
        "（泰勒模型给出 1 - r² = {taylor:.4f}）。",
    ),
    # lab
    "lab_intro": (
        "Six runs from the chosen saddle θ' = ({x:.4g}, {y:.4g}), λ₁ = {l1:.4g}, λ₂ = {l2:.4g}, η = {lr:.4g}. "
        "Press ▶ Play. Right: distance from the saddle (log scale) with the lecture's prediction.",
        "从所选鞍点 θ' = ({x:.4g}, {y:.4g}) 出发的六个实验，λ₁ = {l1:.4g}，λ₂ = {l2:.4g}，η = {lr:.4g}。"
        "按 ▶ 播放。右图：到鞍点的距离（对数坐标）与课程公式的预测。",
    ),
    "no_saddle": (
        "No saddle point (one negative and one positive eigenvalue) was found in this window, so there is no direction "
        "of negative curvature to escape along. Try the lecture example or Himmelblau.",
        "此视窗内没有找到 saddle point（一负一正的特征值），因此没有可以逃离的负曲率方向。请试试课程例子或 Himmelblau。",
    ),
    "path_a": ("(a) GD at the saddle", "(a) 在鞍点上的 GD"),
    "path_b": ("(b) GD from θ' + ε", "(b) 从 θ' + ε 出发的 GD"),
    "path_c": ("(c) escape step θ' + u, then GD", "(c) 逃离一步 θ' + u，再 GD"),
    "path_d": ("(d) noisy SGD at the saddle", "(d) 在鞍点上的带噪 SGD"),
    "path_e": ("(e) momentum from θ' + ε", "(e) 从 θ' + ε 出发的动量法"),
    "path_f": ("(f) Newton near the saddle", "(f) 鞍点附近的牛顿法"),
    "predicted": ("predicted ε(1 + η|λ₁|)ᵗ", "预测 ε(1 + η|λ₁|)ᵗ"),
    "step_t": ("step t", "第 t 步"),
    "dist_title": ("Distance from the saddle ‖θₜ − θ'‖", "到鞍点的距离 ‖θₜ − θ'‖"),
    "dist_zero": ("(a) stays at distance 0 (below the log axis)", "(a) 距离始终为 0（在对数轴之下）"),
    "watch": ("What to notice", "看点"),
    "cap_a": ("**(a)** never moves: at the saddle g = 0 exactly, so every step −ηg is zero (distance after {k} steps: {d:.3g}).",
              "**(a)** 完全不动：鞍点处 g 恰好为 0，每一步 −ηg 都是零（{k} 步后的距离：{d:.3g}）。"),
    "cap_b": (
        "**(b)** the tiny offset grows by 1 + η|λ₁| = {q:.3f} per step, as the Taylor model predicts (dashed line): "
        "predicted {pred} steps to reach distance {D:.3g}, observed {obs}.",
        "**(b)** 微小偏移每步放大 1 + η|λ₁| = {q:.3f} 倍，与泰勒模型的预测（虚线）一致：预测 {pred} 步到达距离 {D:.3g}，实际 {obs} 步。",
    ),
    "cap_c": (
        "**(c)** the lecture's step θ = θ' + u along v₁ lowers L at once: from {f0:.4g} to {f1:.4g} "
        "(Taylor: ½λ₁|u|² = {drop:.3g}); descent then continues from there.",
        "**(c)** 课程中的一步 θ = θ' + u（沿 v₁）立即降低 L：从 {f0:.4g} 降到 {f1:.4g}（泰勒预测：½λ₁|u|² = {drop:.3g}），之后梯度下降继续。",
    ),
    "cap_d": ("**(d)** the same start as (a), but the noisy gradient (small batch) kicks it off the saddle: distance {D:.3g} reached at step {obs}.",
              "**(d)** 与 (a) 相同的起点，但带噪声的梯度（小 batch）把它踢离鞍点：第 {obs} 步到达距离 {D:.3g}。"),
    "cap_e": ("**(e)** momentum from the same offset as (b) builds up speed along the escape direction: distance {D:.3g} at step {obs} (GD: {gd}).",
              "**(e)** 与 (b) 相同起点的动量法沿逃离方向不断加速：第 {obs} 步到达距离 {D:.3g}（GD：{gd}）。"),
    "cap_f": (
        "**(f)** Newton's method is attracted INTO the saddle: distance {d0:.3g} → {d1:.2g} after {k} steps. "
        "It jumps to the critical point of the quadratic model, whatever its kind — a small gradient is not a minimum.",
        "**(f)** 牛顿法被吸引进鞍点：距离 {d0:.3g} → {d1:.2g}（{k} 步）。它会跳到二次模型的 critical point，不管是哪种——梯度小不等于 minimum。",
    ),
    "never": ("never", "从未"),
    "lab_math": ("The math behind the lab", "实验背后的数学"),
    "snippet_note": (
        "The escape lab at the saddle ({x:.4g}, {y:.4g}). Path (c) starts AFTER the lecture's escape step "
        "theta' + u (the page draws the saddle in front of it).",
        "鞍点 ({x:.4g}, {y:.4g}) 处的逃离实验。路径 (c) 从课程中的逃离一步 theta' + u 之后开始"
        "（页面在它前面画出了鞍点）。",
    ),
}

KIND_NAMES = {
    "minimum": ("local minimum", "local minimum（局部极小值）"),
    "maximum": ("local maximum", "local maximum（局部极大值）"),
    "saddle": ("saddle point", "saddle point（鞍点）"),
    "degenerate": ("degenerate (numerically: an eigenvalue is 0 within the tolerance)",
                   "退化点（数值上：有特征值在容差内为 0）"),
    "minimum (non-isolated)": ("minima (non-isolated)", "极小值（非孤立）"),
    "maximum (non-isolated)": ("maxima (non-isolated)", "极大值（非孤立）"),
    "degenerate (non-isolated)": ("degenerate (non-isolated)", "退化点（非孤立）"),
}


# The atlas' notes (surfaces.atlas, surfaces.algebra_client: English, from the engine) in Chinese:
# (pattern of the English note, the Chinese with the same groups). A note no pattern knows is shown
# as it is (see model.note_text).
ATLAS_NOTES_ZH = (
    (r"a non-isolated set of critical points was detected numerically and reported as a curve",
     "数值上发现了一组非孤立的 critical point，已作为曲线画出"),
    (r"exact algebra skipped: no time allowed for it \(timeout <= 0\); Newton search used",
     "跳过精确代数：没有给它时间（timeout <= 0）；改用牛顿法搜索"),
    (r"not a polynomial: exact algebra does not apply; Newton search used", "不是多项式：精确代数不适用；改用牛顿法搜索"),
    (r"more than (\d+) critical points: only the \d+ with the smallest \|grad\| are listed",
     r"critical point 超过 \1 个：只列出 |grad| 最小的 \1 个"),
    (r"the gradient is identically zero: every point is critical", "梯度恒为零：每个点都是 critical point"),
    (r"algebra: (.*)", r"代数：\1"),
    (r"Newton still found (\d+) new point\(s\) in its last pass \((\d+) x \d+ seeds(, then the time budget ran out)?\)"
     r": the list may be incomplete", r"牛顿法在最后一轮（\2 × \2 个起点）仍找到 \1 个新点：列表可能不完整"),
    (r"Newton search: one pass of (\d+) x \d+ seeds only \(time budget\); the list may be incomplete",
     r"牛顿法搜索：时间预算只够一轮 \1 × \1 个起点；列表可能不完整"),
    (r"Newton found (\d+) point\(s\) the exact algebra did not: check them", r"牛顿法找到了 \1 个精确代数没有找到的点：请检查"),
    (r"non-smooth (\w+) at \(([^)]*)\): the gradient is undefined there", r"不光滑的 \1，位于 (\2)：那里梯度没有定义"),
    (r"index check failed: .*", "指数检验失败：找到的点的指数之和不等于窗口边界上 grad f 的环绕数：有 critical point 被漏掉"),
    (r"exact algebra skipped: the algebra worker is busy with another page", "跳过精确代数：代数进程正忙于另一个页面"),
    (r"exact algebra failed: the algebra worker exited while starting; Newton search used",
     "精确代数失败：代数进程在启动时退出；改用牛顿法搜索"),
    (r"exact algebra unavailable: the worker did not start within ([\d.]+) s; Newton search used \(the next call "
     r"starts a new worker\)", r"精确代数不可用：代数进程在 \1 秒内没有启动；改用牛顿法搜索（下一次会启动新进程）"),
    (r"exact algebra skipped: the algebra worker is still starting; Newton search used",
     "跳过精确代数：代数进程仍在启动；改用牛顿法搜索"),
    (r"exact algebra failed: the worker exited", "精确代数失败：代数进程已退出"),
    (r"exact algebra failed: the algebra worker exited; Newton search used", "精确代数失败：代数进程已退出；改用牛顿法搜索"),
    (r"exact algebra timed out after ([\d.]+) s; Newton search used", r"精确代数在 \1 秒后超时；改用牛顿法搜索"),
    (r"exact algebra failed \((.*)\); Newton search used", r"精确代数失败（\1）；改用牛顿法搜索"),
)
