"""Critical-point atlas against published values (timings live in benchmarks/bench_atlas.py)."""

from __future__ import annotations

import dataclasses
import math
import select
import sys
import time

import numpy as np
import pytest

import surfaces
from surfaces import CATALOG, algebra_client
from surfaces import atlas as atlas_mod
from surfaces.atlas import (
    Atlas,
    CriticalCurve,
    CriticalPoint,
    classify,
    critical_points,
    eigen_tolerance,
    hessian_scale,
)


@pytest.fixture(autouse=True)
def _algebra_worker_ready():
    """Tests check results, not start-up latency: make sure the algebra worker is up (a test of
    the time limit kills it) before each test, as the app does with warm_up() at start."""
    booth = CATALOG["booth"]
    reply, note = atlas_mod._WORKER.run(booth.expr, booth.window, 60.0)
    assert reply is not None, note


def _find(atlas: Atlas, x: float, y: float, tol: float = 1e-4) -> CriticalPoint:
    p = atlas.nearest(x, y)
    assert p is not None, "atlas is empty"
    assert math.hypot(p.x - x, p.y - y) <= tol, f"no critical point within {tol} of ({x}, {y}); nearest {p}"
    return p


# --- Himmelblau ------------------------------------------------------------------------------
HIMMELBLAU_MINIMA = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
HIMMELBLAU_SADDLES = [(0.086677, 2.884255), (-3.073025, -0.081353), (3.385154, 0.073852), (-0.127961, -1.953715)]
HIMMELBLAU_MAX = (-0.270845, -0.923039)


def test_himmelblau_all_nine_classified():
    atlas = critical_points(CATALOG["himmelblau"])
    assert len(atlas.points) == 9
    assert atlas.counts == {"minimum": 4, "saddle": 4, "maximum": 1}
    assert atlas.curves == ()
    assert "groebner" in atlas.method and atlas.complete
    for x, y in HIMMELBLAU_MINIMA:
        p = _find(atlas, x, y)
        assert p.kind == "minimum" and abs(p.f) < 1e-8 and p.source == "exact"
        assert np.all(p.eigenvalues > 0)
    for x, y in HIMMELBLAU_SADDLES:
        p = _find(atlas, x, y)
        assert p.kind == "saddle"
        assert p.eigenvalues[0] < 0 < p.eigenvalues[1]
    top = _find(atlas, *HIMMELBLAU_MAX)
    assert top.kind == "maximum"
    assert top.f == pytest.approx(181.617, abs=1e-3)
    for p in atlas.points:
        assert p.grad_norm < 1e-8
        H = CATALOG["himmelblau"].hessian(p.x, p.y)
        # eigen-decomposition reproduces the Hessian; eigenvectors are orthonormal columns
        V, L = p.eigenvectors, np.diag(p.eigenvalues)
        np.testing.assert_allclose(V @ L @ V.T, H, atol=1e-9)
        np.testing.assert_allclose(V.T @ V, np.eye(2), atol=1e-12)


def test_himmelblau_subwindow_keeps_only_inside_points():
    atlas = critical_points(CATALOG["himmelblau"], (0.0, 5.0, 0.0, 5.0))
    assert sorted(p.kind for p in atlas.points) == ["minimum", "saddle", "saddle"]
    _find(atlas, 3.0, 2.0)
    _find(atlas, 0.086677, 2.884255)
    _find(atlas, 3.385154, 0.073852)
    assert atlas.window == (0.0, 5.0, 0.0, 5.0)


# --- other published values ------------------------------------------------------------------
def test_six_hump_camel_global_minima():
    atlas = critical_points(CATALOG["six_hump_camel"])
    for x, y in [(0.0898, -0.7126), (-0.0898, 0.7126)]:
        p = _find(atlas, x, y, tol=1e-3)
        assert p.kind == "minimum"
        assert p.f == pytest.approx(-1.0316, abs=1e-4)
    assert min(p.f for p in atlas.points) == pytest.approx(-1.031628, abs=1e-6)
    assert len(atlas.of_kind("minimum")) == 6  # "six humps": six local minima


def test_rosenbrock_single_minimum():
    atlas = critical_points(CATALOG["rosenbrock"])
    assert len(atlas.points) == 1 and atlas.curves == ()
    p = atlas.points[0]
    assert (p.x, p.y) == pytest.approx((1.0, 1.0), abs=1e-10)
    assert p.kind == "minimum" and p.f == pytest.approx(0.0, abs=1e-15)


