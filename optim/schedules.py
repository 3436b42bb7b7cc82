r"""Learning-rate schedules: pure callables ``step -> lr`` with step 0 for the FIRST update.

Any function of the step is a schedule (a user's lambda works). The ones here are small frozen
dataclasses so they are also comparable, printable and carry a ``.latex`` formula (eta is the
base lr, t the step from 0). Conventions, chosen where libraries differ:

- cosine CLAMPS after T (optax ``cosine_decay``), it does not oscillate back up like torch's
  ``CosineAnnealingLR``; ``floor`` is a FRACTION of the base lr (optax ``alpha``), so one
  setting suits optimizers with different base lrs.
- :func:`warmup` starts at ``start_factor * eta`` (0 allowed, unlike torch ``LinearLR``) and rises
  linearly; at step W the wrapped schedule takes over and sees step 0 (optax join_schedules):
  lr(W-1) = eta (W-1+...)/W-ish, lr(W) = schedule(0), lr(W+1) = schedule(1).
- one_cycle follows torch ``OneCycleLR`` (cosine, div_factor 25, final_div_factor 1e4,
  pct_start 0.3) with ``lr`` as the PEAK; after the last step it stays at the minimum.

``SCHEDULES`` describes each kind's parameters with safe bounds for widgets, and
:func:`build` turns (kind, base lr, number of steps, params) into a schedule.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .specs import Param

Schedule = Callable[[int], float]


def _num(x: float) -> str:
    return f"{x:.4g}"


@dataclass(frozen=True)
class Constant:
    lr: float

    def __call__(self, step: int) -> float:
        return self.lr

    @property
    def latex(self) -> str:
        return rf"\eta_t = \eta = {_num(self.lr)}"


@dataclass(frozen=True)
class Step:
    """torch StepLR: multiply by gamma every ``step_size`` steps."""

    lr: float
    step_size: int
    gamma: float = 0.5

    def __call__(self, step: int) -> float:
        return self.lr * self.gamma ** (step // self.step_size)

    @property
    def latex(self) -> str:
        return rf"\eta_t = \eta\,\gamma^{{\lfloor t / {self.step_size} \rfloor}},\ \gamma = {_num(self.gamma)}"


@dataclass(frozen=True)
class MultiStep:
    """torch MultiStepLR: multiply by gamma at each milestone step."""

    lr: float
    milestones: tuple[int, ...]
    gamma: float = 0.1

    def __call__(self, step: int) -> float:
        return self.lr * self.gamma ** sum(step >= m for m in self.milestones)

    @property
    def latex(self) -> str:
        ms = ", ".join(str(m) for m in self.milestones)
        return rf"\eta_t = \eta\,\gamma^{{\#\{{m \in ({ms}) : t \ge m\}}}},\ \gamma = {_num(self.gamma)}"


@dataclass(frozen=True)
class Exponential:
    """torch ExponentialLR: eta * gamma^t."""

    lr: float
    gamma: float = 0.99

    def __call__(self, step: int) -> float:
        return self.lr * self.gamma ** step

    @property
    def latex(self) -> str:
        return rf"\eta_t = \eta\,\gamma^{{t}},\ \gamma = {_num(self.gamma)}"


@dataclass(frozen=True)
class InverseTime:
    """eta / (1 + k t)."""

    lr: float
    k: float = 0.1

    def __call__(self, step: int) -> float:
        return self.lr / (1.0 + self.k * step)

    @property
    def latex(self) -> str:
        return rf"\eta_t = \frac{{\eta}}{{1 + k t}},\ k = {_num(self.k)}"


@dataclass(frozen=True)
class InverseSqrt:
    """eta / sqrt(t + 1): with it the lecture's AdaGrad equals torch's."""

    lr: float

    def __call__(self, step: int) -> float:
        return self.lr / math.sqrt(step + 1.0)

    @property
    def latex(self) -> str:
        return r"\eta_t = \frac{\eta}{\sqrt{t + 1}}"


def _cosine(frac: float) -> float:
    return 0.5 * (1.0 + math.cos(math.pi * frac))


@dataclass(frozen=True)
class Cosine:
    """Cosine decay from eta to floor*eta over T steps, then held (clamped) at floor*eta."""

    lr: float
    T: int
    floor: float = 0.0

    def __call__(self, step: int) -> float:
        lo = self.floor * self.lr
        return lo + (self.lr - lo) * _cosine(min(step, self.T) / self.T)

    @property
    def latex(self) -> str:
        return (rf"\eta_t = \eta_{{\min}} + \tfrac12(\eta - \eta_{{\min}})\left(1 + \cos\frac{{\pi \min(t, T)}}{{T}}\right),"
                rf"\ T = {self.T},\ \eta_{{\min}} = {_num(self.floor)}\,\eta")


@dataclass(frozen=True)
class CosineRestarts:
    """SGDR (torch CosineAnnealingWarmRestarts): cosine over periods T_0, T_0 T_mult, ..."""

    lr: float
    T_0: int
    T_mult: int = 1
    floor: float = 0.0

    def __call__(self, step: int) -> float:
        t_cur, t_i = int(step), self.T_0
        while t_cur >= t_i:  # integer walk: no log() rounding at period boundaries
            t_cur -= t_i
            t_i *= self.T_mult
        lo = self.floor * self.lr
        return lo + (self.lr - lo) * _cosine(t_cur / t_i)

    @property
    def latex(self) -> str:
        return (rf"\eta_t = \eta_{{\min}} + \tfrac12(\eta - \eta_{{\min}})\left(1 + \cos\frac{{\pi\, t_{{cur}}}}{{T_i}}\right),"
                rf"\ T_0 = {self.T_0},\ T_i = T_0 \cdot {self.T_mult}^i")


@dataclass(frozen=True)
class OneCycle:
    """torch OneCycleLR (anneal cos, two phases): up from eta/div to eta over pct_start of the
    steps, then down to eta/(div * final_div)."""

    lr: float
    total_steps: int
    pct_start: float = 0.3
    div_factor: float = 25.0
    final_div_factor: float = 1e4

    def __call__(self, step: int) -> float:
        initial = self.lr / self.div_factor
        final = initial / self.final_div_factor
        end_up = float(self.pct_start * self.total_steps) - 1  # torch's phase boundaries
        end_down = float(self.total_steps - 1)
        step = min(step, self.total_steps - 1)
        if end_up <= 0:  # too few steps for a rising phase (torch would divide by zero)
            return _anneal_cos(self.lr, final, step / end_down)
        if step <= end_up:
            return _anneal_cos(initial, self.lr, step / end_up)
        return _anneal_cos(self.lr, final, (step - end_up) / (end_down - end_up))

    @property
    def latex(self) -> str:
        return (r"\eta_t:\ \frac{\eta}{%s} \nearrow \eta\ \text{(first %d%%%% of %d steps, cosine)}\ "
                r"\searrow \frac{\eta}{%s}" % (_num(self.div_factor), round(100 * self.pct_start), self.total_steps,
                                               _num(self.div_factor * self.final_div_factor))).replace("%%", "%")


def _anneal_cos(start: float, end: float, pct: float) -> float:
    """torch's _annealing_cos: cosine from start (pct 0) to end (pct 1)."""
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1.0)


