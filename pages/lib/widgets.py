"""Controls and read-outs shared by the pages (Streamlit). Math lives in surfaces/ and optim/."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import optim
import surfaces
from optim import diagnose
from optim.request import NoiseSpec, ScheduleSpec
from surfaces import Surface, generated

from . import claims, figures, screen
from .controls import selection_point
from .entry import run_through_app
from .exports import render_panel
from .labels import distinguish
from .links import LinkGuard, current_lang, presenter_mode, tr
from .presets import PRESETS, presets_for
from .registry import PALETTE, PLAYGROUND_MAX_STEPS, demo_default
from .runs import CUSTOM, get_surface, surface_grid
from .text import COMMON, FIGURE, LANG_NAMES, LANGS
from .text import PLAYGROUND as T
from .text_names import optimizer_name, optimizer_note, param_help, param_label, schedule_name, surface_name


def language_switch(where) -> None:
    """English / 中文. The link format fixes ``lang=zh``, so this is a plain query parameter."""
    lang = current_lang()
    choice = where.segmented_control(
        "🌐", list(LANGS), default=lang, format_func=LANG_NAMES.get, key="_lang_switch",
        label_visibility="collapsed",
    )
    if choice and choice != lang:
        st.query_params["lang"] = choice
        st.rerun()


def surface_label(surface_id: str) -> str:
    """A surface's name in the page's language (the typed formula: "✎ Your formula")."""
    if surface_id == CUSTOM:
        return "✎ " + tr(T, "custom_formula")
    return surface_name(surface_id, current_lang())


def surface_title_en(surface_id: str) -> str:
    """The English title schema-1 links wrote for a surface (they still open)."""
    return "✎ Your formula" if surface_id == CUSTOM else generated.title(surface_id)


def optimizer_label(opt_id: str) -> str:
    return optimizer_name(opt_id, current_lang())


def optimizer_title_en(opt_id: str) -> str:
    return optim.SPECS[opt_id].title


def resolve_surface(surface_id: str, formula: str, where) -> tuple[str, str, Surface]:
    """The surface to show. A bad formula shows its error inline and keeps the last valid one."""
    if surface_id != CUSTOM:
        return surface_id, "", get_surface(surface_id)
    try:
        surface = get_surface(CUSTOM, formula)
    except surfaces.ParseError as err:
        where.error(tr(T, "formula_error", message=escape_markdown(str(err))), icon=":material/error:")
        last = st.session_state.get("_last_valid_formula")
        if last is not None:
            return CUSTOM, last, get_surface(CUSTOM, last)
        return surfaces.DEFAULT_SURFACE_ID, "", get_surface(surfaces.DEFAULT_SURFACE_ID)
    st.session_state["_last_valid_formula"] = formula
    return CUSTOM, formula, surface


def window_inputs(guard: LinkGuard, where, surface: Surface) -> tuple[float, float, float, float]:
    """xmin, xmax, ymin, ymax; an empty field means the surface's own window."""
    where.caption(tr(T, "window_help"))
    names = ("xmin", "xmax", "ymin", "ymax")
    cols = where.columns(2)
    values = [guard.number(cols[i % 2], name, name, surface.window[i], -1e3, 1e3, optional=True)
              for i, name in enumerate(names)]
    window = tuple(float(v if v is not None else d) for v, d in zip(values, surface.window))
    if not (window[0] < window[1] and window[2] < window[3]):
        return surface.window
    return window


def start_inputs(guard: LinkGuard, where, surface: Surface, chart_key: str) -> tuple[float, float]:
    """The start point: typed, clicked on the map, or the centre of a box dragged on it."""
    _apply_box_selection(chart_key)
    where.subheader(tr(T, "start"))
    cols = where.columns(2)
    sx, sy = surface.starts[0]
    x0 = guard.number(cols[0], "x₀", "x0", sx, -1e3, 1e3, optional=True, help=tr(T, "start_help"))
    y0 = guard.number(cols[1], "y₀", "y0", sy, -1e3, 1e3, optional=True)
    return (float(sx if x0 is None else x0), float(sy if y0 is None else y0))


def _round_shown(v: float) -> float:
    """A picked coordinate as a person would type it: 4 significant digits (a box's centre is
    wherever the mouse let go; a click-grid point comes back as float32, 0.25 as 0.25000000)."""
    return float(f"{v:.4g}")


