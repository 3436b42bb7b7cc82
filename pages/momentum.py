"""Momentum: gradient descent vs the lecture's heavy ball, PyTorch's form and Nesterov.

The lecture's claims made live: momentum rolls past a shallow local minimum where gradient
descent stops; the movement m^t is the previous movement plus the gradient step, i.e. a weighted
sum of ALL past gradients; the lecture's form and PyTorch's agree for a constant lr and differ
under a schedule. The lesson lives in :mod:`pages.lessons.momentum`: runs come from
:func:`pages.lessons.momentum.presets.setup` (shared with the tests), sentences from its
``model``, figures from its ``figures``, measurements from :mod:`optim.phenomena`.
"""

from __future__ import annotations

import streamlit as st

import optim
import optim.request
import surfaces
from pages.lessons.momentum import cached
from pages.lessons.momentum import model as M
from pages.lessons.momentum import presets as PM
from pages.lessons.momentum.text import MOMENTUM as T
from pages.lib import controls, exports, widgets
from pages.lib.links import current_lang, tr
from pages.lib.runs import run_request

PAGE = PM.PAGE
C = PM.CONTROLS

guard, present, side = widgets.page_header(PAGE, tr(T, "title"), tr(T, "intro"))
lang = current_lang()
note = st.container()

# --- controls ------------------------------------------------------------------------------------
values = {}
values["surface"] = controls.make_widget(guard, side, C["surface"], tr(T, "surface"))
surface = surfaces.CATALOG[values["surface"]]
values["x0"], values["y0"] = widgets.start_inputs(guard, side, surface, chart_key=f"{PAGE}_chart")
values["steps"] = controls.make_widget(guard, side, C["steps"], tr(T, "steps"))
values["lr"] = controls.make_widget(guard, side, C["lr"], tr(T, "lr"), fmt="%.4g")
values["lam"] = controls.make_widget(guard, side, C["lam"], tr(T, "lam"), fmt="%.3g", step=0.01)
side.subheader(tr(T, "paths"))
values["gd"] = controls.make_widget(guard, side, C["gd"], tr(T, "show_gd"))
values["torch"] = controls.make_widget(guard, side, C["torch"], tr(T, "show_torch"))
values["nesterov"] = controls.make_widget(guard, side, C["nesterov"], tr(T, "show_nesterov"))
side.subheader(tr(T, "schedule"))
values["decay"] = controls.make_widget(guard, side, C["decay"], tr(T, "decay"), help=tr(T, "decay_help"))
cols = side.columns(2)
values["decay_at"] = controls.make_widget(guard, cols[0], C["decay_at"], tr(T, "decay_at"))
values["gamma"] = controls.make_widget(guard, cols[1], C["gamma"], tr(T, "gamma"), fmt="%.3g", step=0.05)

# --- compute -------------------------------------------------------------------------------------
setup = PM.setup({**values, "t": 1})
runs = {spec.key: run_request(setup.surface_id, "", setup.request(spec)) for spec in setup.runs}
names = M.path_names(lang)
paths = tuple(M.path_view(spec, runs[spec.key], names[spec.key]) for spec in setup.runs)
widgets.show_watch(paths)

# --- show ----------------------------------------------------------------------------------------
window = surface.window
fig = cached.race_cached(setup.surface_id, window, surface.log_scale, paths, present, widgets.figure_labels())
st.plotly_chart(fig, key=f"{PAGE}_chart", on_select="rerun", selection_mode=("points", "box"),
                config={"displaylogo": False, "scrollZoom": False}, theme=None)

st.markdown(f"**{tr(T, 'readout')}**")
for sentence in M.readout_sentences(surface, setup, runs, names, values, lang):
    st.markdown(f"- {sentence}")

# the movement taken apart, at a chosen step of the lecture-form path
lecture = runs["lecture"]
n_moves = len(lecture.update)
st.subheader(tr(T, "decomp"))
if n_moves:
    # presenter mode: the step slider lives in the (hidden) sidebar, so the link still sets it
    t = controls.make_widget(guard, side if present else st,
                             controls.Control("t", "slider", C["t"].default, 1, max(int(values["steps"]), 2)),
                             tr(T, "t_slider"))
    t = int(min(max(t, 1), n_moves))
    if not present:
        st.caption(tr(T, "decomp_caption"))
    run_key = setup.request(setup.run("lecture"))
    dfig, d = cached.decomposition_figure(setup.surface_id, surface.log_scale, lecture, run_key, t,
                                          float(values["lam"]), present, lang)
    st.plotly_chart(dfig, key=f"{PAGE}_decomp", theme=None, config={"displayModeBar": False})
    st.markdown(M.decomposition_numbers(d, t, lang))
else:
    st.caption(tr(T, "no_moves"))

if not present:
    st.subheader(tr(T, "forms"))
    st.caption(tr(T, "forms_caption"))
    lr, lam = float(values["lr"]), float(values["lam"])
    cols = st.columns(3)
    for col, (key, opt_id) in zip(cols, (("lecture", "momentum"), ("torch", "sgd"), ("nesterov", "nesterov"))):
        opt = optim.make(opt_id, lr=lr, momentum=lam)
        col.markdown(f"<span style='color:{PM.COLORS[key]};font-weight:700;font-size:1.1em'>{names[key]}</span>",
                     unsafe_allow_html=True)
        # one equation per line: side by side, the pair was clipped in a third of a 1400 px page
        col.latex(r"\begin{gathered}" + opt.latex.replace(r",\quad ", r",\\ ") + r"\end{gathered}")
        col.caption(tr(T, f"note_{opt_id}"))
    if values["decay"]:
        sched = setup.runs[0].schedule.build(lr, setup.steps)
        st.markdown(f"**{tr(T, 'schedule_rule')}**")
        st.latex(sched.latex)
    exports.setup_exports(fig, setup, runs, names, key=PAGE)
widgets.page_footer(present)

with note:
    guard.report()
