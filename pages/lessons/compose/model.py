"""The "Build an optimizer" lesson without Streamlit: the composed rule in LaTeX with the chosen pieces,
the recognition sentence, where the lecture and PyTorch differ for these pieces, the paths' names and
views, and the readout sentences computed from the runs. Sentences take ``lang``."""

from __future__ import annotations

import math

import numpy as np

import optim
from optim import compose
from optim.compose import EPS_PLACES, M_PIECES, NAMED, SIGMA_PIECES, Parts
from optim.request import ScheduleSpec
from pages.lib.claims import largest_gap
from pages.lib.figures import PathView
from pages.lib.text import COMMON, LANGS, tr_for

from .text import COMPOSE as T
from .text import DIFFERENCES, KIND_NAMES, OPTIMIZER_NAMES, SCHEDULE_NAMES

GENERAL_RULE = r"\theta^{t+1} = \theta^{t} - \frac{\eta_t}{\sigma^{t}}\, m^{t}"
NEAR = 0.01  # an end this close to a known critical point is "in" it


def _i(lang: str) -> int:
    return LANGS.index(lang)


def piece_name(kind: str, piece_id: str, lang: str) -> str:
    """A piece's display name (the engine's en/zh tables)."""
    return (M_PIECES if kind == "m" else SIGMA_PIECES)[piece_id]["zh" if lang == "zh" else "en"]


def opponent_name(opt_id: str, lang: str) -> str:
    return T["none"][_i(lang)] if opt_id == "none" else OPTIMIZER_NAMES[opt_id][_i(lang)]


def schedule_name(kind: str, lang: str) -> str:
    return SCHEDULE_NAMES[kind][_i(lang)]


# --- the rule ----------------------------------------------------------------------------------
def _tex_number(v: float) -> str:
    """A number for LaTeX: 1e-08 as 10^{-8}, others as %g."""
    if v and (abs(v) < 1e-3 or abs(v) >= 1e5):
        mant, exp = f"{v:.0e}".split("e")
        return (r"10^{%d}" % int(exp)) if mant == "1" else r"%s \cdot 10^{%d}" % (mant, int(exp))
    return f"{v:g}"


