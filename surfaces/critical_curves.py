"""Non-isolated critical points: whole curves of them (valley floors, ridges), as CriticalCurve objects.

Two sources. The exact algebra reports a non-constant gcd of df/dx and df/dy (the lecture's
(1 - w1 w2)^2 has a valley of minima on w1 w2 = 1) as polynomial factors: :func:`exact_curve`
traces each one inside the window (marching squares on its sign changes, then a few Newton
projections onto the zero set). The Newton search, which knows no algebra, finds such a set as
hundreds of distinct degenerate points with one zero eigenvalue: :func:`newton_curves` groups
those lying close together into curves instead of listing hundreds of points.
"""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING

import numpy as np

from .atlas_types import DEGENERATE, DEGENERATE_CURVE, EIG_TOL, MAXIMUM_CURVE, MINIMUM_CURVE, CriticalCurve, CriticalPoint
from .newton_search import inside

if TYPE_CHECKING:  # annotations only
    from .surface import Surface, Window


# --- a curve's kind (either source) ---------------------------------------------------------
def _curve_kind(surface: Surface, pts: np.ndarray) -> tuple[str, float]:
    """Kind and (median) value of f along a curve sampled at pts (n, 2). Along the curve one
    eigenvalue is zero; the other, the largest in magnitude, is the curvature across it: positive at
    every sample -> a valley floor of minima, negative everywhere -> a ridge, else degenerate."""
    with np.errstate(all="ignore"):
        H = surface.hessian(pts[:, 0], pts[:, 1])
        fv = surface.f(pts[:, 0], pts[:, 1])
    Hs = np.moveaxis(H, -1, 0)
    ok = np.all(np.isfinite(Hs.reshape(len(pts), -1)), axis=1)
    fval = float(np.median(fv[np.isfinite(fv)])) if np.isfinite(fv).any() else float("nan")
    if not ok.any():
        return DEGENERATE_CURVE, fval
    vals = np.linalg.eigvalsh(0.5 * (Hs[ok] + np.swapaxes(Hs[ok], 1, 2)))
    big = vals[np.arange(len(vals)), np.argmax(np.abs(vals), axis=1)]
    zero = EIG_TOL * np.maximum(1.0, np.abs(big))
    if np.all(big > zero):
        return MINIMUM_CURVE, fval
    if np.all(big < -zero):
        return MAXIMUM_CURVE, fval
    return DEGENERATE_CURVE, fval


# --- curves from the exact algebra -------------------------------------------------------------
def _poly_eval(coeffs, x, y):
    """Evaluate sum c_ij x^i y^j, its x- and y-derivatives (floats, vectorized)."""
    v = np.zeros_like(x, dtype=float)
    vx = np.zeros_like(v)
    vy = np.zeros_like(v)
    for i, j, c in coeffs:
        v = v + c * x**i * y**j
        if i:
            vx = vx + c * i * x ** (i - 1) * y**j
        if j:
            vy = vy + c * j * x**i * y ** (j - 1)
    return v, vx, vy


def _marching_squares(coeffs, window: Window, n: int = 121) -> list[np.ndarray]:
    """Zero set of a polynomial inside the window as ordered polylines (sign changes only)."""
    xmin, xmax, ymin, ymax = window
    xs = np.linspace(xmin, xmax, n)
    ys = np.linspace(ymin, ymax, n)
    with np.errstate(all="ignore"):
        V, _, _ = _poly_eval(coeffs, xs[None, :], ys[:, None])
    V = np.where(V == 0, 1e-300, V)  # treat exact zeros as positive: consistent sign changes
    edges: dict[tuple, tuple[float, float]] = {}

    def crossing(j0, i0, j1, i1):
        key = (min((j0, i0), (j1, i1)), max((j0, i0), (j1, i1)))
        if key in edges:
            return key
        a, b = V[j0, i0], V[j1, i1]
        t = a / (a - b)
        edges[key] = (xs[i0] + t * (xs[i1] - xs[i0]), ys[j0] + t * (ys[j1] - ys[j0]))
        return key

    adj: dict[tuple, list[tuple]] = collections.defaultdict(list)
    S = V > 0
    for j in range(n - 1):
        for i in np.flatnonzero((S[j, :-1] != S[j, 1:]) | (S[j + 1, :-1] != S[j + 1, 1:])
                                | (S[j, :-1] != S[j + 1, :-1]) | (S[j, 1:] != S[j + 1, 1:])):
            corners = [(j, i), (j, i + 1), (j + 1, i + 1), (j + 1, i)]
            cuts = []
            for k in range(4):
                c0, c1 = corners[k], corners[(k + 1) % 4]
                if S[c0] != S[c1]:
                    cuts.append(crossing(*c0, *c1))
            if len(cuts) == 2:
                pairs = [(cuts[0], cuts[1])]
            elif len(cuts) == 4:  # saddle cell: pair by the centre value
                centre = V[j, i] + V[j, i + 1] + V[j + 1, i] + V[j + 1, i + 1]
                pairs = [(cuts[0], cuts[1]), (cuts[2], cuts[3])] if (centre > 0) == S[j, i] else [(cuts[0], cuts[3]), (cuts[1], cuts[2])]
            else:
                pairs = []
            for a, b in pairs:
                adj[a].append(b)
                adj[b].append(a)
    seen: set = set()
    lines = []
    starts = [k for k, v in adj.items() if len(v) == 1] + list(adj)
    for s in starts:
        if s in seen:
            continue
        chain = [s]
        seen.add(s)
        cur = s
        while True:
            nxt = [k for k in adj[cur] if k not in seen]
            if not nxt:
                break
            cur = nxt[0]
            seen.add(cur)
            chain.append(cur)
        if len(chain) >= 2:
            lines.append(np.array([edges[k] for k in chain]))
    return lines