def picked_point(chart_key: str, seen_key: str) -> tuple[float, float] | None:
    """The point the user picked on the main axes of chart ``chart_key``: the centre of the last
    box dragged there, or the click-grid point a click selected (``figures.CLICK_TRACE``), each
    once (``seen_key`` in the session remembers the last one), rounded to 4 significant digits.
    None if there is none, it is on a side panel or another trace, or it is not finite."""
    point = selection_point(st.session_state.get(chart_key), main_axes_only=True, curve=figures.CLICK_TRACE)
    if point is None:
        return None
    x, y = (_round_shown(v) for v in point)
    if st.session_state.get(seen_key) == (x, y):
        return None
    st.session_state[seen_key] = (x, y)
    return x, y


def set_point_from_box(chart_key: str, seen_key: str, x_key: str, y_key: str) -> tuple[float, float] | None:
    """A box dragged on the chart, or a click on its map, sets the URL-bound inputs
    ``x_key``/``y_key`` (call before they render). Returns the new point, or None."""
    point = picked_point(chart_key, seen_key)
    if point is not None:
        st.session_state[x_key] = float(np.clip(point[0], -1e3, 1e3))
        st.session_state[y_key] = float(np.clip(point[1], -1e3, 1e3))
    return point


def _apply_box_selection(chart_key: str) -> None:
    """Turn the chart's last click or box into a start point, before the inputs render."""
    point = set_point_from_box(chart_key, "_last_box", "x0", "y0")
    if point is not None:
        st.toast(tr(T, "start_set", x=point[0], y=point[1]))


@dataclass(frozen=True)
class Slot:
    """One racing optimizer as the page configured it."""

    index: int
    opt_id: str
    hyper: tuple  # sorted (name, value) pairs: hashable for the caches
    color: str
    label: str
    latex: str
    note: str


def optimizer_slot(guard: LinkGuard, where, i: int, default_id: str) -> Slot:
    """Controls for optimizer ``i``: variant (always visible), then its hyperparameters and colour
    in an expander titled with the variant (known only once the select exists: a link or preset
    may have set it)."""
    opt_id = guard.select(where, tr(T, "optimizer", i=i + 1), f"o{i + 1}", list(optim.SPECS), default_id,
                          format_func=optimizer_label, alias=optimizer_title_en)
    box = where.expander(f"{i + 1} · {optimizer_label(opt_id)}", expanded=i == 0)
    hyper = {}
    for p in optim.SPECS[opt_id].params:
        value = param_widget(guard, box, f"o{i + 1}_{opt_id}_{p.name}", p, demo_default(opt_id, p))
        if value is not None:
            hyper[p.name] = value
    color = guard.colour(box, tr(T, "colour"), f"o{i + 1}c", PALETTE[i % len(PALETTE)])
    optimizer = optim.make(opt_id, **hyper)
    label = f"{i + 1}·{optimizer_label(opt_id)}"
    return Slot(i, opt_id, tuple(sorted(hyper.items())), color, label, optimizer.latex,
                optimizer_note(opt_id, current_lang(), optimizer.note))


def distinguish_slots(slots: list[Slot]) -> list[Slot]:
    """The slots with legend names that tell same-optimizer runs apart (see :mod:`.labels`)."""
    names = distinguish([s.label for s in slots], [s.opt_id for s in slots], [dict(s.hyper) for s in slots])
    return [replace(s, label=name) for s, name in zip(slots, names)]


def param_widget(guard: LinkGuard, where, key: str, p, default):
    """One URL-bound widget generated from an ``optim.Param`` descriptor (None: not shown)."""
    lang = current_lang()
    label, help_text = param_label(p, lang), param_help(p, lang)
    if p.kind == "bool":
        return guard.toggle(where, label, key, bool(default), help=help_text)
    if p.kind == "int":
        return guard.integer(where, label, key, int(default), int(p.min), int(p.max), help=help_text)
    if p.kind == "choice":
        return guard.select(where, label, key, list(p.choices), default, help=help_text)
    if p.kind == "float":
        return guard.number(where, label, key, float(default), p.min, p.max, step=p.step,
                            fmt=p.format or "%.4g", help=help_text)
    return None  # e.g. int_list: the engine's run-length default is used


