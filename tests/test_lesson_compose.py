"""The "Build an optimizer" lesson without Streamlit (pages.lessons.compose): the controls-to-runs mapping,
the presets' claims on the runs their links give, the composed rule's LaTeX, the lecture-vs-PyTorch notes
and the readout sentences computed from the runs. The page itself: tests/test_compose_page.py."""

from __future__ import annotations

import numpy as np
import pytest

import optim
import surfaces
from optim import compose
from optim.request import COMPOSED, ScheduleSpec
from pages.lessons.compose import model as M
from pages.lessons.compose import presets as PC
from pages.lessons.compose.text import DIFFERENCES
from pages.lib import claims, controls
from pages.lib.text import LANGS


def _values(**override):
    return controls.values_from_params(PC.CONTROLS, {k: str(v) for k, v in override.items()})


def _runs(setup):
    surface = surfaces.CATALOG[setup.surface_id]
    return {spec.key: setup.request(spec).run(surface) for spec in setup.runs}


@pytest.mark.parametrize("preset", PC.PRESETS, ids=lambda p: p.id)
def test_every_claim_holds_on_the_runs_of_the_presets_link(preset):
    """The fast twin of tests/test_preset_claims.py: the same claims on the runs setup() gives (float32 as drawn)."""
    setup = PC.setup(controls.values_from_params(PC.CONTROLS, dict(preset.params)))
    runs = _runs(setup)
    drawn = claims.Drawn(tuple(s.key for s in setup.runs),
                         tuple(runs[s.key].points.astype(np.float32).astype(float) for s in setup.runs))
    failed = [c.says for c in preset.claims if not c.variant and not c.check(drawn)]
    assert preset.claims and not failed
    if preset.facts is not None:
        for lang, watch in zip(LANGS, preset.watch):
            assert "{" not in claims.fill(watch, preset.facts, drawn), lang


def test_setup_races_the_opponents_then_yours_on_top():
    setup = PC.setup(_values(m="ema", sigma="adam", lr=0.08, vs1="rmsprop_lecture", vs2="adam", vs3="adam", alpha=0.9))
    assert [s.key for s in setup.runs] == ["vs1", "vs2", "composed"]  # a repeated choice is raced once
    mine = setup.run("composed")
    assert mine.opt_id == COMPOSED and mine.dash == "dot" and mine.color == PC.COMPOSED_COLOR
    assert compose.recognise(setup.request(mine).optimizer()) == "adam"
    assert dict(setup.run("vs1").hyper) == {"lr": 0.08, "alpha": 0.9}
    assert dict(setup.run("vs2").hyper) == {"lr": 0.08, "beta1": 0.9, "beta2": 0.999}


def test_the_named_optimizers_keep_the_constant_eta_when_asked():
    on = PC.setup(_values(sched="cosine", warmup=20, vs1="adam"))
    off = PC.setup(_values(sched="cosine", warmup=20, vs1="adam", same_sched="false"))
    assert on.run("vs1").schedule == on.run("composed").schedule == ScheduleSpec("cosine", (), 20)
    assert off.run("vs1").schedule.is_constant and off.run("composed").schedule == ScheduleSpec("cosine", (), 20)


def test_newton_keeps_its_own_step_scale():
    setup = PC.setup(_values(vs1="newton", lr=0.3))
    assert "lr" not in dict(setup.run("vs1").hyper)


def test_every_option_of_every_picker_has_a_name_in_every_language():
    for lang in LANGS:
        for piece in PC.CONTROLS["m"].options:
            assert M.piece_name("m", piece, lang)
        for piece in PC.CONTROLS["sigma"].options:
            assert M.piece_name("sigma", piece, lang)
        for kind in PC.CONTROLS["sched"].options:
            assert M.schedule_name(kind, lang)
        for opt_id in PC.CONTROLS["vs1"].options:
            assert M.opponent_name(opt_id, lang)
    assert set(PC.M_CONTROLS) == set(PC.CONTROLS["m"].options)
    assert set(PC.SIGMA_CONTROLS) == set(PC.CONTROLS["sigma"].options)


