"""Home: what each page teaches, and the gallery of presets (each card opens its page)."""

import streamlit as st

from pages.lib import widgets
from pages.lib.gallery import thumbnail_file
from pages.lib.links import LinkGuard, current_lang, tr
from pages.lib.presets import PRESETS
from pages.lib.registry import CONTENT_PAGES, PAGE_BY_PATH
from pages.lib.text import COMMON, LANGS, NAV
from pages.lib.text import HOME as T

CARDS_PER_ROW = 4

guard = LinkGuard("home")  # the home page has no settings: any other link parameter is reported
widgets.language_switch(st.sidebar)
lang = LANGS.index(current_lang())
guard.report()
st.markdown(f"## {tr(COMMON, 'app_title')}")
st.write(tr(T, "tagline"))

cols = st.columns(3)
for i, page in enumerate(CONTENT_PAGES):
    with cols[i % 3]:
        st.page_link(page.file, label=tr(NAV, page.url_path), icon=page.icon,
                     query_params={"lang": current_lang()} if lang else None)
        st.caption(tr(T, page.blurb_key))

st.markdown(f"### {tr(T, 'gallery')}")
st.caption(tr(T, "gallery_help"))
presets = list(PRESETS.values())
for start in range(0, len(presets), CARDS_PER_ROW):
    row = st.columns(CARDS_PER_ROW)
    for col, preset in zip(row, presets[start:start + CARDS_PER_ROW]):
        with col.container(border=True):
            picture = thumbnail_file(preset.id)
            if picture.exists():
                st.image(str(picture), width="stretch")
            st.markdown(f"**{preset.title[lang]}**")
            st.caption(preset.blurb[lang])
            params = {"v": "1", "preset": preset.id, **preset.params}
            if lang:
                params["lang"] = current_lang()
            st.page_link(PAGE_BY_PATH[preset.page].file, label=tr(T, "open"), icon=":material/play_arrow:",
                         query_params=params)
