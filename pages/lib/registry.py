"""The one registry of the site's fixed lists (plain Python, no Streamlit): the pages, the
colour palette, the step limits and the demo learning rates. app.py, the home page, the gallery,
the presets and the tests all read these; nothing else spells them out again."""

from __future__ import annotations

from dataclasses import dataclass

import optim

# The link schema version: bump it when a control's default or meaning changes. 2: a select's
# link value is the option's id (surface=two_dips, o1=adam), no longer its English title (1);
# schema-1 links still open the same view (pages.lib.controls.Control accepts both).
SCHEMA_VERSION = "2"
READABLE_VERSIONS = ("1", "2")  # links of these versions open exactly as they did: no "other version" note


@dataclass(frozen=True)
class PageInfo:
    """One page: ``url_path`` is what links and presets name ("" is the home page). It must equal
    the file's stem: on a session's first request Streamlit resolves the URL against the files in
    pages/ before st.navigation runs, and a mismatch shows a "Page not found" dialog."""

    url_path: str
    file: str
    icon: str

    @property
    def blurb_key(self) -> str:
        """Key of the page's one-line description in the home page's text table."""
        return f"{self.url_path}_blurb"


PAGES: tuple[PageInfo, ...] = (
    PageInfo("", "pages/home.py", ":material/home:"),  # the default page lives at "/"
    PageInfo("playground", "pages/playground.py", ":material/sports_score:"),
    PageInfo("critical", "pages/critical.py", ":material/change_history:"),
    PageInfo("batch", "pages/batch.py", ":material/stacks:"),
    PageInfo("momentum", "pages/momentum.py", ":material/speed:"),
    PageInfo("adaptive", "pages/adaptive.py", ":material/tune:"),
    PageInfo("warmup", "pages/warmup.py", ":material/trending_up:"),
    PageInfo("basins", "pages/basins.py", ":material/water:"),
    PageInfo("compose", "pages/compose.py", ":material/construction:"),
    PageInfo("network", "pages/network.py", ":material/hub:"),
)
PAGE_BY_PATH = {p.url_path: p for p in PAGES}
CONTENT_PAGES = tuple(p for p in PAGES if p.url_path)  # every page but home

# Okabe-Ito: distinguishable with every common colour-vision deficiency, and on a projector.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00")

# Step limits. The engine clamps any run to optim.MAX_STEPS; the playground's widget allows fewer
# (a 6-optimizer race at 5000 steps is the most a page should compute and animate), the lesson
# pages fewer still (their phenomena happen in the first few hundred steps).
ENGINE_MAX_STEPS = optim.MAX_STEPS
PLAYGROUND_MAX_STEPS = 5000
LESSON_MAX_STEPS = 2000

# Learning-rate defaults tuned for a 300-step demo on the catalog surfaces (torch's defaults, e.g.
# Adam's lr=1e-3, barely move in 300 steps). They are the widget defaults, so links stay short.
DEMO_LR = {"gd": 0.01, "sgd": 0.01, "momentum": 0.01, "nesterov": 0.01, "adagrad": 0.5,
           "adagrad_lecture": 0.1, "rmsprop": 0.05, "rmsprop_lecture": 0.05, "adam": 0.1,
           "adamw": 0.1, "amsgrad": 0.1, "newton": 0.5}


def demo_default(opt_id: str, param):
    """The widget default of one ``optim.Param`` of optimizer ``opt_id``."""
    if param.name == "lr" and opt_id in DEMO_LR:
        return DEMO_LR[opt_id]
    return param.default