def test_monkey_saddle_is_degenerate():
    atlas = critical_points(CATALOG["monkey"])
    assert len(atlas.points) == 1
    p = atlas.points[0]
    assert (p.x, p.y) == pytest.approx((0.0, 0.0), abs=1e-8)
    assert p.kind == "degenerate"
    assert np.allclose(p.eigenvalues, 0.0, atol=1e-6)


def test_lecture_example_saddle_and_valley_of_minima():
    s = CATALOG["lecture"]
    atlas = critical_points(s)
    assert len(atlas.points) == 1
    origin = atlas.points[0]
    assert (origin.x, origin.y) == (0.0, 0.0)
    assert origin.kind == "saddle" and origin.f == pytest.approx(1.0)
    np.testing.assert_allclose(s.grad(0.0, 0.0), [0.0, 0.0])
    np.testing.assert_allclose(s.hessian(0.0, 0.0), [[0.0, -2.0], [-2.0, 0.0]])
    np.testing.assert_allclose(origin.eigenvalues, [-2.0, 2.0], atol=1e-12)
    escape = origin.escape_direction
    assert abs(abs(escape @ np.array([1.0, 1.0]) / math.sqrt(2)) - 1.0) < 1e-12  # (1, 1)/sqrt(2) up to sign

    assert len(atlas.curves) == 1
    curve = atlas.curves[0]
    assert isinstance(curve, CriticalCurve)
    assert curve.kind == "minimum (non-isolated)"
    assert curve.f == pytest.approx(0.0, abs=1e-12)
    pts = curve.points
    assert 20 <= len(pts) <= 500  # one object, a polyline: not hundreds of "points"
    np.testing.assert_allclose(pts[:, 0] * pts[:, 1], 1.0, atol=1e-9)
    np.testing.assert_allclose(s.f(pts[:, 0], pts[:, 1]), 0.0, atol=1e-12)
    assert np.all(np.abs(pts) <= 2.0 + 1e-12)
    assert len(curve.branches) == 2  # both branches of the hyperbola cross the window
    assert "w1*w2 - 1 = 0" in curve.equation
    xs, _ = curve.polyline
    assert np.isnan(xs).sum() == 1


def test_exact_closed_curve_and_maximum_inside():
    atlas = critical_points(surfaces.parse("(x^2 + y^2 - 1)^2"), (-2.0, 2.0, -2.0, 2.0))
    assert [p.kind for p in atlas.points] == ["maximum"]
    assert (atlas.points[0].x, atlas.points[0].y) == pytest.approx((0, 0), abs=1e-12)
    assert len(atlas.curves) == 1 and atlas.curves[0].kind == "minimum (non-isolated)"
    r = np.hypot(*atlas.curves[0].points.T)
    np.testing.assert_allclose(r, 1.0, atol=1e-9)


# --- non-polynomial surfaces (Newton) ----------------------------------------------------------
def _roots_1d(fprime, lo, hi, n=20000):  # even n: no grid point exactly at a root
    xs = np.linspace(lo, hi, n)
    v = fprime(xs)
    roots = []
    for i in np.flatnonzero(np.sign(v[:-1]) != np.sign(v[1:])):
        a, b = xs[i], xs[i + 1]
        for _ in range(60):
            m = 0.5 * (a + b)
            if np.sign(fprime(m)) == np.sign(fprime(a)):
                a = m
            else:
                b = m
        roots.append(0.5 * (a + b))
    return roots


def test_rastrigin_small_window_matches_separable_solution():
    w = (-1.2, 1.2, -1.2, 1.2)
    atlas = critical_points(CATALOG["rastrigin"], w)
    assert atlas.method == "newton" and not atlas.complete
    # f = r(x) + r(y), r(t) = t^2 - 10 cos(2 pi t) (+10): critical points are all pairs of 1D ones
    d1 = lambda t: 2 * t + 20 * np.pi * np.sin(2 * np.pi * t)
    d2 = lambda t: 2 + 40 * np.pi**2 * np.cos(2 * np.pi * t)
    roots = _roots_1d(d1, -1.2, 1.2)
    assert len(roots) == 5
    expected = 0
    for a in roots:
        for b in roots:
            p = _find(atlas, a, b, tol=1e-7)
            sa, sb = np.sign(d2(a)), np.sign(d2(b))
            kind = "minimum" if sa > 0 and sb > 0 else "maximum" if sa < 0 and sb < 0 else "saddle"
            assert p.kind == kind
            expected += 1
    assert len(atlas.points) == expected == 25
    _find(atlas, 0, 0, tol=1e-9)


