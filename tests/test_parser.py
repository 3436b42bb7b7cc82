"""The safe formula parser: what it accepts, what it refuses, how fast, and that it never runs code.

Issue 2. Every hostile input must raise ``surfaces.ParseError`` (never another exception),
within 100 ms, with no side effect.
"""

from __future__ import annotations

import builtins
import math
import re
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import surfaces
from surfaces import ParseError

ROOT = Path(__file__).resolve().parents[1]
BUDGET_S = 0.100


def _sig(z):
    return 1 / (1 + np.exp(-z))


# text -> numpy reference, written by hand (never derived from the parser)
ACCEPT = [
    ("x", lambda x, y: x),
    ("y", lambda x, y: y),
    ("x + y", lambda x, y: x + y),
    ("x - y", lambda x, y: x - y),
    ("2*x*y", lambda x, y: 2 * x * y),
    ("x / (1 + y**2)", lambda x, y: x / (1 + y**2)),
    ("x**2 + 3*y**2", lambda x, y: x**2 + 3 * y**2),
    ("x^2+1", lambda x, y: x**2 + 1),  # '^' is power, with power precedence
    ("2^3^2", lambda x, y: 2.0**9 + 0 * x),  # right-associative like **
    ("-x^2", lambda x, y: -(x**2)),  # unary minus binds looser than power
    ("(1 - w1*w2)^2", lambda x, y: (1 - x * y) ** 2),
    ("w1^2 - w2", lambda x, y: x**2 - y),
    ("-(x - y)", lambda x, y: y - x),
    ("+x", lambda x, y: x),
    ("--x", lambda x, y: x),
    ("sin(x) + cos(y)", lambda x, y: np.sin(x) + np.cos(y)),
    ("tan(x/4)", lambda x, y: np.tan(x / 4)),
    ("exp(-x^2 - y^2)", lambda x, y: np.exp(-(x**2) - y**2)),
    ("log(1 + x^2 + y^2)", lambda x, y: np.log(1 + x**2 + y**2)),
    ("sqrt(1 + x^2)", lambda x, y: np.sqrt(1 + x**2)),
    ("tanh(x) * sinh(y) + cosh(x)", lambda x, y: np.tanh(x) * np.sinh(y) + np.cosh(x)),
    ("abs(x) + abs(y)", lambda x, y: np.abs(x) + np.abs(y)),
    ("atan(x) + atan2(y, x + 5)", lambda x, y: np.arctan(x) + np.arctan2(y, x + 5)),
    ("sigmoid(x*y)", lambda x, y: _sig(x * y)),
    ("softplus(x - y)", lambda x, y: np.log1p(np.exp(x - y))),
    ("min(x, y) + max(x, 2*y)", lambda x, y: np.minimum(x, y) + np.maximum(x, 2 * y)),
    ("pi*x + e*y", lambda x, y: np.pi * x + np.e * y),
    ("1.5e-3*x + .5 + 2.", lambda x, y: 1.5e-3 * x + 2.5),
    ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2),
    ("x^-2 + 1", lambda x, y: x**-2.0 + 1),
    ("x**0.5 * y", lambda x, y: np.sqrt(x) * y),
    ("  x  +  y  ", lambda x, y: x + y),
    ("3", lambda x, y: 3.0 + 0 * x),
    ("e^x", lambda x, y: np.exp(x)),
]

POINTS = [(0.3, 0.7), (1.2, -0.4), (2.0, 1.5)]


@pytest.mark.parametrize("text,ref", ACCEPT, ids=[t for t, _ in ACCEPT])
def test_accept_table_matches_numpy(text, ref):
    s = surfaces.parse(text)
    assert isinstance(s, surfaces.Surface)
    for x, y in POINTS:
        got = float(s.f(x, y))
        want = float(ref(np.float64(x), np.float64(y)))
        assert math.isclose(got, want, rel_tol=1e-10, abs_tol=1e-12), (text, x, y, got, want)


