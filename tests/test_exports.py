"""Exports: per-step CSV/JSON round-trip the trajectories; the Python snippet reproduces the page."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

import optim
import surfaces
from optim import export
from tests.conftest import app_test, open_exports


def _runs():
    surface = surfaces.CATALOG["rosenbrock"]
    a = optim.simulate(surface, optim.make("adam", lr=0.05), (-1.5, 2.5), 40)
    b = optim.simulate(surface, optim.make("momentum", lr=0.0005), (-1.5, 2.5), 25,
                       noise=optim.GradientNoise(scale=1.0, batch_size=4), seed=3)
    return [a, b], ["adam", "momentum"]


def test_csv_has_every_step_of_every_path_and_round_trips_exactly():
    runs, names = _runs()
    rows = list(csv.DictReader(io.StringIO(export.to_csv(runs, names))))
    assert len(rows) == sum(r.steps + 1 for r in runs)
    for run, name in zip(runs, names):
        mine = [r for r in rows if r["path"] == name]
        xs = np.array([float(r["x"]) for r in mine])
        assert np.array_equal(xs, run.points[:, 0])  # repr'd floats: exact
        lrs = np.array([float(r["lr"]) for r in mine[:-1]])
        assert np.array_equal(lrs, run.lr)
        assert mine[-1]["lr"] == ""  # the last iterate has no update
        ups = np.array([float(r["update_y"]) for r in mine[:-1]])
        assert np.array_equal(ups, run.update[:, 1])
    assert "m_x" in rows[0] or any(k.startswith("m_") for k in rows[0])  # optimizer state exported


def test_json_round_trips_and_carries_status():
    runs, names = _runs()
    data = json.loads(export.to_json(runs, names, meta={"surface": "rosenbrock"}))
    assert data["meta"]["surface"] == "rosenbrock"
    assert [p["name"] for p in data["paths"]] == names
    for run, path in zip(runs, data["paths"]):
        assert path["status"] == run.status and len(path["steps"]) == run.steps + 1
        assert np.array_equal([s["loss"] for s in path["steps"]], run.loss)


def test_non_finite_values_become_null_not_invalid_json():
    surface = surfaces.CATALOG["elongated_bowl"]
    run = optim.simulate(surface, optim.make("gd", lr=1.0), (-3.5, 1.2), 500)
    assert run.status == "diverged"
    text = export.to_json([run], ["gd"])
    assert "NaN" not in text and "Infinity" not in text
    json.loads(text)


def test_copy_as_python_reproduces_the_page_bit_for_bit():
    at = app_test("pages/playground.py")
    for k, v in dict(surface="Himmelblau", n="2", o1="Adam (torch)", o2="Momentum (lecture)", steps="80",
                     noise="2", batch="3", seed="11", sched="Cosine decay", warmup="10").items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    at = open_exports(at, "playground")
    snippet = next(c.value for c in at.code if "optim.simulate" in c.value)
    namespace: dict = {"print": lambda *a, **k: None}
    exec(compile(snippet, "<snippet>", "exec"), namespace)  # our own generated code, in a test
    table = at.dataframe[0].value
    for i, (name, run) in enumerate(namespace["runs"].items()):
        assert table.iloc[i, 0] == name
        assert table.iloc[i, 2] == f"{run.loss[-1]:.5g}"
        assert table.iloc[i, 3] == run.steps
    # and the snippet's runs equal a direct call with the same arguments, exactly
    surface = surfaces.CATALOG["himmelblau"]
    opt = optim.make("adam", lr=0.1)
    direct = optim.simulate(surface, opt, np.zeros(2), 80, noise=optim.GradientNoise(scale=2.0, batch_size=3),
                            seed=11, schedule=optim.schedules.build("cosine", opt.lr, 80, warmup=10))
    first = next(iter(namespace["runs"].values()))
    assert np.array_equal(first.points, direct.points)


@pytest.mark.parametrize("page", ["playground", "momentum", "critical", "network"])
def test_the_export_panel_is_built_only_once_opened(page, monkeypatch):
    """A visit that does not open "Export" does not generate (or send) the scripts: highlighting
    them cost the browser ~1 s before the first plot (docs/performance.md, "First plot")."""
    from optim import standalone

    calls = []
    real = standalone.numpy_script
    monkeypatch.setattr(standalone, "numpy_script", lambda *a, **k: calls.append(1) or real(*a, **k))
    at = app_test(f"pages/{page}.py")
    at.run()
    assert not at.exception
    assert "Export" in [e.label for e in at.expander]
    assert not at.get("download_button") and not calls
    assert len(at.code) == 1  # only the link box
    at = open_exports(at, page)
    assert at.get("download_button") and len(at.code) > 1
    assert bool(calls) == (page != "network")  # the network page exports its own snippet, no scripts
