"""Exports that work outside the repository: file names, metadata, and the export panel.

- :func:`file_name`: ``descent-lab_<page>[_<preset>]_<date>.<ext>``, so twenty downloads in a
  folder say what each one is.
- :func:`metadata`: what the JSON export's ``meta`` and the CSV's ``#`` header carry: the surface
  (id and formula), every path's optimizer id, hyperparameters, start, steps, schedule, noise and
  seed, the app version (:func:`app_version`) and the link that reproduces the view.
- :class:`Source`: what a page's runs are (surface, named :class:`optim.request.RunRequest` s), from
  which the panel writes three "copy as Python" forms: a standalone NumPy script and a PyTorch
  script (:mod:`optim.standalone`, no repository needed) and the short snippet that uses ``optim``.
- :func:`render_panel`: the panel itself (``pages.lib.widgets.export_panel`` calls it).

The plain parts (:func:`file_name`, :func:`metadata`, :func:`with_legend`) take no Streamlit state
and are tested directly.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import math
import pathlib
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import plotly.io as pio
import streamlit as st

import optim
from optim import export, standalone
from optim.request import COMPOSED, RunRequest

from .links import current_lang, tr
from .presets import PRESETS
from .registry import SCHEMA_VERSION
from .runs import get_surface
from .text import COMMON, LANGS

APP_NAME = "descent-lab"
APP_VERSION = "2026.12"  # used when git is not there (a copy without .git, a container)
ROOT = pathlib.Path(__file__).resolve().parents[2]

TEXT = {  # (english, chinese), as pages/lib/text.py
    "copy_python": ("Copy as Python", "复制为 Python"),
    "numpy_tab": ("Standalone (NumPy)", "独立脚本（NumPy）"),
    "torch_tab": ("PyTorch", "PyTorch"),
    "repo_tab": ("With this app's code", "使用本应用代码"),
    "numpy_help": ("Runs anywhere with NumPy (no Descent Lab needed): the gradient and the update rules written out. "
                   "`python {file} --compare {csv}` checks it against the CSV export; it draws the paths with "
                   "matplotlib or Plotly if installed.",
                   "只需 NumPy 即可运行（无需本应用）：梯度与更新规则均已写出。`python {file} --compare {csv}` "
                   "与导出的 CSV 逐项比对；若装有 `matplotlib` 或 Plotly 会画出路径。"),
    "torch_help": ("torch.optim for the torch forms, a few lines of tensor code for the lecture's forms; same numbers "
                   "as the NumPy script (float64). Needs torch; not run in this app's tests.",
                   "PyTorch 形式用 torch.optim，课程形式用几行张量代码；数值与 NumPy 脚本相同（`float64`）。"
                   "需要 torch；本应用的测试不运行它。"),
    "repo_help": ("Reproduces the runs bit for bit with this app's surfaces and optim packages.",
                  "用本应用的 surfaces 与 optim 包逐位复现这些运行。"),
    "no_standalone": ("No standalone script for this view: {reason}.", "此视图没有独立脚本：{reason}。"),
    "why_composed": ("a new combination of parts is no named optimizer; the code below uses optim",
                     "新的部件组合不是已命名的优化器；下面的代码使用 optim"),
    "why_surface": ("the surface's formula cannot be written out (a network slice has hundreds of tanh terms)",
                    "该曲面的公式无法写出（网络切面有数百个 tanh 项）"),
    "why_other": ("it uses a rule the script generator does not know", "它用到脚本生成器不认识的规则"),
    "download_py": ("Download .py", "下载 .py"),
}


# --- version, file names, link -------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def app_version() -> str:
    """``git describe --always --dirty --tags`` of the app's checkout (no network), else :data:`APP_VERSION`."""
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty", "--tags"], cwd=ROOT, capture_output=True,
                             text=True, timeout=3, check=False)
    except (OSError, subprocess.SubprocessError):
        return APP_VERSION
    text = out.stdout.strip()
    return f"{APP_VERSION}+git.{text}" if out.returncode == 0 and text else APP_VERSION


