"""Critical points: find every stationary point of a surface, classify it with the Hessian, inspect
any point (gradient, Hessian, eigen-decomposition, Taylor model, stability bound), and watch six
ways of leaving (or not leaving) a saddle: the lecture's "Critical Point" section made live.

Engines: :func:`surfaces.critical_points` (the atlas), :mod:`optim.escape` (the lecture's escape
step and the predicted distance), :func:`optim.simulate` through the cached ``run_request`` (the six runs: ``optim.escape.EscapeLab``).
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import optim.request
import surfaces
from optim import escape
from pages.lib import figures, widgets
from pages.lib.links import current_lang, tr
from pages.lib.runs import CUSTOM, get_surface, run_request, surface_grid
from pages.lib.text import COMMON, LANGS, PLAYGROUND
from pages.lib.text_critical import CRITICAL as T
from pages.lib.text_critical import KIND_NAMES
from surfaces.atlas import EIG_TOL_REL, classify, eigen_tolerance

PAGE = "critical"
MAP_KEY = f"{PAGE}_map"
TABLE_KEY = f"{PAGE}_table"
AUTO = "auto"
ESCAPE_RED = "#D55E00"
LAB_COLORS = ("#000000", "#E69F00", "#D55E00", "#56B4E9", "#009E73", "#CC79A7")  # (a)..(f), Okabe-Ito
LAB_DASH = ("solid", "solid", "solid", "solid", "solid", "dash")
LAB_MARKERS = ("square", "circle", "diamond", "circle", "circle", "star")


# --- small helpers ---------------------------------------------------------------------------
def kind_name(kind: str) -> str:
    entry = KIND_NAMES.get(kind)
    return entry[LANGS.index(current_lang())] if entry else kind


def clean(v: float, scale: float = 1.0) -> float:
    """Round-off to exact zero (no '-0', no '3e-17' in formulas shown to students)."""
    v = float(v)
    if not math.isfinite(v):
        return v
    if abs(v) <= 1e-9 * max(1.0, abs(scale)):
        return 0.0
    return v + 0.0


def num(v: float, scale: float = 1.0, digits: int = 4) -> str:
    v = clean(v, scale)
    if not math.isfinite(v):
        return "\\text{NaN}" if v != v else ("\\infty" if v > 0 else "-\\infty")
    text = f"{v:.{digits}g}"
    if "e" in text:
        mant, exp = text.split("e")
        return f"{mant}\\times 10^{{{int(exp)}}}"
    return text


def point_label(p) -> str:
    """Stable, language-free label of a found point (it appears in links)."""
    return f"{p.kind} ({clean(round(p.x, 6)):.3g}, {clean(round(p.y, 6)):.3g})"


def labels_of(points) -> list[str]:
    out = []
    for p in points:
        label = point_label(p)
        while label in out:
            label += "'"
        out.append(label)
    return out


def bmatrix(rows) -> str:
    return r"\begin{bmatrix}" + r" \\ ".join(" & ".join(r) for r in rows) + r"\end{bmatrix}"


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


# --- cached computations ---------------------------------------------------------------------
def atlas_with_progress(surface_id: str, formula: str, window: tuple):
    """The atlas (bounded in time; cached by the atlas itself) with a live progress bar."""
    surface = get_surface(surface_id, formula)
    bar = st.empty()

    def report(fraction: float, message: str) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=f"{tr(T, 'computing')} {message}")

    with st.spinner(tr(T, "computing")):
        atlas = surfaces.critical_points(surface, window, progress=report)
    bar.empty()
    return atlas


@widgets.cached_figure(32)
def map_figure(surface_id: str, formula: str, window: tuple, log_colour: bool, points: tuple, curves: tuple,
               arrows: bool, inspect: tuple, big: bool, labels: tuple = ()):
    """Static map: surface image, iso-lines, markers by kind, curves, eigenvector arrows, the ring.

    ``points``: (x, y, f, kind, l1, l2, v1x, v1y, v2x, v2y) tuples; ``curves``: (xs, ys, kind, f);
    ``labels``: :func:`widgets.figure_labels` of the page's language (kind names; a cache key)."""
    words = figures.figure_labels_with(dict(labels))
    xs, ys, Z = surface_grid(surface_id, formula, window)
    xmin, xmax, ymin, ymax = window
    s = 1.3 if big else 1.0
    traces = [figures.colorbar_trace(Z, log_colour, x=1.0, font_size=round(14 * s)),
              figures.iso_line_trace(xs, ys, Z, log_colour)]
    for cx, cy, kind, f in curves:
        traces.append(go.Scatter(x=np.asarray(cx, dtype=np.float32), y=np.asarray(cy, dtype=np.float32),
                                 mode="lines", name=kind_name(kind), line=dict(color="white", width=3 * s, dash="dash"),
                                 hovertemplate=f"{kind_name(kind)}, f = {f:.4g}<extra></extra>"))
    for kind in ("minimum", "maximum", "saddle", "degenerate"):
        rows = [p for p in points if p[3] == kind]
        if not rows:
            continue
        a = np.array([p[:3] + p[4:6] for p in rows], dtype=float)
        sym = figures.CRITICAL_SYMBOLS[kind]
        line = dict(color="black", width=2) if sym == "x" else dict(color="white", width=1.5)
        traces.append(go.Scatter(
            x=a[:, 0], y=a[:, 1], customdata=a[:, 2:], mode="markers", name=words[kind],
            marker=dict(symbol=sym, size=15 * s, color="white" if sym == "x" else "black", line=line),
            hovertemplate=(f"<b>{words[kind]}</b> (%{{x:.4g}}, %{{y:.4g}})<br>f = %{{customdata[0]:.4g}}"
                           "<br>λ = %{customdata[1]:.4g}, %{customdata[2]:.4g}<extra></extra>")))
    ix, iy = inspect
    traces.append(go.Scatter(x=[ix], y=[iy], mode="markers", name="θ'", cliponaxis=False,
                             marker=dict(symbol="circle-open", size=26 * s, color="#CC79A7", line=dict(width=4 * s)),
                             hovertemplate="θ' (%{x:.4g}, %{y:.4g})<extra></extra>"))
    annotations = []
    if arrows:
        length = 0.16 * min(xmax - xmin, ymax - ymin)
        for p in points:
            if p[3] != "saddle":
                continue
            x, y = p[0], p[1]
            for vx, vy, color, width in ((p[6], p[7], ESCAPE_RED, 3.5), (p[8], p[9], "white", 2)):
                for sign in (1, -1):
                    annotations.append(dict(x=x + sign * length * vx, y=y + sign * length * vy, ax=x, ay=y,
                                            xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                                            arrowhead=2, arrowsize=1.1, arrowwidth=width * s, arrowcolor=color,
                                            text=""))
    fig = go.Figure(traces)
    x0, x1 = figures.cell_extent(xs)
    y0, y1 = figures.cell_extent(ys)
    aspect = (xmax - xmin) / (ymax - ymin)
    axis = dict(showgrid=False, zeroline=False, ticks="outside", showline=True, linecolor="#444", mirror=True,
                tickfont=dict(size=round(13 * s)))
    fig.update_layout(
        template=go.layout.Template(), height=round(540 * s), margin=dict(l=50, r=10, t=10, b=70),
        paper_bgcolor="white", plot_bgcolor="#f2f2f2", dragmode="select",
        font=dict(family=figures.FONT_FAMILY, size=round(15 * s), color="#222"),
        legend=dict(orientation="h", x=0, y=-0.09, yanchor="top", bgcolor="#d9d9d9",
                    itemsizing="constant"),
        xaxis=dict(axis, domain=[0, 0.9], range=[xmin, xmax], title=dict(text="x (w1)", standoff=0),
                   constrain="domain"),
        yaxis=dict(axis, range=[ymin, ymax], title=dict(text="y (w2)", standoff=4), constrain="domain",
                   **(dict(scaleanchor="x", scaleratio=1) if 0.4 <= aspect <= 2.5 else {})),
        images=[dict(source=figures.surface_image(xs, ys, Z, log_colour), xref="x", yref="y", x=x0, y=y1,
                     sizex=x1 - x0, sizey=y1 - y0, xanchor="left", yanchor="top", sizing="stretch",
                     layer="below", opacity=0.9)],
        annotations=annotations,
    )
    return fig