def test_accept_table_size():
    assert len(ACCEPT) >= 25


def test_caret_is_power_with_power_precedence():
    assert surfaces.parse("x^2+1").expr == surfaces.parse("x**2 + 1").expr
    assert surfaces.parse("2*x^2").expr == surfaces.parse("2*(x**2)").expr


def test_w_names_are_kept_for_display():
    s = surfaces.parse("(1 - w1*w2)^2")
    assert s.variable_names == ("w1", "w2")
    assert "w_1" in s.latex and "w_2" in s.latex
    assert "w_{1}" in s.gradient_latex or "w_1" in s.gradient_latex
    assert surfaces.parse("x*y").variable_names == ("x", "y")


# --- hostile inputs --------------------------------------------------------------------

HOSTILE = [
    '__import__("os").system("echo hi")',
    "().__class__.__bases__[0].__subclasses__()",
    "lambda: 1",
    "x if y else 1",
    "[x for x in range(10**9)]",
    '{x for x in "ab"}',
    "(x for x in [1])",
    'open("/etc/passwd")',
    'eval("1")',
    "exec",
    "x.real",
    "x[0]",
    '"a"*10**9',
    'f"{x}"',
    "b'x'",
    "9**9**9",
    "((9**9)**99)**99",
    "x**(10**100)",
    "(" * 10000 + "x" + ")" * 10000,
    "-" * 10000 + "x",
    "x" * 100000,
    "x+" * 140 + "x",  # short enough, but a chain
    "2x",
    "x y",
    "x = 1",
    "x := 1",
    "import os",
    "x; y",
    "x\n y",
    "x\ty",
    "sin(x, y)",
    "sin()",
    "min(x)",
    "max(x, y, 1)",
    "sin(x=1)",
    "sin(*[x])",
    "z",
    "x @ y",
    "x % y",
    "x // y",
    "x & y",
    "x | y",
    "x << 2",
    "1/0",
    "x/(y - y)",
    "0**-1",
    "log(-1)",
    "sqrt(-1)",
    "(-8)**(1/3)",
    "log(0)",
    "x and y",
    "not x",
    "~x",
    "x < y",
    "*x",
    "w1 + x",
    "x * w2",
    "x²",
    "\x00",
    "x\u200b+y",
    "nan",
    "inf",
    "float('inf')",
    "1e999",
    "-1e999*x",
    "10**1000",
    "10.0**400",
    "1" + "0" * 299 + "*x*" + "9" * 5,
    "x**1e308",
    "x**(1/0)",
    "((x**64)**64)**64",
    "exp(1e300)",
    "exp(exp(1e300))",
    "sinh(sinh(1e300))",
    "sin(10**200)",
    "x**" * 20 + "x",
    "sin(" * 39 + "x*y" + ")" * 39,
    "sigmoid(" * 8 + "x" + ")" * 8,
    "sin(x)*cos(y)*exp(x)*tanh(y)*sinh(x)*cosh(y)*atan(x)*sigmoid(y)*softplus(x)*log(y)*sqrt(x)",
    "sin",
    "x.__class__",
    "getattr(x, 'real')",
    "globals()",
    "breakpoint()",
    "print(1)",
    "True",
    "None",
    "...",
    "1j",
    "x*1j",
    "x,",
    "(x, y)",
    "{}",
    "[]",
    "x if 1 else 2",
    "await x",
    "yield x",
    "",
    "   ",
    "x**",
    "(x",
    "x)",
    "a=__import__('os')",
    "Symbol('x')",
    "S",
    "I",
    "oo",
    "zoo",
]


def test_hostile_table_size():
    assert len(HOSTILE) >= 40


