"""The basin-map lesson without Streamlit: maps as the page shows them (:class:`MapView`), computed
from a :class:`.controls.MapRequest` with :func:`optim.basins.basin_maps`; per-basin shares; the
readout sentences; names; the race's end sentences; a map selection -> a race start; the CSV and
the Python snippet of the maps. Sentences take ``lang``.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

import optim
import surfaces
from optim import basins as B
from optim.request import make_call, noise_call, surface_line
from pages.lib.claims import Drawn
from pages.lib.controls import selection_point
from pages.lib.text import tr_for
from pages.lib.text_names import surface_name

from .controls import BasinSetup, MapRequest
from .text import BASINS as T

UNCERTAIN = 0.9  # a cell is uncertain when its most likely end has a probability under this
BORDER_CELLS = 2  # "near a border": within this many cells (Chebyshev) of a cell whose neighbour differs
OUTCOME_KEYS = {B.DIVERGED: "diverged", B.NOT_SETTLED: "not_settled", B.ELSEWHERE: "elsewhere"}


# --- the map as shown -------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class MapView:
    """One map as the page draws it. Rows are y, columns x: cell (j, i) started at (xs[i], ys[j]).

    ``label`` (ny, nx): the most likely outcome (index into ``targets``, or B.DIVERGED /
    B.NOT_SETTLED / B.ELSEWHERE); ``certainty``: its probability over the seeds (1 without noise);
    ``end`` (ny, nx, 2) and ``steps`` (ny, nx): where and after how many updates the first seed's
    run stopped; ``targets``: (x, y, kind) of each atlas target (a curve: its first point)."""

    opt_id: str
    hyper: tuple
    xs: np.ndarray
    ys: np.ndarray
    window: tuple
    label: np.ndarray
    certainty: np.ndarray
    end: np.ndarray = field(repr=False)
    steps: np.ndarray = field(repr=False)
    targets: tuple = ()
    seeds: int = 1
    budget: int = 0
    noisy: bool = False
    elapsed: float = 0.0
    noise_scale: float = 0.0

    @property
    def n(self) -> int:
        return len(self.xs)

    @property
    def cells(self) -> int:
        return int(self.label.size)

    @property
    def lr(self) -> float:
        return float(dict(self.hyper).get("lr", float("nan")))

    def shares(self) -> dict[int, float]:
        """Fraction of the cells whose most likely end is each outcome (non-zero ones)."""
        values, counts = np.unique(self.label, return_counts=True)
        return {int(v): int(c) / self.cells for v, c in zip(values, counts)}

    def target_index(self, xy, tol: float = 0.02) -> int | None:
        """Index of the target within ``tol`` of ``xy`` (None if there is none)."""
        for i, (x, y, _) in enumerate(self.targets):
            if math.hypot(x - xy[0], y - xy[1]) <= tol:
                return i
        return None

    def share_at(self, xy, tol: float = 0.02) -> float:
        """Share of the cells whose most likely end is the critical point at ``xy``."""
        i = self.target_index(xy, tol)
        return 0.0 if i is None else self.shares().get(i, 0.0)

    def share_of_kinds(self, kinds: Sequence[str]) -> float:
        """Share of the cells whose most likely end is a critical point of one of ``kinds``."""
        idx = [i for i, t in enumerate(self.targets) if t[2] in kinds]
        return float(np.isin(self.label, idx).mean()) if idx else 0.0

    def carried_from(self, other: MapView, src, dst, tol: float = 0.02) -> float:
        """Of the cells ``other`` sends to the point at ``src``, the share this map sends to ``dst``."""
        a, b = other.target_index(src, tol), self.target_index(dst, tol)
        if a is None or b is None:
            return 0.0
        mask = other.label == a
        return float((self.label[mask] == b).mean()) if mask.any() else 0.0

    def uncertain(self) -> np.ndarray:
        return self.certainty < UNCERTAIN - 1e-9

    def uncertain_share(self) -> float:
        return float(self.uncertain().mean())

    def border_zone(self, cells: int = BORDER_CELLS) -> np.ndarray:
        """Cells within ``cells`` of a border of ``label`` (a cell with a differing 4-neighbour)."""
        lab = self.label
        edge = np.zeros(lab.shape, dtype=bool)
        edge[:, 1:] |= lab[:, 1:] != lab[:, :-1]
        edge[:, :-1] |= lab[:, 1:] != lab[:, :-1]
        edge[1:, :] |= lab[1:, :] != lab[:-1, :]
        edge[:-1, :] |= lab[1:, :] != lab[:-1, :]
        zone = edge.copy()
        for _ in range(cells):
            grown = zone.copy()
            grown[1:, :] |= zone[:-1, :]
            grown[:-1, :] |= zone[1:, :]
            grown[:, 1:] |= zone[:, :-1]
            grown[:, :-1] |= zone[:, 1:]
            grown[1:, 1:] |= zone[:-1, :-1]
            grown[:-1, :-1] |= zone[1:, 1:]
            grown[1:, :-1] |= zone[:-1, 1:]
            grown[:-1, 1:] |= zone[1:, :-1]
            zone = grown
        return zone

    def uncertain_near_border(self, cells: int = BORDER_CELLS) -> float:
        """Of the uncertain cells, the share within ``cells`` of a basin border (NaN if none is uncertain)."""
        u = self.uncertain()
        return float(self.border_zone(cells)[u].mean()) if u.any() else float("nan")


def view_of(bm: B.BasinMap, hyper: tuple, noise_scale: float = 0.0) -> MapView:
    """The :class:`MapView` of an engine map (compact: what the page shows and caches)."""
    targets = []
    for t in bm.targets:
        if hasattr(t, "x"):
            targets.append((float(t.x), float(t.y), str(t.kind)))
        else:  # a curve of critical points: its first point
            first = np.asarray(t.branches[0], float).reshape(-1, 2)[0]
            targets.append((float(first[0]), float(first[1]), str(t.kind)))
    return MapView(
        opt_id=bm.optimizer_id, hyper=tuple(hyper), xs=np.asarray(bm.xs, float), ys=np.asarray(bm.ys, float),
        window=tuple(bm.window), label=bm.label.astype(np.int16), certainty=bm.certainty.astype(np.float32),
        end=bm.end[0].astype(np.float32), steps=bm.steps[0].astype(np.int32), targets=tuple(targets),
        seeds=int(bm.seeds), budget=int(bm.budget), noisy=bool(bm.noisy), elapsed=float(bm.elapsed),
        noise_scale=float(noise_scale) if bm.noisy else 0.0,
    )


def atlas_of(req: MapRequest):
    """The atlas of the request's surface and window (the atlas caches itself)."""
    return surfaces.critical_points(surfaces.CATALOG[req.surface_id], req.window)


