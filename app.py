"""Descent Lab: entry point. Every page is registered explicitly with st.navigation."""

import streamlit as st

import surfaces.atlas
from pages.lib.links import tr
from pages.lib.registry import PAGES
from pages.lib.text import NAV

st.set_page_config(page_title="Descent Lab", page_icon=":material/landscape:", layout="wide")


@st.cache_resource
def _start_workers() -> bool:
    """Once per server: start the critical-point algebra process (it imports SymPy, ~1 s)."""
    surfaces.atlas.warm_up()
    return True


_start_workers()

navigation = st.navigation(
    [st.Page(page.file, title=tr(NAV, page.url_path), icon=page.icon, url_path=page.url_path or None,
             default=not page.url_path) for page in PAGES],
    position="top",
)
navigation.run()
