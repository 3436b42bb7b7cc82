"""The pages' standalone "copy as Python" (issue 11): the NumPy and PyTorch scripts a page shows, run in a subprocess
with the repo off sys.path (``-I``, cwd a tmp dir), reproduces the page's runs (the runs of the page's
own repo snippet, which tests/test_exports.py and tests/test_classroom_pages.py prove equal to the page
bit for bit) to 1e-9, compared through the CSV export."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from optim import export
from pages.lib.presets import presets_for
from tests.conftest import app_test, need_torch, open_exports


def _page(page: str, params: dict):
    at = app_test(f"pages/{page}.py")
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    return open_exports(at, page)


def _scripts(at) -> tuple[str, str, str]:
    codes = [c.value for c in at.code]
    numpy_script = next(c for c in codes if "standalone NumPy script" in c.split("\n", 1)[0])
    torch_script = next(c for c in codes if "PyTorch script" in c.split("\n", 1)[0])
    repo = next(c for c in codes if "optim.simulate" in c)
    return numpy_script, torch_script, repo


CASES = {
    "playground": dict(surface="himmelblau", n="3", o1="adam", o2="momentum", o3="rmsprop_lecture", steps="80",
                       noise="2", batch="3", seed="11", sched="cosine", warmup="10"),
    "critical": {},
    "momentum": {"preset": presets_for("momentum")[0].id},
    "warmup": {"preset": presets_for("warmup")[0].id},
    "adaptive": {"preset": presets_for("adaptive")[0].id},
    "basins": {"preset": presets_for("basins")[0].id},
    "compose": {"preset": presets_for("compose")[-1].id},  # parts that ARE a named optimizer: written out
}


@pytest.mark.parametrize("page", list(CASES))
def test_the_pages_scripts_run_without_the_repo_and_match_its_csv(page, tmp_path):
    at = _page(page, CASES[page])
    numpy_script, torch_script, repo = _scripts(at)
    ns: dict = {"print": lambda *a, **k: None}
    exec(compile(repo, "<snippet>", "exec"), ns)  # our own generated code, in a test only
    names, runs = list(ns["runs"]), list(ns["runs"].values())
    (tmp_path / "page.csv").write_text("# link: \"/x\"\n" + export.to_csv(runs, names), encoding="utf-8")
    for script in (numpy_script, torch_script):
        if script is torch_script:
            ast.parse(torch_script)
            assert "torch.optim." in torch_script or "run_tensor(update" in torch_script
            need_torch()
        (tmp_path / "script.py").write_text(script, encoding="utf-8")
        done = subprocess.run([sys.executable, "-I", "script.py", "--compare", "page.csv", "--no-plot"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr + done.stdout
        assert "matches page.csv" in done.stdout
        assert f"/{page}?" in script  # the link that reproduces the view, in the docstring


def test_a_new_combination_of_parts_shows_why_and_keeps_the_repo_snippet():
    at = _page("compose", {"m": "momentum", "sigma": "adam"})  # heavy ball with Adam's sigma: no name
    codes = [c.value for c in at.code]
    assert not any("standalone NumPy script" in c for c in codes)
    assert any("optim.compose.build" in c for c in codes)
    assert any("No standalone script" in c.value for c in at.caption)


def test_the_batch_page_keeps_its_snippet_and_exports_metadata_of_its_training():
    at = _page("batch", {})
    assert any("simulate_minibatch" in c.value for c in at.code)
    assert not any("standalone NumPy script" in c.value for c in at.code)