def compute_view(req: MapRequest, progress: Callable[[float, str], None] | None = None,
                 on_level: Callable[[MapView], None] | None = None) -> MapView:
    """The map of ``req``, coarse to fine (``on_level`` sees each coarser map as it is ready)."""
    surface = surfaces.CATALOG[req.surface_id]
    view = None
    for bm in B.basin_maps(surface, req.optimizer(), req.window, levels=req.levels, steps=req.steps,
                           noise=req.noise.model(), seeds=req.seeds, atlas=atlas_of(req), progress=progress,
                           seed=req.seed, match_tol=req.match_tol):
        view = view_of(bm, req.hyper, req.noise.scale)
        if on_level is not None and len(bm.xs) < req.n:
            on_level(view)
    return view


@functools.lru_cache(maxsize=16)
def _view_cached(req: MapRequest) -> MapView:
    return compute_view(req)


def compute_views(setup: BasinSetup) -> tuple[MapView, ...]:
    """Every map of the page (plain Python, cached per map; the page has its own Streamlit cache)."""
    return tuple(_view_cached(req) for req in setup.maps)


@dataclass(frozen=True)
class BasinDrawn(Drawn):
    """What the basin page draws: the race's paths (:class:`Drawn`) and its maps (decoded from the
    basin figure, :func:`.figures.maps_from_spec`)."""

    maps: tuple = ()


# --- names ------------------------------------------------------------------------------------
def num(v: float, digits: int = 2) -> str:
    """A coordinate as the sentences print it (a real minus sign, no -0.00)."""
    text = f"{v:.{digits}f}"
    if float(text) == 0:
        text = f"{0:.{digits}f}"
    return text.replace("-", "−")


def pct(v: float) -> str:
    """A share as a percentage (a non-zero share under 0.5% is '<1%')."""
    if 0 < v < 0.005:
        return "<1%"
    return f"{100 * v:.0f}%"


def surface_display(surface_id: str, lang: str) -> str:
    """A surface's name in ``lang`` (the shared names table)."""
    return surface_name(surface_id, lang)


def optimizer_name(opt_id: str, lang: str) -> str:
    return tr_for(lang)(T, f"opt_{opt_id}") if f"opt_{opt_id}" in T else optim.SPECS[opt_id].title


