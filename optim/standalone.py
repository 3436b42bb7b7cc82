r""""Copy as Python" that runs WITHOUT this repository: a NumPy script and a PyTorch script.

:func:`numpy_script` writes one self-contained file (NumPy only; matplotlib or Plotly draw the
paths if installed) that reproduces a page's runs: the surface's f, gradient and Hessian written
out by SymPy's printers (``PythonCodePrinter`` for ``math`` and ``NumPyPrinter``, on the already
parsed expression: user text is never parsed here), the update rule of every optimizer the runs
use written out from :data:`TEMPLATES`, the learning-rate schedule (warm-up included) and the
gradient noise. It evaluates the surface as :func:`optim.simulate` does (the ``math`` formulas on
floats, falling back to the NumPy ones where ``math`` raises), so the numbers agree with the
exported CSV to 1e-9 (in practice bit for bit). ``python script.py --compare exported.csv``
checks that.

:func:`torch_script` writes the same runs with ``torch.optim`` for the torch-form optimizers
(Adam, AdamW, SGD, Adagrad, RMSprop ...) and the lecture's forms as a few lines of tensor code,
rendered from the SAME templates (with ``torch.`` in place of ``np.``). It matches the CSV to
1e-9, not bit for bit (torch's kernels may fuse a multiply-add that NumPy rounds twice); the tests
run it where torch is installed (CI installs the CPU build).

Runs that cannot be written out (a composition of parts that is no named optimizer, a surface
without SymPy formulas) raise :class:`NotStandalone`; the page then offers only the repo snippet.
Plain Python, no Streamlit.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.pycode import PythonCodePrinter

from . import schedules as S
from .compose import Parts, identify
from .fastpath import scalar_evaluator
from .request import COMPOSED, RunRequest
from .simulate import BOUND
from .specs import make
from .standalone_rules import TEMPLATES, Rule

CSV_COLUMNS = ("path", "step", "x", "y", "loss", "grad_x", "grad_y", "lr", "update_x", "update_y")


class NotStandalone(ValueError):
    """These runs cannot be written out without the repository (the reason is the message;
    ``code``: composed | surface | other)."""

    def __init__(self, message: str, code: str = "other"):
        super().__init__(message)
        self.code = code


# --- the surface -----------------------------------------------------------------------------
class _NumPyOut(NumPyPrinter):
    """The page's NumPy printer (:class:`surfaces.surface.FormulaPrinter`), fully qualified."""

    def _print_Heaviside(self, expr):
        h0 = self._print(expr.args[1]) if len(expr.args) > 1 else "0.5"
        return f"{self._module_format('numpy.heaviside')}({self._print(expr.args[0])}, {h0})"

    def _print_DiracDelta(self, expr):
        return "0.0"


def _function(name: str, exprs, printer, doc: str) -> list[str]:
    """``def name(x, y)`` returning ``exprs``, common subexpressions first: the same ``sympy.cse``
    and printer lambdify uses on the page, so the same floating-point operations."""
    cses, reduced = sp.cse(list(exprs), list=False)
    lines = [f"def {name}(x, y):", f'    """{doc}"""']
    lines += [f"    {printer.doprint(sym)} = {printer.doprint(e)}" for sym, e in cses]
    lines.append("    return [" + ", ".join(printer.doprint(e) for e in reduced) + "]")
    return lines


_CODE_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def surface_code(surface) -> str:
    """Python source of ``f_and_grad(x, y) -> (f, gx, gy)`` and ``hessian(x, y)`` for ``surface``
    (cached per surface object: printing a large gradient takes SymPy about half a second)."""
    try:
        return _CODE_CACHE[surface]
    except (KeyError, TypeError):
        pass
    code = _surface_code(surface)
    try:
        _CODE_CACHE[surface] = code
    except TypeError:
        pass
    return code


