"""Descent Lab: entry point. Every page is registered explicitly with st.navigation."""

import streamlit as st

import surfaces.atlas
from pages.lib.links import tr
from pages.lib.text import NAV

st.set_page_config(page_title="Descent Lab", page_icon=":material/landscape:", layout="wide")


@st.cache_resource
def _start_workers() -> bool:
    """Once per server: start the critical-point algebra process (it imports SymPy, ~1 s)."""
    surfaces.atlas.warm_up()
    return True


_start_workers()

# (file, title, icon, url_path). The url_path is what links and presets name. It must equal
# the file's stem: on a session's first request Streamlit resolves the URL against the files
# in pages/ before st.navigation runs, and a mismatch shows a "Page not found" dialog.
PAGES = [
    ("pages/home.py", "Home", ":material/home:", ""),  # the default page lives at "/"
    ("pages/playground.py", "Playground", ":material/sports_score:", "playground"),
    ("pages/critical.py", "Critical points", ":material/change_history:", "critical"),
    ("pages/batch.py", "Batch size", ":material/stacks:", "batch"),
    ("pages/momentum.py", "Momentum", ":material/speed:", "momentum"),
    ("pages/adaptive.py", "Adaptive LR", ":material/tune:", "adaptive"),
    ("pages/warmup.py", "Warm-up", ":material/trending_up:", "warmup"),
]

navigation = st.navigation(
    [st.Page(path, title=tr(NAV, url), icon=icon, url_path=url or None, default=not url)
     for path, _title, icon, url in PAGES],
    position="top",
)
navigation.run()
