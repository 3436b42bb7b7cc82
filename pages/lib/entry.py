"""Make sure every page runs through app.py, even on a fresh server.

Streamlit decides once per server whether the app is an old-style multipage app: a ``pages/``
folder beside the main script makes it so until the first ``st.navigation`` call. Until someone
opens "/", a link straight to ``/playground`` therefore runs ``pages/playground.py`` on its own:
no ``set_page_config`` (a narrow, centered layout) and no navigation bar, for every student of
a class that was sent deep links. Our layout keeps ``pages/`` (it is the project's fixed
layout), so a page that finds itself started that way switches the server to
``st.navigation`` and reruns, this time through app.py. The URL (page and query) is kept.
"""

from __future__ import annotations

import streamlit as st


def _started_without_app() -> bool:
    try:  # private, and version-dependent: if it moves, the old behaviour comes back, no crash
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # pragma: no cover - a future Streamlit
        return False
    return bool(getattr(PagesManager, "uses_pages_directory", False))


def run_through_app() -> None:
    """Call first on every page: rerun through app.py if Streamlit ran this page directly."""
    if not _started_without_app():
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False  # what st.navigation itself does when it runs
    st.rerun()
