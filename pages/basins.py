"""Basin map: for every start on a grid, which critical point does each optimizer end at?

Up to three optimizers side by side on the same grid over the surface's window, each cell coloured
by the critical point of the atlas its run ends at ("diverged" and "not settled" have their own
colours); with gradient noise every start runs K times and the colour's intensity is the
probability of the most likely end. The maps fill in coarse to fine. A box dragged on a map sets
the race start: the same optimizers then race from there (the playground's runs layer), and the
start is in the link (x0, y0).

The lesson lives in :mod:`pages.lessons.basins` (presets and the controls-to-maps mapping, text,
model, figures, cached bridges); engines: :func:`optim.basins.basin_maps`,
:func:`surfaces.critical_points`.
"""

from __future__ import annotations

import time

import streamlit as st

import surfaces
from pages.lessons.basins import cached
from pages.lessons.basins import controls as BC
from pages.lessons.basins import figures as F
from pages.lessons.basins import model as M
from pages.lessons.basins.text import BASINS as T
from pages.lib import controls, exports, widgets
from pages.lib.figures import PathView
from pages.lib.links import current_lang, tr
from pages.lib.runs import run_request

PAGE = BC.PAGE
C = BC.CONTROLS
MAP_KEY = f"{PAGE}_maps"


def _apply_map_selection() -> None:
    """A box dragged (or a marker clicked) on a map sets the race start, before its inputs render."""
    point = M.point_from_selection(st.session_state.get(MAP_KEY))
    if point is None or st.session_state.get("_basins_last_pick") == point:
        return
    st.session_state["_basins_last_pick"] = point
    st.session_state["x0"], st.session_state["y0"] = point
    st.toast(tr(T, "start_set", x=point[0], y=point[1]))


guard, present, side = widgets.page_header(PAGE, tr(T, "title"), tr(T, "intro"))
lang = current_lang()
note = st.container()
_apply_map_selection()

# --- controls ------------------------------------------------------------------------------------
values = {}
values["surface"] = guard.select(side, tr(T, "surface"), "surface", list(C["surface"].options), C["surface"].default,
                                 format_func=lambda sid: M.surface_display(sid, lang))
side.subheader(tr(T, "optimizers"))


def _opt_label(opt_id: str) -> str:
    return tr(T, "none") if opt_id == BC.NONE else M.optimizer_name(opt_id, lang)


for i in range(BC.SLOTS):
    c = C[f"o{i + 1}"]
    cols = side.columns([3, 2])
    values[c.key] = guard.select(cols[0], tr(T, "optimizer", i=i + 1), c.key, list(c.options), c.default,
                                 format_func=_opt_label)
    values[f"lr{i + 1}"] = controls.make_widget(guard, cols[1], C[f"lr{i + 1}"], tr(T, "lr", i=i + 1), fmt="%.4g")
values["lam"] = controls.make_widget(guard, side, C["lam"], tr(T, "lam"), fmt="%.3f", help=tr(T, "lam_help"))
side.subheader(tr(T, "map"))
values["steps"] = controls.make_widget(guard, side, C["steps"], tr(T, "steps"))
values["n"] = controls.make_widget(guard, side, C["n"], tr(T, "grid"), help=tr(T, "grid_help"))
side.subheader(tr(T, "noise"))
side.caption(tr(T, "noise_help"))
values["noise"] = controls.make_widget(guard, side, C["noise"], tr(T, "noise_scale"), fmt="%.3g")
values["k"] = controls.make_widget(guard, side, C["k"], tr(T, "seeds"))
values["seed"] = controls.make_widget(guard, side, C["seed"], tr(T, "seed"))
side.subheader(tr(T, "start"))
cols = side.columns(2)
values["x0"] = controls.make_widget(guard, cols[0], C["x0"], "x₀", help=tr(T, "start_help"))
values["y0"] = controls.make_widget(guard, cols[1], C["y0"], "y₀")

# --- the maps, coarse to fine -------------------------------------------------------------------
setup = BC.setup(values)
surface = surfaces.CATALOG[setup.surface_id]
names = M.map_names(setup.maps, lang)
titles = F.titles_of(setup.maps, lang)
labels = widgets.figure_labels()
maps_slot = st.empty()
bar = st.empty()
views: list = [None] * len(setup.maps)
computed = []


