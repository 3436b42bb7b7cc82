"""The real-network engines (issue 13): data, MLP gradient and Hessian, N-D training, the
critical-point descent and the symbolic 2D slice. The four lecture claims are in
test_network_claims.py."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import optim
from optim import critical_nd
from optim.train import linear_scaling, train
from surfaces.network import MLP, make_data, single_blas_thread
from surfaces.network_slice import _formulas, _pieces, directions, network_slice
from surfaces.parser import X, Y


def _fd_grad(model, theta, x, y, eps=1e-6):
    E = np.eye(len(theta))
    return np.array([(model.loss(theta + eps * e, x, y) - model.loss(theta - eps * e, x, y)) / (2 * eps) for e in E])


def _fd_hessian(model, theta, x, y, eps=1e-6):
    E = np.eye(len(theta))
    return np.array([(model.grad(theta + eps * e, x, y) - model.grad(theta - eps * e, x, y)) / (2 * eps) for e in E])


@pytest.fixture(scope="module")
def small():
    data = make_data("sine", 40, 20, seed=1)
    return data


# --- data ---------------------------------------------------------------------------------
def test_data_is_seeded_and_split():
    a, b = make_data("sine", 50, 30, seed=3), make_data("sine", 50, 30, seed=3)
    assert a.x_train.shape == (50, 2) and a.y_train.shape == (50, 1) and a.x_test.shape == (30, 2)
    assert np.array_equal(a.x_train, b.x_train) and np.array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.x_train, make_data("sine", 50, 30, seed=4).x_train)
    moons = make_data("moons", 30, 10, seed=0)
    assert set(np.unique(moons.y_train)) <= {-1.0, 1.0}
    with pytest.raises(ValueError):
        make_data("mnist")
    assert not a.x_train.flags.writeable


# --- the network ----------------------------------------------------------------------------
def test_flat_vector_round_trip():
    m = MLP((2, 32, 1))
    assert m.n_params == 129
    theta = m.init(0)
    assert np.array_equal(m.flatten(m.unflatten(theta)), theta)


@pytest.mark.parametrize("sizes", [(2, 32, 1), (2, 5, 4, 2), (3, 6, 2)])
def test_backprop_gradient_equals_finite_differences(sizes, small):
    m = MLP(sizes)
    x = np.hstack([small.x_train, small.x_train[:, :1] ** 2])[:, : sizes[0]]
    y = np.hstack([small.y_train * (q + 1) for q in range(sizes[-1])])
    theta = m.init(2) + 0.1 * np.random.default_rng(0).normal(size=m.n_params)
    loss, g = m.loss_and_grad(theta, x, y)
    assert loss == pytest.approx(m.loss(theta, x, y))
    np.testing.assert_allclose(g, _fd_grad(m, theta, x, y), atol=1e-8)
    np.testing.assert_allclose(m.per_example_grads(theta, x, y).mean(axis=0), g, atol=1e-14)


@pytest.mark.parametrize("sizes", [(2, 32, 1), (2, 5, 4, 2), (3, 6, 2)])
def test_exact_hessian_equals_finite_differences_of_the_gradient(sizes, small):
    m = MLP(sizes)
    x = np.hstack([small.x_train, small.x_train[:, :1] ** 2])[:, : sizes[0]]
    y = np.hstack([small.y_train * (q + 1) for q in range(sizes[-1])])
    theta = m.init(2) + 0.1 * np.random.default_rng(0).normal(size=m.n_params)
    H = m.hessian(theta, x, y)
    np.testing.assert_allclose(H, H.T, atol=0)
    np.testing.assert_allclose(H, _fd_hessian(m, theta, x, y), atol=1e-7)
    # the closed form (one hidden layer) and the R-operator agree to rounding
    np.testing.assert_allclose(H, m.hvp(theta, x, y, np.eye(m.n_params)), atol=1e-13)
    v = np.random.default_rng(1).normal(size=m.n_params)
    np.testing.assert_allclose(m.hvp(theta, x, y, v), H @ v, atol=1e-12)


def test_single_blas_thread_is_reentrant_and_harmless():
    A = np.random.default_rng(0).normal(size=(20, 20))
    with single_blas_thread():
        with single_blas_thread():
            inner = np.linalg.eigvalsh(A + A.T)
        again = np.linalg.eigvalsh(A + A.T)
    np.testing.assert_allclose(inner, again)


# --- training -------------------------------------------------------------------------------
@pytest.mark.parametrize("opt_id", sorted(set(optim.OPTIMIZERS) - {"newton"}))
def test_every_optimizer_trains_an_n_dimensional_vector(opt_id, small):
    m = MLP((2, 8, 1))
    run = train(m, small, optim.make(opt_id, lr=0.01), 3, 8, seed=0)
    assert run.status == "budget" and run.final.shape == (m.n_params,)
    assert run.steps == 3 * 5 and len(run.loss) == run.steps + 1 == len(run.grad_norm)
    assert np.all(np.isfinite(run.loss))


def test_training_without_a_test_set():
    run = train(MLP((2, 4, 1)), make_data("sine", 8, 0), optim.make("adam", lr=0.01), 2, 8)
    assert run.status == "budget" and np.isnan(run.test_loss).all()


def test_newton_is_refused_on_a_network(small):
    with pytest.raises(ValueError, match="2D"):
        train(MLP((2, 4, 1)), small, optim.make("newton"), 1, 8)


def test_full_batch_training_is_gradient_descent_bit_for_bit(small):
    m = MLP((2, 8, 1))
    run = train(m, small, optim.make("gd", lr=0.1), 5, small.n_train, init_seed=3)
    theta = m.init(3)
    for _ in range(5):
        theta = theta - 0.1 * m.grad(theta, small.x_train, small.y_train)
    assert np.array_equal(run.final, theta)


def test_minibatches_are_reshuffled_every_epoch_and_runs_repeat(small):
    m = MLP((2, 8, 1))
    a = train(m, small, optim.make("sgd", lr=0.05), 4, 7, seed=5)
    b = train(m, small, optim.make("sgd", lr=0.05), 4, 7, seed=5)
    c = train(m, small, optim.make("sgd", lr=0.05), 4, 7, seed=6)
    assert np.array_equal(a.loss, b.loss) and not np.array_equal(a.loss, c.loss)
    assert list(a.epoch_end) == [0, 6, 12, 18, 24]  # ceil(40 / 7) = 6 updates per epoch
    assert len(a.test_loss) == 5 and np.array_equal(a.snapshot_steps, a.epoch_end)


def test_schedule_warm_up_and_stop_at_a_target_loss(small):
    m = MLP((2, 8, 1))
    sched = optim.schedules.warmup(optim.schedules.Constant(0.2), 10)
    run = train(m, small, optim.make("sgd", lr=0.2), 200, 8, schedule=sched, stop_loss=0.05)
    assert run.lr[0] == 0.0 and run.lr[5] == pytest.approx(0.1) and run.lr[10] == 0.2
    assert run.status == "target" and run.loss[-1] <= 0.05 < run.loss[-2]
    assert linear_scaling(0.02, 32, 4) == pytest.approx(0.16)


def test_divergence_is_a_status_not_an_exception(small):
    run = train(MLP((2, 8, 1)), small, optim.make("gd", lr=50.0), 50, small.n_train)
    assert run.status == "diverged" and run.steps < 50


# --- critical points ------------------------------------------------------------------------
def test_spectrum_counts_and_tolerance():
    s = critical_nd.spectrum(np.diag([10.0, 1.0, 1e-9, -1e-9, -2.0]))
    assert (s.n_positive, s.n_negative, s.n_zero) == (2, 1, 2)
    assert s.minimum_ratio == pytest.approx(0.4) and s.kind == "saddle" and s.sharpness == 10.0
    assert critical_nd.minimum_ratio([10.0, 1.0, 1e-9, -1e-9, -2.0], tol=1e-12) == pytest.approx(0.6)
    assert critical_nd.spectrum(np.diag([3.0, 0.0])).kind == "minimum"


def test_newton_on_the_gradient_finds_an_exact_saddle_from_a_plateau():
    """A small-init network trained by GD sits on a plateau near a saddle; the descent lands on
    it exactly (||g|| ~ 1e-12) in a few Hessians. Measured: +33 / -32 / 64 zero eigenvalues
    (a saddle where the hidden units act as one), minimum ratio 33/129 = 0.256."""
    m = MLP((2, 32, 1))
    data = make_data("sine", 200, 10, noise=0.1, seed=0)
    with single_blas_thread():
        run = train(m, data, optim.make("gd", lr=0.01), 60, 200, theta0=m.init(0, scale=0.1))
        cp = critical_nd.descend_to_critical(m, data, run.final)
    assert cp.status == "critical" and cp.grad_norm < 1e-9 and cp.iterations <= 10
    s = cp.spectrum
    assert s.kind == "saddle" and s.n_negative >= 20 and s.n_zero >= 50
    assert 0.2 <= cp.minimum_ratio <= 0.3
    assert cp.loss > run.loss[-1]  # the saddle is on the plateau, above where training already is


# --- the symbolic slice -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def trained():
    m = MLP((2, 32, 1))
    data = make_data("sine", 24, 100, noise=0.1, seed=0)
    run = train(m, data, optim.make("adam", lr=0.02), 150, 24, seed=0)
    return m, data, run.final


@pytest.mark.parametrize("kind", ["random", "hessian"])
def test_slice_gradient_is_the_projected_backprop_gradient(trained, kind):
    m, data, theta = trained
    sl = network_slice(m, data, theta, kind=kind, seed=1)
    rng = np.random.default_rng(0)
    for a, b in [(0.0, 0.0), *rng.uniform(-1, 1, (5, 2))]:
        np.testing.assert_allclose(sl.surface.grad(a, b), sl.projected_grad(a, b), rtol=0, atol=1e-8)
        assert float(sl.surface.f(a, b)) == pytest.approx(m.loss(sl.params(a, b), data.x_train, data.y_train), abs=1e-12)
        D = np.stack([sl.d1, sl.d2], axis=1)
        H = D.T @ m.hessian(sl.params(a, b), data.x_train, data.y_train) @ D
        np.testing.assert_allclose(sl.surface.hessian(a, b), H, atol=1e-8)
    # vectorized like every surface
    xs, ys, Z = sl.surface.grid(7)
    assert Z.shape == (7, 7) and np.all(np.isfinite(Z))


def test_slice_directions():
    m = MLP((2, 6, 1))
    theta = m.init(0)
    d1, d2 = directions(m, theta, "random", seed=0)
    for d in (d1, d2):
        for (W, _b), (D, c) in zip(m.unflatten(theta), m.unflatten(d)):
            np.testing.assert_allclose(np.linalg.norm(D, axis=1), np.linalg.norm(W, axis=1))  # filter-normalised
            assert not c.any()  # biases stay
    data = make_data("sine", 10, 0)
    h1, h2 = directions(m, theta, "hessian", data=data)
    lam, Q = np.linalg.eigh(m.hessian(theta, data.x_train, data.y_train))
    assert abs(h1 @ Q[:, -1]) == pytest.approx(1.0) and abs(h2 @ Q[:, -2]) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        directions(m, theta, "sideways")


def test_slice_public_formulas_equal_its_numbers():
    """The SymPy formulas a page shows (and fastpath or the atlas may read) are the ones computed."""
    m = MLP((2, 3, 1))
    data = make_data("sine", 4, 0, seed=2)
    theta = m.init(1)
    d1, d2 = directions(m, theta, "random", seed=0)
    p = _pieces(m, theta, d1, d2, data.x_train, data.y_train)
    exprs = _formulas(p, lambda label, e: e)
    assert all(e.free_symbols <= {X, Y} for e in exprs)
    fn = sp.lambdify((X, Y), exprs, modules="numpy")
    sl = network_slice(m, data, theta, d1=d1, d2=d2)
    s = sl.surface
    for a, b in [(0.3, -0.7), (1.2, 0.4)]:
        f, gx, gy, hxx, hxy, hyy = fn(a, b)
        assert f == pytest.approx(float(s.f(a, b)), abs=1e-14)
        np.testing.assert_allclose([gx, gy], s.grad(a, b), atol=1e-14)
        np.testing.assert_allclose([[hxx, hxy], [hxy, hyy]], s.hessian(a, b), atol=1e-14)
    assert s.expr is exprs[0] or sp.srepr(s.expr) == sp.srepr(exprs[0])


@pytest.mark.slow
def test_optimizers_and_the_atlas_run_on_the_slice(trained):
    """~20 s: the atlas's Newton search evaluates the 768-tanh slice on a grid of seeds."""
    m, data, theta = trained
    sl = network_slice(m, data, theta, kind="hessian")
    run = optim.simulate(sl.surface, optim.make("adam", lr=0.05), (0.7, -0.6), 200)
    assert run.status in {"budget", "converged"} and run.loss[-1] < run.loss[0]
    newton = optim.simulate(sl.surface, optim.make("newton"), (0.2, -0.1), 50)  # uses the 2x2 Hessian
    assert newton.status != "diverged"
    import surfaces

    atlas = surfaces.critical_points(sl.surface, exact=False, seeds=8)
    assert any(p.kind == "minimum" for p in atlas.points)


def test_slice_refuses_too_much_data():
    m = MLP((2, 32, 1))
    data = make_data("sine", 100, 0)
    with pytest.raises(ValueError, match="tanh terms"):
        network_slice(m, data, m.init(0))
    with pytest.raises(ValueError, match="one hidden layer"):
        network_slice(MLP((2, 3, 3, 1)), make_data("sine", 4, 0), MLP((2, 3, 3, 1)).init(0))