@widgets.cached_figure(32)
def taylor_figure(surface_id: str, formula: str, center: tuple, radius: float, title: str, big: bool,
                  zero_tol: float = 0.0):
    """The surface (filled contours) and its second-order Taylor model (dashed) around ``center``;
    the red arrow along v₁ only where λ₁ < -``zero_tol`` (never from a numerically-zero eigenvalue)."""
    surface = get_surface(surface_id, formula)
    model = escape.local_model(surface, *center)
    n = 90
    gx = np.linspace(center[0] - radius, center[0] + radius, n)
    gy = np.linspace(center[1] - radius, center[1] + radius, n)
    X, Y = np.meshgrid(gx, gy)
    with np.errstate(all="ignore"):
        F = np.asarray(surface.f(X, Y), dtype=float)
        Q = model.taylor(X, Y)
    fin = F[np.isfinite(F)]
    lo, hi = (float(np.percentile(fin, 2)), float(np.percentile(fin, 98))) if fin.size else (0.0, 1.0)
    if hi - lo < 1e-12:
        lo, hi = lo - 1, hi + 1
    size = (hi - lo) / 12
    contours = dict(start=lo, end=hi, size=size)
    s = 1.3 if big else 1.0
    fig = go.Figure([
        go.Contour(x=gx, y=gy, z=F, colorscale="Viridis", contours=dict(contours, coloring="fill"),
                   line=dict(width=0.5, color="rgba(255,255,255,0.6)"), showscale=False, name="f",
                   hovertemplate="(%{x:.3g}, %{y:.3g}) f = %{z:.4g}<extra></extra>"),
        go.Contour(x=gx, y=gy, z=Q, contours=dict(contours, coloring="none"), showscale=False, name="Taylor",
                   line=dict(width=2 * s, color="black", dash="dash"), hoverinfo="skip"),
        go.Scatter(x=[center[0]], y=[center[1]], mode="markers", showlegend=False, hoverinfo="skip",
                   marker=dict(symbol="circle-open", size=16 * s, color="#CC79A7", line=dict(width=3 * s))),
    ])
    if model.finite and model.lam_min < -zero_tol:
        v = model.v_min * radius * 0.6
        fig.add_annotation(x=center[0] + v[0], y=center[1] + v[1], ax=center[0], ay=center[1], xref="x", yref="y",
                           axref="x", ayref="y", showarrow=True, arrowhead=2, arrowwidth=3 * s, arrowcolor=ESCAPE_RED,
                           text="")
    axis = dict(showgrid=False, zeroline=False, ticks="outside", showline=True, linecolor="#444", mirror=True,
                tickfont=dict(size=round(12 * s)), nticks=5)
    fig.update_layout(template=go.layout.Template(), height=round(330 * s), margin=dict(l=45, r=10, t=34, b=30),
                      title=dict(text=title, x=0, font=dict(size=round(14 * s))), paper_bgcolor="white",
                      font=dict(family=figures.FONT_FAMILY, size=round(13 * s), color="#222"), showlegend=False,
                      xaxis=dict(axis, range=[gx[0], gx[-1]], constrain="domain"),
                      yaxis=dict(axis, range=[gy[0], gy[-1]], scaleanchor="x", scaleratio=1, constrain="domain"))
    return fig


