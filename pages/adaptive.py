"""Adaptive learning rate: one lr cannot fit two curvatures; AdaGrad (lecture form) bursts; RMSProp,
Adam; learning-rate decay removes the bursts and equals torch's Adagrad.

Controls are URL-bound through :class:`LinkGuard`; the link -> runs mapping is
:func:`pages.lib.presets_adaptive.scene` (the tests run the presets through it); burst numbers come
from :mod:`optim.bursts`.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import optim.request
from optim.bursts import max_difference, sideways_bounces
from pages.lib import figures, widgets
from pages.lib.links import tr
from pages.lib.presets_adaptive import (
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
from pages.lib.registry import PLAYGROUND_MAX_STEPS
from pages.lib.runs import bursts_of, get_surface, run_request, surface_grid
from pages.lib.text import COMMON
from pages.lib.text_adaptive import ADAPTIVE as T

guard, present, side = widgets.page_header(PAGE, tr(T, "title"), tr(T, "intro"))

# --- controls ----------------------------------------------------------------------------
surface_id = guard.select(side, tr(T, "surface"), "surface", list(SURFACES), DEFAULT_SURFACE,
                          format_func=widgets.surface_label)
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

minima = [p for p in surface.known_points if p.kind == "minimum"]
x_min = np.array([minima[0].x, minima[0].y]) if minima else np.zeros(2)
h_yy = float(np.asarray(surface.hessian(np.array([x_min[0]]), np.array([x_min[1]])))[1, 1].ravel()[0])
threshold = 2.0 / h_yy if h_yy > 0 else float("nan")


def _distance(point) -> float:
    return float(np.linalg.norm(np.asarray(point, float) - x_min))


@widgets.cached_figure(32)
def effective_lr_figure(series, threshold, h_yy, marks, labels, big):
    """η_t/σ_y (|Δy|/|g_y|) per optimizer on a log axis, the stability limit 2/h_yy, burst markers."""
    fig = go.Figure()
    top = 0.0
    for name, color, eff in series:
        y = np.where(np.isfinite(eff) & (eff > 0), eff, np.nan).astype(np.float32)
        top = max(top, float(np.nanmax(y)) if np.isfinite(y).any() else 0.0)
        fig.add_trace(go.Scatter(x0=0, dx=1, y=y, mode="lines", name=name, line=dict(color=color, width=2.4 if big else 1.8),
                                 hovertemplate=f"<b>{name}</b> step %{{x:d}}: η/σ_y = %{{y:.3g}}<extra></extra>"))
    for name, color, steps_, values in marks:
        if steps_:
            fig.add_trace(go.Scatter(x=list(steps_), y=list(values), mode="markers", name=f"{name}: {labels[1]}",
                                     marker=dict(symbol="triangle-down", size=13 if big else 10, color=color,
                                                 line=dict(color="black", width=1)), showlegend=False,
                                     hovertemplate=f"<b>{name}</b> {labels[1]} step %{{x:d}}<extra></extra>"))
    if np.isfinite(threshold):
        fig.add_hline(y=threshold, line=dict(color="#444", dash="dash", width=1.5),
                      annotation_text=f"{labels[0]} = {threshold:.3g}", annotation_position="top left")
    axis = dict(showgrid=True, gridcolor="#e6e6e6", zeroline=False, showline=True, linecolor="#444", ticks="outside")
    fig.update_layout(template=go.layout.Template(), height=260 if not big else 330,
                      margin=dict(l=60, r=10, t=10, b=40), paper_bgcolor="white", plot_bgcolor="white",
                      font=dict(family=figures.FONT_FAMILY, size=20 if big else 15, color="#222"),
                      legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"),
                      xaxis=dict(axis, title=dict(text=labels[2], standoff=2)),
                      yaxis=dict(axis, type="log", dtick=1, title=dict(text="η_t / σ_y", standoff=2), exponentformat="power"))
    return fig


# --- show --------------------------------------------------------------------------------
guard.report()
fig = widgets.race_figure_cached(surface_id, "", surface.window, surface.log_scale, True, tuple(paths), present,
                                  labels=widgets.figure_labels())
st.plotly_chart(fig, key=f"{PAGE}_chart", on_select="rerun", selection_mode="box",
                config={"displaylogo": False, "scrollZoom": False}, theme=None)
widgets.show_divergence_notes([s.label for s in slots], runs, surface.window,
                              surface_grid(surface_id, "", surface.window))


def _sentences() -> list[str]:
    out = []
    for slot, spec, run, b in zip(slots, specs, runs, bursts):
        lr = dict(spec.hyper).get("lr", float("nan"))
        flips, n_up, ratio = sideways_bounces(run)
        dist, d0 = _distance(run.points[-1]), _distance(run.points[0])
        eff = run.effective_step[:, 1]
        eff_max = float(np.nanmax(eff)) if np.isfinite(eff).any() else float("nan")
        if run.status == "diverged":
            out.append(tr(T, "say_diverged", name=slot.label, lr=lr, thr=threshold, ratio=ratio, k=run.stop_step))
        elif b.count:
            out.append(tr(T, "say_bursts", name=slot.label, count=b.count, steps=", ".join(map(str, b.steps)),
                          jump=b.largest, thr=threshold, eff=eff_max))
        elif n_up and flips > 0.3 * n_up:
            out.append(tr(T, "say_bounce", name=slot.label, flips=flips, n=n_up, ratio=ratio, dist=dist))
        elif d0 > 0 and dist > 0.05 * d0:
            out.append(tr(T, "say_crawl", name=slot.label, n=run.steps, dist=dist, pct=100 * dist / d0, d0=d0))
        else:
            settle = b.settle_step or 0
            jump = float(np.nanmax(np.abs(run.update[settle:, 1]))) if run.steps > settle else 0.0
            out.append(tr(T, "say_calm", name=slot.label, dist=dist, n=run.steps, jump=jump))
    # the lecture's AdaGrad with eta/sqrt(t+1) next to torch's Adagrad with the same lr: the same path
    for i, a in enumerate(specs):
        for j, b_ in enumerate(specs):
            ha, hb = dict(a.hyper), dict(b_.hyper)
            if (a.opt_id == "adagrad_lecture" and a.decay and b_.opt_id == "adagrad" and not b_.decay
                    and ha["lr"] == hb["lr"] and ha["eps"] == hb["eps"] and hb["lr_decay"] == 0
                    and hb["weight_decay"] == 0 and hb["initial_accumulator_value"] == 0):
                out.append(tr(T, "say_same", a=slots[i].label, b=slots[j].label,
                              diff=max_difference(runs[i], runs[j]), n=min(runs[i].steps, runs[j].steps)))
    return out


for sentence in _sentences():
    st.markdown(f"- {sentence}")

series = tuple((slot.label, slot.color, np.asarray(run.effective_step[:, 1], dtype=float))
               for slot, run in zip(slots, runs))
marks = tuple((slot.label, slot.color, b.steps,
               tuple(float(run.effective_step[max(s - 1, 0), 1]) for s in b.steps))
              for slot, run, b in zip(slots, runs, bursts))
st.caption(f"**{tr(T, 'eff_title')}** — " + tr(T, "eff_caption", thr=threshold, h=h_yy))
eff_words = (tr(T, "threshold"), tr(T, "burst_marker"), widgets.figure_word("step_axis"))
st.plotly_chart(effective_lr_figure(series, threshold, h_yy, marks, eff_words, present),
                key=f"{PAGE}_eff", theme=None, config={"displayModeBar": False})

if not present:
    st.subheader(tr(T, "readout"))
    rows = []
    for slot, run, b in zip(slots, runs, bursts):
        x, y = run.points[-1]
        flips, n_up, _ = sideways_bounces(run)
        eff = run.effective_step[:, 1]
        rows.append({
            tr(T, "col_optimizer"): slot.label,
            tr(T, "col_final"): f"({x:.4g}, {y:.4g})",
            tr(T, "col_dist"): f"{_distance(run.points[-1]):.3g}",
            tr(T, "col_bounces"): f"{flips} / {n_up}",
            tr(T, "col_bursts"): f"{b.count}: {', '.join(map(str, b.steps))}" if b.count else tr(T, "none"),
            tr(T, "col_jump"): f"{b.largest:.3g}" if b.count else "–",
            tr(T, "col_eff"): f"{np.nanmax(eff):.3g}" if np.isfinite(eff).any() else "–",
            tr(T, "col_status"): widgets.status_text(run),
        })
    colors = {slot.label: slot.color for slot in slots}
    st.dataframe(widgets.style_by_colour(rows, tr(T, "col_optimizer"), colors), hide_index=True, width="stretch")
    with st.expander(tr(T, "rules"), expanded=False):
        for key in ("rules_lecture_adagrad", "rules_torch_adagrad", "rules_rmsprop", "rules_adam"):
            st.markdown(f"- {tr(T, key)}")
        widgets.update_rules(slots)
    with st.expander(tr(COMMON, "exports"), expanded=False):
        snippet = optim.request.snippet(surface_id=surface_id, formula="",
                                        runs=[(slot.label, req) for slot, req in zip(slots, requests)])
        widgets.export_panel(fig, runs, [slot.label for slot in slots], snippet, key=PAGE)
    widgets.link_box()
else:
    widgets.autoplay()
    st.caption(tr(COMMON, "presenter_hint"))
