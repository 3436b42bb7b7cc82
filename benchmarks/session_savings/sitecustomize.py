"""Measurement prototype, not part of the app: two proposed per-session savings, applied by
patching a replica's process from outside, to measure them before pages/ is changed for real.

    PROTO=json,key PYTHONPATH=benchmarks/session_savings python benchmarks/profile_session.py

(the server that profile_session.py starts inherits the environment, so Python loads this file
as its sitecustomize). ``PROTO=json``: ``plotly.io.to_json`` memoised per figure dict (the
prebuilt dicts of widgets.cached_figure live in a cache and do not change), i.e. a figure is
encoded once instead of once per session. ``PROTO=key``: Streamlit's cache-function key memoised
per code location, what defining the decorated functions in an imported module instead of the
page file achieves (the page file runs for every session and rebuilds them from their source).
Results: docs/performance.md, "Serving a class".
"""

import os
import sys
import threading
import time

WHAT = set(filter(None, os.environ.get("PROTO", "").split(",")))


def _wait(module: str, attr: str):
    """The module once it is imported and has ``attr`` (polls for at most 60 s), else None."""
    for _ in range(1200):
        m = sys.modules.get(module)
        if m is not None and hasattr(m, attr):
            return m
        time.sleep(0.05)
    return None


def _patch_json() -> None:
    pio = _wait("plotly.io", "to_json")
    if pio is None:
        return
    orig, memo, lock = pio.to_json, {}, threading.Lock()

    def to_json(fig, *args, **kwargs):
        if isinstance(fig, dict) and len(memo) < 512:
            hit = memo.get(id(fig))
            if hit is not None and hit[0] is fig:  # the same (cached, unchanging) dict
                return hit[1]
            out = orig(fig, *args, **kwargs)
            with lock:
                memo[id(fig)] = (fig, out)  # keeps the dict alive: its id is not reused
            return out
        return orig(fig, *args, **kwargs)

    pio.to_json = to_json


def _patch_key() -> None:
    cu = _wait("streamlit.runtime.caching.cache_utils", "_make_function_key")
    if cu is None:
        return
    orig, memo = cu._make_function_key, {}

    def key(cache_type, func):
        code = getattr(func, "__code__", None)
        if code is None:
            return orig(cache_type, func)
        where = (cache_type, code.co_filename, code.co_firstlineno, func.__qualname__)
        if where not in memo:
            memo[where] = orig(cache_type, func)
        return memo[where]

    cu._make_function_key = key


if "json" in WHAT:
    threading.Thread(target=_patch_json, daemon=True).start()
if "key" in WHAT:
    threading.Thread(target=_patch_key, daemon=True).start()
