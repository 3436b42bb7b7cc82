"""User-facing text of the real-network page: ``key: (english, chinese)`` as in :mod:`pages.lib.text`.

The Chinese column uses the Chinese terms (损失, 梯度, 学习率, 批量大小, 特征值, 临界点, 鞍点);
only symbols (η, λ, ||g||, B, k) and optimizer names (Adam, SGD) stay as they are.
"""

from __future__ import annotations

NETWORK = {
    "title": ("Real network: the lecture's claims, measured", "真实网络：课程中的论断，实测"),
    "intro": (
        "Every other page moves on a 2D toy surface. Here a real network (2-32-1 tanh, 129 parameters, "
        "fitting y = sin(1.5 x₁)·cos(x₂) from noisy examples) is trained live, and four claims of the lecture are "
        "checked on it with its exact gradient and full Hessian. Where a claim does not hold at this size, the page "
        "says so.",
        "其它页面都在二维玩具曲面上演示。这里现场训练一个真实网络（2-32-1 tanh，129 个参数，从带噪声的样本拟合 "
        "y = sin(1.5 x₁)·cos(x₂)），用精确的梯度和完整的 Hessian 检验课程中的四个论断。"
        "哪个论断在这个规模下不成立，页面就直说。",
    ),
    "section": ("Claim", "论断"),
    "sec_stall": ("1 · A stall is not a critical point", "1 · 训练卡住不等于到了临界点"),
    "sec_ratio": ("2 · Minimum ratio: local minima are rare", "2 · 最小值比例：局部极小值很少见"),
    "sec_batch": ("3 · Batch size: flatter, but better?", "3 · 批量大小：更平坦，但更好吗？"),
    "sec_scaling": ("4 · Linear scaling with warm-up", "4 · 线性缩放与预热"),
    "settings": ("Settings of this claim", "本论断的设置"),
    "other_settings": ("Settings of the other claims", "其它论断的设置"),
    "computing": ("Training the network…", "正在训练网络……"),
    "network_line": ("Network: {sizes} tanh, {p} parameters; {n} training and {m} test examples (seed {seed}).",
                     "网络：{sizes} tanh，{p} 个参数；{n} 个训练样本、{m} 个测试样本（种子 {seed}）。"),
    "slice_line": ("The real loss as a surface: a slice of a trained {sizes} network's loss, written out in SymPy, "
                   "runs in the [playground]({race}) and the [critical-point atlas]({atlas}) like any surface.",
                   "把真实损失当作曲面：训练好的 {sizes} 网络损失的一个切面（用 SymPy 写出），可以像任何曲面一样在"
                   "[自由实验]({race})和[临界点图谱]({atlas})中运行。"),
    "readout": ("What the numbers say", "数字怎么说"),
    # --- 1 stall ------------------------------------------------------------------------------
    "lr": ("Learning rate η (gradient descent)", "学习率 η（梯度下降）"),
    "lr_help": ("Full-batch gradient descent on 200 examples. Above 2/λmax the steepest direction cannot settle.",
                "在 200 个样本上做全批量梯度下降。η 超过 2/λmax 时，最陡方向无法稳定下来。"),
    "steps": ("Steps", "步数"),
    "stall_caption": (
        "Training loss (left axis) and gradient norm ||g|| (right axis) of the same run, step by step; the faint "
        "lines are a reference run with η = {ref_lr:g}. The shaded band is the window the readout measures.",
        "同一次训练的训练损失（左轴）与梯度范数 ||g||（右轴），逐步显示；浅色线是 η = {ref_lr:g} 的参照训练。"
        "阴影区是读数所测量的窗口。",
    ),
    "question": ("Is this a critical point?", "这是临界点吗？"),
    "ans_no": (
        "**No.** Over steps {a}–{b} the loss no longer goes down (its {chunk}-step means change by {change} %), but "
        "||g|| stays between {gmin} and {gmax}: at a critical point it would be 0. It is {frac} % of ||g|| at the "
        "start ({g0}).",
        "**不是。** 在第 {a}–{b} 步，损失不再下降（每 {chunk} 步的平均值只变化 {change} %），但 ||g|| 一直在 "
        "{gmin} 到 {gmax} 之间：在临界点它应当是 0。它仍是起点处 ||g||（{g0}）的 {frac} %。",
    ),
    "ans_yes": (
        "**Close to one.** Over steps {a}–{b} the loss no longer goes down (its {chunk}-step means change by "
        "{change} %) and ||g|| has fallen to {gmax} at most, {frac} % of its start ({g0}).",
        "**接近。** 在第 {a}–{b} 步，损失不再下降（每 {chunk} 步的平均值只变化 {change} %），"
        "||g|| 最多只有 {gmax}，是起点处（{g0}）的 {frac} %。",
    ),
    "ans_moving": (
        "**Not a stall.** Over steps {a}–{b} the loss still goes down: its {chunk}-step means change by {change} %. "
        "||g|| is between {gmin} and {gmax}.",
        "**没有卡住。** 在第 {a}–{b} 步，损失仍在下降：每 {chunk} 步的平均值变化了 {change} %。"
        "||g|| 在 {gmin} 到 {gmax} 之间。",
    ),
    "ans_diverged": ("**The run blew up** at step {k}: lower η.", "**训练发散了**（第 {k} 步）：请调小 η。"),
    "ro_ref": (
        "The reference run (η = {ref_lr:g}) passes the same mean loss {loss} with ||g|| ≤ {gref}: {times}× smaller "
        "than the smallest ||g|| of the stalled run.",
        "参照训练（η = {ref_lr:g}）在达到同样的平均损失 {loss} 时 ||g|| ≤ {gref}：比卡住的那次训练的最小 ||g|| "
        "还小 {times} 倍。",
    ),
    "ro_ref_none": ("The reference run (η = {ref_lr:g}) does not reach the mean loss {loss} within {steps} steps.",
                    "参照训练（η = {ref_lr:g}）在 {steps} 步内没有达到平均损失 {loss}。"),
    "ro_sharp": (
        "Why: the top Hessian eigenvalue at the end is λmax = {sharp}, so η·λmax = {prod} (2 is the edge of "
        "stability: the steepest direction bounces across its valley). The learning rate stops the descent, not a "
        "critical point.",
        "原因：结束时 Hessian 的最大特征值 λmax = {sharp}，所以 η·λmax = {prod}（2 是稳定的边界：在最陡的方向上，"
        "参数在山谷两壁之间来回弹跳）。挡住下降的是学习率，而不是临界点。",
    ),
    "ro_sharp_stable": (
        "At the end λmax = {sharp} and η·λmax = {prod}, below 2: gradient descent is stable in every direction.",
        "结束时 λmax = {sharp}，η·λmax = {prod}，小于 2：梯度下降在每个方向上都是稳定的。",
    ),
    "axis_step": ("step", "步"),
    "axis_loss": ("training loss", "训练损失"),
    "axis_grad": ("||g||", "||g||"),
    "loss_of": ("loss, η = {lr:g}", "损失，η = {lr:g}"),
    "grad_of": ("||g||, η = {lr:g}", "||g||，η = {lr:g}"),
    "window": ("measured window", "测量窗口"),
    # --- 2 ratio ------------------------------------------------------------------------------
    "tol": ("Zero tolerance τ (relative)", "零容差 τ（相对）"),
    "tol_help": ("An eigenvalue counts as zero when |λ| ≤ τ · max|λ|. 0 counts every λ > 0 as positive.",
                 "当 |λ| ≤ τ · max|λ| 时，特征值算作 0。τ = 0 时，每个 λ > 0 都算正。"),
    "point": ("Point for the histogram (snapshot number)", "直方图所用的点（快照编号）"),
    "point_help": ("Training snapshot 1 … {n}, every {every} epochs of Adam; the point is where Newton on the "
                   "gradient ended from it.", "训练快照 1 … {n}，Adam 每 {every} 个轮次一个；所用的点是从该快照出发、"
                   "对梯度做 Newton 迭代后停下的位置。"),
    "ratio_caption": (
        "Adam trains the network; from each of its snapshots, Newton's method on the gradient descends to where "
        "||g|| stops falling; there the full 129 × 129 Hessian is diagonalised. Minimum ratio = (number of "
        "positive eigenvalues) / 129: 1 would be a local minimum.",
        "先用 Adam 训练网络；从每个训练快照出发，对梯度做 Newton 迭代，直到 ||g|| 不再下降；在那里把完整的 "
        "129 × 129 Hessian 对角化。最小值比例 = 正特征值的个数 / 129：等于 1 才是局部极小值。",
    ),
    "scatter_title": ("Minimum ratio vs training loss", "最小值比例与训练损失"),
    "hist_title": ("Eigenvalues at point {i}", "第 {i} 个点的特征值"),
    "axis_ratio": ("minimum ratio", "最小值比例"),
    "axis_eig": ("eigenvalue λ (signed log scale)", "特征值 λ（带符号的对数刻度）"),
    "axis_count": ("count", "个数"),
    "at_tol": ("τ = {tol}", "τ = {tol}"),
    "at_zero": ("τ = 0", "τ = 0"),
    "chosen": ("point {i}", "第 {i} 个点"),
    "neg": ("negative", "负"),
    "zero": ("zero (|λ| ≤ τ·max|λ|)", "零（|λ| ≤ τ·max|λ|）"),
    "pos": ("positive", "正"),
    "band": ("zero band", "零区间"),
    "ro_ratio": (
        "Median minimum ratio over {n} points: **{med}** at τ = {tol} (range {lo}–{hi}); **{med0}** at τ = 0. "
        "The lecture's figure: mostly 0.5–0.6.",
        "{n} 个点的最小值比例中位数：τ = {tol} 时为 **{med}**（范围 {lo}–{hi}）；τ = 0 时为 **{med0}**。"
        "课程中的图：大多在 0.5–0.6。",
    ),
    "ro_tol_matters": (
        "The ratio depends on τ: many eigenvalues are tiny. At point {i}: {neg} negative, {zero} zero and {pos} "
        "positive at τ = {tol} (ratio {r}); at τ = 0: {neg0} negative, {pos0} positive (ratio {r0}).",
        "比例取决于 τ：很多特征值非常小。第 {i} 个点：τ = {tol} 时有 {neg} 个负、{zero} 个零、{pos} 个正（比例 {r}）；"
        "τ = 0 时有 {neg0} 个负、{pos0} 个正（比例 {r0}）。",
    ),
    "ro_saddles": (
        "No point is a local minimum: every one has at least {negmin} negative eigenvalues, directions in which the "
        "loss still goes down.",
        "没有一个点是局部极小值：每个点至少有 {negmin} 个负特征值，也就是仍能让损失下降的方向。",
    ),
    "ro_some_min": (
        "{k} of {n} points have no eigenvalue below −τ·max|λ| at this τ. That does not make them minima: a minimum "
        "needs all {p} eigenvalues positive, and here most of them count as zero (undecided).",
        "在这个 τ 下，{n} 个点中有 {k} 个没有低于 −τ·max|λ| 的特征值。这并不说明它们是极小值：极小值要求全部 {p} "
        "个特征值为正，而这里大多数特征值都算作零（无法判断）。",
    ),
    "ro_flat": (
        "Honestly: none of them is an exact critical point. Newton cut ||g|| only {fmin}–{fmax}× and then stalled; "
        "{flat} of {n} ended *gradient-flat*: more than 99 % of the remaining gradient lies along eigenvectors with "
        "|λ| ≤ 0.001·max|λ|, where the Hessian cannot see it.",
        "老实说：它们都不是精确的临界点。Newton 迭代只把 ||g|| 降低了 {fmin}–{fmax} 倍就停住了；"
        "{n} 个点中有 {flat} 个是*梯度平坦*的：剩下的梯度超过 99 % 落在 |λ| ≤ 0.001·max|λ| 的特征向量方向上，"
        "Hessian 看不见它。",
    ),
    "ro_critical": ("{k} of {n} points are exact critical points (||g|| ≤ 1e-9).",
                    "{n} 个点中有 {k} 个是精确的临界点（||g|| ≤ 1e-9）。"),
    # --- 3 batch ------------------------------------------------------------------------------
    "small": ("Small batch B", "小批量 B"),
    "small_help": ("The large batch is the full batch, 64 examples.", "大批量即全批量，64 个样本。"),
    "seeds": ("Seeds (runs per batch size)", "种子数（每种批量大小的训练次数）"),
    "batch_caption": (
        "Adam (η = {lr:g}) from the same start, once with B = {small} and once with B = {large}, each trained until "
        "the training loss is {target:g}; one pair of runs per seed. Sharpness = λmax of the Hessian at the end; test "
        "loss on {m} held-out examples.",
        "Adam（η = {lr:g}）从相同的起点出发，一次用 B = {small}，一次用 B = {large}，都训练到训练损失为 {target:g}；"
        "每个种子一对训练。尖锐度 = 结束时 Hessian 的 λmax；测试损失在 {m} 个留出样本上计算。",
    ),
    "sharp_title": ("Sharpness λmax (lower = flatter)", "尖锐度 λmax（越低越平坦）"),
    "test_title": ("Test loss (lower = better)", "测试损失（越低越好）"),
    "axis_seed": ("seed", "种子"),
    "bname": ("B = {b}", "B = {b}"),
    "ro_pair": (
        "Seed {seed}: B = {small} ends at λmax {s_sharp}, test loss {s_test} after {s_ep} epochs; B = {large} at "
        "λmax {l_sharp}, test loss {l_test} after {l_ep} epochs.",
        "种子 {seed}：B = {small} 在 {s_ep} 个轮次后 λmax 为 {s_sharp}，测试损失 {s_test}；"
        "B = {large} 在 {l_ep} 个轮次后 λmax 为 {l_sharp}，测试损失 {l_test}。",
    ),
    "ro_pair_missed": ("Seed {seed}: a run did not reach the training loss {target:g} (status: {status}).",
                       "种子 {seed}：有一次训练没有达到训练损失 {target:g}（状态：{status}）。"),
    "ro_flatter": ("**Flatter:** the small batch ends flatter in {k} of {n} seeds (mean λmax {s} vs {l}).",
                   "**更平坦：** 在 {n} 个种子中有 {k} 个，小批量结束时更平坦（平均 λmax {s} 对 {l}）。"),
    "ro_better": ("**Test loss:** the small batch is lower in {k} of {n} seeds (mean {s} vs {l}).",
                  "**测试损失：** 在 {n} 个种子中有 {k} 个，小批量更低（平均 {s} 对 {l}）。"),
    "ro_verdict_no": (
        "So at this size the lecture's \"small batch generalises better\" does **not** reproduce: flatter here does "
        "not buy a lower test loss.",
        "所以在这个规模下，课程说的“小批量泛化更好”**没有**重现：这里更平坦并没有换来更低的测试损失。",
    ),
    "ro_verdict_yes": ("Here the small batch is both flatter and better on the test set, as the lecture says.",
                       "这里小批量既更平坦，在测试集上也更好，与课程所说一致。"),
    "ro_verdict_mixed": ("The picture is mixed: neither batch size wins on both counts in every seed.",
                         "结果参差不齐：没有哪种批量大小在每个种子上两方面都胜出。"),
    # --- 4 scaling ----------------------------------------------------------------------------
    "k": ("Batch ×k", "批量 ×k"),
    "k_help": ("Small batch B = {b} with SGD η = {lr:g}; the large batch is k·B.", "小批量 B = {b}，SGD η = {lr:g}；大批量为 k·B。"),
    "warmup": ("Warm-up epochs", "预热轮数"),
    "warmup_help": ("η rises linearly from 0 over these epochs (0: no warm-up).", "在这些轮次内 η 从 0 线性升高（0 表示不预热）。"),
    "scaling_caption": (
        "Training loss per epoch (log scale), {epochs} epochs of SGD. The rule: multiply the batch by k, multiply η by k.",
        "每个轮次的训练损失（对数刻度），SGD 训练 {epochs} 个轮次。规则：批量乘以 k，η 也乘以 k。",
    ),
    "axis_epoch": ("epoch", "轮次"),
    "n_small": ("B = {b}, η = {lr:g}", "B = {b}，η = {lr:g}"),
    "n_scaled": ("B = {b}, η = {lr:g}, {w} warm-up epochs", "B = {b}，η = {lr:g}，预热 {w} 个轮次"),
    "n_unscaled": ("B = {b}, η = {lr:g} (not scaled)", "B = {b}，η = {lr:g}（未缩放）"),
    "n_nowarm": ("B = {b}, η = {lr:g}, no warm-up", "B = {b}，η = {lr:g}，不预热"),
    "ro_gap": ("{name}: mean distance to the small-batch curve {gap} decades; final loss {loss}{note}.",
               "{name}：与小批量曲线的平均距离 {gap} 个数量级；最终损失 {loss}{note}。"),
    "ro_gap_diverged": ("{name}: diverged at update {k}.", "{name}：在第 {k} 次更新时发散。"),
    "diverged_note": (" (diverged)", "（发散）"),
    "ro_scaling_verdict_yes": ("With η ×{k} the large batch tracks the small-batch curve per epoch; with the same η it "
                               "lags ({ratio}× higher final loss).",
                               "η ×{k} 时，大批量按轮次跟上了小批量的曲线；η 不变时它落后（最终损失高 {ratio} 倍）。"),
    "ro_scaling_verdict_no": (
        "With η ×{k} the large batch does not track the small-batch curve here (η = {lr:g}: η·λmax at the start is "
        "{prod}; above 2 gradient descent is unstable in the steepest direction).",
        "η ×{k} 时，大批量在这里没有跟上小批量的曲线（η = {lr:g}：起点处 η·λmax = {prod}；超过 2 时，"
        "梯度下降在最陡的方向上不稳定）。",
    ),
    "ro_warm_unneeded": (
        "Warm-up is not needed at this size: without it the scaled run tracks as well ({gap} decades), because "
        "η = {lr:g} is stable from the first step (η·λmax at the start = {prod} < 2).",
        "在这个规模下预热并不需要：不预热时缩放后的训练同样跟得上（{gap} 个数量级），因为 η = {lr:g} "
        "从第一步起就是稳定的（起点处 η·λmax = {prod} < 2）。",
    ),
    "ro_warm_unneeded_anyway": ("Without warm-up the scaled run tracks as well here ({gap} decades).",
                                "不预热时，缩放后的训练在这里同样跟得上（{gap} 个数量级）。"),
    "ro_warm_needed": ("Without warm-up the scaled run does worse ({gap} decades from the small-batch curve): here "
                       "warm-up is needed.", "不预热时缩放后的训练更差（与小批量曲线相差 {gap} 个数量级）：这里需要预热。"),
    # --- exports ------------------------------------------------------------------------------
    "export_csv": ("Data of this view (CSV)", "本视图的数据（CSV）"),
    "export_html": ("Figures (offline HTML)", "图（离线 HTML）"),
    "export_code": ("Python that reproduces these runs:", "复现这些训练的 Python 代码："),
}
