"""Warm-up: why adaptive optimizers start with a small learning rate.

The lecture's claims made live: torch's RMSprop (zero-initialised average, no bias correction)
makes a first step of about lr/sqrt(1 - alpha) = 10 lr per coordinate, which throws the path far
off; a linear warm-up keeps the start calm; the lecture's RMSProp (sigma^0 = |g^0|) has no such
jump; Adam under gradient noise with and without warm-up, and warm-up followed by cosine decay.
The lesson lives in :mod:`pages.lessons.warmup`: runs come from
:func:`pages.lessons.warmup.presets.setup` (shared with the tests), sentences and the fitted
window from its ``model``, the race from its ``figures``, measurements from :mod:`optim.phenomena`.
The learning-rate panel of the race figure is the schedule plot, with a cursor that moves with
the paths.
"""

from __future__ import annotations

import streamlit as st

import optim
import optim.request
import surfaces
from pages.lessons.warmup import cached
from pages.lessons.warmup import model as M
from pages.lessons.warmup import presets as PW
from pages.lessons.warmup.text import WARMUP as T
from pages.lib import controls, exports, widgets
from pages.lib.links import current_lang, tr
from pages.lib.runs import run_request
from pages.lib.text_names import optimizer_name, optimizer_note

PAGE = PW.PAGE
C = PW.CONTROLS

guard, present, side = widgets.page_header(PAGE, tr(T, "title"), tr(T, "intro"))
lang = current_lang()
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
title = optimizer_name(values["opt"], lang)
w = setup.run("warm").schedule.warmup
names = M.path_names(title, w, lang)
paths = tuple(M.path_view(spec, runs[spec.key], names[spec.key]) for spec in setup.runs)
widgets.show_watch(paths)

# --- show ----------------------------------------------------------------------------------------
window = M.fit_window(surface.window, paths) if fit else surface.window
fig = cached.race_cached(setup.surface_id, window, surface.log_scale, paths, present, widgets.figure_labels())
st.plotly_chart(fig, key=f"{PAGE}_chart", on_select="rerun", selection_mode=("points", "box"),
                config={"displaylogo": False, "scrollZoom": False}, theme=None)

st.markdown(f"**{tr(T, 'readout')}**")
for sentence in M.readout_sentences(values, setup, runs, names, lang):
    st.markdown(f"- {sentence}")

if not present:
    with st.expander(tr(T, "rules"), expanded=False):
        shown = set()
        for spec in setup.runs:
            opt = optim.make(spec.opt_id, **dict(spec.hyper))
            if spec.opt_id not in shown:
                shown.add(spec.opt_id)
                st.markdown(f"**{optimizer_name(spec.opt_id, lang)}**")
                st.latex(opt.latex)
                note_key = f"note_{spec.opt_id}"
                st.caption(f"{tr(T, 'rule_note')}: {tr(T, note_key) if note_key in T else optimizer_note(spec.opt_id, lang, opt.note)}")
        for spec in setup.runs:
            if spec.schedule.is_constant:
                continue
            sched = spec.schedule.build(float(values["lr"]), setup.steps)
            st.markdown(f"<span style='color:{spec.color};font-weight:700'>{tr(T, 'schedule_of', name=names[spec.key])}"
                        "</span>", unsafe_allow_html=True)
            st.latex(sched.latex)
    exports.setup_exports(fig, setup, runs, names, key=PAGE)
widgets.page_footer(present)

with note:
    guard.report()
