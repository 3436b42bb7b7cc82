"""What a preset's text claims, as predicates over what its page DRAWS (no Streamlit here).

A preset's title, card and "what to watch" sentence make claims ("gradient descent stops in the
shallow dip at x ≈ 1.30", "the noisy path hops between dips"). Each claim is written next to the
text as a :class:`Claim`: a sentence saying what is checked, and a predicate over :class:`Drawn`,
the paths exactly as the page's animated figure draws them (decoded from the figure the page sent,
see :func:`drawn_from_spec`). ``tests/test_preset_claims.py`` opens every preset's link, decodes
the figure and evaluates every claim; a preset without claims fails the suite. A claim may look at
a variant of the link (``variant``: parameters overriding the preset's, e.g. ``{"noise": "0"}`` for
"without noise it freezes"), which the test opens too.

Numbers in the "what to watch" sentence come from the drawn paths as well: a preset's ``facts``
maps the paths to named, formatted values and the sentence has ``{placeholders}``; the page fills
them from its own runs (:func:`fill`), so the number a teacher reads is the number the run gave.

Paths are indexed in legend order (0 = the first optimizer), as the figure lists them.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Drawn:
    """The paths of a page's animated figure: ``names`` and ``points`` ((n_i + 1, 2) arrays) in
    legend order, the plotted ``window`` and the surface (``surface``: ``value_and_grad``-able)."""

    names: tuple[str, ...]
    points: tuple[np.ndarray, ...]
    window: tuple[float, float, float, float] | None = None
    surface: object = field(default=None, compare=False)

    def __getitem__(self, i: int) -> np.ndarray:
        return self.points[i]

    def end(self, i: int) -> np.ndarray:
        """The last finite point of path i."""
        p = self.points[i]
        ok = np.flatnonzero(np.isfinite(p).all(axis=1))
        return p[ok[-1]] if ok.size else np.array([np.nan, np.nan])


@dataclass(frozen=True)
class Claim:
    """One checkable statement of a preset's text. ``says``: the statement in plain English (shown
    when it fails); ``check(drawn) -> bool``; ``variant``: link parameters that override the
    preset's for this claim (empty: the preset's own view)."""

    says: str
    check: Callable[[Drawn], bool] = field(compare=False)
    variant: Mapping[str, str] = field(default_factory=dict)


# --- decoding the figure a page sent ---------------------------------------------------------
def decode_array(v) -> np.ndarray:
    """A plotly JSON array (plain list, or typed ``{"dtype", "bdata"}``) as float64."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).astype(float)
    return np.asarray(v if v is not None else [], dtype=float)


def drawn_from_spec(spec: Mapping, surface=None) -> Drawn:
    """The full paths of an animated race figure (its plotly JSON as a dict). Each animated path
    has a trail trace (listed in ``layout.meta.trail_traces``) and, drawn faintly under it, the
    whole path as a static trace of the same name: that one is the path as drawn."""
    data = spec["data"]
    meta = spec["layout"].get("meta", {})
    names, points = [], []
    for t in meta.get("trail_traces", []):
        name = data[t].get("name")
        whole = [tr for i, tr in enumerate(data)
                 if i not in meta.get("animated_traces", []) and tr.get("name") == name and "xaxis" not in tr]
        best = max(whole, key=lambda tr: len(decode_array(tr.get("x"))))
        names.append(name)
        points.append(np.column_stack([decode_array(best.get("x")), decode_array(best.get("y"))]))
    ax = spec["layout"].get("xaxis", {}).get("range"), spec["layout"].get("yaxis", {}).get("range")
    window = (*ax[0], *ax[1]) if ax[0] and ax[1] else None
    return Drawn(tuple(names), tuple(points), window, surface)


def drawn_from_views(views: Sequence, window=None, surface=None) -> Drawn:
    """The same :class:`Drawn` from the page's own ``figures.PathView`` list (for :func:`fill`)."""
    return Drawn(tuple(v.name for v in views), tuple(np.asarray(v.points, float) for v in views), window, surface)


def fill(text: str, facts: Callable[[Drawn], Mapping[str, str]] | None, drawn: Drawn) -> str:
    """``text`` with its ``{placeholders}`` filled from ``facts(drawn)`` (unchanged without facts)."""
    return text.format(**facts(drawn)) if facts is not None else text


# --- measurements the claims are made of -------------------------------------------------------
def distance(a, b) -> float:
    return float(np.linalg.norm(np.asarray(a, float) - np.asarray(b, float)))


def nearest(point, candidates) -> int:
    """Index of the candidate point nearest ``point``."""
    c = np.asarray(candidates, float).reshape(-1, 2)
    return int(np.argmin(np.linalg.norm(c - np.asarray(point, float), axis=1)))


def visited_cells(points, *, spacing: float = 1.0, skip: int = 0) -> int:
    """How many distinct cells of a lattice of ``spacing`` the path's points fall in, after ``skip``
    steps: on Rastrigin (a minimum at every integer point) that is the number of dips visited."""
    p = np.asarray(points, float)[skip:]
    p = p[np.isfinite(p).all(axis=1)]
    return len({tuple(c) for c in np.round(p / spacing).astype(int)})


def largest_step(points, axis: int | None = None, first: int = 0, last: int | None = None) -> float:
    """The largest single step |theta_{t+1} - theta_t| (one coordinate if ``axis``) for t in [first, last)."""
    d = np.diff(np.asarray(points, float), axis=0)[first:last]
    d = np.abs(d[:, axis]) if axis is not None else np.linalg.norm(d, axis=1)
    d = d[np.isfinite(d)]
    return float(d.max()) if d.size else 0.0


def largest_gap(a, b) -> float:
    """The largest distance between two paths at the same step (over their common steps)."""
    n = min(len(a), len(b))
    return float(np.nanmax(np.linalg.norm(np.asarray(a, float)[:n] - np.asarray(b, float)[:n], axis=1)))


def sideways_jumps(points, *, min_size: float, axis: int = 1, after: int = 0) -> int:
    """How many single steps along ``axis`` (after step ``after``) are at least ``min_size``,
    counting a run of consecutive big steps as one jump."""
    d = np.abs(np.diff(np.asarray(points, float)[:, axis]))[after:]
    big = d >= min_size
    return int(np.count_nonzero(big & ~np.concatenate([[False], big[:-1]])))


def fmt(v: float, digits: int = 2) -> str:
    """A number as the sentences print it (fixed decimals, a real minus sign)."""
    return f"{v:.{digits}f}".replace("-", "−")


def drawn_from_traces(specs: Sequence[Mapping]) -> Drawn:
    """For pages whose figures are not animated 2D races (the real-network page): every trace that
    names itself with ``meta={"curve": name}``, in every figure (plotly dicts, as sent or as
    built), as a named "path" of its (x, y) points (y = 0 where a trace has no y). Claims then read
    a drawn curve by that name (``d[d.names.index(name)]``). Not the trace ``uid``: plotly's JSON
    encoder drops uids from what Streamlit sends."""
    names, points = [], []
    for spec in specs:
        for tr in spec.get("data", ()):
            meta = tr.get("meta")
            name = meta.get("curve") if isinstance(meta, Mapping) else None
            if not name:
                continue
            x = decode_array(tr.get("x"))
            y = decode_array(tr.get("y")) if tr.get("y") is not None else np.zeros_like(x)
            names.append(str(name))
            points.append(np.column_stack([x, y]) if x.size == y.size else np.empty((0, 2)))
    return Drawn(tuple(names), tuple(points))
