"""The momentum lesson without Streamlit: the paths' names, the drawn paths, the readout sentences
and the numbers under the movement's decomposition. Its controls, the controls-to-runs mapping
(:func:`.presets.setup`) and the presets are in ``presets.py``. Sentences take ``lang``."""

from __future__ import annotations

import numpy as np

from optim import phenomena
from pages.lib.controls import RunSpec
from pages.lib.figures import PathView
from pages.lib.text import tr_for

from .text import MOMENTUM as T

RUN_KEYS = ("gd", "lecture", "torch", "nesterov")


def _pt(p) -> str:
    return f"({p[0]:.2f}, {p[1]:.2f})"


def _num(v: float) -> str:
    return f"{v:.3g}"


def _vec(v) -> str:
    return f"({v[0]:.3g},\\ {v[1]:.3g})"


def path_view(spec: RunSpec, run, name: str) -> PathView:
    """One run as a drawn path."""
    return PathView(name=name, color=spec.color, points=run.points, loss=run.loss, lr=run.lr,
                    effective_step=run.effective_step, grad_norm=np.linalg.norm(run.grad, axis=-1),
                    status=run.status, stop_step=run.stop_step, dash=spec.dash)


def readout_sentences(surface, setup, runs, names, values, lang: str) -> list[str]:
    """Sentences computed from the runs that name what happened."""
    tr = tr_for(lang)
    out = []
    minima = [(p.x, p.y) for p in surface.known_points if p.kind == "minimum"]
    for key, run in runs.items():
        if run.status == "diverged":
            out.append(tr(T, "ro_diverged", name=names[key], k=run.stop_step))
    gd, mom = runs.get("gd"), runs["lecture"]
    if gd is not None and gd.status != "diverged" and mom.status != "diverged":
        b_gd = phenomena.settled_basin(gd, minima) if minima else None
        b_mom = phenomena.settled_basin(mom, minima) if minima else None
        p_gd, p_mom = gd.points[-1], mom.points[-1]
        if np.linalg.norm(p_gd - p_mom) > 0.05 and b_gd is not None:
            d = p_gd - np.asarray(setup.start)
            axis = int(np.argmax(np.abs(d)))
            k = phenomena.first_crossing(mom, float(p_gd[axis]), axis)
            if k is not None and b_mom is not None:
                which = tr(T, "deeper" if mom.loss[-1] < gd.loss[-1] else "shallower")
                out.append(tr(T, "ro_passed", gd=names["gd"], mom=names["lecture"], p_gd=_pt(p_gd),
                              f_gd=_num(gd.loss[-1]), k=k, p_mom=_pt(p_mom), f_mom=_num(mom.loss[-1]), which=which))
            else:
                out += [_end(gd, names["gd"], minima, lang), _end(mom, names["lecture"], minima, lang)]
        elif np.linalg.norm(p_gd - p_mom) <= 0.05:
            k_gd = phenomena.arrival_step(gd, p_mom)
            k_mom = phenomena.arrival_step(mom, p_mom)
            out.append(tr(T, "ro_same", gd=names["gd"], mom=names["lecture"], p=_pt(p_mom), f=_num(mom.loss[-1]),
                          k_gd=tr(T, "never") if k_gd is None else k_gd,
                          k_mom=tr(T, "never") if k_mom is None else k_mom))
        else:
            out += [_end(gd, names["gd"], minima, lang), _end(mom, names["lecture"], minima, lang)]
    elif gd is None and mom.status != "diverged":
        out.append(_end(mom, names["lecture"], minima, lang))
    torch = runs.get("torch")
    if torch is not None and torch.status != "diverged" and mom.status != "diverged":
        gap, first = phenomena.path_gap(mom, torch)
        if first is None:
            out.append(tr(T, "ro_forms_same", gap=f"{gap:.1e}"))
        else:
            out.append(tr(T, "ro_forms_apart", gamma=f"{values['gamma']:g}", at=values["decay_at"], k=first, gap=_num(gap),
                          p_torch=_pt(torch.points[-1]), f_torch=_num(torch.loss[-1]),
                          p_lecture=_pt(mom.points[-1]), f_lecture=_num(mom.loss[-1])))
    nest = runs.get("nesterov")
    if nest is not None and nest.status != "diverged":
        out.append(tr(T, "ro_nesterov", p=_pt(nest.points[-1]), f=_num(nest.loss[-1])))
    return out


def _end(run, name, minima, lang: str) -> str:
    tr = tr_for(lang)
    settled = minima and phenomena.settled_basin(run, minima) is not None
    status = tr(T, "ro_settled") if settled or run.status == "converged" else tr(T, "ro_moving", k=run.steps)
    return tr(T, "ro_end", name=name, p=_pt(run.points[-1]), f=_num(run.loss[-1]), status=status)


def path_names(lang: str) -> dict[str, str]:
    """The four paths' names by run key."""
    tr = tr_for(lang)
    return {key: tr(T, f"name_{key}") for key in RUN_KEYS}


def decomposition_numbers(d, t: int, lang: str) -> str:
    """The sentence under the decomposition: λm, −ηg, m and Σ of weighted gradients, and their gap."""
    tr = tr_for(lang)
    err = float(np.abs(d.movement - d.actual).max())
    return tr(T, "decomp_numbers", t=t, prev=_vec(d.previous), grad=_vec(d.gradient_step), m=_vec(d.actual),
              n=t, s=_vec(d.movement), err=f"{err:.1e}")
