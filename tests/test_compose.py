"""optim.compose: the lecture's three parts (m, sigma, eta_t) rebuild every named optimizer they
can express, bit for bit; recognition names the combination; new combinations run."""

from __future__ import annotations

import numpy as np
import pytest

import optim
import surfaces
from optim import compose as C

STEPS = 1000
SURFACES = ["rosenbrock", "himmelblau", "tilted_valley"]

# Every named optimizer the parts can express, at its defaults and at the settings that change
# which pieces are used (weight decay, dampening, no bias correction, AMSGrad, ...).
EXPRESSIBLE = {
    "gd": optim.gd(lr=1e-3),
    "sgd": optim.sgd(lr=1e-3),
    "sgd_momentum_dampening_wd": optim.sgd(lr=1e-3, momentum=0.9, dampening=0.1, weight_decay=0.01),
    "sgd_nesterov": optim.sgd(lr=1e-3, momentum=0.8, nesterov=True),
    "nesterov": optim.nesterov(lr=1e-3, momentum=0.9, weight_decay=0.01),
    "momentum": optim.momentum(lr=1e-3, momentum=0.9),
    "adagrad": optim.adagrad(lr=0.1),
    "adagrad_acc_wd": optim.adagrad(lr=0.1, initial_accumulator_value=0.1, weight_decay=0.01),
    "adagrad_lecture": optim.adagrad_lecture(lr=0.05),
    "rmsprop": optim.rmsprop(lr=1e-2),
    "rmsprop_wd": optim.rmsprop(lr=1e-2, alpha=0.9, weight_decay=0.01),
    "rmsprop_lecture": optim.rmsprop_lecture(lr=1e-2, alpha=0.9),
    "adam": optim.adam(lr=0.05),
    "adam_no_bias_wd": optim.adam(lr=0.05, weight_decay=0.01, bias_correction=False),
    "adam_amsgrad": optim.adam(lr=0.05, amsgrad=True),
    "adamw": optim.adamw(lr=0.05),
    "adamw_amsgrad_no_bias": optim.adamw(lr=0.05, amsgrad=True, bias_correction=False),
    "amsgrad": optim.amsgrad(lr=0.05, betas=(0.8, 0.99)),
}

# The named optimizers of optim.OPTIMIZERS the parts CANNOT express, kept explicit.
NOT_EXPRESSIBLE_IDS = ["newton"]
NOT_EXPRESSIBLE_SETTINGS = [
    optim.newton(),
    optim.rmsprop(momentum=0.9),
    optim.rmsprop(centered=True),
    optim.adagrad(lr_decay=0.01),
]

SCHEDULES = {
    "constant": lambda lr: None,
    "warmup_cosine": lambda lr: optim.schedules.build("cosine", lr, STEPS, warmup=100),
}


def test_every_named_optimizer_is_either_expressible_or_listed():
    covered = {opt.id for opt in EXPRESSIBLE.values()}
    assert covered | set(NOT_EXPRESSIBLE_IDS) == set(optim.OPTIMIZERS)
    assert not covered & set(NOT_EXPRESSIBLE_IDS)
    assert set(optim.SPECS) == set(optim.OPTIMIZERS)


