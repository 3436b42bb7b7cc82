"""Cached bridges from page controls to the engines (``surfaces`` and ``optim``).

Pages call these with plain, hashable arguments. Compiled surfaces (lambdified functions
are not picklable) live in a bounded ``cache_resource``; trajectories, grids and figures in
bounded ``cache_data``. User text makes the key space unbounded, so every cache has
``max_entries``. Unchanged inputs return the same objects, so an unrelated rerun sends a
byte-identical figure and Streamlit keeps the chart mounted (zoom and animation position).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import optim
import surfaces
from surfaces import Surface

CUSTOM = "custom"


@st.cache_resource(max_entries=64, show_spinner=False)
def get_surface(surface_id: str, formula: str = "") -> Surface:
    """A catalog surface, or the user's formula when ``surface_id == "custom"``.

    Raises ``surfaces.ParseError`` for a bad formula (the caller shows it and falls back).
    """
    if surface_id == CUSTOM:
        return surfaces.parse(formula)
    return surfaces.CATALOG[surface_id]


@st.cache_data(max_entries=64, show_spinner=False)
def surface_grid(surface_id: str, formula: str, window: tuple, n: int = 200):
    return get_surface(surface_id, formula).grid(n, window)


def build_schedule(kind: str, params: tuple, lr: float, steps: int, warmup: int):
    """The per-optimizer lr schedule: the chosen shape scaled to this optimizer's base lr."""
    return optim.schedules.build(kind, lr, steps, warmup=warmup, **dict(params))


@st.cache_data(max_entries=512, show_spinner=False)
def run_optimizer(surface_id: str, formula: str, opt_id: str, hyper: tuple, start: tuple,
                  steps: int, schedule: tuple, noise: tuple, seed: int):
    """One trajectory. ``hyper`` is a sorted tuple of (name, value); ``schedule`` is
    (kind, sorted params, warm-up steps); ``noise`` is (scale, batch size)."""
    surface = get_surface(surface_id, formula)
    optimizer = optim.make(opt_id, **dict(hyper))
    kind, params, warmup = schedule
    lr_schedule = None
    if kind != "constant" or warmup > 0:
        lr_schedule = build_schedule(kind, params, optimizer.lr, steps, warmup)
    scale, batch = noise
    noise_model = optim.GradientNoise(scale=scale, batch_size=batch) if scale > 0 else None
    return optim.simulate(surface, optimizer, np.asarray(start, float), steps,
                          schedule=lr_schedule, noise=noise_model, seed=seed)


@st.cache_data(max_entries=512, show_spinner=False)
def bursts_of(*run_args):
    """:func:`optim.bursts.find_bursts` of ``run_optimizer(*run_args)``, cached like the run:
    the burst scan takes a running median at every step (~0.1-0.3 s on a long run), too much to
    redo for every student who opens the same link."""
    from optim.bursts import find_bursts

    return find_bursts(run_optimizer(*run_args))


@st.cache_data(max_entries=64, show_spinner=False)
def critical_points(surface_id: str, formula: str, window: tuple):
    """The critical-point atlas of a surface in a window (bounded in time by the atlas)."""
    return surfaces.critical_points(get_surface(surface_id, formula), window)
