"""The shape every optimizer shares: a frozen :class:`Optimizer` of pure functions.

Design (after optax): an optimizer is data plus two pure functions,

- ``init(params) -> state``: a dict of NumPy arrays shaped like ``params``;
- ``update(grad, state, params, lr, step, hessian=None) -> (delta, new_state)``: the move to
  apply, ``params + delta``, and the new state. Nothing is mutated, so a lesson can replay,
  fork or vectorize runs freely.

``params`` has shape ``(..., 2)``: the same code runs one start ``(2,)`` or N starts ``(N, 2)``.
``lr`` is the learning rate of THIS step (a schedule's value, or the constant), and ``step`` is
0 for the first update. Keeping the schedule outside the optimizer avoids torch's coupling where
a scheduler mutates the optimizer's learning rate behind its back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

State = dict[str, np.ndarray]
UpdateFn = Callable[..., tuple[np.ndarray, State]]
ViewsFn = Callable[[State, np.ndarray], dict[str, np.ndarray]]


def _state_as_is(state: State, t: np.ndarray) -> dict[str, np.ndarray]:
    return dict(state)


@dataclass(frozen=True, eq=False)
class Optimizer:
    """One configured optimizer (see the module docstring for the protocol).

    ``views(state, t)`` turns (possibly stacked) state arrays into the quantities a lesson
    shows, e.g. ``sigma``; ``t`` is the 1-based update count, broadcastable against the state.
    """

    id: str
    name: str
    hyperparams: Mapping[str, object]
    lr: float
    init: Callable[[np.ndarray], State] = field(repr=False)
    update: UpdateFn = field(repr=False)
    latex: str = field(repr=False)
    note: str = ""
    needs_hessian: bool = False
    views: ViewsFn = field(default=_state_as_is, repr=False)

    def __post_init__(self):
        # Freeze the hyperparameters too: an Optimizer is a value, shared between reruns.
        object.__setattr__(self, "hyperparams", MappingProxyType(dict(self.hyperparams)))


def zeros(params, *names: str) -> State:
    """A state of zero arrays shaped like ``params`` (float64)."""
    p = np.asarray(params, dtype=float)
    return {name: np.zeros_like(p) for name in names}
