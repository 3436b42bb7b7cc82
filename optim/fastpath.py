"""A scalar evaluator of (f, df/dx, df/dy) for single-start runs.

Why: for ONE point, NumPy's per-call overhead dominates. ``Surface.value_and_grad`` costs
~100 us per call on this machine (it also computes the Hessian, converts and stacks six
arrays), while the same symbolic formulas lambdified for the ``math`` module on Python floats
cost ~1 us. The formulas are the surface's own public ``expr`` and ``gradient_exprs``, so the
numbers agree with ``value_and_grad`` (bit for bit for polynomials; to the last ulp of libm
for transcendental functions, where math and NumPy may round differently).

Python's math raises where NumPy returns inf/NaN (``math.log(-1)``, overflow in ``x**2``) and
``(-8)**(1/3)`` gives a complex number: the caller catches ``(ArithmeticError, ValueError,
TypeError)`` and evaluates that step with ``value_and_grad`` instead, so the NumPy semantics
(inf/NaN -> "diverged") are kept.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import sympy as sp

ScalarEval = Callable[[float, float], tuple[float, float, float]]

_CACHE: weakref.WeakKeyDictionary[object, ScalarEval | None] = weakref.WeakKeyDictionary()


def scalar_evaluator(surface) -> ScalarEval | None:
    """A ``(x, y) -> (f, gx, gy)`` function on floats, or None when ``surface`` has no
    SymPy formulas (any object with ``value_and_grad`` is a valid surface)."""
    try:
        return _CACHE[surface]
    except (KeyError, TypeError):
        pass
    fn = _compile(surface)
    try:
        _CACHE[surface] = fn
    except TypeError:  # not weak-referenceable: just do not cache
        pass
    return fn


def _compile(surface) -> ScalarEval | None:
    own = getattr(surface, "scalar_value_and_grad", None)
    if callable(own):  # a surface with its own float evaluator (a network slice: lambdify would take minutes)
        return own
    expr = getattr(surface, "expr", None)
    grads = getattr(surface, "gradient_exprs", None)
    hess = getattr(surface, "hessian_exprs", None)
    if not isinstance(expr, sp.Expr) or grads is None or len(grads) != 2:
        return None
    # Compile the SAME list Surface compiles (f, gradient, Hessian entries), so common
    # subexpression elimination picks the same temporaries and the float operations, hence
    # the roundings, match value_and_grad (the unused Hessian entries cost ~1 us).
    exprs = [expr, *grads]
    if hess is not None:
        (hxx, hxy), (_, hyy) = hess
        exprs += [hxx, hxy, hyy]
    symbols = {s.name: s for e in exprs for s in e.free_symbols}
    if set(symbols) - {"x", "y"}:
        return None
    x = symbols.get("x", sp.Dummy("x"))
    y = symbols.get("y", sp.Dummy("y"))
    try:
        raw = sp.lambdify((x, y), exprs, modules="math", cse=True)
    except Exception:  # noqa: BLE001 - any printer failure just means: use the NumPy path
        return None

    def evaluate(a: float, b: float) -> tuple[float, float, float]:
        f, gx, gy = raw(a, b)[:3]
        return float(f), float(gx), float(gy)  # float(complex) raises TypeError: caller falls back

    try:  # probe once: a name the math module lacks only shows up when called
        evaluate(0.5, 0.25)
    except (ArithmeticError, ValueError, TypeError):
        pass  # a domain error at the probe point is fine: the caller falls back per step
    except Exception:  # noqa: BLE001 - e.g. NameError for a function math lacks
        return None
    return evaluate
