"""Build an optimizer: the lecture's summary rule theta <- theta - (eta_t / sigma) m from its three parts.

Pick m (the direction), sigma (the per-coordinate size) and the schedule eta_t; the page shows the
composed rule with the chosen pieces, says which named optimizer it is exactly (or that it is a new
combination, :func:`optim.compose.recognise`), and races it against the named optimizers on any catalog
surface. The lesson lives in :mod:`pages.lessons.compose`: runs from its ``presets.setup`` (shared with the
tests; the composition is an ordinary ``RunRequest`` with ``opt_id`` ``"composed"``), the LaTeX, the
recognition, the lecture-vs-PyTorch notes and the readout from its ``model``, the race from its ``figures``.
"""

from __future__ import annotations

import streamlit as st

import optim
import optim.request
import surfaces
from pages.lessons.compose import cached
from pages.lessons.compose import model as M
from pages.lessons.compose import presets as PC
from pages.lessons.compose.text import COMPOSE as T
from pages.lib import controls, exports, widgets
from pages.lib.links import current_lang, tr
from pages.lib.runs import run_request, surface_grid

PAGE = PC.PAGE
C = PC.CONTROLS

guard, present, side = widgets.page_header(PAGE, tr(T, "title"), tr(T, "intro"))
lang = current_lang()
note = st.container()


def pick(key: str, label: str, where=side, **kw):
    """The URL-bound widget of control ``key`` (a select shows its options' names in the page's language)."""
    return controls.make_widget(guard, where, C[key], label, **kw)


PIECE_FORMATS = {"lam": "%.4g", "damp": "%.4g", "beta1": "%.4g", "s0": "%.4g", "alpha": "%.5g", "beta2": "%.5g",
                 "eps": "%.0e"}


def piece_setting(key: str, where=side):
    return pick(key, tr(T, key), where=where, **({"fmt": PIECE_FORMATS[key]} if key in PIECE_FORMATS else {}))


# --- the three parts -------------------------------------------------------------------------------
values = {}
side.subheader(tr(T, "parts"))
values["m"] = pick("m", tr(T, "m"))
for key in PC.M_CONTROLS[values["m"]]:
    values[key] = piece_setting(key)
m_rule = side.empty()
values["sigma"] = pick("sigma", tr(T, "sigma"))
for key in PC.SIGMA_CONTROLS[values["sigma"]] + (PC.EPS_CONTROLS if values["sigma"] != "one" else ()):
    values[key] = piece_setting(key)
s_rule = side.empty()
# Every piece setting is a control of the page (a link keeps them when the pieces change): those of
# the pieces not chosen sit in a closed expander (the named optimizers that have them use them).
rest = side.expander(tr(T, "other_settings"), expanded=False)
for key in PC.PIECE_CONTROLS:
    if key not in values:
        values[key] = piece_setting(key, rest)
values["lr"] = pick("lr", tr(T, "lr"), fmt="%.4g")
values["sched"] = pick("sched", tr(T, "eta"))
values["warmup"] = pick("warmup", tr(T, "warmup"), help=tr(T, "warmup_help"))
eta_rule = side.empty()

# --- the race --------------------------------------------------------------------------------------
side.subheader(tr(T, "race"))
for i, key in enumerate(PC.RACE_KEYS):
    values[key] = pick(key, tr(T, "vs", i=i + 1), help=tr(T, "vs_help"))
values["same_sched"] = pick("same_sched", tr(T, "same_sched"), help=tr(T, "same_sched_help"))
side.subheader(tr(T, "where"))
values["surface"] = pick("surface", tr(T, "surface"))
surface = surfaces.CATALOG[values["surface"]]
values["x0"], values["y0"] = widgets.start_inputs(guard, side, surface, chart_key=f"{PAGE}_chart")
values["steps"] = pick("steps", tr(T, "steps"))
side.subheader(tr(T, "noise"))
side.caption(tr(T, "noise_help"))
values["noise"] = pick("noise", tr(T, "noise_scale"), fmt="%.3g")
values["batch"] = pick("batch", tr(T, "batch_size"))
values["seed"] = pick("seed", tr(T, "seed"))

# --- compute ---------------------------------------------------------------------------------------
setup = PC.setup(values)
chosen = PC.parts_of(values)
schedule = setup.run("composed").schedule
runs = {spec.key: run_request(setup.surface_id, "", setup.request(spec)) for spec in setup.runs}
names = M.path_names(setup, lang)
paths = tuple(M.path_view(spec, runs[spec.key], names[spec.key]) for spec in setup.runs)
widgets.show_watch(paths)

# --- show ------------------------------------------------------------------------------------------
tex = M.rule(chosen, schedule, setup.steps)
m_rule.latex(M.gathered(tex["m"]))
s_rule.latex(M.gathered(tex["sigma"]))
eta_rule.latex(M.gathered(tex["eta"]))

rule_col, name_col = st.columns([3, 2], vertical_alignment="center")  # one row: the plot stays on screen
rule_col.latex(M.headline_latex(chosen, big=present))
found, sentence = M.recognition(chosen, lang)
if found is not None:
    name_col.success(sentence, icon=":material/verified:")
else:
    name_col.info(sentence, icon=":material/new_releases:")

window = surface.window
fig = cached.race_cached(setup.surface_id, window, surface.log_scale, paths, present, widgets.figure_labels())
st.plotly_chart(fig, key=f"{PAGE}_chart", on_select="rerun", selection_mode=("points", "box"),
                config={"displaylogo": False, "scrollZoom": False}, theme=None)
widgets.show_divergence_notes([names[s.key] for s in setup.runs], [runs[s.key] for s in setup.runs], window,
                              surface_grid(setup.surface_id, "", window))

st.markdown(f"**{tr(T, 'readout')}**")
for text in M.readout_sentences(setup, runs, names, surface, lang):
    st.markdown(f"- {text}")
when = M.schedule_note(schedule, lang)
if when:
    st.caption(when)

if not present:
    st.markdown(f"**{tr(T, 'differences')}**")
    for text in M.differences(chosen, lang):
        st.caption(text)
    with st.expander(tr(T, "rules"), expanded=False):
        for spec in setup.runs:
            if spec.key == "composed":
                continue
            opt = optim.make(spec.opt_id, **dict(spec.hyper))
            st.markdown(f"<span style='color:{spec.color};font-weight:700'>{M.made_of(spec.opt_id, spec.hyper, lang)}"
                        "</span>", unsafe_allow_html=True)
            st.latex(opt.latex)
    exports.setup_exports(fig, setup, runs, names, key=PAGE)
widgets.page_footer(present)

with note:
    guard.report()
