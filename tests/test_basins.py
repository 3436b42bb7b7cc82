"""optim.basins: basin-of-attraction maps (cells equal single runs; the lessons they show)."""

from __future__ import annotations

import numpy as np
import pytest

import optim
import surfaces
from optim import basins as B

CAT = surfaces.CATALOG


@pytest.fixture(scope="module")
def himmelblau():
    s = CAT["himmelblau"]
    return s, surfaces.critical_points(s)


@pytest.fixture(scope="module")
def two_dips():
    s = CAT["two_dips"]
    return s, surfaces.critical_points(s)


def _kind_of(bm, label):
    return bm.targets[label].kind if label >= 0 else B.OUTCOMES[label]["en"]


@pytest.mark.parametrize("opt", [optim.gd(lr=0.01), optim.adam(lr=0.05), optim.newton(),
                                 optim.compose.compose("nesterov", "amsgrad", lr=0.05)], ids=lambda o: o.id)
def test_cells_equal_single_runs(himmelblau, opt):
    s, atlas = himmelblau
    bm = B.basin_map(s, opt, n=24, steps=400, atlas=atlas)
    assert bm.outcome.shape == (1, 24, 24) and bm.label.shape == (24, 24)
    # every cell: bit for bit the vectorized reference, simulate_many with the early stop
    starts = np.stack(np.meshgrid(bm.xs, bm.ys), axis=-1).reshape(-1, 2)
    fan = optim.simulate_many(s, opt, starts, 400, stop_at_tolerance=True)
    ends = fan.points[fan.stop_step, np.arange(len(starts))]
    live = fan.status != "diverged"
    np.testing.assert_array_equal(bm.end[0].reshape(-1, 2)[live], ends[live])
    np.testing.assert_array_equal(bm.steps[0].ravel(), fan.stop_step)
    np.testing.assert_array_equal(bm.settled[0].ravel(), fan.status == "converged")
    # a sample of cells: the single-start simulate. Bit for bit with its NumPy evaluation (a
    # surface without SymPy formulas takes that path); its float fast path (optim/fastpath.py)
    # squares with libm's pow, 1 ulp off NumPy's x*x for ~0.1% of values, which a run that never
    # settles can amplify: there, a settled run must still agree to 1e-12 in end, status and step.
    rng = np.random.default_rng(7)
    for j, i in rng.integers(0, 24, (12, 2)):
        start = (bm.xs[i], bm.ys[j])
        numpy_path = optim.simulate(NumpyOnly(s), opt, start, 400, stop_at_tolerance=True)
        np.testing.assert_array_equal(bm.end[0, j, i], numpy_path.points[-1])
        assert numpy_path.stop_step == bm.steps[0, j, i]
        assert (numpy_path.status == "converged") == bm.settled[0, j, i]
        run = optim.simulate(s, opt, start, 400, stop_at_tolerance=True)
        if run.status == "converged":
            assert run.stop_step == bm.steps[0, j, i] and bm.settled[0, j, i]
            np.testing.assert_allclose(bm.end[0, j, i], run.points[-1], rtol=0, atol=1e-12)


class NumpyOnly:
    """The surface without its SymPy formulas: simulate then evaluates it with NumPy."""

    def __init__(self, surface):
        self.surface = surface

    def value_and_grad(self, x, y):
        return self.surface.value_and_grad(x, y)

    def hessian(self, x, y):
        return self.surface.hessian(x, y)


def test_run_starts_matches_simulate_with_a_schedule(himmelblau):
    s, _ = himmelblau
    opt = optim.rmsprop(lr=0.05)
    sched = optim.schedules.build("cosine", 0.05, 300, warmup=30)
    starts = np.random.default_rng(3).uniform(-5, 5, (300, 2))
    ends = B.run_starts(s, opt, starts, 300, schedule=sched)
    fan = optim.simulate_many(s, opt, starts, 300, schedule=sched, stop_at_tolerance=True)
    np.testing.assert_array_equal(ends.end, fan.points[fan.stop_step, np.arange(300)])
    np.testing.assert_array_equal(ends.stop, fan.stop_step)


