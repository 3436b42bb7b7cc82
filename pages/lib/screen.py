"""How a page fits the screen it is shown on (issue 11), in the browser: the race figure's
phone and projector layout applied by a page script, presenter mode's autoplay, and the pages'
CSS (less space above the content; presenter mode's larger text and formulas). Streamlit calls
only; the figures carry what the scripts need in ``layout.meta`` (see
:mod:`pages.lib.figures.race`).
"""

from __future__ import annotations

import streamlit as st


def autoplay() -> None:
    """Presenter mode: press the chart's Play button once it is drawn and laid out for the screen
    (no Python API for it; :func:`layout_script` grows it and brings it on screen).
    st.iframe runs the script in a same-origin frame (the v1 components html call is deprecated; st.html
    does not run scripts); 1 px high, since the frame shows nothing."""
    st.iframe(
        """<script>
        const tryPlay = (n) => {
          const doc = window.parent.document;
          const btn = [...doc.querySelectorAll('.updatemenu-button')]
              .find(b => (b.textContent || '').includes('▶'));
          const gd = btn && btn.closest('.js-plotly-plot');
          const meta = gd && gd.layout && gd.layout.meta;
          // wait for the page's layout script to lay the figure out for this screen (see layout_script)
          // ... and for it to stay put: Streamlit re-renders the chart once more after it changes height
          const ready = gd && (!meta || !(meta.rows || meta.fit || meta.narrow)
              || (gd.layout.__descentDone && Date.now() - gd.__descentDoneAt > 1500));
          if (ready) {
            btn.dispatchEvent(new MouseEvent('click', {bubbles: true}));
            return;
          }
          if (n > 0) setTimeout(() => tryPlay(n - 1), 300);
        };
        tryPlay(100);
        </script>""",
        height=1,
    )


# The race figure's layout follows the width the page gives it (issue 11). A figure cannot see the
# viewport, so the race figure carries its phone layout in layout.meta.narrow (see
# pages.lib.figures.race.narrow_variant); this script, installed once per browser tab, applies it
# with Plotly.update whenever the chart is narrower than meta.narrow.max_width (and puts the wide
# layout back when it is wider again), places the rows under the map in pixels (meta.rows), and in
# presenter mode (meta.fit) scrolls the animation fully on screen. It re-checks every 400 ms (a
# Streamlit rerun replaces the figure; Streamlit may also put its own height back once).
_LAYOUT_SCRIPT = """<script>
(() => {
  if (window.__descentLayout) return;
  window.__descentLayout = true;
  const get = (obj, path) => path.replace(/\\[(\\d+)\\]/g, '.$1').split('.')
      .reduce((o, k) => (o == null ? undefined : o[k]), obj);
  const copy = (v) => (v === undefined ? null : JSON.parse(JSON.stringify(v)));
  const put = (obj, path, v) => {
    const keys = path.replace(/\\[(\\d+)\\]/g, '.$1').split('.');
    let o = obj;
    for (const k of keys.slice(0, -1)) { if (o[k] == null) o[k] = {}; o = o[k]; }
    if (v === null) delete o[keys[keys.length - 1]]; else o[keys[keys.length - 1]] = v;
  };
  const check = () => {
    document.querySelectorAll('.js-plotly-plot').forEach((gd) => {
      const meta = gd.layout && gd.layout.meta;
      if (!meta || !gd._fullLayout || !(meta.narrow || meta.fit || meta.rows)) return;
      const Plotly = window.Plotly;
      const width = gd.clientWidth;
      if (!Plotly || !width) return;
      const spec = meta.narrow;
      const narrow = !!spec && width < spec.max_width;
      const state = narrow ? 'narrow' : 'wide';
      const wantH = narrow ? spec.layout.height + (gd.__descentExtra || 0) : 0;
      // Streamlit may put its own copy of the height back on a re-render: then apply it again
      if (gd.layout.__descentState === state && (!wantH || gd.layout.height === wantH)) return;
      if (!gd.layout.__descentWide) {  // the figure's own values, to go back to
        const wide = {layout: {height: gd.layout.height}, colorbar: {}};
        if (spec) {
          for (const k in spec.layout) wide.layout[k] = copy(get(gd.layout, k));
          for (const k in spec.colorbar) wide.colorbar[k] = copy(get(gd.data[0], k));
        }
        gd.layout.__descentWide = wide;
      }
      const wide = gd.layout.__descentWide;
      const changes = narrow ? spec.layout : wide.layout;
      const bar = spec ? (narrow ? spec.colorbar : wide.colorbar) : {};
      // a full Plotly.react with the other layout (Plotly.update left stale pieces behind)
      const lay = JSON.parse(JSON.stringify(gd.layout));
      for (const k in changes) put(lay, k, changes[k]);
      lay.height = narrow ? wantH : wide.layout.height;
      lay.__descentState = state;
      lay.__descentWide = wide;
      lay.__descentScrolled = gd.layout.__descentScrolled;
      const data = gd.data.slice();
      data[0] = JSON.parse(JSON.stringify(gd.data[0]));
      for (const k in bar) put(data[0], k, bar[k]);
      window.__descentApplied = (window.__descentApplied || 0) + 1;
      const rows = meta.rows;
      if (!narrow && rows) {  // the rows under the map are given in pixels (meta.rows)
        const fl = gd._fullLayout;
        const h = lay.height - (fl.height - fl._size.h);  // the plot's height once drawn (same margins)
        (lay.updatemenus || []).forEach((u) => { u.y = -rows.buttons / h; });
        (lay.sliders || []).forEach((u) => { u.y = -rows.slider / h; });
      }
      lay.__descentDone = false;
      // A relayout while the animation plays garbles it (the map's picture and axes drawn for
      // different sizes until it ends): pause it first, and play on from the same frame after.
      const playing = !!(gd._transitionData && gd._transitionData._animationRaf);
      const frame = gd._fullLayout._currentFrame;
      if (playing) Plotly.animate(gd, [null], {mode: 'immediate', frame: {duration: 0, redraw: false}, transition: {duration: 0}});
      Plotly.react(gd, data, lay).then(() => {
        const short = narrow ? spec.plot_h - gd._fullLayout._size.h : 0;
        if (short > 2) {  // the legend's rows took more than planned: grow by as much (kept for re-applies)
          gd.__descentExtra = (gd.__descentExtra || 0) + short;
          gd.layout.__descentState = 'grow';
          return;  // the next check applies the grown layout
        }
        // Plotly.react can leave a legend of several rows where the old margins put it, over the
        // map's top (phones: 65 px); a relayout places it again, above the map
        const legend = gd.querySelector('.legend'), drag = gd.querySelector('.nsewdrag');
        const misplaced = legend && drag && legend.getBoundingClientRect().bottom > drag.getBoundingClientRect().top + 1
          && gd._fullLayout.legend && gd._fullLayout.legend.yanchor === 'bottom';
        return (misplaced ? Plotly.relayout(gd, {}) : Promise.resolve()).then(() => {
          gd.layout.__descentDone = true;  // autoplay waits for this: a relayout during an animation garbles it
          gd.__descentDoneAt = Date.now();
          if (playing) {
            gd._fullLayout._currentFrame = frame;  // play on from here ("fromcurrent" reads it)
            const play = [...gd.querySelectorAll('.updatemenu-button')].find(b => (b.textContent || '').includes('▶'));
            if (play) play.dispatchEvent(new MouseEvent('click', {bubbles: true}));
          }
          // presenter mode: the animation fully on screen (the critical page's is far down the page)
          if (meta.fit && !gd.layout.__descentScrolled && gd.getBoundingClientRect().bottom > window.innerHeight + 2) {
            gd.layout.__descentScrolled = true;
            gd.scrollIntoView({block: 'end', behavior: 'instant'});
          }
        });
      });
    });
  };
  setInterval(check, 400);
  window.addEventListener('resize', check);
})();
</script>"""


