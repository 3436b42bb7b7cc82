"""The real-network page (issue 13): every preset opens (en, zh, presenter mode), its claims hold on
the curves the page draws, the readout is the model's sentences computed from the real run, the
facts the sentences state are true of that run, and hostile link values fall back with the guard's
message.

The generic ``tests/test_preset_claims.py`` covers these presets too: this page's figures are not
animated races, so it decodes the curves by the names in their traces' meta (``pages.lib.claims.drawn_from_traces``).
Here the same claims are also evaluated on figures built directly from the model's runs (no
Streamlit), and the sentences' numbers are compared with the runs'.
"""

from __future__ import annotations

import functools
import json
import re

import numpy as np
import pytest

from optim.critical_nd import sharpness
from pages.lessons.network import figures as F
from pages.lessons.network import model as M
from pages.lessons.network import presets as PN
from pages.lib import claims, controls
from pages.lib.presets import PRESETS, presets_for
from pages.lib.text import COMMON, LANGS
from tests.conftest import app_test, classroom_run

pytestmark = pytest.mark.slow

PAGE_FILE = "pages/network.py"
IDS = [p.id for p in PN.PRESETS]


@functools.cache
def _result(section: str, args: tuple):
    if section == "stall":
        return M.run_stall(*args)
    if section == "ratio":
        return M.run_ratio()
    if section == "batch":
        return M.run_batch(*args)
    return M.run_scaling(*args)


def _view(preset_id: str, **override):
    params = {**PRESETS[preset_id].params, **override}
    setup = PN.setup(controls.values_from_params(PN.CONTROLS, params))
    return setup, _result(setup.section, setup.args)


def _figures(setup, res, lang="en"):
    a = setup.args
    if setup.section == "stall":
        return [F.stall_figure(res, lang)]
    if setup.section == "ratio":
        return [F.ratio_scatter(res, a[0], a[1], lang), F.ratio_histogram(res, a[0], a[1], lang)]
    if setup.section == "batch":
        return [F.batch_panel(res, field, lang) for field in ("sharpness", "test_loss")]
    return [F.scaling_figure(res, a[0], a[1], lang)]


def _texts(at) -> list[str]:
    return [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]


# --- the catalog ----------------------------------------------------------------------------------
def test_registered_with_its_presets():
    assert [p.id for p in presets_for("network")] == IDS
    assert M.MODEL.n_params == 129  # the intro and the page say "129 parameters", "2-32-1"
    for p in PN.PRESETS:
        values = controls.values_from_params(PN.CONTROLS, p.params)
        for key, raw in p.params.items():
            assert PN.CONTROLS[key].parse(raw) == values[key]


# --- claims on the model's own figures (no Streamlit) -------------------------------------------------
@pytest.mark.parametrize("preset_id", IDS)
def test_claims_hold_on_the_figures_of_the_real_runs(preset_id):
    preset = PRESETS[preset_id]
    setup, res = _view(preset_id)
    drawn = claims.drawn_from_traces([f.to_dict() for f in _figures(setup, res)])
    failed = [c.says for c in preset.claims if not c.check(drawn)]
    assert not failed, failed
    if preset.facts:
        filled = claims.fill(preset.watch[0], preset.facts, drawn)
        assert "{" not in filled and "nan" not in filled


# --- facts the readout states, checked against the runs -------------------------------------------------
def test_stall_is_not_a_critical_point():
    setup, res = _view("network_stall")
    ans = M.stall_answer(res)
    assert ans.verdict == "no" and (ans.a, ans.b) == (1200, 2000)
    assert ans.change < 0.10 and ans.gmin > 0.08 and ans.gmax / ans.gmin > 1.5
    assert ans.gref is not None and ans.gref < ans.gmin / 5
    assert res.lr * res.sharpness == pytest.approx(2.0, abs=0.1)


def test_stall_with_a_small_lr_is_not_called_a_stall_or_diverged_is_said():
    fast = M.run_stall(0.05, 300)
    assert M.stall_answer(fast).verdict == "moving"  # still going down at lr 0.05 after 300 steps
    blown = M.run_stall(1.0, 400)
    ans = M.stall_answer(blown)
    assert ans.verdict in ("diverged", "no", "moving")
    assert M.stall_sentences(blown, "zh")


def test_ratio_survey_facts():
    setup, res = _view("network_ratio")
    r, r0 = res.ratios(1e-6), res.ratios(0.0)
    assert res.n == 20 and 0.55 <= np.median(r) <= 0.66
    assert np.all(r0 >= r)
    assert min(s.n_negative for s in res.spectra(1e-6)) >= 30  # "no point is a local minimum"
    assert "critical" not in res.statuses and res.statuses.count("gradient-flat") >= 5  # "honestly: ..."
    assert np.all(res.grad_norms < res.start_grad_norms)
    assert np.median(res.ratios(1e-3)) < 0.3  # "the ratio depends on tau"


