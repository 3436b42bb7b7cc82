"""User-facing text of the batch-size page: ``key: (english, chinese)`` as in :mod:`pages.lib.text`.

Technical terms the lecture keeps in English (batch, batch size, epoch, update, saddle point,
loss, GPU) stay English in the Chinese column too.
"""

from __future__ import annotations

BATCH = {
    "title": ("Batch size and saddle points", "Batch size 与 saddle point"),
    "intro": (
        "The loss is an average over examples. A batch of B examples sees only its own average, so every update "
        "follows a slightly different error surface. Here several batch sizes train the same model from the same "
        "start; the race runs on an epoch clock (examples seen ÷ N), so full batch moves once per epoch and B = 1 "
        "moves N times.",
        "Loss 是所有样本 loss 的平均。一个 batch 只看到 B 个样本的平均，所以每次 update 沿着一个略有不同的 "
        "error surface 前进。这里几种 batch size 从同一起点训练同一个模型；赛跑按 epoch 计时（已看过的样本数 ÷ N），"
        "所以 full batch 每个 epoch 只走一步，而 B = 1 走 N 步。",
    ),
    "about": ("How this page works", "本页说明"),
    # controls
    "data": ("Data set and model", "数据集与模型"),
    "dataset": ("Data set", "数据集"),
    "ds_pca": ("One-neuron autoencoder (saddles)", "单神经元自编码器（有 saddle point）"),
    "ds_linreg": ("Linear regression (convex)", "线性回归（凸）"),
    "blurb_pca": (
        "Model: reconstruct each point z = (z1, z2) as (w·z)·w, loss ℓᵢ = ‖zᵢ − (w·zᵢ)w‖². "
        "The 32 points spread wide along z1 and narrow along z2. Minima at (±1, 0); saddle points at (0, ±1), "
        "where the average gradient is zero but every single example still pulls sideways.",
        "模型：把每个点 z = (z1, z2) 重建为 (w·z)·w，loss ℓᵢ = ‖zᵢ − (w·zᵢ)w‖²。"
        "32 个点沿 z1 分布宽、沿 z2 分布窄。极小值在 (±1, 0)；saddle point 在 (0, ±1)："
        "那里平均 gradient 为零，但每个样本各自的 gradient 仍然指向侧面。",
    ),
    "blurb_linreg": (
        "Model: ŷ = w1·x + w2 on 32 noisy points, squared error. One bowl, one minimum: batches only add noise.",
        "模型：ŷ = w1·x + w2，拟合 32 个带噪声的点，平方误差。一个碗、一个极小值：batch 只带来噪声。",
    ),
    "batches": ("Batch sizes to race", "参赛的 batch size"),
    "n_paths": ("How many batch sizes", "batch size 的个数"),
    "batch_i": ("Batch size {i}", "第 {i} 个 batch size"),
    "batch_help": ("1 … N; N is full batch (plain gradient descent).",
                   "1 … N；等于 N 就是 full batch（普通 gradient descent）。"),
    "training": ("Training", "训练"),
    "epochs": ("Epochs", "Epoch 数"),
    "optimizer": ("Optimizer", "优化器"),
    "lr": ("Learning rate η (lr)", "学习率 η (lr)"),
    "momentum": ("Momentum λ (momentum)", "动量 λ (momentum)"),
    "seed": ("Shuffle seed", "打乱顺序的随机种子"),
    "seed_help": ("Each epoch reshuffles the examples; the same seed gives the same run.",
                  "每个 epoch 重新打乱样本；相同的种子得到完全相同的结果。"),
    "start": ("Start point (empty: the data set's)", "起点（留空：数据集默认）"),
    "hardware": ("Hardware model", "硬件模型"),
    "parallel": ("Parallel capacity P (examples at once)", "并行能力 P（一次可同时处理的样本数）"),
    "parallel_help": ("How many examples' gradients the GPU computes at once.",
                      "GPU 一次能并行计算多少个样本的 gradient。"),
    "custom_watch": (
        "Press ▶ Play. Each path is one batch size; the clock is the epoch (examples seen ÷ N), so a batch of B "
        "moves ⌈N/B⌉ times per epoch.",
        "按 ▶ 播放。每条路径对应一个 batch size；时钟是 epoch（已看过的样本数 ÷ N），"
        "所以 batch size 为 B 的路径每个 epoch 移动 ⌈N/B⌉ 次。",
    ),
    # names
    "full": ("full batch (B={b})", "full batch（B={b}）"),
    "bname": ("B={b}", "B={b}"),
    # readout
    "readout": ("What happened", "发生了什么"),
    "ro_stalled": (
        "{name} stalled at the saddle {pt}: after {k} updates ({ep} epochs) it is {dist} from it, gradient {g}, "
        "loss {loss} (the saddle's loss is {fs}).",
        "{name} 卡在 saddle point {pt}：{k} 次 update（{ep} 个 epoch）后距离它 {dist}，gradient {g}，"
        "loss {loss}（saddle point 的 loss 为 {fs}）。",
    ),
    "ro_escaped": (
        "{name} escaped: its loss fell below the saddle's ({fs}) for good at update {k} (epoch {ep}) and ended at "
        "{loss} (minimum {fmin}).",
        "{name} 逃离了：在第 {k} 次 update（第 {ep} 个 epoch）后 loss 一直低于 saddle point 的 {fs}，"
        "最终为 {loss}（最小值 {fmin}）。",
    ),
    "ro_never_near": (
        "{name} never came near a saddle; it ended at loss {loss} (minimum {fmin}) after {k} updates.",
        "{name} 从未接近 saddle point；{k} 次 update 后 loss 为 {loss}（最小值 {fmin}）。",
    ),
    "ro_stuck_other": (
        "{name} ended at loss {loss} after {k} updates, {dist} from the nearest saddle, gradient {g}: still high.",
        "{name} 在 {k} 次 update 后 loss 为 {loss}，距最近的 saddle point {dist}，gradient {g}：仍然偏高。",
    ),
    "ro_convex": (
        "{name}: {k} updates, final loss {loss} (minimum {fmin}); during the last epoch the loss moved within a range of {spread}.",
        "{name}：{k} 次 update，最终 loss {loss}（最小值 {fmin}）；最后一个 epoch 内 loss 的变化范围为 {spread}。",
    ),
    "ro_diverged": ("{name} diverged at update {k}: try a smaller learning rate.",
                    "{name} 在第 {k} 次 update 发散：请减小学习率。"),
    "ro_summary": (
        "Same data, same start, same number of epochs: only the batch size differs. The full-batch gradient at the "
        "saddle is zero, but a batch's gradient is not: the noise of small batches is what moves them off.",
        "同样的数据、同样的起点、同样的 epoch 数，只有 batch size 不同。在 saddle point 上 full batch 的 gradient 为零，"
        "但单个 batch 的 gradient 不为零：正是小 batch 的噪声把它们推离了 saddle point。",
    ),
    "col_batch": ("Batch size", "Batch size"),
    "col_updates_epoch": ("Updates / epoch", "每 epoch update 数"),
    "col_updates": ("Updates", "Update 总数"),
    "col_final": ("Final loss", "最终 loss"),
    "col_grad": ("Final ‖∇L‖", "最终 ‖∇L‖"),
    "col_status": ("Status", "状态"),
    "status_converged": ("stopped at a critical point (update {k})", "在第 {k} 次 update 停在临界点"),
    "status_diverged": ("diverged at update {k}", "第 {k} 次 update 发散"),
    "status_budget": ("ran all {k} updates", "跑完全部 {k} 次 update"),
    # loss curves
    "curves": ("Full-batch loss during training", "训练过程中的 full-batch loss"),
    "per_update": ("loss per update", "每次 update 后的 loss"),
    "per_epoch": ("loss per epoch", "每个 epoch 结束时的 loss"),
    "axis_update": ("update", "update 次数"),
    "axis_update_log": ("update (log scale)", "update 次数（对数刻度）"),
    "axis_epoch": ("epoch", "epoch"),
    "axis_loss": ("loss L(w)", "loss L(w)"),
    "curves_caption": (
        "Left: against updates, full batch needs as many updates as epochs. Right: against epochs (the same data "
        "seen), small batches have made ⌈N/B⌉ updates per epoch.",
        "左：按 update 计，full batch 的 update 次数等于 epoch 数。右：按 epoch 计（看过同样多的数据），"
        "小 batch 每个 epoch 已经 update 了 ⌈N/B⌉ 次。",
    ),
    # trade-off
    "tradeoff": ("The trade-off, live (the lecture's table)", "Trade-off 的实时模型（课上的表格）"),
    "tradeoff_caption": (
        "Model: N = {n} examples, the GPU handles P = {p} at once. One time unit = one example's gradient (no "
        "parallelism) or one parallel pass of up to P examples. Gradient noise is the exact standard deviation of "
        "a batch's gradient at the start point {pt}, from this data. Dotted lines mark the racing batch sizes.",
        "模型：N = {n} 个样本，GPU 一次处理 P = {p} 个。时间单位：一个样本的 gradient（无并行），"
        "或一次最多 P 个样本的并行计算。Gradient 噪声是在起点 {pt} 处、由这份数据算出的 batch gradient 的精确标准差。"
        "虚线标出参赛的 batch size。",
    ),
    "t_update": ("time for one update", "一次 update 的时间"),
    "t_epoch": ("time for one epoch", "一个 epoch 的时间"),
    "t_noise": ("gradient noise (std of a batch's gradient)", "gradient 噪声（batch gradient 的标准差）"),
    "t_updates": ("updates per epoch ⌈N/B⌉", "每个 epoch 的 update 数 ⌈N/B⌉"),
    "serial": ("no parallel", "无并行"),
    "parallel_l": ("with parallel (P={p})", "有并行（P={p}）"),
    "measured": ("measured at the start", "起点处实测"),
    "inv_sqrt": ("∝ 1/√B", "∝ 1/√B"),
    "axis_b": ("batch size B", "batch size B"),
    "tbl_small": ("Small (B={b})", "Small（B={b}）"),
    "tbl_large": ("Large (B={b})", "Large（B={b}）"),
    "tbl_update_serial": ("Time for one update (no parallel)", "一次 update 的时间（无并行）"),
    "tbl_update_parallel": ("Time for one update (with parallel)", "一次 update 的时间（有并行）"),
    "tbl_epoch": ("Time for one epoch (with parallel)", "一个 epoch 的时间（有并行）"),
    "tbl_noise": ("Gradient noise (std)", "Gradient 噪声（标准差）"),
    "tbl_final": ("Final full-batch loss in this run", "本次运行的最终 full-batch loss"),
    "no_small_large": ("Race at least two different batch sizes to fill the table.",
                       "至少选择两个不同的 batch size 才能填写此表。"),
}