def _lr_text(view_or_req) -> str:
    return f"{float(dict(view_or_req.hyper).get('lr', float('nan'))):g}"


def map_names(views_or_reqs: Sequence, lang: str) -> list[str]:
    """Each map's (and race path's) name: "Momentum (lecture), η = 0.05"; numbered "2 · ..." when
    two maps would otherwise have the same name."""
    tr = tr_for(lang)
    base = [tr(T, "map_name", opt=optimizer_name(v.opt_id, lang), lr=_lr_text(v)) for v in views_or_reqs]
    if len(set(base)) == len(base):
        return base
    return [f"{i + 1} · {name}" for i, name in enumerate(base)]


def map_title(view_or_req, index: int, lang: str) -> str:
    """A map's title in the figure: "1 · Momentum (lecture)<br>η = 0.05"."""
    return f"{index + 1} · {optimizer_name(view_or_req.opt_id, lang)}<br>η = {_lr_text(view_or_req)}"


def kind_name(kind: str, lang: str) -> str:
    key = {"minimum": "kind_minimum", "maximum": "kind_maximum", "saddle": "kind_saddle",
           "degenerate": "kind_degenerate"}.get(kind, "kind_curve" if "non-isolated" in kind else "kind_degenerate")
    return tr_for(lang)(T, key)


def target_name(targets: tuple, outcome: int, lang: str) -> str:
    """An outcome in words: "minimum (−1.51, 0.00)", "diverged", "not settled"."""
    tr = tr_for(lang)
    if outcome < 0:
        return tr(T, OUTCOME_KEYS[outcome])
    x, y, kind = targets[outcome]
    return tr(T, "target", kind=kind_name(kind, lang), x=num(x), y=num(y))


# --- readout ----------------------------------------------------------------------------------
def readout_sentences(views: Sequence[MapView], lang: str) -> list[str]:
    """Sentences computed from the maps that name what they show."""
    tr = tr_for(lang)
    out = []
    names = map_names(views, lang)
    if not views:
        return out
    targets = views[0].targets
    for name, v in zip(names, views):
        shares = sorted(v.shares().items(), key=lambda kv: (-kv[1], kv[0]))
        parts = ", ".join(tr(T, "ro_part", pct=pct(s), target=target_name(targets, o, lang)) for o, s in shares)
        out.append(tr(T, "ro_shares", name=name, parts=parts))
    if len(views) > 1:
        a = views[0]
        for name_b, b in zip(names[1:], views[1:]):
            sa, sb = a.shares(), b.shares()
            diffs = {t: sb.get(t, 0.0) - sa.get(t, 0.0) for t in set(sa) | set(sb) if t >= 0}
            if diffs:  # the point b gains most at (else the one it loses most at)
                t = max(diffs, key=lambda k: (diffs[k] > 0.005, abs(diffs[k]), -k))
                if abs(diffs[t]) >= 0.005:
                    out.append(tr(T, "ro_compare", b=name_b, pb=pct(sb.get(t, 0.0)),
                                  target=target_name(targets, t, lang), a=names[0], pa=pct(sa.get(t, 0.0))))
            moved = _most_carried(a, b)
            if moved is not None:
                src, dst, share = moved
                out.append(tr(T, "ro_carried", a=names[0], src=target_name(targets, src, lang), b=name_b,
                              pct=pct(share), dst=target_name(targets, dst, lang)))
        if all(np.array_equal(a.label, v.label) for v in views[1:]):
            out.append(tr(T, "ro_same"))
    for name, v in zip(names, views):
        s = v.share_of_kinds(("saddle", "maximum"))
        if s >= 0.005:
            out.append(tr(T, "ro_saddles", name=name, pct=pct(s)))
        shares = v.shares()
        if shares.get(B.DIVERGED, 0.0) > 0:
            out.append(tr(T, "ro_diverged", name=name, pct=pct(shares[B.DIVERGED])))
        if shares.get(B.NOT_SETTLED, 0.0) > 0:
            out.append(tr(T, "ro_not_settled", name=name, steps=v.budget, pct=pct(shares[B.NOT_SETTLED])))
    for name, v in zip(names, views):
        if v.noisy:
            near = v.uncertain_near_border()
            out.append(tr(T, "ro_uncertain", name=name, s=f"{v.noise_scale:g}", k=v.seeds, pct=pct(v.uncertain_share()),
                          near=pct(near) if math.isfinite(near) else "—", base=pct(float(v.border_zone().mean()))))
    return out


