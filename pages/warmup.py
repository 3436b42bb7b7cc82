"""Warm-up: why adaptive optimizers start with a small learning rate.

The lecture's claims made live: torch's RMSprop (zero-initialised average, no bias correction)
makes a first step of about lr/sqrt(1 - alpha) = 10 lr per coordinate, which throws the path far
off; a linear warm-up keeps the start calm; the lecture's RMSProp (sigma^0 = |g^0|) has no such
jump; Adam under gradient noise with and without warm-up, and warm-up followed by cosine decay.
Runs come from :func:`pages.lib.presets_warmup.setup` (shared with the tests), measurements from
:mod:`optim.phenomena`. The learning-rate panel of the race figure is the schedule plot, with a
cursor that moves with the paths.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

import optim
import optim.request
import surfaces
from optim import phenomena
from pages.lib import controls, figures, widgets
from pages.lib import presets_warmup as PW
from pages.lib.links import tr
from pages.lib.runs import run_request, surface_grid
from pages.lib.text import COMMON
from pages.lib.text_warmup import WARMUP as T

PAGE = PW.PAGE
C = PW.CONTROLS
FIT_LIMIT = 3.0  # the fitted view is at most this many times the surface's own window


def _num(v: float) -> str:
    return f"{v:.3g}"


def fit_window(window, paths, limit: float = FIT_LIMIT):
    """The surface's window grown to hold every finite point of the paths (at most ``limit`` times wider)."""
    x0, x1, y0, y1 = window
    cx, cy, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
    pts = np.concatenate([p.points for p in paths]) if paths else np.empty((0, 2))
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    if pts.size:
        lo = np.maximum(pts.min(axis=0), [cx - limit * hx, cy - limit * hy])
        hi = np.minimum(pts.max(axis=0), [cx + limit * hx, cy + limit * hy])
        pad = 0.05 * np.array([hx, hy])
        x0, x1 = min(x0, lo[0] - pad[0]), max(x1, hi[0] + pad[0])
        y0, y1 = min(y0, lo[1] - pad[1]), max(y1, hi[1] + pad[1])
    return (round(float(x0), 6), round(float(x1), 6), round(float(y0), 6), round(float(y1), 6))


@widgets.cached_figure(32)
def race_cached(surface_id, window, log_colour, paths, big, labels=()):
    xs, ys, Z = surface_grid(surface_id, "", window)
    surface = surfaces.CATALOG[surface_id]
    crit = [p for p in surface.known_points if p.kind in ("minimum", "maximum", "saddle")]
    return figures.race_figure(xs, ys, Z, list(paths), log_scale=log_colour, window=window, big=big,
                               critical_points=crit, height=600, labels=dict(labels))


def _view(spec, run, name: str) -> figures.PathView:
    return figures.PathView(name=name, color=spec.color, points=run.points, loss=run.loss, lr=run.lr,
                            effective_step=run.effective_step, grad_norm=np.linalg.norm(run.grad, axis=-1),
                            status=run.status, stop_step=run.stop_step, dash=spec.dash)


def readout_sentences(values, setup, runs, names) -> list[str]:
    """Sentences computed from the runs that name what happened."""
    out = []
    for key, run in runs.items():
        if run.status == "diverged":
            out.append(tr(T, "ro_diverged", name=names[key], k=run.stop_step))
    none, warm = runs["none"], runs["warm"]
    big, i_big = phenomena.largest_step(none)
    small, i_small = phenomena.largest_step(warm)
    if math.isfinite(big) and small and math.isfinite(small):
        out.append(tr(T, "ro_ratio", k=phenomena.early_count(none), big=_num(big), i_big=i_big, small=_num(small),
                      i_small=i_small, w=setup.run("warm").schedule.warmup, ratio=f"{big / small:.1f}"))
    elif none.status != "diverged":
        out.append(tr(T, "no_ratio"))
    ratio = phenomena.first_step_ratio(none)
    if np.all(np.isfinite(ratio)):
        r = "/".join(f"{v:.2f}" for v in ratio)
        if values["opt"] == "rmsprop":
            f0 = float(none.loss[0])
            fpeak, k = phenomena.peak_loss(none)
            pred = f"{1 / math.sqrt(1 - float(values['alpha'])):.2f}"
            if fpeak > f0 * 1.05 + 1e-12:
                out.append(tr(T, "ro_first_rmsprop", r=r, pred=pred, f0=_num(f0), fpeak=_num(fpeak), k=k))
            else:
                out.append(tr(T, "ro_first_rmsprop_calm", r=r, pred=pred))
        else:
            out.append(tr(T, "ro_first_adam", r=r))
    if "lecture" in runs and runs["lecture"].status != "diverged":
        lec = runs["lecture"]
        r = "/".join(f"{v:.2f}" for v in phenomena.first_step_ratio(lec))
        out.append(tr(T, "ro_lecture", r=r, big=_num(phenomena.largest_step(lec)[0])))
    if "cosine" in runs:
        out.append(tr(T, "ro_tail", none=_num(phenomena.tail_loss(none)), warm=_num(phenomena.tail_loss(warm)),
                      cosine=_num(phenomena.tail_loss(runs["cosine"]))))
    return out