def test_mccormick_analytic_critical_points():
    # grad = 0  <=>  cos(x + y) = -1/2 and x - y = 1: s = x + y in {-2pi/3, 2pi/3, 4pi/3} in the window;
    # eigenvalues are -2 sin(s) (along (1, 1)) and 4 (along (1, -1)).
    atlas = critical_points(CATALOG["mccormick"])
    assert len(atlas.points) == 3
    for s_, kind in [(-2 * np.pi / 3, "minimum"), (2 * np.pi / 3, "saddle"), (4 * np.pi / 3, "minimum")]:
        p = _find(atlas, (s_ + 1) / 2, (s_ - 1) / 2, tol=1e-9)
        assert p.kind == kind
        np.testing.assert_allclose(sorted([-2 * np.sin(s_), 4.0]), p.eigenvalues, atol=1e-9)
    best = _find(atlas, -0.54719, -1.54719)
    assert best.f == pytest.approx(-1.9133, abs=1e-4)


def test_non_polynomial_valley_reported_as_one_curve():
    s = surfaces.parse("(exp(x) - y)^2")
    atlas = critical_points(s, (-2.0, 1.0, -1.0, 3.0))
    assert atlas.points == ()
    assert len(atlas.curves) == 1
    c = atlas.curves[0]
    assert c.kind == "minimum (non-isolated)" and c.source == "newton"
    pts = c.points
    assert len(pts) >= 8
    np.testing.assert_allclose(pts[:, 1], np.exp(pts[:, 0]), atol=1e-8)
    assert np.ptp(pts[:, 0]) > 1.5  # spans the window, not a clump


def test_nonsmooth_cone_tip():
    atlas = critical_points(surfaces.parse("sqrt(x^2 + y^2) + 0.1*x"), (-1.0, 1.0, -1.0, 1.0))
    assert len(atlas.points) == 1
    p = atlas.points[0]
    assert p.kind == "minimum" and p.source == "nonsmooth"
    assert (p.x, p.y) == pytest.approx((0.0, 0.0), abs=1e-9)
    assert np.isnan(p.eigenvalues).all()


# --- time limit --------------------------------------------------------------------------------
def test_algebra_timeout_falls_back_to_newton_with_note():
    atlas = critical_points(CATALOG["goldstein_price"], timeout=0.005)
    assert atlas.method == "newton" and not atlas.complete
    assert any("timed out" in n for n in atlas.notes)
    p = _find(atlas, 0.0, -1.0, tol=1e-8)
    assert p.kind == "minimum" and p.f == pytest.approx(3.0)
    # the worker was killed; the next exact job restarts it and succeeds
    again = critical_points(CATALOG["himmelblau"], timeout=30)
    assert "groebner" in again.method and len(again.points) == 9


def test_timeout_on_lecture_still_finds_saddle_and_curve():
    atlas = critical_points(CATALOG["lecture"], timeout=0.001)
    assert atlas.method == "newton"
    assert [p.kind for p in atlas.points] == ["saddle"]
    assert len(atlas.curves) == 1 and atlas.curves[0].kind == "minimum (non-isolated)"
    pts = atlas.curves[0].points
    np.testing.assert_allclose(pts[:, 0] * pts[:, 1], 1.0, atol=1e-8)


def test_newton_only_matches_exact_on_himmelblau():
    newton = critical_points(CATALOG["himmelblau"], exact=False)
    exact = critical_points(CATALOG["himmelblau"])
    assert newton.method == "newton"
    assert len(newton.points) == 9
    for p in exact.points:
        q = _find(newton, p.x, p.y, tol=1e-8)
        assert q.kind == p.kind


# --- catalog -----------------------------------------------------------------------------------
# two_dips lists (0.2, 0) as a "maximum"; it is a maximum along x only: f_yy = 1 > 0, so in 2D it
# is a saddle (the catalog is owned elsewhere; reported).
CATALOG_KIND_ERRATA = {("two_dips", 0.2, 0.0): "saddle"}


@pytest.mark.parametrize("sid", [sid for sid, s in CATALOG.items() if s.known_points])
def test_catalog_known_points_found(sid):
    s = CATALOG[sid]
    atlas = critical_points(s)
    diag = math.hypot(s.window[1] - s.window[0], s.window[3] - s.window[2])
    for k in s.known_points:
        p = _find(atlas, k.x, k.y, tol=max(2e-3 * diag, 1e-4))
        assert p.kind == CATALOG_KIND_ERRATA.get((sid, k.x, k.y), k.kind), (sid, k, p)
        if k.f is not None:
            assert p.f == pytest.approx(k.f, rel=1e-5, abs=1e-3), (sid, k, p)


