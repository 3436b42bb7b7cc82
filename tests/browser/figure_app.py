"""Browser-test harness: the playground's race figure alone, on Himmelblau, with simple NumPy
gradient-descent / heavy-ball paths (no dependency on the optim/ engine).

Query parameters: ?steps=N (default 300), ?big=1 (presenter mode), ?panels=0.
"""

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import surfaces  # noqa: E402
from pages.lib.figures import race_figure  # noqa: E402
from tests.figure_demo import demo_paths  # noqa: E402

st.set_page_config(page_title="Figure harness", layout="wide")

q = st.query_params
steps = int(q.get("steps", "300"))
big = q.get("big", "0") == "1"
panels = q.get("panels", "1") != "0"


@st.cache_resource(max_entries=8)
def build(steps: int, big: bool, panels: bool):
    s = surfaces.CATALOG["himmelblau"]
    xs, ys, Z = s.grid(200)
    paths = demo_paths(s, n_steps=steps, count=4)
    return race_figure(xs, ys, Z, paths, log_scale=s.log_scale, window=s.window,
                       critical_points=s.known_points, panels=panels, big=big, xlabel="x", ylabel="y")


st.plotly_chart(build(steps, big, panels), key="race", theme=None, config={"displaylogo": False})
