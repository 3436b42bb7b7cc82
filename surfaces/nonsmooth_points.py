"""Non-smooth minima and maxima: kinks where the gradient is undefined, which Newton cannot find.

Ackley's cone tip at the origin is a minimum, but grad f does not exist there, so neither the
algebra nor the Newton search (both solve grad f = 0) can see it. Candidates are the zeros of the
arguments of ``abs``, ``sqrt`` and other fractional powers, and of ``Min``/``Max`` differences,
that are critical points of that argument; each is classified by comparing f on a small ring
around it (``source = "nonsmooth"``, eigenvalues NaN). A crease where f rises one way and falls
the other is not reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import sympy as sp

from .atlas_types import MAXIMUM, MINIMUM, CriticalPoint
from .newton_search import search
from .parser import X, Y
from .surface import Surface

if TYPE_CHECKING:  # annotations only
    from .surface import Window


def kink_arguments(expr: sp.Expr) -> list[sp.Expr]:
    """The expressions whose zeros may be kinks of ``expr`` (at most 4, distinct, depending on x or y);
    empty for a smooth formula."""
    args = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Abs):
            args.append(node.args[0])
        elif isinstance(node, sp.Pow) and node.exp.is_number and not node.exp.is_integer and node.base.has(X, Y):
            args.append(node.base)
        elif isinstance(node, (sp.Min, sp.Max)) and len(node.args) == 2:
            args.append(node.args[0] - node.args[1])
    uniq = []
    for a in args:
        if a.has(X, Y) and a not in uniq:
            uniq.append(a)
    return uniq[:4]


def nonsmooth_points(surface: Surface, window: Window) -> list[CriticalPoint]:
    """The kink minima and maxima of ``surface`` inside the window (see the module docstring)."""
    out = []
    diag = float(np.hypot(window[1] - window[0], window[3] - window[2]))
    for u in kink_arguments(surface.expr):
        try:
            us = Surface(expr=u)
        except Exception:  # noqa: BLE001 - an argument SymPy cannot differentiate/compile: skip it
            us = None
        if us is None:
            continue
        pts, _ = search(us, window, 16, iterations=40)
        if pts.shape[1] == 0:
            continue
        with np.errstate(all="ignore"):
            uv = us.f(pts[0], pts[1])
            uscale = np.nanmax(np.abs(us.f(*np.meshgrid(np.linspace(*window[:2], 9), np.linspace(*window[2:], 9)))))
        zero = np.abs(uv) <= 1e-9 * max(1.0, float(uscale) if np.isfinite(uscale) else 1.0)
        for x, y in pts[:, zero].T:
            x = 0.0 if abs(x) <= 1e-12 * diag else float(x)
            y = 0.0 if abs(y) <= 1e-12 * diag else float(y)
            r = 1e-4 * diag
            ang = np.linspace(0, 2 * np.pi, 16, endpoint=False)
            with np.errstate(all="ignore"):
                f0 = float(surface.f(x, y))
                ring = surface.f(x + r * np.cos(ang), y + r * np.sin(ang))
            if not (np.isfinite(f0) and np.all(np.isfinite(ring))):
                continue
            if np.all(ring > f0):
                kind = MINIMUM
            elif np.all(ring < f0):
                kind = MAXIMUM
            else:
                continue  # a crease point where f rises one way and falls the other: not critical
            out.append(CriticalPoint(float(x), float(y), f0, np.full(2, np.nan), np.full((2, 2), np.nan), kind, "nonsmooth", float("nan")))
    return out