def schedule_inputs(guard: LinkGuard, where, steps: int) -> ScheduleSpec:
    """The schedule widgets: kind, its parameters and warm-up steps."""
    table = optim.schedules.SCHEDULES
    kind = guard.select(where, tr(T, "schedule_kind"), "sched", list(table), "constant",
                        format_func=lambda k: schedule_name(k, current_lang()), alias=lambda k: table[k]["title"])
    params = {}
    for p in table[kind]["params"]:
        value = param_widget(guard, where, f"sched_{kind}_{p.name}", p, p.default)
        if value is not None:
            params[p.name] = value
    warmup = guard.integer(where, tr(T, "warmup_steps"), "warmup", 0, 0, PLAYGROUND_MAX_STEPS)
    return ScheduleSpec(kind, params, min(warmup, steps))


def noise_inputs(guard: LinkGuard, where) -> tuple[NoiseSpec, int]:
    where.caption(tr(T, "noise_help"))
    scale = guard.number(where, tr(T, "noise_scale"), "noise", 0.0, 0.0, 100.0, fmt="%.3g")
    batch = guard.integer(where, tr(T, "batch_size"), "batch", 1, 1, 4096)
    seed = guard.integer(where, tr(T, "seed"), "seed", 0, 0, 2**31 - 1)
    return NoiseSpec(float(scale), int(batch)), int(seed)


def path_view(slot: Slot, run) -> figures.PathView:
    grad_norm = np.linalg.norm(run.grad, axis=-1)
    return figures.PathView(
        name=slot.label, color=slot.color, points=run.points, loss=run.loss, lr=run.lr,
        effective_step=run.effective_step, grad_norm=grad_norm, status=run.status, stop_step=run.stop_step,
    )


class PrebuiltFigure(go.Figure):
    """A figure serialised once. ``st.plotly_chart`` calls ``to_dict()`` on every rerun, which
    for a plotly Figure deep-copies and re-encodes every array (about half a second for the
    race figure); this one hands back the dict built at cache-miss time. Never mutate it."""

    def __init__(self, figure: go.Figure | dict):
        super().__init__()
        self._prebuilt = figure if isinstance(figure, dict) else figure.to_dict()

    def to_dict(self):
        return self._prebuilt


def cached_figure(max_entries: int = 32):
    """Decorator for figure builders: cache the result as a :class:`PrebuiltFigure`.

    cache_resource, not cache_data: unpickling a plotly Figure re-validates every trace,
    which costs as much as building it (~0.2-0.9 s a figure on every rerun). Arguments
    whose names start with ``_`` are not hashed (pass a key that identifies them)."""

    def wrap(builder):
        @functools.wraps(builder)
        def build(*args, **kwargs):
            result = builder(*args, **kwargs)
            if isinstance(result, tuple):  # (figure, extras...)
                return (PrebuiltFigure(result[0]), *result[1:])
            return PrebuiltFigure(result)

        return st.cache_resource(max_entries=max_entries, show_spinner=False)(build)

    return wrap


@cached_figure(32)
def race_figure_cached(surface_id, formula, window, log_colour, log_loss, paths, big, labels=(), **options):
    """``labels``: :func:`figure_labels` of the page's language (part of the cache key)."""
    xs, ys, Z = surface_grid(surface_id, formula, window)
    options.setdefault("height", 560)  # plot + Play button within a 1366x768 screen
    return figures.race_figure_spec(xs, ys, Z, list(paths), log_scale=log_colour, window=window,
                                    log_loss=log_loss, big=big, labels=dict(labels), **options)


def figure_labels(lang: str | None = None) -> tuple[tuple[str, str], ...]:
    """The words inside the figures in ``lang`` (default: the page's language), as a hashable
    tuple of (key, text) for cached figure builders (``labels=dict(...)``)."""
    i = LANGS.index(lang or current_lang())
    return tuple((key, texts[i]) for key, texts in FIGURE.items())


def figure_word(key: str) -> str:
    """One word of :func:`figure_labels` in the page's language (e.g. "step_axis")."""
    return dict(figure_labels())[key]


