"""The critical-points lesson without Streamlit: number formatting for formulas shown to students,
point labels (they appear in links), the inspector's LaTeX and sentences, the table of critical
points, the escape lab's drawn paths and its "what to watch" sentences. Sentences take ``lang``."""

from __future__ import annotations

import math
import re

import numpy as np

from optim import escape
from pages.lib.figures import PathView
from pages.lib.text import LANGS, translate

from .text import ATLAS_NOTES_ZH, KIND_NAMES
from .text import CRITICAL as T

ESCAPE_RED = "#D55E00"
LAB_COLORS = ("#000000", "#E69F00", "#D55E00", "#56B4E9", "#009E73", "#CC79A7")  # (a)..(f), Okabe-Ito
LAB_DASH = ("solid", "solid", "solid", "solid", "solid", "dash")
LAB_MARKERS = ("square", "circle", "diamond", "circle", "circle", "star")


def kind_name(kind: str, lang: str) -> str:
    entry = KIND_NAMES.get(kind)
    return entry[LANGS.index(lang)] if entry else kind


_SHORT_KIND_ZH = {"minimum": "极小值", "maximum": "极大值", "saddle": "鞍点", "degenerate": "退化点"}


def point_shown(label: str, lang: str) -> str:
    """A found point's link label (:func:`point_label`, "saddle (0, 0)") as the menu shows it."""
    if lang != "zh":
        return label
    kind, _, rest = label.partition(" ")
    return f"{_SHORT_KIND_ZH.get(kind, kind)} {rest}"


def note_text(note: str, lang: str) -> str:
    """One of the atlas' (English) notes in ``lang``; a note no pattern knows stays as it is."""
    if lang == "zh":
        for pattern, zh in ATLAS_NOTES_ZH:
            if re.fullmatch(pattern, note):
                return re.sub(pattern, zh, note)
    return note


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


def points_key(found) -> tuple:
    """The atlas points as hashable (x, y, f, kind, l1, l2, v1x, v1y, v2x, v2y) tuples (figure input)."""
    return tuple(
        (p.x, p.y, p.f, p.kind, *(float(v) for v in p.eigenvalues), *(float(v) for v in p.eigenvectors[:, 0]),
         *(float(v) for v in p.eigenvectors[:, 1]))
        for p in found)


def curves_key(curves) -> tuple:
    """The atlas curves as hashable (xs, ys, kind, f) tuples (figure input)."""
    return tuple((tuple(c.polyline[0].tolist()), tuple(c.polyline[1].tolist()), c.kind, float(c.f)) for c in curves)


def auto_lab_lr(lam_max: float) -> float:
    """The lab's default learning rate: 0.5/λ_max at the saddle (two digits), 0.01 without curvature."""
    return float(f"{0.5 / lam_max:.2g}") if lam_max > 0 else 0.01


def stability_text(eigenvalues, zero_tol: float, lang: str) -> str:
    """The GD stability bound 2/λ_max, or why there is none (no bound from a numerically-zero λ)."""
    lam = float(eigenvalues[1])
    if not math.isfinite(lam):
        return translate(T, "stability_none", lang)
    if lam > zero_tol:
        return translate(T, "stability", lang, bound=2.0 / lam)
    if lam >= -zero_tol:
        return translate(T, "stability_zero", lang, lam=lam, tol=zero_tol)
    return translate(T, "stability_none", lang)


def bound_cell(eigenvalues, zero_tol: float, lang: str) -> str:
    """The table's 'GD stable if η <' cell: 2/λ_max, ∞ (no positive curvature) or none (λ_max ≈ 0)."""
    lam = float(eigenvalues[1])
    if not math.isfinite(lam):
        return "∞"
    if lam > zero_tol:
        return f"{2.0 / lam:.4g}"
    return translate(T, "bound_zero", lang) if lam >= -zero_tol else "∞"


def first_beyond(d: np.ndarray, threshold: float) -> int | None:
    idx = np.flatnonzero(np.asarray(d) > threshold)
    return int(idx[0]) if idx.size else None


def inspection(model, kind: str, span: float, lang: str) -> tuple[str, list[str], str | None]:
    """What the inspector shows at a point with finite f, g, H (``model``: ``escape.local_model``;
    ``kind``: its Hessian's class): the kind sentence, the LaTeX lines (f, g, H, eigen-pairs, Taylor
    model) and, at a critical point, why it is of its kind (else None)."""
    hscale = float(np.max(np.abs(model.hessian))) if np.all(np.isfinite(model.hessian)) else 1.0
    gscale = max(1.0, hscale * span)
    critical = float(np.hypot(*model.grad)) <= 1e-6 * gscale
    kind_line = translate(T, "kind_is", lang, kind=kind_name(kind, lang) if critical else translate(T, "not_critical", lang))
    g = [num(v, gscale) for v in model.grad]
    H = [[num(v, hscale) for v in row] for row in model.hessian]
    l1, l2 = (num(v, hscale) for v in model.eigenvalues)
    v1 = [num(v) for v in model.eigenvectors[:, 0]]
    v2 = [num(v) for v in model.eigenvectors[:, 1]]
    f0 = num(model.f, max(1.0, abs(model.f)), 6)
    latex = [
        rf"\small L(\theta') = {f0},\quad g = \nabla L(\theta') = {bmatrix([[g[0]], [g[1]]])}",
        rf"\small H = {bmatrix(H)}",
        rf"\small \begin{{aligned}} \lambda_1 &= {l1}, & v_1 &= {bmatrix([[v1[0]], [v1[1]]])} \\ "
        rf"\lambda_2 &= {l2}, & v_2 &= {bmatrix([[v2[0]], [v2[1]]])} \end{{aligned}}",
        rf"\small \begin{{aligned}} L(\theta' + d) \approx\ & {f0} + d^T {bmatrix([[g[0]], [g[1]]])} \\ "
        rf"& + \tfrac12\, d^T {bmatrix(H)}\, d \end{{aligned}}",
    ]
    why = None
    if critical:
        why = translate(T, {"saddle": "why_saddle", "minimum": "why_min", "maximum": "why_max"}.get(kind, "why_degenerate"),
                        lang)
    return kind_line, latex, why


