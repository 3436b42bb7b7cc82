"""Playground: race up to six optimizers on any surface, with synced panels and a link."""

from __future__ import annotations

import streamlit as st

import surfaces
from optim.request import RunRequest
from pages.lib import exports, widgets
from pages.lib.links import tr
from pages.lib.registry import PLAYGROUND_MAX_STEPS
from pages.lib.runs import CUSTOM, run_request, surface_grid
from pages.lib.text import PLAYGROUND as T

PAGE = "playground"
MAX_OPTIMIZERS = 6
DEFAULT_RACE = ("gd", "momentum", "adagrad", "rmsprop", "adam", "newton")

guard, present, side = widgets.page_header(PAGE, tr(T, "title"), tr(T, "intro"))

# --- surface -----------------------------------------------------------------------------
side.subheader(tr(T, "surface"))
surface_ids = [*surfaces.SURFACE_IDS, CUSTOM]
surface_id = guard.select(side, tr(T, "surface"), "surface", surface_ids, surfaces.DEFAULT_SURFACE_ID,
                          format_func=widgets.surface_label, alias=widgets.surface_title_en)
formula = ""
if surface_id == CUSTOM:
    formula = guard.text(side, tr(T, "formula"), "formula", "(1 - w1*w2)^2", max_chars=surfaces.MAX_LENGTH,
                         help=tr(T, "formula_help"))
surface_id, formula, surface = widgets.resolve_surface(surface_id, formula, where=side)

with side.expander(tr(T, "window"), expanded=False):
    window = widgets.window_inputs(guard, st, surface)
start = widgets.start_inputs(guard, side, surface, chart_key=f"{PAGE}_chart")
steps = guard.integer(side, tr(T, "steps"), "steps", 300, 10, PLAYGROUND_MAX_STEPS)

# --- optimizers --------------------------------------------------------------------------
side.subheader(tr(T, "optimizers"))
n_opt = guard.integer(side, tr(T, "n_optimizers"), "n", MAX_OPTIMIZERS, 1, MAX_OPTIMIZERS, slider=True)
slots = widgets.distinguish_slots([widgets.optimizer_slot(guard, side, i, DEFAULT_RACE[i]) for i in range(n_opt)])

side.subheader(tr(T, "schedule"))
schedule = widgets.schedule_inputs(guard, side, steps)
side.subheader(tr(T, "noise"))
noise, seed = widgets.noise_inputs(guard, side)

side.subheader(tr(T, "view"))
log_colour = guard.toggle(side, tr(T, "log_colour"), "logc", surface.log_scale)
log_loss = guard.toggle(side, tr(T, "log_loss"), "logl", True)
show_3d = guard.toggle(side, tr(T, "show_3d"), "3d", False)

# --- compute -----------------------------------------------------------------------------
requests = [RunRequest(slot.opt_id, slot.hyper, start, steps, schedule, noise, seed) for slot in slots]
runs = [run_request(surface_id, formula, req) for req in requests]
paths = [widgets.path_view(slot, run) for slot, run in zip(slots, runs)]
widgets.show_watch(paths)

# --- show --------------------------------------------------------------------------------
guard.report()
fig = widgets.race_figure_cached(surface_id, formula, window, log_colour, log_loss, tuple(paths), present,
                                  labels=widgets.figure_labels())
event = st.plotly_chart(fig, key=f"{PAGE}_chart", on_select="rerun", selection_mode=("points", "box"),
                        config={"displaylogo": False, "scrollZoom": False}, theme=None)

widgets.show_divergence_notes([s.label for s in slots], runs, window, surface_grid(surface_id, formula, window))

if show_3d:
    st.plotly_chart(widgets.surface_3d_cached(surface_id, formula, window, log_colour, tuple(paths)),
                    key=f"{PAGE}_3d", theme=None)

if not present:
    widgets.readout_table(slots, runs)
    widgets.schedule_plot(side, slots, runs)
    with st.expander(tr(T, "rules"), expanded=False):
        widgets.update_rules(slots)
    with st.expander(tr(T, "derivatives"), expanded=False):
        widgets.derivatives(surface)
    if (box := exports.export_box(PAGE)) is not None:
        with box:
            snippet = exports.Source(surface_id=surface_id, formula=formula,
                                      runs=[(slot.label, req) for slot, req in zip(slots, requests)])
            widgets.export_panel(fig, runs, [s.label for s in slots], snippet, key=PAGE)
widgets.page_footer(present)
