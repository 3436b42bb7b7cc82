"""Gallery thumbnails: each preset's page is run headless (Streamlit's AppTest) with the
preset's link, and its race figure is redrawn small with Pillow (the surface image the page
sent, and each full path). Nothing here runs in the server: thumbnails are files in
``pages/gallery/``, rebuilt with ``python -m pages.lib.gallery`` after a page or preset
changes (a test checks they are current).
"""

from __future__ import annotations

import base64
import io
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageColor, ImageDraw

from .claims import decode_array
from .presets import PRESETS
from .registry import PAGE_BY_PATH

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "pages" / "gallery"
SIZE = (320, 200)



def thumbnail_file(preset_id: str) -> Path:
    return GALLERY / f"{preset_id}.png"


def race_spec(preset) -> dict:
    """The page's first figure that has a surface image, as the browser would receive it."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / PAGE_BY_PATH[preset.page].file), default_timeout=300)
    for key, value in preset.params.items():
        at.query_params[key] = value
    at.query_params["preset"] = preset.id
    at.run()
    if at.exception:
        raise RuntimeError(f"{preset.id}: the page raised {at.exception[0].message}")
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    for spec in specs:
        if spec.get("layout", {}).get("images"):
            return spec
    for spec in specs:  # a page without a surface (the real-network page): its first chart's named curves
        if any(isinstance(t.get("meta"), dict) and t["meta"].get("curve") for t in spec.get("data", [])):
            return spec
    raise RuntimeError(f"{preset.id}: no figure with a surface image or named curves on page {preset.page}")


def render(spec: dict, size: tuple[int, int] = SIZE) -> bytes:
    """Draw the surface image, the full (faint) paths and the marker traces (the atlas' critical
    points) of a figure spec, small, with the figure's aspect ratio when it has equal axes (a
    chart without a surface image: its named curves, :func:`render_curves`)."""
    if not spec.get("layout", {}).get("images"):
        return render_curves(spec, size)
    layout = spec["layout"]
    image = layout["images"][0]
    png = base64.b64decode(image["source"].split(",", 1)[1])
    x0, y0, sx, sy = (float(image[k]) for k in ("x", "y", "sizex", "sizey"))
    xr = layout.get("xaxis", {}).get("range", [x0, x0 + sx])
    yr = layout.get("yaxis", {}).get("range", [y0 - sy, y0])
    xmin, xmax, ymin, ymax = float(xr[0]), float(xr[1]), float(yr[0]), float(yr[1])
    w, h = size
    sx_px, sy_px = (w - 1) / (xmax - xmin), (h - 1) / (ymax - ymin)
    if layout.get("yaxis", {}).get("scaleanchor") == "x":  # equal axes: keep the aspect, centred
        sx_px = sy_px = min(sx_px, sy_px)
    ox, oy = (w - 1 - (xmax - xmin) * sx_px) / 2, (h - 1 - (ymax - ymin) * sy_px) / 2

    def to_px(x, y):
        return ox + (x - xmin) * sx_px, oy + (ymax - y) * sy_px

    canvas = Image.new("RGB", size, "white")
    surf = Image.open(io.BytesIO(png)).convert("RGBA")
    left, top = to_px(x0, y0)
    right, bottom = to_px(x0 + sx, y0 - sy)
    box = (int(round(left)), int(round(top)), int(round(right)), int(round(bottom)))
    if box[2] > box[0] and box[3] > box[1]:
        canvas.paste(surf.resize((box[2] - box[0], box[3] - box[1]), Image.BILINEAR), box[:2], surf.resize(
            (box[2] - box[0], box[3] - box[1]), Image.BILINEAR))
    draw = ImageDraw.Draw(canvas, "RGBA")
    for trace in spec.get("data", []):
        full_path = (trace.get("showlegend") and trace.get("mode") == "lines"
                     and trace.get("xaxis", "x") == "x" and trace.get("yaxis", "y") == "y")
        if not full_path:
            continue
        xs, ys = decode_array(trace.get("x")), decode_array(trace.get("y"))
        colour = trace.get("line", {}).get("color", "#000000")
        pts = [to_px(a, b) for a, b in zip(xs, ys) if np.isfinite(a) and np.isfinite(b)]
        pts = [(float(np.clip(a, -w, 2 * w)), float(np.clip(b, -h, 2 * h))) for a, b in pts]
        if len(pts) > 1:
            draw.line(pts, fill=colour, width=3, joint="curve")
        if pts:
            ex, ey = pts[-1]
            draw.ellipse([ex - 5, ey - 5, ex + 5, ey + 5], fill=colour, outline=(0, 0, 0))
    for trace in spec.get("data", []):
        marker = trace.get("marker") or {}
        if (trace.get("mode") == "markers" and trace.get("xaxis", "x") == "x" and trace.get("yaxis", "y") == "y"
                and _largest(marker.get("size")) > 0 and marker.get("opacity", 1) != 0):  # not the click grid
            for a, b in zip(decode_array(trace.get("x")), decode_array(trace.get("y"))):
                if np.isfinite(a) and np.isfinite(b):
                    _marker(draw, *to_px(a, b), marker)
    if ox > 0.5 or oy > 0.5:  # outside the plot: white, as on the page
        left, top = to_px(xmin, ymax)
        right, bottom = to_px(xmax, ymin)
        for rect in ([0, 0, left - 1, h], [right + 1, 0, w, h], [0, 0, w, top - 1], [0, bottom + 1, w, h]):
            if rect[2] >= rect[0] and rect[3] >= rect[1]:
                draw.rectangle(rect, fill="white")
    buf = io.BytesIO()
    canvas.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _largest(size) -> float:
    """A marker size as plotly takes it (a number, a list, a base64 array): the largest; 0 if none."""
    if isinstance(size, (list, tuple, dict)):
        values = decode_array(size)
        return float(np.nanmax(values)) if len(values) else 0.0
    return float(size or 0)


def _marker(draw, x: float, y: float, marker: dict, r: float = 5.0) -> None:
    """One plotly marker, small: its symbol (circle, open circle, triangle, x, diamond, star;
    anything else a circle) in its colour with a dark outline."""
    colour = marker.get("color") if isinstance(marker.get("color"), str) else "#000000"
    edge = (marker.get("line") or {}).get("color")
    edge = edge if isinstance(edge, str) else ("#000000" if colour.lower() in ("white", "#ffffff") else "#ffffff")
    symbol = str(marker.get("symbol", "circle"))
    if symbol == "x":
        for width, c in ((5, edge), (2, colour)):
            draw.line([x - r, y - r, x + r, y + r], fill=c, width=width)
            draw.line([x - r, y + r, x + r, y - r], fill=c, width=width)
    elif symbol.startswith("triangle"):
        draw.polygon([(x, y - r - 1), (x - r, y + r - 1), (x + r, y + r - 1)], fill=colour, outline=edge)
    elif symbol.startswith("diamond"):
        draw.polygon([(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)], fill=colour, outline=edge)
    elif symbol.startswith("star"):
        angles = np.pi / 2 + np.arange(10) * np.pi / 5
        radii = np.where(np.arange(10) % 2 == 0, r + 2, (r + 2) * 0.45)
        draw.polygon([(x + q * np.cos(t), y - q * np.sin(t)) for q, t in zip(radii, angles)], fill=colour, outline=edge)
    elif symbol.endswith("-open"):
        draw.ellipse([x - r - 1, y - r - 1, x + r + 1, y + r + 1], outline=colour, width=2)
    else:
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour, outline=edge)


def _scaled(v: np.ndarray, log: bool) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.where(v > 0, np.log10(np.where(v > 0, v, 1.0)), np.nan) if log else v


def render_curves(spec: dict, size: tuple[int, int] = SIZE) -> bytes:
    """A chart's named curves (traces with ``meta={"curve": ...}``, see
    :func:`pages.lib.claims.drawn_from_traces`) drawn small: lines as lines, markers as dots,
    bars as bars; each y axis (``y``, ``y2``) scaled on its own, log axes in log."""
    layout = spec.get("layout", {})
    traces = [t for t in spec.get("data", []) if isinstance(t.get("meta"), dict) and t["meta"].get("curve")]
    ss = 3  # drawn 3x larger, then shrunk: smooth (anti-aliased) lines and dots
    w, h = size[0] * ss, size[1] * ss
    pad = 10 * ss
    canvas = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(canvas, "RGBA")
    xlog = layout.get("xaxis", {}).get("type") == "log"
    series = []
    for t in traces:
        axis = "yaxis" + t.get("yaxis", "y")[1:]
        x = _scaled(decode_array(t.get("x")), xlog)
        y = _scaled(decode_array(t.get("y")), layout.get(axis, {}).get("type") == "log")
        if x.size and x.size == y.size:
            series.append((t, axis, x, y))
    if not series:
        raise RuntimeError("no named curves to draw")
    allx = np.concatenate([x for _, _, x, _ in series])
    x0, x1 = layout.get("xaxis", {}).get("range") or (np.nanmin(allx), np.nanmax(allx))
    yr = {}
    for _, axis, _, y in series:  # the chart's own range where it sets one (plotly: log units on log axes)
        lo, hi = yr.get(axis, (np.inf, -np.inf))
        yr[axis] = layout.get(axis, {}).get("range") or (min(lo, np.nanmin(y)), max(hi, np.nanmax(y)))
    for t, axis, x, y in series:
        y0, y1 = yr[axis]
        px = pad + (x - x0) / ((x1 - x0) or 1.0) * (w - 2 * pad - 1)
        py = h - pad - 1 - (y - y0) / ((y1 - y0) or 1.0) * (h - 2 * pad - 1)
        colour = (t.get("line") or {}).get("color") or (t.get("marker") or {}).get("color") or "#000000"
        ok = np.isfinite(px) & np.isfinite(py)
        pts = [(float(a), float(b)) for a, b in zip(px[ok], py[ok])]
        opacity = int(255 * float(t.get("opacity", 1.0)))
        if t.get("type") == "bar":
            base = h - pad - 1
            for a, b in pts:
                if b < base:
                    draw.rectangle([a - 2 * ss, b, a + 2 * ss, base], fill=colour)
        elif "lines" in t.get("mode", "lines") and len(pts) > 1:
            rgb = ImageColor.getrgb(colour)[:3] if colour.startswith("#") else (0, 0, 0)
            draw.line(pts, fill=(*rgb, opacity), width=2 * ss, joint="curve")
        else:
            for a, b in pts:
                draw.ellipse([a - 4 * ss, b - 4 * ss, a + 4 * ss, b + 4 * ss], fill=colour)
    canvas = canvas.resize(size, Image.LANCZOS)
    buf = io.BytesIO()
    canvas.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def build(preset_ids=None, verbose: bool = True) -> list[Path]:
    GALLERY.mkdir(parents=True, exist_ok=True)
    written = []
    for preset in PRESETS.values():
        if preset_ids and preset.id not in preset_ids:
            continue
        data = render(race_spec(preset))
        thumbnail_file(preset.id).write_bytes(data)
        written.append(thumbnail_file(preset.id))
        if verbose:
            print(f"{preset.id}: {len(data) / 1024:.0f} kB")
    return written


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    build(sys.argv[1:] or None)