@pytest.mark.parametrize("m", list(compose.M_PIECES))
@pytest.mark.parametrize("sigma", list(compose.SIGMA_PIECES))
def test_the_rule_shows_the_chosen_pieces(m, sigma):
    chosen = PC.parts_of(_values(m=m, sigma=sigma))
    tex = M.rule(chosen, ScheduleSpec("cosine", (), 10), 100)
    assert tex["step"] == compose.rule_lines(chosen)[-1] and tex["step"] in M.headline_latex(chosen)
    m_tex = compose.rule_lines(chosen)[0]
    assert all(line in m_tex for line in tex["m"])
    if sigma == "one":
        assert tex["sigma"] == [r"\sigma^{t} = 1"]
    else:
        assert all(line in chosen.sigma.latex for line in tex["sigma"][:-1])
        assert compose.EPS_PLACES["outside"]["latex"] in tex["sigma"][-1]
    assert r"\cos" in " ".join(tex["eta"]) and "W = 10" in " ".join(tex["eta"])


def test_latex_numbers_and_lines():
    assert M._tex_number(1e-8) == "10^{-8}" and M._tex_number(0.08) == "0.08" and M._tex_number(2e-10) == r"2 \cdot 10^{-10}"
    assert M._lines(r"b^{0} = g^{0},\ b^{t} = \lambda b^{t-1} + g^{t}") == [r"b^{0} = g^{0}", r"b^{t} = \lambda b^{t-1} + g^{t}"]
    assert M.schedule_latex(ScheduleSpec(), 0.05, 100) == r"\eta_t = \eta = 0.05"


@pytest.mark.parametrize("lang", LANGS)
def test_where_the_lecture_and_pytorch_differ(lang):
    i = LANGS.index(lang)
    assert M.differences(PC.parts_of(_values()), lang) == [M.T["no_difference"][i]]
    momentum = PC.parts_of(_values(m="momentum", sigma="rmsprop_lecture"))
    assert M.differences(momentum, lang) == [DIFFERENCES["m_momentum"][i], DIFFERENCES["s_rmsprop_lecture"][i]]
    inside = PC.parts_of(_values(m="ema", sigma="adam", eps_in="true"))
    assert DIFFERENCES["eps_inside"][i] in M.differences(inside, lang)


def test_what_the_named_optimizers_are_made_of():
    adam = M.made_of("adam", (("lr", 0.1),), "en")
    assert adam == "Adam (torch) = m: EMA of gradients (β1) · σ: Adam second moment (β2)"
    assert M.made_of("adamw", (("lr", 0.1),), "en").endswith("(+ weight decay 0.01, decoupled)")
    assert "cannot be built" in M.made_of("newton", (), "en") and "无法" in M.made_of("newton", (), "zh")
    assert "cannot be built" in M.made_of("adagrad", (("lr", 0.1), ("lr_decay", 0.1)), "en")


def test_the_schedule_note():
    assert M.schedule_note(ScheduleSpec(), "en") is None
    assert "60-step warm-up, then cosine decay" in M.schedule_note(ScheduleSpec("cosine", (), 60), "en")
    assert "60 步 warm-up" in M.schedule_note(ScheduleSpec("cosine", (), 60), "zh")


@pytest.mark.parametrize("lang", LANGS)
def test_the_readout_says_what_the_runs_did(lang):
    preset = next(p for p in PC.PRESETS if p.id == "compose_adam")
    setup = PC.setup(controls.values_from_params(PC.CONTROLS, dict(preset.params)))
    runs = _runs(setup)
    names = M.path_names(setup, lang)
    sentences = M.readout_sentences(setup, runs, names, surfaces.CATALOG[setup.surface_id], lang)
    same = [s for s in sentences if s.startswith(names["vs3"])]
    assert np.array_equal(runs["vs3"].points, runs["composed"].points)
    assert any(s == M.T["ro_same"][LANGS.index(lang)].format(name=names["vs3"], n=200) for s in same)
    gap = claims.largest_gap(runs["composed"].points, runs["vs1"].points)
    assert any(f"{gap:.3g}" in s for s in sentences if s.startswith(names["vs1"]))
    dx, dy = np.abs(runs["composed"].points[1] - runs["composed"].points[0])
    assert any(f"{dx:.3g}" in s and f"{dy:.3g}" in s for s in sentences)  # the first step, 0.08 = η each way
    assert dx == pytest.approx(0.08) and dy == pytest.approx(0.08)


def test_every_named_optimizer_can_race():
    for opt_id in optim.SPECS:
        setup = PC.setup(_values(vs1=opt_id, steps=20))
        assert setup.run("vs1").opt_id == opt_id
        _runs(setup)
