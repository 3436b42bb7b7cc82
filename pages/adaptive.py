"""Adaptive learning rate: one lr cannot fit two curvatures; AdaGrad (lecture form) bursts; RMSProp,
Adam; learning-rate decay removes the bursts and equals torch's Adagrad.

Controls are URL-bound through :class:`LinkGuard`; the link -> runs mapping is
:func:`pages.lessons.adaptive.presets.scene` (the tests run the presets through it); the threshold,
sentences and table from the lesson's ``model``; burst numbers from :mod:`optim.bursts`.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from pages.lessons.adaptive import cached
from pages.lessons.adaptive import model as M
from pages.lessons.adaptive.presets import (
    DECAY_KEY,
    DEFAULT_RACE,
    DEFAULT_STEPS,
    DEFAULT_SURFACE,
    MAX_SLOTS,
    PAGE,
    SURFACES,
    SlotSpec,
    scene_from_values,
)
from pages.lessons.adaptive.text import ADAPTIVE as T
from pages.lib import exports, widgets
from pages.lib.links import current_lang, tr
from pages.lib.registry import PLAYGROUND_MAX_STEPS
from pages.lib.runs import bursts_of, get_surface, run_request, surface_grid

guard, present, side = widgets.page_header(PAGE, tr(T, "title"), tr(T, "intro"))
lang = current_lang()

# --- controls ----------------------------------------------------------------------------
surface_id = guard.select(side, tr(T, "surface"), "surface", list(SURFACES), DEFAULT_SURFACE,
                          format_func=widgets.surface_label, alias=widgets.surface_title_en)
surface = get_surface(surface_id)
start = widgets.start_inputs(guard, side, surface, chart_key=f"{PAGE}_chart")
steps = guard.integer(side, tr(T, "steps"), "steps", DEFAULT_STEPS, 10, PLAYGROUND_MAX_STEPS)

side.subheader(tr(T, "optimizers"))
n_opt = guard.integer(side, tr(T, "n_optimizers"), "n", 4, 1, MAX_SLOTS, slider=True)
slots, specs = [], []
for i in range(n_opt):
    slot = widgets.optimizer_slot(guard, side, i, DEFAULT_RACE[i])
    decay = guard.toggle(side, tr(T, "decay", i=i + 1), DECAY_KEY.format(i=i + 1), False, help=tr(T, "decay_help"))
    if decay:
        slot = dataclasses.replace(slot, label=slot.label + tr(T, "decay_suffix"))
    slots.append(slot)
    specs.append(SlotSpec(slot.opt_id, slot.hyper, decay, slot.color))
slots = widgets.distinguish_slots(slots)
scene = scene_from_values(surface_id, start[0], start[1], steps, specs)

# --- compute -----------------------------------------------------------------------------
requests = [scene.request(s) for s in specs]
runs = [run_request(surface_id, "", req) for req in requests]
paths = [widgets.path_view(slot, run) for slot, run in zip(slots, runs)]
widgets.show_watch(paths)
bursts = [bursts_of(surface_id, "", req) for req in requests]

x_min, h_yy, threshold = M.stability(surface)

# --- show --------------------------------------------------------------------------------
guard.report()
fig = widgets.race_figure_cached(surface_id, "", surface.window, surface.log_scale, True, tuple(paths), present,
                                  labels=widgets.figure_labels())
st.plotly_chart(fig, key=f"{PAGE}_chart", on_select="rerun", selection_mode=("points", "box"),
                config={"displaylogo": False, "scrollZoom": False}, theme=None)
widgets.show_divergence_notes([s.label for s in slots], runs, surface.window,
                              surface_grid(surface_id, "", surface.window))

for sentence in M.sentences(slots, specs, runs, bursts, x_min, threshold, lang):
    st.markdown(f"- {sentence}")

series, marks = M.effective_series(slots, runs, bursts)
st.caption(f"**{tr(T, 'eff_title')}** — " + tr(T, "eff_caption", thr=threshold, h=h_yy))
eff_words = (tr(T, "threshold"), tr(T, "burst_marker"), widgets.figure_word("step_axis"))
st.plotly_chart(cached.effective_lr_figure(series, threshold, h_yy, marks, eff_words, present),
                key=f"{PAGE}_eff", theme=None, config={"displayModeBar": False})

if not present:
    st.subheader(tr(T, "readout"))
    rows = M.table_rows(slots, runs, bursts, [widgets.status_text(run) for run in runs], x_min, lang)
    colors = {slot.label: slot.color for slot in slots}
    st.dataframe(widgets.style_by_colour(rows, tr(T, "col_optimizer"), colors), hide_index=True, width="stretch")
    with st.expander(tr(T, "rules"), expanded=False):
        for key in ("rules_lecture_adagrad", "rules_torch_adagrad", "rules_rmsprop", "rules_adam"):
            st.markdown(f"- {tr(T, key)}")
        widgets.update_rules(slots)
    if (box := exports.export_box(PAGE)) is not None:
        with box:
            snippet = exports.Source(surface_id=surface_id, formula="",
                                      runs=[(slot.label, req) for slot, req in zip(slots, requests)])
            widgets.export_panel(fig, runs, [slot.label for slot in slots], snippet, key=PAGE)
widgets.page_footer(present)
