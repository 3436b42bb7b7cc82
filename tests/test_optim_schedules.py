"""Schedules as whole sequences (step 0 = first update), the warm-up join, build() and metadata."""

from __future__ import annotations

import math

import numpy as np
import pytest

import optim
from optim import schedules as S

ETA = 0.2


def seq(schedule, n=60):
    return np.array([schedule(k) for k in range(n)])


def test_constant():
    np.testing.assert_array_equal(seq(S.constant(ETA)), np.full(60, ETA))


def test_step_and_multistep():
    np.testing.assert_allclose(seq(S.Step(ETA, step_size=10, gamma=0.5)),
                               ETA * 0.5 ** (np.arange(60) // 10), rtol=1e-15)
    expected = np.where(np.arange(60) < 20, ETA, np.where(np.arange(60) < 45, ETA * 0.1, ETA * 0.01))
    np.testing.assert_allclose(seq(S.MultiStep(ETA, (20, 45), 0.1)), expected, rtol=1e-14)


def test_exponential_inverse_time_inverse_sqrt():
    t = np.arange(60)
    np.testing.assert_allclose(seq(S.Exponential(ETA, 0.9)), ETA * 0.9**t, rtol=1e-13)
    np.testing.assert_allclose(seq(S.InverseTime(ETA, 0.5)), ETA / (1 + 0.5 * t), rtol=1e-15)
    np.testing.assert_allclose(seq(S.InverseSqrt(ETA)), ETA / np.sqrt(t + 1), rtol=1e-15)


def test_cosine_clamps_after_T_at_the_floor():
    s = S.Cosine(ETA, T=40, floor=0.1)
    t = np.arange(60)
    expected = 0.1 * ETA + 0.9 * ETA * 0.5 * (1 + np.cos(np.pi * np.minimum(t, 40) / 40))
    np.testing.assert_allclose(seq(s), expected, rtol=1e-14)
    assert s(0) == ETA and s(40) == pytest.approx(0.1 * ETA) and s(59) == pytest.approx(0.1 * ETA)


def test_cosine_restarts_periods():
    s = S.CosineRestarts(ETA, T_0=5, T_mult=2)
    lrs = seq(s, 40)
    restarts = [k for k in range(1, 40) if lrs[k] > lrs[k - 1]]
    assert restarts == [5, 15, 35]  # periods 5, 10, 20
    assert lrs[5] == ETA and lrs[15] == ETA
    np.testing.assert_allclose(lrs[7], ETA * 0.5 * (1 + math.cos(math.pi * 2 / 10)))
    same = seq(S.CosineRestarts(ETA, T_0=7, T_mult=1), 30)
    np.testing.assert_allclose(same[:7], same[7:14])


def test_one_cycle_shape_matches_torch_defaults():
    s = S.OneCycle(ETA, total_steps=100)
    lrs = seq(s, 110)
    assert lrs[0] == pytest.approx(ETA / 25)
    assert lrs.argmax() == 29 and lrs[29] == pytest.approx(ETA)  # pct_start 0.3: peak at 0.3*100 - 1
    assert lrs[99] == pytest.approx(ETA / 25 / 1e4)
    np.testing.assert_array_equal(lrs[100:], lrs[99])  # held at the minimum after the cycle
    assert (np.diff(lrs[:30]) > 0).all() and (np.diff(lrs[29:100]) < 0).all()


@pytest.mark.parametrize("start_factor", [0.0, 0.25])
def test_warmup_join_has_no_off_by_one(start_factor):
    W = 10
    decay = S.Cosine(ETA, T=50)
    s = S.warmup(decay, W, start_factor)
    assert s(0) == pytest.approx(start_factor * ETA)
    assert s(W - 1) == pytest.approx(ETA * (start_factor + (1 - start_factor) * (W - 1) / W))
    assert s(W) == decay(0) == ETA  # the decay sees step 0 at the join
    assert s(W + 1) == decay(1) < ETA
    lrs = seq(s, 70)
    assert (np.diff(lrs[: W + 1]) > 0).all()  # strictly rising up to the join
    np.testing.assert_array_equal(lrs[W:], [decay(k) for k in range(60)])


def test_warmup_wraps_a_users_function():
    s = S.warmup(lambda k: 1.0 / (k + 1), 4)
    np.testing.assert_allclose(seq(s, 7), [0, 0.25, 0.5, 0.75, 1.0, 0.5, 1 / 3])
    assert S.warmup(S.Constant(ETA), 0) == S.Constant(ETA)


def test_a_plain_function_is_a_schedule_for_simulate():
    import surfaces

    run = optim.simulate(surfaces.CATALOG["booth"], optim.gd(lr=0.01), (0, 0), 5, schedule=lambda k: 0.01 * (k + 1))
    np.testing.assert_allclose(run.lr, [0.01, 0.02, 0.03, 0.04, 0.05])


@pytest.mark.parametrize("kind", list(S.SCHEDULES))
def test_build_every_kind_with_defaults_and_bounds(kind):
    s = S.build(kind, ETA, 200)
    assert isinstance(s.latex, str) and s.latex
    lrs = seq(s, 200)
    assert np.isfinite(lrs).all() and (lrs >= 0).all() and lrs.max() <= ETA * (1 + 1e-12)
    for p in S.SCHEDULES[kind]["params"]:
        for value in (p.min, p.max):
            if p.kind == "int_list":
                value = (int(value),)
            built = S.build(kind, ETA, 200, **{p.name: value})
            assert np.isfinite(seq(built, 200)).all()
    warmed = S.build(kind, ETA, 200, warmup=20, start_factor=0.1)
    assert warmed(0) == pytest.approx(0.1 * s(0) if kind != "one_cycle" else 0.1 * warmed(20))
    assert "W = 20" in warmed.latex


def test_build_defaults_follow_the_run_length():
    assert S.build("cosine", ETA, 300) == S.Cosine(ETA, 300, 0.0)
    assert S.build("cosine", ETA, 300, warmup=50).schedule == S.Cosine(ETA, 250, 0.0)
    assert S.build("multistep", ETA, 100).milestones == (50, 75)
    assert S.build("one_cycle", ETA, 120).total_steps == 120


def test_build_rejects_unknown_kind_or_parameter():
    with pytest.raises(ValueError):
        S.build("linear_cosine", ETA, 10)
    with pytest.raises(ValueError):
        S.build("cosine", ETA, 10, gamma=0.5)
