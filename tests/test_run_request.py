"""The typed run request: one value per path, the cache key, and the one snippet generator."""

from __future__ import annotations

import numpy as np

import optim
import surfaces
from optim.request import NoiseSpec, RunRequest, ScheduleSpec, snippet


def test_a_request_is_a_hashable_value_and_runs_like_simulate():
    a = RunRequest("adam", {"lr": 0.05}, (0, 0), 50, ScheduleSpec("cosine", {}, 5), NoiseSpec(0.5, 2), seed=3)
    b = RunRequest("adam", (("lr", 0.05),), (0.0, 0.0), 50, ScheduleSpec("cosine", (), 5), NoiseSpec(0.5, 2), 3)
    assert a == b and hash(a) == hash(b)
    surface = surfaces.CATALOG["rosenbrock"]
    direct = optim.simulate(surface, optim.adam(lr=0.05), (0.0, 0.0), 50,
                            schedule=optim.schedules.build("cosine", 0.05, 50, warmup=5),
                            noise=optim.GradientNoise(scale=0.5, batch_size=2), seed=3)
    np.testing.assert_array_equal(a.run(surface).points, direct.points)


def test_the_snippet_reproduces_every_request_bit_for_bit():
    requests = [("gd", RunRequest("gd", {"lr": 0.01}, (-1.5, 2.5), 80)),
                ("multistep momentum", RunRequest("momentum", {"lr": 0.001, "momentum": 0.9}, (0.5, 1.0), 80,
                                                  ScheduleSpec("multistep", {"gamma": 0.2, "milestones": (3,)}))),
                ("noisy adam", RunRequest("adam", {"lr": 0.1}, (0.0, 0.0), 80, noise=NoiseSpec(2.0, 4), seed=9))]
    code = snippet(surface_id="rosenbrock", formula="", runs=requests, note="two lines\nof note")
    ns: dict = {}
    exec(compile(code, "<snippet>", "exec"), ns)  # our own generated code, in a test only
    surface = surfaces.CATALOG["rosenbrock"]
    assert list(ns["runs"]) == [name for name, _ in requests]
    for name, req in requests:
        np.testing.assert_array_equal(ns["runs"][name].points, req.run(surface).points, err_msg=name)