@dataclass(frozen=True)
class Warmup:
    """Linear warm-up from start_factor * schedule(0) to schedule(0) over W steps, then the
    schedule with its step counted from the join: lr(t) = schedule(t - W) for t >= W."""

    schedule: Schedule
    warmup_steps: int
    start_factor: float = 0.0

    def __call__(self, step: int) -> float:
        w = self.warmup_steps
        if step >= w:
            return self.schedule(step - w)
        peak = self.schedule(0)
        return peak * (self.start_factor + (1.0 - self.start_factor) * step / w)

    @property
    def latex(self) -> str:
        inner = getattr(self.schedule, "latex", r"\eta_t = \text{schedule}(t)")
        return (rf"\eta_t = \eta_0\left({_num(self.start_factor)} + (1-{_num(self.start_factor)})\tfrac{{t}}{{W}}\right)"
                rf"\ (t < W = {self.warmup_steps}),\ \text{{then}}\ t \to t - W:\ " + inner)


def warmup(schedule: Schedule, warmup_steps: int, start_factor: float = 0.0) -> Schedule:
    """Join a linear warm-up to any schedule (see :class:`Warmup`). 0 steps returns it unchanged."""
    if warmup_steps <= 0:
        return schedule
    if not 0.0 <= start_factor <= 1.0:
        raise ValueError("start_factor must be in [0, 1]")
    return Warmup(schedule, int(warmup_steps), float(start_factor))


def constant(lr: float) -> Schedule:
    return Constant(float(lr))


# --- serialisable form for widgets -----------------------------------------------------------
WARMUP_PARAMS = (
    Param("warmup", "Warm-up steps", 0, 0, 5000, 1, kind="int"),
    Param("start_factor", "Warm-up starts at (fraction of lr)", 0.0, 0.0, 1.0, 0.05),
)