def _surface_code(surface) -> str:
    expr = getattr(surface, "expr", None)
    if not isinstance(expr, sp.Expr) or getattr(surface, "gradient_exprs", None) is None:
        raise NotStandalone("this surface has no formula to write out", "surface")
    if not getattr(surface, "printable", True):  # a network slice: hundreds of tanh terms
        raise NotStandalone("this surface's formula is too large to write out", "surface")
    (hxx, hxy), (_, hyy) = surface.hessian_exprs
    exprs = [expr, *surface.gradient_exprs, hxx, hxy, hyy]
    settings = {"fully_qualified_modules": True, "inline": True, "allow_unknown_functions": True}
    doc = "[f, df/dx, df/dy, d2f/dx2, d2f/dxdy, d2f/dy2]"
    lines = _function("_all_numpy", exprs, _NumPyOut(dict(settings)), doc + " with NumPy (inf/NaN, never raises)")
    use_math = scalar_evaluator(surface) is not None  # the page's float fast path exists
    if use_math:
        try:
            lines += ["", ""] + _function("_all_math", exprs, PythonCodePrinter(dict(settings)),
                                          doc + " on Python floats (fast; raises where NumPy gives inf/NaN)")
        except Exception:  # noqa: BLE001 - a printer gap: the page has no fast path either then
            use_math = False
    lines += ["", "", "def _real(v):",
              '    """One float (a complex value, from a negative base to a fractional power, is NaN)."""',
              "    a = np.asarray(v).reshape(-1)",
              "    if np.iscomplexobj(a):",
              "        a = np.where(np.abs(a.imag) > 0, np.nan, a.real)",
              "    return float(a[0])", "", "",
              "def f_and_grad(x, y):", '    """f(x, y) and its exact gradient (df/dx, df/dy)."""']
    if use_math:
        lines += ["    try:",
                  "        f, gx, gy = _all_math(x, y)[:3]",
                  "        return float(f), float(gx), float(gy)",
                  "    except (ArithmeticError, ValueError, TypeError):",
                  "        pass  # overflow, log(-1), a complex power: NumPy's inf/NaN instead"]
    lines += ["    return tuple(_real(v) for v in _all_numpy(np.array([x]), np.array([y]))[:3])", "", "",
              "def hessian(x, y):",
              '    """The exact Hessian [[fxx, fxy], [fxy, fyy]] (Newton uses it)."""',
              "    _, _, _, hxx, hxy, hyy = (_real(v) for v in _all_numpy(np.array([x]), np.array([y])))",
              "    return np.array([[hxx, hxy], [hxy, hyy]])"]
    return "\n".join(lines)


# --- schedules -------------------------------------------------------------------------------
SCHEDULE_CODE = {
    S.Constant: ("def constant(lr):\n    return lambda t: lr"),
    S.Step: ("def step_decay(lr, step_size, gamma):\n    return lambda t: lr * gamma ** (t // step_size)"),
    S.MultiStep: ("def multistep(lr, milestones, gamma):\n"
                  "    return lambda t: lr * gamma ** sum(t >= m for m in milestones)"),
    S.Exponential: "def exponential(lr, gamma):\n    return lambda t: lr * gamma ** t",
    S.InverseTime: "def inverse_time(lr, k):\n    return lambda t: lr / (1.0 + k * t)",
    S.InverseSqrt: "def inverse_sqrt(lr):\n    return lambda t: lr / math.sqrt(t + 1.0)",
    S.Cosine: ("def cosine(lr, T, floor):\n"
               '    """Cosine decay from lr to floor*lr over T steps, then held."""\n'
               "    lo = floor * lr\n"
               "    return lambda t: lo + (lr - lo) * (0.5 * (1.0 + math.cos(math.pi * (min(t, T) / T))))"),
    S.CosineRestarts: ("def cosine_restarts(lr, T_0, T_mult, floor):\n"
                       '    """SGDR: cosine over periods T_0, T_0*T_mult, ..."""\n'
                       "    def at(t):\n"
                       "        t_cur, t_i = int(t), T_0\n"
                       "        while t_cur >= t_i:\n"
                       "            t_cur -= t_i\n"
                       "            t_i *= T_mult\n"
                       "        lo = floor * lr\n"
                       "        return lo + (lr - lo) * (0.5 * (1.0 + math.cos(math.pi * (t_cur / t_i))))\n"
                       "    return at"),
    S.OneCycle: ("def one_cycle(lr, total_steps, pct_start, div_factor, final_div_factor):\n"
                 '    """torch OneCycleLR (cosine), lr the peak."""\n'
                 "    def anneal(start, end, pct):\n"
                 "        return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1.0)\n\n"
                 "    def at(t):\n"
                 "        initial = lr / div_factor\n"
                 "        final = initial / final_div_factor\n"
                 "        end_up = float(pct_start * total_steps) - 1\n"
                 "        end_down = float(total_steps - 1)\n"
                 "        t = min(t, total_steps - 1)\n"
                 "        if end_up <= 0:\n"
                 "            return anneal(lr, final, t / end_down)\n"
                 "        if t <= end_up:\n"
                 "            return anneal(initial, lr, t / end_up)\n"
                 "        return anneal(lr, final, (t - end_up) / (end_down - end_up))\n"
                 "    return at"),
    S.Warmup: ("def warmup(schedule, W, start_factor):\n"
               '    """Linear warm-up from start_factor*schedule(0) to schedule(0) over W steps, then schedule(t - W)."""\n'
               "    def at(t):\n"
               "        if t >= W:\n"
               "            return schedule(t - W)\n"
               "        peak = schedule(0)\n"
               "        return peak * (start_factor + (1.0 - start_factor) * t / W)\n"
               "    return at"),
}