@pytest.mark.parametrize("sid", list(CATALOG))
def test_catalog_atlas_is_consistent(sid):
    # Goldstein-Price and Beale (degree 7 gradients) go through the resultant, the rest through
    # the lex Groebner basis
    s = CATALOG[sid]
    atlas = critical_points(s, timeout=60)  # generous: completeness, not speed, is tested here
    xmin, xmax, ymin, ymax = s.window
    gscale = max(1.0, float(np.nanmedian(np.hypot(*s.grad(*np.meshgrid(np.linspace(xmin, xmax, 9), np.linspace(ymin, ymax, 9)))))))
    seen = set()
    for p in atlas.points:
        assert xmin <= p.x <= xmax and ymin <= p.y <= ymax
        assert p.kind in ("minimum", "maximum", "saddle", "degenerate")
        assert p.source in ("exact", "newton", "nonsmooth")
        if p.source != "nonsmooth":
            assert p.grad_norm <= 1e-8 * gscale
            assert classify(s.hessian(p.x, p.y), scale=atlas.hessian_scale)[2] == p.kind
        key = (round(p.x, 6), round(p.y, 6))
        assert key not in seen
        seen.add(key)
    if s.is_polynomial:
        assert atlas.complete and atlas.method.split("+")[0] in ("groebner", "resultant")


# --- API details -----------------------------------------------------------------------------
def test_classify_tolerance_and_kinds():
    assert classify([[2.0, 0.0], [0.0, 3.0]])[2] == "minimum"
    assert classify([[-2.0, 0.0], [0.0, -3.0]])[2] == "maximum"
    assert classify([[0.0, -2.0], [-2.0, 0.0]])[2] == "saddle"
    assert classify([[1.0, 0.0], [0.0, 0.0]])[2] == "degenerate"
    assert classify([[1.0, 0.0], [0.0, 1e-7]])[2] == "degenerate"  # |lambda| <= 1e-6 * max(1, |H|)
    assert classify([[1.0, 0.0], [0.0, 1e-5]])[2] == "minimum"
    assert classify([[1e8, 0.0], [0.0, 50.0]])[2] == "degenerate"  # relative to the largest eigenvalue
    assert classify([[-1.0, 0.0], [0.0, 1e-9]])[2] == "degenerate"
    _, vecs, _ = classify([[0.0, -2.0], [-2.0, 0.0]])
    np.testing.assert_allclose(vecs[:, 0], [1 / math.sqrt(2), 1 / math.sqrt(2)])


def test_frozen_results_and_cache_and_progress():
    calls = []
    s = surfaces.parse("x^2 + 3*y^2 - x*y + x")
    a = critical_points(s, progress=lambda f, m: calls.append((f, m)))
    assert calls and calls[-1][0] == 1.0
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and all(0 <= f <= 1 for f in fractions)
    b = critical_points(s, progress=lambda f, m: calls.append((f, m)))
    assert b is a  # cached
    assert calls[-1] == (1.0, "done (cached)")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.points[0].x = 1.0
    with pytest.raises(ValueError):
        a.points[0].eigenvalues[0] = 1.0  # read-only arrays: the cached object cannot be altered
    with pytest.raises(ValueError):
        critical_points(s, (1.0, 0.0, 0.0, 1.0))


def test_package_exports():
    assert surfaces.critical_points is critical_points
    for name in ("CriticalPoint", "CriticalCurve", "Atlas", "critical_points"):
        assert name in surfaces.__all__


def test_poincare_hopf_index_check():
    him = critical_points(CATALOG["himmelblau"])
    assert him.index_check is True and him.boundary_winding == 1  # 4 + 1 - 4 = 1
    monkey = critical_points(CATALOG["monkey"])
    assert monkey.index_check is True and monkey.boundary_winding == -2  # the monkey saddle has index -2
    saddle = critical_points(CATALOG["saddle"])
    assert saddle.boundary_winding == -1
    # a list with one point left out fails the check
    ok, w = atlas_mod._index_check(CATALOG["himmelblau"], him.points[1:], CATALOG["himmelblau"].window)
    assert ok is False and w == 1
    # not applicable with a curve of critical points
    assert critical_points(CATALOG["lecture"]).index_check is None


