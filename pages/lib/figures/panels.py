"""The race figure's side panels (loss, learning rate, per-coordinate effective step, gradient
norm against the step): their traces, axis ranges and axes, the step cursors, and the
symmetric-log loss axis that keeps losses <= 0 visible on a log panel."""

from __future__ import annotations

import math

import numpy as np

from .encoding import f4, tick_text
from .style import framed_axis

PANELS = (  # (key, title, axis suffix); the title is the English default of FIGURE_LABELS[key]
    ("loss", "loss f(θ_t)", 2),
    ("lr", "learning rate η_t", 3),
    ("step", "effective step |Δθ_t|  (— x, ··· y)", 4),
    ("grad", "gradient norm ‖∇f(θ_t)‖", 5),
)


def _log_range(arrays, cap_decades: float = 8.0) -> tuple[float, float]:
    """Log10 axis range over positive finite values; top capped cap_decades above the largest start."""
    vals = [a[np.isfinite(a) & (a > 0)] for a in arrays]
    vals = [v for v in vals if v.size]
    if not vals:
        return -1.0, 1.0
    allv = np.concatenate(vals)
    lo, hi = math.log10(float(allv.min())), math.log10(float(allv.max()))
    starts = [float(v[0]) for v in vals]
    hi = min(hi, math.log10(max(starts)) + cap_decades)
    lo = max(lo, hi - 16.0)
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    pad = 0.05 * (hi - lo)
    return lo - pad, hi + pad


def _lin_range(arrays) -> tuple[float, float]:
    vals = [a[np.isfinite(a)] for a in arrays]
    vals = [v for v in vals if v.size]
    if not vals:
        return 0.0, 1.0
    allv = np.concatenate(vals)
    lo, hi = float(allv.min()), float(allv.max())
    if hi - lo < 1e-12 * max(1.0, abs(hi)):
        lo, hi = lo - max(0.5 * abs(lo), 1e-3), hi + max(0.5 * abs(hi), 1e-3)
    pad = 0.06 * (hi - lo)
    return min(lo - pad, 0.0) if lo >= 0 else lo - pad, hi + pad


def _positive(a: np.ndarray) -> np.ndarray:
    """For log panels: non-positive and non-finite values become NaN (a gap)."""
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(a) & (a > 0), a, np.nan)


SYMLOG_DECADES = 8.0  # each side of the symmetric-log loss axis shows at least this many decades


def _symlog_constant(arrays) -> float | None:
    """The linear half-width c of the symmetric-log loss axis, or None when no finite value is
    <= 0 (then the plain log axis shows every finite value).

    c = the smaller over the two signs of max(smallest nonzero |f|, largest |f| * 1e-8), rounded
    down to a power of ten: each side keeps its own decades (a loss that dives to -1e10 does not
    flatten the positive descent before it), and values with |f| < c are drawn linearly."""
    vals = [np.asarray(a, dtype=float) for a in arrays]
    vals = [a[np.isfinite(a)] for a in vals]
    allv = np.concatenate(vals) if vals else np.zeros(0)
    if allv.size == 0 or (allv > 0).all():
        return None
    sides = []
    for side in (allv[allv > 0], -allv[allv < 0]):
        if side.size:
            sides.append(max(float(side.min()), float(side.max()) * 10.0**-SYMLOG_DECADES))
    c = min(sides) if sides else 1.0
    c = 10.0 ** math.floor(math.log10(c)) if c > 0 and math.isfinite(c) else 1.0
    return c if c > 0 else np.finfo(float).tiny  # 10**k underflows below ~1e-323


def _symlog(a, c: float) -> np.ndarray:
    """``sign(f) log10(1 + |f| / c)``: monotone, finite for every finite f (NaN for non-finite)."""
    a = np.asarray(a, dtype=float)
    with np.errstate(all="ignore"):
        t = np.sign(a) * np.log10(1.0 + np.abs(a) / c)
    return np.where(np.isfinite(a) & np.isfinite(t), t, np.nan)


def _symlog_range(arrays, c: float) -> tuple[float, float]:
    """Axis range that shows EVERY finite value of arrays on the symmetric-log axis."""
    vals = [_symlog(a, c) for a in arrays]
    vals = [v[np.isfinite(v)] for v in vals]
    vals = [v for v in vals if v.size]
    if not vals:
        return -1.0, 1.0
    allv = np.concatenate(vals)
    lo, hi = float(allv.min()), float(allv.max())
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    pad = 0.05 * (hi - lo)
    return lo - pad, hi + pad


def nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is >= ``raw`` (> 0)."""
    power = 10.0 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw * (1 - 1e-12)))


def _sub_decade_ticks(lo: float, hi: float) -> list[float]:
    """Two round tick values for a log axis spanning less than a decade (``lo``, ``hi``: log10 of
    its ends): plotly.js labels such an axis 0.5, 1, 1.5, ..., which pile on each other in a
    panel. The first and last multiples of a round step, in data units (as a log axis takes
    ``tickvals``); one value if only one fits."""
    a, b = 10.0**lo, 10.0**hi
    step = nice_step((b - a) / 3)
    vals = [float(f"{k * step:.12g}") for k in range(math.ceil(a / step - 1e-9), math.floor(b / step + 1e-9) + 1) if k > 0]
    if len(vals) > 2:
        vals = [vals[0], vals[-1]]
    return vals or [float(f"{10.0 ** ((lo + hi) / 2):.2g}")]


def _symlog_ticks(lo: float, hi: float, c: float, min_gap: float = 0.2, max_ticks: int = 4):
    """Ticks of the symmetric-log axis at 0 and +-10**k (k >= log10 c), labelled with the TRUE f.
    Greedy: 0, then the largest |f| of each side, then smaller decades, each kept only if it is
    at least ``min_gap`` of the axis height away from the ticks kept (a panel is ~100 px high)."""
    k0 = round(math.log10(c))
    sides = []
    for sign in (1.0, -1.0):
        side = []
        k = k0
        while True:
            f = sign * 10.0**k
            t = float(_symlog(f, c))
            if not math.isfinite(t) or not lo <= t <= hi:
                break
            side.append((t, f))
            k += 1
        sides.append(side[::-1])  # largest |f| first
    candidates = [(0.0, 0.0)] if lo <= 0.0 <= hi else []
    for i in range(max(len(sides[0]), len(sides[1]))):
        candidates += [side[i] for side in sides if i < len(side)]
    kept: list[tuple[float, float]] = []
    for t, f in candidates:
        if len(kept) < max_ticks and all(abs(t - u) >= min_gap * (hi - lo) for u, _ in kept):
            kept.append((t, f))
    kept.sort()
    return [t for t, _ in kept], [tick_text(f) for _, f in kept]


def panel_traces(paths, log_loss: bool, width: float, enc, step: str = "step") -> tuple[list[dict], dict, dict]:
    """The panels' lines (one per path, two on the step panel: x solid, y dotted), each panel's
    y range and its axis kind: ``(traces, ranges, kinds)``, keyed by the PANELS keys."""
    traces: list[dict] = []
    ranges: dict[str, tuple[float, float]] = {}
    # Each panel's y axis: "log", "linear", or ("symlog", c) for a log loss axis that would
    # otherwise drop losses <= 0 (every finite loss stays visible; hover shows the true loss).
    kinds: dict[str, object] = {"loss": "log" if log_loss else "linear", "lr": "linear", "step": "log", "grad": "log"}
    c = _symlog_constant([p.loss for p in paths]) if log_loss else None
    if c is not None:
        kinds["loss"] = ("symlog", c)
    series = {
        "loss": [(p, None, _positive(p.loss) if kinds["loss"] == "log" else p.loss) for p in paths],
        "lr": [(p, None, p.lr) for p in paths],
        "step": [(p, d, _positive(np.abs(p.effective_step[:, k])))
                 for p in paths for k, d in ((0, "solid"), (1, "dot"))],
        "grad": [(p, None, _positive(p.grad_norm)) for p in paths],
    }
    for key, _, ax in PANELS:
        arrs = [a for _, _, a in series[key]]
        kind = kinds[key]
        if kind == "log":
            ranges[key] = _log_range(arrs)
        elif kind == "linear":
            ranges[key] = _lin_range(arrs)
        else:
            ranges[key] = _symlog_range(arrs, kind[1])
        for p, dash, a in series[key]:
            trace = {
                "type": "scatter", "x0": 0, "dx": 1, "y": enc(f4(a)), "mode": "lines",
                "line": {"color": p.color, "width": width, "dash": dash or "solid"}, "legendgroup": p.name,
                "name": p.name, "showlegend": False, "xaxis": f"x{ax}", "yaxis": f"y{ax}",
                "hovertemplate": f"<b>{p.name}</b> {step} %{{x:d}}: %{{y:.3g}}<extra></extra>"}
            if isinstance(kind, tuple):  # drawn at symlog(f); the hover shows f itself
                trace.update(y=enc(f4(_symlog(a, kind[1]))), customdata=enc(f4(a)),
                             hovertemplate=f"<b>{p.name}</b> {step} %{{x:d}}: %{{customdata:.4g}}<extra></extra>")
            traces.append(trace)
    return traces, ranges, kinds


def cursor_traces(ranges: dict, kinds: dict, enc) -> list[dict]:
    """One step cursor per panel: a vertical line over the panel's range at step 0 (the frames move it)."""
    traces: list[dict] = []
    for key, _, ax in PANELS:
        lo, hi = ranges[key]
        log_ax = kinds[key] == "log"
        cy = np.array([10**lo, 10**hi] if log_ax else [lo, hi])
        traces.append({"type": "scatter", "x": enc(np.zeros(2, dtype=np.float32)), "y": enc(f4(cy)),
                       "mode": "lines", "line": {"color": "#444", "width": 1.2}, "hoverinfo": "skip",
                       "showlegend": False, "name": "step cursor", "xaxis": f"x{ax}", "yaxis": f"y{ax}"})
    return traces