def lecture_example(surface, lang: str) -> tuple[str, str]:
    """The lecture's worked example at the origin of (1 - w1·w2)²: its LaTeX line and its sentence."""
    origin = escape.local_model(surface, 0.0, 0.0)
    r = 0.5
    u = origin.v_min
    latex = (r"L(w_1, w_2) = (1 - w_1 w_2)^2,\quad \theta' = (0, 0):\quad g = "
             + bmatrix([[num(v) for v in origin.grad]]).replace("&", r"\\") + r",\quad H = "
             + bmatrix([[num(v) for v in row] for row in origin.hessian])
             + rf",\quad \lambda_1 = {num(origin.lam_min)},\ \lambda_2 = {num(origin.lam_max)},\quad "
             r"u = \tfrac{1}{\sqrt 2}\begin{bmatrix}1 \\ 1\end{bmatrix}")
    text = translate(T, "lecture_text", lang, l1=f"{clean(origin.lam_min):g}", l2=f"{clean(origin.lam_max):g}",
                     u1=u[0], u2=u[1], r=r, lr=float(surface.f(*(r * u))), taylor=1 - r * r)
    return latex, text


def table_rows(found, lang: str) -> list[dict]:
    """The table of critical points, one dict (column -> cell) a point."""
    rows = []
    for p in found:
        rows.append({translate(T, "col_kind", lang): kind_name(p.kind, lang), "x": f"{clean(p.x):.5g}",
                     "y": f"{clean(p.y):.5g}", "f": f"{clean(p.f):.5g}",
                     translate(T, "col_lam1", lang): f"{clean(p.eigenvalues[0]):.4g}",
                     translate(T, "col_lam2", lang): f"{clean(p.eigenvalues[1]):.4g}",
                     translate(T, "col_bound", lang): bound_cell(p.eigenvalues, p.zero_tol, lang)})
    return rows


def lab_views(runs, center, f_center: float, lab_steps: int, lang: str) -> tuple[list, list]:
    """The six lab runs (a)..(f) as drawn paths, and each one's distance from the saddle per step
    (runs that stopped early stay where they are: extended to the full length for the plot)."""
    names = [translate(T, f"path_{k}", lang) for k in "abcdef"]
    views = []
    for i, run in enumerate(runs):
        pts, loss = run.points, run.loss
        if i == 2:  # the escape step itself is step 1 of (c)
            pts = np.vstack([center[None, :], pts])
            loss = np.concatenate([[f_center], loss])
        views.append(PathView(name=names[i], color=LAB_COLORS[i], points=pts, loss=loss, status=run.status,
                              stop_step=None if run.status != "diverged" else run.stop_step + (i == 2),
                              dash=LAB_DASH[i], marker=LAB_MARKERS[i]))
    dists = [escape.distance_from(v.points, center) for v in views]
    dists = [np.concatenate([d, np.full(max(0, lab_steps + 1 - d.size), d[-1])]) for d in dists]
    return views, dists


def lab_watch(runs, dists, surface, start_c, drop: float, local, eps: float, lr: float, phi: float, span: float,
              lab_steps: int, lang: str) -> list[str]:
    """The lab's "what to watch" sentences, (a)..(f), from the runs and their distances
    (``local``: ``escape.local_model`` at the saddle; ``start_c``, ``drop``: the escape step)."""
    run_a, run_f = runs[0], runs[5]
    D = max(10 * eps, 0.1 * span)
    pred_k = escape.steps_to_escape(eps * max(abs(math.cos(math.radians(phi))), 1e-12), lr, local.lam_min, D)
    never = translate(T, "never", lang)

    def step_text(k):
        return never if k is None else str(k)

    f1 = float(surface.f(*start_c))
    return [
        translate(T, "cap_a", lang, k=run_a.steps if run_a.status != "converged" else lab_steps, d=float(dists[0].max())),
        translate(T, "cap_b", lang, q=escape.growth_factor(lr, local.lam_min),
                  pred=(f"{pred_k:.0f}" if math.isfinite(pred_k) else never), D=D,
                  obs=step_text(first_beyond(dists[1], D))),
        translate(T, "cap_c", lang, f0=local.f, f1=f1, drop=drop),
        translate(T, "cap_d", lang, D=D, obs=step_text(first_beyond(dists[3], D))),
        translate(T, "cap_e", lang, D=D, obs=step_text(first_beyond(dists[4], D)),
                  gd=step_text(first_beyond(dists[1], D))),
        translate(T, "cap_f", lang, d0=float(dists[5][0]), d1=float(dists[5][-1]), k=int(run_f.stop_step)),
    ]


LAB_MATH = (
    r"\theta^{t+1} - \theta' \approx (I - \eta H)(\theta^{t} - \theta')\ \Rightarrow\ "
    r"\|\theta^{t} - \theta'\| \approx \varepsilon\,(1 + \eta|\lambda_1|)^{t}\ \ (\varphi = 0)",
    r"L(\theta' + u) \approx L(\theta') + \tfrac12 \lambda_1 \|u\|^2 < L(\theta'),\quad "
    r"u \parallel v_1,\ \lambda_1 < 0",
    r"\text{Newton: } \theta^{t+1} = \theta^{t} - H^{-1} g \text{ jumps to the critical point of the "
    r"quadratic model (saddle included)}",
)