def _slug(text: str) -> str:
    keep = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-") else "_" for ch in str(text))
    return "_".join(part for part in keep.split("_") if part)[:60]


def file_name(page: str, preset: str | None, ext: str, date: _dt.date | None = None, kind: str = "") -> str:
    """``descent-lab_<page>[_<preset>][_<kind>]_<YYYY-MM-DD>.<ext>`` (ASCII, no spaces)."""
    day = (date or _dt.date.today()).isoformat()
    parts = [APP_NAME, _slug(page)] + ([_slug(preset)] if preset and _slug(preset) else []) + \
        ([_slug(kind)] if kind else []) + [day]
    return "_".join(parts) + "." + ext


def link_of(page: str, params: Mapping[str, str], base: str = "") -> str:
    """The link that reproduces the view: the page path and the query string of the current state
    (stable ids: every control writes its link value, see :class:`pages.lib.controls.Control`)."""
    query = dict(params)
    query.setdefault("v", SCHEMA_VERSION)
    query.pop("present", None)  # the export reproduces the view, not presenter mode
    path = f"/{page}?{urlencode(query)}"
    return base.rstrip("/") + path if base else path


# --- metadata ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """A page's runs as data: the surface (catalog id, or "custom" and the typed formula) and the
    named run requests, plus a note for the code. Built with the same arguments as
    :func:`optim.request.snippet`."""

    surface_id: str | None
    formula: str
    runs: tuple = ()
    note: str = ""
    extra: Mapping = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "runs", tuple((str(n), r) for n, r in self.runs))

    def surface(self):
        return get_surface(self.surface_id or "custom", self.formula)

    def snippet(self) -> str:
        return optim.request.snippet(surface_id=self.surface_id, formula=self.formula, runs=list(self.runs),
                                     note=self.note)


def _plain(v):
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, tuple | list):
        return [_plain(x) for x in v]
    return v


def request_meta(name: str, req: RunRequest) -> dict:
    """One path's settings: optimizer id and its full hyperparameters (defaults filled), start, steps,
    schedule, noise, seed."""
    opt = req.optimizer()
    hyper = {k: _plain(v) for k, v in opt.hyperparams.items()}
    if req.opt_id == COMPOSED:
        hyper = {k: _plain(v) for k, v in req.hyper}
    return {
        "name": name, "optimizer": req.opt_id, "optimizer_title": opt.name, "hyperparameters": hyper,
        "start": list(req.start), "steps": req.steps,
        "schedule": {"kind": req.schedule.kind, "params": {k: _plain(v) for k, v in req.schedule.params},
                     "warmup": req.schedule.warmup},
        "noise": {"scale": req.noise.scale, "batch": req.noise.batch}, "seed": req.seed,
    }


def metadata(*, page: str, preset: str | None, link: str, source: Source | None = None, surface=None,
             extra: Mapping | None = None, exported: _dt.datetime | None = None) -> dict:
    """What the exports carry besides the numbers (JSON ``meta``; CSV ``#`` lines)."""
    when = exported or _dt.datetime.now(_dt.UTC)
    meta = {"app": "Descent Lab", "version": app_version(), "exported": when.isoformat(timespec="seconds"),
            "page": page, "preset": preset or None, "link": link}
    if source is not None:
        s = surface if surface is not None else source.surface()
        meta["surface"] = {"id": source.surface_id or "custom", "title": getattr(s, "title", ""),
                           "formula": getattr(s, "source", "") or source.formula or str(getattr(s, "expr", "")),
                           "sympy": str(getattr(s, "expr", "")),
                           "variables": list(getattr(s, "variable_names", ("x", "y")))}
        meta["paths"] = [request_meta(n, r) for n, r in source.runs]
    if extra:
        meta.update(extra)
    meta = _jsonable(meta)
    meta["columns"] = ("path, step, x, y, loss, grad_x, grad_y (exact gradient at the point), lr (this update's), "
                       "update_x, update_y (the move), effective_step_* (|update| / |seen gradient|), optimizer state "
                       "after the update; the last row of a path is its last point")
    return meta


def _jsonable(v):
    """Plain JSON values: NumPy scalars as numbers, tuples as lists, inf/NaN as null."""
    if isinstance(v, Mapping):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, tuple | list):
        return [_jsonable(x) for x in v]
    if hasattr(v, "item") and not isinstance(v, str | bytes):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def csv_header(meta: Mapping) -> str:
    """The metadata as ``# key: value`` lines (JSON values) above the CSV's header row
    (``pandas.read_csv(path, comment="#")`` skips them)."""
    lines = [f"# {key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    return "\n".join(lines) + "\n"


def with_legend(fig) -> dict:
    """The figure as a dict with its paths' legend shown (the critical page draws its legend beside
    the plot; the offline file has only this figure)."""
    spec = fig.to_dict() if hasattr(fig, "to_dict") else dict(fig)
    layout = dict(spec.get("layout") or {})
    if layout.get("showlegend") is False:
        # A column at the left, in the room the equal-aspect map leaves beside it; the map's axis
        # domain starts after it so the two never overlap.
        xaxis = dict(layout.get("xaxis") or {})
        lo, hi = (xaxis.get("domain") or [0.0, 1.0])[:2]
        xaxis["domain"] = [max(float(lo), 0.45), float(hi)]
        layout.update(showlegend=True, xaxis=xaxis,
                      legend={"orientation": "v", "x": 0.0, "xanchor": "left", "y": 1.0, "yanchor": "top",
                              "bgcolor": "rgba(255,255,255,0.9)", "itemsizing": "constant"})
    return {**spec, "layout": layout}


def offline_html(fig) -> str:
    """A standalone page with plotly.js embedded: plays with no network."""
    spec = fig.to_dict() if hasattr(fig, "to_dict") else fig
    return pio.to_html(spec, include_plotlyjs=True, full_html=True, validate=False,
                       config={"displaylogo": False}, auto_play=False)


# --- the panel (Streamlit) -----------------------------------------------------------------
def _view() -> tuple[str | None, dict, str]:
    """(preset id named in the link, the query parameters, the app's base URL or "")."""
    params = st.query_params.to_dict()
    url = (getattr(st.context, "url", "") or "").split("?")[0]
    return params.get("preset") or None, params, url


def render_panel(fig, runs, names, snippet, *, key: str, extra_meta: Mapping | None = None) -> None:
    """Downloads of the current view (offline HTML with a legend, CSV and JSON with metadata) and
    "copy as Python" as a standalone NumPy script, a PyTorch script and the repo snippet.
    ``snippet``: a :class:`Source` (pages with run requests) or the repo snippet text (pages whose
    runs are not requests, e.g. the batch page's mini-batch training: then only that form)."""
    lang = LANGS.index(current_lang())
    source = snippet if isinstance(snippet, Source) else None
    page = key
    preset, params, url = _view()
    if getattr(PRESETS.get(preset or ""), "page", None) != page:
        preset = None  # not a preset of this page: the name would mislead
    link = link_of(page, params)
    if url:  # the address the app is served at, without this page's path
        base = url.rstrip("/")
        base = base[: -len(page) - 1] if base.endswith("/" + page) else base
        link = base + link
    surface = source.surface() if source is not None else None
    meta = metadata(page=page, preset=preset, link=link, source=source, surface=surface, extra=extra_meta)
    csv_name = file_name(page, preset, "csv")

    st.caption(tr(COMMON, "exports_help"))
    cols = st.columns(3)
    cols[0].download_button(tr(COMMON, "export_html"), data=lambda: offline_html(with_legend(fig)),
                            file_name=file_name(page, preset, "html"), mime="text/html", key=f"{key}_html",
                            icon=":material/movie:", on_click="ignore")
    cols[1].download_button(tr(COMMON, "export_csv"), data=lambda: csv_header(meta) + export.to_csv(runs, names),
                            file_name=csv_name, mime="text/csv", key=f"{key}_csv", icon=":material/table:",
                            on_click="ignore")
    cols[2].download_button(tr(COMMON, "export_json"), data=lambda: export.to_json(runs, names, meta=meta),
                            file_name=file_name(page, preset, "json"), mime="application/json", key=f"{key}_json",
                            icon=":material/data_object:", on_click="ignore")
    if source is None:  # runs that are not run requests: the repo snippet only
        st.caption(tr(COMMON, "copy_python"))
        st.code(str(snippet), language="python")
        return
    repo_code = source.snippet()
    reason = standalone.standalone_ok(source.runs, surface)
    st.caption(TEXT["copy_python"][lang])
    if reason is not None:
        why = TEXT.get(f"why_{reason}", TEXT["why_other"])[lang]
        st.caption(TEXT["no_standalone"][lang].format(reason=why))
        st.code(repo_code, language="python")
        return
    title = f"{page}" + (f" / {preset}" if preset else "")
    out = file_name(page, preset, "py", kind="numpy").rsplit(".", 1)[0]
    np_file = file_name(page, preset, "py", kind="numpy")
    torch_file = file_name(page, preset, "py", kind="torch")
    tabs = st.tabs([TEXT["numpy_tab"][lang], TEXT["torch_tab"][lang], TEXT["repo_tab"][lang]])
    np_code = standalone.numpy_script(surface=surface, runs=source.runs, title=title, link=link,
                                      note=source.note, out=out)
    torch_code = standalone.torch_script(surface=surface, runs=source.runs, title=title, link=link,
                                         note=source.note, out=out.replace("_numpy_", "_torch_"))
    with tabs[0]:
        st.caption(TEXT["numpy_help"][lang].format(file=np_file, csv=csv_name))
        st.download_button(TEXT["download_py"][lang], data=np_code, file_name=np_file, mime="text/x-python",
                           key=f"{key}_py_numpy", icon=":material/download:", on_click="ignore")
        st.code(np_code, language="python", height=360)
    with tabs[1]:
        st.caption(TEXT["torch_help"][lang])
        st.download_button(TEXT["download_py"][lang], data=torch_code, file_name=torch_file, mime="text/x-python",
                           key=f"{key}_py_torch", icon=":material/download:", on_click="ignore")
        st.code(torch_code, language="python", height=360)
    with tabs[2]:
        st.caption(TEXT["repo_help"][lang])
        st.code(repo_code, language="python")


__all__ = ["APP_VERSION", "TEXT", "Source", "app_version", "csv_header", "export_box", "export_box_key", "file_name",
           "link_of", "metadata", "render_panel", "request_meta", "with_legend"]


def export_box_key(page: str) -> str:
    """Session key of ``page``'s "Export" expander (True while open)."""
    return f"{page}_exports"


def export_box(page: str):
    """``page``'s "Export" expander, or None while it is closed: its content is built only once a
    user opens it (opening reruns the page). Built on every visit, the two generated scripts
    (~12,000 characters each, syntax-highlighted into ~7,500 of the page's ~12,000 DOM nodes)
    cost the browser ~1 s before the race figure was drawn; the server only ~10 ms
    (docs/performance.md, "First plot")."""
    box = st.expander(tr(COMMON, "exports"), expanded=False, key=export_box_key(page), on_change="rerun")
    return box if box.open else None


def setup_exports(fig, setup, runs: Mapping, names: Mapping, *, key: str) -> None:
    """The "Export" expander of a lesson whose runs are a :class:`pages.lib.controls.Setup`
    (``runs``/``names``: by run key, in the setup's order)."""
    if (box := export_box(key)) is None:
        return
    with box:
        source = Source(surface_id=setup.surface_id, formula="",
                        runs=[(names[spec.key], setup.request(spec)) for spec in setup.runs])
        render_panel(fig, [runs[spec.key] for spec in setup.runs], [names[spec.key] for spec in setup.runs],
                     source, key=key)

