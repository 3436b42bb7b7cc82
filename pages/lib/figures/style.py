"""The shared look of every figure: path palette, marker symbols, font, sizes (normal and
presenter mode), the framed axis of the map and panels, and a path's hover text."""

from __future__ import annotations

from ..registry import PALETTE

__all__ = ["PALETTE"]  # the one palette (pages.lib.registry), re-exported as figures.PALETTE

DIVERGED_COLOR = "#D55E00"
CRITICAL_SYMBOLS = {"minimum": "circle", "maximum": "triangle-up", "saddle": "x", "degenerate": "diamond"}
FONT_FAMILY = "Source Sans Pro, Arial, sans-serif"


def style(big: bool) -> dict:
    s = 1.35 if big else 1.0
    return dict(font=round(15 * s), small=round(13 * s), head=13 * s, crit=11 * s, path=2.0 * s,
                trail=3.5 * s, panel=1.8 * s, iso=0.8 * s, end=14 * s)


def framed_axis(st: dict) -> dict:
    """The axis of the map and of the side panels: no grid, a frame, ticks outside."""
    return {"showgrid": False, "zeroline": False, "ticks": "outside", "showline": True, "linecolor": "#444",
            "mirror": True, "tickfont": {"size": st["small"]}}


def path_hover(name: str, step: str = "step", loss: str = "loss") -> str:
    # step = point index: no step array needs to be sent; customdata = loss. ``step``/``loss``: the
    # page's words for them
    return (f"<b>{name}</b><br>{step} %{{pointNumber}}<br>x %{{x:.4g}}<br>y %{{y:.4g}}"
            f"<br>{loss} %{{customdata:.4g}}<extra></extra>")
