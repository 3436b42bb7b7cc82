"""From Python values to what plotly.js receives: NumPy arrays as typed-array specs (exactly
as plotly.py's ``to_dict()`` writes them), colour scales as plotly.py stores them, numbers as
short text, and the validated plotly.py twin of a plain-dict figure spec.

The ``*_spec`` builders encode arrays with :func:`typed`; their validated twins pass :func:`asis`
and let plotly.py encode (one builder feeds both; tests prove the dicts are equal)."""

from __future__ import annotations

import base64
import gc
import math
from binascii import b2a_base64
from contextlib import contextmanager

import numpy as np
import plotly.graph_objects as go

# plotly.py's Figure.to_dict() turns every NumPy array into a plotly.js typed-array spec
# (_plotly_utils.utils.to_typed_array_spec). typed() does the same, so a *_spec builder's dict
# equals what go.Figure(...).to_dict() would return, without the validation (tests prove it).
_PLOTLY_SHORT_TYPES = {"int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2", "int32": "i4",
                       "uint32": "u4", "float32": "f4", "float64": "f8"}
_INT_DOWNCASTS = {"int64": (np.int8, np.int16, np.int32), "uint64": (np.uint8, np.uint16, np.uint32)}


def typed(a):
    """A NumPy array as plotly.py's ``to_dict()`` emits it: ``{"dtype", "bdata"[, "shape"]}``.

    Same rules as ``_plotly_utils.utils.to_typed_array_spec`` (plotly 6/7): float32 -> "f4",
    float64 -> "f8", (u)int8/16/32 as is, (u)int64 downcast to the smallest (u)int8/16/32 that
    holds its range (else left as a list), ``shape`` "r, c" for ndim > 1; empty or other dtypes
    stay plain lists (what JSON makes of the array plotly.py leaves in place)."""
    a = np.asarray(a)
    if a.size == 0:
        return a.tolist()
    name = str(a.dtype)
    if name in _INT_DOWNCASTS:
        lo, hi = a.min(), a.max()
        for t in _INT_DOWNCASTS[name]:
            info = np.iinfo(t)
            if info.min <= lo and hi <= info.max:
                a = a.astype(t)
                break
        else:
            return a.tolist()
        name = str(a.dtype)
    code = _PLOTLY_SHORT_TYPES.get(name)
    if code is None:
        return a.tolist()
    spec = {"dtype": code, "bdata": base64.b64encode(np.ascontiguousarray(a)).decode("ascii")}
    if a.ndim > 1:
        spec["shape"] = str(a.shape)[1:-1]
    return spec


def asis(a):
    """Encoder for the validated go.Figure builders: hand the array to plotly.py (which encodes it)."""
    return a


def template() -> dict:
    """What plotly.py makes of ``template=go.layout.Template()`` (no default template) in to_dict()."""
    return {"data": {"scatter": [{"type": "scatter"}]}}


_COLORSCALES: dict[str, list] = {}


def colorscale_list(colorscale) -> list:
    """The colour scale as plotly.py's validator stores it (a name becomes [[pos, colour], ...])."""
    key = repr(colorscale)
    if key not in _COLORSCALES:
        val = go.scatter.Marker(colorscale=colorscale).to_plotly_json()["colorscale"]
        _COLORSCALES[key] = [list(pair) for pair in val]
    return [list(pair) for pair in _COLORSCALES[key]]


@contextmanager
def gc_paused():
    """No cyclic-GC passes while a spec allocates its ~10^4 small dicts (they all survive: a
    collection would only rescan the app's heap). Only re-enables what it disabled."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def as_trace(spec: dict):
    """A trace spec (dict with "type") as a validated plotly.py trace object."""
    kw = dict(spec)
    cls = {"scatter": go.Scatter, "scatter3d": go.Scatter3d, "surface": go.Surface}[kw.pop("type")]
    return cls(**kw)


def validated(spec: dict, fast_frames: bool = True) -> go.Figure:
    """go.Figure from a spec built with ``enc=asis`` (arrays stay NumPy arrays in fig.data)."""
    fig = go.Figure(data=spec["data"], layout=spec["layout"])
    if spec.get("frames"):
        attach_frames(fig, spec["frames"], fast_frames)
    return fig


def attach_frames(fig: go.Figure, frames: list[dict], fast: bool = True) -> None:
    """Attach frames; ``fast`` skips plotly.py's validation (same JSON as ``fig.frames = frames``,
    ~1 s faster for 6 x 1000 steps). Caveat of the fast path: ``fig.frames[k].name``/``.traces`` work
    but ``fig.frames[k].data`` raises in plotly 7.1; read frames via ``fig.to_plotly_json()["frames"]``."""
    if not fast:
        fig.frames = frames
        return
    objs = tuple(go.Frame(name=f["name"], traces=f["traces"], data=f["data"], _validate=False) for f in frames)
    if hasattr(fig, "_frame_objs"):
        fig._frame_objs = objs
    else:  # pragma: no cover - plotly internals changed: fall back to the validated path
        fig.frames = frames


def f4(a) -> np.ndarray:
    """Display precision: float32 halves the payload; 7 digits are plenty on screen."""
    with np.errstate(over="ignore"):
        return np.ascontiguousarray(np.asarray(a, dtype=float), dtype=np.float32)


def b64(a) -> dict:
    """A plotly.js float32 typed-array spec (what plotly.py emits for a float32 NumPy array)."""
    return {"dtype": "f4", "bdata": base64.b64encode(f4(a).tobytes()).decode("ascii")}


def f4_bytes(b: bytes) -> dict:
    """Typed-array spec of float32 data given as raw bytes."""
    return {"dtype": "f4", "bdata": b2a_base64(b, newline=False).decode("ascii")}


def copy_spec(s):
    return dict(s) if isinstance(s, dict) else list(s)


def fmt_number(v: float) -> str:
    if v == 0 or not math.isfinite(v):
        return "0" if v == 0 else str(v)
    a = abs(v)
    if 1e-3 <= a < 1e5:
        return f"{v:.3g}"
    return f"{v:.0e}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")


def tick_text(f: float) -> str:
    if f == 0:
        return "0"
    a, sign = abs(f), "−" if f < 0 else ""
    if 0.1 <= a <= 100:
        return sign + f"{a:g}"
    return f"{sign}10<sup>{round(math.log10(a))}</sup>"


def json_number(v: float) -> float | None:
    return float(f"{v:.6g}") if math.isfinite(v) else None  # JSON has no NaN
