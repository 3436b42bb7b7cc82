"""A 2D error surface: its formula, and compiled f, gradient and Hessian.

A :class:`Surface` is built once from a SymPy expression in ``x, y``; the exact gradient
and Hessian are derived symbolically and compiled, with the loss, into ONE NumPy function
(``lambdify(..., cse=True)``), so common subexpressions are computed once per call. Every
numeric entry point is vectorized over arrays and never raises for values outside the
domain: ``log(-1)`` gives NaN, an overflow gives inf.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import sympy as sp
from sympy.printing.numpy import NumPyPrinter

from .parser import ParsedFormula, ParseError, X, Y, parse_formula

Window = tuple[float, float, float, float]  # (xmin, xmax, ymin, ymax)
DEFAULT_WINDOW: Window = (-3.0, 3.0, -3.0, 3.0)


@dataclass(frozen=True)
class KnownPoint:
    """A critical point the literature gives for a catalog surface."""

    x: float
    y: float
    kind: str  # "minimum" | "maximum" | "saddle" | "degenerate"
    f: float | None = None


@dataclass(frozen=True, eq=False)
class Surface:
    """An error surface f(x, y) with its exact derivatives.

    Numeric methods (all vectorized, broadcasting x and y):

    - ``f(x, y)``            -> array of shape ``broadcast(x, y).shape``
    - ``grad(x, y)``         -> shape ``(2, ...)``: [df/dx, df/dy]
    - ``hessian(x, y)``      -> shape ``(2, 2, ...)``
    - ``value_and_grad(x, y)`` -> ``(f, grad)`` from one evaluation (what optimizers use)
    """

    expr: sp.Expr
    variable_names: tuple[str, str] = ("x", "y")
    id: str = "custom"
    title: str = "Custom formula"
    blurb: str = ""
    source: str = ""  # the formula as text, in the user's names
    window: Window = DEFAULT_WINDOW
    starts: tuple[tuple[float, float], ...] = ((1.0, 1.0),)
    log_scale: bool = False
    known_points: tuple[KnownPoint, ...] = ()
    _compiled: Callable = field(init=False, repr=False, compare=False)
    gradient_exprs: tuple[sp.Expr, sp.Expr] = field(init=False, repr=False)
    hessian_exprs: tuple[tuple[sp.Expr, sp.Expr], tuple[sp.Expr, sp.Expr]] = field(init=False, repr=False)

    def __post_init__(self):
        # Differentiate with |u|' = sign(u) u' (and sign' = 0): SymPy's own Abs rule, for an
        # argument it cannot prove real (abs(log(y))), leaves re/im and an unevaluated
        # Derivative that lambdify cannot print.
        real = self.expr.replace(sp.Abs, _RealAbs)
        gx, gy = (_drop_distributions(sp.diff(real, v)) for v in (X, Y))
        hxx = _drop_distributions(sp.diff(gx, X))
        hxy = _drop_distributions(sp.diff(gx, Y))
        hyy = _drop_distributions(sp.diff(gy, Y))
        gx, gy, hxx, hxy, hyy = (_standard(e) for e in (gx, gy, hxx, hxy, hyy))
        object.__setattr__(self, "gradient_exprs", (gx, gy))
        object.__setattr__(self, "hessian_exprs", ((hxx, hxy), (hxy, hyy)))
        compiled = sp.lambdify(
            (X, Y), [self.expr, gx, gy, hxx, hxy, hyy], modules="numpy", cse=True,
            printer=FormulaPrinter({"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": True}),
        )
        object.__setattr__(self, "_compiled", compiled)

    # --- numeric -------------------------------------------------------------------------
    def _all(self, x, y) -> list[np.ndarray]:
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        shape = np.broadcast_shapes(x.shape, y.shape)
        with np.errstate(all="ignore"):
            try:
                values = self._compiled(x, y)
            except (ArithmeticError, ValueError, TypeError):
                # Should not happen for parsed formulas; keep the page alive if it does.
                return [np.full(shape, np.nan) for _ in range(6)]
        # Constant components come back as Python scalars (sympy #5642): broadcast them.
        return [_real_array(v, shape) for v in values]

    def f(self, x, y) -> np.ndarray:
        return self._all(x, y)[0]

    def grad(self, x, y) -> np.ndarray:
        _, gx, gy, *_ = self._all(x, y)
        return np.stack([gx, gy])

    def value_and_grad(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        f, gx, gy, *_ = self._all(x, y)
        return f, np.stack([gx, gy])

    def hessian(self, x, y) -> np.ndarray:
        _, _, _, hxx, hxy, hyy = self._all(x, y)
        return np.stack([np.stack([hxx, hxy]), np.stack([hxy, hyy])])

    def grid(self, n: int = 200, window: Window | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sample f on an n x n grid over the window: returns (xs, ys, Z) with Z[j, i] = f(xs[i], ys[j])."""
        xmin, xmax, ymin, ymax = window or self.window
        xs = np.linspace(xmin, xmax, n)
        ys = np.linspace(ymin, ymax, n)
        return xs, ys, self.f(xs[None, :], ys[:, None])

    # --- display -------------------------------------------------------------------------
    printable = True  # its formulas can be printed (LaTeX, a standalone script); not a class field

    @property
    def symbols(self) -> dict[sp.Symbol, str]:
        return {X: _latex_name(self.variable_names[0]), Y: _latex_name(self.variable_names[1])}

    def _latex(self, expr: sp.Expr) -> str:
        return sp.latex(expr, symbol_names=self.symbols)

    @property
    def latex(self) -> str:
        """LaTeX of f in the user's variable names."""
        a, b = self.symbols.values()
        return rf"f({a}, {b}) = {self._latex(self.expr)}"

    @property
    def gradient_latex(self) -> str:
        gx, gy = self.gradient_exprs
        return r"\nabla f = \begin{bmatrix} %s \\ %s \end{bmatrix}" % (self._latex(gx), self._latex(gy))

    @property
    def hessian_latex(self) -> str:
        (hxx, hxy), (_, hyy) = self.hessian_exprs
        entries = [self._latex(e) for e in (hxx, hxy, hxy, hyy)]
        return r"H = \begin{bmatrix} %s & %s \\ %s & %s \end{bmatrix}" % tuple(entries)

    @property
    def is_polynomial(self) -> bool:
        return bool(self.expr.is_polynomial(X, Y))


