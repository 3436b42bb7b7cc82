"""Momentum: gradient descent vs the lecture's heavy ball, PyTorch's form and Nesterov.

The lecture's claims made live: momentum rolls past a shallow local minimum where gradient
descent stops; the movement m^t is the previous movement plus the gradient step, i.e. a weighted
sum of ALL past gradients; the lecture's form and PyTorch's agree for a constant lr and differ
under a schedule. Runs come from :func:`pages.lib.presets_momentum.setup` (shared with the
tests), measurements from :mod:`optim.phenomena`.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

import optim
import optim.export
import optim.request
import surfaces
from optim import phenomena
from pages.lib import controls, figures, widgets
from pages.lib import presets_momentum as PM
from pages.lib.links import tr
from pages.lib.runs import run_request, surface_grid
from pages.lib.text import COMMON
from pages.lib.text_momentum import MOMENTUM as T

PAGE = PM.PAGE
C = PM.CONTROLS
ARROW = {"previous": "#56B4E9", "gradient": "#D55E00", "movement": "#000000"}
BAR = {"x": "#0072B2", "y": "#E69F00"}
MAX_BARS = 40


def _pt(p) -> str:
    return f"({p[0]:.2f}, {p[1]:.2f})"


def _num(v: float) -> str:
    return f"{v:.3g}"


def _vec(v) -> str:
    return f"({v[0]:.3g},\\ {v[1]:.3g})"


@widgets.cached_figure(32)
def race_cached(surface_id, window, log_colour, paths, big, labels=()):
    xs, ys, Z = surface_grid(surface_id, "", window)
    surface = surfaces.CATALOG[surface_id]
    crit = [p for p in surface.known_points if p.kind in ("minimum", "maximum", "saddle")]
    return figures.race_figure(xs, ys, Z, list(paths), log_scale=log_colour, window=window, big=big,
                               log_loss=False, critical_points=crit, height=600, labels=dict(labels))


def _view(spec: controls.RunSpec, run, name: str) -> figures.PathView:
    return figures.PathView(name=name, color=spec.color, points=run.points, loss=run.loss, lr=run.lr,
                            effective_step=run.effective_step, grad_norm=np.linalg.norm(run.grad, axis=-1),
                            status=run.status, stop_step=run.stop_step, dash=spec.dash)


# --- readout -------------------------------------------------------------------------------------
def readout_sentences(surface, setup, runs, names, values) -> list[str]:
    """Sentences computed from the runs that name what happened."""
    out = []
    minima = [(p.x, p.y) for p in surface.known_points if p.kind == "minimum"]
    for key, run in runs.items():
        if run.status == "diverged":
            out.append(tr(T, "ro_diverged", name=names[key], k=run.stop_step))
    gd, mom = runs.get("gd"), runs["lecture"]
    if gd is not None and gd.status != "diverged" and mom.status != "diverged":
        b_gd = phenomena.settled_basin(gd, minima) if minima else None
        b_mom = phenomena.settled_basin(mom, minima) if minima else None
        p_gd, p_mom = gd.points[-1], mom.points[-1]
        if np.linalg.norm(p_gd - p_mom) > 0.05 and b_gd is not None:
            d = p_gd - np.asarray(setup.start)
            axis = int(np.argmax(np.abs(d)))
            k = phenomena.first_crossing(mom, float(p_gd[axis]), axis)
            if k is not None and b_mom is not None:
                which = tr(T, "deeper" if mom.loss[-1] < gd.loss[-1] else "shallower")
                out.append(tr(T, "ro_passed", gd=names["gd"], mom=names["lecture"], p_gd=_pt(p_gd),
                              f_gd=_num(gd.loss[-1]), k=k, p_mom=_pt(p_mom), f_mom=_num(mom.loss[-1]), which=which))
            else:
                out += [_end(gd, names["gd"], minima), _end(mom, names["lecture"], minima)]
        elif np.linalg.norm(p_gd - p_mom) <= 0.05:
            k_gd = phenomena.arrival_step(gd, p_mom)
            k_mom = phenomena.arrival_step(mom, p_mom)
            out.append(tr(T, "ro_same", gd=names["gd"], mom=names["lecture"], p=_pt(p_mom), f=_num(mom.loss[-1]),
                          k_gd=tr(T, "never") if k_gd is None else k_gd,
                          k_mom=tr(T, "never") if k_mom is None else k_mom))
        else:
            out += [_end(gd, names["gd"], minima), _end(mom, names["lecture"], minima)]
    elif gd is None and mom.status != "diverged":
        out.append(_end(mom, names["lecture"], minima))
    torch = runs.get("torch")
    if torch is not None and torch.status != "diverged" and mom.status != "diverged":
        gap, first = phenomena.path_gap(mom, torch)
        if first is None:
            out.append(tr(T, "ro_forms_same", gap=f"{gap:.1e}"))
        else:
            out.append(tr(T, "ro_forms_apart", gamma=f"{values['gamma']:g}", at=values["decay_at"], k=first, gap=_num(gap),
                          p_torch=_pt(torch.points[-1]), f_torch=_num(torch.loss[-1]),
                          p_lecture=_pt(mom.points[-1]), f_lecture=_num(mom.loss[-1])))
    nest = runs.get("nesterov")
    if nest is not None and nest.status != "diverged":
        out.append(tr(T, "ro_nesterov", p=_pt(nest.points[-1]), f=_num(nest.loss[-1])))
    return out


def _end(run, name, minima) -> str:
    settled = minima and phenomena.settled_basin(run, minima) is not None
    status = tr(T, "ro_settled") if settled or run.status == "converged" else tr(T, "ro_moving", k=run.steps)
    return tr(T, "ro_end", name=name, p=_pt(run.points[-1]), f=_num(run.loss[-1]), status=status)


# --- the movement taken apart ---------------------------------------------------------------------
def _sup(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"))


@widgets.cached_figure(64)
def decomposition_figure(surface_id: str, log_colour: bool, _run, run_key, t: int, lam: float, big: bool,
                         lang: str):
    """Arrows at theta^{t-1} (left) and the bars of m^t = sum of weighted past gradients (right)."""
    d = phenomena.movement_decomposition(_run, t, lam)
    surface = surfaces.CATALOG[surface_id]
    o = d.origin
    tips = np.array([o, o + d.previous, o + d.actual, _run.points[t]])
    lo, hi = tips.min(axis=0), tips.max(axis=0)
    half = max(float((hi - lo).max()) * 0.75, 0.15)
    mid = (lo + hi) / 2
    window = (mid[0] - half, mid[0] + half, mid[1] - half, mid[1] + half)
    xs, ys, Z = surface.grid(120, window)
    fig = make_subplots(rows=2, cols=2, column_widths=[0.42, 0.58], row_heights=[0.35, 0.65],
                        specs=[[{"rowspan": 2}, {}], [None, {}]], horizontal_spacing=0.1, vertical_spacing=0.14,
                        subplot_titles=("", tr(T, "weights"), tr(T, "contrib")))
    fig.add_trace(figures.iso_line_trace(xs, ys, Z, log_colour, width=0.8), 1, 1)
    near = _run.points[max(0, t - 6): t + 4]
    fig.add_trace(go.Scatter(x=near[:, 0], y=near[:, 1], mode="lines+markers", hoverinfo="skip", showlegend=False,
                             line=dict(color=PM.COLORS["lecture"], width=2), marker=dict(size=6), opacity=0.6), 1, 1)
    fig.add_trace(go.Scatter(x=[o[0], o[0] + d.actual[0]], y=[o[1], o[1] + d.actual[1]], mode="markers+text",
                             text=[f"θ{_sup(t - 1)}", f"θ{_sup(t)}"], textposition=["top right", "bottom left"], hoverinfo="skip",
                             showlegend=False, marker=dict(size=9, color="white", line=dict(color="black", width=2)),
                             textfont=dict(size=16)), 1, 1)
    arrows = [(o, o + d.actual, ARROW["movement"], f"m{_sup(t)}", 6),
              (o, o + d.previous, ARROW["previous"], f"λm{_sup(t - 1)}", 3),
              (o + d.previous, o + d.actual, ARROW["gradient"], f"−ηg{_sup(t - 1)}", 3)]
    ann = []
    for side_sign, (tail, tip, color, label, width) in zip((-1, 1, 1), arrows):
        vec = tip - tail
        length = float(np.linalg.norm(vec))
        if length < 1e-12:
            continue
        ann.append(dict(x=tip[0], y=tip[1], ax=tail[0], ay=tail[1], xref="x", yref="y", axref="x", ayref="y",
                        showarrow=True, arrowhead=3, arrowsize=1.2 if width < 5 else 0.8, arrowwidth=width,
                        arrowcolor=color, text=""))
        normal = np.array([-vec[1], vec[0]]) / length * side_sign
        at = tail + vec * (0.5 if label.startswith("−") else 0.4)
        ann.append(dict(x=at[0], y=at[1], xref="x", yref="y", text=f"<b>{label}</b>", showarrow=False,
                        font=dict(size=17, color=color), bgcolor="rgba(255,255,255,0.8)",
                        xshift=float(26 * normal[0]), yshift=float(26 * normal[1])))
    fig.update_layout(images=[dict(source=figures.surface_image(xs, ys, Z, log_colour), xref="x", yref="y",
                                   x=window[0], y=window[3], sizex=2 * half, sizey=2 * half, sizing="stretch",
                                   layer="below", opacity=0.85)])
    fig.update_xaxes(range=[window[0], window[1]], row=1, col=1, constrain="domain", showgrid=False, title_text="x")
    fig.update_yaxes(range=[window[2], window[3]], row=1, col=1, scaleanchor="x", scaleratio=1, constrain="domain",
                     showgrid=False, title_text="y")

    # bars: the last MAX_BARS - 1 gradients one by one, the older ones lumped into one bar
    idx, w, c = d.index, d.weights, d.contributions
    if t > MAX_BARS:
        cut = t - (MAX_BARS - 1)
        labels = [tr(T, "older")] + [str(i) for i in idx[cut:]]
        w_show = np.concatenate([[w[:cut].sum()], w[cut:]])
        c_show = np.vstack([c[:cut].sum(axis=0), c[cut:]])
    else:
        labels = [str(i) for i in idx]
        w_show, c_show = w, c
    fig.add_trace(go.Bar(x=labels, y=w_show, marker_color="#888", showlegend=False,
                         hovertemplate="i = %{x}: %{y:.4g}<extra></extra>"), 1, 2)
    for k, (part, color) in enumerate((("x", BAR["x"]), ("y", BAR["y"]))):
        fig.add_trace(go.Bar(x=labels + ["Σ = m" + _sup(t)], y=np.append(c_show[:, k], d.movement[k]),
                             name=tr(T, f"{part}_part"), marker_color=color, legendgroup=part,
                             marker_line=dict(color=["rgba(0,0,0,0)"] * len(labels) + ["black"],
                                              width=[0] * len(labels) + [2.5]),
                             hovertemplate="%{x}: %{y:.4g}<extra>" + tr(T, f"{part}_part") + "</extra>"), 2, 2)
    fig.update_layout(barmode="group", template=go.layout.Template(), height=430 if not big else 520,
                      margin=dict(l=50, r=10, t=30, b=40), paper_bgcolor="white", plot_bgcolor="#f7f7f7",
                      font=dict(family=figures.FONT_FAMILY, size=15 if not big else 19, color="#222"),
                      annotations=list(fig.layout.annotations) + ann,
                      legend=dict(orientation="h", x=1.0, xanchor="right", y=0.6, yanchor="bottom",
                                  bgcolor="rgba(255,255,255,0.8)"))
    fig.update_xaxes(type="category", row=1, col=2, showticklabels=False)
    fig.update_xaxes(type="category", row=2, col=2, title_text=tr(T, "gradient_i"))
    return fig, d


# ==================================================================================================
guard, present, side = widgets.page_header(PAGE, tr(T, "title"), tr(T, "intro"))
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
names = {key: tr(T, f"name_{key}") for key in ("gd", "lecture", "torch", "nesterov")}
paths = tuple(_view(spec, runs[spec.key], names[spec.key]) for spec in setup.runs)
widgets.show_watch(paths)

# --- show ----------------------------------------------------------------------------------------
window = surface.window
fig = race_cached(setup.surface_id, window, surface.log_scale, paths, present, widgets.figure_labels())
st.plotly_chart(fig, key=f"{PAGE}_chart", on_select="rerun", selection_mode="box",
                config={"displaylogo": False, "scrollZoom": False}, theme=None)

st.markdown(f"**{tr(T, 'readout')}**")
for sentence in readout_sentences(surface, setup, runs, names, values):
    st.markdown(f"- {sentence}")

# the movement taken apart, at a chosen step of the lecture-form path
lecture = runs["lecture"]
n_moves = len(lecture.update)
st.subheader(tr(T, "decomp"))
if n_moves:
    # presenter mode: the step slider lives in the (hidden) sidebar, so the link still sets it
    t = controls.make_widget(guard, side if present else st,
                       controls.Control("t", "integer", C["t"].default, 1, max(int(values["steps"]), 2)),
                       tr(T, "t_slider"), slider=True)
    t = int(min(max(t, 1), n_moves))
    if not present:
        st.caption(tr(T, "decomp_caption"))
    run_key = setup.request(setup.run("lecture"))
    dfig, d = decomposition_figure(setup.surface_id, surface.log_scale, lecture, run_key, t,
                                   float(values["lam"]), present, st.query_params.get("lang", "en"))
    st.plotly_chart(dfig, key=f"{PAGE}_decomp", theme=None, config={"displayModeBar": False})
    err = float(np.abs(d.movement - d.actual).max())
    st.markdown(tr(T, "decomp_numbers", t=t, prev=_vec(d.previous), grad=_vec(d.gradient_step), m=_vec(d.actual),
                   n=t, s=_vec(d.movement), err=f"{err:.1e}"))
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
        col.latex(opt.latex)
        col.caption(tr(T, f"note_{opt_id}"))
    if values["decay"]:
        sched = setup.runs[0].schedule.build(lr, setup.steps)
        st.markdown(f"**{tr(T, 'schedule_rule')}**")
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