def test_flat_stretches_of_a_wild_polynomial_are_not_critical_points():
    # (x + y + 1)^40 (x - y)^20 is ~0 along two lines, where grad f ~ (3x^2, -1) is small
    # against the window's typical |grad| (~1e30) but not zero: no point may be reported there.
    s = surfaces.parse("(x + y + 1)^40*(x - y)^20 + x^3 - y")
    atlas = critical_points(s, timeout=0.2)
    for p in atlas.points:
        assert p.grad_norm <= 1e-6 * max(1.0, float(np.max(np.abs(s.hessian(p.x, p.y)))))
    assert len(atlas.points) < 50


# --- issue 10: the answer must not depend on the server's uptime ------------------------------
def _assert_fresh_server_answers():
    """The exact answers a fresh server gives for the monkey saddle and the lecture's example."""
    monkey = critical_points(CATALOG["monkey"])
    assert not monkey.degraded and monkey.method == "groebner" and monkey.complete, monkey.notes
    assert len(monkey.points) == 1 and monkey.curves == ()
    p = monkey.points[0]
    assert (p.x, p.y) == (0.0, 0.0) and p.source == "exact" and p.kind == "degenerate"
    np.testing.assert_array_equal(p.eigenvalues, [0.0, 0.0])
    assert p.escape_direction is None
    lecture = critical_points(CATALOG["lecture"])
    assert not lecture.degraded and lecture.method.startswith("groebner"), lecture.notes
    assert len(lecture.points) == 1
    o = lecture.points[0]
    assert (o.x, o.y) == (0.0, 0.0) and o.source == "exact" and o.kind == "saddle"
    np.testing.assert_allclose(o.eigenvalues, [-2.0, 2.0], atol=1e-12)
    assert [c.equation for c in lecture.curves] == ["w1*w2 - 1 = 0"]


def test_atlas_long_after_warm_up_gives_the_fresh_server_answer(monkeypatch):
    # Issue 10: a worker warmed up at start and first asked after the start-up window was killed
    # (the wait's deadline was already past, so its ready line was never read) and the Newton-only
    # answer (a "saddle" with eigenvalues +-3.8e-6) was cached for the server's life.
    window = 0.3
    monkeypatch.setattr(algebra_client, "STARTUP_TIMEOUT", window)  # the worker class reads it there, at use
    worker = atlas_mod._AlgebraWorker()
    monkeypatch.setattr(atlas_mod, "_WORKER", worker)
    try:
        worker.warm_up()
        pid = worker._proc.pid
        # the ready line is waiting in the pipe (not read: nobody asked the worker anything yet)
        readable, _, _ = select.select([worker._proc.stdout], [], [], 120)
        assert readable, "the worker never said it was ready"
        time.sleep(max(0.0, worker._started_at + window + 0.3 - time.monotonic()))  # well past the window
        atlas_mod.clear_cache()
        _assert_fresh_server_answers()
        assert worker._proc is not None and worker._proc.pid == pid  # a ready worker is never killed as "late"
    finally:
        worker.close()
        atlas_mod.clear_cache()


