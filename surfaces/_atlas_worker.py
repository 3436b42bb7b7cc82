"""Exact critical-point algebra for polynomial surfaces, run in a separate process.

SymPy has no timeout and some Groebner computations take very long, so :mod:`surfaces.atlas`
runs this file as a script in a child interpreter (``python _atlas_worker.py``) and kills it
when a job overruns its time limit. The child imports only SymPy (not the ``surfaces``
package, not NumPy), answers one job per line and exits when its stdin closes.

Protocol (one line each way, UTF-8):

- child -> parent, once at start: ``{"ready": true}``
- parent -> child: ``{"id": n, "expr": "<base64 pickle of f>", "window": [xmin, xmax, ymin, ymax]}``
  The pickle is made by the parent from its own SymPy objects (trusted direction).
- child -> parent: JSON with only numbers and strings (the parent never unpickles child output)::

    {"id": n, "ok": true, "points": [[x, y], ...], "curves": [{"coeffs": [[i, j, "p", "q"], ...],
     "text": "x*y - 1"}], "zero_dimensional": true, "notes": [...]}

Method: expand f once and rationalize its coefficients (a float c becomes the fraction of its shortest decimal
``repr``, so 2.1 -> 21/10); differentiate; g = gcd(df/dx, df/dy). A non-constant g means a positive-dimensional
critical set: its square-free factors are returned as curves, and the isolated points are
solved from the reduced system (df/dx / g, df/dy / g), plus the singular points of each curve
(so isolated real points of a curve factor are not lost). Each zero-dimensional system is solved
with a lex Groebner basis: exact real-root isolation (``Poly.intervals``) of the univariate
element in y, then back-substitution into the lowest-degree element in x (``Poly.nroots``).
Candidates are approximate; the parent polishes them with Newton and verifies the gradient.
"""

from __future__ import annotations

import base64
import json
import pickle
import sys
import time
from fractions import Fraction


def _rational(value):
    import sympy as sp

    if value.is_Rational:
        return sp.Rational(value)
    fr = Fraction(repr(float(value)))
    return sp.Rational(fr.numerator, fr.denominator)


def _to_qq(expr, x, y):
    import sympy as sp

    poly = sp.Poly(expr, x, y)
    terms = {monom: _rational(coeff) for monom, coeff in poly.terms()}
    if not terms:
        return sp.Poly(0, x, y, domain="QQ")
    return sp.Poly.from_dict(terms, x, y, domain="QQ")


def _real_roots_in(u, lo, hi, eps):
    """Real roots of the univariate Poly u in [lo, hi] as Rational midpoints (exact isolation)."""
    import sympy as sp

    if u.degree() <= 0:
        return []
    sq = sp.Poly(sp.sqf_part(u.as_expr()), *u.gens)
    roots = []
    for (a, b), _mult in sq.intervals(inf=lo, sup=hi, eps=eps):
        roots.append((sp.Rational(a) + sp.Rational(b)) / 2)
    return roots


def _solve_zero_dim(polys, x, y, window, notes, label):
    """Real solutions (floats) of a zero-dimensional polynomial system, inside the window (+margin)."""
    import sympy as sp

    polys = [p for p in polys if not p.is_zero]
    if not polys:
        notes.append(f"{label}: empty system")
        return [], False
    G = sp.groebner([p.as_expr() for p in polys], x, y, order="lex", method="f5b")
    exprs = list(G.exprs)
    if exprs == [1] or any(e.is_number and e != 0 for e in exprs):
        return [], True
    if not G.is_zero_dimensional:
        return [], False
    xmin, xmax, ymin, ymax = (Fraction(repr(float(v))) for v in window)
    span = max(xmax - xmin, ymax - ymin, Fraction(1))
    margin = span / 1000
    lo = sp.Rational((ymin - margin).numerator, (ymin - margin).denominator)
    hi = sp.Rational((ymax + margin).numerator, (ymax + margin).denominator)
    eps = sp.Rational(1, 10**12) * sp.Rational(span.numerator, span.denominator)
    gpolys = [sp.Poly(e, x, y) for e in exprs]
    univariate = [p for p in gpolys if p.degree(x) == 0]
    if not univariate:
        notes.append(f"{label}: lex basis has no univariate element")
        return [], False
    u = sp.Poly(univariate[-1].as_expr(), y)
    others = [p for p in gpolys if p.degree(x) > 0]
    points = []
    for y0 in _real_roots_in(u, lo, hi, eps):
        best = None
        for p in others:
            q = p.eval(y, y0)
            coeff_scale = max(float(abs(c)) for c in p.coeffs()) * max(1.0, abs(float(y0))) ** max(p.degree(y), 0)
            vals = [float(abs(c)) for c in q.all_coeffs()]
            if q.degree() < 1 or max(vals) <= 1e-9 * coeff_scale:
                continue
            # Leading coefficients that almost vanish give spurious huge roots: trim them.
            coeffs = q.all_coeffs()
            while len(coeffs) > 2 and float(abs(coeffs[0])) <= 1e-9 * coeff_scale:
                coeffs = coeffs[1:]
            q = sp.Poly(coeffs, x)
            if best is None or q.degree() < best.degree():
                best = q
        if best is None:
            notes.append(f"{label}: no back-substitution for y = {float(y0):.6g}")
            continue
        try:
            xs = best.nroots(n=15, maxsteps=200)
        except Exception as exc:  # noqa: BLE001 - report, the parent falls back to Newton
            notes.append(f"{label}: nroots failed ({type(exc).__name__})")
            continue
        for r in xs:
            re, im = (float(v) for v in sp.Tuple(*r.as_real_imag()))
            if abs(im) <= 1e-6 * (1 + abs(re)) and float(xmin - margin) <= re <= float(xmax + margin):
                points.append([re, float(y0)])
    return points, True


