"""The "Build an optimizer" page (issue 14): every preset opens in English, Chinese and presenter mode;
the recognition line on screen is optim.compose's recognition of the parts the page chose; the LaTeX shown
holds the chosen pieces; the readout's sentences are true of the drawn paths; "copy as Python" reproduces
the drawn paths bit for bit; hostile link values fall back with the guard's note."""

from __future__ import annotations

import numpy as np
import pytest

from optim import compose
from pages.lessons.compose import model as M
from pages.lessons.compose import presets as PC
from pages.lib import claims, controls
from pages.lib.presets import presets_for
from pages.lib.registry import SCHEMA_VERSION
from tests.conftest import animated_spec, app_test, classroom_run, open_exports

PAGE_FILE = "pages/compose.py"
PRESETS = presets_for("compose")


def _open(params: dict, **extra):
    """The page opened with a link of exactly these parameters (no preset named)."""
    at = app_test(PAGE_FILE)
    for key, value in {"v": SCHEMA_VERSION, **params, **extra}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def _recognition_shown(at) -> str:
    lines = [s.value for s in at.success] + [i.value for i in at.info]
    texts = list(compose.RECOGNITION_TEXT["en"].values()) + list(compose.RECOGNITION_TEXT["zh"].values())
    heads = [t.split("{")[0] for t in texts]
    return next(v for v in lines if any(v.startswith(h) for h in heads))


def _parts_of(params: dict) -> compose.Parts:
    return PC.parts_of(controls.values_from_params(PC.CONTROLS, params))


def test_the_page_has_the_lecture_steps_as_presets():
    assert [p.id for p in PRESETS] == ["compose_gd", "compose_momentum", "compose_rmsprop", "compose_adam",
                                       "compose_schedule"]


@pytest.mark.parametrize("extra", [{}, {"lang": "zh"}, {"present": "1"}], ids=["en", "zh", "present"])
@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.id)
def test_every_preset_opens_and_shows_its_recognition_and_pieces(preset, extra):
    at = classroom_run(PAGE_FILE, preset, **extra)
    lang = extra.get("lang", "en")
    chosen = _parts_of(dict(preset.params))
    assert _recognition_shown(at) == compose.describe(chosen, lang)
    shown = " ".join(x.value for x in at.latex)
    assert compose.rule_lines(chosen)[-1] in shown  # the step with the chosen pieces
    if not extra.get("present"):  # the pieces' own rules sit beside their pickers
        for line in M.rule(chosen, PC.setup(controls.values_from_params(PC.CONTROLS, dict(preset.params))).run("composed").schedule,
                           int(preset.params["steps"]))["m"]:
            assert line in shown
    assert not [i for i in at.info if "ignored" in i.value or "忽略" in i.value]
    if lang == "zh":
        readout = [m.value for m in at.markdown if m.value.startswith("- ")]
        assert readout and all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in readout)
    if extra.get("present"):
        assert any("stSidebar" in m.value and "display: none" in m.value for m in at.markdown)
        assert not at.code


HAND_PICKED = [  # (link parameters, the named optimizer they are, or None: a new combination)
    ({"m": "ema", "sigma": "adam", "lr": "0.1"}, "adam"),
    ({"m": "grad", "sigma": "rmsprop_lecture", "alpha": "0.9", "lr": "0.1"}, "rmsprop_lecture"),
    ({"m": "ema", "m_bc": "false", "sigma": "adam", "s_bc": "false"}, "adam"),  # torch Adam without bias correction
    ({"m": "heavy_ball", "lam": "0.8", "sigma": "one"}, "sgd"),
    ({"m": "grad", "sigma": "adam", "s_bc": "false", "beta2": "0.99"}, "rmsprop"),  # Adam's v is torch RMSprop's
    ({"m": "momentum", "sigma": "rmsprop_lecture"}, None),  # the lecture's two pieces: nobody's optimizer
    ({"m": "ema", "sigma": "adagrad_mean"}, None),
    ({"m": "ema", "sigma": "adam", "eps_in": "true"}, None),  # eps inside the root: TF1, not torch
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("params, named", HAND_PICKED, ids=lambda v: str(v))
def test_the_recognition_line_is_optim_compose_recognise(params, named, lang):
    chosen = _parts_of(params)
    assert compose.recognise(chosen) == named
    at = _open(params, lang=lang)
    shown = _recognition_shown(at)
    assert shown == compose.describe(chosen, lang)
    if named is None:
        assert not at.success and shown == compose.RECOGNITION_TEXT[lang]["new"]
    else:
        assert [s.value for s in at.success] == [shown] and M.named_title(named, lang) in shown
    latex = " ".join(x.value for x in at.latex)
    assert compose.rule_lines(chosen)[-1] in latex


HOSTILE = [  # the guard's note lists at most six parameters: two links
    {"m": "__import__('os')", "sigma": "adam'); drop", "lr": "inf", "vs1": "nope", "eps": "-1", "zzz": "1"},
    {"steps": "1e309", "sched": "<script>", "beta2": "nan", "warmup": "-5", "m_bc": "maybe", "surface": "../../etc"},
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("hostile", HOSTILE, ids=["parts", "schedule"])
def test_hostile_link_values_fall_back_to_the_defaults_with_the_guards_note(hostile, lang):
    at = _open(hostile, lang=lang)
    notes = [i.value for i in at.info if "ignored" in i.value or "无效" in i.value]
    assert len(notes) == 1
    for key in hostile:
        assert f"'{key}'" in notes[0]
    defaults = {k: c.default for k, c in PC.CONTROLS.items()}
    assert _recognition_shown(at) == compose.describe(PC.parts_of(defaults), lang)  # gradient descent, default lr
    drawn = claims.drawn_from_spec(animated_spec(at))
    assert len(drawn.points[-1]) == PC.CONTROLS["steps"].default + 1


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.id)
def test_copy_as_python_reproduces_the_drawn_paths_bit_for_bit(preset):
    at = open_exports(classroom_run(PAGE_FILE, preset), "compose")
    snippet = next(c.value for c in at.code if "optim.simulate" in c.value)
    ns: dict = {}
    exec(compile(snippet, "<snippet>", "exec"), ns)  # our own generated code, in a test only
    drawn = claims.drawn_from_spec(animated_spec(at))
    assert list(ns["runs"]) == list(drawn.names) and drawn.names
    for (name, run), points in zip(ns["runs"].items(), drawn.points):
        np.testing.assert_array_equal(run.points.astype(np.float32).astype(float), points, err_msg=name)


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.id)
def test_the_readout_is_true_of_the_drawn_paths(preset):
    """Each readout sentence that compares paths says what the drawn figure shows."""
    at = classroom_run(PAGE_FILE, preset)
    drawn = claims.drawn_from_spec(animated_spec(at))
    readout = [m.value[2:] for m in at.markdown if m.value.startswith("- ")]
    mine = drawn.points[-1]
    for name, points in zip(drawn.names[:-1], drawn.points[:-1]):
        said = [s for s in readout if s.startswith(name + " ")]
        assert len(said) == 1, (name, readout)
        gap = claims.largest_gap(mine, points)
        if "exactly the same points" in said[0]:
            assert gap == 0.0 and len(points) == len(mine)
        else:
            assert "differs" in said[0] and gap > 1e-6
    first = [s for s in readout if s.startswith("Your optimizer's first step")]
    if first:
        dx, dy = np.abs(mine[1] - mine[0])
        assert f"moved {dx:.3g} in x and {dy:.3g} in y" in first[0]
