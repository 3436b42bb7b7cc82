"""Update rules: closed forms, first-step sizes, lecture-vs-torch identities, purity, shapes."""

from __future__ import annotations

import numpy as np
import pytest

import optim
import surfaces

A = 4.0
BOWL = surfaces.parse("2*x^2 + 2*y^2")  # f = a/2 (x^2 + y^2) with a = 4: grad = a theta
TILTED = surfaces.parse("0.05*x + 4*(y - 0.1*x)^2")  # a narrow valley falling gently to the left


class Quadratic:
    """A duck-typed surface without SymPy: f = a/2 |theta|^2 (exercises the NumPy path)."""

    def __init__(self, a):
        self.a = a

    def value_and_grad(self, x, y):
        x, y = np.asarray(x, float), np.asarray(y, float)
        return 0.5 * self.a * (x * x + y * y), np.stack([self.a * x, self.a * y])

    def hessian(self, x, y):
        x = np.asarray(x, float)
        z = np.zeros_like(x)
        return np.stack([np.stack([z + self.a, z]), np.stack([z, z + self.a])])


@pytest.mark.parametrize("surface", [BOWL, Quadratic(A)], ids=["sympy", "duck"])
@pytest.mark.parametrize("lr", [0.05, 0.3, 0.45])
def test_gd_on_quadratic_is_geometric(surface, lr):
    run = optim.simulate(surface, optim.gd(lr=lr), (1.5, -0.5), 30)
    expected = np.array([1.5, -0.5]) * (1 - lr * A) ** np.arange(31)[:, None]
    n = run.steps  # lr 0.3: |1 - lr a| = 0.2, converged (|g|, |step| < 1e-8) before step 30
    assert n == 30 or run.status == "converged"
    np.testing.assert_allclose(run.points, expected[: n + 1], rtol=1e-12, atol=1e-300)


def test_torch_heavy_ball_recurrence():
    lr, mu, x0 = 0.02, 0.8, 1.3
    run = optim.simulate(BOWL, optim.sgd(lr=lr, momentum=mu), (x0, 0.0), 40)
    x, b = [x0], None
    for _ in range(40):  # b_1 = a x_0, b_{t+1} = mu b_t + a x_t, x_{t+1} = x_t - lr b_{t+1}
        b = A * x[-1] if b is None else mu * b + A * x[-1]
        x.append(x[-1] - lr * b)
    np.testing.assert_allclose(run.points[:, 0], x, rtol=1e-12)
    np.testing.assert_allclose(run.state["m"][:, 0], np.diff(x) / -lr, rtol=1e-10)


def test_lecture_momentum_equals_torch_sgd_with_constant_lr():
    s = surfaces.CATALOG["himmelblau"]
    torch_form = optim.simulate(s, optim.sgd(lr=2e-3, momentum=0.9), (0.0, 0.0), 200)
    lecture = optim.simulate(s, optim.momentum(lr=2e-3, momentum=0.9), (0.0, 0.0), 200)
    np.testing.assert_allclose(lecture.points, torch_form.points, rtol=1e-10, atol=1e-12)
    # m (lecture) is the movement; torch's b is the buffer: m = -lr b with a constant lr.
    np.testing.assert_allclose(lecture.state["m"], -2e-3 * torch_form.state["m"], rtol=1e-9, atol=1e-14)


def test_lecture_momentum_differs_from_torch_sgd_with_a_schedule():
    s = surfaces.CATALOG["himmelblau"]
    sched = optim.schedules.Step(2e-3, step_size=20, gamma=0.3)
    torch_form = optim.simulate(s, optim.sgd(lr=2e-3, momentum=0.9), (0.0, 0.0), 100, schedule=sched)
    lecture = optim.simulate(s, optim.momentum(lr=2e-3, momentum=0.9), (0.0, 0.0), 100, schedule=sched)
    np.testing.assert_allclose(lecture.points[:21], torch_form.points[:21], rtol=1e-10)  # same lr so far
    assert np.abs(lecture.points[22] - torch_form.points[22]).max() > 1e-4
    # torch rescales the whole buffer at the drop: its step 20 is 0.3 x what the lecture's is
    # (the lecture keeps the old gradients at the old lr) - first-order picture, checked at the jump.
    assert np.linalg.norm(torch_form.update[20]) < np.linalg.norm(lecture.update[20])


