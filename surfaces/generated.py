"""Surfaces that are not typed as formula text: one registry beside the catalog.

``network_slice``: the training loss of a real network (a 2-32-1 tanh MLP, 129 parameters, on 24
examples of ``y = sin(1.5 x1) cos(x2)`` with noise) along a plane through a trained point,

.. math::
    S(\\alpha, \\beta) = L(\\theta^* + \\alpha d_1 + \\beta d_2),

with two filter-normalised random directions (seed 1), written out in SymPy by
:mod:`surfaces.network_slice`, so the playground, the critical-point atlas and every optimizer
run on it with its exact gradient and Hessian. In this plane the trained point is one minimum of
two, with a saddle between them (the atlas finds them; ``tests/test_generated_surfaces.py``
checks it).

The trained point :math:`\\theta^*` is stored (``data/network_slice_theta.json``) rather than
trained at import: training uses ``optim`` (Adam, lr 0.02, 150 full-batch epochs), and ``optim``
imports ``surfaces``. The test re-trains it with ``optim.train`` and compares, bit for bit;
``python -m tests.test_generated_surfaces`` writes the file again.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np

from .catalog import CATALOG
from .network import MLP, make_data
from .network_slice import NetworkSlice, network_slice
from .surface import Surface

NETWORK_SLICE = "network_slice"
THETA_FILE = Path(__file__).with_name("data") / "network_slice_theta.json"

# How the stored point was trained and how the plane is chosen (the test re-trains from these).
SLICE_SETUP = {
    "sizes": (2, 32, 1),
    "data": {"name": "sine", "n_train": 24, "n_test": 100, "noise": 0.1, "seed": 0},
    "train": {"optimizer": "adam", "lr": 0.02, "epochs": 150, "batch_size": 24, "seed": 0},
    "directions": "random", "direction_seed": 1, "radius": 1.5,
}

TITLES = {NETWORK_SLICE: "Real network 2-32-1: a slice of its loss"}


def stored_theta() -> np.ndarray:
    """The trained point theta* (129 numbers), as stored."""
    return np.asarray(json.loads(THETA_FILE.read_text())["theta"], dtype=float)


@functools.cache
def network_slice_entry() -> NetworkSlice:
    """The ``network_slice`` surface and where it came from (built once per process: ~1 s)."""
    model = MLP(SLICE_SETUP["sizes"])
    data = make_data(**SLICE_SETUP["data"])
    return network_slice(model, data, stored_theta(), kind=SLICE_SETUP["directions"],
                         seed=SLICE_SETUP["direction_seed"], radius=SLICE_SETUP["radius"],
                         surface_id=NETWORK_SLICE, title=TITLES[NETWORK_SLICE],
                         starts=((0.7, -0.6), (0.45, 0.2), (-0.8, 0.8)))


_BUILDERS = {NETWORK_SLICE: lambda: network_slice_entry().surface}
GENERATED_IDS = tuple(_BUILDERS)
SURFACE_IDS = (*CATALOG, *GENERATED_IDS)  # every surface a link may name, in menu order


def get(surface_id: str) -> Surface:
    """The catalog's surface ``surface_id``, or a generated one (built on first use). ``KeyError``
    for an unknown id."""
    if surface_id in CATALOG:
        return CATALOG[surface_id]
    return _BUILDERS[surface_id]()


def title(surface_id: str) -> str:
    """A surface's English title without building it."""
    return CATALOG[surface_id].title if surface_id in CATALOG else TITLES[surface_id]
