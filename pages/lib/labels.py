"""Legend names that tell runs apart (plain Python, no Streamlit).

A race may hold the same optimizer twice (three gradient-descent paths at three learning rates,
two RMSProps with different alpha). "1·Gradient descent / 2·Gradient descent" tells a student
nothing; the legend must name what differs. :func:`distinguish` appends, to every run whose
optimizer appears more than once, the hyperparameters whose values differ between those runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# The lecture's symbols for the engine's parameter names (the names stay in links).
SYMBOLS = {"lr": "η", "momentum": "μ", "alpha": "α", "beta1": "β₁", "beta2": "β₂", "eps": "ε",
           "weight_decay": "wd", "dampening": "τ", "initial_accumulator_value": "G₀", "lr_decay": "lr_decay",
           "damping": "δ", "step_scale": "s"}


def _value(v) -> str:
    if isinstance(v, bool):
        return "on" if v else "off"
    if isinstance(v, float):
        return f"{v:.3g}"
    return str(v)


def distinguish(labels: Sequence[str], opt_ids: Sequence[str], hypers: Sequence[Mapping]) -> list[str]:
    """``labels`` with " (η = 0.09)"-style suffixes on runs that share an optimizer id with another
    run; only parameters whose values differ within that group are named."""
    out = list(labels)
    for opt_id in set(opt_ids):
        group = [i for i, o in enumerate(opt_ids) if o == opt_id]
        if len(group) < 2:
            continue
        names = sorted({k for i in group for k in hypers[i]})
        differing = [k for k in names if len({_value(hypers[i].get(k)) for i in group}) > 1]
        for i in group:
            parts = [f"{SYMBOLS.get(k, k)} = {_value(hypers[i].get(k))}" for k in differing if k in hypers[i]]
            if parts:
                out[i] = f"{labels[i]} ({', '.join(parts)})"
    return out