# each schedule class: the script's function that builds it and the attributes it takes, in order
_SCHEDULE_CALLS = {
    S.Constant: ("constant", ("lr",)),
    S.Step: ("step_decay", ("lr", "step_size", "gamma")),
    S.MultiStep: ("multistep", ("lr", "milestones", "gamma")),
    S.Exponential: ("exponential", ("lr", "gamma")),
    S.InverseTime: ("inverse_time", ("lr", "k")),
    S.InverseSqrt: ("inverse_sqrt", ("lr",)),
    S.Cosine: ("cosine", ("lr", "T", "floor")),
    S.CosineRestarts: ("cosine_restarts", ("lr", "T_0", "T_mult", "floor")),
    S.OneCycle: ("one_cycle", ("lr", "total_steps", "pct_start", "div_factor", "final_div_factor")),
}


def _schedule_call(sched) -> str:
    """The script's expression that builds ``sched`` (an :mod:`optim.schedules` object)."""
    if isinstance(sched, S.Warmup):
        return f"warmup({_schedule_call(sched.schedule)}, {sched.warmup_steps!r}, {sched.start_factor!r})"
    if type(sched) not in _SCHEDULE_CALLS:
        raise NotStandalone(f"schedule {type(sched).__name__} cannot be written out")
    name, attrs = _SCHEDULE_CALLS[type(sched)]
    values = [getattr(sched, a) for a in attrs]
    return f"{name}({', '.join(repr(tuple(v) if isinstance(v, list) else v) for v in values)})"


def _schedule_kinds(sched) -> list[type]:
    kinds = [type(sched)]
    if isinstance(sched, S.Warmup):
        kinds += _schedule_kinds(sched.schedule)
    return kinds


def _named(req: RunRequest):
    """The named optimizer a request runs: ``(optim.Optimizer, its id)``; a composition of parts
    counts when it IS a named optimizer (:func:`optim.compose.identify`)."""
    if req.opt_id == COMPOSED:
        found = identify(Parts.from_dict(dict(req.hyper)))
        if not found:
            raise NotStandalone("a new combination of parts (no named optimizer) is written out only with optim", "composed")
        opt_id, hyper = found
        return make(opt_id, **dict(hyper))
    if req.opt_id not in TEMPLATES:
        raise NotStandalone(f"no template for optimizer {req.opt_id!r}")
    return req.optimizer()


@dataclass(frozen=True)
class _Prepared:
    name: str
    req: RunRequest
    opt_id: str
    title: str
    rule: Rule
    schedule: str  # the script's expression for lr_of
    schedule_kinds: tuple


def _prepare(runs: Sequence[tuple[str, RunRequest]]) -> list[_Prepared]:
    out = []
    for name, req in runs:
        opt = _named(req)
        hyper = dict(opt.hyperparams)
        hyper.setdefault("lr", opt.lr)
        rule = TEMPLATES[opt.id](hyper)
        sched = req.schedule.build(opt.lr, req.steps) or S.Constant(float(opt.lr))
        out.append(_Prepared(str(name), req, opt.id, opt.name, rule, _schedule_call(sched), tuple(_schedule_kinds(sched))))
    return out


