"""A typed run request: everything one path needs, as one frozen (hashable) value.

A page describes each path it shows as a :class:`RunRequest`: optimizer id and hyperparameters,
start, number of steps, learning-rate schedule (:class:`ScheduleSpec`), gradient noise
(:class:`NoiseSpec`) and seed. ``request.run(surface)`` computes it with :func:`optim.simulate`;
a cache keys on the request itself; :func:`snippet` writes the Python that reproduces a list of
named requests bit for bit (every value written with ``repr``). Plain Python, no UI.

The schedule is applied the way the pages always have: the chosen shape, scaled to this
optimizer's base lr, over ``steps`` (``optim.schedules.build(kind, opt.lr, steps, warmup, **params)``);
a constant schedule with no warm-up is no schedule at all (the optimizer's own constant lr).

A composition of the lecture's parts (:mod:`optim.compose`) is a path like any other: ``opt_id``
:data:`COMPOSED` with ``hyper`` = the :meth:`optim.compose.Parts.to_dict` pairs (``m``, ``m.<param>``,
``sigma``, ``sigma.<param>``, ``lr``, ``eps`` ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from surfaces.generated import GENERATED_IDS

from . import schedules
from .compose import Parts, build
from .noise import GradientNoise
from .simulate import Trajectory, simulate
from .specs import make

COMPOSED = "composed"  # opt_id of a composition of parts (not in optim.SPECS)


def _pairs(values) -> tuple:
    """Sorted (name, value) pairs from a mapping or an iterable of pairs (hashable, order-free)."""
    items = values.items() if isinstance(values, Mapping) else values
    return tuple(sorted((str(k), v) for k, v in items))


@dataclass(frozen=True)
class ScheduleSpec:
    """A learning-rate schedule by name: ``kind`` (a key of ``optim.schedules.SCHEDULES``), its
    parameters as sorted pairs, and linear warm-up steps."""

    kind: str = "constant"
    params: tuple = ()
    warmup: int = 0

    def __post_init__(self):
        object.__setattr__(self, "params", _pairs(self.params))
        object.__setattr__(self, "warmup", int(self.warmup))

    @property
    def is_constant(self) -> bool:
        return self.kind == "constant" and self.warmup <= 0

    def build(self, lr: float, steps: int):
        """The schedule callable for an optimizer of base ``lr`` over ``steps`` (None: constant)."""
        if self.is_constant:
            return None
        return schedules.build(self.kind, lr, steps, warmup=self.warmup, **dict(self.params))


@dataclass(frozen=True)
class NoiseSpec:
    """Gradient noise of ``scale`` as seen through mini-batches of ``batch`` examples (0: none)."""

    scale: float = 0.0
    batch: int = 1

    def __post_init__(self):
        object.__setattr__(self, "scale", float(self.scale))
        object.__setattr__(self, "batch", int(self.batch))

    def model(self) -> GradientNoise | None:
        return GradientNoise(scale=self.scale, batch_size=self.batch) if self.scale > 0 else None


CONSTANT = ScheduleSpec()
NO_NOISE = NoiseSpec()


@dataclass(frozen=True)
class RunRequest:
    """One path: ``optim.make(opt_id, **hyper)`` from ``start`` for ``steps`` updates (for ``opt_id``
    :data:`COMPOSED`: ``optim.compose.build(Parts.from_dict(hyper))``)."""

    opt_id: str
    hyper: tuple = ()
    start: tuple = (0.0, 0.0)
    steps: int = 100
    schedule: ScheduleSpec = field(default=CONSTANT)
    noise: NoiseSpec = field(default=NO_NOISE)
    seed: int = 0

    def __post_init__(self):
        object.__setattr__(self, "hyper", _pairs(self.hyper))
        object.__setattr__(self, "start", (float(self.start[0]), float(self.start[1])))
        object.__setattr__(self, "steps", int(self.steps))
        object.__setattr__(self, "seed", int(self.seed))

    def optimizer(self):
        if self.opt_id == COMPOSED:
            return build(Parts.from_dict(dict(self.hyper)))
        return make(self.opt_id, **dict(self.hyper))

    def run(self, surface) -> Trajectory:
        opt = self.optimizer()
        return simulate(surface, opt, np.asarray(self.start, float), self.steps,
                        schedule=self.schedule.build(opt.lr, self.steps), noise=self.noise.model(), seed=self.seed)


def make_call(opt_id: str, hyper) -> str:
    """``optim.make(...)`` as Python for ``hyper`` (a mapping or (name, value) pairs, in that order);
    every value written with ``repr`` so floats round-trip. The one place snippets write it."""
    items = hyper.items() if isinstance(hyper, Mapping) else hyper
    args = ", ".join(f"{k}={v!r}" for k, v in items)
    return f"optim.make({opt_id!r}{', ' if args else ''}{args})"


def noise_call(noise: NoiseSpec) -> str:
    """The gradient noise of a request as Python (``None`` when there is none)."""
    if noise.scale > 0:
        return f"optim.GradientNoise(scale={noise.scale!r}, batch_size={noise.batch!r})"
    return "None"


def surface_line(surface_id: str | None, formula: str) -> str:
    """``surface = ...`` as Python: a catalog entry, a generated surface or the typed formula."""
    if surface_id and surface_id != "custom":
        if surface_id in GENERATED_IDS:  # not formula text (surfaces.generated): built by id
            return f"surface = surfaces.get({surface_id!r})"
        return f"surface = surfaces.CATALOG[{surface_id!r}]"
    return f"surface = surfaces.parse({formula!r})"


def snippet(*, surface_id: str | None, formula: str, runs: Sequence[tuple[str, RunRequest]], note: str = "") -> str:
    """Python that reproduces the named ``runs`` with ``surfaces`` and ``optim`` bit for bit."""
    lines = ["import numpy as np", "import optim", "import surfaces", ""]
    if note:
        lines += [f"# {line}" for line in note.splitlines()] + [""]
    lines += [surface_line(surface_id, formula), "", "runs = {}"]
    for name, req in runs:
        lines.append(f"# {name}")
        if req.opt_id == COMPOSED:
            lines.append(f"opt = optim.compose.build(optim.compose.Parts.from_dict({dict(req.hyper)!r}))")
        else:
            lines.append(f"opt = {make_call(req.opt_id, req.hyper)}")
        if req.schedule.is_constant:
            lines.append("schedule = None")
        else:
            extra = "".join(f", {k}={v!r}" for k, v in req.schedule.params)
            lines.append(f"schedule = optim.schedules.build({req.schedule.kind!r}, opt.lr, {req.steps!r}, "
                         f"warmup={req.schedule.warmup!r}{extra})")
        lines.append(f"noise = {noise_call(req.noise)}")
        lines.append(f"runs[{name!r}] = optim.simulate(surface, opt, np.asarray(({req.start[0]!r}, {req.start[1]!r}), "
                     f"float), {req.steps!r}, schedule=schedule, noise=noise, seed={req.seed!r})")
    lines += ["", "for name, run in runs.items():",
              "    print(name, run.status, run.stop_step, run.points[-1], run.loss[-1])"]
    return "\n".join(lines) + "\n"