@cached_figure(16)
def surface_3d_cached(surface_id, formula, window, log_colour, paths):
    xs, ys, Z = surface_grid(surface_id, formula, window, 80)
    return figures.surface_3d_figure_spec(xs, ys, Z, list(paths), log_scale=log_colour)


def status_text(run) -> str:
    """The run's status in words; a run that met the tolerance and left it again says so (the lecture's
    AdaGrad does: its bursts come after it has "converged")."""
    left = getattr(run, "left_step", None)
    if left is not None and run.status == "converged":
        return tr(COMMON, "status_reconverged", k=run.stop_step, m=run.met_step, j=left)
    if left is not None and run.status == "budget":
        return tr(COMMON, "status_left", k=run.stop_step, m=run.met_step, j=left)
    key = {"converged": "status_converged", "diverged": "status_diverged"}.get(run.status, "status_budget")
    return tr(COMMON, key, k=run.stop_step)


def _g(v: float) -> str:
    return f"{v:.3g}"


def divergence_notes(names, runs, window, grid) -> list[str]:
    """What went wrong, with the real cause: one sentence for the surface if it is not finite on part
    of ``window`` (``grid`` = the plotted (xs, ys, Z)), and one per diverged run, blaming the
    surface (not the learning rate) when the run stopped inside the window where f is not finite."""
    out = []
    region = diagnose.nonfinite_region(*grid)
    if region is not None:
        x, y = region.example
        out.append(tr(COMMON, "surface_nonfinite", share=f"{region.share:.0%}" if region.share >= 0.01 else "<1%",
                      x=_g(x), y=_g(y), f=_g(region.value)))
    for name, run in zip(names, runs):
        cause = diagnose.divergence_cause(run, window)
        if cause == diagnose.SURFACE:
            x, y = run.points[-1]
            out.append(tr(COMMON, "diverged_surface", name=name, k=run.stop_step, x=_g(x), y=_g(y),
                          f=_g(float(run.loss[-1]))))
        elif cause == diagnose.STEPS:
            out.append(tr(COMMON, "diverged_sentence", name=name, k=run.stop_step))
    return out


def show_divergence_notes(names, runs, window, grid) -> None:
    for text in divergence_notes(names, runs, window, grid):
        st.warning(text, icon=":material/warning:")


def readout_table(slots, runs) -> None:
    st.subheader(tr(T, "readout"))
    rows = []
    for slot, run in zip(slots, runs):
        x, y = run.points[-1]
        rows.append({
            tr(T, "col_optimizer"): slot.label,
            tr(T, "col_final"): f"({x:.4g}, {y:.4g})",
            tr(T, "col_loss"): f"{run.loss[-1]:.5g}",
            tr(T, "col_steps"): int(run.steps),
            tr(T, "col_status"): status_text(run),
        })
    colors = {slot.label: slot.color for slot in slots}
    first = tr(T, "col_optimizer")
    styled = style_by_colour(rows, first, colors)
    st.dataframe(styled, hide_index=True, width="stretch")


def style_by_colour(rows, column, colors):
    import pandas as pd  # streamlit depends on pandas

    frame = pd.DataFrame(rows)
    return frame.style.apply(
        lambda col: [f"color: {colors.get(v, '#000')}; font-weight: 600" for v in col] if col.name == column
        else [""] * len(col), axis=0,
    )


def schedule_plot(where, slots, runs) -> None:
    lrs = {slot.label: (run.lr, slot.color) for slot, run in zip(slots, runs)}
    where.caption(tr(T, "lr_plot"))
    where.plotly_chart(PrebuiltFigure(figures.schedule_figure_spec(lrs, xlabel=figure_word("step_axis"))),
                       key="schedule_plot", theme=None,
                       config={"displayModeBar": False})


def update_rules(slots) -> None:
    for slot in slots:
        hyper = ", ".join(f"{k}={_fmt(v)}" for k, v in slot.hyper)
        st.markdown(f"<span style='color:{slot.color};font-weight:700'>{slot.label}</span> ({hyper})",
                    unsafe_allow_html=True)
        st.latex(slot.latex)
        if slot.note:
            st.caption(f"{tr(T, 'torch_note')}: {slot.note}")


def _fmt(v) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def derivatives(surface: Surface) -> None:
    st.latex(surface.latex)
    st.latex(surface.gradient_latex)
    st.latex(surface.hessian_latex)