def _draw_interim(done: list) -> None:
    targets = next((v.targets for v in done if v is not None), ())
    spec = F.basin_figure_spec(done, titles, targets, setup.race.start, present, lang, dict(labels),
                               window=setup.maps[0].window, final_n=int(values["n"]))
    maps_slot.plotly_chart(widgets.PrebuiltFigure(spec), config={"displaylogo": False}, theme=None)


started = time.perf_counter()
for i, req in enumerate(setup.maps):
    def report(fraction: float, message: str, i: int = i, req=setup.maps[i]) -> None:
        computed.append(i)
        whole = (i + min(max(float(fraction), 0.0), 1.0)) / len(setup.maps)
        bar.progress(whole, text=f"{tr(T, 'computing')} {tr(T, 'computing_map', name=names[i], n=req.n)}")

    def level(view, i: int = i) -> None:
        _draw_interim([*views[:i], view, *views[i + 1:]])

    views[i] = cached.basin_view(req, report, level)
    if computed and i + 1 < len(setup.maps):
        _draw_interim(views)
elapsed = time.perf_counter() - started  # the maps computed in this run (with their coarser levels)
bar.empty()
views = tuple(views)
targets = views[0].targets
fig = cached.basin_figure(setup.maps, tuple(titles), setup.race.start, present, lang, labels, views)
maps_slot.plotly_chart(fig, key=MAP_KEY, on_select="rerun", selection_mode=("points", "box"),
                       config={"displaylogo": False, "scrollZoom": False}, theme=None)
if not present:
    st.caption(tr(T, "map_caption"))
    if any(v.noisy for v in views):
        st.caption(tr(T, "noise_caption", tol=setup.maps[0].match_tol))
    if computed:
        st.caption(tr(T, "computed", cells=views[-1].cells, time=elapsed))

rows = M.shares_table(views, lang)  # the basins' legend: colour, critical point, share on each map
colours = F.outcome_colours(targets)
by_name = {"■ " + M.target_name(targets, o, lang): c for o, c in colours.items()}
st.dataframe(widgets.style_by_colour(rows, "", by_name), hide_index=True, width="stretch")
st.markdown(f"**{tr(T, 'readout')}**")
st.markdown("\n".join(f"- {s}" for s in M.readout_sentences(views, lang)))

# --- the race from the chosen start --------------------------------------------------------------
requests = setup.requests()
runs = [run_request(setup.surface_id, "", req) for req in requests]
paths = tuple(PathView(name=name, color=spec.color, points=run.points, loss=run.loss, lr=run.lr,
                       effective_step=run.effective_step, status=run.status, stop_step=run.stop_step)
              for name, spec, run in zip(names, setup.race.runs, runs))
widgets.show_watch(paths)
x0, y0 = setup.race.start
st.markdown(f"#### {tr(T, 'race', x=x0, y=y0)}")
crit = tuple(t for t in targets if t[2] in ("minimum", "maximum", "saddle", "degenerate"))
race = widgets.race_figure_cached(setup.surface_id, "", surface.window, surface.log_scale, True, paths, present,
                                  labels, critical_points=crit, height=520)
st.plotly_chart(race, key=f"{PAGE}_race", config={"displaylogo": False, "scrollZoom": False}, theme=None)
st.markdown("\n".join(f"- {s}" for s in M.race_sentences(names, runs, targets, surface.window, lang,
                                                          tol=setup.maps[0].match_tol)))

if not present:
    st.caption(tr(T, "race_caption"))
    with st.expander(tr(T, "rules"), expanded=False):
        st.markdown(tr(T, "rules_text", tol=setup.maps[0].match_tol, lam=f"{values['lam']:g}"))
    if (box := exports.export_box(PAGE)) is not None:
        with box:
            snippet = exports.Source(surface_id=setup.surface_id, formula="", note=tr(T, "snippet_note"),
                                      runs=list(zip(names, requests)))
            widgets.export_panel(race, runs, names, snippet, key=PAGE)
            st.download_button(tr(T, "map_csv"), data=lambda: M.maps_csv(views, lang), file_name="descent-lab-basins.csv",
                               mime="text/csv", key=f"{PAGE}_maps_csv", icon=":material/grid_on:", on_click="ignore")
            st.caption(tr(T, "map_python"))
            st.code(M.map_snippet(setup), language="python")
widgets.page_footer(present)

with note:
    guard.report()
