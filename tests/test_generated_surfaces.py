"""The generated surface ``network_slice`` (issue 13, claim 4): a real network's loss along a
plane, in the surface menus of the playground and the critical-point atlas, with exact
derivatives, its stored trained point reproducible from ``optim``, runs and exports like any
surface.

``python -m tests.test_generated_surfaces`` writes the stored trained point again (after a
deliberate change of ``surfaces.generated.SLICE_SETUP``).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import optim
import surfaces
from optim.request import RunRequest, snippet
from optim.standalone import standalone_ok
from optim.train import train
from pages.lib.presets import PRESETS
from pages.lib.text_names import surface_name
from surfaces import generated
from surfaces.network import MLP, make_data
from tests.conftest import app_test, classroom_run

SLICE = generated.NETWORK_SLICE


def retrained_theta() -> np.ndarray:
    setup = generated.SLICE_SETUP
    t = setup["train"]
    run = train(MLP(setup["sizes"]), make_data(**setup["data"]), optim.make(t["optimizer"], lr=t["lr"]),
                t["epochs"], t["batch_size"], seed=t["seed"])
    return np.asarray(run.final, dtype=float)


def test_the_stored_trained_point_is_what_optim_trains():
    stored = generated.stored_theta()
    assert stored.shape == (MLP(generated.SLICE_SETUP["sizes"]).n_params,) == (129,)
    np.testing.assert_allclose(stored, retrained_theta(), rtol=0, atol=1e-12)
    assert json.loads(generated.THETA_FILE.read_text())["setup"]["train"] == generated.SLICE_SETUP["train"]


def test_the_slice_is_a_surface_by_id_with_exact_derivatives():
    assert generated.SURFACE_IDS[-1] == SLICE and SLICE not in surfaces.CATALOG
    s = surfaces.get(SLICE)
    assert s is surfaces.get(SLICE)  # built once
    assert s.id == SLICE and s.title == generated.title(SLICE) and surface_name(SLICE, "zh") != s.title
    entry = generated.network_slice_entry()
    for a, b in [(0.0, 0.0), (0.9, 0.9), (-0.4, 0.7)]:
        np.testing.assert_allclose(s.grad(a, b), entry.projected_grad(a, b), rtol=0, atol=1e-8)
    # the centre is the trained point: its loss is the training loss there
    assert float(s.f(0, 0)) == pytest.approx(entry.model.loss(generated.stored_theta(), entry.x, entry.y), abs=1e-12)
    with pytest.raises(KeyError):
        surfaces.get("no_such_surface")
    # shown in closed form, never printed out in full (768 tanh terms)
    assert not s.printable and "d_1" in s.gradient_latex and len(s.latex) < 400


def test_the_atlas_finds_two_minima_and_a_saddle_in_the_plane():
    atlas = surfaces.critical_points(surfaces.get(SLICE))
    kinds = sorted(p.kind for p in atlas.points)
    assert kinds == ["minimum", "minimum", "saddle"]
    assert not atlas.degraded  # no polynomial: no algebra to wait for
    trained = [p for p in atlas.points if p.kind == "minimum" and np.hypot(p.x, p.y) < 0.01]
    assert len(trained) == 1  # theta* itself is a minimum of the plane


def test_runs_snippet_and_exports_of_the_slice():
    req = RunRequest("adam", {"lr": 0.05}, (0.9, 0.9), 100)
    run = req.run(surfaces.get(SLICE))
    assert run.loss[-1] < run.loss[0]
    code = snippet(surface_id=SLICE, formula="", runs=[("Adam", req)])
    assert "surfaces.get('network_slice')" in code
    scope: dict = {}
    exec(compile(code, "<snippet>", "exec"), scope)  # the repository snippet reproduces the run bit for bit
    np.testing.assert_array_equal(scope["runs"]["Adam"].points, run.points)
    assert standalone_ok([("Adam", req)], surfaces.get(SLICE)) == "surface"  # too large to write out


@pytest.mark.parametrize("page", ["playground", "critical"])
def test_the_slice_is_in_the_surface_menu_and_opens_by_link(page):
    at = app_test(f"pages/{page}.py")
    at.query_params["surface"] = SLICE
    at.run()
    assert not at.exception and not at.error
    menu = next(sb for sb in at.selectbox if sb.value == SLICE)
    assert generated.title(SLICE) in menu.options  # AppTest lists the options as shown
    assert at.query_params.get("surface") in (SLICE, [SLICE])


def test_chinese_names_the_slice():
    preset = PRESETS["network_slice_race"]
    at = classroom_run("pages/playground.py", preset, lang="zh")
    menu = next(sb for sb in at.selectbox if sb.value == SLICE)
    assert surface_name(SLICE, "zh") in menu.options  # AppTest lists the options as shown


if __name__ == "__main__":
    theta = retrained_theta()
    generated.THETA_FILE.write_text(json.dumps({"setup": generated.SLICE_SETUP, "theta": [float(v) for v in theta]},
                                               indent=0) + "\n")
    print(f"wrote {generated.THETA_FILE} ({len(theta)} numbers)")