def test_momentum_rolls_to_the_deeper_dip_where_gd_stops_in_the_shallow_one(two_dips):
    s, atlas = two_dips
    deep = next(i for i, p in enumerate(atlas.points) if p.kind == "minimum" and p.x < 0)
    shallow = next(i for i, p in enumerate(atlas.points) if p.kind == "minimum" and p.x > 0)
    assert atlas.points[deep].f < atlas.points[shallow].f
    gd = B.basin_map(s, optim.gd(lr=0.05), n=40, steps=500, atlas=atlas)
    mom = B.basin_map(s, optim.momentum(lr=0.05, momentum=0.9), n=40, steps=500, atlas=atlas)
    rolled = (gd.label == shallow) & (mom.label == deep)
    assert rolled.sum() >= 40  # a whole band of starts
    assert (gd.label != mom.label).any()
    # the band lies on the shallow side: starts right of the saddle that gradient descent keeps
    j, i = np.argwhere(rolled)[0]
    assert gd.xs[i] > atlas.points[deep].x
    run = optim.simulate(s, optim.momentum(lr=0.05, momentum=0.9), (gd.xs[i], gd.ys[j]), 500, stop_at_tolerance=True)
    assert abs(run.points[-1, 0] - atlas.points[deep].x) < 1e-3


def test_newton_ends_at_saddles_and_maxima(himmelblau):
    s, atlas = himmelblau
    bm = B.basin_map(s, optim.newton(), n=40, steps=100, atlas=atlas)
    kinds = np.array([bm.targets[k].kind if k >= 0 else "other" for k in bm.label.ravel()])
    assert (kinds == "saddle").sum() > 20
    assert (kinds == "maximum").sum() > 0
    assert (kinds == "minimum").sum() > 0
    # gradient descent never ends at a saddle from these starts
    gd = B.basin_map(s, optim.gd(lr=0.01), n=40, steps=500, atlas=atlas)
    assert {gd.targets[k].kind for k in np.unique(gd.label) if k >= 0} == {"minimum"}


def test_diverged_cells_are_minus_one(himmelblau):
    s, atlas = himmelblau
    bm = B.basin_map(s, optim.gd(lr=0.03), n=20, steps=300, atlas=atlas)
    div = bm.label == B.DIVERGED
    assert div.any() and not div.all()
    for j, i in np.argwhere(div)[:5]:
        run = optim.simulate(s, optim.gd(lr=0.03), (bm.xs[i], bm.ys[j]), 300, stop_at_tolerance=True)
        assert run.status == "diverged" and run.stop_step == bm.steps[0, j, i]
    every = B.basin_map(s, optim.gd(lr=0.1), n=10, steps=100, atlas=atlas)
    assert (every.label == B.DIVERGED).all()
    assert every.probability[..., every.column(B.DIVERGED)].min() == 1.0


def test_not_settled_and_elsewhere(two_dips):
    s, _ = two_dips
    crawl = B.basin_map(s, optim.gd(lr=1e-4), n=8, steps=20)
    assert (crawl.label == B.NOT_SETTLED).all()
    assert not crawl.settled.any() and (crawl.steps == 20).all()
    # a window without the deep dip: starts left of the saddle settle outside the atlas
    window = (-1.0, 2.5, -1.5, 1.5)
    bm = B.basin_map(s, optim.gd(lr=0.05), window=window, n=20, steps=500)
    assert {bm.targets[k].kind for k in np.unique(bm.label) if k >= 0} <= {"minimum", "saddle"}
    left = bm.xs < 0.2
    assert (bm.label[:, left] == B.ELSEWHERE).all()
    assert (bm.label[:, ~left] >= 0).all()


def test_noise_probabilities_sum_to_one_and_borders_are_less_certain(himmelblau):
    s, atlas = himmelblau
    clean = B.basin_map(s, optim.gd(lr=0.01), n=30, steps=300, atlas=atlas)
    noisy = B.basin_map(s, optim.gd(lr=0.01), n=30, steps=300, atlas=atlas, noise=optim.GradientNoise(scale=5.0),
                        seeds=16, seed=1)
    p = noisy.probability
    assert noisy.seeds == 16 and noisy.outcome.shape == (16, 30, 30)
    assert p.shape == (30, 30, len(atlas.points) + len(atlas.curves) + 3)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(noisy.certainty, p.max(axis=-1))
    assert (noisy.certainty >= 1 / 16).all()
    # border cells: their noise-free basin differs from a neighbour's
    lab = clean.label
    pad = np.pad(lab, 1, mode="edge")
    border = np.zeros_like(lab, dtype=bool)
    for dj, di in ((0, 1), (1, 0), (0, -1), (-1, 0)):
        border |= pad[1 + dj:31 + dj, 1 + di:31 + di] != lab
    assert border.sum() > 50 and (~border).sum() > 300
    assert noisy.certainty[border].mean() < noisy.certainty[~border].mean() - 0.03
    # the most likely basin is mostly the noise-free one, and the label is a valid outcome
    assert (noisy.label == lab).mean() > 0.9
    # reproducible, and the seed matters
    again = B.basin_map(s, optim.gd(lr=0.01), n=30, steps=300, atlas=atlas, noise=optim.GradientNoise(scale=5.0),
                        seeds=16, seed=1)
    np.testing.assert_array_equal(again.outcome, noisy.outcome)
    other = B.basin_map(s, optim.gd(lr=0.01), n=30, steps=300, atlas=atlas, noise=optim.GradientNoise(scale=5.0),
                        seeds=16, seed=2)
    assert (other.outcome != noisy.outcome).any()