def layout_script() -> None:
    """Install the page's layout script (see ``_LAYOUT_SCRIPT``)."""
    st.html(_LAYOUT_SCRIPT, unsafe_allow_javascript=True)


def page_style() -> None:
    """Every page: less empty space above the content (the top navigation bar names the page), and on
    a phone narrow side padding so the chart gets the width (issue 11)."""
    st.markdown(
        """<style>
        .block-container {padding-top: 3.6rem !important;}
        /* a chart's box follows the figure's own height (the layout script may change it) */
        [data-testid="stElementContainer"]:has(> * > [data-testid="stPlotlyChart"]) {
          height: auto !important; flex: 0 0 auto !important; overflow: visible !important;}
        [data-testid="stFullScreenFrame"]:has(> [data-testid="stPlotlyChart"]) {height: auto !important;}
        [data-testid="stPlotlyChart"] {height: auto !important; contain: none !important;}
        @media (max-width: 640px) {
          .block-container {padding-left: 0.25rem !important; padding-right: 0.25rem !important;}
          .js-plotly-plot .modebar-container {display: none !important;}  /* zoom tools: not for thumbs */
        }
        </style>""",
        unsafe_allow_html=True,
    )


def presenter_style() -> None:
    """Presenter mode: no sidebar, no top bar, larger text (the figure enlarges itself); formulas
    (KaTeX, in st.latex and in prose) grow with the prose."""
    st.markdown(
        """<style>
        [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header {display: none !important;}
        .block-container {padding-top: 1rem !important; max-width: 100% !important;}
        .stMarkdown p, .stAlert p {font-size: 1.45rem !important;}
        [data-testid="stLatex"] .katex, .stMarkdown .katex-display .katex {font-size: 1.75rem !important;}
        </style>""",
        unsafe_allow_html=True,
    )
