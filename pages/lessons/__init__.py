"""One package per lesson page: ``presets`` (controls, controls-to-runs mapping, presets and their
claims), ``text`` (the page's sentences, English and Chinese), ``model`` (readout sentences and other
non-widget logic) and ``figures`` (plain Plotly builders). None of these import Streamlit; the page
file ``pages/<name>.py`` composes widgets and calls them (``cached.py``: the lesson's cached bridges)."""