@pytest.fixture
def no_dynamic_code(monkeypatch):
    """Fail loudly if anything calls eval/exec/compile/__import__ while we parse."""
    calls = []

    def trap(name):
        real = getattr(builtins, name)

        def wrapper(*args, **kwargs):
            calls.append(name)
            return real(*args, **kwargs)

        return wrapper

    import sympy

    for name in ("eval", "exec"):
        monkeypatch.setattr(builtins, name, trap(name))
    monkeypatch.setattr(sympy, "sympify", trap("eval"))  # sympify would eval strings
    monkeypatch.setattr(sympy, "parse_expr", trap("eval"))
    yield calls


def _fresh():
    # parse() caches by text; we want the real cost, not a dict lookup
    surfaces.surface._parse_cached.cache_clear()


def test_warm_up():
    surfaces.parse("sin(x) + y^2")  # imports and first lambdify: slack is allowed only here


@pytest.mark.parametrize("text", HOSTILE, ids=[repr(t[:40]) for t in HOSTILE])
def test_hostile_input_is_refused_quickly_and_safely(text, tmp_path, capfd, no_dynamic_code):
    _fresh()
    t0, c0 = time.perf_counter(), time.process_time()
    with pytest.raises(ParseError) as info:
        surfaces.parse(text)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert type(info.value) is ParseError and isinstance(info.value, ValueError)
    # CPU time of this process is the budget (other test runs share the 2 cores, so the
    # wall clock also counts their work); the wall clock only guards against a hang.
    assert cpu < BUDGET_S, f"{text[:60]!r} took {cpu * 1e3:.0f} ms of CPU"
    assert wall < 10 * BUDGET_S, f"{text[:60]!r} took {wall * 1e3:.0f} ms"
    msg = str(info.value)
    assert msg and msg.endswith(".") and len(msg) < 400, msg
    assert "Traceback" not in msg
    out, err = capfd.readouterr()
    assert out == "" and err == ""  # nothing echoed, nothing printed
    assert no_dynamic_code == []


def test_hostile_code_never_runs(tmp_path, no_dynamic_code):
    marker = tmp_path / "pwned"
    attacks = [
        f'__import__("os").system("touch {marker}")',
        f'open("{marker}", "w").write("x")',
        f'__import__("pathlib").Path("{marker}").touch()',
        f'[__import__("os").system("touch {marker}") for _ in [1]]',
        f'(lambda: __import__("os").system("touch {marker}"))()',
        f'eval("__import__(\'os\').system(\'touch {marker}\')")',
        f'exec("open(\'{marker}\', \'w\')")',
        f'x if __import__("os").system("touch {marker}") else y',
    ]
    for text in attacks:
        with pytest.raises(ParseError):
            surfaces.parse(text)
    assert not marker.exists()
    assert no_dynamic_code == []


def test_non_text_is_refused():
    for bad in (None, 3, b"x", ["x"], 1.5):
        with pytest.raises(ParseError):
            surfaces.parse(bad)


def test_length_limit_is_300():
    assert surfaces.MAX_LENGTH == 300
    ok = "x+" + "1" * 298  # 300 characters
    surfaces.parse(ok)
    with pytest.raises(ParseError, match="too long"):
        surfaces.parse(ok + "1")


# --- messages name the column ------------------------------------------------------------

COLUMNS = [
    ("x + y*z", "unknown name 'z' at column 7"),
    ("z", "unknown name 'z' at column 1"),
    ("x^2 + foo(y)", "unknown function 'foo' at column 7"),
    ("x^2^2 + q", "unknown name 'q' at column 9"),  # '^' is one character in the user's text
    ("w1 + x", "at column 6"),
    ("x + y.real", "at column 5"),
    ("x + y % 2", "% is not supported at column 5"),
    ("x + 2x", "not well formed at column 5"),
    ("x^2 y", "not well formed at column 5"),
    ("x + ²", "unexpected character '²' at column 5"),
    ("x + 1/0", "division by zero at column 5"),
    ("x + sin(1, 2)", "sin() takes 1 argument, got 2 at column 5"),
    ("x + exp(1e300)", "at column 9"),
]