def _project(coeffs, pts: np.ndarray, steps: int = 4) -> np.ndarray:
    """Newton steps along the gradient of the polynomial: moves marching-squares points (linear
    interpolation between grid nodes) onto its zero set."""
    p = pts.copy()
    with np.errstate(all="ignore"):
        for _ in range(steps):
            v, vx, vy = _poly_eval(coeffs, p[:, 0], p[:, 1])
            n2 = vx * vx + vy * vy
            ok = n2 > 0
            step = np.where(ok, v / np.where(ok, n2, 1), 0.0)
            p = p - np.stack([step * vx, step * vy], axis=1)
    return p


def _rename(text: str, surface: Surface) -> str:
    """The worker writes equations in x and y; say them in the surface's own names (w1, w2 ...)."""
    a, b = surface.variable_names
    if (a, b) == ("x", "y"):
        return text
    return text.replace("x", "\0").replace("y", b).replace("\0", a)


def exact_curve(surface: Surface, curve: dict, window: Window, max_points: int = 240) -> CriticalCurve | None:
    """The CriticalCurve of one factor the algebra worker reported (``{"coeffs": [[i, j, p, q], ...],
    "text": ...}``), traced inside the window with at most about ``max_points`` samples; None when it
    does not cross the window."""
    coeffs = [(int(i), int(j), int(p) / int(q)) for i, j, p, q in curve["coeffs"]]
    lines = _marching_squares(coeffs, window)
    branches = []
    total = sum(len(line) for line in lines)
    stride = max(1, int(np.ceil(total / max_points)))
    for line in lines:
        line = _project(coeffs, line)
        keep = inside(line.T, window, 0.0) & np.all(np.isfinite(line), axis=1)
        line = line[keep]
        if len(line) >= 2:
            sub = line[::stride]
            if not np.array_equal(sub[-1], line[-1]):
                sub = np.vstack([sub, line[-1]])
            sub.setflags(write=False)
            branches.append(sub)
    if not branches:
        return None
    pts = np.concatenate(branches)
    kind, fval = _curve_kind(surface, pts)
    eq = _rename(curve["text"], surface) + " = 0"
    n = len(branches)
    desc = f"A whole curve of critical points, {eq}, with f = {fval:.6g} on it ({n} branch{'es' if n > 1 else ''} in the window)."
    return CriticalCurve(tuple(branches), fval, kind, desc, eq, "exact")


# --- curves from the Newton search ----------------------------------------------------------
def newton_curves(surface, pts: list[CriticalPoint], link: float, min_points: int = 8):
    """Group many degenerate (one zero eigenvalue) points lying close together into curves."""
    cand = [p for p in pts if p.kind == DEGENERATE and np.isfinite(p.eigenvalues).all()
            and np.max(np.abs(p.eigenvalues)) > EIG_TOL * 10 * max(1.0, np.max(np.abs(p.eigenvalues)))]
    if len(cand) < min_points:
        return [], pts
    cand = cand[:1500]  # bounds the pairwise-distance matrix (curve samples are dense anyway)
    xy = np.array([[p.x, p.y] for p in cand])
    n = len(xy)
    d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    label = -np.ones(n, dtype=int)
    comp = 0
    for s in range(n):
        if label[s] >= 0:
            continue
        stack = [s]
        label[s] = comp
        while stack:
            k = stack.pop()
            for m in np.flatnonzero((d[k] <= link) & (label < 0)):
                label[m] = comp
                stack.append(int(m))
        comp += 1
    groups, absorbed = [], set()
    for c in range(comp):
        members = np.flatnonzero(label == c)
        if len(members) < min_points:
            continue
        sub = xy[members]
        # order greedily from the point farthest from the centroid
        start = int(np.argmax(np.hypot(*(sub - sub.mean(axis=0)).T)))
        order, left = [start], set(range(len(sub))) - {start}
        branches, current = [], [start]
        while left:
            last = sub[order[-1]]
            rest = np.array(sorted(left))
            dist = np.hypot(*(sub[rest] - last).T)
            k = int(rest[np.argmin(dist)])
            if np.min(dist) > 2 * link:
                branches.append(current)
                current = []
            order.append(k)
            current.append(k)
            left.discard(k)
        branches.append(current)
        arrs = []
        for b in branches:
            if len(b) >= 2:
                a = sub[b].copy()
                a.setflags(write=False)
                arrs.append(a)
        if not arrs:
            continue
        kind, fval = _curve_kind(surface, sub)
        groups.append((kind, fval, arrs, len(members)))
        absorbed.update(id(cand[m]) for m in members)
    # components with the same kind and the same f are pieces of one critical set (e.g. the two
    # branches of a hyperbola): one CriticalCurve with several branches
    merged: list[list] = []
    for kind, fval, arrs, count in groups:
        for g in merged:
            if g[0] == kind and abs(g[1] - fval) <= 1e-8 * max(1.0, abs(fval)):
                g[2].extend(arrs)
                g[3] += count
                break
        else:
            merged.append([kind, fval, list(arrs), count])
    curves = []
    for kind, fval, arrs, count in merged:
        desc = (f"{count} distinct degenerate critical points found by Newton lie along a curve "
                f"with f = {fval:.6g} ({len(arrs)} branch{'es' if len(arrs) > 1 else ''} in the window): "
                "a non-isolated critical set (valley floor or ridge).")
        curves.append(CriticalCurve(tuple(arrs), fval, kind, desc, "", "newton"))
    return curves, [p for p in pts if id(p) not in absorbed]
