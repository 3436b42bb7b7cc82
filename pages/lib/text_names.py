"""Display names of the things links name by id: surfaces, optimizers, their parameters and the
batch page's data sets, in English and Chinese side by side (plain Python, no Streamlit).

The English names are the engines' own titles (``surfaces.CATALOG[id].title``,
``optim.SPECS[id].title``, ``optim.Param.label``), so a notebook user and the page read the
same words; this module adds the Chinese beside them. Proper names (Adam, RMSProp, AdaGrad,
Nesterov, Rosenbrock ...), torch's argument names and the math stay as they are.
"""

from __future__ import annotations

import optim
import surfaces
from optim import schedules
from surfaces import datasets, generated

_SURFACE_ZH = {
    "lecture": "课程示例 (1 - w1 w2)^2",
    "saddle": "鞍面 x^2 - y^2",
    "monkey": "猴鞍面",
    "elongated_bowl": "狭长的碗",
    "tilted_valley": "倾斜的窄山谷",
    "plateau": "平台",
    "two_dips": "深坑之前的浅坑",
    "rosenbrock": "Rosenbrock 函数",
    "himmelblau": "Himmelblau 函数",
    "beale": "Beale 函数",
    "booth": "Booth 函数",
    "six_hump_camel": "六峰驼背函数",
    "rastrigin": "Rastrigin 函数",
    "ackley": "Ackley 函数",
    "styblinski_tang": "Styblinski-Tang 函数",
    "goldstein_price": "Goldstein-Price 函数",
    "mccormick": "McCormick 函数",
    "network_slice": "真实网络 2-32-1：损失的一个切面",
}

_OPTIMIZER_ZH = {
    "gd": "梯度下降",
    "sgd": "SGD（PyTorch 写法）",
    "momentum": "动量（课程写法）",
    "nesterov": "Nesterov 动量（PyTorch 写法）",
    "adagrad": "Adagrad（PyTorch 写法）",
    "adagrad_lecture": "AdaGrad（课程写法，RMS）",
    "rmsprop": "RMSprop（PyTorch 写法）",
    "rmsprop_lecture": "RMSProp（课程写法）",
    "adam": "Adam（PyTorch 写法）",
    "adamw": "AdamW（PyTorch 写法）",
    "amsgrad": "AMSGrad（PyTorch 写法）",
    "newton": "牛顿法（阻尼）",
}

_PARAM_ZH = {  # by the English label of optim.Param
    "Learning rate η (lr)": "学习率 η (lr)",
    "Momentum λ (momentum)": "动量 λ (momentum)",
    "Dampening (dampening)": "阻尼 (dampening)",
    "Nesterov (nesterov)": "Nesterov 动量 (nesterov)",
    "Weight decay (weight_decay)": "权重衰减 (weight_decay)",
    "lr decay (lr_decay)": "学习率衰减 (lr_decay)",
    "Initial accumulator": "累加器初值 (initial_accumulator_value)",
    "ε (eps)": "ε (eps)",
    "α (alpha)": "α (alpha)",
    "α": "α",
    "Momentum (momentum)": "动量 (momentum)",
    "Centered (centered)": "中心化 (centered)",
    "β1 (betas[0])": "β1 (betas[0])",
    "β2 (betas[1])": "β2 (betas[1])",
    "AMSGrad (amsgrad)": "AMSGrad (amsgrad)",
    "Bias correction": "偏差修正 (bias correction)",
    "Step scale η (lr)": "步长比例 η (lr)",
    "Damping δ (added to H's diagonal)": "阻尼 δ（加到 H 的对角线上）",
    # the schedules' parameters (optim.schedules.SCHEDULES)
    "Warm-up steps": "预热步数",
    "Warm-up starts at (fraction of lr)": "预热起点（lr 的比例）",
    "Every (steps; 0 = a third of the run)": "每隔（步；0 表示全程的三分之一）",
    "Multiply by": "乘以",
    "At steps (0 = half and three quarters of the run)": "在第几步（0 表示全程的一半和四分之三处）",
    "Multiply each step by": "每步乘以",
    "k": "k",
    "Decay over (steps; 0 = the whole run)": "衰减跨度（步；0 表示全程）",
    "Floor (fraction of lr)": "下限（lr 的比例）",
    "First period (steps)": "第一个周期（步）",
    "Period multiplier": "周期倍数",
    "Rising part": "上升段比例",
    "Start at peak /": "起点 = 峰值 /",
    "End at start /": "终点 = 起点 /",
}

_SCHEDULE_ZH = {
    "constant": "常数",
    "step": "阶梯衰减",
    "multistep": "多阶梯衰减",
    "exponential": "指数衰减",
    "inverse_time": "反比衰减  η/(1+kt)",
    "inverse_sqrt": "平方根反比  η/√(t+1)",
    "cosine": "余弦衰减",
    "cosine_restarts": "带热重启的余弦（SGDR）",
    "one_cycle": "单周期（lr 为峰值）",
}

