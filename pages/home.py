"""Home: what each page teaches."""

import streamlit as st

from pages.lib import widgets
from pages.lib.links import tr
from pages.lib.text import COMMON, HOME as T

widgets.language_switch(st.sidebar)
st.title(tr(COMMON, "app_title"))
st.write(tr(T, "tagline"))
st.subheader(tr(T, "pages"))
st.page_link("pages/playground.py", label="Playground", icon=":material/sports_score:")
st.caption(tr(T, "playground_blurb"))
