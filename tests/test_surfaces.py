"""Surface: vectorized f / grad / Hessian, broadcasting, the domain, the cache, the lecture example."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import surfaces
from surfaces.surface import _parse_cached

SHAPES = [(), (7,), (4, 5)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("text", ["x^2 + 3*y^2", "x + 2*y", "sin(x)*exp(y)", "3", "abs(x) + max(x, y)"])
def test_shapes(text, shape):
    s = surfaces.parse(text)
    rng = np.random.default_rng(0)
    x = rng.normal(size=shape) if shape else 0.3
    y = rng.normal(size=shape) if shape else -0.2
    f, g, h = s.f(x, y), s.grad(x, y), s.hessian(x, y)
    assert np.shape(f) == shape
    assert g.shape == (2, *shape)
    assert h.shape == (2, 2, *shape)
    vf, vg = s.value_and_grad(x, y)
    np.testing.assert_array_equal(vf, f)
    np.testing.assert_array_equal(vg, g)
    np.testing.assert_array_equal(h[0, 1], h[1, 0])


def test_broadcasting_mixed_shapes():
    s = surfaces.parse("x*y^2")
    xs = np.linspace(-1, 1, 4)
    ys = np.linspace(-2, 2, 3)
    f = s.f(xs[None, :], ys[:, None])
    assert f.shape == (3, 4)
    np.testing.assert_allclose(f, xs[None, :] * ys[:, None] ** 2)
    assert s.grad(xs, 1.0).shape == (2, 4)


def test_constant_components_are_full_arrays():
    s = surfaces.parse("x + 2*y")
    x = np.zeros((3, 4))
    g = s.grad(x, x)
    h = s.hessian(x, x)
    assert g.shape == (2, 3, 4) and h.shape == (2, 2, 3, 4)
    np.testing.assert_array_equal(g[0], 1.0)
    np.testing.assert_array_equal(g[1], 2.0)
    np.testing.assert_array_equal(h, 0.0)
    g[0, 0, 0] = 99.0  # results are writable copies, not views of a shared constant
    assert s.grad(x, x)[0, 0, 0] == 1.0


@pytest.mark.parametrize(
    "text", ["log(x)", "sqrt(-1*x^2-1)", "exp(1000*x)", "1/x", "x^-2", "log(x)*sqrt(y)", "atan2(y, x)", "x^0.5",
             "log(-x^2-1)", "softplus(1000*x)", "abs(log(y))"]
)
def test_outside_domain_gives_nan_or_inf_without_warning(text):
    s = surfaces.parse(text)
    pts = np.array([-2.0, 0.0, 1.0, 3.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f = s.f(pts, pts)
        g = s.grad(pts, pts)
        h = s.hessian(pts, pts)
        s.f(0.0, 0.0)
    assert f.shape == (4,) and g.shape == (2, 4) and h.shape == (2, 2, 4)


def test_domain_values():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(surfaces.parse("log(x)").f(-1.0, 0.0))
        assert np.all(np.isnan(surfaces.parse("sqrt(-1*x^2-1)").f(np.arange(3.0), 0.0)))
        assert np.isinf(surfaces.parse("exp(x)").f(1000.0, 0.0))
        assert np.isinf(surfaces.parse("exp(1000)+x").f(0.0, 0.0))


def test_cache_same_text_same_object_and_bounded():
    a = surfaces.parse("x^2 + y^2 + 0.125")
    assert surfaces.parse("x^2 + y^2 + 0.125") is a
    assert surfaces.parse("  x^2 + y^2 + 0.125 ") is a
    info = _parse_cached.cache_info()
    assert info.maxsize is not None and info.maxsize <= 4096


def test_cache_does_not_keep_errors():
    for _ in range(2):
        with pytest.raises(surfaces.ParseError):
            surfaces.parse("x +")


# --- the lecture example -------------------------------------------------------------------


def test_lecture_example():
    s = surfaces.parse("(1 - w1*w2)^2")
    np.testing.assert_allclose(s.hessian(0, 0), [[0, -2], [-2, 0]], atol=1e-15)
    np.testing.assert_allclose(s.grad(0, 0), [0, 0], atol=1e-15)
    vals, vecs = np.linalg.eigh(s.hessian(0.0, 0.0))
    np.testing.assert_allclose(vals, [-2, 2], atol=1e-12)
    v = vecs[:, 0]
    assert abs(abs(v @ np.array([1, 1]) / np.sqrt(2)) - 1) < 1e-12
    w1 = np.linspace(0.2, 5, 30)
    np.testing.assert_allclose(s.f(w1, 1 / w1), 0, atol=1e-12)
    np.testing.assert_allclose(s.grad(w1, 1 / w1), 0, atol=1e-12)
    assert "w_1" in s.hessian_latex or "w_{1}" in s.hessian_latex


# --- derivatives of awkward functions ---------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["abs(log(y)) + x", "abs(cos(1/(pi - atan2(x, y))))", "cos(max(max(x, softplus(y)), 2))",
             "min(x, y)^2", "abs(exp(y + y^3))", "max(abs(x), abs(y))"]
)
def test_nonsmooth_formulas_compile_and_match_finite_differences(text):
    s = surfaces.parse(text)
    x, y, h = 0.37, 1.21, 1e-6
    g = s.grad(x, y)
    fd = [(s.f(x + h, y) - s.f(x - h, y)) / (2 * h), (s.f(x, y + h) - s.f(x, y - h)) / (2 * h)]
    np.testing.assert_allclose(g, fd, rtol=1e-5, atol=1e-6)
    assert s.hessian(x, y).shape == (2, 2)


def test_max_gradient_is_heaviside_not_a_slow_piecewise():
    s = surfaces.parse("max(x, y)")
    np.testing.assert_allclose(s.grad(np.array([2.0, 0.0]), np.array([1.0, 3.0])), [[1, 0], [0, 1]])