def test_startup_window_is_injectable_and_kills_only_a_worker_that_never_got_ready():
    booth = CATALOG["booth"]
    # a healthy worker constructed with a tiny start-up window: first asked long after it
    worker = atlas_mod._AlgebraWorker(startup_timeout=0.05)
    try:
        worker.warm_up()
        assert select.select([worker._proc.stdout], [], [], 120)[0]
        time.sleep(0.2)
        reply, note = worker.run(booth.expr, booth.window, 30.0)
        assert reply is not None and reply["points"] == [[1.0, 3.0]], note
    finally:
        worker.close()
    # a child that never prints its ready line: "still starting" inside the window, killed after it
    hung = atlas_mod._AlgebraWorker(startup_timeout=0.5, command=[sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        reply, note = hung.run(booth.expr, booth.window, 0.05)
        assert reply is None and "still starting" in note
        proc = hung._proc
        time.sleep(0.6)
        reply, note = hung.run(booth.expr, booth.window, 0.05)
        assert reply is None and "did not start within 0.5 s" in note
        assert hung._proc is None and proc.poll() is not None  # killed
        # a child that dies while starting is reported as a failure at once (a wide window: under
        # CI load a Python that only exits can take seconds to start, which is not what this checks)
        hung.command = [sys.executable, "-c", "pass"]
        hung.startup_timeout = 120.0
        reply, note = hung.run(booth.expr, booth.window, 60.0)
        assert reply is None and "exited while starting" in note
    finally:
        hung.close()


def test_degraded_answers_are_marked_and_not_cached(monkeypatch):
    atlas_mod.clear_cache()
    for note, reason in [("exact algebra timed out after 2 s; Newton search used", "timeout"),
                         ("exact algebra failed (boom); Newton search used", "failed"),
                         ("exact algebra skipped: the algebra worker is still starting; Newton search used", "starting"),
                         ("exact algebra skipped: the algebra worker is busy with another page", "busy")]:
        monkeypatch.setattr(atlas_mod._WORKER, "run", lambda expr, window, timeout, note=note: (None, note))
        a = critical_points(CATALOG["monkey"])
        assert a.degraded and a.degraded_reason == reason and note in a.notes
        assert a.method == "newton" and not a.complete
        # the Newton-only point is a little off (0, 0): still degenerate, with no escape direction
        assert [p.kind for p in a.points] == ["degenerate"] and a.points[0].escape_direction is None
        assert critical_points(CATALOG["monkey"]) is not a  # not cached: the next call tries again
    monkeypatch.undo()
    _assert_fresh_server_answers()
    assert critical_points(CATALOG["monkey"]) is critical_points(CATALOG["monkey"])  # healthy: cached
    # a real time-out is not cached either, and the worker comes back for the next call
    slow = critical_points(CATALOG["lecture"], timeout=0.001)
    assert slow.degraded and slow.degraded_reason == "timeout" and slow.method == "newton"
    assert critical_points(CATALOG["lecture"], timeout=0.001) is not slow
    assert not critical_points(CATALOG["lecture"]).degraded
    # timeout 0 skips the algebra: degraded too; exact=False asks for Newton only: not degraded
    assert critical_points(CATALOG["monkey"], timeout=0).degraded_reason == "skipped"
    assert not critical_points(CATALOG["monkey"], exact=False).degraded


def test_numerically_zero_eigenvalues_make_a_degenerate_point():
    H = [[0.0, 3.8e-6], [3.8e-6, 0.0]]  # eigenvalues -3.8e-6 and +3.8e-6 (the report's "saddle")
    for scale in (1.0, 7.55, 100.0):  # the Hessian's typical size over the window: O(1) .. O(100)
        vals, _, kind = classify(H, scale=scale)
        assert kind == "degenerate"
        assert eigen_tolerance(vals, scale) == pytest.approx(1e-5 * scale)
    assert classify([[0.0, -2.0], [-2.0, 0.0]], scale=26.0)[2] == "saddle"  # real curvature stays
    assert classify([[1e-3, 0.0], [0.0, -1e-3]], scale=7.55)[2] == "saddle"
    assert classify([[1e-5, 0.0], [0.0, 2.0]], scale=7.55)[2] == "degenerate"
    monkey = CATALOG["monkey"]
    scale = hessian_scale(monkey, monkey.window)
    assert 1 < scale < 20
    # the point the Newton search reported in issue 10
    (p,) = atlas_mod._make_points(monkey, np.array([[-5.92e-8], [-6.26e-7]]), "newton", scale)
    assert abs(p.eigenvalues[0]) > 1e-6  # larger than the old absolute tolerance...
    assert p.kind == "degenerate" and p.escape_direction is None  # ...but zero at the surface's scale
    assert p.zero_tol == pytest.approx(1e-5 * scale)
    # the Newton search alone, at several scales of the surface
    for k in (1, 30):
        s = surfaces.parse(f"{k}*(x^3 - 3*x*y^2)")
        a = critical_points(s, monkey.window, exact=False)
        assert [q.kind for q in a.points] == ["degenerate"] and a.points[0].escape_direction is None
        assert np.all(np.abs(a.points[0].eigenvalues) <= a.eig_tol)
        assert a.eig_tol == pytest.approx(1e-5 * a.hessian_scale)


def test_tiny_coordinates_of_exact_critical_points_are_reported_as_zero():
    # the Newton search lands within 1e-21 of the lecture's saddle: the export must say (0, 0)
    for sid in ("lecture", "saddle"):
        a = critical_points(CATALOG[sid], exact=False)
        o = a.nearest(0.0, 0.0)
        assert (o.x, o.y) == (0.0, 0.0) and o.kind == "saddle"
    # a critical point that is really off zero is not moved
    s = surfaces.parse("(x - 1e-7)^2 + (y + 3e-9)^2")
    (p,) = critical_points(s, (-1.0, 1.0, -1.0, 1.0)).points
    assert (p.x, p.y) == pytest.approx((1e-7, -3e-9), rel=1e-6, abs=0)