@widgets.cached_figure(32)
def lab_race_figure(surface_id: str, formula: str, window: tuple, log_colour: bool, paths: tuple,
                    points: tuple, big: bool, labels: tuple = ()):
    xs, ys, Z = surface_grid(surface_id, formula, window)
    crit = [(p[0], p[1], p[3]) for p in points]
    fig = figures.race_figure(xs, ys, Z, list(paths), log_scale=log_colour, window=window, critical_points=crit,
                              panels=False, big=big, height=560, xlabel="x (w1)", ylabel="y (w2)",
                              labels=dict(labels))
    fig.update_layout(showlegend=False, margin=dict(t=10))  # the distance plot beside it carries the legend
    return fig


def distance_figure(curves, predicted, zero_note: str, title: str, big: bool):
    """Distance from the saddle (log y) per run, with the lecture's prediction dashed."""
    s = 1.3 if big else 1.0
    traces = []
    positives = []
    for name, color, d, dash in curves:
        d = np.asarray(d, dtype=float)
        y = np.where(d > 0, d, np.nan)
        positives.append(y[np.isfinite(y)])
        traces.append(go.Scatter(x=np.arange(d.size), y=y, mode="lines", name=name,
                                 line=dict(color=color, width=2.5 * s, dash=dash),
                                 hovertemplate=f"<b>{name}</b> step %{{x}}: %{{y:.3g}}<extra></extra>"))
    pname, pd = predicted
    traces.append(go.Scatter(x=np.arange(pd.size), y=pd, mode="lines", name=pname,
                             line=dict(color="#777", width=3 * s, dash="dot"),
                             hovertemplate=f"{pname} step %{{x}}: %{{y:.3g}}<extra></extra>"))
    allv = np.concatenate([p for p in positives if p.size] + [pd[np.isfinite(pd) & (pd > 0)]])
    lo = max(float(np.min(allv)) if allv.size else 1e-6, 1e-3 * float(pd[0]) if pd.size and pd[0] > 0 else 1e-14)
    seen = np.concatenate([p for p in positives if p.size] or [np.ones(1)])
    hi = 3 * float(np.max(seen))
    traces[-1].y = np.where(pd <= hi, pd, np.nan)  # the linear prediction only holds near the saddle
    axis = dict(showgrid=True, gridcolor="#e6e6e6", zeroline=False, showline=True, linecolor="#444", ticks="outside",
                tickfont=dict(size=round(13 * s)))
    fig = go.Figure(traces)
    fig.update_layout(
        template=go.layout.Template(), height=round(560 * s), margin=dict(l=60, r=10, t=40, b=45),
        paper_bgcolor="white", plot_bgcolor="white", title=dict(text=title, x=0, font=dict(size=round(15 * s))),
        font=dict(family=figures.FONT_FAMILY, size=round(14 * s), color="#222"),
        legend=dict(orientation="h", x=0, y=-0.12, yanchor="top", font=dict(size=round(13 * s))),
        xaxis=dict(axis, title=dict(text="step t", standoff=2)),
        yaxis=dict(axis, type="log", range=[math.log10(lo) - 0.3, math.log10(hi) + 0.3], exponentformat="power"),
        annotations=[dict(text=zero_note, xref="paper", yref="paper", x=0.01, y=0.01, xanchor="left",
                          yanchor="bottom", showarrow=False, font=dict(size=round(12 * s), color="#000"))],
    )
    return fig


