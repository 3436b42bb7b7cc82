"""The catalog: required entries, sane windows, exact derivatives, and literature values."""

from __future__ import annotations

import numpy as np
import pytest

import surfaces
from surfaces import CATALOG

REQUIRED = ["lecture", "saddle", "monkey", "elongated_bowl", "tilted_valley", "plateau", "two_dips", "rosenbrock",
            "himmelblau", "beale", "booth", "six_hump_camel", "rastrigin", "ackley", "styblinski_tang",
            "goldstein_price", "mccormick"]
IDS = list(CATALOG)


def test_required_entries():
    assert len(CATALOG) >= 16
    assert set(REQUIRED) <= set(CATALOG)
    assert surfaces.DEFAULT_SURFACE_ID in CATALOG
    assert CATALOG["goldstein_price"].log_scale is True


@pytest.mark.parametrize("sid", IDS)
def test_entry_metadata(sid):
    s = CATALOG[sid]
    assert s.id == sid and s.title.strip() and len(s.blurb) > 20
    xmin, xmax, ymin, ymax = s.window
    assert xmin < xmax and ymin < ymax
    assert s.starts
    for x0, y0 in s.starts:
        assert xmin <= x0 <= xmax and ymin <= y0 <= ymax, (sid, x0, y0)
    # the catalog formula is ordinary user text: it parses to the same expression
    assert surfaces.parse(s.source).expr == s.expr


@pytest.mark.parametrize("sid", IDS)
def test_finite_on_window_grid(sid):
    xs, ys, z = CATALOG[sid].grid(50)
    assert z.shape == (50, 50)
    assert np.all(np.isfinite(z)), sid


def _fd_grad(s, x, y, h):
    return np.array([(s.f(x + h, y) - s.f(x - h, y)) / (2 * h), (s.f(x, y + h) - s.f(x, y - h)) / (2 * h)])


def _fd_hess(s, x, y, h):
    return np.stack([(s.grad(x + h, y) - s.grad(x - h, y)) / (2 * h), (s.grad(x, y + h) - s.grad(x, y - h)) / (2 * h)],
                    axis=1)


@pytest.mark.parametrize("sid", IDS)
def test_gradient_and_hessian_match_finite_differences(sid):
    s = CATALOG[sid]
    xmin, xmax, ymin, ymax = s.window
    rng = np.random.default_rng(sum(map(ord, sid)))
    u = rng.uniform(0.1, 0.9, size=(6, 2))
    pts = [(xmin + a * (xmax - xmin), ymin + b * (ymax - ymin)) for a, b in u]
    h = 1e-5 * max(xmax - xmin, ymax - ymin)
    for x, y in pts:
        if sid == "ackley" and np.hypot(x, y) < 0.05:
            continue  # the kink at the origin
        g = s.grad(x, y)
        H = s.hessian(x, y)
        scale_g = 1 + np.max(np.abs(g))
        scale_h = 1 + np.max(np.abs(H))
        np.testing.assert_allclose(g, _fd_grad(s, x, y, h), rtol=1e-5, atol=1e-6 * scale_g, err_msg=f"{sid} {x, y}")
        np.testing.assert_allclose(H, _fd_hess(s, x, y, h), rtol=1e-5, atol=1e-5 * scale_h, err_msg=f"{sid} {x, y}")
        np.testing.assert_allclose(H, H.T)


SIGNS = {"minimum": (1, 1), "maximum": (-1, -1), "saddle": (-1, 1)}


@pytest.mark.parametrize("sid", [k for k in IDS if CATALOG[k].known_points])
def test_known_points(sid):
    s = CATALOG[sid]
    for p in s.known_points:
        f = float(s.f(p.x, p.y))
        if p.f is not None:
            assert abs(f - p.f) <= 1e-5 * (1 + abs(p.f)), (sid, p, f)
        g = s.grad(p.x, p.y)
        H = s.hessian(p.x, p.y)
        if not np.all(np.isfinite(g)):
            # a kink (Ackley's origin): check the kind directly on a small circle
            assert p.kind == "minimum"
            t = np.linspace(0, 2 * np.pi, 16, endpoint=False)
            assert np.all(s.f(p.x + 1e-3 * np.cos(t), p.y + 1e-3 * np.sin(t)) > f)
            continue
        scale = 1 + np.max(np.abs(H))
        assert np.max(np.abs(g)) <= 1e-4 * scale, (sid, p, g)
        ev = np.linalg.eigvalsh(H)
        if p.kind in SIGNS:
            assert tuple(np.sign(ev).astype(int)) == SIGNS[p.kind], (sid, p, ev)
        elif p.kind == "degenerate":
            assert np.min(np.abs(ev)) <= 1e-8 * scale
        else:
            pytest.fail(f"unknown kind {p.kind!r}")


