"""Critical-points page through Streamlit's AppTest: presets, link -> widgets, bad links, the
lecture's numbers on the page, and the escape lab's captions."""

from __future__ import annotations

import re

import pytest

from pages.lib.presets import PRESETS, presets_for
from tests.conftest import app_test

PAGE = "pages/critical.py"
CRITICAL_PRESETS = presets_for("critical")


def run_page(params=None, **more):
    at = app_test(PAGE)
    for key, value in {**(params or {}), **more}.items():
        at.query_params[key] = value
    at.run()
    return at


def page_text(at) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.latex] + [c.value for c in at.caption]
    return "\n".join(parts)


def test_presets_are_registered_lecture_first():
    ids = [p.id for p in CRITICAL_PRESETS]
    assert ids[0] == "critical_lecture" and {"critical_himmelblau", "critical_monkey"} <= set(ids)
    assert all(PRESETS[i].link().startswith("/critical?") for i in ids)


@pytest.mark.parametrize("preset", CRITICAL_PRESETS, ids=lambda p: p.id)
def test_every_preset_runs_without_exception_and_ignores_nothing(preset):
    at = run_page(dict(preset.params), preset=preset.id)
    assert not at.exception
    assert not at.info or all("ignored" not in i.value for i in at.info)
    assert len(at.get("plotly_chart")) >= 2  # map + Taylor (+ race + distance with a saddle)


def test_lecture_preset_shows_the_lectures_numbers():
    preset = PRESETS["critical_lecture"]
    at = run_page(dict(preset.params))
    assert not at.exception
    text = page_text(at)
    assert "eigenvalues -2 and 2" in text
    assert r"\lambda_1 = -2" in text and r"\lambda_2 = 2" in text
    assert r"\begin{bmatrix}0 & -2 \\ -2 & 0\end{bmatrix}" in text  # H at the origin
    assert "(0.707, 0.707)" in text  # escape direction (1, 1)/sqrt(2)
    assert "L(r·u) = (1 - r²/2)² < 1" in text
    assert "saddle point" in text


def test_lecture_escape_lab_captions_tell_the_story():
    preset = PRESETS["critical_lecture"]
    text = page_text(run_page(dict(preset.params)))
    assert re.search(r"\*\*\(a\)\*\* never moves.*distance after \d+ steps: 0\)", text)
    m = re.search(r"predicted (\d+) steps to reach distance [\d.]+, observed (\d+)", text)
    assert m and abs(int(m.group(1)) - int(m.group(2))) <= 3
    m = re.search(r"lowers L at once: from 1 to ([\d.]+)", text)
    assert m and float(m.group(1)) < 1
    m = re.search(r"attracted INTO the saddle: distance ([\d.e+-]+) → ([\d.e+-]+)", text)
    assert m and float(m.group(2)) < 1e-6 < float(m.group(1))


def test_link_parameters_reach_the_widgets():
    at = run_page(surface="Himmelblau", px="1.5", py="-0.5", esteps="40", elr="0.004", eps="0.01", phi="10",
                  noise="3", seed="9", logc="false", arrows="false")
    assert not at.exception
    assert at.selectbox(key="surface").value == "himmelblau"
    assert at.number_input(key="px").value == pytest.approx(1.5)
    assert at.number_input(key="py").value == pytest.approx(-0.5)
    assert at.number_input(key="esteps").value == 40
    assert at.number_input(key="elr").value == pytest.approx(0.004)
    assert at.number_input(key="eps").value == pytest.approx(0.01)
    assert at.number_input(key="seed").value == 9
    assert at.toggle(key="arrows").value is False
    assert "Inspecting θ' = (1.5, -0.5)" in page_text(at)
    assert not at.info


def test_picking_a_point_inspects_it():
    at = run_page(surface="Himmelblau", pick="maximum (-0.271, -0.923)")
    assert not at.exception
    text = page_text(at)
    assert "Inspecting θ' = (-0.271, -0.923)" in text and "local maximum" in text
    assert "4 local minimum, 4 saddle point, 1 local maximum" in text


@pytest.mark.parametrize("params", [
    {"esteps": "abc"}, {"elr": "nan"}, {"eps": "-1"}, {"surface": "Nope"}, {"junk": "1"}, {"px": "1e308"},
    {"pick": "saddle (9, 9)"}, {"sad": "__import__"}, {"phi": "x" * 10_000},
])
def test_bad_link_parameters_show_a_note(params):
    at = run_page(params)
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert "ignored" in notes and list(params)[0] in notes


def test_monkey_saddle_has_no_escape_lab_but_explains_why():
    at = run_page(dict(PRESETS["critical_monkey"].params))
    assert not at.exception
    text = page_text(at) + " ".join(i.value for i in at.info)
    assert "degenerate" in text and "No saddle point" in text


def test_typed_formula_and_chinese():
    at = run_page(surface="✎ Your formula", formula="x^2 - y^2 + 0.1*x^3", lang="zh")
    assert not at.exception and not at.error
    assert "鞍点" in page_text(at)


# --- issue 10: numerically-zero curvature, degraded answers ----------------------------------
def _worker_ready():
    """Results, not start-up latency: the algebra worker is up (as app.py's warm_up makes it)."""
    from surfaces import CATALOG
    from surfaces import atlas as atlas_mod

    booth = CATALOG["booth"]
    reply, note = atlas_mod._WORKER.run(booth.expr, booth.window, 60.0)
    assert reply is not None, note


def _bound_cells(at) -> list[str]:
    frame = at.dataframe[0].value
    return [str(v) for v in frame[[c for c in frame.columns if "GD stable" in c][0]]]


def test_monkey_preset_is_degenerate_with_no_stability_bound():
    _worker_ready()
    at = run_page(dict(PRESETS["critical_monkey"].params), preset="critical_monkey")
    assert not at.exception and not at.warning
    text = page_text(at)
    assert "Kind: **degenerate (numerically" in text and "Kind: **saddle" not in text
    assert "locally stable here only if" not in text  # no 2/λ_max from a zero eigenvalue
    assert "No stability bound: the largest curvature" in text
    assert re.search(r"an eigenvalue with \|λ\| ≤ [\d.e+-]+ counts as zero", text)  # the tolerance is stated
    assert _bound_cells(at) == ["none (λ_max ≈ 0)"]
    assert "No saddle point" in " ".join(i.value for i in at.info)  # no escape lab


def test_degraded_atlas_is_marked_on_the_page(monkeypatch):
    from surfaces import atlas as atlas_mod

    atlas_mod.clear_cache()
    monkeypatch.setattr(atlas_mod._WORKER, "run", lambda expr, window, timeout: (None, "exact algebra failed (boom)"))
    at = run_page(dict(PRESETS["critical_monkey"].params), preset="critical_monkey")
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "exact algebra was not used" in warning and "numerical (Newton) search only" in warning
    text = page_text(at)
    assert "exact algebra failed (boom)" in text  # the engine's note, in "How they were found"
    # the Newton point is a little off (0, 0) with eigenvalues ~1e-6: degenerate, no bound, no lab
    assert "Kind: **degenerate (numerically" in text and "locally stable here only if" not in text
    assert _bound_cells(at) == ["none (λ_max ≈ 0)"]
    assert "No saddle point" in " ".join(i.value for i in at.info)
    zh = run_page(dict(PRESETS["critical_monkey"].params), preset="critical_monkey", lang="zh")
    assert "没有使用精确代数求解" in " ".join(w.value for w in zh.warning)
    monkeypatch.undo()
    atlas_mod.clear_cache()
