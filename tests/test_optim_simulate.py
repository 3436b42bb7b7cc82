"""simulate / simulate_many: stopping rules, recorded arrays, noise, vectorization, convergence."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import optim
import surfaces
from optim.simulate import BOUND, MAX_STEPS

CAT = surfaces.CATALOG
BOWL = surfaces.parse("2*x^2 + 2*y^2")  # a = 4


@pytest.mark.parametrize("lr", [0.51, 0.6, 1.0])
def test_gd_divergence_is_reported_at_the_right_step(lr):
    run = optim.simulate(BOWL, optim.gd(lr=lr), (1.0, 0.0), 500)
    ratio = abs(1 - 4 * lr)  # > 1 iff lr > 2/a = 0.5
    expected = math.floor(math.log(BOUND) / math.log(ratio)) + 1  # first t with ratio^t > 1e6
    assert run.status == "diverged"
    assert run.stop_step == expected == run.steps
    assert run.message.startswith(f"diverged at step {expected}: the point left")
    assert abs(run.points[-1, 0]) > BOUND >= abs(run.points[-2, 0])


def test_gd_at_the_stability_edge_does_not_diverge():
    run = optim.simulate(BOWL, optim.gd(lr=0.5), (1.0, 0.0), 300)  # |1 - lr a| = 1: oscillates forever
    assert run.status == "budget" and run.steps == 300
    np.testing.assert_allclose(np.abs(run.points[:, 0]), 1.0)
    assert "300 steps" in run.message


def test_infinite_loss_is_reported_without_warnings():
    steep = surfaces.parse("exp(x^2)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = optim.simulate(steep, optim.gd(lr=1.0), (3.0, 0.0), 50)
    # x_1 = 3 - 6 e^9 = -48617: inside the bound, but e^(x^2) overflows to inf there.
    assert (run.status, run.stop_step, run.steps) == ("diverged", 1, 1)
    assert run.message == "diverged at step 1: the loss became infinite"


def test_undefined_loss_at_start_is_diverged_at_step_zero():
    run = optim.simulate(surfaces.parse("log(x)"), optim.adam(), (-1.0, 0.0), 10)
    assert (run.status, run.stop_step, run.steps) == ("diverged", 0, 0)
    assert "undefined" in run.message
    assert run.points.shape == (1, 2) and run.update.shape == (0, 2)


def test_convergence_rule():
    run = optim.simulate(BOWL, optim.gd(lr=0.1), (1.0, 1.0), 1000, stop_at_tolerance=True)
    assert run.status == "converged" and run.stop_step == run.steps == run.met_step < 1000
    k = run.stop_step
    assert np.linalg.norm(run.grad[k]) <= optim.GRAD_TOL and np.linalg.norm(run.update[k - 1]) <= optim.STEP_TOL
    assert np.linalg.norm(run.grad[k - 1]) > optim.GRAD_TOL or np.linalg.norm(run.update[k - 2]) > optim.STEP_TOL
    assert run.message.startswith(f"converged at step {k}")


def test_by_default_a_run_makes_every_step_and_reports_where_it_met_the_tolerance():
    early = optim.simulate(BOWL, optim.gd(lr=0.1), (1.0, 1.0), 1000, stop_at_tolerance=True)
    full = optim.simulate(BOWL, optim.gd(lr=0.1), (1.0, 1.0), 1000)
    assert full.steps == 1000 and full.points.shape == (1001, 2)
    assert (full.status, full.stop_step, full.met_step, full.left_step) == ("converged", early.stop_step,
                                                                          early.stop_step, None)
    np.testing.assert_array_equal(full.points[: early.steps + 1], early.points)
    assert full.message == early.message


# A tilted narrow valley: the lecture's AdaGrad (root-MEAN-square sigma) reaches the minimum and
# meets the tolerance; sigma keeps shrinking, eta/sigma_y grows past the stability limit and the
# path bursts off the minimum ~40 steps later. A run cut off at the tolerance would hide it.
TILTED = surfaces.parse("10*(y - 0.1*x)^2 + 0.01*x^2")


def test_lecture_adagrad_meets_the_tolerance_then_bursts_off_and_the_run_shows_it():
    cut = optim.simulate(TILTED, optim.adagrad_lecture(lr=0.1), (1.0, 1.0), 3000, stop_at_tolerance=True)
    assert cut.status == "converged" and cut.steps == cut.met_step < 3000
    run = optim.simulate(TILTED, optim.adagrad_lecture(lr=0.1), (1.0, 1.0), 3000)
    assert run.steps == 3000 and run.met_step == cut.met_step
    assert run.left_step is not None and run.left_step > run.met_step
    j = run.left_step
    assert np.linalg.norm(run.grad[j]) > optim.LEAVE_GRAD >= np.linalg.norm(run.grad[j - 1])
    # the burst is visible: the path moves far from where it "converged"
    away = np.linalg.norm(run.points[run.met_step:] - run.points[run.met_step], axis=1).max()
    assert away > 0.01
    assert f"met the tolerance at step {run.met_step} but left it again at step {j}" in run.message
    # the fan runs the same rules
    fan = optim.simulate_many(TILTED, optim.adagrad_lecture(lr=0.1), [(1.0, 1.0)], 3000)
    assert (int(fan.met_step[0]), int(fan.left_step[0])) == (run.met_step, j)
    assert fan.message(0) == run.message


def test_steps_are_clamped_not_refused():
    run = optim.simulate(BOWL, optim.gd(lr=0.5), (1.0, 0.0), MAX_STEPS + 5000)
    assert run.steps == MAX_STEPS and "capped at 20000" in run.message
    assert optim.simulate(BOWL, optim.gd(), (1.0, 0.0), -3).steps == 0


def test_recorded_arrays_are_consistent():
    s = CAT["rosenbrock"]
    run = optim.simulate(s, optim.adam(lr=0.05), (0.0, 0.0), 50,
                         schedule=optim.schedules.build("cosine", 0.05, 50, warmup=5))
    n = run.steps
    assert run.points.shape == (n + 1, 2) and run.loss.shape == (n + 1,) and run.grad.shape == (n + 1, 2)
    assert run.lr.shape == run.update.shape[:1] == run.effective_step.shape[:1] == (n,)
    np.testing.assert_allclose(np.diff(run.points, axis=0), run.update, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(run.loss, s.f(run.points[:, 0], run.points[:, 1]), rtol=1e-13)
    np.testing.assert_allclose(run.grad, s.grad(run.points[:, 0], run.points[:, 1]).T, rtol=1e-13)
    np.testing.assert_array_equal(run.seen_grad, run.grad[:-1])  # no noise: it saw the exact gradient
    assert run.lr[0] == 0.0 and run.lr[5] == pytest.approx(0.05)
    # Rosenbrock at (0, 0): df/dy = 0, so the effective step of y is undefined, not inf.
    assert math.isnan(run.effective_step[0, 1]) and run.effective_step[0, 0] == 0.0  # lr 0 at step 0
    assert set(run.state) == {"m", "v", "sigma"} and run.state["m"].shape == (n, 2)
    t = np.arange(1, n + 1)[:, None]
    np.testing.assert_allclose(run.state["sigma"], np.sqrt(run.state["v"] / (1 - 0.999**t)), rtol=1e-12)


def test_effective_step_of_adagrad_is_lr_over_sigma():
    run = optim.simulate(CAT["himmelblau"], optim.adagrad(lr=0.2), (0.5, 0.5), 40)
    np.testing.assert_allclose(run.effective_step, 0.2 / (run.state["sigma"] + 1e-10), rtol=1e-12)


def test_noise_is_reproducible_bit_for_bit_and_seed_dependent():
    noise = optim.GradientNoise(scale=5.0, batch_size=4)
    a = optim.simulate(CAT["himmelblau"], optim.sgd(lr=1e-3, momentum=0.9), (0, 0), 200, noise=noise, seed=7)
    b = optim.simulate(CAT["himmelblau"], optim.sgd(lr=1e-3, momentum=0.9), (0, 0), 200, noise=noise, seed=7)
    c = optim.simulate(CAT["himmelblau"], optim.sgd(lr=1e-3, momentum=0.9), (0, 0), 200, noise=noise, seed=8)
    np.testing.assert_array_equal(a.points, b.points)
    np.testing.assert_array_equal(a.seen_grad, b.seen_grad)
    assert not np.array_equal(a.points, c.points)
    # grad stays exact; seen_grad = grad + xi with xi drawn step by step from default_rng(seed)
    rng = np.random.default_rng(7)
    xi = np.array([rng.normal(0.0, 2.5, size=(1, 2))[0] for _ in range(200)])
    np.testing.assert_array_equal(a.seen_grad, a.grad[:-1] + xi)


@pytest.mark.parametrize("scale,batch", [(1.0, 1), (3.0, 9), (2.0, 64)])
def test_noise_statistics(scale, batch):
    noise = optim.GradientNoise(scale, batch)
    xi = noise.sample(np.random.default_rng(0), (200_000, 2))
    var = scale**2 / batch
    assert abs(xi.mean()) < 5 * math.sqrt(var / xi.size)
    assert xi.var() == pytest.approx(var, rel=0.02)
    assert abs(np.corrcoef(xi[:, 0], xi[:, 1])[0, 1]) < 0.01  # independent coordinates


def test_noise_validation():
    with pytest.raises(ValueError):
        optim.GradientNoise(-1.0, 2)
    with pytest.raises(ValueError):
        optim.GradientNoise(1.0, 0)


@pytest.mark.parametrize("opt_id", list(optim.OPTIMIZERS))
def test_simulate_many_equals_single_runs(opt_id):
    s = CAT["six_hump_camel"]
    opt = optim.make(opt_id, lr=0.02)
    starts = np.array([[-1.5, -0.5], [1.2, 0.8], [0.0, 0.0], [1.9, -0.9]])
    fan = optim.simulate_many(s, opt, starts, 150)
    assert fan.points.shape == (fan.steps + 1, 4, 2)
    for i, start in enumerate(starts):
        run = optim.simulate(s, opt, start, 150)
        assert fan.status[i] == run.status and fan.stop_step[i] == run.stop_step
        np.testing.assert_allclose(fan.points[: run.steps + 1, i], run.points, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(fan.loss[: run.steps + 1, i], run.loss, rtol=1e-12, atol=1e-13)


def test_simulate_many_freezes_stopped_starts():  # with stop_at_tolerance: the many-start option
    # On x^4/4 + y^2/2 a gd step x - lr x^3 overshoots when lr x^2 > 2: where you start decides.
    quartic = surfaces.parse("x^4/4 + y^2/2")
    starts = np.array([[0.0, 1.0], [10.0, 0.0], [1.0, 1.0]])
    fan = optim.simulate_many(quartic, optim.gd(lr=0.1), starts, 400, stop_at_tolerance=True)
    assert list(fan.status) == ["converged", "diverged", "budget"]
    assert fan.stop_step[2] == 400 == fan.steps
    k_div = fan.stop_step[1]
    assert np.isnan(fan.points[k_div + 1:, 1]).all() and np.isfinite(fan.points[: k_div + 1, 1]).all()
    k_conv = fan.stop_step[0]
    np.testing.assert_array_equal(fan.points[k_conv:, 0], np.broadcast_to(fan.points[k_conv, 0], fan.points[k_conv:, 0].shape))
    assert fan.message(1) == f"diverged at step {fan.stop_step[1]}: the point left the region |x|, |y| <= 1e+06"
    assert fan.message(2) == "ran the full budget of 400 steps without converging"
    both_stop = optim.simulate_many(quartic, optim.gd(lr=0.1), starts[:2], 400, stop_at_tolerance=True)
    assert both_stop.steps == max(both_stop.stop_step) < 400  # ends once every start has stopped


def test_simulate_many_with_noise_is_reproducible_and_one_start_matches_simulate():
    noise = optim.GradientNoise(2.0, 1)
    starts = np.zeros((5, 2))
    a = optim.simulate_many(CAT["himmelblau"], optim.adam(lr=0.05), starts, 100, noise=noise, seed=3)
    b = optim.simulate_many(CAT["himmelblau"], optim.adam(lr=0.05), starts, 100, noise=noise, seed=3)
    np.testing.assert_array_equal(a.points, b.points)
    assert np.ptp(a.points[-1, :, 0]) > 0  # same start, different noise per start: a fan
    one = optim.simulate_many(CAT["himmelblau"], optim.adam(lr=0.05), starts[:1], 100, noise=noise, seed=3)
    single = optim.simulate(CAT["himmelblau"], optim.adam(lr=0.05), (0, 0), 100, noise=noise, seed=3)
    np.testing.assert_allclose(one.points[:, 0], single.points, rtol=1e-12, atol=1e-13)


# Convergence from (0, 0) to Rosenbrock's minimum (1, 1) and on the elongated bowl, optax
# style: hyperparameters picked per optimizer, then a bound on the final distance.
CONVERGENCE = {  # id: (hyperparameters, schedule kind or None, steps, tolerance)
    "gd": ({"lr": 2e-3}, None, 20000, 5e-3),
    "sgd": ({"lr": 1e-3, "momentum": 0.9}, None, 6000, 1e-6),
    "momentum": ({"lr": 1e-3, "momentum": 0.9}, None, 6000, 1e-6),
    "nesterov": ({"lr": 1e-3, "momentum": 0.9}, None, 6000, 1e-6),
    "adagrad": ({"lr": 0.5}, None, 20000, 1e-6),
    "adagrad_lecture": ({"lr": 3e-3}, None, 20000, 5e-3),
    "rmsprop": ({"lr": 3e-3}, "cosine", 8000, 1e-3),  # a constant lr keeps hopping by ~lr: decay it
    "rmsprop_lecture": ({"lr": 3e-3}, "cosine", 8000, 1e-3),
    "adam": ({"lr": 0.01}, None, 3000, 1e-6),
    "adamw": ({"lr": 0.01, "weight_decay": 1e-5}, None, 3000, 1e-3),
    "amsgrad": ({"lr": 0.01}, None, 3000, 1e-6),
    "newton": ({}, None, 20, 1e-12),
}


def test_convergence_table_covers_every_optimizer():
    assert set(CONVERGENCE) == set(optim.OPTIMIZERS)


@pytest.mark.parametrize("opt_id", list(CONVERGENCE))
def test_converges_on_rosenbrock_from_origin(opt_id):
    hyper, kind, steps, tol = CONVERGENCE[opt_id]
    opt = optim.make(opt_id, **hyper)
    schedule = optim.schedules.build(kind, opt.lr, steps) if kind else None
    # "converges" = reaches the minimum; early stopping keeps the point where it did (Adam, e.g.,
    # meets the tolerance at step ~1284 and then drifts off by ~1e-4 as its v decays).
    run = optim.simulate(CAT["rosenbrock"], opt, (0.0, 0.0), steps, schedule=schedule, stop_at_tolerance=True)
    assert run.status != "diverged", run.message
    assert np.linalg.norm(run.final - [1.0, 1.0]) < tol, (run.final, run.message)


@pytest.mark.parametrize("opt_id", list(CONVERGENCE))
def test_converges_on_the_elongated_bowl(opt_id):
    hyper, kind, _, _ = CONVERGENCE[opt_id]
    opt = optim.make(opt_id, **hyper)
    steps = 4000
    schedule = optim.schedules.build(kind, opt.lr, steps) if kind else None
    run = optim.simulate(CAT["elongated_bowl"], opt, (-3.5, 1.2), steps, schedule=schedule)
    assert run.status != "diverged", run.message
    tol = 5e-2 if opt_id in ("gd", "adamw", "adagrad_lecture") else 1e-3  # slow (gd, lecture AdaGrad) or biased (wd)
    assert np.linalg.norm(run.final) < tol, (run.final, run.message)