def test_lecture_adagrad_with_inverse_sqrt_lr_equals_torch_adagrad():
    s = surfaces.CATALOG["himmelblau"]
    torch_form = optim.simulate(s, optim.adagrad(lr=0.3), (0.0, 0.0), 300)
    lecture = optim.simulate(s, optim.adagrad_lecture(lr=0.3), (0.0, 0.0), 300,
                             schedule=optim.schedules.InverseSqrt(0.3))
    np.testing.assert_allclose(lecture.points, torch_form.points, rtol=1e-9, atol=1e-12)


def test_lecture_adagrad_sigma_is_root_mean_square_and_can_shrink():
    run = optim.simulate(TILTED, optim.adagrad_lecture(lr=0.1), (2.5, 1.5), 200)
    g = run.seen_grad
    rms = np.sqrt(np.cumsum(g**2, axis=0) / np.arange(1, len(g) + 1)[:, None])
    np.testing.assert_allclose(run.state["sigma"], rms, rtol=1e-12)
    assert (np.diff(run.state["sigma"][:, 1]) < 0).any()  # the mean can fall: steps can grow
    torch_sigma = optim.simulate(TILTED, optim.adagrad(lr=0.1), (2.5, 1.5), 200).state["sigma"]
    assert (np.diff(torch_sigma, axis=0) >= 0).all()  # the sum never falls


@pytest.mark.parametrize("opt,factor", [
    (optim.adam(lr=1e-3), 1.0),
    (optim.amsgrad(lr=1e-3), 1.0),
    (optim.adagrad(lr=1e-3), 1.0),
    (optim.adagrad_lecture(lr=1e-3), 1.0),
    (optim.rmsprop(lr=1e-3), 10.0),  # 1/sqrt(1 - 0.99): no bias correction
    (optim.rmsprop_lecture(lr=1e-3), 1.0),
], ids=lambda v: getattr(v, "id", str(v)))
def test_first_step_size(opt, factor):
    run = optim.simulate(surfaces.CATALOG["himmelblau"], opt, (0.0, 0.0), 1)
    g = run.seen_grad[0]
    np.testing.assert_allclose(np.abs(run.update[0]), factor * 1e-3, rtol=1e-6)
    assert (np.sign(run.update[0]) == -np.sign(g)).all()


def test_adam_without_bias_correction_starts_small():
    with_bc = optim.simulate(BOWL, optim.adam(lr=1e-2), (1.0, 1.0), 1).update[0]
    without = optim.simulate(BOWL, optim.adam(lr=1e-2, bias_correction=False), (1.0, 1.0), 1).update[0]
    # m = 0.1 g, sqrt(v) = sqrt(0.001) |g|: the step is 0.1/sqrt(0.001) ~ 3.16 lr, not lr.
    np.testing.assert_allclose(np.abs(without), 1e-2 * 0.1 / np.sqrt(1e-3), rtol=1e-6)
    np.testing.assert_allclose(np.abs(with_bc), 1e-2, rtol=1e-6)


def test_amsgrad_takes_max_over_raw_v():
    opt = optim.amsgrad(lr=0.1)
    p = np.zeros(2)
    state = opt.init(p)
    _, state = opt.update(np.array([10.0, 1.0]), state, p, 0.1, 0)
    _, state = opt.update(np.array([0.0, 0.0]), state, p, 0.1, 1)
    np.testing.assert_allclose(state["v_max"], [0.1, 1e-3])  # raw v after step 1, not v / (1 - b2^t)
    np.testing.assert_allclose(state["v"], [0.0999, 0.000999])


def test_adamw_decay_is_decoupled_from_sigma():
    p = np.array([2.0, -1.0])
    g = np.array([0.5, 0.5])
    adam_delta, _ = optim.adam(lr=0.1).update(g, optim.adam().init(p), p, 0.1, 0)
    adamw_delta, st = optim.adamw(lr=0.1, weight_decay=0.5).update(g, optim.adamw().init(p), p, 0.1, 0)
    np.testing.assert_allclose(adamw_delta, adam_delta - 0.1 * 0.5 * p, rtol=1e-12)
    _, st2 = optim.adam(lr=0.1, weight_decay=0.5).update(g, optim.adam().init(p), p, 0.1, 0)
    assert not np.allclose(st2["v"], st["v"])  # coupled decay enters v; decoupled does not


