"""The real-network lesson without Streamlit: the runs of each section, their measurements, the
"is this a critical point?" answer and the readout sentences, all computed from the runs' numbers.

The settings are those measured in ``tests/test_network_claims.py`` (a 2-32-1 tanh net, 129
parameters); the page's controls only vary what stays cheap (<= ~3 s of CPU a section, one
BLAS thread). Sentences take ``lang``.
"""

from __future__ import annotations

import csv
import functools
import io
import math
from dataclasses import dataclass

import numpy as np

import optim
from optim.critical_nd import Spectrum, minimum_ratio_survey, sharpness
from optim.schedules import Constant, warmup
from optim.train import TrainRun, compare_batch_sizes, linear_scaling, train
from pages.lib.text import tr_for
from surfaces.network import MLP, make_data, single_blas_thread

from .text import NETWORK as T

MODEL = MLP((2, 32, 1))
SIZES = "2-32-1"

# 1 stall (tests/test_network_claims.py STALL): full-batch GD on 200 examples, a reference at lr 0.1
STALL_DATA = dict(name="sine", n_train=200, n_test=500, noise=0.1, seed=0)
REF_LR, REF_STEPS = 0.1, 1000
WINDOW_SHARE = 0.4  # the readout measures the last 40 % of the steps (1200-2000 of 2000)
PLATEAU_CHANGE = 0.10  # the window's chunk means change by less than this: a plateau
SMALL_GRAD = 0.01  # ||g|| below this share of its start value counts as "close to a critical point"

# 2 minimum ratio (RATIO): Adam lr 0.01 for 400 epochs, a snapshot every 20, Newton on the gradient
RATIO = dict(lr=0.01, epochs=400, snapshot_every=20)
RATIO_DATA = STALL_DATA

# 3 batch size (BATCH): Adam lr 0.01, small vs full batch to the same training loss
BATCH_DATA = dict(name="sine", n_train=64, n_test=1000, noise=0.2, seed=0)
BATCH = dict(lr=0.01, large=64, target=0.015, max_epochs=1500)

# 4 linear scaling (SCALING): SGD batch 4 lr 0.02 vs batch 4k
SCALING = dict(lr=0.02, batch=4, epochs=40)
SCALING_DATA = STALL_DATA


def data_for(spec: dict):
    return make_data(**spec)


def _g(v: float, digits: int = 3) -> str:
    """A number as the sentences print it."""
    v = float(v)
    if not math.isfinite(v):
        return "∞" if v > 0 else "—"
    if v != 0 and (abs(v) < 1e-3 or abs(v) >= 1e5):
        return f"{v:.{max(digits - 1, 1)}e}"
    return f"{v:.{digits}g}"


def tol_text(tol: float) -> str:
    """The tolerance as the sentences print it (1e-06, 0.001, 0)."""
    return f"{float(tol):.3g}"


# --------------------------------------------------------------------------------------------
# 1. A stall is not a critical point
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Stall:
    run: TrainRun
    ref: TrainRun
    sharpness: float
    lr: float


def run_reference() -> TrainRun:
    """The reference run of the stall section: gradient descent with lr 0.1 (it converges)."""
    data = data_for(STALL_DATA)
    with single_blas_thread():
        return train(MODEL, data, optim.make("gd", lr=REF_LR), REF_STEPS, data.n_train)


def run_stall(lr: float, steps: int, ref: TrainRun | None = None) -> Stall:
    """Full-batch gradient descent at ``lr`` for ``steps`` steps, the sharpness at its end, and
    the reference run (``ref``, computed when not given: the page caches it apart)."""
    data = data_for(STALL_DATA)
    ref = run_reference() if ref is None else ref
    with single_blas_thread():
        run = train(MODEL, data, optim.make("gd", lr=float(lr)), int(steps), data.n_train)
        top = sharpness(MODEL, data, run.final) if run.status != "diverged" else float("nan")
    return Stall(run, ref, float(top), float(lr))


