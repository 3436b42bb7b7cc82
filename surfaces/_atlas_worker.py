"""Exact critical-point algebra for polynomial surfaces, run in a separate process.

SymPy has no timeout and some Groebner computations take very long, so :mod:`surfaces.algebra_client`
runs this file as a script in a child interpreter (``python _atlas_worker.py``) and kills it
when a job overruns its time limit. The child imports only SymPy and NumPy (not the ``surfaces``
package), answers one job per line and exits when its stdin closes.

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
Large systems (product of the degrees > RESULTANT_ABOVE, e.g. Goldstein-Price) use the
resultant res_x(df/dx, df/dy) instead of the basis (same exact real y-roots, 5-10x faster in
SymPy), then x from the roots of df/dx(x, y0) that also zero df/dy(x, y0).
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


def _tree_to_poly(expr, x, y):
    """Build the QQ polynomial by Poly arithmetic over the expression tree: much faster than
    SymPy's expression expansion for products of powers (Goldstein-Price: ~10x)."""
    import sympy as sp

    memo = {}

    def conv(e):
        if e in memo:
            return memo[e]
        if e == x or e == y:
            out = sp.Poly(e, x, y, domain="QQ")
        elif e.is_number:
            out = sp.Poly(_rational(e), x, y, domain="QQ")
        elif e.is_Add:
            out = conv(e.args[0])
            for a in e.args[1:]:
                out = out + conv(a)
        elif e.is_Mul:
            out = conv(e.args[0])
            for a in e.args[1:]:
                out = out * conv(a)
        elif e.is_Pow and e.exp.is_Integer and e.exp >= 0:
            out = conv(e.base) ** int(e.exp)
        else:
            raise ValueError("not a polynomial node")
        memo[e] = out
        return out

    return conv(expr)


def _to_qq(expr, x, y):
    import sympy as sp

    try:
        return _tree_to_poly(expr, x, y)
    except (ValueError, TypeError, sp.polys.polyerrors.PolynomialError):
        pass
    # Fast path: decimal floats and constants (pi, e) become rationals first, then QQ directly.
    numbers = {a: _rational(a) for a in expr.atoms(sp.Float, sp.NumberSymbol)}
    if numbers:
        expr = expr.xreplace(numbers)
    try:
        return sp.Poly(expr, x, y, domain="QQ")
    except (sp.polys.polyerrors.PolynomialError, sp.polys.polyerrors.CoercionFailed):
        pass  # e.g. a sqrt(2) coefficient: let SymPy pick a domain, then rationalize term by term
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


# Above this Bezout number (product of the degrees of the two equations) the resultant is used
# instead of the lex Groebner basis: on Goldstein-Price (7 x 7) SymPy's f5b basis takes ~0.3-1.5 s,
# the resultant ~0.05-0.2 s, and both give every real y-coordinate exactly.
RESULTANT_ABOVE = 25


def _window_bounds(window):
    import sympy as sp

    xmin, xmax, ymin, ymax = (Fraction(repr(float(v))) for v in window)
    span = max(xmax - xmin, ymax - ymin, Fraction(1))
    margin = span / 1000
    q = lambda v: sp.Rational(v.numerator, v.denominator)
    return q(xmin - margin), q(xmax + margin), q(ymin - margin), q(ymax + margin), q(span) / 10**12


def _float_roots(coeffs):
    """Complex roots (re, im) of a float polynomial (highest degree first): companion-matrix
    eigenvalues (numpy.roots). The candidates only seed the parent's Newton polish, so double
    precision is plenty (mpmath.polyroots was 100x slower here)."""
    import numpy as np

    c = np.asarray(coeffs, dtype=float)
    if c.size < 2 or not np.all(np.isfinite(c)):
        return []
    c = c / np.max(np.abs(c))
    nz = np.flatnonzero(c)
    if nz.size == 0:
        return []
    c = c[nz[0]:]
    if c.size < 2:
        return []
    with np.errstate(all="ignore"):
        roots = np.roots(c)
    return [(float(r.real), float(r.imag)) for r in roots if np.isfinite(r)]


def _solve_resultant(p, q, x, y, window, notes, label):
    """Real solutions of p = q = 0 (coprime): real roots of res_x(p, q) in y, then x from p or q."""
    import sympy as sp

    x_lo, x_hi, lo, hi, eps = _window_bounds(window)
    R = sp.Poly(p.resultant(q).as_expr(), y)
    if R.is_zero:
        notes.append(f"{label}: zero resultant")
        return [], False
    points = []
    for y0 in _real_roots_in(R, lo, hi, eps):
        px, qx = p.eval(y, y0), q.eval(y, y0)
        cands = []
        for a, b in ((px, qx), (qx, px)):
            if a.degree() < 1:
                continue
            roots = _float_roots([float(c) for c in a.all_coeffs()])
            bf = [float(c) for c in b.all_coeffs()]
            for re, im in roots:
                if abs(im) > 1e-6 * (1 + abs(re)) or not float(x_lo) <= re <= float(x_hi):
                    continue
                t = max(1.0, abs(re))
                scale = sum(abs(c) * t**k for k, c in enumerate(reversed(bf))) or 1.0
                val = 0.0
                for c in bf:
                    val = val * re + c
                if abs(val) <= 1e-6 * scale:
                    cands.append(re)
            if cands:
                break
        points.extend([[c, float(y0)] for c in cands])
    return points, True


def _solve_zero_dim(polys, x, y, window, notes, label, algos):
    """Real solutions (floats) of a zero-dimensional polynomial system, inside the window (+margin)."""
    import sympy as sp

    polys = [p for p in polys if not p.is_zero]
    if not polys:
        notes.append(f"{label}: empty system")
        return [], False
    if len(polys) == 2 and polys[0].total_degree() * polys[1].total_degree() > RESULTANT_ABOVE:
        algos.add("resultant")
        return _solve_resultant(polys[0], polys[1], x, y, window, notes, label)
    algos.add("groebner")
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
    algos: set[str] = set()
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
            sing, _ = _solve_zero_dim([h, h.diff(x), h.diff(y)], x, y, window, notes, "curve singular points", algos)
            points.extend(sing)
        rx, ry = sp.quo(gx, g), sp.quo(gy, g)
        pts, zero_dim = _solve_zero_dim([rx, ry], x, y, window, notes, "reduced system", algos)
        points.extend(pts)
    else:
        pts, zero_dim = _solve_zero_dim([gx, gy], x, y, window, notes, "gradient system", algos)
        points.extend(pts)
    return {"ok": True, "points": points, "curves": curves, "zero_dimensional": bool(zero_dim),
            "algorithm": "+".join(sorted(algos)) or "groebner", "notes": notes,
            "elapsed": time.perf_counter() - t0}


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
        cpu0 = time.process_time()
        try:
            job = json.loads(line)
            job_id = job.get("id")
            f_expr = pickle.loads(base64.b64decode(job["expr"]))
            reply = solve(f_expr, job["window"])
        except Exception as exc:  # noqa: BLE001 - any failure becomes a note; Newton covers it
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        reply["id"] = job_id
        reply["cpu"] = time.process_time() - cpu0
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    _serve()