def panel_axes(layout: dict, steps, ranges: dict, kinds: dict, domain, top: float, st: dict, words) -> list[dict]:
    """Add each panel's x and y axes to ``layout`` (stacked in ``domain`` below ``top``, the step
    axis labelled on the last one); return the panel titles as annotations."""
    annotations = []
    n = len(PANELS)
    gap = 0.075
    h = (top - gap * (n - 1)) / n
    # Tick labels must not touch: a label's box is ~1.3 font sizes high, a panel 45-80 px (an upper
    # bound here: a legend of several rows pushes the plot down and shrinks the panels by ~25 %).
    panel_px = 0.75 * max(1.0, h * (layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]))
    label_px = 1.3 * st["small"]
    last_step = float(steps[-1]) if len(steps) else 1.0
    for r, (key, _, ax) in enumerate(PANELS):
        y_hi = round(top - r * (h + gap), 6)
        y_lo = round(max(0.0, y_hi - h), 6)
        kind = kinds[key]
        log_ax = kind == "log"
        layout[f"xaxis{ax}"] = {**framed_axis(st), "domain": list(domain), "anchor": f"y{ax}",
                                "range": [0, max(last_step, 1.0)], "showticklabels": (r == n - 1),
                                "title": {"text": words["step_axis"], "standoff": 2} if r == n - 1 else {"standoff": 2}}
        layout[f"yaxis{ax}"] = {**framed_axis(st), "domain": [y_lo, y_hi], "anchor": f"x{ax}",
                                "range": list(ranges[key]), "type": "log" if log_ax else "linear",
                                "nticks": 3 if panel_px >= 5 * label_px else 2,
                                "exponentformat": "power" if log_ax else "B"}
        decades = ranges[key][1] - ranges[key][0]
        if log_ax and decades >= 1.0:
            # powers of ten only, at most about three (a panel is ~100 px high): plotly.js's own log
            # ticks label 2, 3, ..., 9 between decades, which pile on each other (issue 11)
            layout[f"yaxis{ax}"].update(dtick=max(1, math.ceil(decades / 2.5)), nticks=None)
            del layout[f"yaxis{ax}"]["nticks"]
        elif log_ax:  # less than a decade: plotly.js ignores nticks and labels 0.5, 1, 1.5, ...
            tv = _sub_decade_ticks(*ranges[key])
            layout[f"yaxis{ax}"].update(tickmode="array", tickvals=tv, ticktext=[f"{v:.3g}" for v in tv])
        panel_title = words[key]
        if isinstance(kind, tuple):  # symmetric log: ticks at 0 and +-10**k, labelled with f itself
            tv, tt = _symlog_ticks(*ranges[key], kind[1], min_gap=max(0.2, (label_px + 2) / panel_px))
            layout[f"yaxis{ax}"].update(tickmode="array", tickvals=tv, ticktext=tt)
            panel_title = words["loss_symlog"].format(c=tick_text(kind[1]))
        annotations.append({"text": panel_title, "xref": "paper", "yref": "paper", "x": domain[0], "y": y_hi,
                            "xanchor": "left", "yanchor": "bottom", "showarrow": False,
                            "font": {"size": st["small"]}})
    return annotations