SCHEDULES: dict[str, dict] = {
    "constant": {"title": "Constant", "params": ()},
    "step": {"title": "Step decay", "params": (
        Param("step_size", "Every (steps; 0 = a third of the run)", 0, 0, 20000, 1, kind="int"),
        Param("gamma", "Multiply by", 0.5, 0.01, 1.0, 0.01))},
    "multistep": {"title": "Multi-step decay", "params": (
        Param("milestones", "At steps (0 = half and three quarters of the run)", (), 0, 20000, 1, kind="int_list"),
        Param("gamma", "Multiply by", 0.1, 0.01, 1.0, 0.01))},
    "exponential": {"title": "Exponential decay", "params": (
        Param("gamma", "Multiply each step by", 0.99, 0.9, 1.0, 0.001, format="%.3f"),)},
    "inverse_time": {"title": "Inverse time  η/(1+kt)", "params": (
        Param("k", "k", 0.01, 1e-4, 10.0, None, log=True, format="%.4f"),)},
    "inverse_sqrt": {"title": "Inverse square root  η/√(t+1)", "params": ()},
    "cosine": {"title": "Cosine decay", "params": (
        Param("T", "Decay over (steps; 0 = the whole run)", 0, 0, 20000, 1, kind="int"),
        Param("floor", "Floor (fraction of lr)", 0.0, 0.0, 1.0, 0.01))},
    "cosine_restarts": {"title": "Cosine with warm restarts (SGDR)", "params": (
        Param("T_0", "First period (steps)", 50, 1, 20000, 1, kind="int"),
        Param("T_mult", "Period multiplier", 1, 1, 4, 1, kind="int"),
        Param("floor", "Floor (fraction of lr)", 0.0, 0.0, 1.0, 0.01))},
    "one_cycle": {"title": "One-cycle (lr is the peak)", "params": (
        Param("pct_start", "Rising part", 0.3, 0.01, 0.99, 0.01),
        Param("div_factor", "Start at peak /", 25.0, 1.0, 1e4, None, log=True),
        Param("final_div_factor", "End at start /", 1e4, 1.0, 1e6, None, log=True))},
}


def build(kind: str, lr: float, steps: int, warmup: int = 0, start_factor: float = 0.0, **params) -> Schedule:
    """Build a schedule from its serialisable form; the result has ``.latex``.

    ``steps`` (the run length) fills the defaults that depend on it (cosine T, one-cycle
    total, step size, milestones). ``warmup`` > 0 joins a linear warm-up in front.
    Raises ``ValueError`` for an unknown kind or parameter.
    """
    if kind not in SCHEDULES:
        raise ValueError(f"unknown schedule {kind!r}; choose one of {', '.join(SCHEDULES)}")
    allowed = {p.name for p in SCHEDULES[kind]["params"]}
    unknown = set(params) - allowed
    if unknown:
        raise ValueError(f"schedule {kind!r} has no parameter(s) {', '.join(sorted(unknown))}")
    lr, steps = float(lr), max(1, int(steps))
    decay_steps = max(1, steps - int(warmup))  # what is left after the warm-up
    p = {q.name: q.clamp(params.get(q.name, q.default)) for q in SCHEDULES[kind]["params"]}
    if kind == "constant":
        sched = Constant(lr)
    elif kind == "step":
        sched = Step(lr, p["step_size"] or max(1, decay_steps // 3), p["gamma"])
    elif kind == "multistep":
        sched = MultiStep(lr, tuple(sorted(p["milestones"])) or (decay_steps // 2, 3 * decay_steps // 4), p["gamma"])
    elif kind == "exponential":
        sched = Exponential(lr, p["gamma"])
    elif kind == "inverse_time":
        sched = InverseTime(lr, p["k"])
    elif kind == "inverse_sqrt":
        sched = InverseSqrt(lr)
    elif kind == "cosine":
        sched = Cosine(lr, p["T"] or decay_steps, p["floor"])
    elif kind == "cosine_restarts":
        sched = CosineRestarts(lr, p["T_0"], p["T_mult"], p["floor"])
    else:
        sched = OneCycle(lr, max(2, decay_steps), p["pct_start"], p["div_factor"], p["final_div_factor"])
    if int(warmup) <= 0:
        return sched
    return Warmup(sched, int(warmup), min(1.0, max(0.0, float(start_factor))))