def stability_text(eigenvalues, zero_tol: float) -> str:
    """The GD stability bound 2/λ_max, or why there is none (no bound from a numerically-zero λ)."""
    lam = float(eigenvalues[1])
    if not math.isfinite(lam):
        return tr(T, "stability_none")
    if lam > zero_tol:
        return tr(T, "stability", bound=2.0 / lam)
    if lam >= -zero_tol:
        return tr(T, "stability_zero", lam=lam, tol=zero_tol)
    return tr(T, "stability_none")


def bound_cell(eigenvalues, zero_tol: float) -> str:
    """The table's 'GD stable if η <' cell: 2/λ_max, ∞ (no positive curvature) or none (λ_max ≈ 0)."""
    lam = float(eigenvalues[1])
    if not math.isfinite(lam):
        return "∞"
    if lam > zero_tol:
        return f"{2.0 / lam:.4g}"
    return tr(T, "bound_zero") if lam >= -zero_tol else "∞"


def first_beyond(d: np.ndarray, threshold: float) -> int | None:
    idx = np.flatnonzero(np.asarray(d) > threshold)
    return int(idx[0]) if idx.size else None


# --- page ------------------------------------------------------------------------------------
guard, present, side = widgets.page_header(PAGE, tr(T, "title"), tr(T, "intro"))

# surface (as on the playground)
side.subheader(tr(T, "surface"))
surface_ids = [*surfaces.CATALOG, CUSTOM]
default_surface = "lecture" if "lecture" in surfaces.CATALOG else surfaces.DEFAULT_SURFACE_ID
surface_id = guard.select(side, tr(T, "surface"), "surface", surface_ids, default_surface,
                          format_func=widgets.surface_label)
formula = ""
if surface_id == CUSTOM:
    formula = guard.text(side, "f(x, y) =", "formula", "(1 - w1*w2)^2", max_chars=surfaces.MAX_LENGTH)
