"""Descent Lab: entry point. Every page is registered explicitly with st.navigation."""

import streamlit as st

st.set_page_config(page_title="Descent Lab", page_icon=":material/landscape:", layout="wide")

PAGES = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True, url_path="home"),
    st.Page("pages/playground.py", title="Playground", icon=":material/sports_score:", url_path="playground"),
]

st.navigation(PAGES, position="top").run()
