"""Mini-batch engine: data sets, sampling, reproducibility, the saddle claim, the trade-off model."""

from __future__ import annotations

import numpy as np
import pytest

import optim
from optim import minibatch
from optim.minibatch import (
    MAX_UPDATES,
    epoch_batches,
    resample_by_epoch,
    simulate_minibatch,
    tradeoff,
    updates_per_epoch,
)
from surfaces import datasets

SADDLE = np.array([0.0, 1.0])


@pytest.fixture(scope="module")
def pca():
    return datasets.get("pca")


@pytest.fixture(scope="module")
def linreg():
    return datasets.get("linreg")


# --- data sets ---------------------------------------------------------------------------------
@pytest.mark.parametrize("ds_id", datasets.DATASET_IDS)
def test_full_batch_surface_matches_mean_of_examples(ds_id):
    d = datasets.get(ds_id)
    rng = np.random.default_rng(1)
    w = rng.uniform(-1.5, 1.5, (50, 2))
    f_sym = d.surface.f(w[:, 0], w[:, 1])
    g_sym = d.surface.grad(w[:, 0], w[:, 1]).T
    np.testing.assert_allclose(d.loss(w), f_sym, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(d.grad(w), g_sym, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(d.loss(w), d.example_losses(w).mean(axis=-1))


def test_example_grads_shapes_and_finite_difference(linreg):
    w = np.array([[0.3, -0.2], [1.0, 2.0], [-1.0, 0.5]])
    idx = [0, 5, 7, 31]
    g = linreg.example_grads(w, idx)
    assert g.shape == (3, 4, 2)
    h = 1e-6
    for k in range(2):
        e = np.zeros(2)
        e[k] = h
        fd = (linreg.example_losses(w + e, idx) - linreg.example_losses(w - e, idx)) / (2 * h)
        np.testing.assert_allclose(g[..., k], fd, rtol=1e-6, atol=1e-8)
    assert linreg.example_grads(np.zeros((2, 3, 2)), idx).shape == (2, 3, 4, 2)


def test_pca_known_points_are_critical_and_classified(pca):
    for k in pca.known_points:
        g = pca.surface.grad(k.x, k.y)
        assert np.linalg.norm(g) < 1e-12
        eig = np.linalg.eigvalsh(pca.surface.hessian(k.x, k.y))
        kind = {2: "minimum", 0: "maximum", 1: "saddle"}[int((eig > 0).sum())]
        assert kind == k.kind
        assert float(pca.loss(np.array([k.x, k.y]))) == pytest.approx(k.f, rel=1e-12)


def test_pca_saddle_examples_disagree(pca):
    """The point of the data set: at the saddle the MEAN gradient is zero, the examples' are not,
    and they point along the escape direction w1."""
    g = pca.example_grads(SADDLE)
    assert np.abs(pca.grad(SADDLE)).max() < 1e-15
    assert np.all(np.abs(g[:, 0]) > 1e-3)
    np.testing.assert_array_equal(g[:, 1], 0.0)
    hess = pca.surface.hessian(*SADDLE)
    assert hess[0, 0] < 0 < hess[1, 1]


def test_gradient_noise_exact_and_sqrt_law(pca):
    w = np.array([0.2, 1.3])
    B = np.arange(1, pca.n + 1)
    noise = pca.gradient_noise(w, B)
    assert noise[-1] == 0.0
    assert np.all(np.diff(noise) < 0)
    # about 1/sqrt(B) for small B (finite-population factor (N-B)/(N-1) aside)
    np.testing.assert_allclose(noise[3] / noise[0], np.sqrt((pca.n - 4) / (pca.n - 1) / 4), rtol=1e-12)
    # Monte Carlo: batches of a shuffled epoch
    rng = np.random.default_rng(0)
    full = pca.grad(w)
    dev = [np.sum((pca.batch_grad(w, rng.permutation(pca.n)[:4]) - full) ** 2) for _ in range(4000)]
    assert np.sqrt(np.mean(dev)) == pytest.approx(noise[3], rel=0.05)


# --- sampling ------------------------------------------------------------------------------------
@pytest.mark.parametrize("B", [1, 5, 7, 32])
def test_each_epoch_visits_every_example_once(linreg, B):
    run = simulate_minibatch(linreg, optim.make("gd", lr=0.01), (0.0, 0.0), 6, B, seed=3)
    N = linreg.n
    assert run.order.shape == (6, N)
    for perm in run.order:
        np.testing.assert_array_equal(np.sort(perm), np.arange(N))
        sizes = [len(b) for b in epoch_batches(perm, B)]
        assert sum(sizes) == N and max(sizes) == B and len(sizes) == updates_per_epoch(N, B)
    assert run.steps == 6 * updates_per_epoch(N, B)
    np.testing.assert_array_equal(np.bincount(run.epoch_of_update), [updates_per_epoch(N, B)] * 6)
    assert run.batch_len.sum() == 6 * N
    assert run.loss_per_epoch.shape == (7,)
    assert run.epoch_time()[-1] == 6.0
    if B not in (1, N):
        assert not np.array_equal(run.order[0], run.order[1])  # reshuffled each epoch


def test_batches_seen_are_the_order(linreg):
    """The gradient of update t is the mean over the batch the order says."""
    run = simulate_minibatch(linreg, optim.make("gd", lr=0.05), (0.5, -0.5), 2, 5, seed=11)
    batches = [b for perm in run.order for b in epoch_batches(perm, 5)]
    for t, idx in enumerate(batches):
        np.testing.assert_array_equal(run.seen_grad[t], linreg.batch_grad(run.points[t], idx))


def test_reproducible_bit_for_bit(pca):
    opt = optim.make("adam", lr=0.05)
    a = simulate_minibatch(pca, opt, (0.0, 1.5), 5, 3, seed=42)
    b = simulate_minibatch(pca, opt, (0.0, 1.5), 5, 3, seed=42)
    c = simulate_minibatch(pca, opt, (0.0, 1.5), 5, 3, seed=43)
    for name in ("points", "loss", "grad", "lr", "update", "seen_grad", "order"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.points, c.points)


def test_full_batch_equals_gradient_descent_exactly(linreg, pca):
    for d, start in ((linreg, (-1.5, 2.5)), (pca, (0.3, 1.2))):
        lr = 0.1
        run = simulate_minibatch(d, optim.make("gd", lr=lr), start, 25, d.n, seed=7)
        theta = np.array(start, dtype=float)
        pts = [theta]
        for _ in range(25):
            theta = theta - lr * d.grad(theta)
            pts.append(theta)
        np.testing.assert_array_equal(run.points, np.array(pts))
        assert run.updates_per_epoch == 1
        # and it agrees (to rounding) with optim.simulate on the full-batch Surface
        ref = optim.simulate(d.surface, optim.make("gd", lr=lr), start, 25)
        np.testing.assert_allclose(run.points, ref.points[: len(run.points)], atol=1e-10)


def test_schedule_and_momentum_state(pca):
    sched = optim.schedules.build("cosine", 0.1, 64)
    run = simulate_minibatch(pca, optim.make("momentum", lr=0.1, momentum=0.9), (0.0, 1.5), 2, 1, seed=0,
                             schedule=sched)
    np.testing.assert_array_equal(run.lr, [sched(t) for t in range(64)])
    np.testing.assert_allclose(run.points[1:] - run.points[:-1], run.update)


def test_divergence_is_reported_not_raised(linreg):
    run = simulate_minibatch(linreg, optim.make("gd", lr=2.0), (3.0, 3.0), 100, 4, seed=0)
    assert run.status == "diverged"
    assert run.stop_step == run.steps == len(run.points) - 1
    assert 0 < run.stop_step < 100 * 8
    assert "diverged" in run.message


def test_update_cap(linreg, monkeypatch):
    assert MAX_UPDATES == 20_000
    monkeypatch.setattr(minibatch, "MAX_UPDATES", 100)
    run = simulate_minibatch(linreg, optim.make("gd", lr=0.001), (0.0, 0.0), 10**6, 1, seed=0)
    assert run.steps == 96 and run.epochs == 3 and "capped" in run.message


# --- the lecture's claim: small batches escape the saddle where full batch stalls ----------------
def _page_presets() -> dict:
    """The batch page's presets from the ONE catalog, their link strings turned into control values
    the way the page's widgets read them (a selectbox's link value is its option's id)."""
    from pages.lib.presets import presets_for

    out = {}
    for preset in presets_for("batch"):
        raw = dict(preset.params)
        p = {"data": raw["data"], "opt": raw["opt"], "lr": float(raw["lr"]),
             "n": int(raw.get("n", 3)), "epochs": int(raw["epochs"]), "seed": int(raw.get("seed", 0)),
             "x0": float(raw["x0"]) if raw.get("x0") else None, "y0": float(raw["y0"]) if raw.get("y0") else None}
        p.update({f"b{i + 1}": int(raw[f"b{i + 1}"]) for i in range(p["n"])})
        if "mom" in raw:
            p["mom"] = float(raw["mom"])
        out[preset.id.removeprefix("batch_")] = {"params": p}
    return out


SADDLE_PRESETS = {k: v["params"] for k, v in _page_presets().items() if v["params"]["data"] == "pca"}


def _optimizer(params):
    hyper = {"lr": params["lr"]}
    if params["opt"] in ("sgd", "momentum"):
        hyper["momentum"] = params.get("mom", 0.9)
    return optim.make(params["opt"], **hyper)


def test_saddle_presets_exist():
    assert {"saddle", "momentum", "adam"} <= set(SADDLE_PRESETS)


@pytest.mark.parametrize("preset_id", sorted(SADDLE_PRESETS))
def test_saddle_preset_full_batch_stalls_small_batches_escape(pca, preset_id):
    """The lecture's claim as the page's presets show it: if a preset stops showing it, this fails."""
    p = SADDLE_PRESETS[preset_id]
    start = (pca.start[0] if p["x0"] is None else p["x0"], pca.start[1] if p["y0"] is None else p["y0"])
    batches = sorted({p[f"b{i + 1}"] for i in range(p["n"])})
    assert batches[0] <= 4 and batches[-1] == pca.n
    saddle_f = float(pca.loss(SADDLE))
    fmin = datasets.min_loss(pca)
    full = simulate_minibatch(pca, _optimizer(p), start, p["epochs"], pca.n, seed=p["seed"])
    d_full = np.linalg.norm(full.points - SADDLE, axis=1)
    # full batch: slides into the saddle and stays there; the loss never gets below the saddle's
    assert d_full[-1] < 0.01
    assert np.all(d_full[9 * len(d_full) // 10:] < 0.05)
    assert np.all(np.abs(full.points[:, 0]) < 1e-12)  # never leaves the w1 = 0 axis
    assert full.loss.min() >= saddle_f - 1e-9
    assert full.grad_norm[-1] < 0.05
    for B in batches[:-1]:
        for seed in (p["seed"], p["seed"] + 1, p["seed"] + 2):
            run = simulate_minibatch(pca, _optimizer(p), start, p["epochs"], B, seed=seed)
            d = np.linalg.norm(run.points - SADDLE, axis=1)
            assert run.status != "diverged"
            assert d[-1] > 0.8  # far from the saddle ...
            assert run.loss[-1] < fmin + 0.25 * (saddle_f - fmin)  # ... down in a minimum's basin
            last_epoch = run.loss[run.epoch_end[-2]:]
            assert last_epoch.mean() < fmin + 0.2 * (saddle_f - fmin)
            assert abs(run.points[-1, 0]) > 0.7  # near w1 = +-1, not on the saddle's axis


def test_convex_preset_small_batch_arrives_first_per_epoch(linreg):
    """The convex preset's caption: full batch is still descending after its epochs, B = 1 got there early."""
    p = _page_presets()["convex"]["params"]
    assert p["data"] == "linreg"
    fmin = datasets.min_loss(linreg)
    full = simulate_minibatch(linreg, _optimizer(p), linreg.start, p["epochs"], linreg.n, seed=p["seed"])
    one = simulate_minibatch(linreg, _optimizer(p), linreg.start, p["epochs"], 1, seed=p["seed"])
    assert np.all(np.diff(full.loss) < 0) and full.loss[-1] > 2 * fmin  # smooth, still on its way
    assert np.all(one.loss_per_epoch[3:] < 1.3 * fmin)  # B = 1: near the minimum from epoch 3 on ...
    assert np.ptp(one.loss[one.epoch_end[-2]:]) > 0  # ... and jittering there


# --- the trade-off model ---------------------------------------------------------------------
@pytest.mark.parametrize("N,P", [(32, 8), (60, 7), (64, 64), (50, 1)])
def test_tradeoff_shapes(N, P):
    B = np.arange(1, N + 1)
    t = tradeoff(B, N, P)
    np.testing.assert_array_equal(t.updates_per_epoch, -(-N // B))
    np.testing.assert_array_equal(t.time_update_serial, B)  # small: faster (no parallel)
    flat = B <= P
    np.testing.assert_array_equal(t.time_update_parallel[flat], 1.0)  # same, until B exceeds P
    assert np.all(t.time_update_parallel[~flat] > 1.0)
    assert np.all(np.diff(t.time_update_parallel) >= 0)
    np.testing.assert_array_equal(t.time_epoch_serial, N)  # one pass over N examples either way
    ep = t.time_epoch_parallel
    assert np.all(np.diff(ep[: min(P, N)]) <= 0)  # large: faster per epoch (up to P)
    assert ep[0] == N and ep.min() == np.ceil(N / P)
    assert ep[min(P, N) - 1] == np.ceil(N / P)
    assert np.all(ep >= np.ceil(N / P))


def test_resample_by_epoch_clock(pca):
    opt = optim.make("gd", lr=0.1)
    runs = [simulate_minibatch(pca, opt, pca.start, 3, B, seed=0) for B in (1, 32)]
    t, rows = resample_by_epoch(runs, 32)
    assert t[-1] == 3.0 and t.size == 97
    np.testing.assert_array_equal(rows[0], np.arange(97))  # B = 1: one update per tick
    np.testing.assert_array_equal(rows[1], np.arange(97) // 32)  # full batch: one per epoch