def _render_update(p: _Prepared, xp: str, indent: str) -> list[str]:
    lines = [f"{indent}{line.replace('xp.', xp + '.')}" for line in p.rule.body]
    return lines


def _fmt_kwargs(pairs) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in pairs)


def _header(title: str, kind: str, link: str, note: str, usage: str) -> list[str]:
    doc = [f"Descent Lab: {title}, {kind}.", "",
           "Reproduces the page's paths and the exported CSV (to 1e-9 in float64) without the Descent Lab",
           "repository. The surface's f, gradient and Hessian are written out by SymPy; the update rules below",
           "are the app's, line for line.", ""]
    if link:
        doc += [f"The view: {link}", ""]
    if note:
        doc += [*note.splitlines(), ""]
    doc += [usage]
    return [_doc("\n".join(doc) + "\n")]


def _doc(text: str) -> str:
    """``text`` as a docstring literal that no text can end early (quotes and backslashes escaped)."""
    return '"""' + text.replace("\\", "\\\\").replace('"', '\\"') + '"""'


_ERRSTATE = 'np.seterr(all="ignore")  # an overflow is data (the path diverged), never a warning\n'

_MAIN = '''

def write_csv(results, path):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\\n")
        w.writerow(COLUMNS)
        for name, rows in results.items():
            for row in rows:
                w.writerow([name] + [_cell(v) for v in row])


def _cell(v):
    """As the app's export: floats by repr (exact), inf/NaN and missing as an empty cell."""
    if v is None or isinstance(v, float) and not math.isfinite(v):
        return ""
    return repr(v) if isinstance(v, float) else v


def compare(results, path, tol=1e-9):
    """Largest difference from an exported CSV (its '#' lines are metadata); fails above tol.

    Loss and gradient are f_and_grad at the row's point. Where the point here differs from the
    CSV's (by rounding: torch's kernels may fuse a multiply and an add that NumPy rounds twice; a
    diverging path amplifies the last bit), they are checked at the CSV's own point, so that a
    point that agrees to 1e-9 is not failed for the surface's steepness there (f ~ x^4 turns a
    5e-10 difference in x into 2e-9 in f)."""
    with open(path, newline="", encoding="utf-8") as fh:
        table = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    worst = 0.0
    for name, rows in results.items():
        theirs = [r for r in table if r["path"] == name]
        if len(theirs) != len(rows):
            sys.exit(f"{name}: {len(rows)} rows here, {len(theirs)} in {path}")
        for mine, other in zip(rows, theirs):
            point = (float(other["x"]), float(other["y"])) if other["x"] and other["y"] else None
            if point is not None and point != (mine[1], mine[2]):
                mine = list(mine)
                mine[3:6] = f_and_grad(*point)
            for col, v in zip(COLUMNS[1:], mine):
                o = other.get(col, "")
                mine_empty = _cell(v) == ""
                if mine_empty or o == "":
                    if mine_empty != (o == ""):
                        sys.exit(f"{name} step {mine[0]} {col}: {v!r} here, {o!r} in {path}")
                    continue
                a, b = float(v), float(o)
                if a == b:
                    continue
                err = abs(a - b) / max(1.0, abs(b))
                worst = max(worst, err)
                if not err <= tol:
                    sys.exit(f"{name} step {mine[0]} {col}: {a!r} here, {b!r} in {path}")
    print(f"matches {path}: largest difference {worst:.3g} (relative, tolerance {tol:g})")


def draw(results, out):
    """The paths over the surface's contours, with matplotlib, else Plotly, if installed."""
    xs = [p[1] for rows in results.values() for p in rows if math.isfinite(p[1]) and math.isfinite(p[2])]
    ys = [p[2] for rows in results.values() for p in rows if math.isfinite(p[1]) and math.isfinite(p[2])]
    if not xs:
        return
    pad_x, pad_y = 0.1 * (max(xs) - min(xs)) + 0.5, 0.1 * (max(ys) - min(ys)) + 0.5
    gx = np.linspace(min(xs) - pad_x, max(xs) + pad_x, 120)
    gy = np.linspace(min(ys) - pad_y, max(ys) + pad_y, 120)
    with np.errstate(all="ignore"):
        rows = [np.broadcast_to(np.asarray(_all_numpy(gx, np.full_like(gx, yv))[0]), gx.shape) for yv in gy]
        Z = np.array([np.where(np.imag(r) == 0, np.real(r), np.nan) for r in rows], dtype=float)
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        plt = None
    if plt is not None:
        fig, ax = plt.subplots(figsize=(7, 6))
        finite = Z[np.isfinite(Z)]
        if finite.size:
            ax.contour(gx, gy, Z, levels=30, cmap="viridis", linewidths=0.7)
        for name, rows in results.items():
            ax.plot([p[1] for p in rows], [p[2] for p in rows], ".-", ms=2, label=name)
        ax.set_xlabel("x"); ax.set_ylabel("y"); ax.legend(); ax.set_title(TITLE)
        fig.savefig(out + ".png", dpi=120)
        print(f"drew {out}.png")
        plt.show()
        return
    try:
        import plotly.graph_objects as go
    except ImportError:
        print("install matplotlib or plotly to draw the paths")
        return
    fig = go.Figure(go.Contour(x=gx, y=gy, z=Z, ncontours=30, showscale=False, contours_coloring="lines"))
    for name, rows in results.items():
        fig.add_scatter(x=[p[1] for p in rows], y=[p[2] for p in rows], mode="lines+markers", name=name,
                        marker_size=3)
    fig.update_layout(title=TITLE, xaxis_title="x", yaxis_title="y")
    fig.write_html(out + ".html")
    print(f"drew {out}.html")


def main():
    parser = argparse.ArgumentParser(description=TITLE)
    parser.add_argument("--compare", metavar="EXPORTED_CSV", help="check against the page's CSV export")
    parser.add_argument("--csv", metavar="OUT", help="write every step as CSV")
    parser.add_argument("--no-plot", action="store_true", help="do not draw")
    args = parser.parse_args()
    results = {name: fn() for name, fn in RUNS}
    for name, rows in results.items():
        last = rows[-1]
        print(f"{name}: {len(rows) - 1} steps, ends at ({last[1]:.6g}, {last[2]:.6g}), loss {last[3]:.6g}")
    if args.csv:
        write_csv(results, args.csv)
    if args.compare:
        compare(results, args.compare)
    if not args.no_plot:
        draw(results, OUT)


if __name__ == "__main__":
    main()
'''