surface_id, formula, surface = widgets.resolve_surface(surface_id, formula, where=side)
with side.expander(tr(PLAYGROUND, "window"), expanded=False):
    window = widgets.window_inputs(guard, st, surface)

atlas = atlas_with_progress(surface_id, formula, window)
if atlas.degraded:
    # the exact algebra was skipped, timed out or failed: Newton only (the atlas did not cache it)
    st.warning(tr(T, "degraded", why=tr(T, f"degraded_{atlas.degraded_reason}")), icon=":material/warning:")
found = list(atlas.points)
labels = labels_of(found)
saddles = [p for p in found if p.kind == "saddle"]
saddle_labels = [lab for lab, p in zip(labels, found) if p.kind == "saddle"]

# inspector controls
_apply_table_row(labels)
_apply_map_box()
side.subheader(tr(T, "inspector"))
_keep_valid("pick", [AUTO, *labels], AUTO)
pick = guard.select(side, tr(T, "pick"), "pick", [AUTO, *labels], AUTO, help=tr(T, "pick_help"))
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
bx, by = clean(bx), clean(by)
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
    sad = guard.select(side, tr(T, "saddle"), "sad", saddle_labels, saddle_labels[0])
    saddle = saddles[saddle_labels.index(sad)]
    H_s = escape.local_model(surface, saddle.x, saddle.y)
    auto_lr = float(f"{0.5 / H_s.lam_max:.2g}") if H_s.lam_max > 0 else 0.01
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
pts_key = tuple(
    (p.x, p.y, p.f, p.kind, *(float(v) for v in p.eigenvalues), *(float(v) for v in p.eigenvectors[:, 0]),
     *(float(v) for v in p.eigenvectors[:, 1]))
    for p in found)
curves_key = tuple((tuple(c.polyline[0].tolist()), tuple(c.polyline[1].tolist()), c.kind, float(c.f))
                   for c in atlas.curves)
left, right = st.columns([3, 2], gap="small")
with left:
    fig = map_figure(surface_id, formula, window, log_colour, pts_key, curves_key, show_arrows, (ix, iy), present,
                     widgets.figure_labels())
    st.plotly_chart(fig, key=MAP_KEY, on_select="rerun", selection_mode="box",
                    config={"displaylogo": False, "scrollZoom": False}, theme=None)
    st.caption(tr(T, "map_caption"))
    for c in atlas.curves:
        st.caption(tr(T, "curve_line", kind=kind_name(c.kind), f=f"{c.f:.4g}"))

model = escape.local_model(surface, ix, iy)
# eigenvalues within this of zero count as zero: no kind, bound or arrow is read from them
zero_tol = eigen_tolerance(model.eigenvalues, atlas.hessian_scale) if model.finite else 0.0
with right:
    st.markdown(f"#### {tr(T, 'inspect_at', x=ix, y=iy)}")
    if not model.finite:
        st.warning("f, g or H is not finite at this point.", icon=":material/warning:")
    else:
        hscale = float(np.max(np.abs(model.hessian))) if np.all(np.isfinite(model.hessian)) else 1.0
        gscale = max(1.0, hscale * span)
        critical = float(np.hypot(*model.grad)) <= 1e-6 * gscale
        _, _, kind = classify(model.hessian, scale=atlas.hessian_scale)
        st.markdown(tr(T, "kind_is", kind=kind_name(kind) if critical else tr(T, "not_critical")))
        g = [num(v, gscale) for v in model.grad]
        H = [[num(v, hscale) for v in row] for row in model.hessian]
        l1, l2 = (num(v, hscale) for v in model.eigenvalues)
        v1 = [num(v) for v in model.eigenvectors[:, 0]]
        v2 = [num(v) for v in model.eigenvectors[:, 1]]
        f0 = num(model.f, max(1.0, abs(model.f)), 6)
        st.latex(rf"\small L(\theta') = {f0},\quad g = \nabla L(\theta') = {bmatrix([[g[0]], [g[1]]])}")
        st.latex(rf"\small H = {bmatrix(H)}")
        st.latex(rf"\small \begin{{aligned}} \lambda_1 &= {l1}, & v_1 &= {bmatrix([[v1[0]], [v1[1]]])} \\ "
                 rf"\lambda_2 &= {l2}, & v_2 &= {bmatrix([[v2[0]], [v2[1]]])} \end{{aligned}}")
        st.latex(rf"\small \begin{{aligned}} L(\theta' + d) \approx\ & {f0} + d^T {bmatrix([[g[0]], [g[1]]])} \\ "
                 rf"& + \tfrac12\, d^T {bmatrix(H)}\, d \end{{aligned}}")
        if critical:
            why = {"saddle": "why_saddle", "minimum": "why_min", "maximum": "why_max"}.get(kind, "why_degenerate")
            st.caption(tr(T, why))
        st.caption(tr(T, "eig_tol", tol=zero_tol, rel=EIG_TOL_REL, scale=atlas.hessian_scale))
        st.markdown(stability_text(model.eigenvalues, zero_tol))
    st.plotly_chart(taylor_figure(surface_id, formula, (ix, iy), radius, tr(T, "taylor_title"), present, zero_tol),
                    key=f"{PAGE}_taylor", config={"displayModeBar": False}, theme=None)
    st.caption(tr(T, "taylor_caption"))