def _close(s, x, y, tol=1e-4):
    return any(abs(p.x - x) <= tol and abs(p.y - y) <= tol for p in s.known_points)


# Independent literature values (Jamil & Yang 2013; Surjanovic & Bingham VLSE), typed here,
# not copied from the catalog: each must be a critical point of the catalog's formula.
LITERATURE = [
    ("himmelblau", 3.0, 2.0, 0.0, "minimum"),
    ("himmelblau", -2.805118, 3.131312, 0.0, "minimum"),
    ("himmelblau", -3.779310, -3.283186, 0.0, "minimum"),
    ("himmelblau", 3.584428, -1.848126, 0.0, "minimum"),
    ("himmelblau", -0.270845, -0.923039, 181.617, "maximum"),
    ("himmelblau", 0.086677, 2.884255, None, "saddle"),
    ("himmelblau", -3.073025, -0.081353, None, "saddle"),
    ("himmelblau", 3.385154, 0.073852, None, "saddle"),
    ("himmelblau", -0.127961, -1.953715, None, "saddle"),
    ("six_hump_camel", 0.0898, -0.7126, -1.0316, "minimum"),
    ("six_hump_camel", -0.0898, 0.7126, -1.0316, "minimum"),
    ("styblinski_tang", -2.903534, -2.903534, -78.33233, "minimum"),
    ("goldstein_price", 0.0, -1.0, 3.0, "minimum"),
    ("mccormick", -0.54719, -1.54719, -1.9133, "minimum"),
    ("beale", 3.0, 0.5, 0.0, "minimum"),
    ("booth", 1.0, 3.0, 0.0, "minimum"),
    ("rosenbrock", 1.0, 1.0, 0.0, "minimum"),
    ("rastrigin", 0.0, 0.0, 0.0, "minimum"),
    ("ackley", 0.0, 0.0, 0.0, "minimum"),
]


@pytest.mark.parametrize("sid,x,y,f,kind", LITERATURE)
def test_literature_values(sid, x, y, f, kind):
    s = CATALOG[sid]
    if f is not None:
        assert abs(float(s.f(x, y)) - f) <= 1e-3 * (1 + abs(f)), (sid, x, y, float(s.f(x, y)))
    # the published point (rounded) is listed in the catalog
    assert _close(s, x, y, tol=1e-3), f"{sid}: ({x}, {y}) missing from known_points"
    if sid != "ackley":
        # and a Newton step from it barely moves: it is a true critical point
        H = s.hessian(x, y)
        step = np.linalg.solve(H, s.grad(x, y))
        assert np.max(np.abs(step)) < 1e-3
        ev = np.linalg.eigvalsh(H)
        assert tuple(np.sign(ev).astype(int)) == SIGNS[kind]


def test_two_dips_points_are_exact():
    s = CATALOG["two_dips"]
    roots = np.sort(np.roots([1, 0, -2, 0.4]).real)  # d/dx: x^3 - 2x + 0.4
    kinds = ["minimum", "saddle", "minimum"]
    for r, kind in zip(roots, kinds):
        match = [p for p in s.known_points if abs(p.x - r) < 1e-5 and abs(p.y) < 1e-9]
        assert match and match[0].kind == kind, (r, s.known_points)


def test_himmelblau_has_all_nine_critical_points():
    kinds = [p.kind for p in CATALOG["himmelblau"].known_points]
    assert kinds.count("minimum") == 4 and kinds.count("saddle") == 4 and kinds.count("maximum") == 1