_SIMULATE = '''

def simulate(update, start, steps, lr_of, noise_std=0.0, seed=0):
    """Rows (step, x, y, loss, grad_x, grad_y, lr, update_x, update_y) of one path, as the app runs it:
    every one of ``steps`` updates, stopping early only when the path diverges (a coordinate beyond
    BOUND, or f not finite: that point is the last row)."""
    rng = np.random.default_rng(seed) if noise_std > 0 else None
    theta = np.array(start, dtype=float)
    rows = []
    for t in range(steps + 1):
        x, y = float(theta[0]), float(theta[1])
        f, gx, gy = f_and_grad(x, y)
        row = [t, x, y, f, gx, gy]
        if not (abs(x) <= BOUND and abs(y) <= BOUND and f - f == 0.0) or t == steps:
            rows.append(row + [None, None, None])
            break
        lr = float(lr_of(t))
        g = np.array([gx, gy])
        if rng is not None:  # mini-batch noise: g + N(0, (scale / sqrt(batch))^2) per coordinate
            g = g + rng.normal(0.0, noise_std, size=2)
        delta = update(g, theta, lr, t)
        theta = theta + delta
        rows.append(row + [lr, float(delta[0]), float(delta[1])])
    return rows
'''


def _prelude(surface, title: str, out: str, torch: bool) -> list[str]:
    """Imports, constants, the surface's functions."""
    return ["", "import argparse", "import csv", "import functools  # noqa: F401 (min/max in the formulas)",
            "import math", "import sys", "", "import numpy", "import numpy as np",
            *(["import torch"] if torch else []), "", _ERRSTATE, f"TITLE = {title!r}", f"OUT = {out!r}",
            f"BOUND = {BOUND!r}", f"COLUMNS = {CSV_COLUMNS!r}", "", "",
            f"# --- the surface: f(x, y) = {sp.sstr(surface.expr)}",
            surface_code(surface), "", "", "# --- learning-rate schedules (t = 0 is the first update)"]


