"""User-facing text, one table per page: a translation is a column, not a rewrite.

Every entry is ``key: (english, chinese)`` in the order of :data:`LANGS`. Formulas stay
out of these tables (LaTeX is the same in every language). To add a language, append its
code to ``LANGS`` and one more string to every tuple; ``tests/test_text.py`` checks that
every entry has every language and the same ``{placeholders}``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LANGS = ("en", "zh")
LANG_NAMES = {"en": "English", "zh": "中文"}


def translate(table: dict, text_key: str, lang: str, /, **fmt: Any) -> str:
    """Text ``text_key`` of ``table`` in ``lang``, formatted with ``fmt`` (no Streamlit: the lessons'
    models take ``lang`` from the page; ``pages.lib.links.tr`` is this with the page's language)."""
    text = table[text_key][LANGS.index(lang)]
    return text.format(**fmt) if fmt else text


def tr_for(lang: str) -> Callable[..., str]:
    """``tr(table, key, **fmt)`` in ``lang``: the page's ``pages.lib.links.tr`` for plain code."""

    def tr(table: dict, text_key: str, /, **fmt: Any) -> str:
        return translate(table, text_key, lang, **fmt)

    return tr

COMMON = {
    "app_title": ("Descent Lab", "梯度下降实验室"),
    "language": ("Language", "语言"),
    "ignored_params": (
        "Some link parameters were ignored and their defaults used: {items}.",
        "链接中的部分参数无效，已改用默认值：{items}。",
    ),
    "unknown_param": ("'{key}' is not a setting of this page", "'{key}' 不是本页的设置"),
    "bad_value": ("'{key}' has an invalid value", "'{key}' 的值无效"),
    "old_version": (
        "This link was made by another version of Descent Lab (v={got}); some settings may look different.",
        "此链接来自另一个版本的 Descent Lab（v={got}），部分设置可能不同。",
    ),
    "copy_link": ("Link to this view (copy and share)", "本视图的链接（复制后分享）"),
    "presets": ("Presets", "预设"),
    "load_preset": ("Load preset", "载入预设"),
    "choose_preset": ("Choose a preset…", "选择一个预设…"),
    "unknown_preset": ("there is no preset '{key}'", "没有名为 '{key}' 的预设"),
    "what_to_watch": ("What to watch", "看点"),
    "status_converged": ("converged at step {k}", "第 {k} 步收敛"),
    "status_diverged": ("diverged at step {k}", "第 {k} 步发散"),
    "status_budget": ("used all {k} steps", "用完全部 {k} 步"),
    "diverged_sentence": (
        "{name} diverged at step {k}: its steps grew without bound, so the path stops there (marked ✕). Try a smaller learning rate.",
        "{name} 在第 {k} 步发散：步长无限增大，路径在此终止（✕ 标记）。请尝试更小的学习率。",
    ),
    "diverged_surface": (
        "{name} stopped at step {k}: at ({x}, {y}), inside the window, the surface itself is not a finite number "
        "(f = {f}). The surface overflows there; a smaller learning rate would not change that.",
        "{name} 在第 {k} 步停止：在窗口内的 ({x}, {y}) 处，曲面本身不是有限数（f = {f}）。是曲面在那里溢出，"
        "减小学习率也无济于事。",
    ),
    "surface_nonfinite": (
        "The surface itself is not a finite number on {share} of this window (for example at ({x}, {y}), f = {f}): "
        "it overflows or is undefined there, so that region is blank and a path that reaches it stops.",
        "曲面本身在本窗口的 {share} 区域内不是有限数（例如在 ({x}, {y}) 处，f = {f}）：它在那里溢出或无定义，"
        "因此该区域留白，路径一旦走到那里就会停止。",
    ),
    "status_left": (
        "met the tolerance at step {m}, left it at step {j}; used all {k} steps",
        "第 {m} 步达到收敛阈值，第 {j} 步又离开；用完全部 {k} 步",
    ),
    "status_reconverged": (
        "converged at step {k} (first met the tolerance at step {m}, left it at step {j})",
        "第 {k} 步收敛（第 {m} 步首次达到收敛阈值，第 {j} 步又离开过）",
    ),
    "exports_help": ("Take this view with you:", "带走当前视图："),
    "export_html": ("Animation (offline HTML)", "动画（离线 HTML）"),
    "export_csv": ("Every step (CSV)", "每一步数据（CSV）"),
    "export_json": ("Every step (JSON)", "每一步数据（JSON）"),
    "copy_python": ("Copy as Python: reproduces these runs with surfaces and optim", "复制为 Python：用 surfaces 与 optim 复现这些运行"),
    "exports": ("Export", "导出"),
    "presenter_hint": ("Presenter mode: controls hidden. Remove present=1 from the link to edit.",
                       "演示模式：已隐藏控件。去掉链接中的 present=1 即可编辑。"),
}

FIGURE = {  # words drawn inside the plots (keys of pages.lib.figures.FIGURE_LABELS)
    "loss": ("loss f(θ_t)", "损失 f(θ_t)"),
    "lr": ("learning rate η_t", "学习率 η_t"),
    "step": ("effective step |Δθ_t|  (— x, ··· y)", "实际步长 |Δθ_t|  (— x, ··· y)"),
    "grad": ("gradient norm ‖∇f(θ_t)‖", "梯度范数 ‖∇f(θ_t)‖"),
    "step_axis": ("step", "步数"),
    "loss_word": ("loss", "损失"),
    "play": ("▶ Play", "▶ 播放"),
    "pause": ("❚❚ Pause", "❚❚ 暂停"),
    "slider": ("step ", "第 "),
    "diverged": ("diverged after step {k}", "第 {k} 步后发散"),
    "loss_symlog": ("loss f(θ_t), symmetric log: linear within ±{c}", "损失 f(θ_t)，对称对数：±{c} 内线性"),
    "left_window": ("left the window at step {k}", "在第 {k} 步离开视窗"),
    "left_window_note": ("{name} left the window at step {k} (▲ on the edge points to it)",
                         "{name} 在第 {k} 步离开视窗（边缘的 ▲ 指向它）"),
    "colour_linear": ("Linear colours: a log scale would flatten this surface", "线性色阶：对数色阶会把此曲面压平"),
    "minimum": ("minimum", "极小值"),
    "maximum": ("maximum", "极大值"),
    "saddle": ("saddle", "鞍点"),
    "degenerate": ("degenerate", "退化点"),
}

NAV = {  # page titles in the top bar, by url_path ("" is the home page)
    "": ("Home", "首页"),
    "playground": ("Playground", "自由实验"),
    "critical": ("Critical points", "临界点"),
    "batch": ("Batch size", "批量大小"),
    "momentum": ("Momentum", "动量"),
    "adaptive": ("Adaptive LR", "自适应学习率"),
    "warmup": ("Warm-up", "预热"),
    "basins": ("Basin map", "吸引域地图"),
    "compose": ("Build an optimizer", "组装优化器"),
    "network": ("Real network", "真实网络"),
}

PLAYGROUND = {
    "title": ("Playground", "自由实验"),
    "intro": (
        "Pick a surface and up to six optimizers, press ▶ Play, and watch them race. The panels on the right move in step with the paths.",
        "选择一个误差曲面和最多六个优化器，按 ▶ 播放，观看它们赛跑。右侧小图与路径同步。",
    ),
    "surface": ("Surface", "误差曲面"),
    "custom_formula": ("Your formula", "自定义公式"),
    "formula": ("f(x, y) =", "f(x, y) ="),
    "formula_help": (
        "Use x and y (or w1 and w2), numbers, + - * / ^, and sin cos tan exp log sqrt tanh sinh cosh abs atan atan2 sigmoid softplus min max, pi, e.",
        "可用 x、y（或 w1、w2）、数字、+ - * / ^，以及 sin cos tan exp log sqrt tanh sinh cosh abs atan atan2 sigmoid softplus min max、pi、e。",
    ),
    "formula_error": ("{message} The last valid surface is still shown.", "{message} 仍显示上一个有效曲面。"),
    "window": ("View window", "视窗范围"),
    "window_help": ("Empty means the surface's own window.", "留空表示使用曲面的默认范围。"),
    "start": ("Start point", "起点"),
    "start_help": (
        "Empty means the surface's suggested start. Or click the map: the start moves there (to the nearest"
        " round grid point). Or pick the box-select tool in the chart's toolbar and drag a box: its centre"
        " becomes the start (without the tool, a drag zooms in; double-click zooms out).",
        "留空表示使用推荐起点。也可以点击地图：起点移到该处（最近的整齐网格点）。或在图表工具栏中选择框选工具后拖出一个方框，"
        "其中心即为新起点（不选该工具时拖动会放大，双击恢复）。",
    ),
    "start_set": ("Start set to ({x:.4g}, {y:.4g}) from the map.", "已根据地图将起点设为 ({x:.4g}, {y:.4g})。"),
    "steps": ("Steps", "步数"),
    "optimizers": ("Optimizers", "优化器"),
    "n_optimizers": ("How many optimizers", "优化器数量"),
    "optimizer": ("Optimizer {i}", "优化器 {i}"),
    "colour": ("Colour", "颜色"),
    "schedule": ("Learning-rate schedule", "学习率调度"),
    "schedule_kind": ("Schedule", "调度方式"),
    "warmup_steps": ("Warm-up steps (0 = none)", "预热步数（0 表示不预热）"),
    "noise": ("Gradient noise (mini-batch)", "梯度噪声（小批量）"),
    "noise_scale": ("Noise scale s", "噪声尺度 s"),
    "batch_size": ("Batch size B", "批量大小 B"),
    "seed": ("Random seed", "随机种子"),
    "noise_help": ("Each step sees g + ξ with ξ ~ N(0, s²/B) per coordinate.", "每步使用 g + ξ，每个分量 ξ ~ N(0, s²/B)。"),
    "view": ("View", "显示"),
    "log_colour": ("Log colour scale", "对数色阶"),
    "log_loss": ("Log loss axis", "损失取对数坐标"),
    "show_3d": ("3D view", "三维视图"),
    "show_points": ("Show critical points", "显示临界点"),
    "readout": ("Readout", "结果"),
    "col_optimizer": ("Optimizer", "优化器"),
    "col_final": ("Final point", "终点"),
    "col_loss": ("Final loss", "最终损失"),
    "col_steps": ("Steps used", "所用步数"),
    "col_status": ("Status", "状态"),
    "rules": ("Update rules", "更新规则"),
    "derivatives": ("f, gradient and Hessian", "f、梯度与 Hessian"),
    "lr_plot": ("Learning rate over steps", "学习率随步数变化"),
    "torch_note": ("Difference from PyTorch / the lecture", "与 PyTorch / 课程公式的区别"),
}

HOME = {
    "tagline": (
        "See how optimizers move on 2D error surfaces: saddle points, momentum, adaptive learning rates, warm-up and batch noise, exactly as the lecture describes them.",
        "在二维误差曲面上观察优化器如何移动：鞍点、动量、自适应学习率、预热与批量噪声，与课程所讲完全一致。",
    ),
    "pages": ("Pages", "页面"),
    "playground_blurb": (
        "Race up to six optimizers on any surface (catalog or your own formula), with loss, learning rate, effective step and gradient norm in step with the paths.",
        "在任意曲面（目录或自定义公式）上让最多六个优化器赛跑，损失、学习率、有效步长与梯度范数同步显示。",
    ),
    "gallery": ("Preset gallery", "预设一览"),
    "gallery_help": ("Each card opens its page in that state, ready to press ▶ Play. Add present=1 to a link for presenter mode.",
                     "每张卡片都会把对应页面打开到该状态，直接按 ▶ 播放即可。在链接后加 present=1 进入演示模式。"),
    "open": ("Open", "打开"),
    "critical_blurb": ("Find and classify every critical point with the Hessian; the saddle-escape lab.",
                       "用 Hessian 找出并分类所有临界点；鞍点逃逸实验。"),
    "batch_blurb": ("Real mini-batches: full batch stalls at a saddle, small batches escape; the time trade-off.",
                    "真实的小批量：全批量停在鞍点，小批量逃离；时间上的权衡。"),
    "momentum_blurb": ("Momentum rolls past a shallow dip; the movement as a weighted sum of past gradients.",
                       "动量滚过浅坑；移动量是过去梯度的加权和。"),
    "adaptive_blurb": ("AdaGrad, RMSProp, Adam: per-coordinate steps, and the lecture's AdaGrad burst.",
                       "AdaGrad、RMSProp、Adam：逐坐标步长，以及课程中 AdaGrad 的横向爆冲。"),
    "warmup_blurb": ("RMSProp's first step is 10× the learning rate; warm-up tames it.",
                     "RMSProp 的第一步是学习率的 10 倍；预热可以驯服它。"),
    "basins_blurb": ("Every start on a grid coloured by where it ends: momentum's, Newton's and noisy basins side by side.",
                     "网格上的每个起点按它最终停住的位置上色：并排比较 momentum、牛顿法和带噪声时的吸引域。"),
    "compose_blurb": ("The lecture's summary rule θ ← θ − (η_t/σ)·m from its three parts: which optimizer they make, "
                      "and a race against the named ones.",
                      "用课程的总规则 θ ← θ − (η_t/σ)·m 的三个部分组装优化器：看它是哪个优化器，并与已命名的优化器赛跑。"),
    "network_blurb": ("A real 129-parameter network trained live: stalls with a large gradient, the minimum ratio, "
                      "batch size and linear scaling, measured.",
                      "现场训练一个 129 个参数的真实网络：梯度很大却卡住、最小值比例、批量大小与线性缩放，全部实测。"),
}