def test_batch_facts():
    setup, rows = _view("network_batch")
    assert all(r["status"] == "target" and r["train_loss"] <= M.BATCH["target"] for r in rows)  # same training loss
    m = M.batch_summary(rows)
    assert m.n == 3 and m.flatter == 3 and m.lower_test <= 1 and m.test_small >= 0.98 * m.test_large
    assert any("does **not** reproduce" in s for s in M.batch_sentences(rows, "en"))


def test_scaling_facts():
    setup, runs = _view("network_scaling")
    small = runs["small"]
    assert M.log_gap(runs["scaled"], small) < M.TRACK_GAP < 0.25 < M.log_gap(runs["unscaled"], small)
    assert M.log_gap(runs["nowarm"], small) < M.TRACK_GAP  # "warm-up is not needed at this size"
    assert 0.16 * M.initial_sharpness() < 2  # "... because eta is stable from the first step"
    assert M.initial_sharpness() == pytest.approx(sharpness(M.MODEL, M.data_for(M.SCALING_DATA), runs["small"].snapshots[0]))
    wide = M.run_scaling(16, 2)  # x16: the readout says it does not track, and why
    assert M.log_gap(wide["scaled"], wide["small"]) >= M.TRACK_GAP and 0.32 * M.initial_sharpness() > 2
    assert "does not track" in M.scaling_sentences(wide, 16, 2, "en")[-1]
    assert runs["scaled"].lr[0] == 0.0 and runs["scaled"].lr.max() == pytest.approx(0.16)
    assert runs["nowarm"].lr[0] == pytest.approx(0.16)


# --- the page ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("extra", [{}, {"lang": "zh"}, {"present": "1"}], ids=["en", "zh", "present"])
@pytest.mark.parametrize("preset_id", IDS)
def test_preset_opens_and_shows_the_models_readout(preset_id, extra):
    preset = PRESETS[preset_id]
    at = classroom_run(PAGE_FILE, preset, **extra)
    lang = extra.get("lang", "en")
    shown = _texts(at)
    assert not any("ignored" in t or "忽略" in t for t in shown), shown  # the preset's link is valid
    setup, res = _view(preset_id)
    for sentence in M.sentences(setup.section, res, setup.args, lang):
        assert f"- {sentence}" in shown, sentence
    watch = claims.fill(preset.watch[LANGS.index(lang)], preset.facts, claims.drawn_from_traces(
        [json.loads(c.proto.spec) for c in at.get("plotly_chart")]))
    assert any(watch in t for t in shown)
    assert len(at.get("plotly_chart")) == len(_figures(setup, res))


_ALLOWED_LATIN = {"tanh", "Hessian", "Newton", "Adam", "SGD", "sin", "cos", "max", "present", "Python", "SymPy"}


@pytest.mark.parametrize("preset_id", IDS)
def test_chinese_page_has_no_english_sentences(preset_id):
    at = classroom_run(PAGE_FILE, PRESETS[preset_id], lang="zh")
    texts = _texts(at) + [w.label for w in at.sidebar.number_input] + [at.selectbox(key="section").label]
    for t in texts:
        t = re.sub(r"<style>.*?</style>", " ", t, flags=re.S)  # the page's CSS is not text a reader sees
        t = re.sub(r"\]\([^)]*\)", "]", t)  # a link's address (ids in its query) is not text either
        words = {w for w in re.findall(r"[A-Za-z]{3,}", t)} - _ALLOWED_LATIN
        assert not words, (words, t)


HOSTILE = ("nan", "1e9", "-inf", "abc", "")


@pytest.mark.parametrize("key", list(PN.CONTROLS))
def test_hostile_values_fall_back_with_the_guards_message(key):
    control = PN.CONTROLS[key]
    for raw in HOSTILE:
        at = app_test(PAGE_FILE)
        at.query_params[key] = raw
        if key in PN.GROUPS["scaling"]:
            at.query_params["section"] = "scaling"  # the cheapest section; the control is made on every view
        at.run()
        assert not at.exception, (key, raw)
        note = COMMON["bad_value"][0].format(key=key)
        assert any(note in i.value for i in at.info), (key, raw, [i.value for i in at.info])
        widget = at.selectbox(key=key) if control.kind == "select" else at.number_input(key=key)
        assert widget.value == control.default, (key, raw, widget.value)


def test_changing_the_tolerance_updates_the_readout_from_the_same_survey():
    at = classroom_run(PAGE_FILE, PRESETS["network_ratio"])
    at.number_input(key="tol").set_value(1e-4).run()
    assert not at.exception
    setup, res = _view("network_ratio", tol="0.0001")
    for sentence in M.ratio_sentences(res, 1e-4, 20, "en"):
        assert f"- {sentence}" in _texts(at), sentence
    assert np.median(res.ratios(1e-4)) < np.median(res.ratios(1e-6))  # the ratio depends on tau