def test_nesterov_rules_follow_torch():
    with pytest.raises(ValueError):
        optim.sgd(lr=0.1, nesterov=True)
    with pytest.raises(ValueError):
        optim.sgd(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)
    assert optim.nesterov().hyperparams["momentum"] == 0.9


def test_first_sgd_step_ignores_dampening_like_torch():
    p, g = np.array([1.0, 1.0]), np.array([2.0, -4.0])
    opt = optim.sgd(lr=0.1, momentum=0.9, dampening=0.5)
    _, state = opt.update(g, opt.init(p), p, 0.1, 0)
    np.testing.assert_allclose(state["m"], g)
    _, state = opt.update(g, state, p, 0.1, 1)
    np.testing.assert_allclose(state["m"], 0.9 * g + 0.5 * g)


def test_newton_lands_on_the_saddle():
    run = optim.simulate(surfaces.CATALOG["saddle"], optim.newton(), (1.8, 0.3), 20)
    assert run.status == "converged"
    np.testing.assert_allclose(run.points[1], [0.0, 0.0], atol=1e-15)
    gd_run = optim.simulate(surfaces.CATALOG["saddle"], optim.gd(lr=0.1), (1.8, 0.3), 200)
    assert abs(gd_run.final[1]) > 1  # plain descent slides off the saddle along -y^2


def test_newton_damping_and_singular_fallback():
    opt = optim.newton(lr=1.0, damping=1.0)
    h = np.array([[[2.0, 0.0], [0.0, 2.0]]])
    delta, _ = opt.update(np.array([[3.0, 6.0]]), {}, np.zeros((1, 2)), 1.0, 0, hessian=h)
    np.testing.assert_allclose(delta, [[-1.0, -2.0]])  # (H + I)^-1 g = g / 3
    singular = np.zeros((1, 2, 2))  # monkey saddle at its flat point
    delta, _ = optim.newton(lr=0.5).update(np.array([[1.0, -2.0]]), {}, np.zeros((1, 2)), 0.5, 0, hessian=singular)
    np.testing.assert_allclose(delta, [[-0.5, 1.0]])  # falls back to -lr g, not NaN
    run = optim.simulate(surfaces.CATALOG["monkey"], optim.newton(), (0.0, 0.0), 5)
    assert np.isfinite(run.points).all()


def test_updates_are_pure():
    p = np.array([[0.5, -0.5], [1.0, 2.0]])
    g = np.array([[1.0, 2.0], [-3.0, 0.5]])
    for opt_id, factory in optim.OPTIMIZERS.items():
        opt = factory()
        state = opt.init(p)
        for step in range(3):
            before = {k: v.copy() for k, v in state.items()}
            p_copy, g_copy = p.copy(), g.copy()
            h = np.broadcast_to(np.eye(2) * 3.0, (2, 2, 2)) if opt.needs_hessian else None
            delta, new_state = opt.update(g, state, p, opt.lr, step, h)
            for k, value in before.items():
                np.testing.assert_array_equal(state[k], value, err_msg=f"{opt_id} mutated {k}")
            np.testing.assert_array_equal(p, p_copy)
            np.testing.assert_array_equal(g, g_copy)
            assert delta.shape == p.shape
            assert set(new_state) == set(state)
            state = new_state


@pytest.mark.parametrize("opt_id", list(optim.OPTIMIZERS))
def test_one_start_and_a_batch_of_starts_use_the_same_code(opt_id):
    opt = optim.OPTIMIZERS[opt_id]()
    p = np.array([[0.5, -0.5], [1.0, 2.0], [-3.0, 0.1]])
    g = np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, 7.0]])
    h = np.broadcast_to(np.array([[2.0, 1.0], [1.0, 3.0]]), (3, 2, 2))
    batch_state = opt.init(p)
    singles = [opt.init(p[i]) for i in range(3)]
    for step in range(4):
        batch_delta, batch_state = opt.update(g, batch_state, p, 0.01, step, h)
        for i in range(3):
            d, singles[i] = opt.update(g[i], singles[i], p[i], 0.01, step, h[i])
            np.testing.assert_array_equal(d, batch_delta[i])