def test_without_noise_one_seed_and_certainty_one(himmelblau):
    s, atlas = himmelblau
    bm = B.basin_map(s, optim.gd(lr=0.01), n=10, steps=200, atlas=atlas, seeds=8)
    assert bm.seeds == 1 and (bm.certainty == 1.0).all()
    assert sum(bm.counts().values()) == 100


@pytest.mark.parametrize("noise", [None, optim.GradientNoise(scale=3.0)], ids=["clean", "noisy"])
def test_threads_do_not_change_the_result(himmelblau, noise):
    s, _ = himmelblau
    starts = np.random.default_rng(0).uniform(-5, 5, (2 * B.MIN_PART + 10, 2))
    one = B.run_starts(s, optim.adam(lr=0.05), starts, 150, noise=noise, seed=4, threads=1)
    two = B.run_starts(s, optim.adam(lr=0.05), starts, 150, noise=noise, seed=4, threads=2)
    np.testing.assert_array_equal(one.end, two.end)
    np.testing.assert_array_equal(one.stop, two.stop)
    np.testing.assert_array_equal(one.status, two.status)


def test_small_blocks_merge_and_compact_without_changing_anything(himmelblau):
    s, _ = himmelblau
    starts = np.random.default_rng(5).uniform(-5, 5, (700, 2))
    ref = B.run_starts(s, optim.adam(lr=0.05), starts, 300, block=4096)
    tiny = B.run_starts(s, optim.adam(lr=0.05), starts, 300, block=37)
    np.testing.assert_array_equal(ref.end, tiny.end)
    np.testing.assert_array_equal(ref.stop, tiny.stop)


def test_coarse_to_fine_reuses_every_start_and_ends_with_the_full_map(himmelblau, monkeypatch):
    s, atlas = himmelblau
    opt = optim.gd(lr=0.01)
    seen = []
    real = B.run_starts

    def counting(surface, optimizer, starts, *args, **kwargs):
        seen.append(len(starts))
        return real(surface, optimizer, starts, *args, **kwargs)

    monkeypatch.setattr(B, "run_starts", counting)
    calls = []
    maps = list(B.basin_maps(s, opt, levels=(10, 20, 40), steps=300, atlas=atlas,
                             progress=lambda f, m: calls.append((f, m))))
    assert [m.label.shape for m in maps] == [(10, 10), (20, 20), (40, 40)]
    assert seen == [100, 300, 1200]  # each start once: 10^2, then 20^2 - 10^2, then 40^2 - 20^2
    monkeypatch.setattr(B, "run_starts", real)
    full = B.basin_map(s, opt, n=40, steps=300, atlas=atlas)
    np.testing.assert_array_equal(maps[-1].outcome, full.outcome)
    np.testing.assert_array_equal(maps[-1].xs, full.xs)
    # coarse grids are subsets of the fine one, each start inside its coarse cell
    for m in maps[:2]:
        idx = np.searchsorted(full.xs, m.xs)
        np.testing.assert_array_equal(full.xs[idx], m.xs)
        np.testing.assert_array_equal(m.outcome[0], full.outcome[0][np.ix_(idx, idx)])
        width = (s.window[1] - s.window[0]) / len(m.xs)
        cell = np.floor((m.xs - s.window[0]) / width)
        np.testing.assert_array_equal(cell, np.arange(len(m.xs)))
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert all(isinstance(msg, str) and msg for _, msg in calls)


