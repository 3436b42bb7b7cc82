"""Hostile links: random and malformed query strings through AppTest to every page.

Each case opens a page fresh (a new AppTest, as a new browser tab would) with a generated
query string: the page's own keys and unknown ones, repeated keys, and values such as huge
numbers, nan/inf, negatives, unicode, markup, code, and 100 kB strings. Every case must
finish without an exception (AppTest's timeout catches a hang), leave every control inside
its bounds, and show a visible note whenever the link had an unknown key or an impossible
value.

Count: 10,000 query strings in CI (CI=true), a 700-case sample otherwise (about a minute
on two cores); set DESCENT_LAB_FUZZ_CASES to choose. Cases are seeded: a failure names its
page, chunk and case so it can be replayed.
"""

from __future__ import annotations

import math
import os
import random

import pytest

from pages.lib.registry import CONTENT_PAGES
from tests.conftest import app_test

PAGES = ["app.py", *(p.file for p in CONTENT_PAGES)]
TOTAL = int(os.environ.get("DESCENT_LAB_FUZZ_CASES", "10000" if os.environ.get("CI") else "700"))
CHUNKS = 10  # per page: lets pytest-xdist spread the work
PER_CHUNK = max(1, math.ceil(TOTAL / (len(PAGES) * CHUNKS)))
HUGE = "9" * 100_000

HOSTILE_VALUES = [
    "", " ", "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e308", "-1e308", "1e309", "1e-320", "0", "-0",
    "-1", "-999999", "99999999999999999999999", "2**64", "0x10", "1_000", "1,5", "３", "true", "FALSE", "None",
    "null", "[]", "{}", "[1,2]", "<script>alert(1)</script>", "';DROP TABLE x;--", "__import__('os').system('id')",
    "().__class__.__bases__[0]", "9**9**9", "x" * 301, "../../etc/passwd", "%00", "\x00", "\u202e", "中文",
    "😀", "ℵ", "ǅ", "\n", "\t", HUGE, "a" * 5000, "#zzzzzz", "#fff", "#000000",
]
UNKNOWN_KEYS = ["junk", "__proto__", "constructor", "x" * 300, "中文", "v2", "preset", "present", "lang", "v",
                "steps ", "STEPS", ""]


def _page_keys(page: str) -> list[str]:
    at = app_test(page)
    at.run()
    assert not at.exception
    keys = []
    for kind in ("number_input", "selectbox", "toggle", "text_input", "slider", "color_picker", "checkbox",
                 "radio", "select_slider"):
        keys += [w.key for w in at.get(kind) if w.key and not w.key.startswith("_")]
    return sorted(set(keys))


_KEYS: dict[str, list[str]] = {}


def page_keys(page: str) -> list[str]:
    if page not in _KEYS:
        _KEYS[page] = _page_keys(page)
    return _KEYS[page]


def make_case(rng: random.Random, keys: list[str]) -> tuple[dict, bool]:
    """A query (key -> str or list of str) and whether the page must show an 'ignored' note."""
    query: dict = {}
    must_note = False
    for _ in range(rng.randint(1, 6)):
        roll = rng.random()
        if roll < 0.6 and keys:
            key = rng.choice(keys)
        elif roll < 0.8:
            key = rng.choice(UNKNOWN_KEYS)
        else:
            key = "".join(rng.choice("abcxyz_019é中") for _ in range(rng.randint(1, 12)))
        pick = rng.random()
        if pick < 0.45:
            value = rng.choice(HOSTILE_VALUES)
        elif pick < 0.7:
            # Plausible numbers, mostly small: a valid steps=4999 on six optimizers is real work
            # (a second of CPU), not hostility; huge and out-of-range values are in HOSTILE_VALUES.
            value = repr(rng.uniform(-1e6, 1e6)) if rng.random() < 0.5 else str(rng.randint(-10, 600))
        elif pick < 0.85:
            value = "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(0, 40)))
        else:
            value = [rng.choice(HOSTILE_VALUES), str(rng.randint(0, 100))]  # a repeated key
        query[key] = value
    for key, value in query.items():
        known = key in keys or key in ("v", "lang", "present", "preset")
        values = value if isinstance(value, list) else [value]
        if not known or (key in keys and any(len(v) >= 100_000 for v in values)):
            must_note = True
    return query, must_note


def _check_bounds(at) -> None:
    for w in at.get("number_input"):
        v = w.value
        if v is None:
            continue
        assert math.isfinite(v), f"{w.key} = {v}"
        lo, hi = w.proto.min, w.proto.max
        if w.proto.has_min:
            assert v >= lo, f"{w.key} = {v} < {lo}"
        if w.proto.has_max:
            assert v <= hi, f"{w.key} = {v} > {hi}"
    for w in at.get("selectbox"):
        assert w.value in w.options or w.format_func is not None or w.value is None


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(CHUNKS))
@pytest.mark.parametrize("page", PAGES)
def test_hostile_query_strings(page, chunk):
    keys = page_keys(page)
    assert keys or page == "app.py", f"no bound controls found on {page}"
    rng = random.Random(f"{page}:{chunk}")
    for case in range(PER_CHUNK):
        query, must_note = make_case(rng, keys)
        at = app_test(page, timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        where = f"{page} chunk {chunk} case {case}: {_short(query)}"
        assert not at.exception, where
        _check_bounds(at)
        if must_note:
            assert any("ignored" in i.value or "忽略" in i.value or "无效" in i.value for i in at.info), where


def _short(query: dict) -> str:
    return repr({k[:20]: (v[:30] if isinstance(v, str) else [x[:30] for x in v]) for k, v in query.items()})


def test_case_generator_is_seeded_and_mixes_hostile_inputs():
    rng1, rng2 = random.Random("s"), random.Random("s")
    keys = ["steps", "lr"]
    cases1 = [make_case(rng1, keys) for _ in range(300)]
    assert cases1 == [make_case(rng2, keys) for _ in range(300)]
    flat = [v for q, _ in cases1 for v in q.values()]
    assert any(v == HUGE for v in flat) and any(isinstance(v, list) for v in flat)
    assert any(n for _, n in cases1) and not all(n for _, n in cases1)