def _file_stem(title: str) -> str:
    keep = "".join(ch if ch.isalnum() else "_" for ch in title.lower()).strip("_")
    return "_".join(part for part in keep.split("_") if part)[:60] or "descent_lab"


def numpy_script(*, surface, runs: Sequence[tuple[str, RunRequest]], title: str = "paths", link: str = "",
                 note: str = "", out: str = "descent_lab_paths") -> str:
    """A self-contained NumPy script that reproduces the named ``runs`` on ``surface`` (see module doc).
    Raises :class:`NotStandalone` when a run cannot be written out."""
    prepared = _prepare(runs)
    usage = ("Usage: python this_file.py [--compare exported.csv] [--csv out.csv] [--no-plot]\n"
             "Needs: numpy (matplotlib or plotly to draw).")
    lines = _header(title, "standalone NumPy script", link, note, usage)
    lines += _prelude(surface, title, out, torch=False)
    kinds = []
    for p in prepared:
        kinds += [k for k in p.schedule_kinds if k not in kinds]
    for kind in kinds:
        lines += [SCHEDULE_CODE[kind], "", ""]
    lines += ["# --- one run loop for every optimizer" + _SIMULATE, ""]
    names = []
    for i, p in enumerate(prepared, 1):
        req = p.req
        fn = f"run_{i}"
        names.append((p.name, fn))
        lines += ["", f"def {fn}():", "    " + _doc(f"{p.name!r}: {p.title}.")]
        for k, v in p.rule.constants:
            lines.append(f"    {k} = {v!r}")
        state = ", ".join(f"{k!r}: np.full(2, {v!r})" for k, v in p.rule.state)
        lines.append(f"    s = {{{state}}}  # the optimizer's state")
        lines += ["", "    def update(g, theta, lr, t):"]
        lines += _render_update(p, "np", "        ")
        lines += ["        return delta", ""]
        std = (f"{req.noise.scale!r} / math.sqrt({req.noise.batch!r})" if req.noise.scale > 0 else "0.0")
        lines.append(f"    return simulate(update, start=({req.start[0]!r}, {req.start[1]!r}), steps={req.steps!r},")
        lines.append(f"                    lr_of={p.schedule}, noise_std={std}, seed={req.seed!r})")
        lines.append("")
    lines += ["", "RUNS = [" + ", ".join(f"({n!r}, {fn})" for n, fn in names) + "]"]
    return "\n".join(lines) + _MAIN


_TORCH_LOOP = '''

def run_torch(make, start, steps, lr_of, noise_std=0.0, seed=0):
    """One path with ``make(w)``, a torch.optim optimizer of the parameter w (float64). The gradient
    handed to torch is the surface's exact gradient (plus the noise), as on the page."""
    w = torch.nn.Parameter(torch.tensor(start, dtype=torch.float64))
    opt = make(w)
    rng = np.random.default_rng(seed) if noise_std > 0 else None
    rows = []
    for t in range(steps + 1):
        x, y = (float(v) for v in w.detach())
        f, gx, gy = f_and_grad(x, y)
        row = [t, x, y, f, gx, gy]
        if not (abs(x) <= BOUND and abs(y) <= BOUND and f - f == 0.0) or t == steps:
            rows.append(row + [None, None, None])
            break
        lr = float(lr_of(t))
        for group in opt.param_groups:  # the schedule: this step's lr
            group["lr"] = lr
        g = np.array([gx, gy])
        if rng is not None:
            g = g + rng.normal(0.0, noise_std, size=2)
        w.grad = torch.tensor(g, dtype=torch.float64)
        before = w.detach().clone()
        opt.step()
        delta = (w.detach() - before).tolist()
        rows.append(row + [lr, delta[0], delta[1]])
    return rows


def run_tensor(update, start, steps, lr_of, noise_std=0.0, seed=0):
    """One path with a rule written as tensor code (the lecture's forms): theta <- theta + update(...)."""
    theta = torch.tensor(start, dtype=torch.float64)
    rng = np.random.default_rng(seed) if noise_std > 0 else None
    rows = []
    for t in range(steps + 1):
        x, y = (float(v) for v in theta)
        f, gx, gy = f_and_grad(x, y)
        row = [t, x, y, f, gx, gy]
        if not (abs(x) <= BOUND and abs(y) <= BOUND and f - f == 0.0) or t == steps:
            rows.append(row + [None, None, None])
            break
        lr = float(lr_of(t))
        g = np.array([gx, gy])
        if rng is not None:
            g = g + rng.normal(0.0, noise_std, size=2)
        delta = update(torch.tensor(g, dtype=torch.float64), theta, lr, t)
        theta = theta + delta
        rows.append(row + [lr, float(delta[0]), float(delta[1])])
    return rows
'''