@pytest.mark.parametrize("surface_id", SURFACES)
@pytest.mark.parametrize("schedule", SCHEDULES)
@pytest.mark.parametrize("label", EXPRESSIBLE)
def test_composed_equals_named_over_1000_steps(label, schedule, surface_id):
    named = EXPRESSIBLE[label]
    surface = surfaces.CATALOG[surface_id]
    composed = C.build(C.decompose(named))
    assert composed.id == "composed"
    sched = SCHEDULES[schedule](named.lr)
    start = surface.starts[0]
    a = optim.simulate(surface, named, start, STEPS, schedule=sched)
    b = optim.simulate(surface, composed, start, STEPS, schedule=sched)
    assert (a.steps, a.status) == (b.steps, b.status)
    np.testing.assert_allclose(b.points, a.points, rtol=0, atol=1e-12)
    np.testing.assert_allclose(b.update, a.update, rtol=0, atol=1e-12)
    if "sigma" in a.state:  # the views agree too (what a lesson plots)
        np.testing.assert_allclose(b.state["sigma"], a.state["sigma"], rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("label", EXPRESSIBLE)
def test_recognition_names_the_optimizer_with_hyperparameters_that_reproduce_it(label):
    named = EXPRESSIBLE[label]
    found = C.identify(C.decompose(named))
    assert found is not None
    rid, hyper = found
    assert C.recognise(C.decompose(named)) == rid
    rebuilt = optim.OPTIMIZERS[rid](**hyper)
    # the recognised name is the optimizer's own id, except where two names are the same rule
    assert rid == named.id or (named.id, rid) in {("sgd", "gd"), ("adam", "amsgrad"), ("sgd", "nesterov")}
    schedule = optim.schedules.build("cosine", named.lr, 300, warmup=30)
    s = surfaces.CATALOG["himmelblau"]
    a = optim.simulate(s, named, (0.5, -0.5), 300, schedule=schedule)
    b = optim.simulate(s, rebuilt, (0.5, -0.5), 300, schedule=schedule)
    np.testing.assert_array_equal(a.points, b.points)


@pytest.mark.parametrize("named", NOT_EXPRESSIBLE_SETTINGS, ids=lambda o: f"{o.id}-{dict(o.hyperparams)}")
def test_not_expressible_settings_have_no_parts(named):
    assert C.decompose(named) is None
    with pytest.raises(ValueError):
        C.recognise(named)


def test_not_expressible_list_is_documented():
    assert "newton" in C.NOT_EXPRESSIBLE
    assert set(C.NOT_EXPRESSIBLE) >= {"rmsprop(momentum>0)", "rmsprop(centered=True)", "adagrad(lr_decay>0)"}


@pytest.mark.parametrize("m, sigma, expected", [
    ("grad", "one", "gd"),
    (C.m_piece("heavy_ball", momentum=0.9), "one", "sgd"),
    (C.m_piece("heavy_ball", momentum=0.0, dampening=0.5), "one", "gd"),  # torch: no buffer without momentum
    ("nesterov", "one", "nesterov"),
    ("momentum", "one", "momentum"),
    ("grad", "adagrad", "adagrad"),
    ("grad", "adagrad_mean", "adagrad_lecture"),
    ("grad", "rmsprop", "rmsprop"),
    ("grad", "rmsprop_lecture", "rmsprop_lecture"),
    ("ema", "adam", "adam"),
    ("ema", "amsgrad", "amsgrad"),
    # Adam's second moment without bias correction IS torch RMSprop's sigma (alpha = beta2)
    ("grad", C.sigma_piece("adam", beta2=0.95, bias_correction=False), "rmsprop"),
    (C.m_piece("ema", bias_correction=False), "rmsprop", "adam"),
    # new combinations
    ("nesterov", "amsgrad", None),
    ("momentum", "rmsprop_lecture", None),
    ("ema", "one", None),
    ("heavy_ball", "adam", None),
    ("ema", "adagrad_mean", None),
    (C.m_piece("ema", bias_correction=True), C.sigma_piece("adam", bias_correction=False), None),
])
def test_recognise(m, sigma, expected):
    assert C.recognise(C.parts(m, sigma, lr=0.01)) == expected
    assert C.recognise(C.compose(m, sigma, lr=0.01)) == expected  # also from the built optimizer


def test_recognise_reports_the_hyperparameters():
    rid, hyper = C.identify(C.parts("grad", C.sigma_piece("adam", beta2=0.95, bias_correction=False), 1e-6, lr=0.02))
    assert rid == "rmsprop"
    assert hyper == {"lr": 0.02, "alpha": 0.95, "eps": 1e-6, "weight_decay": 0.0, "momentum": 0.0, "centered": False}
    rid, hyper = C.identify(C.parts(C.m_piece("ema", beta1=0.8), C.sigma_piece("adam", beta2=0.99), lr=0.1,
                                    weight_decay=0.02, decoupled=True))
    assert rid == "adamw"
    assert hyper["betas"] == (0.8, 0.99) and hyper["weight_decay"] == 0.02


def test_where_eps_sits_and_weight_decay_change_the_recognition():
    assert C.recognise(C.parts("ema", "adam", 1e-8, eps_inside=True)) is None  # torch adds eps after the root
    assert C.recognise(C.parts("ema", "adam", 0.0, eps_inside=True)) == "adam"  # no eps: the same numbers
    assert C.recognise(C.parts("grad", "one", weight_decay=0.1)) == "sgd"
    assert C.recognise(C.parts("grad", "one", weight_decay=0.1, decoupled=True)) is None
    assert C.recognise(C.parts("momentum", "one", weight_decay=0.1)) is None  # the lecture's has no weight decay
    assert C.recognise(C.parts("grad", "rmsprop_lecture", weight_decay=0.1)) is None
    assert C.recognise(C.parts("grad", "rmsprop", weight_decay=0.1, decoupled=True)) is None  # only AdamW decouples
    assert C.recognise(C.parts("ema", "adam", weight_decay=0.1, decoupled=True)) == "adamw"
    assert C.recognise(C.parts("ema", "adam", weight_decay=0.1)) == "adam"


def test_eps_inside_the_root_changes_the_path():
    s = surfaces.CATALOG["himmelblau"]
    out = optim.simulate(s, C.compose("grad", "rmsprop", 1e-2, lr=0.05), (0.0, 0.0), 200)
    inside = optim.simulate(s, C.compose("grad", "rmsprop", 1e-2, lr=0.05, eps_inside=True), (0.0, 0.0), 200)
    assert np.abs(out.points - inside.points).max() > 1e-6
    # the first step: -lr g / sqrt((1-a) g^2 + eps) inside, -lr g / (sqrt((1-a) g^2) + eps) outside
    g = s.grad(0.0, 0.0)
    np.testing.assert_allclose(inside.update[0], -0.05 * g / np.sqrt(0.01 * g * g + 1e-2), rtol=1e-13)
    np.testing.assert_allclose(out.update[0], -0.05 * g / (np.sqrt(0.01 * g * g) + 1e-2), rtol=1e-13)


def test_lecture_momentum_and_torch_heavy_ball_differ_under_a_schedule():
    s = surfaces.CATALOG["himmelblau"]
    lecture = C.compose(C.m_piece("momentum", momentum=0.9), "one", lr=2e-3)
    torch_form = C.compose(C.m_piece("heavy_ball", momentum=0.9), "one", lr=2e-3)
    assert (C.recognise(lecture), C.recognise(torch_form)) == ("momentum", "sgd")
    const = [optim.simulate(s, o, (0.0, 0.0), 300) for o in (lecture, torch_form)]
    np.testing.assert_allclose(const[0].points, const[1].points, rtol=1e-9, atol=1e-10)
    sched = optim.schedules.build("cosine", 2e-3, 300, warmup=50)
    varying = [optim.simulate(s, o, (0.0, 0.0), 300, schedule=sched) for o in (lecture, torch_form)]
    assert np.abs(varying[0].points - varying[1].points).max() > 1e-3


def test_a_new_combination_runs_and_is_reported_as_new():
    opt = C.compose("nesterov", "amsgrad", lr=0.05)
    assert C.recognise(opt) is None
    assert "new combination" in opt.note
    assert C.describe(C.parts("nesterov", "amsgrad"), "zh").startswith("新的组合")
    s = surfaces.CATALOG["himmelblau"]
    run = optim.simulate(s, opt, (0.0, 0.0), 2000)
    assert run.status == "converged" and np.isfinite(run.points).all()
    assert run.loss[-1] < 1e-12 and run.loss[0] == 170.0
    assert "sigma" in run.state and (run.state["sigma"] >= 0).all()
    # and it is neither of its neighbours
    for other in (optim.nesterov(lr=0.05), optim.amsgrad(lr=0.05)):
        pts = optim.simulate(s, other, (0.0, 0.0), 50).points
        assert np.abs(pts - run.points[: len(pts)]).max() > 1e-6


@pytest.mark.parametrize("kind", sorted(optim.schedules.SCHEDULES))
def test_every_schedule_kind_with_warmup(kind):
    s = surfaces.CATALOG["himmelblau"]
    for named in (optim.adam(lr=0.05), optim.momentum(lr=2e-3), optim.rmsprop_lecture(lr=0.02)):
        sched = optim.schedules.build(kind, named.lr, 300, warmup=40)
        a = optim.simulate(s, named, (0.0, 0.0), 300, schedule=sched)
        b = optim.simulate(s, C.build(C.decompose(named)), (0.0, 0.0), 300, schedule=sched)
        np.testing.assert_array_equal(a.points, b.points)


def test_composed_runs_vectorized_like_the_named():
    s = surfaces.CATALOG["himmelblau"]
    starts = np.random.default_rng(0).uniform(-5, 5, (64, 2))
    for named in (optim.adam(lr=0.05), optim.nesterov(lr=1e-3), optim.adagrad_lecture(lr=0.1)):
        a = optim.simulate_many(s, named, starts, 300)
        b = optim.simulate_many(s, C.build(C.decompose(named)), starts, 300)
        np.testing.assert_array_equal(a.points, b.points)


def test_parts_round_trip_through_a_flat_dict():
    p = C.parts(C.m_piece("ema", beta1=0.8, bias_correction=False), C.sigma_piece("amsgrad", beta2=0.99), 1e-7,
                lr=0.03, eps_inside=True, weight_decay=0.01, decoupled=True)
    flat = p.to_dict()
    assert flat["m"] == "ema" and flat["m.beta1"] == 0.8 and flat["sigma.beta2"] == 0.99
    assert C.Parts.from_dict(flat) == p
    opt = C.compose(p)
    assert dict(opt.hyperparams) == flat and opt.lr == 0.03
    assert C.Parts.from_dict({"m": "ema", "sigma": "adam"}).eps == 1e-8  # eps defaults per sigma piece
    with pytest.raises(ValueError):
        C.Parts.from_dict({"m": "ema", "colour": "red"})
    # link text: numbers and flags as strings
    text = {k: str(v).lower() for k, v in flat.items()}
    assert C.Parts.from_dict(text) == p
    assert C.Parts.from_dict({"m": "ema", "m.bias_correction": "false", "sigma": "adam",
                              "sigma.bias_correction": "False", "eps_inside": "0"}).eps_inside is False
    assert C.recognise(C.Parts.from_dict({"m": "ema", "m.bias_correction": "false", "sigma": "adam",
                                          "sigma.bias_correction": "false"})) == "adam"
    with pytest.raises(ValueError):
        C.Parts.from_dict({"m": "ema", "m.bias_correction": "maybe"})


def test_pieces_validate_their_parameters():
    with pytest.raises(ValueError):
        C.m_piece("ema", beta1=1.0)
    with pytest.raises(ValueError):
        C.m_piece("ema", gamma=0.3)
    with pytest.raises(ValueError):
        C.sigma_piece("sgd")
    with pytest.raises(ValueError):
        C.parts("ema", "adam", eps=-1.0)
    with pytest.raises(ValueError):
        C.parts("adam", "ema")  # kinds swapped
    # widget bounds are not clipping: alpha 0.3 is a valid torch RMSprop and keeps its exact parts
    p = C.decompose(optim.rmsprop(lr=0.01, alpha=0.3))
    assert p.sigma.params["alpha"] == 0.3


def test_table_is_plain_data_for_the_ui():
    for table in (C.M_PIECES, C.SIGMA_PIECES):
        for pid, entry in table.items():
            assert pid.isidentifier()
            assert entry["en"] and entry["zh"] and entry["latex"]
            assert all(isinstance(p, optim.Param) for p in entry["params"])
    assert all("eps" in e for e in C.SIGMA_PIECES.values())
    # the list
    assert {"grad", "momentum", "heavy_ball", "nesterov", "ema"} <= set(C.M_PIECES)
    assert {"one", "adagrad", "adagrad_mean", "rmsprop_lecture", "rmsprop", "adam", "amsgrad"} <= set(C.SIGMA_PIECES)
    assert set(C.NAMED) == set(optim.OPTIMIZERS) - set(NOT_EXPRESSIBLE_IDS)


def test_latex_and_docstring_carry_the_chosen_pieces():
    opt = C.compose(C.m_piece("ema", bias_correction=True), "adam", lr=0.01)
    assert r"\beta_1" in opt.latex and r"\beta_2" in opt.latex and r"\frac{\eta_t}{\sigma^{t} + \epsilon}" in opt.latex
    assert C.M_PIECES["ema"]["latex"] in opt.update.__doc__
    assert C.SIGMA_PIECES["adam"]["latex"] in opt.update.__doc__
    inside = C.compose("grad", "rmsprop", eps_inside=True)
    assert r"\sqrt{(\sigma^{t})^2 + \epsilon}" in inside.latex
    lecture = C.compose("momentum", "one")
    assert r"\theta^{t+1} = \theta^{t} + m^{t+1}" in lecture.latex
    assert "=" in C.compose("ema", "adam").name and "Adam" in C.compose("ema", "adam").name
    assert C.compose.__doc__ and "eta_t" in C.__doc__ and "ema" in C.__doc__
