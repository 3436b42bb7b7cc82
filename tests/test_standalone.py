"""Exports that work outside the repository (issue 11): the standalone NumPy and PyTorch scripts
reproduce the app's runs, each run in a subprocess in isolated mode (``-I``: no PYTHONPATH, no user
site, the script's own directory a tmp dir) so it cannot import this repository; the PyTorch
script's structure (torch.optim classes and arguments); file names and metadata.

The PyTorch scripts need torch (CI installs the CPU build, requirements-torch.txt): without it they
skip, unless DESCENT_LAB_REQUIRE_TORCH=1 (CI), where they fail."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import json
import subprocess
import sys

import numpy as np
import pytest

import optim
import surfaces
from optim import escape, export, standalone
from optim.request import COMPOSED, NoiseSpec, RunRequest, ScheduleSpec
from pages.lib import exports
from tests.conftest import need_torch

LR = {"newton": 0.5, "gd": 0.01, "sgd": 0.01, "momentum": 0.01, "nesterov": 0.01, "adagrad": 0.5}

EVERY_OPTIMIZER = [(f"{i + 1}·{oid}", RunRequest(oid, {"lr": LR.get(oid, 0.05)}, (0.3, -0.7), 120))
                   for i, oid in enumerate(optim.SPECS)]
VARIANTS = [  # every schedule kind (with and without warm-up), noise, the options that change the rule
    ("adam amsgrad, cosine + warm-up, noise", RunRequest("adam", {"lr": 0.1, "amsgrad": True}, (0.1, 0.2), 150,
                                                         ScheduleSpec("cosine", {}, 20), NoiseSpec(2.0, 3), 7)),
    ("rmsprop centered + momentum + wd, one-cycle", RunRequest(
        "rmsprop", {"lr": 0.01, "centered": True, "momentum": 0.5, "weight_decay": 0.1}, (0.1, 0.2), 150,
        ScheduleSpec("one_cycle", {}, 0))),
    ("sgd nesterov + wd, SGDR + warm-up", RunRequest(
        "sgd", {"lr": 0.01, "momentum": 0.8, "nesterov": True, "weight_decay": 0.01}, (0.1, 0.2), 150,
        ScheduleSpec("cosine_restarts", {"T_0": 30, "T_mult": 2}, 10))),
    ("sgd dampening", RunRequest("sgd", {"lr": 0.01, "momentum": 0.8, "dampening": 0.3}, (0.1, 0.2), 100,
                                 ScheduleSpec("constant", {}, 12, ), NoiseSpec(1.0, 1), 5)),
    ("adamw no bias correction, multistep", RunRequest("adamw", {"lr": 0.05, "bias_correction": False}, (0.1, 0.2),
                                                       150, ScheduleSpec("multistep", {}, 5))),
    ("adagrad lr_decay, step", RunRequest(
        "adagrad", {"lr": 0.5, "lr_decay": 0.01, "initial_accumulator_value": 0.1, "weight_decay": 0.01},
        (0.1, 0.2), 150, ScheduleSpec("step", {}, 0))),
    ("rmsprop lecture, exponential + warm-up", RunRequest("rmsprop_lecture", {"lr": 0.05}, (0.1, 0.2), 150,
                                                          ScheduleSpec("exponential", {}, 3))),
    ("adagrad lecture, inverse time", RunRequest("adagrad_lecture", {"lr": 0.1}, (0.1, 0.2), 150,
                                                 ScheduleSpec("inverse_time", {}, 0))),
    ("momentum, inverse sqrt + warm-up", RunRequest("momentum", {"lr": 0.01}, (0.1, 0.2), 150,
                                                    ScheduleSpec("inverse_sqrt", {}, 4))),
    ("newton damped", RunRequest("newton", {"lr": 0.5, "damping": 0.1}, (0.5, 0.2), 40)),
    ("gd diverges", RunRequest("gd", {"lr": 2.0}, (3.0, 3.0), 150)),
]


def _run_script(tmp_path, code: str, page_csv: str, *args: str) -> subprocess.CompletedProcess:
    (tmp_path / "script.py").write_text(code, encoding="utf-8")
    (tmp_path / "page.csv").write_text(page_csv, encoding="utf-8")
    return subprocess.run([sys.executable, "-I", "script.py", "--compare", "page.csv", "--no-plot", *args],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)


def _page_csv(surface, runs) -> tuple[str, list]:
    trajs = [req.run(surface) for _, req in runs]
    meta = exports.metadata(page="playground", preset=None, link="/playground?v=2", surface=surface,
                            source=exports.Source("custom", "", runs))
    return exports.csv_header(meta) + export.to_csv(trajs, [n for n, _ in runs]), trajs


SCRIPTS = {"numpy": standalone.numpy_script, "torch": standalone.torch_script}


def _assert_matches(tmp_path, surface, runs, kind="numpy"):
    """The ``kind`` script, run without the repo, reproduces the page's CSV: by its own --compare
    (1e-9) and by its --csv output against the trajectories (1e-9; bit for bit for NumPy)."""
    if kind == "torch":
        need_torch()
    page_csv, trajs = _page_csv(surface, runs)
    code = SCRIPTS[kind](surface=surface, runs=runs, title="test")
    assert "import optim" not in code and "import surfaces" not in code
    done = _run_script(tmp_path, code, page_csv, "--csv", "mine.csv")
    assert done.returncode == 0, done.stderr + done.stdout
    assert "matches page.csv" in done.stdout
    # and independently of the script's own comparison: its CSV against the trajectories, to 1e-9
    rows = list(csv.DictReader(io.StringIO((tmp_path / "mine.csv").read_text())))
    for (name, _), traj in zip(runs, trajs):
        mine = [r for r in rows if r["path"] == name]
        assert len(mine) == traj.steps + 1, name
        pts = {c: np.array([float(r[c]) if r[c] else np.nan for r in mine]) for c in ("x", "y", "loss", "grad_y")}
        for col, ref in (("x", traj.points[:, 0]), ("y", traj.points[:, 1])):
            np.testing.assert_allclose(pts[col], ref, rtol=1e-9, atol=1e-12, equal_nan=True, err_msg=f"{name} {col}")
        # rows whose point is bit for bit the page's (every row of the NumPy script; the torch
        # script's kernels may round a fused multiply-add differently in the last bit, see
        # test_torch_script_on_a_diverging_path): there loss and gradient are the page's too
        same = ((pts["x"] == traj.points[:, 0]) | np.isnan(pts["x"])) & ((pts["y"] == traj.points[:, 1]) | np.isnan(pts["y"]))
        if kind == "numpy":
            assert same.all(), f"{name}: points not bit for bit at steps {np.flatnonzero(~same)[:5]}"
        assert same[: len(same) // 2 + 1].sum() >= 1, name
        for col, ref in (("loss", traj.loss), ("grad_y", traj.grad[:, 1])):
            ref = np.where(np.isfinite(ref), ref, np.nan)
            np.testing.assert_allclose(pts[col][same], ref[same], rtol=1e-9, atol=1e-12, equal_nan=True,
                                       err_msg=f"{name} {col}")
        for col, ref in (("lr", traj.lr), ("update_x", traj.update[:, 0])):
            got = np.array([float(r[col]) for r in mine[:-1]])
            np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-12, err_msg=f"{name} {col}")
    return done


KINDS = ["numpy", "torch"]
KINDS_SLOW_TORCH = ["numpy", pytest.param("torch", marks=pytest.mark.slow)]  # torch's import: ~2 s each


@pytest.mark.parametrize("kind", KINDS)
def test_script_reproduces_every_optimizer_without_the_repo(tmp_path, kind):
    _assert_matches(tmp_path, surfaces.CATALOG["himmelblau"], EVERY_OPTIMIZER, kind)


@pytest.mark.parametrize("kind", KINDS_SLOW_TORCH)
def test_script_reproduces_schedules_warmup_noise_and_options(tmp_path, kind):
    _assert_matches(tmp_path, surfaces.CATALOG["rosenbrock"], VARIANTS, kind)


@pytest.mark.parametrize("surface", [
    surfaces.CATALOG["ackley"], surfaces.CATALOG["goldstein_price"], surfaces.CATALOG["monkey"],
    surfaces.parse("max(x, y)^2 + abs(x - 1) + min(x, cosh(y))"),
    surfaces.parse("log(x^2 + 1) * sqrt(abs(y) + 1) + atan2(y, x) + sigmoid(x) + softplus(y)"),
    surfaces.parse("x^(1/3) + y^2"),  # NaN off the domain: the path diverges
    surfaces.parse("exp(x) + sinh(y)*cos(x)"),  # overflow: math raises, NumPy's inf, as on the page
], ids=lambda s: s.id + ":" + (s.source or ""))
@pytest.mark.parametrize("kind", KINDS_SLOW_TORCH)
def test_script_on_catalog_and_typed_surfaces(tmp_path, surface, kind):
    sx, sy = surface.starts[0]
    runs = [("gd", RunRequest("gd", {"lr": 0.01}, (sx, sy), 200)),
            ("adam noisy", RunRequest("adam", {"lr": 0.05}, (sx, sy), 200, noise=NoiseSpec(0.5, 2), seed=3)),
            ("newton", RunRequest("newton", {"lr": 0.5, "damping": 0.1}, (sx + 0.1, sy), 50)),
            ("rmsprop lecture", RunRequest("rmsprop_lecture", {"lr": 0.05}, (sx, sy - 0.2), 200))]
    _assert_matches(tmp_path, surface, runs, kind)


@pytest.mark.parametrize("kind", KINDS_SLOW_TORCH)
def test_script_reproduces_the_escape_lab(tmp_path, kind):
    """The critical page's six paths: from exactly a saddle, GD stays; every other one escapes (and
    the escape amplifies any rounding difference, so this is the hard case for 1e-9)."""
    surface = surfaces.CATALOG["lecture"]
    lab = escape.EscapeLab(center=(0.0, 0.0), hessian=((0.0, -2.0), (-2.0, 0.0)), lr=0.05, steps=120, eps=1e-6,
                           angle=0.3, escape_length=0.3, newton_offset=0.2, noise=0.01, seed=4, momentum=0.9)
    runs = [(f"({chr(97 + i)})", req) for i, req in enumerate(lab.requests())]
    _assert_matches(tmp_path, surface, runs, kind)


@pytest.mark.slow
def test_torch_script_on_a_diverging_path(tmp_path):
    """SGD with momentum and dampening on Rosenbrock, noisy, diverges at step 55. torch's
    ``buf.mul_(m).add_(g, alpha=1 - dampening)`` may round a fused multiply-add once where NumPy
    rounds twice: the points part in the last bit at step 7 and the divergence amplifies that to
    ~6e-10 by the last row, where the loss (~x^4, ~1e54) differs by ~2e-9. The script passes because
    it checks loss and gradient at the CSV's own point there; its points stay within 1e-9."""
    runs = [r for r in VARIANTS if r[0] == "sgd dampening"]
    done = _assert_matches(tmp_path, surfaces.CATALOG["rosenbrock"], runs, "torch")
    worst = float(done.stdout.split("largest difference ")[1].split()[0])
    assert 1e-12 < worst <= 1e-9, done.stdout  # not bit for bit, within the tolerance
    rows = [r for r in csv.DictReader(io.StringIO((tmp_path / "mine.csv").read_text()))]
    traj = runs[0][1].run(surfaces.CATALOG["rosenbrock"])
    assert traj.status == "diverged" and len(rows) == traj.steps + 1 == 56
    last_loss = float(rows[-1]["loss"])
    assert abs(last_loss - traj.loss[-1]) / traj.loss[-1] > 1e-9  # what a plain comparison of f would fail