def page_footer(present: bool, *, animated: bool = True) -> None:
    """The end of every page: the box with the shareable link; in presenter mode instead, the
    autoplay of the page's animation (when it has one: ``animated``) and how to leave the mode."""
    if not present:
        link_box()
        return
    if animated:
        screen.autoplay()
    st.caption(tr(COMMON, "presenter_hint"))


def link_box() -> None:
    """A visible 'copy link' affordance: st.code has a copy button."""
    query = urlencode(st.query_params.to_dict())
    base = getattr(st.context, "url", "") or ""
    base = base.split("?")[0]
    st.caption(tr(COMMON, "copy_link"))
    st.code(f"{base}?{query}" if query else base, language=None)


def preset_picker(guard: LinkGuard, where, page: str) -> None:
    """A preset menu and a Load button; loading sets every control of the page."""
    options = presets_for(page)
    if not options:
        return
    lang_index = LANGS.index(current_lang())
    by_id = {p.id: p for p in options}
    current = st.query_params.get("preset")
    # No preset is shown as chosen unless the link names one: the menu must not claim a
    # state the page is not in.
    chosen = where.selectbox(tr(COMMON, "presets"), list(by_id), format_func=lambda k: by_id[k].title[lang_index],
                             index=list(by_id).index(current) if current in by_id else None,
                             placeholder=tr(COMMON, "choose_preset"), key=f"_preset_menu_{page}")
    if where.button(tr(COMMON, "load_preset"), key=f"_preset_load_{page}", icon=":material/play_circle:",
                    width="stretch", disabled=chosen is None):
        guard.apply_preset(by_id[chosen])


def watch_caption(page: str) -> None:
    """The 'what to watch' sentence of the preset named in the link (if any). A sentence with
    numbers measured from the run (``preset.facts``) gets a place here and is written by
    :func:`show_watch` once the page has its paths."""
    st.session_state.pop("_watch", None)
    preset = PRESETS.get(st.query_params.get("preset", ""))
    if preset is None or preset.page != page:
        return
    if preset.facts is None:
        _write_watch(st, preset.watch[LANGS.index(current_lang())])
    else:
        st.session_state["_watch"] = (preset.id, st.empty())


def _write_watch(where, text: str) -> None:
    where.info(f"**{tr(COMMON, 'what_to_watch')}:** {text}", icon=":material/visibility:")


def show_watch(views) -> None:
    """Fill the preset's 'what to watch' numbers from the paths the page draws (``figures.PathView``
    list, legend order): the numbers a teacher reads are the numbers this run gave."""
    pending = st.session_state.pop("_watch", None)
    if pending is None:
        return
    preset_id, where = pending
    preset = PRESETS[preset_id]
    text = claims.fill(preset.watch[LANGS.index(current_lang())], preset.facts, claims.drawn_from_views(views))
    _write_watch(where, text)


def export_panel(fig, runs, names, snippet, *, key: str, meta=None) -> None:
    """Downloads of the current view (offline HTML, CSV and JSON of every per-step quantity, with
    metadata and dated file names) and "copy as Python": ``snippet`` is a
    :class:`pages.lib.exports.Source` (a standalone NumPy script, a PyTorch script and the repo
    snippet) or the repo snippet's text. ``key``: the page's url path. See :mod:`pages.lib.exports`."""
    render_panel(fig, runs, names, snippet, key=key, extra_meta=meta)


def escape_markdown(text: str) -> str:
    """User text quoted in a message must show as typed ('__import__' is not bold 'import')."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~$" else ch for ch in text)


def page_header(page: str, title: str, intro: str | None = None):
    """What every page starts with: the link guard, presenter mode, the language switch, the
    preset menu, a one-line header and the preset's "what to watch". Returns (guard, present,
    sidebar). The header is a caption, not a big title (the top bar names the page), so the
    plot and its Play button fit a 1366x768 projector."""
    run_through_app()
    present = presenter_mode()
    guard = LinkGuard(page)
    screen.page_style()
    screen.layout_script()
    if present:
        screen.presenter_style()
    side = st.sidebar
    language_switch(side)
    preset_picker(guard, side, page)
    if not present:
        st.caption(f"**{title}** · {intro}" if intro else f"**{title}**")
    watch_caption(page)
    return guard, present, side
