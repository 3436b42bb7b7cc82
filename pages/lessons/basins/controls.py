"""The basin-map page's controls and the one mapping from control values to maps and a race
(:func:`setup`), without Streamlit. The page builds its widgets from :data:`CONTROLS`; the engine
(:mod:`.model`), the caches and the presets' claims all start from :func:`setup`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import optim
import surfaces
from optim.request import CONSTANT, NoiseSpec, RunRequest
from pages.lib.controls import Control, RunSpec, Setup, surface_title
from pages.lib.registry import LESSON_MAX_STEPS, PALETTE

PAGE = "basins"
MAX_STEPS = LESSON_MAX_STEPS
NONE = "none"
OPTIMIZERS = ("gd", "momentum", "nesterov", "rmsprop", "adam", "newton")
SLOTS = 3
MIN_GRID, MAX_GRID, DEFAULT_GRID = 50, 200, 200
MAX_SEEDS = 16
# The race's path colours: the palette's sky blue, vermillion and pink, which read on the surface's
# Viridis; the maps' points take the palette's other colours first (see .figures.outcome_colours).
RACE_COLOURS = (PALETTE[1], PALETTE[5], PALETTE[3])


def optimizer_title(opt_id: str) -> str:
    """English title (the Control's label: what schema-1 links wrote); the page shows
    :func:`.model.optimizer_name` in the page's language."""
    return "—" if opt_id == NONE else optim.SPECS[opt_id].title


CONTROLS: dict[str, Control] = {c.key: c for c in (
    Control("surface", "select", "two_dips", options=tuple(surfaces.CATALOG), label=surface_title),
    Control("o1", "select", "gd", options=OPTIMIZERS, label=optimizer_title),
    Control("lr1", "number", 0.05, 1e-5, 10.0),
    Control("o2", "select", "momentum", options=(NONE, *OPTIMIZERS), label=optimizer_title),
    Control("lr2", "number", 0.05, 1e-5, 10.0),
    Control("o3", "select", NONE, options=(NONE, *OPTIMIZERS), label=optimizer_title),
    Control("lr3", "number", 0.05, 1e-5, 10.0),
    Control("lam", "number", 0.9, 0.0, 0.999),
    Control("steps", "integer", 500, 10, MAX_STEPS),
    Control("n", "integer", DEFAULT_GRID, MIN_GRID, MAX_GRID),
    Control("noise", "number", 0.0, 0.0, 100.0),
    Control("k", "integer", 8, 1, MAX_SEEDS),
    Control("seed", "integer", 0, 0, 2**31 - 1),
    Control("x0", "optional", None, -1e3, 1e3),
    Control("y0", "optional", None, -1e3, 1e3),
)}

MOMENTUM_OPTIMIZERS = ("momentum", "nesterov")  # take the page's lambda


def hyper_of(opt_id: str, lr: float, lam: float) -> tuple:
    """The optimizer's hyperparameters as the page sets them (the rest: the engine's defaults)."""
    if opt_id in MOMENTUM_OPTIMIZERS:
        return (("lr", float(lr)), ("momentum", float(lam)))
    return (("lr", float(lr)),)


@dataclass(frozen=True)
class MapRequest:
    """One basin map: the hashable key of its cache and everything :func:`optim.basins.basin_maps`
    needs. ``match_tol``: an end within this fraction of the window's diagonal of a critical point
    ends there (wider with noise: a noisy run hovers around its minimum, it never stops on it)."""

    surface_id: str
    window: tuple
    opt_id: str
    hyper: tuple
    steps: int
    n: int
    noise: NoiseSpec
    seeds: int
    seed: int
    match_tol: float

    @property
    def levels(self) -> tuple[int, ...]:
        """Coarse to fine: each level halves the next (so the engine runs every start once)."""
        out = [self.n]
        while out[0] % 2 == 0 and out[0] // 2 >= 25 and len(out) < 3:
            out.insert(0, out[0] // 2)
        return tuple(out)

    def optimizer(self):
        return optim.make(self.opt_id, **dict(self.hyper))


MATCH_TOL_NOISY = 0.05  # with noise: within 5% of the window's diagonal (see MapRequest)


@dataclass(frozen=True)
class BasinSetup:
    """What the page shows for its control values: one map per chosen optimizer (left to right),
    and the race of the same optimizers from the start (``race``: a :class:`Setup`, the runs layer
    of the playground)."""

    maps: tuple[MapRequest, ...]
    race: Setup

    @property
    def surface_id(self) -> str:
        return self.race.surface_id

    def requests(self) -> list[RunRequest]:
        return [self.race.request(r) for r in self.race.runs]


def setup(values: Mapping[str, Any]) -> BasinSetup:
    """The maps and the race of the basin page for these control values. Every map has the same
    grid over the surface's window; with noise (scale > 0) each cell is run K times."""
    surface_id = values["surface"]
    surface = surfaces.CATALOG[surface_id]
    window = tuple(float(v) for v in surface.window)
    sx, sy = surface.starts[0]
    start = (float(sx if values["x0"] is None else values["x0"]), float(sy if values["y0"] is None else values["y0"]))
    steps, n, lam = int(values["steps"]), int(values["n"]), float(values["lam"])
    noise = NoiseSpec(float(values["noise"]), 1)
    noisy = noise.scale > 0
    seeds = int(values["k"]) if noisy else 1
    seed = int(values["seed"])
    maps, runs = [], []
    for i in range(SLOTS):
        opt_id = values[f"o{i + 1}"]
        if opt_id == NONE:
            continue
        hyper = hyper_of(opt_id, values[f"lr{i + 1}"], lam)
        maps.append(MapRequest(surface_id, window, opt_id, hyper, steps, n, noise, seeds, seed,
                               MATCH_TOL_NOISY if noisy else optim.basins.MATCH_TOL))
        runs.append(RunSpec(f"o{i + 1}", opt_id, hyper, CONSTANT, RACE_COLOURS[i]))
    return BasinSetup(tuple(maps), Setup(surface_id, start, steps, tuple(runs), noise, seed))
