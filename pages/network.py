"""Real network: four claims of the lecture measured on a 2-32-1 tanh network trained live.

1. a stall is not a critical point (loss flat, ||g|| large); 2. the minimum ratio at points where
Newton on the gradient stops (and how it depends on the zero tolerance); 3. small vs large batch
trained to the same loss (sharpness and test loss per seed); 4. the linear scaling rule with
warm-up. One section is computed per view (a fresh link costs one section's training). The
lesson lives in :mod:`pages.lessons.network`: controls, presets and the controls-to-run mapping
in ``presets``, numbers and sentences in ``model``, figures in ``figures``, caches in ``cached``.
This file only composes widgets and calls.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from pages.lessons.network import cached
from pages.lessons.network import figures as F
from pages.lessons.network import model as M
from pages.lessons.network import presets as PN
from pages.lessons.network.text import NETWORK as T
from pages.lib import claims, controls, exports, widgets
from pages.lib.links import current_lang, tr
from pages.lib.presets import PRESETS

PAGE = PN.PAGE
C = PN.CONTROLS

guard, present, side = widgets.page_header(PAGE, tr(T, "title"), tr(T, "intro"))
lang = current_lang()
note = st.container()

# --- controls ------------------------------------------------------------------------------------
section_control = dataclasses.replace(C["section"], label=lambda s: tr(T, f"sec_{s}"))
values = {"section": controls.make_widget(guard, side, section_control, tr(T, "section"))}
HELP = {"lr": tr(T, "lr_help"), "tol": tr(T, "tol_help"),
        "point": tr(T, "point_help", n=M.RATIO["epochs"] // M.RATIO["snapshot_every"], every=M.RATIO["snapshot_every"]),
        "small": tr(T, "small_help"), "k": tr(T, "k_help", b=M.SCALING["batch"], lr=M.SCALING["lr"]),
        "warmup": tr(T, "warmup_help")}
FMT = {"lr": "%.3g", "tol": "%.1e"}
mine = PN.GROUPS[values["section"]]
side.subheader(tr(T, "settings"))
for key in mine:
    values[key] = controls.make_widget(guard, side, C[key], tr(T, key), help=HELP.get(key),
                                       **({"fmt": FMT[key]} if key in FMT else {}))
with side.expander(tr(T, "other_settings"), expanded=False):
    for section, keys in PN.GROUPS.items():
        if section == values["section"]:
            continue
        st.caption(tr(T, f"sec_{section}"))
        for key in keys:
            values[key] = controls.make_widget(guard, st, C[key], tr(T, key), help=HELP.get(key),
                                               **({"fmt": FMT[key]} if key in FMT else {}))

# --- compute and show ------------------------------------------------------------------------------
setup = PN.setup(values)
section, args = setup.section, setup.args
with st.spinner(tr(T, "computing"), show_time=True):
    if section == "stall":
        res = cached.stall(*args)
        figs = [cached.stall_figure(args, lang, present, res)]
    elif section == "ratio":
        res = cached.ratio()
        figs = [cached.ratio_scatter(*args, lang, present, res), cached.ratio_histogram(*args, lang, present, res)]
    elif section == "batch":
        res = cached.batch(*args)
        figs = [cached.batch_panel(args, field, lang, present, res) for field in ("sharpness", "test_loss")]
    else:
        res = cached.scaling(*args)
        figs = [cached.scaling_figure(*args, lang, present, res)]
widgets.show_watch(M.trace_views(claims.drawn_from_traces([f.to_dict() for f in figs])))

if present:
    st.markdown(f"### {tr(T, f'sec_{section}')}")
for where, (j, fig) in zip(st.columns(len(figs)), enumerate(figs)):
    where.plotly_chart(fig, key=f"{PAGE}_{section}_{j}", config={"displaylogo": False, "scrollZoom": False},
                       theme=None)
st.caption(M.caption(section, args, lang))

if section == "stall":
    st.markdown(f"#### {tr(T, 'question')}")
st.markdown(f"**{tr(T, 'readout')}**")
for sentence in M.sentences(section, res, args, lang):
    st.markdown(f"- {sentence}")

if not present:
    data_spec = M.section_data(section)
    st.caption(tr(T, "network_line", sizes=M.SIZES, p=M.MODEL.n_params, n=data_spec["n_train"],
                  m=data_spec["n_test"], seed=data_spec["seed"]))
    st.markdown(tr(T, "slice_line", sizes=M.SIZES, race=PRESETS["network_slice_race"].link(lang=lang),
                   atlas=PRESETS["critical_network_slice"].link(lang=lang)))
    if (box := exports.export_box(PAGE)) is not None:
        with box:
            cols = st.columns(2)
            cols[0].download_button(tr(T, "export_csv"), data=M.section_csv(section, res, args),
                                    file_name=f"descent-lab-network-{section}.csv", mime="text/csv",
                                    key=f"{PAGE}_csv", icon=":material/table:", on_click="ignore")
            cols[1].download_button(tr(T, "export_html"), data=lambda: F.offline_html(figs),
                                    file_name=f"descent-lab-network-{section}.html", mime="text/html",
                                    key=f"{PAGE}_html", icon=":material/movie:", on_click="ignore")
            st.caption(tr(T, "export_code"))
            st.code(M.snippet(section, setup.values), language="python")
widgets.page_footer(present, animated=False)  # its figures are not animated

with note:
    guard.report()