@pytest.mark.parametrize("text,needle", COLUMNS)
def test_message_names_the_column(text, needle):
    with pytest.raises(ParseError) as info:
        surfaces.parse(text)
    assert needle in str(info.value).lower(), str(info.value)
    m = re.search(r"at column (\d+)", str(info.value))
    assert m and info.value.column == int(m.group(1))


def test_unknown_name_message_has_a_hint():
    with pytest.raises(ParseError) as info:
        surfaces.parse("x + y*z")
    assert str(info.value) == "Unknown name 'z' at column 7: use x and y (or w1 and w2)."


# --- the source never evaluates user text ------------------------------------------------


def test_source_has_no_eval_exec_sympify_or_streamlit():
    forbidden = re.compile(
        r"(?<![\w.])(eval|exec|sympify|parse_expr|compile|__import__)\s*\(|import\s+streamlit|from\s+streamlit|S\s*\(\s*text"
    )
    for path in sorted((ROOT / "surfaces").glob("*.py")):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if code.strip().startswith(('"', "'")) or "``" in code:
                continue  # docstring lines that name the forbidden functions
            assert not forbidden.search(code), f"{path.name}:{n}: {line.strip()}"


# --- property tests ----------------------------------------------------------------------

ATOMS = ["x", "y", "w1", "w2", "z", "pi", "e", "0", "1", "2", "0.5", "1e300", "9", "10**9", "-1", "nan", "_", "True"]
FUNCS = ["sin", "cos", "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "softplus", "atan", "min", "max", "atan2",
         "open", "eval", "__import__", "lambda", "sinh"]
BINOPS = ["+", "-", "*", "/", "**", "^", "%", "//", "@", " and ", "<", ".", " ", ","]


def _grammar():
    atom = st.sampled_from(ATOMS)

    def extend(inner):
        return st.one_of(
            st.tuples(inner, st.sampled_from(BINOPS), inner).map(lambda t: f"{t[0]}{t[1]}{t[2]}"),
            st.tuples(st.sampled_from(["-", "+", "~", "not ", "*"]), inner).map(lambda t: t[0] + t[1]),
            inner.map(lambda s: f"({s})"),
            st.tuples(st.sampled_from(FUNCS), st.lists(inner, max_size=3)).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
            st.tuples(inner, st.sampled_from(["[0]", ".real", "()", "^2", "**64", "**-1"])).map(lambda t: t[0] + t[1]),
        )

    return st.recursive(atom, extend, max_leaves=12)


def _check_surface(s):
    pts = np.array([-3.0, -0.5, 0.0, 0.7, 2.5])
    xx, yy = np.meshgrid(pts, pts)
    f = s.f(xx, yy)
    g = s.grad(xx, yy)
    h = s.hessian(xx, yy)
    assert f.shape == (5, 5) and g.shape == (2, 5, 5) and h.shape == (2, 2, 5, 5)
    assert f.dtype == g.dtype == h.dtype == np.float64


def _timed_parse(text, bound):
    t0 = time.process_time()
    try:
        s = surfaces.parse(text)
    except ParseError:
        s = None
    elapsed = time.process_time() - t0
    assert elapsed < bound, f"{text!r} took {elapsed:.2f} s"
    return s


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_random_text_only_raises_parse_error(text):
    s = _timed_parse(text, 1.0)
    if s is not None:
        _check_surface(s)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="xyw12()+-*/^.,e pisnco", max_size=40))
def test_random_formula_alphabet_only_raises_parse_error(text):
    s = _timed_parse(text, 1.0)
    if s is not None:
        _check_surface(s)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(_grammar())
def test_random_grammar_only_raises_parse_error(text):
    # A formula that passes the cost bound still differentiates with SymPy's (slow, cold)
    # machinery: the bound here is a hang detector; the 100 ms target is checked on the
    # hostile table and the catalog, and measured by benchmarks/bench_parser.py.
    s = _timed_parse(text, 2.0)
    if s is not None:
        _check_surface(s)