def _most_carried(a: MapView, b: MapView) -> tuple[int, int, float] | None:
    """The target of ``a`` from whose cells ``b`` most often ends elsewhere: (src, dst, share)."""
    best = None
    for src in range(len(a.targets)):
        mask = a.label == src
        if mask.sum() < max(1, a.cells // 100):
            continue
        other = b.label[mask]
        away = other != src
        share = float(away.mean())
        if share < 0.01:
            continue
        values, counts = np.unique(other[away], return_counts=True)
        dst = int(values[np.argmax(counts)])
        if best is None or share > best[2]:
            best = (src, dst, share)
    return best


# --- the race ---------------------------------------------------------------------------------
def race_sentences(names: Sequence[str], runs, targets: tuple, window, lang: str,
                   tol: float = B.MATCH_TOL) -> list[str]:
    """Where each race run ended, named by the atlas (the map's rule for a point)."""
    tr = tr_for(lang)
    diag = math.hypot(window[1] - window[0], window[3] - window[2])
    out = []
    for name, run in zip(names, runs):
        if run.status == "diverged":
            out.append(tr(T, "race_diverged", name=name, k=run.stop_step))
            continue
        x, y = (float(v) for v in run.points[-1])
        near = [i for i, (tx, ty, _) in enumerate(targets) if math.hypot(tx - x, ty - y) <= tol * diag]
        if near:
            i = min(near, key=lambda k: math.hypot(targets[k][0] - x, targets[k][1] - y))
            out.append(tr(T, "race_end", name=name, target=target_name(targets, i, lang), k=run.stop_step))
        else:
            out.append(tr(T, "race_end_open", name=name, x=num(x, 3), y=num(y, 3), k=run.stop_step))
    return out


def point_from_selection(state: Mapping | None) -> tuple[float, float] | None:
    """The race start a map selection names: the centre of the last box dragged on any map (or the
    last clicked marker), clipped to the start inputs' bounds; None when there is none or it is
    not finite."""
    point = selection_point(state)
    if point is None:
        return None
    return float(np.clip(point[0], -1e3, 1e3)), float(np.clip(point[1], -1e3, 1e3))


# --- exports ----------------------------------------------------------------------------------
def maps_csv(views: Sequence[MapView], lang: str) -> str:
    """One row per map and cell: start, most likely end (in words), its probability, end and steps."""
    buf = io.StringIO()
    buf.write("map,optimizer,lr,start_x,start_y,outcome,probability,end_x,end_y,steps\n")
    for i, v in enumerate(views):
        names = {o: target_name(v.targets, o, lang) for o in np.unique(v.label).tolist()}
        X, Y = np.meshgrid(v.xs, v.ys)
        for j in range(v.label.shape[0]):
            for k in range(v.label.shape[1]):
                o = int(v.label[j, k])
                buf.write(f"{i + 1},{v.opt_id},{v.lr:g},{X[j, k]:.6g},{Y[j, k]:.6g},\"{names[o]}\","
                          f"{v.certainty[j, k]:.4g},{v.end[j, k, 0]:.6g},{v.end[j, k, 1]:.6g},{v.steps[j, k]}\n")
    return buf.getvalue()


def map_snippet(setup: BasinSetup) -> str:
    """Python that recomputes the page's maps with ``optim.basins`` (same grid, rule and seeds)."""
    lines = ["import optim", "import surfaces", "", surface_line(setup.surface_id, ""),
             "window = surface.window", "atlas = surfaces.critical_points(surface, window)", "maps = {}"]
    for i, req in enumerate(setup.maps):
        lines.append(f"maps[{i + 1}] = optim.basins.basin_map(surface, {make_call(req.opt_id, req.hyper)}, window, "
                     f"n={req.n}, steps={req.steps}, noise={noise_call(req.noise)}, seeds={req.seeds}, atlas=atlas, "
                     f"seed={req.seed}, match_tol={req.match_tol!r})")
    lines.append("# maps[i].label: the most likely end per cell (index into maps[i].targets, or -1 diverged, "
                 "-2 not settled, -3 elsewhere)")
    return "\n".join(lines)


def shares_table(views: Sequence[MapView], lang: str) -> list[dict[str, str]]:
    """Rows for a legend table: each outcome seen, and its share on each map."""
    if not views:
        return []
    outcomes = sorted({o for v in views for o in v.shares()}, key=lambda o: (o < 0, o if o >= 0 else -o))
    rows = []
    for o in outcomes:
        row = {"": "■ " + target_name(views[0].targets, o, lang)}
        for name, v in zip(map_names(views, lang), views):
            row[name] = pct(v.shares().get(o, 0.0))
        rows.append(row)
    return rows