@dataclass(frozen=True)
class StallAnswer:
    """The measurements behind "is this a critical point?" over the window [a, b] of steps."""

    verdict: str  # "no" | "yes" | "moving" | "diverged"
    a: int
    b: int
    chunk: int
    change: float  # (max - min) / min of the window's chunk means
    gmin: float
    gmax: float
    g0: float
    mean_loss: float
    gref: float | None  # the reference run's largest ||g|| where its loss <= mean_loss (None: never)


def stall_window(steps: int) -> tuple[int, int]:
    b = int(steps)
    return b - int(round(WINDOW_SHARE * b)), b


def stall_answer(res: Stall) -> StallAnswer:
    run = res.run
    if run.status == "diverged":
        return StallAnswer("diverged", 0, run.steps, 1, math.nan, math.nan, math.nan, float(run.grad_norm[0]),
                           math.nan, None)
    a, b = stall_window(run.steps)
    loss, g = run.loss[a: b + 1], run.grad_norm[a: b + 1]
    chunk = max((b - a) // 4, 1)
    means = loss[: 4 * chunk].reshape(4, chunk).mean(axis=1)
    change = float((means.max() - means.min()) / means.min())
    gmin, gmax, g0 = float(g.min()), float(g.max()), float(run.grad_norm[0])
    mean_loss = float(loss.mean())
    same = res.ref.loss <= mean_loss
    gref = float(res.ref.grad_norm[same].max()) if same.any() else None
    if change >= PLATEAU_CHANGE:
        verdict = "moving"
    elif gmin >= SMALL_GRAD * g0:
        verdict = "no"
    else:
        verdict = "yes"
    return StallAnswer(verdict, a, b, chunk, change, gmin, gmax, g0, mean_loss, gref)


def stall_sentences(res: Stall, lang: str) -> list[str]:
    tr = tr_for(lang)
    ans = stall_answer(res)
    if ans.verdict == "diverged":
        return [tr(T, "ans_diverged", k=res.run.steps)]
    common = dict(a=ans.a, b=ans.b, chunk=ans.chunk, change=f"{100 * ans.change:.1f}", gmin=_g(ans.gmin),
                  gmax=_g(ans.gmax), g0=_g(ans.g0), frac=f"{100 * (ans.gmin if ans.verdict == 'no' else ans.gmax) / ans.g0:.0f}")
    out = [tr(T, f"ans_{ans.verdict}", **common)]
    if ans.gref is not None:
        times = ans.gmin / ans.gref if ans.gref > 0 else math.inf
        out.append(tr(T, "ro_ref", ref_lr=REF_LR, loss=_g(ans.mean_loss), gref=_g(ans.gref), times=f"{times:.0f}"))
    else:
        out.append(tr(T, "ro_ref_none", ref_lr=REF_LR, loss=_g(ans.mean_loss), steps=REF_STEPS))
    prod = res.lr * res.sharpness
    key = "ro_sharp" if prod >= 1.8 else "ro_sharp_stable"
    out.append(tr(T, key, sharp=_g(res.sharpness), prod=f"{prod:.2f}"))
    return out


# --------------------------------------------------------------------------------------------
# 2. Minimum ratio
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Ratio:
    run: TrainRun
    eigenvalues: tuple[np.ndarray, ...]  # per point, ascending
    losses: np.ndarray
    grad_norms: np.ndarray
    start_grad_norms: np.ndarray
    statuses: tuple[str, ...]

    @property
    def n(self) -> int:
        return len(self.eigenvalues)

    def spectra(self, tol: float) -> list[Spectrum]:
        return [Spectrum(eigenvalues=lam, tol=float(tol)) for lam in self.eigenvalues]

    def ratios(self, tol: float) -> np.ndarray:
        return np.array([s.minimum_ratio for s in self.spectra(tol)])


def run_ratio() -> Ratio:
    data = data_for(RATIO_DATA)
    with single_blas_thread():
        run = train(MODEL, data, optim.make("adam", lr=RATIO["lr"]), RATIO["epochs"], data.n_train,
                    snapshot_every=RATIO["snapshot_every"])
    survey = minimum_ratio_survey(MODEL, data, run.snapshots[1:])
    pts = survey.points
    return Ratio(run=run, eigenvalues=tuple(p.spectrum.eigenvalues for p in pts),
                 losses=np.array([p.loss for p in pts]), grad_norms=np.array([p.grad_norm for p in pts]),
                 start_grad_norms=np.array([p.start_grad_norm for p in pts]), statuses=tuple(p.status for p in pts))


def point_index(res: Ratio, point: int) -> int:
    """The 0-based index of snapshot ``point`` (1-based, clipped into the survey)."""
    return int(min(max(int(point), 1), res.n)) - 1


def ratio_sentences(res: Ratio, tol: float, point: int, lang: str) -> list[str]:
    tr = tr_for(lang)
    r, r0 = res.ratios(tol), res.ratios(0.0)
    i = point_index(res, point)
    s, s0 = Spectrum(res.eigenvalues[i], tol), Spectrum(res.eigenvalues[i], 0.0)
    out = [tr(T, "ro_ratio", n=res.n, med=f"{np.median(r):.2f}", tol=tol_text(tol), lo=f"{r.min():.2f}",
              hi=f"{r.max():.2f}", med0=f"{np.median(r0):.2f}"),
           tr(T, "ro_tol_matters", i=i + 1, neg=s.n_negative, zero=s.n_zero, pos=s.n_positive, tol=tol_text(tol),
              r=f"{s.minimum_ratio:.2f}", neg0=s0.n_negative, pos0=s0.n_positive, r0=f"{s0.minimum_ratio:.2f}")]
    negs = [sp.n_negative for sp in res.spectra(tol)]
    if min(negs) > 0:
        out.append(tr(T, "ro_saddles", negmin=min(negs)))
    else:
        out.append(tr(T, "ro_some_min", k=sum(n == 0 for n in negs), n=res.n, p=len(res.eigenvalues[i])))
    crit = sum(st == "critical" for st in res.statuses)
    if crit == 0:
        fall = res.start_grad_norms / res.grad_norms
        out.append(tr(T, "ro_flat", fmin=f"{fall.min():.1f}", fmax=f"{fall.max():.0f}",
                      flat=sum(st == "gradient-flat" for st in res.statuses), n=res.n))
    else:
        out.append(tr(T, "ro_critical", k=crit, n=res.n))
    return out


# --------------------------------------------------------------------------------------------
# 3. Batch size
# --------------------------------------------------------------------------------------------
def run_batch(small: int, seeds: int) -> list[dict]:
    """Small vs full batch (Adam) to the same training loss, seeds 0 .. seeds-1 (``compare_batch_sizes``)."""
    data = data_for(BATCH_DATA)
    with single_blas_thread():
        return compare_batch_sizes(MODEL, data, lambda: optim.make("adam", lr=BATCH["lr"]), (int(small), BATCH["large"]),
                                   tuple(range(int(seeds))), BATCH["target"], max_epochs=BATCH["max_epochs"])


def batch_pairs(rows: list[dict]) -> list[tuple[dict, dict]]:
    """(small-batch row, large-batch row) per seed, in seed order."""
    by_seed: dict[int, list[dict]] = {}
    for r in rows:
        by_seed.setdefault(r["seed"], []).append(r)
    return [(min(v, key=lambda r: r["batch_size"]), max(v, key=lambda r: r["batch_size"])) for _, v in sorted(by_seed.items())]


@dataclass(frozen=True)
class BatchSummary:
    n: int  # seeds where both runs reached the target
    flatter: int
    lower_test: int
    sharp_small: float
    sharp_large: float
    test_small: float
    test_large: float


def batch_summary(rows: list[dict]) -> BatchSummary:
    ok = [(s, large) for s, large in batch_pairs(rows) if s["status"] == large["status"] == "target"]
    if not ok:
        return BatchSummary(0, 0, 0, math.nan, math.nan, math.nan, math.nan)
    return BatchSummary(
        n=len(ok), flatter=sum(s["sharpness"] < large["sharpness"] for s, large in ok),
        lower_test=sum(s["test_loss"] < large["test_loss"] for s, large in ok),
        sharp_small=float(np.mean([s["sharpness"] for s, _ in ok])),
        sharp_large=float(np.mean([large["sharpness"] for _, large in ok])),
        test_small=float(np.mean([s["test_loss"] for s, _ in ok])),
        test_large=float(np.mean([large["test_loss"] for _, large in ok])))


def batch_sentences(rows: list[dict], lang: str) -> list[str]:
    tr = tr_for(lang)
    out = []
    for s, large in batch_pairs(rows):
        if s["status"] != "target" or large["status"] != "target":
            bad = s if s["status"] != "target" else large
            out.append(tr(T, "ro_pair_missed", seed=s["seed"], target=BATCH["target"], status=bad["status"]))
            continue
        out.append(tr(T, "ro_pair", seed=s["seed"], small=s["batch_size"], large=large["batch_size"],
                      s_sharp=f"{s['sharpness']:.2f}", s_test=f"{s['test_loss']:.4f}", s_ep=f"{s['epochs']:.0f}",
                      l_sharp=f"{large['sharpness']:.2f}", l_test=f"{large['test_loss']:.4f}",
                      l_ep=f"{large['epochs']:.0f}"))
    m = batch_summary(rows)
    if m.n:
        out.append(tr(T, "ro_flatter", k=m.flatter, n=m.n, s=f"{m.sharp_small:.2f}", l=f"{m.sharp_large:.2f}"))
        out.append(tr(T, "ro_better", k=m.lower_test, n=m.n, s=f"{m.test_small:.4f}", l=f"{m.test_large:.4f}"))
        if m.flatter == m.n and m.lower_test == m.n:
            out.append(tr(T, "ro_verdict_yes"))
        elif m.lower_test * 2 <= m.n or m.test_small >= m.test_large:
            out.append(tr(T, "ro_verdict_no"))
        else:
            out.append(tr(T, "ro_verdict_mixed"))
    return out


# --------------------------------------------------------------------------------------------
# 4. Linear scaling with warm-up
# --------------------------------------------------------------------------------------------
SCALING_KEYS = ("small", "scaled", "unscaled", "nowarm")


def scaling_settings(k: int, warm_epochs: int) -> dict[str, tuple[int, float, int]]:
    """Run key -> (batch size, peak lr, warm-up updates)."""
    b, lr = SCALING["batch"], SCALING["lr"]
    big = b * int(k)
    lr_big = linear_scaling(lr, big, b)
    n = SCALING_DATA["n_train"]
    per_epoch = -(-n // big)
    return {"small": (b, lr, 0), "scaled": (big, lr_big, int(warm_epochs) * per_epoch), "unscaled": (big, lr, 0),
            "nowarm": (big, lr_big, 0)}


def run_scaling(k: int, warm_epochs: int) -> dict[str, TrainRun]:
    data = data_for(SCALING_DATA)
    out = {}
    with single_blas_thread():
        for key, (b, lr, w) in scaling_settings(k, warm_epochs).items():
            schedule = warmup(Constant(lr), w) if w > 0 else None
            out[key] = train(MODEL, data, optim.make("sgd", lr=lr), SCALING["epochs"], b, schedule=schedule)
    return out


def scaling_names(k: int, warm_epochs: int, lang: str) -> dict[str, str]:
    tr = tr_for(lang)
    s = scaling_settings(k, warm_epochs)
    return {"small": tr(T, "n_small", b=s["small"][0], lr=s["small"][1]),
            "scaled": tr(T, "n_scaled", b=s["scaled"][0], lr=s["scaled"][1], w=int(warm_epochs)),
            "unscaled": tr(T, "n_unscaled", b=s["unscaled"][0], lr=s["unscaled"][1]),
            "nowarm": tr(T, "n_nowarm", b=s["nowarm"][0], lr=s["nowarm"][1])}


def log_gap(run: TrainRun, base: TrainRun) -> float:
    """Mean |log10 loss - log10 base loss| over the common epochs (inf when the run diverged)."""
    if run.status == "diverged":
        return math.inf
    n = min(run.loss_per_epoch.size, base.loss_per_epoch.size)
    with np.errstate(all="ignore"):
        d = np.abs(np.log10(run.loss_per_epoch[:n]) - np.log10(base.loss_per_epoch[:n]))
    return float(np.mean(d)) if np.all(np.isfinite(d)) else math.inf


TRACK_GAP = 0.15  # decades: "tracks the small-batch curve"


@functools.cache
def initial_sharpness() -> float:
    """λmax of the Hessian at the scaling runs' start (``MODEL.init(0)`` on their data)."""
    data = data_for(SCALING_DATA)
    with single_blas_thread():
        return sharpness(MODEL, data, MODEL.init(0))


def scaling_sentences(runs: dict[str, TrainRun], k: int, warm_epochs: int, lang: str) -> list[str]:
    tr = tr_for(lang)
    names = scaling_names(k, warm_epochs, lang)
    small = runs["small"]
    out = []
    for key in ("scaled", "unscaled", "nowarm"):
        run = runs[key]
        if run.status == "diverged":
            out.append(tr(T, "ro_gap_diverged", name=names[key], k=run.steps))
        else:
            out.append(tr(T, "ro_gap", name=names[key], gap=f"{log_gap(run, small):.3f}",
                          loss=_g(run.loss_per_epoch[-1]), note=""))
    g_scaled, g_unscaled, g_nowarm = (log_gap(runs[key], small) for key in ("scaled", "unscaled", "nowarm"))
    if g_scaled < TRACK_GAP < g_unscaled:
        ratio = runs["unscaled"].loss_per_epoch[-1] / small.loss_per_epoch[-1]
        out.append(tr(T, "ro_scaling_verdict_yes", k=int(k), ratio=f"{ratio:.1f}"))
    elif g_scaled >= TRACK_GAP:
        lr_big = scaling_settings(k, warm_epochs)["scaled"][1]
        out.append(tr(T, "ro_scaling_verdict_no", k=int(k), lr=lr_big, prod=f"{lr_big * initial_sharpness():.2f}"))
    if int(warm_epochs) > 0:
        lr_big = scaling_settings(k, warm_epochs)["nowarm"][1]
        prod = lr_big * initial_sharpness()
        if g_nowarm < TRACK_GAP and prod < 2:
            out.append(tr(T, "ro_warm_unneeded", gap=f"{g_nowarm:.3f}", lr=lr_big, prod=f"{prod:.2f}"))
        elif g_nowarm < TRACK_GAP:
            out.append(tr(T, "ro_warm_unneeded_anyway", gap=f"{g_nowarm:.3f}"))
        elif g_nowarm > g_scaled:
            out.append(tr(T, "ro_warm_needed", gap=_g(g_nowarm)))
    return out


# --------------------------------------------------------------------------------------------
# Exports
# --------------------------------------------------------------------------------------------
def curves_csv(columns: dict[str, np.ndarray]) -> str:
    """Named columns (possibly of different lengths) as CSV, one row per index."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["index", *columns])
    n = max((len(v) for v in columns.values()), default=0)
    for i in range(n):
        w.writerow([i, *(repr(float(v[i])) if i < len(v) else "" for v in columns.values())])
    return buf.getvalue()


def snippet(section: str, values: dict) -> str:
    """Python that reproduces the section's runs with the engines (``surfaces.network``, ``optim``)."""
    head = ["import optim", "from surfaces.network import MLP, make_data", "", "model = MLP((2, 32, 1))"]
    if section == "stall":
        return "\n".join(head + [
            f"data = make_data(**{STALL_DATA!r})",
            "from optim.train import train",
            f"run = train(model, data, optim.make('gd', lr={float(values['lr'])!r}), {int(values['steps'])}, data.n_train)",
            "print(run.loss[-1], run.grad_norm[-400:].min())"])
    if section == "ratio":
        return "\n".join(head + [
            f"data = make_data(**{RATIO_DATA!r})",
            "from optim.train import train", "from optim.critical_nd import minimum_ratio_survey",
            f"run = train(model, data, optim.make('adam', lr={RATIO['lr']!r}), {RATIO['epochs']}, data.n_train, "
            f"snapshot_every={RATIO['snapshot_every']})",
            f"survey = minimum_ratio_survey(model, data, run.snapshots[1:], zero_tol={float(values['tol'])!r})",
            "print(survey.ratios(), survey.losses())"])
    if section == "batch":
        return "\n".join(head + [
            f"data = make_data(**{BATCH_DATA!r})",
            "from optim.train import compare_batch_sizes",
            f"rows = compare_batch_sizes(model, data, lambda: optim.make('adam', lr={BATCH['lr']!r}), "
            f"({int(values['small'])}, {BATCH['large']}), tuple(range({int(values['seeds'])})), {BATCH['target']!r}, "
            f"max_epochs={BATCH['max_epochs']})",
            "for r in rows:", "    print(r)"])
    lines = head + [f"data = make_data(**{SCALING_DATA!r})", "from optim.schedules import Constant, warmup",
                    "from optim.train import train", "runs = {}"]
    for key, (b, lr, w) in scaling_settings(int(values["k"]), int(values["warmup"])).items():
        sched = f"warmup(Constant({lr!r}), {w})" if w > 0 else "None"
        lines.append(f"runs[{key!r}] = train(model, data, optim.make('sgd', lr={lr!r}), {SCALING['epochs']}, {b}, "
                     f"schedule={sched})")
    lines.append("for k, r in runs.items():\n    print(k, r.loss_per_epoch[-1])")
    return "\n".join(lines)


def section_csv(section: str, res, args: tuple) -> str:
    """The numbers of one view as CSV (the page's "data of this view" download)."""
    if section == "stall":
        return curves_csv({"loss": res.run.loss, "grad_norm": res.run.grad_norm, "ref_loss": res.ref.loss,
                           "ref_grad_norm": res.ref.grad_norm})
    if section == "ratio":
        tol = args[0]
        return curves_csv({"loss": res.losses, "ratio_tol": res.ratios(tol), "ratio_zero": res.ratios(0.0),
                           "grad_norm": res.grad_norms, "start_grad_norm": res.start_grad_norms})
    if section == "batch":
        return curves_csv({f"{k}_seed{r['seed']}_B{r['batch_size']}": np.array([r[k]], dtype=float) for r in res
                           for k in ("sharpness", "test_loss", "train_loss", "epochs")})
    return curves_csv({key: run.loss_per_epoch for key, run in res.items()})


def section_data(section: str) -> dict:
    return {"stall": STALL_DATA, "ratio": RATIO_DATA, "batch": BATCH_DATA}.get(section, SCALING_DATA)


def caption(section: str, args: tuple, lang: str) -> str:
    tr = tr_for(lang)
    if section == "stall":
        return tr(T, "stall_caption", ref_lr=REF_LR)
    if section == "ratio":
        return tr(T, "ratio_caption")
    if section == "batch":
        return tr(T, "batch_caption", lr=BATCH["lr"], small=int(args[0]), large=BATCH["large"], target=BATCH["target"],
                  m=BATCH_DATA["n_test"])
    return tr(T, "scaling_caption", epochs=SCALING["epochs"])


def sentences(section: str, res, args: tuple, lang: str) -> list[str]:
    """The readout of one view."""
    if section == "stall":
        return stall_sentences(res, lang)
    if section == "ratio":
        return ratio_sentences(res, args[0], args[1], lang)
    if section == "batch":
        return batch_sentences(res, lang)
    return scaling_sentences(res, args[0], args[1], lang)


@dataclass(frozen=True, eq=False)
class TraceView:
    """One drawn curve as :func:`pages.lib.widgets.show_watch` reads it (``name``: the curve's name)."""

    name: str
    points: np.ndarray


def trace_views(drawn) -> list[TraceView]:
    """The curves of a :class:`pages.lib.claims.Drawn` as views (so "what to watch" is filled from
    exactly what the figure draws)."""
    return [TraceView(n, p) for n, p in zip(drawn.names, drawn.points)]