def _coeff_list(poly):
    import sympy as sp

    out = []
    for (i, j), c in poly.terms():
        c = sp.Rational(c)
        out.append([int(i), int(j), str(c.p), str(c.q)])
    return out


def solve(f_expr, window):
    """The whole exact pipeline for the polynomial f; returns the JSON-able reply (without id)."""
    import sympy as sp

    t0 = time.perf_counter()
    x, y = sp.symbols("x y", real=True)
    # Unpickled symbols may come back without their assumptions (seen with SymPy 1.14), so
    # match them by name: the parent's symbols are exactly "x" and "y".
    by_name = {"x": x, "y": y}
    if any(s.name not in by_name for s in f_expr.free_symbols):
        return {"ok": False, "error": "unexpected symbols"}
    f_expr = f_expr.xreplace({s: by_name[s.name] for s in f_expr.free_symbols})
    f = _to_qq(f_expr, x, y)  # expand once, differentiate the polynomial (cheaper than expanding df)
    gx, gy = f.diff(x), f.diff(y)
    notes: list[str] = []
    curves = []
    if gx.is_zero and gy.is_zero:
        return {"ok": True, "points": [], "curves": [], "constant": True, "zero_dimensional": False,
                "notes": ["the gradient is identically zero"], "elapsed": time.perf_counter() - t0}
    g = sp.gcd(gx, gy)
    points: list[list[float]] = []
    zero_dim = True
    if g.total_degree() > 0:
        gs = sp.Poly(sp.sqf_part(g.as_expr()), x, y)
        _, factors = sp.factor_list(gs.as_expr(), x, y)
        for h_expr, _mult in factors:
            h = _to_qq(h_expr, x, y)
            lc = h.LC()
            h = sp.Poly(h.as_expr() / lc, x, y, domain="QQ")
            curves.append({"coeffs": _coeff_list(h), "text": str(h.as_expr())})
            sing, _ = _solve_zero_dim([h, h.diff(x), h.diff(y)], x, y, window, notes, "curve singular points")
            points.extend(sing)
        rx, ry = sp.quo(gx, g), sp.quo(gy, g)
        pts, zero_dim = _solve_zero_dim([rx, ry], x, y, window, notes, "reduced system")
        points.extend(pts)
    else:
        pts, zero_dim = _solve_zero_dim([gx, gy], x, y, window, notes, "gradient system")
        points.extend(pts)
    return {"ok": True, "points": points, "curves": curves, "zero_dimensional": bool(zero_dim),
            "notes": notes, "elapsed": time.perf_counter() - t0}


def _serve():
    # Running as a script puts surfaces/ first on sys.path: drop it so that our module names
    # (parser.py, ...) can never shadow anything SymPy imports.
    here = sys.path[0] if sys.path else ""
    if here and here.rstrip("/").endswith("surfaces"):
        sys.path.pop(0)
    import sympy  # noqa: F401  (warm import before announcing readiness)

    out = sys.stdout
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        job_id = None
        try:
            job = json.loads(line)
            job_id = job.get("id")
            f_expr = pickle.loads(base64.b64decode(job["expr"]))
            reply = solve(f_expr, job["window"])
        except Exception as exc:  # noqa: BLE001 - any failure becomes a note; Newton covers it
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        reply["id"] = job_id
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    _serve()