def torch_script(*, surface, runs: Sequence[tuple[str, RunRequest]], title: str = "paths", link: str = "",
                 note: str = "", out: str = "descent_lab_paths") -> str:
    """The same runs with ``torch.optim`` where torch has the optimizer, else as tensor code."""
    prepared = _prepare(runs)
    usage = ("Usage: python this_file.py [--compare exported.csv] [--csv out.csv] [--no-plot]\n"
             "Needs: torch and numpy (matplotlib or plotly to draw). Not run in the app's CI (torch is not\n"
             "installed there): the NumPy script is the one the tests execute.")
    lines = _header(title, "PyTorch script", link, note, usage)
    lines += _prelude(surface, title, out, torch=True)
    kinds = []
    for p in prepared:
        kinds += [k for k in p.schedule_kinds if k not in kinds]
    for kind in kinds:
        lines += [SCHEDULE_CODE[kind], "", ""]
    lines += ["# --- the run loops" + _TORCH_LOOP, ""]
    names = []
    for i, p in enumerate(prepared, 1):
        req, rule = p.req, p.rule
        fn = f"run_{i}"
        names.append((p.name, fn))
        std = (f"{req.noise.scale!r} / math.sqrt({req.noise.batch!r})" if req.noise.scale > 0 else "0.0")
        tail = f"start=({req.start[0]!r}, {req.start[1]!r}), steps={req.steps!r}, lr_of={p.schedule}, " \
               f"noise_std={std}, seed={req.seed!r}"
        lines += ["", f"def {fn}():", "    " + _doc(f"{p.name!r}: {p.title}.")]
        if rule.torch_class:
            lines.append(f"    return run_torch(lambda w: {rule.torch_class}([w], {_fmt_kwargs(rule.torch_kwargs)}),")
            lines.append(f"                     {tail})")
        else:
            for k, v in rule.constants:
                lines.append(f"    {k} = {v!r}")
            state = ", ".join(f"{k!r}: torch.full((2,), {v!r}, dtype=torch.float64)" for k, v in rule.state)
            lines.append(f"    s = {{{state}}}  # the optimizer's state")
            lines += ["", "    def update(g, theta, lr, t):"]
            lines += _render_update(p, "torch", "        ")
            lines += ["        return delta", "", f"    return run_tensor(update, {tail})"]
        lines.append("")
    lines += ["", "RUNS = [" + ", ".join(f"({n!r}, {fn})" for n, fn in names) + "]"]
    return "\n".join(lines) + _MAIN


def file_stem(title: str) -> str:
    """A file-name-safe stem of ``title`` (lower case, underscores)."""
    return _file_stem(title)


def standalone_ok(runs: Sequence[tuple[str, RunRequest]], surface) -> str | None:
    """None when both scripts can be written, else why not (:attr:`NotStandalone.code`)."""
    try:
        _prepare(runs)
        surface_code(surface)
    except NotStandalone as err:
        return err.code
    return None


__all__ = ["CSV_COLUMNS", "NotStandalone", "TEMPLATES", "file_stem", "numpy_script", "standalone_ok", "surface_code",
           "torch_script"]