def test_levels_that_do_not_nest_are_computed_on_their_own(himmelblau):
    s, atlas = himmelblau
    maps = list(B.basin_maps(s, optim.gd(lr=0.01), levels=(6, 15), steps=100, atlas=atlas))
    np.testing.assert_array_equal(maps[0].xs, B.grid(s.window, 6)[0])
    np.testing.assert_array_equal(maps[1].outcome, B.basin_map(s, optim.gd(lr=0.01), n=15, steps=100,
                                                               atlas=atlas).outcome)
    with pytest.raises(ValueError):
        next(B.basin_maps(s, optim.gd(), levels=(20, 10)))


def test_progress_is_reported_and_bad_windows_raise(himmelblau):
    s, atlas = himmelblau
    calls = []
    B.basin_map(s, optim.gd(lr=0.01), n=12, steps=200, atlas=atlas, progress=lambda f, m: calls.append((f, m)))
    assert calls and calls[-1][0] == pytest.approx(1.0)
    assert all(0.0 <= f <= 1.0 for f, _ in calls)
    with pytest.raises(ValueError):
        B.basin_map(s, optim.gd(), window=(1, 0, 0, 1), atlas=atlas)


def test_lean_evaluator_equals_value_and_grad_on_every_catalog_surface():
    rng = np.random.default_rng(11)
    for sid, s in CAT.items():
        ev = B._lean_evaluator(s)
        assert "_compile_lean" in ev.__qualname__, sid  # the Hessian-free path was accepted
        w = s.window
        x, y = rng.uniform(w[0], w[1], 500), rng.uniform(w[2], w[3], 500)
        with np.errstate(all="ignore"):
            f, g = s.value_and_grad(x, y)
            f1, gx, gy = ev(x, y)
        for a, b in ((f, f1), (g[0], gx), (g[1], gy)):
            np.testing.assert_array_equal(a, b, err_msg=sid)


def test_any_surface_with_value_and_grad_works():
    class Bowl:
        def value_and_grad(self, x, y):
            x, y = np.asarray(x, float), np.asarray(y, float)
            return 0.5 * (x * x + 4 * y * y), np.stack([x, 4 * y])

    class Atlas:
        points = (surfaces.CriticalPoint(0.0, 0.0, 0.0, np.array([1.0, 4.0]), np.eye(2), "minimum", "exact"),)
        curves = ()

    bm = B.basin_map(Bowl(), optim.gd(lr=0.1), window=(-1, 1, -1, 1), n=8, steps=400, atlas=Atlas())
    assert (bm.label == 0).all() and bm.settled.all()


def test_an_error_in_the_progress_callback_stops_every_part(himmelblau):
    import threading

    s, _ = himmelblau
    starts = np.random.default_rng(0).uniform(-5, 5, (2 * B.MIN_PART, 2))

    class Rerun(Exception):
        pass

    def progress(fraction, message):
        if fraction > 0.05:
            raise Rerun  # what Streamlit does to a script thread when the user changes a widget

    with pytest.raises(Rerun):
        B.run_starts(s, optim.adam(lr=0.05), starts, 2000, progress=progress, threads=2)
    assert not [t for t in threading.enumerate() if t.name.startswith("basins-part")]


def test_a_valley_of_minima_is_one_target_matched_along_its_polyline():
    s = CAT["lecture"]  # (1 - w1 w2)^2: a saddle at 0 and the curve of minima w1 w2 = 1
    atlas = surfaces.critical_points(s)
    assert len(atlas.curves) == 1
    bm = B.basin_map(s, optim.gd(lr=0.05), n=40, steps=500, atlas=atlas)
    curve = len(atlas.points)  # curves come after the points
    assert bm.kinds[curve].startswith("minimum")
    on_curve = bm.label == curve
    assert on_curve.mean() > 0.9
    ends = bm.end[0][on_curve]
    np.testing.assert_allclose(ends[:, 0] * ends[:, 1], 1.0, atol=1e-6)
    # the rest: the saddle (starts on w1 = -w2 flow into it) or the valley beyond the window
    rest = bm.label[~on_curve]
    assert set(np.unique(rest)) <= {atlas.points.index(atlas.of_kind("saddle")[0]), B.ELSEWHERE}
    off = bm.end[0][bm.label == B.ELSEWHERE]
    assert (np.abs(off).max(axis=1) > 2.0).all()  # outside the window (-2, 2)^2
