"""The catalog of surfaces: one ordered source of truth for pages, links, presets and tests.

Every entry is written as formula text and goes through the same safe parser as a user's
formula, so the catalog also exercises that path. Known critical points are the published
values (Jamil & Yang 2013, "A literature survey of benchmark functions"; Surjanovic & Bingham's
Virtual Library of Simulation Experiments) or, for the teaching surfaces, worked out by hand.
"""

from __future__ import annotations

from .atlas_types import DEGENERATE, SADDLE
from .atlas_types import MAXIMUM as MAX
from .atlas_types import MINIMUM as MIN
from .parser import parse_formula
from .surface import KnownPoint, Surface


def _entry(id, title, formula, blurb, window, starts, log_scale=False, known=()):
    parsed = parse_formula(formula)
    return Surface(
        expr=parsed.expr,
        variable_names=parsed.variable_names,
        id=id,
        title=title,
        blurb=blurb,
        source=parsed.text,
        window=tuple(float(v) for v in window),
        starts=tuple((float(a), float(b)) for a, b in starts),
        log_scale=log_scale,
        known_points=tuple(KnownPoint(*k) for k in known),
    )


_ENTRIES = [
    _entry(
        "lecture", "Lecture example (1 - w1 w2)^2", "(1 - w1*w2)^2",
        "The lecture's worked example: a saddle at the origin (eigenvalues -2 and +2) and a whole valley of minima on w1*w2 = 1.",
        (-2, 2, -2, 2), [(0.0, 0.0), (0.05, -0.05), (-1.5, -0.2)],
        known=[(0, 0, SADDLE, 1.0)],
    ),
    _entry(
        "saddle", "Saddle x^2 - y^2", "x^2 - y^2",
        "The plain saddle: a minimum along x, a maximum along y; gradient descent from y = 0 slides into it and stops.",
        (-2, 2, -2, 2), [(1.8, 1e-3), (1.8, 0.3)],
        known=[(0, 0, SADDLE, 0.0)],
    ),
    _entry(
        "monkey", "Monkey saddle", "x^3 - 3*x*y^2",
        "Three valleys meet at a flat point: the Hessian is zero there, so second-order tests cannot classify it.",
        (-1.5, 1.5, -1.5, 1.5), [(0.8, 0.1), (0.5, -0.6)],
        known=[(0, 0, DEGENERATE, 0.0)],
    ),
    _entry(
        "elongated_bowl", "Elongated bowl", "0.5*(x^2 + 25*y^2)",
        "An ill-conditioned quadratic (curvatures 1 and 25): one learning rate is too big for y and too small for x.",
        (-4, 4, -2, 2), [(-3.5, 1.2)],
        known=[(0, 0, MIN, 0.0)],
    ),
    _entry(
        "tilted_valley", "Tilted narrow valley", "0.1*sqrt((x + 22)^2 + 1) + 40*(y - 0.05*x)^2",
        "A narrow valley falling gently (slope 0.1) to its minimum at (-22, -1.1): the lecture's AdaGrad "
        "(root-mean-square) bursts sideways as its sigma shrinks.",
        (-25, 4, -1.6, 0.7), [(2.5, 0.375)], log_scale=True,
        known=[(-22, -1.1, MIN, 0.1)],
    ),
    _entry(
        "plateau", "Plateau", "1 - exp(-(x^2 + y^2)/2) + 0.02*x^2",
        "A wide, almost flat plateau around a narrow well: far from the well the gradient is nearly zero, so small steps crawl.",
        (-5, 5, -5, 5), [(4.0, 3.0)],
        known=[(0, 0, MIN, 0.0)],
    ),
    _entry(
        "two_dips", "Shallow dip before a deep one", "x^4/4 - x^2 + 0.4*x + 0.5*y^2",
        "A shallow local minimum on the right and a deeper one on the left: plain descent stops in the first, momentum can roll on.",
        (-2.5, 2.5, -1.5, 1.5), [(2.2, 0.8)],
        # x^3 - 2x + 0.4 = 0; the middle point is a saddle (f_yy = 1 > 0), not a maximum.
        known=[(-1.505237, 0.0, MIN, -1.584441), (1.300976, 0.0, MIN, -0.455976), (0.204261, 0.0, SADDLE, 0.040417)],
    ),
    _entry(
        "rosenbrock", "Rosenbrock", "(1 - x)^2 + 100*(y - x^2)^2",
        "A curved, flat-bottomed banana valley: easy to find, slow to follow to the minimum at (1, 1).",
        (-2, 2, -1, 3), [(-1.5, 2.5), (0.0, 0.0)], log_scale=True,
        known=[(1, 1, MIN, 0.0)],
    ),
    _entry(
        "himmelblau", "Himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        "Four equal minima, four saddles and one maximum: where you start decides where you end.",
        (-5, 5, -5, 5), [(0.0, 0.0), (-0.3, -0.9), (-4.5, 4.5)], log_scale=True,
        known=[(3, 2, MIN, 0.0), (-2.805118, 3.131312, MIN, 0.0), (-3.779310, -3.283186, MIN, 0.0),
               (3.584428, -1.848126, MIN, 0.0), (-0.270845, -0.923039, MAX, 181.616522),
               (0.086678, 2.884255, SADDLE, 67.719150), (-3.073026, -0.081353, SADDLE, 104.015163),
               (3.385154, 0.073852, SADDLE, 13.311926), (-0.127961, -1.953715, SADDLE, 178.337239)],
    ),
    _entry(
        "beale", "Beale", "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
        "Sharp ridges and flat corners around the minimum at (3, 0.5): step sizes that work in one place fail in another.",
        (-4.5, 4.5, -4.5, 4.5), [(1.0, 1.5), (-2.0, 2.0)], log_scale=True,
        known=[(3, 0.5, MIN, 0.0)],
    ),
    _entry(
        "booth", "Booth", "(x + 2*y - 7)^2 + (2*x + y - 5)^2",
        "A tilted quadratic bowl with its minimum at (1, 3): every method should get there.",
        (-10, 10, -10, 10), [(-8.0, -8.0)],
        known=[(1, 3, MIN, 0.0)],
    ),
    _entry(
        "six_hump_camel", "Six-hump camel", "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2",
        "Six local minima, two of them global near (0.0898, -0.7126) and (-0.0898, 0.7126).",
        (-2, 2, -1, 1), [(-1.5, -0.5), (1.2, 0.8)],
        known=[(0.089842, -0.712656, MIN, -1.031628), (-0.089842, 0.712656, MIN, -1.031628)],
    ),
    _entry(
        "rastrigin", "Rastrigin", "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
        "A bowl covered in a regular grid of local minima: a trap for every local method.",
        (-5.12, 5.12, -5.12, 5.12), [(3.2, 2.1)],
        known=[(0, 0, MIN, 0.0)],
    ),
    _entry(
        "ackley", "Ackley", "-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20",
        "A nearly flat, bumpy outer region with a deep funnel at the origin.",
        (-5, 5, -5, 5), [(3.1, -2.7)],
        known=[(0, 0, MIN, 0.0)],
    ),
    _entry(
        "styblinski_tang", "Styblinski-Tang", "0.5*(x^4 - 16*x^2 + 5*x + y^4 - 16*y^2 + 5*y)",
        "Four basins of different depths; the deepest is at (-2.9035, -2.9035).",
        (-5, 5, -5, 5), [(4.0, 4.0), (0.5, 0.5)],
        known=[(-2.903534, -2.903534, MIN, -78.33233)],
    ),
    _entry(
        "goldstein_price", "Goldstein-Price",
        "(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))"
        "*(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))",
        "Values from 3 to a million: only a log colour scale shows its shape. Global minimum 3 at (0, -1).",
        (-2, 2, -2, 2), [(1.0, 1.0), (-1.0, 1.5)], log_scale=True,
        known=[(0, -1, MIN, 3.0)],
    ),
    _entry(
        "mccormick", "McCormick", "sin(x + y) + (x - y)^2 - 1.5*x + 2.5*y + 1",
        "A smooth, slightly wavy valley with its minimum near (-0.5472, -1.5472).",
        (-1.5, 4, -3, 4), [(3.5, 3.5)],
        known=[(-0.547198, -1.547198, MIN, -1.913223)],
    ),
]

CATALOG: dict[str, Surface] = {s.id: s for s in _ENTRIES}
DEFAULT_SURFACE_ID = "himmelblau"