_PARAM_HELP_ZH = {
    "needs momentum > 0 and dampening = 0": "需要 momentum > 0 且 dampening = 0",
    "torch's Nesterov needs momentum > 0": "torch 的 Nesterov 需要 momentum > 0",
}

_NOTE_ZH = {  # optim's one-line note on how each form differs from PyTorch's / the lecture's
    "gd": "课程里最普通的 gradient descent；等于关掉所有选项的 torch SGD。",
    "sgd": "torch 的写法：buffer b 累加原始 gradient，再由当前的 lr 整体缩放；只有 lr 不变时才与课程的 m 走出相同的点。",
    "momentum": "课程写法：每个 gradient 保留它那一步的 lr；torch 的 SGD(momentum) 只有在 lr 不变时才走出相同的点。",
    "nesterov": "torch 的写法：buffer b 累加原始 gradient，再由当前的 lr 整体缩放；只有 lr 不变时才与课程的 m 走出相同的点。",
    "adagrad": "torch 的 Adagrad：σ 是平方和（sum）的平方根（课程用平均 mean）；课程写法配上 η_t = η/√(t+1) 走出相同的点。",
    "adagrad_lecture": "课程写法：σ 是均方根，可能变小（步长爆冲）；torch 的 Adagrad 用平方和。根号外的极小 eps 把 0/0 变成 0。",
    "rmsprop": "torch 从 0 开始累积平均且不做偏差修正，所以第一步约为 10 倍 lr（alpha = 0.99）；课程从 σ = |g| 开始。",
    "rmsprop_lecture": "课程写法：σ 从 |g⁰| 开始（第一步约为 lr）；torch 从 0 开始（约为 10 倍 lr）。",
    "adam": "torch 的 Adam：课程的 m/σ，两个平均都做偏差修正；eps 加在修正之后。",
    "adamw": "Weight decay 直接缩小 θ，而不进入 g，所以 σ 看不到它。",
    "amsgrad": "对 torch 的原始 v 取最大值（optax 对修正后的 v 取），所以 σ 永不变小。",
    "newton": "跳到二次模型最近的 critical point：极小值、极大值或鞍点都一样。",
}

_DATASET_ZH = {"pca": "单神经元自编码器（有鞍点）", "linreg": "线性回归（凸）"}

SURFACE_NAMES = {sid: (generated.title(sid), _SURFACE_ZH[sid]) for sid in surfaces.SURFACE_IDS}
OPTIMIZER_NAMES = {oid: (s.title, _OPTIMIZER_ZH[oid]) for oid, s in optim.SPECS.items()}
_ALL_PARAMS = ([p for s in optim.SPECS.values() for p in s.params] + list(schedules.WARMUP_PARAMS)
               + [p for s in schedules.SCHEDULES.values() for p in s["params"]])
PARAM_LABELS = {p.label: (p.label, _PARAM_ZH[p.label]) for p in _ALL_PARAMS}
SCHEDULE_NAMES = {k: (s["title"], _SCHEDULE_ZH[k]) for k, s in schedules.SCHEDULES.items()}
PARAM_HELPS = {p.help: (p.help, _PARAM_HELP_ZH[p.help]) for p in _ALL_PARAMS if p.help}
OPTIMIZER_NOTES = {oid: (optim.make(oid).note, _NOTE_ZH[oid]) for oid in optim.SPECS}
DATASET_NAMES = {d: (datasets.get(d).title, _DATASET_ZH[d]) for d in datasets.DATASET_IDS}

_INDEX = {"en": 0, "zh": 1}


def _pick(table: dict, key, lang: str, fallback: str) -> str:
    names = table.get(key)
    return names[_INDEX.get(lang, 0)] if names else fallback


def surface_name(surface_id: str, lang: str) -> str:
    return _pick(SURFACE_NAMES, surface_id, lang, str(surface_id))


def optimizer_name(opt_id: str, lang: str) -> str:
    return _pick(OPTIMIZER_NAMES, opt_id, lang, str(opt_id))


def param_label(param, lang: str) -> str:
    """The label of an ``optim.Param`` in ``lang``."""
    return _pick(PARAM_LABELS, param.label, lang, param.label)


def param_help(param, lang: str) -> str | None:
    return _pick(PARAM_HELPS, param.help, lang, param.help) if param.help else None


def dataset_name(dataset_id: str, lang: str) -> str:
    return _pick(DATASET_NAMES, dataset_id, lang, str(dataset_id))


def schedule_name(kind: str, lang: str) -> str:
    return _pick(SCHEDULE_NAMES, kind, lang, str(kind))


def optimizer_note(opt_id: str, lang: str, fallback: str = "") -> str:
    return _pick(OPTIMIZER_NOTES, opt_id, lang, fallback)