def _latex_name(name: str) -> str:
    return {"w1": "w_1", "w2": "w_2"}.get(name, name)


def _drop_distributions(expr: sp.Expr) -> sp.Expr:
    """Derivatives of abs/min/max bring DiracDelta, which NumPy cannot evaluate: it is zero
    almost everywhere, so we drop it (the kink itself has no second derivative anyway)."""
    if expr.has(sp.DiracDelta):
        expr = expr.replace(sp.DiracDelta, lambda *args: sp.Integer(0))
    return expr


class _RealSign(sp.Function):
    """sign(u) for real u, with derivative 0 (its DiracDelta is dropped anyway)."""

    nargs = 1

    def fdiff(self, argindex=1):
        return sp.Integer(0)


class _RealAbs(sp.Function):
    """|u| for real u, with derivative sign(u)."""

    nargs = 1

    def fdiff(self, argindex=1):
        return _RealSign(self.args[0])


def _standard(expr: sp.Expr) -> sp.Expr:
    """Back to SymPy's own Abs and sign, for display and printing."""
    return expr.replace(_RealAbs, sp.Abs).replace(_RealSign, sp.sign)


class FormulaPrinter(NumPyPrinter):
    """NumPy printer with direct Heaviside/Max/Min: the stock one rewrites Heaviside as a
    Piecewise and simplifies it (1.8 s for cos(max(max(x, softplus(y)), 2)))."""

    def _print_Heaviside(self, expr):
        h0 = self._print(expr.args[1]) if len(expr.args) > 1 else "0.5"
        return f"{self._module_format('numpy.heaviside')}({self._print(expr.args[0])}, {h0})"

    def _print_DiracDelta(self, expr):
        return "0.0"


def _real_array(value, shape) -> np.ndarray:
    arr = np.asarray(value)
    if np.iscomplexobj(arr):
        arr = np.where(np.abs(arr.imag) > 0, np.nan, arr.real)
    return np.broadcast_to(arr.astype(float, copy=False), shape).copy() if arr.shape != shape else arr.astype(float, copy=False)


@functools.lru_cache(maxsize=256)
def _parse_cached(text: str) -> Surface:
    parsed: ParsedFormula = parse_formula(text)
    try:
        return Surface(
            expr=parsed.expr,
            variable_names=parsed.variable_names,
            source=parsed.text,
            # Off the diagonal: (1, 1) sits exactly on a minimum of the lecture's example
            # (1 - w1*w2)^2, the formula users type first, and nothing would move.
            starts=((1.5, -1.0),),
        )
    except (RecursionError, MemoryError, Exception) as err:  # noqa: BLE001 - last line of defence
        # The parser's bounds should make this unreachable; if SymPy still fails to
        # differentiate or compile a formula, the user gets a sentence, not a traceback.
        raise ParseError(f"The formula cannot be differentiated ({type(err).__name__}): simplify it.") from None


def parse(text: str) -> Surface:
    """Parse formula text into a compiled :class:`Surface` (cached: same text, same object).

    Raises :class:`surfaces.ParseError` (a ``ValueError``) with a sentence for the user.
    """
    if not isinstance(text, str):
        raise ParseError("The formula must be text.")
    return _parse_cached(text.strip())
