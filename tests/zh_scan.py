"""Everything a page shows as text, for the Chinese scan (tests/test_zh_scan.py): element text,
widget labels, the options a select shows, and every word the page's figures draw."""

from __future__ import annotations

import json
import re

# The lecture (Chinese, ../shared/seed/) writes its technical terms in English inside Chinese
# sentences ("critical point", "saddle point", "batch size", "learning rate" ...): the Chinese pages
# do the same. These are the English words of the lecture notes that are terms, not prose.
LECTURE_TERMS = {
    "adaptive", "batch", "critical", "data", "decay", "descent", "epoch", "error", "full", "generalization",
    "gpu", "gradient", "hessian", "large", "learning", "local", "loss", "maxima", "mean", "minima", "minimum",
    "momentum", "movement", "noisy", "off", "optimization", "optimizer", "parallel", "parameter", "point",
    "rate", "rms", "root", "saddle", "schedule", "shuffle", "size", "small", "square", "stable", "sum",
    "surface", "trade", "train", "training", "update", "validation", "warm", "speed", "time",
}
# Words that stay as they are in a Chinese page besides the lecture's terms: proper names, PyTorch's
# and the code's names of things, symbols and units. Any other English word is a leak.
ALLOWED = LECTURE_TERMS | {
    # optimizers, methods and people
    "adam", "adamw", "amsgrad", "adagrad", "rmsprop", "sgd", "sgdr", "nesterov", "pytorch", "torch", "numpy",
    "newton", "hessian", "rosenbrock", "himmelblau", "beale", "booth", "rastrigin", "ackley", "styblinski",
    "tang", "goldstein", "price", "mccormick", "descent", "lab", "optax", "plotly", "sympy", "python", "csv",
    "json", "html", "png", "svg", "url", "mlp", "tanh", "relu", "lbfgs", "warmup", "warm", "cosine",
    # torch's argument names, shown in parentheses after the Chinese label
    "lr", "eps", "alpha", "betas", "momentum", "dampening", "weight_decay", "lr_decay",
    "initial_accumulator_value", "centered", "bias", "correction", "decay", "beta", "gamma", "step_size",
    "milestones", "pct_start", "div_factor", "final_div_factor", "start_factor", "t_0", "t_mult", "floor",
    # math and symbols written in Latin letters
    "max", "min", "log", "exp", "sqrt", "sin", "cos", "tan", "abs", "inf", "nan", "diag", "argmin", "std",
    "rms", "ema", "grad", "var", "mean", "sign", "det", "tol", "xmin", "xmax", "ymin", "ymax", "taylor",
    "groebner", "gröbner", "buffer", "maximum", "true", "false", "optim", "surfaces", "multisteplr", "milestone", "cuda", "cpu",
}
WORD = re.compile(r"[A-Za-z][A-Za-z_']{2,}")  # words with "_" are code or symbols (weight_decay, h_yy): skipped
# things that are not prose: LaTeX, math in $...$, code spans, links and HTML tags
_SKIP = [re.compile(p, re.S) for p in (
    r"<style>.*?</style>", r"<script>.*?</script>", r"\$\$.*?\$\$", r"\$[^$]*\$", r"`[^`]*`", r"\]\([^)]*\)",
    r"<[^>]+>", r"https?://\S+", r"\\[a-zA-Z]+", r"&[a-z]+;", r"%\{[^}]*\}", r"\b\w+=")]


def english_words(text: str) -> set[str]:
    for pattern in _SKIP:
        text = pattern.sub(" ", text)
    return {w for w in WORD.findall(text) if "_" not in w and w.lower().strip("'") not in ALLOWED}


def _figure_texts(spec: dict):
    layout = spec.get("layout", {})
    for trace in spec.get("data", ()):
        if trace.get("showlegend", True) and trace.get("name"):
            yield trace["name"]
        hover = trace.get("hovertemplate")
        for h in hover if isinstance(hover, list) else [hover]:
            if isinstance(h, str):
                yield h
    for a in layout.get("annotations", ()):
        yield a.get("text") or ""
    for key, value in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(value, dict):
            yield (value.get("title") or {}).get("text") or ""
    yield (layout.get("title") or {}).get("text") or ""
    for slider in layout.get("sliders", ()):
        yield (slider.get("currentvalue") or {}).get("prefix") or ""
    for menu in layout.get("updatemenus", ()):
        for button in menu.get("buttons", ()):
            yield button.get("label") or ""
    for trace in spec.get("data", ()):
        bar = (trace.get("colorbar") or (trace.get("marker") or {}).get("colorbar") or {})
        yield (bar.get("title") or {}).get("text") or ""


def visible_texts(at):
    """(where, text) for every text of an AppTest run a reader can see."""
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "subheader", "header", "title",
                 "text"):
        for el in getattr(at, kind, ()):
            yield kind, str(el.value)
    for kind in ("selectbox", "number_input", "toggle", "slider", "text_input", "checkbox", "radio",
                 "color_picker", "button", "multiselect", "select_slider"):
        for w in getattr(at, kind, ()):
            yield f"{kind} label", str(getattr(w, "label", "") or "")
            if getattr(w, "help", None):
                yield f"{kind} help", str(w.help)
            if kind in ("selectbox", "radio", "multiselect"):
                for option in w.options:
                    yield f"{kind} option", str(option)
    for el in at.get("expander"):
        yield "expander", str(el.proto.label)
    for el in at.get("tabs") if hasattr(at, "tabs") else ():
        yield "tab", str(getattr(el, "label", ""))
    for el in at.get("plotly_chart"):
        for text in _figure_texts(json.loads(el.proto.spec)):
            yield "figure", text


def leaks(at) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for where, text in visible_texts(at):
        words = english_words(text)
        if words:
            out.setdefault(f"{where}: {text[:90]!r}", set()).update(words)
    return out
