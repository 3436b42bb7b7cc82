"""Descent Lab: entry point. Registers every page explicitly with st.navigation."""

import streamlit as st

st.set_page_config(page_title="Descent Lab", page_icon=":material/landscape:", layout="wide")


def home():
    st.title("Descent Lab")
    st.write("See how optimizers move on 2D error surfaces.")


st.navigation([st.Page(home, title="Home", icon=":material/home:", default=True)]).run()