# lecture's worked example
if surface_id == "lecture" or (surface_id == CUSTOM and "lecture" in surfaces.CATALOG
                               and surface.expr == surfaces.CATALOG["lecture"].expr):
    origin = escape.local_model(surface, 0.0, 0.0)
    r = 0.5
    u = origin.v_min
    with st.container(border=True):
        st.markdown(f"#### {tr(T, 'lecture_title')}")
        st.latex(r"L(w_1, w_2) = (1 - w_1 w_2)^2,\quad \theta' = (0, 0):\quad g = "
                 + bmatrix([[num(v) for v in origin.grad]]).replace("&", r"\\") + r",\quad H = "
                 + bmatrix([[num(v) for v in row] for row in origin.hessian])
                 + rf",\quad \lambda_1 = {num(origin.lam_min)},\ \lambda_2 = {num(origin.lam_max)},\quad "
                 r"u = \tfrac{1}{\sqrt 2}\begin{bmatrix}1 \\ 1\end{bmatrix}")
        st.markdown(tr(T, "lecture_text", l1=f"{clean(origin.lam_min):g}", l2=f"{clean(origin.lam_max):g}",
                       u1=u[0], u2=u[1], r=r, lr=float(surface.f(*(r * u))), taylor=1 - r * r))

# table of critical points
if found and not present:
    import pandas as pd  # streamlit depends on pandas

    rows = []
    for p in found:
        rows.append({tr(T, "col_kind"): kind_name(p.kind), "x": f"{clean(p.x):.5g}", "y": f"{clean(p.y):.5g}",
                     "f": f"{clean(p.f):.5g}", tr(T, "col_lam1"): f"{clean(p.eigenvalues[0]):.4g}",
                     tr(T, "col_lam2"): f"{clean(p.eigenvalues[1]):.4g}",
                     tr(T, "col_bound"): bound_cell(p.eigenvalues, p.zero_tol)})
    st.markdown(f"#### {tr(T, 'table')}")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=TABLE_KEY, on_select="rerun",
                 selection_mode="single-row")
elif not found:
    st.info(tr(T, "no_points"), icon=":material/search_off:")
