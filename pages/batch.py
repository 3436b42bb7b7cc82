"""Batch size: several batch sizes race on the full-batch loss of a small data set.

The lecture's claims made live: a batch of B examples sees its own average loss, so small
batches take noisy steps; at a saddle the full-batch gradient is zero but a batch's is not, so
small batches escape where full-batch gradient descent stalls; and the small/large trade-off
table (time per update, time per epoch, gradient noise) as a model of B, N and the parallel
capacity P. The lesson lives in :mod:`pages.lessons.batch` (model, figures, presets, text); this
file only composes widgets and calls. Engines: :mod:`surfaces.datasets` and :mod:`optim.minibatch`.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from optim.minibatch import batch_snippet, tradeoff
from pages.lessons.batch import cached
from pages.lessons.batch import model as M
from pages.lessons.batch.text import BATCH as T
from pages.lib import exports, widgets
from pages.lib.links import current_lang, tr
from pages.lib.text_names import dataset_name
from surfaces import datasets

PAGE = "batch"

guard, present, side = widgets.page_header(PAGE, tr(T, "title"))
lang = current_lang()
if st.query_params.get("preset") is None:
    st.caption(tr(T, "custom_watch"))

# --- data and batch sizes --------------------------------------------------------------------
side.subheader(tr(T, "data"))
dataset_id = guard.select(side, tr(T, "dataset"), "data", list(datasets.DATASET_IDS), M.DEFAULTS["data"],
                          format_func=lambda i: dataset_name(i, lang),
                          alias=lambda i: datasets.get(i).title)
data = datasets.get(dataset_id)
side.caption(tr(T, f"blurb_{dataset_id}"))
sx, sy = data.start
c0, c1 = side.columns(2)
x0 = guard.number(c0, "w1₀", "x0", sx, -10.0, 10.0, optional=True, help=tr(T, "start"))
y0 = guard.number(c1, "w2₀", "y0", sy, -10.0, 10.0, optional=True)
start = (float(sx if x0 is None else x0), float(sy if y0 is None else y0))

side.subheader(tr(T, "batches"))
n_paths = guard.integer(side, tr(T, "n_paths"), "n", M.DEFAULTS["n"], 1, M.MAX_PATHS, slider=True)
bcols = side.columns(2)
batch_list = []
for i in range(n_paths):
    b = guard.integer(bcols[i % 2], tr(T, "batch_i", i=i + 1), f"b{i + 1}", M.DEFAULTS[f"b{i + 1}"], 1, M.MAX_N,
                      help=tr(T, "batch_help"))
    batch_list.append(min(int(b), data.n))

side.subheader(tr(T, "training"))
epochs = guard.integer(side, tr(T, "epochs"), "epochs", M.DEFAULTS["epochs"], 1, 300)
opt_id = guard.select(side, tr(T, "optimizer"), "opt", list(M.OPTIMIZERS), M.DEFAULTS["opt"],
                      format_func=widgets.optimizer_label, alias=widgets.optimizer_title_en)
lr = guard.number(side, tr(T, "lr"), "lr", M.DEFAULTS["lr"], 1e-4, 2.0, fmt="%.4g")
hyper = {"lr": float(lr)}
if opt_id in ("sgd", "momentum"):
    hyper["momentum"] = float(guard.number(side, tr(T, "momentum"), "mom", M.DEFAULTS["mom"], 0.0, 0.99, fmt="%.3g"))
seed = guard.integer(side, tr(T, "seed"), "seed", M.DEFAULTS["seed"], 0, 2**31 - 1, help=tr(T, "seed_help"))

side.subheader(tr(T, "hardware"))
parallel = guard.integer(side, tr(T, "parallel"), "P", M.DEFAULTS["P"], 1, 1024, help=tr(T, "parallel_help"))

# --- compute ---------------------------------------------------------------------------------
hyper_t = tuple(sorted(hyper.items()))
runs = [cached.run_cached(dataset_id, opt_id, hyper_t, start, int(epochs), b, int(seed)) for b in batch_list]
names = tuple(M.path_name(b, data.n, lang) for b in batch_list)
colors = M.COLORS[: len(batch_list)]
runs_key = (dataset_id, opt_id, hyper_t, start, int(epochs), tuple(batch_list), int(seed))

# --- show ------------------------------------------------------------------------------------
guard.report()
if not present:
    with st.expander(tr(T, "about"), expanded=False):
        st.markdown(tr(T, "intro"))

fig = cached.race_cached(dataset_id, runs_key, names, colors, int(epochs), present, runs, widgets.figure_labels())
st.plotly_chart(fig, key=f"{PAGE}_race", config={"displaylogo": False, "scrollZoom": False}, theme=None)

st.subheader(tr(T, "readout"))
for sentence in M.readout_sentences(data, runs, names, lang):
    st.markdown(f"- {sentence}")
if datasets.saddle_points(data) and any(r.status != "diverged" for r in runs):
    st.caption(tr(T, "ro_summary"))

rows = M.table_rows(data, batch_list, names, runs, lang)

if not present:
    st.dataframe(rows, hide_index=True, width="stretch")
    st.subheader(tr(T, "curves"))
    st.caption(tr(T, "curves_caption"))
    st.plotly_chart(cached.curves_cached((runs_key, lang), tuple(names), tuple(colors), runs), key=f"{PAGE}_curves",
                    theme=None, config={"displayModeBar": False})

    st.subheader(tr(T, "tradeoff"))
    all_b = np.arange(1, data.n + 1)
    trade = tradeoff(all_b, data.n, parallel, data, start)
    st.caption(tr(T, "tradeoff_caption", n=data.n, p=parallel, pt=f"({start[0]:g}, {start[1]:g})"))
    st.plotly_chart(cached.tradeoff_cached((dataset_id, int(parallel), tuple(start), lang), tuple(batch_list),
                                           tuple(colors), trade),
                    key=f"{PAGE}_tradeoff", theme=None, config={"displayModeBar": False})
    table = M.small_large_table(batch_list, runs, trade, lang)
    if table is not None:
        st.markdown(table)
    else:
        st.caption(tr(T, "no_small_large"))
    if (box := exports.export_box(PAGE)) is not None:
        with box:
            snippet = batch_snippet(dataset_id=dataset_id, opt_id=opt_id, hyper=hyper, start=start, epochs=int(epochs),
                                    batches=list(zip(names, batch_list)), seed=int(seed))
            widgets.export_panel(fig, runs, list(names), snippet, key=PAGE, meta={
                "dataset": dataset_id, "optimizer": opt_id, "hyperparameters": dict(hyper), "start": list(start),
                "epochs": int(epochs), "batch_sizes": dict(zip(names, map(int, batch_list))), "seed": int(seed)})
widgets.page_footer(present)
