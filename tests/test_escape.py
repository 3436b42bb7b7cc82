"""optim.escape: the lecture's saddle-point numbers, escape step, predicted distance, Newton's pull."""

from __future__ import annotations

import math

import numpy as np
import pytest

import optim
import surfaces
from optim import escape

LECTURE = surfaces.CATALOG["lecture"]


def test_lecture_numbers_at_the_origin():
    m = escape.local_model(LECTURE, 0.0, 0.0)
    assert m.f == 1.0
    np.testing.assert_allclose(m.grad, [0.0, 0.0], atol=0)
    np.testing.assert_allclose(m.hessian, [[0.0, -2.0], [-2.0, 0.0]])
    np.testing.assert_allclose(m.eigenvalues, [-2.0, 2.0])
    np.testing.assert_allclose(m.v_min, np.array([1.0, 1.0]) / math.sqrt(2))
    assert escape.stability_bound(m.hessian) == pytest.approx(1.0)


@pytest.mark.parametrize("r", [0.1, 0.5, 1.0, 1.9])
def test_escape_step_lowers_the_loss_as_the_lecture_says(r):
    m = escape.local_model(LECTURE, 0.0, 0.0)
    new, drop = escape.escape_step((0.0, 0.0), m.hessian, r)
    np.testing.assert_allclose(new, r * np.array([1.0, 1.0]) / math.sqrt(2))
    assert drop == pytest.approx(-r * r)  # 1/2 * (-2) * r^2
    assert float(LECTURE.f(*new)) == pytest.approx((1 - r * r / 2) ** 2)
    assert float(LECTURE.f(*new)) < 1.0


def test_escape_step_needs_a_negative_eigenvalue():
    with pytest.raises(ValueError):
        escape.escape_step((0, 0), [[2.0, 0.0], [0.0, 1.0]])  # a minimum
    monkey = surfaces.CATALOG["monkey"]
    with pytest.raises(ValueError):
        escape.escape_step((0, 0), monkey.hessian(0.0, 0.0))  # H = 0: no second-order escape


def _saddles(surface_id):
    atlas = surfaces.critical_points(surfaces.CATALOG[surface_id])
    return [(surfaces.CATALOG[surface_id], p) for p in atlas.of_kind("saddle")]


CASES = [("lecture", 0.1)] + [("himmelblau", 0.01)]


def test_gd_started_exactly_at_the_saddle_never_moves():
    for surface, p in _saddles("lecture"):  # the saddle is exactly (0, 0): g is exactly 0
        run = optim.simulate(surface, optim.make("gd", lr=0.1), (p.x, p.y), 200)
        assert run.steps == 200 and np.all(escape.distance_from(run.points, (p.x, p.y)) == 0.0)
        assert run.status == "converged"  # g = 0: a critical point, not a minimum


def test_gd_at_a_rounded_saddle_stays_until_the_rounding_error_has_grown():
    # Himmelblau's saddles are irrational: the float nearest one has |g| ~ 1e-14, and GD grows that
    # offset by (1 - lr lambda_min) per step. The run reports where it met the tolerance and left.
    for surface, p in _saddles("himmelblau"):
        run = optim.simulate(surface, optim.make("gd", lr=0.01), (p.x, p.y), 400)
        d = escape.distance_from(run.points, (p.x, p.y))
        assert run.met_step == 1
        if run.left_step is None:  # the float point is an exact zero of the float gradient
            assert np.all(d == 0.0)
        else:  # a tiny float gradient: the offset grows from ~1e-16 and the run says when it left
            assert np.all(d[: run.left_step - 20] <= 1e-9) and d[-1] > 0.1


@pytest.mark.parametrize("surface_id,lr", CASES)
@pytest.mark.parametrize("angle", [0.0, 30.0])
def test_offset_grows_like_the_predicted_distance(surface_id, lr, angle):
    eps = 1e-4
    for surface, p in _saddles(surface_id):
        m = escape.local_model(surface, p.x, p.y)
        start = np.array([p.x, p.y]) + eps * escape.offset_direction(m.hessian, angle)
        run = optim.simulate(surface, optim.make("gd", lr=lr), start, 60)
        observed = escape.distance_from(run.points, (p.x, p.y))
        predicted = escape.predicted_distance(eps, lr, m.eigenvalues, 60, angle)
        # early steps (distance still small: the quadratic model holds)
        early = np.flatnonzero(predicted < 1e-2)
        assert early.size >= 5
        ratio = observed[early] / predicted[early]
        assert np.all((ratio > 0.8) & (ratio < 1.25)), ratio
        # and it really grows: by the lecture's factor (1 + lr |lambda_min|) per step
        k = early[-1]
        q = escape.growth_factor(lr, m.lam_min)
        assert observed[k] / observed[0] == pytest.approx(q**k * math.cos(math.radians(angle)), rel=0.3)


def test_predicted_distance_is_the_lecture_formula_at_angle_zero():
    d = escape.predicted_distance(1e-3, 0.1, [-2.0, 2.0], 10)
    np.testing.assert_allclose(d, 1e-3 * 1.2 ** np.arange(11))
    assert escape.steps_to_escape(1e-3, 0.1, -2.0, 1e-3 * 1.2**7) == pytest.approx(7)
    assert escape.steps_to_escape(1e-3, 0.1, 2.0, 1.0) == math.inf


@pytest.mark.parametrize("surface_id", ["lecture", "himmelblau", "saddle"])
def test_newton_converges_into_the_saddle(surface_id):
    for surface, p in _saddles(surface_id):
        m = escape.local_model(surface, p.x, p.y)
        start = np.array([p.x, p.y]) + 0.05 * escape.offset_direction(m.hessian, 30)
        run = optim.simulate(surface, optim.make("newton"), start, 50)
        assert run.status == "converged"
        assert escape.distance_from(run.points[-1:], (p.x, p.y))[0] < 1e-8


def test_taylor_model_is_exact_for_a_quadratic_and_close_nearby_otherwise():
    bowl = surfaces.CATALOG["elongated_bowl"]
    m = escape.local_model(bowl, 1.0, -0.5)
    xs, ys = np.meshgrid(np.linspace(-2, 2, 7), np.linspace(-1, 1, 5))
    np.testing.assert_allclose(m.taylor(xs, ys), bowl.f(xs, ys), atol=1e-12)
    h = surfaces.CATALOG["himmelblau"]
    m = escape.local_model(h, 1.0, 1.0)
    for d in (1e-2, 1e-3):
        err = abs(float(m.taylor(1.0 + d, 1.0 - d)) - float(h.f(1.0 + d, 1.0 - d)))
        assert err < 50 * d**3  # third-order remainder


def test_stability_bound_separates_convergence_from_divergence():
    bowl = surfaces.CATALOG["elongated_bowl"]  # curvatures 1 and 25: bound 2/25
    bound = escape.stability_bound(bowl.hessian(0.0, 0.0))
    assert bound == pytest.approx(0.08)
    ok = optim.simulate(bowl, optim.make("gd", lr=0.95 * bound), (1.0, 1.0), 3000)
    bad = optim.simulate(bowl, optim.make("gd", lr=1.05 * bound), (1.0, 1.0), 3000)
    assert ok.status == "converged" and bad.status == "diverged"
    assert escape.stability_bound([[-1.0, 0.0], [0.0, -2.0]]) == math.inf
