"""Property tests: whatever the widgets allow, the engine answers with a status, never an
exception or a RuntimeWarning (pytest.ini turns those into errors)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import optim
import surfaces

FORMULAS = ["(1 - x)^2 + 100*(y - x^2)^2", "x^2 - y^2", "x^3 - 3*x*y^2", "exp(x^2 + y^2)",
            "log(x) + y^2", "sqrt(x^2 + y^2)", "abs(x) + abs(y)", "x^4/4 - x^2 + 0.4*x + 0.5*y^2", "1/x + y"]


@st.composite
def configurations(draw):
    opt_id = draw(st.sampled_from(list(optim.SPECS)))
    hyper = {}
    for p in optim.SPECS[opt_id].params:
        if p.kind == "bool":
            hyper[p.name] = draw(st.booleans())
        elif p.kind == "int":
            hyper[p.name] = draw(st.integers(int(p.min), int(p.max)))
        else:
            hyper[p.name] = draw(st.floats(p.min, p.max))
    if opt_id == "sgd" and hyper["nesterov"] and (hyper["momentum"] == 0 or hyper["dampening"] != 0):
        hyper["nesterov"] = False  # torch's rule; make() raises ValueError for it (tested elsewhere)
    kind = draw(st.sampled_from(list(optim.schedules.SCHEDULES)))
    start = draw(st.tuples(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3)))
    noise = draw(st.one_of(st.none(), st.builds(optim.GradientNoise, st.floats(0, 100), st.integers(1, 256))))
    return opt_id, hyper, kind, start, noise, draw(st.sampled_from(FORMULAS)), draw(st.integers(0, 2**32 - 1))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configurations())
def test_simulate_never_raises_or_warns(config):
    opt_id, hyper, kind, start, noise, formula, seed = config
    opt = optim.make(opt_id, **hyper)
    steps = 60
    schedule = optim.schedules.build(kind, opt.lr, steps, warmup=5)
    run = optim.simulate(surfaces.parse(formula), opt, start, steps, schedule=schedule, noise=noise, seed=seed)
    assert run.status in ("converged", "diverged", "budget")
    assert run.points.shape == (run.steps + 1, 2) and run.update.shape == (run.steps, 2)
    assert np.isfinite(run.points[:-1]).all()  # only the step that broke may be non-finite
    if run.status == "diverged":
        assert run.message.startswith(f"diverged at step {run.stop_step}")
    fan = optim.simulate_many(surfaces.parse(formula), opt, np.array([start, (0.5, 0.5)]), steps,
                              schedule=schedule, noise=noise, seed=seed)
    assert set(fan.status) <= {"converged", "diverged", "budget"}