counts = ", ".join(f"{n} {kind_name(k)}" for k, n in atlas.counts.items()) or "0"
st.caption(tr(T, "atlas_summary", n=len(found), counts=counts, method=atlas.method, time=atlas.elapsed))
widgets.show_watch(())  # the presets' numbers here are the atlas's, not a path's
if not present:
    with st.expander(tr(T, "atlas_notes"), expanded=atlas.degraded):
        st.caption(tr(T, "eig_tol", tol=atlas.eig_tol, rel=EIG_TOL_REL, scale=atlas.hessian_scale))
        for note in atlas.notes:
            st.caption(note)

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
    run_a, run_b, run_c, run_d, run_e, run_f = (run_request(surface_id, formula, req) for req in lab_requests)
    names = [tr(T, f"path_{k}") for k in "abcdef"]
    views = []
    for i, run in enumerate((run_a, run_b, run_c, run_d, run_e, run_f)):
        pts, loss = run.points, run.loss
        if i == 2:  # the escape step itself is step 1 of (c)
            pts = np.vstack([center[None, :], pts])
            loss = np.concatenate([[H_s.f], loss])
        views.append(figures.PathView(name=names[i], color=LAB_COLORS[i], points=pts, loss=loss, status=run.status,
                                      stop_step=None if run.status != "diverged" else run.stop_step + (i == 2),
                                      dash=LAB_DASH[i], marker=LAB_MARKERS[i]))
    dists = [escape.distance_from(v.points, center) for v in views]
    # runs that stopped early (converged) stay where they are: extend to the full length for the plot
    dists = [np.concatenate([d, np.full(max(0, lab_steps + 1 - d.size), d[-1])]) for d in dists]
    predicted = escape.predicted_distance(eps, lr, H_s.eigenvalues, lab_steps, phi)

    st.caption(tr(T, "lab_intro", x=clean(saddle.x), y=clean(saddle.y), l1=H_s.lam_min, l2=H_s.lam_max, lr=lr))
    c1, c2 = st.columns([1, 1], gap="small")
    with c1:
        race = lab_race_figure(surface_id, formula, window, log_colour, tuple(views), pts_key, present,
                               widgets.figure_labels())
        st.plotly_chart(race, key=f"{PAGE}_race", config={"displaylogo": False, "scrollZoom": False}, theme=None)
    with c2:
        curves = [(names[i], LAB_COLORS[i], dists[i], LAB_DASH[i]) for i in range(6)]
        st.plotly_chart(distance_figure(curves, (tr(T, "predicted"), predicted), tr(T, "dist_zero"),
                                        tr(T, "dist_title"), present),
                        key=f"{PAGE}_dist", config={"displayModeBar": False}, theme=None)

    D = max(10 * eps, 0.1 * span)
    pred_k = escape.steps_to_escape(eps * max(abs(math.cos(math.radians(phi))), 1e-12), lr, H_s.lam_min, D)
    never = tr(T, "never")

    def step_text(k):
        return never if k is None else str(k)

    f1 = float(surface.f(*start_c))
    st.markdown(f"**{tr(T, 'watch')}**")
    st.markdown("\n".join("- " + line for line in (
        tr(T, "cap_a", k=run_a.steps if run_a.status != "converged" else lab_steps, d=float(dists[0].max())),
        tr(T, "cap_b", q=escape.growth_factor(lr, H_s.lam_min), pred=(f"{pred_k:.0f}" if math.isfinite(pred_k) else never),
           D=D, obs=step_text(first_beyond(dists[1], D))),
        tr(T, "cap_c", f0=H_s.f, f1=f1, drop=drop),
        tr(T, "cap_d", D=D, obs=step_text(first_beyond(dists[3], D))),
        tr(T, "cap_e", D=D, obs=step_text(first_beyond(dists[4], D)), gd=step_text(first_beyond(dists[1], D))),
        tr(T, "cap_f", d0=float(dists[5][0]), d1=float(dists[5][-1]), k=int(run_f.stop_step)),
    )))
    lab_runs = (run_a, run_b, run_c, run_d, run_e, run_f)
    if not present:
        with st.expander(tr(COMMON, "exports"), expanded=False):
            snippet = optim.request.snippet(
                surface_id=surface_id, formula=formula, note=tr(T, "snippet_note", x=float(saddle.x), y=float(saddle.y)),
                runs=list(zip(names, lab_requests)))
            widgets.export_panel(race, list(lab_runs), names, snippet, key=PAGE)
        with st.expander(tr(T, "lab_math"), expanded=False):
            st.latex(r"\theta^{t+1} - \theta' \approx (I - \eta H)(\theta^{t} - \theta')\ \Rightarrow\ "
                     r"\|\theta^{t} - \theta'\| \approx \varepsilon\,(1 + \eta|\lambda_1|)^{t}\ \ (\varphi = 0)")
            st.latex(r"L(\theta' + u) \approx L(\theta') + \tfrac12 \lambda_1 \|u\|^2 < L(\theta'),\quad "
                     r"u \parallel v_1,\ \lambda_1 < 0")
            st.latex(r"\text{Newton: } \theta^{t+1} = \theta^{t} - H^{-1} g \text{ jumps to the critical point of the "
                     r"quadratic model (saddle included)}")

if not present:
    widgets.link_box()
else:
    if lab_ok:
        widgets.autoplay()
    st.caption(tr(COMMON, "presenter_hint"))