def _lines(tex: str) -> list[str]:
    """A piece's LaTeX split at its top-level ",\\ " separators (one statement a line)."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(tex):
        ch = tex[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and tex.startswith(r",\ ", i):
            out.append(tex[start:i])
            start = i + 3
            i += 2
        i += 1
    out.append(tex[start:])
    return [s.strip() for s in out if s.strip()]


def gathered(tex_lines: list[str], small: bool = True) -> str:
    """Lines under each other (one st.latex block), optionally in a smaller size."""
    size = r"\small " if small else ""
    return r"\begin{gathered}" + r" \\ ".join(size + line for line in tex_lines) + r"\end{gathered}"


def schedule_latex(schedule: ScheduleSpec, lr: float, steps: int) -> str:
    """eta_t of ``schedule`` for base ``lr`` over ``steps`` (the schedule's own formula)."""
    built = schedule.build(lr, steps)
    return rf"\eta_t = \eta = {_tex_number(lr)}" if built is None else built.latex


def rule(chosen: Parts, schedule: ScheduleSpec, steps: int) -> dict[str, object]:
    """The composed rule, piece by piece, in LaTeX: ``step`` (the update with the chosen pieces
    substituted), ``m``, ``sigma`` and ``eta`` (each a list of lines: that piece's own rule)."""
    lines = compose.rule_lines(chosen)
    step, pieces = lines[-1], lines[:-1]
    m_lines = _lines(pieces[0])
    if chosen.sigma.id == "one":
        s_lines = [r"\sigma^{t} = 1"]
    else:
        place = EPS_PLACES["inside" if chosen.eps_inside else "outside"]["latex"]
        s_lines = [*_lines(pieces[1]), r"\sigma^{t} \to " + place + r",\ \epsilon = " + _tex_number(chosen.eps)]
    return {"step": step, "m": m_lines, "sigma": s_lines, "eta": _lines(schedule_latex(schedule, chosen.lr, steps))}


def headline_latex(chosen: Parts, big: bool = False) -> str:
    """The lecture's general rule and, under it, the rule with these pieces (two lines: fits a phone;
    ``big``: larger, for presenter mode)."""
    size = r"\Large " if big else ""
    return (r"\begin{gathered}" + size + GENERAL_RULE + r" \\ " + size + r"\longrightarrow\quad "
            + compose.rule_lines(chosen)[-1] + r"\end{gathered}")


# --- recognition -------------------------------------------------------------------------------
def recognition(chosen: Parts, lang: str) -> tuple[str | None, str]:
    """(id of the named optimizer the parts equal exactly, or None; the sentence saying so)."""
    return compose.recognise(chosen), compose.describe(chosen, lang)


def schedule_note(schedule: ScheduleSpec, lang: str) -> str | None:
    """The schedule in words, when there is one (recognition holds under any schedule)."""
    if schedule.is_constant:
        return None
    tr = tr_for(lang)
    what = schedule_name(schedule.kind, lang)
    if schedule.warmup > 0:
        what = tr(T, "warmup_of", w=schedule.warmup, schedule=what if lang == "zh" else what.lower())
    return tr(T, "sched_note", schedule=what)


def differences(chosen: Parts, lang: str) -> list[str]:
    """Where the lecture's formula and PyTorch's differ for the chosen pieces (one sentence each)."""
    i = _i(lang)
    out = []
    if f"m_{chosen.m.id}" in DIFFERENCES:
        out.append(DIFFERENCES[f"m_{chosen.m.id}"][i])
    if f"s_{chosen.sigma.id}" in DIFFERENCES:
        out.append(DIFFERENCES[f"s_{chosen.sigma.id}"][i])
    if chosen.eps_inside and chosen.sigma.id != "one":
        out.append(DIFFERENCES["eps_inside"][i])
    return out or [T["no_difference"][i]]


def made_of(opt_id: str, hyper, lang: str) -> str:
    """What a named optimizer is made of ("Adam (torch) = m: EMA ... · σ: Adam ..."), or why it is not."""
    tr = tr_for(lang)
    name = opponent_name(opt_id, lang)
    if opt_id == "newton":
        return tr(T, "not_expressible", name=name, why=tr(T, "why_newton"))
    found = compose.decompose(optim.make(opt_id, **dict(hyper)))
    if found is None:
        return tr(T, "not_parts", name=name)
    text = tr(T, "made_of", name=name, m=piece_name("m", found.m.id, lang), sigma=piece_name("sigma", found.sigma.id, lang))
    if found.weight_decay:
        how = tr(T, "wd_decoupled") if found.decoupled else tr(T, "wd_l2")
        text += tr(T, "plus_wd", wd=f"{found.weight_decay:g}", how=how)
    return text


def named_title(opt_id: str, lang: str) -> str:
    """The recognised optimizer's name as the recognition sentence writes it."""
    return NAMED[opt_id]["zh" if lang == "zh" else "en"]


# --- paths -------------------------------------------------------------------------------------
def path_names(setup, lang: str) -> dict[str, str]:
    """The paths' legend names by run key."""
    tr = tr_for(lang)
    return {spec.key: tr(T, "name_composed_short") if spec.key == "composed" else opponent_name(spec.opt_id, lang)
            for spec in setup.runs}


def path_view(spec, run, name: str) -> PathView:
    """One run as a drawn path (yours with a diamond head, so a named optimizer it equals still
    shows its round head underneath)."""
    return PathView(name=name, color=spec.color, points=run.points, loss=run.loss, lr=run.lr,
                    effective_step=run.effective_step, grad_norm=np.linalg.norm(run.grad, axis=-1),
                    status=run.status, stop_step=run.stop_step, dash=spec.dash,
                    marker="diamond" if spec.key == "composed" else "circle")


# --- readout -----------------------------------------------------------------------------------
def _num(v: float) -> str:
    return f"{v:.3g}"


def status_words(run, lang: str) -> str:
    key = {"converged": "status_converged", "diverged": "status_diverged"}.get(run.status, "status_budget")
    return tr_for(lang)(COMMON, key, k=run.stop_step)


def _end_sentence(name: str, run, surface, lang: str) -> str:
    tr = tr_for(lang)
    x, y = (float(v) for v in run.points[-1])
    status = status_words(run, lang)
    if not (math.isfinite(x) and math.isfinite(y)):
        return tr(T, "ro_diverged", name=name, k=run.stop_step)
    near = [p for p in surface.known_points if math.hypot(x - p.x, y - p.y) < NEAR]
    if near:
        p = near[0]
        return tr(T, "ro_end_at", name=name, status=status, kind=KIND_NAMES[p.kind][_i(lang)],
                  x=_num(p.x), y=_num(p.y), loss=_num(float(run.loss[-1])))
    return tr(T, "ro_end", name=name, status=status, x=_num(x), y=_num(y), loss=_num(float(run.loss[-1])))


def first_apart(a, b, tol: float = 1e-6) -> int | None:
    """The first step at which two paths are more than ``tol`` apart (None: never, over common steps)."""
    n = min(len(a), len(b))
    gap = np.linalg.norm(np.asarray(a, float)[:n] - np.asarray(b, float)[:n], axis=1)
    bad = np.flatnonzero(~(gap <= tol))
    return int(bad[0]) if bad.size else None


def readout_sentences(setup, runs, names, surface, lang: str) -> list[str]:
    """Sentences computed from the runs: where each path ended, your optimizer's first step in units
    of eta, and how far each named optimizer's path is from yours."""
    tr = tr_for(lang)
    mine = runs["composed"]
    out = [_end_sentence(names[spec.key], runs[spec.key], surface, lang) for spec in setup.runs]
    if len(mine.points) > 1 and mine.lr is not None and len(mine.lr) and mine.lr[0] > 0:
        d = np.abs(mine.points[1] - mine.points[0])
        if np.all(np.isfinite(d)):
            eta = float(mine.lr[0])
            out.append(tr(T, "ro_first", dx=_num(d[0]), dy=_num(d[1]), rx=f"{d[0] / eta:.3g}", ry=f"{d[1] / eta:.3g}"))
    for spec in setup.runs:
        if spec.key == "composed":
            continue
        theirs = runs[spec.key]
        name = names[spec.key]
        same_length = len(theirs.points) == len(mine.points)
        gap = largest_gap(mine.points, theirs.points)
        if same_length and gap == 0.0:
            out.append(tr(T, "ro_same", name=name, n=len(mine.points) - 1))
        elif same_length and gap <= 1e-9:
            out.append(tr(T, "ro_close", name=name, gap=f"{gap:.1e}", n=len(mine.points) - 1))
        else:
            k = first_apart(mine.points, theirs.points)
            if k is not None:
                out.append(tr(T, "ro_apart", name=name, gap=_num(gap) if math.isfinite(gap) else "∞", k=k))
    return out