@pytest.mark.parametrize("kind", KINDS_SLOW_TORCH)
def test_script_draws_with_plotly_when_matplotlib_is_missing(tmp_path, kind):
    pytest.importorskip("plotly")
    if kind == "torch":
        need_torch()
    surface = surfaces.CATALOG["booth"]
    runs = EVERY_OPTIMIZER[:2]
    code = SCRIPTS[kind](surface=surface, runs=runs, title="booth", out="drawn")
    (tmp_path / "script.py").write_text(code)
    done = subprocess.run([sys.executable, "-I", "script.py"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "drawn.html").exists() or (tmp_path / "drawn.png").exists()


def _torch_calls(code: str) -> dict[str, tuple[str, dict]]:
    """run_<i> -> (torch.optim class, its keyword arguments) or ("tensor", {}) for tensor code."""
    tree = ast.parse(code)
    out = {}
    for fn in (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("run_")
               and n.name[4:].isdigit()):
        found = ("tensor", {})
        for node in ast.walk(fn):
            if isinstance(node, ast.Call) and ast.unparse(node.func).startswith("torch.optim."):
                found = (ast.unparse(node.func), {k.arg: ast.literal_eval(k.value) for k in node.keywords})
        out[fn.name] = found
    return out


def test_torch_script_uses_torch_optim_for_torch_forms_and_tensor_code_for_the_lecture():
    """Parsed (no torch needed), and every torch.optim call checked for class and arguments."""
    surface = surfaces.CATALOG["himmelblau"]
    runs = EVERY_OPTIMIZER + VARIANTS
    code = standalone.torch_script(surface=surface, runs=runs, title="test")
    calls = _torch_calls(code)
    assert len(calls) == len(runs)
    expected = {"gd": "torch.optim.SGD", "sgd": "torch.optim.SGD", "nesterov": "torch.optim.SGD",
                "adagrad": "torch.optim.Adagrad", "rmsprop": "torch.optim.RMSprop", "adam": "torch.optim.Adam",
                "adamw": "torch.optim.AdamW", "amsgrad": "torch.optim.Adam",
                "momentum": "tensor", "adagrad_lecture": "tensor", "rmsprop_lecture": "tensor", "newton": "tensor"}
    for i, (name, req) in enumerate(runs, 1):
        cls, kwargs = calls[f"run_{i}"]
        opt = req.optimizer()
        h = dict(opt.hyperparams)
        want = expected[req.opt_id]
        if req.opt_id in ("adam", "adamw") and not h["bias_correction"]:
            want = "tensor"  # torch has no switch for it: the rule as tensor code
        assert cls == want, name
        if cls == "tensor":
            continue
        assert kwargs["lr"] == opt.lr, name
        for key, value in kwargs.items():
            if key == "betas":
                assert tuple(value) == tuple(h["betas"]), name
            elif key == "amsgrad":
                assert value == (req.opt_id == "amsgrad" or h.get("amsgrad")), name
            elif key == "nesterov":
                assert value == (req.opt_id == "nesterov" or h.get("nesterov")), name
            else:
                assert value == h[key], (name, key)
    assert "import optim" not in code and "group[\"lr\"] = lr" in code
    assert "opt.step()" in code and "torch.float64" in code


def test_the_two_scripts_share_the_update_templates():
    """The torch script's tensor code is the NumPy script's update rule with torch in place of np."""
    surface = surfaces.CATALOG["saddle"]
    runs = [("m", RunRequest("momentum", {"lr": 0.01}, (1, 1), 5)),
            ("r", RunRequest("rmsprop_lecture", {"lr": 0.01}, (1, 1), 5))]
    np_code = standalone.numpy_script(surface=surface, runs=runs)
    torch_code = standalone.torch_script(surface=surface, runs=runs)
    for line in ("s['m'] = lam * s['m'] - lr * g", "s['sigma'] = xp.abs(g)"):
        assert line.replace("xp.", "np.") in np_code and line.replace("xp.", "torch.") in torch_code


def test_a_new_combination_of_parts_is_not_written_out_but_a_named_one_is():
    surface = surfaces.CATALOG["saddle"]
    named = optim.compose.decompose(optim.make("adam", lr=0.1)).to_dict()
    ok = [("adam from parts", RunRequest(COMPOSED, named, (1, 1), 5))]
    assert standalone.standalone_ok(ok, surface) is None
    new = optim.compose.parts("momentum", "adam", lr=0.1).to_dict()  # heavy ball with Adam's sigma: no name
    assert optim.compose.recognise(optim.compose.Parts.from_dict(new)) is None
    assert standalone.standalone_ok([("new", RunRequest(COMPOSED, new, (1, 1), 5))], surface) == "composed"


def test_text_in_the_script_cannot_end_its_docstring():
    surface = surfaces.CATALOG["saddle"]
    runs = [('a"""b\\', RunRequest("gd", {"lr": 0.01}, (1, 1), 3))]
    code = standalone.numpy_script(surface=surface, runs=runs, title='t"""', link='/x?a="""', note='n"""\\')
    tree = ast.parse(code)
    assert sum(isinstance(n, ast.Expr) for n in tree.body[:1]) == 1  # one module docstring, nothing after it ran
    assert "RUNS = [('a\"\"\"b\\\\', run_1)]" in code


# --- file names and metadata -----------------------------------------------------------------
def test_file_names_say_page_preset_and_date():
    day = dt.date(2026, 12, 2)
    assert exports.file_name("momentum", "momentum_two_dips", "html", day) == \
        "descent-lab_momentum_momentum_two_dips_2026-12-02.html"
    assert exports.file_name("playground", None, "csv", day) == "descent-lab_playground_2026-12-02.csv"
    assert exports.file_name("critical", None, "py", day, kind="numpy") == "descent-lab_critical_numpy_2026-12-02.py"
    assert exports.file_name("x", "../../etc passwd", "json", day) == "descent-lab_x_etc_passwd_2026-12-02.json"


def test_metadata_carries_surface_optimizers_schedule_noise_seed_version_and_link():
    source = exports.Source("rosenbrock", "", VARIANTS[:1])
    meta = exports.metadata(page="playground", preset=None, link="/playground?v=2&o1=adam", source=source)
    assert meta["surface"]["id"] == "rosenbrock" and "100" in meta["surface"]["formula"]
    assert meta["version"].startswith(exports.APP_VERSION) and meta["link"] == "/playground?v=2&o1=adam"
    path = meta["paths"][0]
    assert path["optimizer"] == "adam" and path["hyperparameters"]["lr"] == 0.1
    assert path["hyperparameters"]["betas"] == [0.9, 0.999] and path["hyperparameters"]["amsgrad"] is True
    assert path["schedule"] == {"kind": "cosine", "params": {}, "warmup": 20}
    assert path["noise"] == {"scale": 2.0, "batch": 3} and path["seed"] == 7 and path["steps"] == 150
    trajs = [req.run(surfaces.CATALOG["rosenbrock"]) for _, req in source.runs]
    data = json.loads(export.to_json(trajs, [n for n, _ in source.runs], meta=meta))
    assert data["meta"]["paths"][0]["optimizer"] == "adam"
    text = exports.csv_header(meta) + export.to_csv(trajs, [n for n, _ in source.runs])
    header = {line[2:].split(": ", 1)[0]: json.loads(line[2:].split(": ", 1)[1])
              for line in text.splitlines() if line.startswith("# ")}
    assert header["surface"]["id"] == "rosenbrock" and header["paths"][0]["seed"] == 7
    rows = list(csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#")))
    assert len(rows) == trajs[0].steps + 1


def test_typed_formula_metadata_is_the_formula_as_typed():
    source = exports.Source("custom", "(1 - w1*w2)^2", [("gd", RunRequest("gd", {"lr": 0.1}, (1, 2), 3))])
    meta = exports.metadata(page="playground", preset=None, link="/playground", source=source,
                            surface=surfaces.parse("(1 - w1*w2)^2"))
    assert meta["surface"]["formula"] == "(1 - w1*w2)^2" and meta["surface"]["variables"] == ["w1", "w2"]


def test_link_reproduces_the_view_without_presenter_mode():
    link = exports.link_of("momentum", {"preset": "momentum_two_dips", "present": "1", "lang": "zh", "v": "2"})
    assert link.startswith("/momentum?") and "present" not in link and "preset=momentum_two_dips" in link


def test_offline_html_of_the_critical_lab_has_a_legend_for_its_six_paths():
    from pages.lessons.critical import figures as CF
    from pages.lib.figures import PathView

    surface = surfaces.CATALOG["lecture"]
    xs, ys, Z = surface.grid(40)
    names = [f"({c}) path" for c in "abcdef"]
    paths = tuple(PathView(name=n, color="#000", points=np.array([[0.1 * i, 0.0], [0.1 * i, 0.1]]),
                           loss=np.zeros(2), lr=np.ones(1), effective_step=np.ones((1, 2)), grad_norm=np.ones(2),
                           status="budget", stop_step=1) for i, n in enumerate(names))
    fig = CF.lab_race_figure(xs, ys, Z, surface.window, False, paths, (), False)
    assert fig.to_dict()["layout"]["showlegend"] is False  # on the page the distance plot carries it
    spec = exports.with_legend(fig)
    assert spec["layout"]["showlegend"] is True
    shown = [t["name"] for t in spec["data"] if t.get("showlegend")]
    assert shown == names
    from pages.lib.exports import offline_html

    html = offline_html(spec)
    assert all(n in html for n in names) and '"showlegend":true' in html.replace(" ", "")
