"""Critical points: find every stationary point of a surface, classify it with the Hessian, inspect
any point (gradient, Hessian, eigen-decomposition, Taylor model, stability bound), and watch six
ways of leaving (or not leaving) a saddle: the lecture's "Critical Point" section made live.

The lesson lives in :mod:`pages.lessons.critical` (model, figures, presets, text); this file only
composes widgets and calls. Engines: :func:`surfaces.critical_points` (the atlas), :mod:`optim.escape`
(the lecture's escape step, the predicted distance and the six runs: ``optim.escape.EscapeLab``).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import surfaces
from optim import escape
from pages.lessons.critical import cached
from pages.lessons.critical import model as M
from pages.lessons.critical.figures import distance_figure
from pages.lessons.critical.text import CRITICAL as T
from pages.lib import exports, widgets
from pages.lib.links import current_lang, tr
from pages.lib.runs import CUSTOM, run_request
from pages.lib.text import PLAYGROUND
from surfaces.atlas import EIG_TOL_REL, classify, eigen_tolerance

PAGE = "critical"
MAP_KEY = f"{PAGE}_map"
TABLE_KEY = f"{PAGE}_table"
AUTO = "auto"


def _apply_map_box() -> None:
    """A box dragged on the map sets the inspected point (before the px/py inputs render)."""
    point = widgets.set_point_from_box(MAP_KEY, "_crit_last_box", "px", "py")
    if point is not None:
        st.toast(tr(T, "point_set", x=point[0], y=point[1]))


def _apply_table_row(labels: list[str]) -> None:
    """A row clicked in the table becomes the picked point (and clears typed coordinates)."""
    state = st.session_state.get(TABLE_KEY)
    try:
        rows = list(state["selection"]["rows"]) if state else []
    except (KeyError, TypeError):
        return
    if not rows or st.session_state.get("_crit_last_row") == (rows[0], tuple(labels)):
        return
    st.session_state["_crit_last_row"] = (rows[0], tuple(labels))
    if 0 <= rows[0] < len(labels):
        st.session_state["pick"] = labels[rows[0]]


def _keep_valid(key: str, options: list[str], default: str) -> None:
    """After a surface change, a remembered choice that no longer exists goes back to the default."""
    if key in st.session_state and st.session_state[key] not in options:
        st.session_state[key] = default


# --- page ------------------------------------------------------------------------------------
guard, present, side = widgets.page_header(PAGE, tr(T, "title"), tr(T, "intro"))
lang = current_lang()

# surface (as on the playground)
side.subheader(tr(T, "surface"))
surface_ids = [*surfaces.SURFACE_IDS, CUSTOM]
default_surface = "lecture" if "lecture" in surfaces.CATALOG else surfaces.DEFAULT_SURFACE_ID
surface_id = guard.select(side, tr(T, "surface"), "surface", surface_ids, default_surface,
                          format_func=widgets.surface_label, alias=widgets.surface_title_en)
formula = ""
if surface_id == CUSTOM:
    formula = guard.text(side, "f(x, y) =", "formula", "(1 - w1*w2)^2", max_chars=surfaces.MAX_LENGTH)
surface_id, formula, surface = widgets.resolve_surface(surface_id, formula, where=side)
with side.expander(tr(PLAYGROUND, "window"), expanded=False):
    window = widgets.window_inputs(guard, st, surface)

atlas = cached.atlas_with_progress(surface_id, formula, window)
if atlas.degraded:
    # the exact algebra was skipped, timed out or failed: Newton only (the atlas did not cache it)
    st.warning(tr(T, "degraded", why=tr(T, f"degraded_{atlas.degraded_reason}")), icon=":material/warning:")
found = list(atlas.points)
labels = M.labels_of(found)
saddles = [p for p in found if p.kind == "saddle"]
saddle_labels = [lab for lab, p in zip(labels, found) if p.kind == "saddle"]

# inspector controls
_apply_table_row(labels)
_apply_map_box()
side.subheader(tr(T, "inspector"))
_keep_valid("pick", [AUTO, *labels], AUTO)
pick = guard.select(side, tr(T, "pick"), "pick", [AUTO, *labels], AUTO, help=tr(T, "pick_help"),
                    format_func=lambda o: tr(T, "auto") if o == AUTO else M.point_shown(o, lang), alias=str)
if st.session_state.get("_crit_last_pick", pick) != pick:
    st.session_state["px"] = None
    st.session_state["py"] = None
st.session_state["_crit_last_pick"] = pick
if pick != AUTO:
    base = found[labels.index(pick)]
elif saddles:
    base = saddles[0]
else:
    base = found[0] if found else None
bx, by = (base.x, base.y) if base is not None else (
    (window[0] + window[1]) / 2, (window[2] + window[3]) / 2)
bx, by = M.clean(bx), M.clean(by)
cols = side.columns(2)
px = guard.number(cols[0], "x", "px", bx, -1e3, 1e3, optional=True, help=tr(T, "px_help"))
py = guard.number(cols[1], "y", "py", by, -1e3, 1e3, optional=True)
ix = float(bx if px is None else px)
iy = float(by if py is None else py)
span = min(window[1] - window[0], window[3] - window[2])
rad = guard.number(side, tr(T, "radius"), "rad", round(0.15 * span, 3), 1e-6, 1e3, optional=True,
                   help=tr(T, "radius_help"))
radius = float(rad if rad is not None else 0.15 * span)

side.subheader(tr(T, "view"))
log_colour = guard.toggle(side, tr(T, "log_colour"), "logc", surface.log_scale)
show_arrows = guard.toggle(side, tr(T, "arrows"), "arrows", True)

# escape-lab controls
side.subheader(tr(T, "lab"))
lab_ok = bool(saddles)
if lab_ok:
    _keep_valid("sad", saddle_labels, saddle_labels[0])
    sad = guard.select(side, tr(T, "saddle"), "sad", saddle_labels, saddle_labels[0],
                       format_func=lambda o: M.point_shown(o, lang), alias=str)
    saddle = saddles[saddle_labels.index(sad)]
    H_s = escape.local_model(surface, saddle.x, saddle.y)
    auto_lr = M.auto_lab_lr(H_s.lam_max)
else:
    side.caption(tr(T, "no_saddle"))
    auto_lr = 0.01
lab_steps = guard.integer(side, tr(T, "lab_steps"), "esteps", 120, 5, 2000)
elr = guard.number(side, tr(T, "lab_lr"), "elr", auto_lr, 1e-6, 10.0, optional=True, fmt="%.4g",
                   help=tr(T, "lab_lr_help"))
eps = guard.number(side, tr(T, "eps"), "eps", 1e-3, 1e-12, 10.0, fmt="%.3g")
phi = guard.number(side, tr(T, "phi"), "phi", 30.0, -180.0, 180.0, fmt="%g", help=tr(T, "phi_help"))
ulen = guard.number(side, tr(T, "ulen"), "ulen", round(0.1 * span, 3), 1e-9, 1e3, optional=True, fmt="%.4g",
                    help=tr(T, "ulen_help"))
noise = guard.number(side, tr(T, "noise"), "noise", 0.2, 0.0, 1e3, fmt="%.3g", help=tr(T, "noise_help"))
mom = guard.number(side, tr(T, "mom"), "mom", 0.9, 0.0, 0.999, fmt="%.3f")
noff = guard.number(side, tr(T, "noff"), "noff", round(0.05 * span, 3), 1e-9, 1e3, optional=True, fmt="%.4g",
                    help=tr(T, "noff_help"))
seed = guard.integer(side, tr(T, "seed"), "seed", 0, 0, 2**31 - 1)

guard.report()

# --- atlas map + inspector -------------------------------------------------------------------
pts_key = M.points_key(found)
curves_key = M.curves_key(atlas.curves)
left, right = st.columns([3, 2], gap="small")
with left:
    fig = cached.map_figure(surface_id, formula, window, log_colour, pts_key, curves_key, show_arrows, (ix, iy),
                            present, widgets.figure_labels())
    st.plotly_chart(fig, key=MAP_KEY, on_select="rerun", selection_mode=("points", "box"),
                    config={"displaylogo": False, "scrollZoom": False}, theme=None)
    st.caption(tr(T, "map_caption"))
    for c in atlas.curves:
        st.caption(tr(T, "curve_line", kind=M.kind_name(c.kind, lang), f=f"{c.f:.4g}"))

model = escape.local_model(surface, ix, iy)
# eigenvalues within this of zero count as zero: no kind, bound or arrow is read from them
zero_tol = eigen_tolerance(model.eigenvalues, atlas.hessian_scale) if model.finite else 0.0
with right:
    st.markdown(f"#### {tr(T, 'inspect_at', x=ix, y=iy)}")
    if not model.finite:
        st.warning("f, g or H is not finite at this point.", icon=":material/warning:")
    else:
        _, _, kind = classify(model.hessian, scale=atlas.hessian_scale)
        kind_line, latex, why = M.inspection(model, kind, span, lang)
        st.markdown(kind_line)
        for line in latex:
            st.latex(line)
        if why is not None:
            st.caption(why)
        st.caption(tr(T, "eig_tol", tol=zero_tol, rel=EIG_TOL_REL, scale=atlas.hessian_scale))
        st.markdown(M.stability_text(model.eigenvalues, zero_tol, lang))
    st.plotly_chart(cached.taylor_figure(surface_id, formula, (ix, iy), radius, tr(T, "taylor_title"), present, zero_tol),
                    key=f"{PAGE}_taylor", config={"displayModeBar": False}, theme=None)
    st.caption(tr(T, "taylor_caption"))

# lecture's worked example
if surface_id == "lecture" or (surface_id == CUSTOM and "lecture" in surfaces.CATALOG
                               and surface.expr == surfaces.CATALOG["lecture"].expr):
    lecture_latex, lecture_text = M.lecture_example(surface, lang)
    with st.container(border=True):
        st.markdown(f"#### {tr(T, 'lecture_title')}")
        st.latex(lecture_latex)
        st.markdown(lecture_text)

# table of critical points
if found and not present:
    import pandas as pd  # streamlit depends on pandas

    rows = M.table_rows(found, lang)
    st.markdown(f"#### {tr(T, 'table')}")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=TABLE_KEY, on_select="rerun",
                 selection_mode="single-row")
elif not found:
    st.info(tr(T, "no_points"), icon=":material/search_off:")
counts = ", ".join(f"{n} {M.kind_name(k, lang)}" for k, n in atlas.counts.items()) or "0"
st.caption(tr(T, "atlas_summary", n=len(found), counts=counts, method=atlas.method, time=atlas.elapsed))
widgets.show_watch(())  # the presets' numbers here are the atlas's, not a path's
if not present:
    with st.expander(tr(T, "atlas_notes"), expanded=atlas.degraded):
        st.caption(tr(T, "eig_tol", tol=atlas.eig_tol, rel=EIG_TOL_REL, scale=atlas.hessian_scale))
        for note in atlas.notes:
            st.caption(M.note_text(note, lang))

# --- saddle-escape lab -----------------------------------------------------------------------
st.markdown(f"### {tr(T, 'lab')}")
if not lab_ok:
    st.info(tr(T, "no_saddle"), icon=":material/info:")
else:
    center = np.array([saddle.x, saddle.y])
    lr = float(elr if elr is not None else auto_lr)
    u_len = float(ulen if ulen is not None else 0.1 * span)
    n_off = float(noff if noff is not None else 0.05 * span)
    lab = escape.EscapeLab(center=tuple(center), hessian=tuple(map(tuple, H_s.hessian)), lr=lr, steps=lab_steps,
                           eps=eps, angle=phi, escape_length=u_len, newton_offset=n_off, noise=float(noise),
                           seed=seed, momentum=float(mom))
    start_c, drop = escape.escape_step(center, H_s.hessian, u_len)
    lab_requests = lab.requests()
    lab_runs = tuple(run_request(surface_id, formula, req) for req in lab_requests)
    views, dists = M.lab_views(lab_runs, center, H_s.f, lab_steps, lang)
    names = [v.name for v in views]
    predicted = escape.predicted_distance(eps, lr, H_s.eigenvalues, lab_steps, phi)

    st.caption(tr(T, "lab_intro", x=M.clean(saddle.x), y=M.clean(saddle.y), l1=H_s.lam_min, l2=H_s.lam_max, lr=lr))
    c1, c2 = st.columns([1, 1], gap="small")
    with c1:
        race = cached.lab_race_figure(surface_id, formula, window, log_colour, tuple(views), pts_key, present,
                                      widgets.figure_labels())
        st.plotly_chart(race, key=f"{PAGE}_race", config={"displaylogo": False, "scrollZoom": False}, theme=None)
    with c2:
        curves = [(names[i], M.LAB_COLORS[i], dists[i], M.LAB_DASH[i]) for i in range(6)]
        st.plotly_chart(distance_figure(curves, (tr(T, "predicted"), predicted), tr(T, "dist_zero"),
                                        tr(T, "dist_title"), present, step=tr(T, "step_t")),
                        key=f"{PAGE}_dist", config={"displayModeBar": False}, theme=None)

    st.markdown(f"**{tr(T, 'watch')}**")
    st.markdown("\n".join("- " + line for line in M.lab_watch(lab_runs, dists, surface, start_c, drop, H_s, eps, lr,
                                                               phi, span, lab_steps, lang)))
    if not present:
        if (box := exports.export_box(PAGE)) is not None:
            with box:
                snippet = exports.Source(
                    surface_id=surface_id, formula=formula, note=tr(T, "snippet_note", x=float(saddle.x), y=float(saddle.y)),
                    runs=list(zip(names, lab_requests)))
                widgets.export_panel(race, list(lab_runs), names, snippet, key=PAGE)
        with st.expander(tr(T, "lab_math"), expanded=False):
            for line in M.LAB_MATH:
                st.latex(line)

widgets.page_footer(present, animated=lab_ok)