# ==================================================================================================
guard, present, side = widgets.page_header(PAGE, tr(T, "title"), tr(T, "intro"))
note = st.container()

# --- controls ------------------------------------------------------------------------------------
values = {}
values["surface"] = controls.make_widget(guard, side, C["surface"], tr(T, "surface"))
surface = surfaces.CATALOG[values["surface"]]
values["x0"], values["y0"] = widgets.start_inputs(guard, side, surface, chart_key=f"{PAGE}_chart")
values["steps"] = controls.make_widget(guard, side, C["steps"], tr(T, "steps"))
values["opt"] = controls.make_widget(guard, side, C["opt"], tr(T, "optimizer"))
values["lr"] = controls.make_widget(guard, side, C["lr"], tr(T, "lr"), fmt="%.4g")
if values["opt"] == "rmsprop":
    values["alpha"] = controls.make_widget(guard, side, C["alpha"], tr(T, "alpha"), fmt="%.4g", step=0.001)
else:
    values["alpha"] = C["alpha"].default
side.subheader(tr(T, "schedule"))
values["warmup"] = controls.make_widget(guard, side, C["warmup"], tr(T, "warmup"), help=tr(T, "warmup_help"))
values["cosine"] = controls.make_widget(guard, side, C["cosine"], tr(T, "cosine"))
if values["opt"] == "rmsprop":
    values["lecture"] = controls.make_widget(guard, side, C["lecture"], tr(T, "lecture"))
else:
    values["lecture"] = False
side.subheader(tr(T, "noise"))
side.caption(tr(T, "noise_help"))
values["noise"] = controls.make_widget(guard, side, C["noise"], tr(T, "noise_scale"), fmt="%.3g")
values["batch"] = controls.make_widget(guard, side, C["batch"], tr(T, "batch_size"))
values["seed"] = controls.make_widget(guard, side, C["seed"], tr(T, "seed"))
fit = guard.toggle(side, tr(T, "fit"), "fit", True)

# --- compute -------------------------------------------------------------------------------------
setup = PW.setup(values)
runs = {spec.key: run_request(setup.surface_id, "", setup.request(spec)) for spec in setup.runs}
title = optim.SPECS[values["opt"]].title
w = setup.run("warm").schedule.warmup
names = {"none": tr(T, "name_none", opt=title), "warm": tr(T, "name_warm", opt=title, w=w),
         "cosine": tr(T, "name_cosine", opt=title, w=w), "lecture": tr(T, "name_lecture")}
paths = tuple(_view(spec, runs[spec.key], names[spec.key]) for spec in setup.runs)
widgets.show_watch(paths)

# --- show ----------------------------------------------------------------------------------------
window = fit_window(surface.window, paths) if fit else surface.window
fig = race_cached(setup.surface_id, window, surface.log_scale, paths, present, widgets.figure_labels())
st.plotly_chart(fig, key=f"{PAGE}_chart", on_select="rerun", selection_mode="box",
                config={"displaylogo": False, "scrollZoom": False}, theme=None)

st.markdown(f"**{tr(T, 'readout')}**")
for sentence in readout_sentences(values, setup, runs, names):
    st.markdown(f"- {sentence}")

if not present:
    with st.expander(tr(T, "rules"), expanded=False):
        shown = set()
        for spec in setup.runs:
            opt = optim.make(spec.opt_id, **dict(spec.hyper))
            if spec.opt_id not in shown:
                shown.add(spec.opt_id)
                st.markdown(f"**{opt.name}**")
                st.latex(opt.latex)
                note_key = f"note_{spec.opt_id}"
                st.caption(f"{tr(T, 'rule_note')}: {tr(T, note_key) if note_key in T else opt.note}")
        for spec in setup.runs:
            if spec.schedule.is_constant:
                continue
            sched = spec.schedule.build(float(values["lr"]), setup.steps)
            st.markdown(f"<span style='color:{spec.color};font-weight:700'>{tr(T, 'schedule_of', name=names[spec.key])}"
                        "</span>", unsafe_allow_html=True)
            st.latex(sched.latex)
    with st.expander(tr(COMMON, "exports"), expanded=False):
        snippet = optim.request.snippet(surface_id=setup.surface_id, formula="",
                                        runs=[(names[spec.key], setup.request(spec)) for spec in setup.runs])
        widgets.export_panel(fig, [runs[spec.key] for spec in setup.runs], [names[spec.key] for spec in setup.runs],
                             snippet, key=PAGE)
    widgets.link_box()
else:
    widgets.autoplay()
    st.caption(tr(COMMON, "presenter_hint"))

with note:
    guard.report()
