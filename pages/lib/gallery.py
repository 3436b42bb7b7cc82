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
from PIL import Image, ImageDraw

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
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if spec.get("layout", {}).get("images"):
            return spec
    raise RuntimeError(f"{preset.id}: no figure with a surface image on page {preset.page}")


def render(spec: dict, size: tuple[int, int] = SIZE) -> bytes:
    """Draw the surface image and the full (faint) paths of a race figure spec, small."""
    layout = spec["layout"]
    image = layout["images"][0]
    png = base64.b64decode(image["source"].split(",", 1)[1])
    x0, y0, sx, sy = (float(image[k]) for k in ("x", "y", "sizex", "sizey"))
    xr = layout.get("xaxis", {}).get("range", [x0, x0 + sx])
    yr = layout.get("yaxis", {}).get("range", [y0 - sy, y0])
    xmin, xmax, ymin, ymax = float(xr[0]), float(xr[1]), float(yr[0]), float(yr[1])
    w, h = size

    def to_px(x, y):
        return (x - xmin) / (xmax - xmin) * (w - 1), (ymax - y) / (ymax - ymin) * (h - 1)

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
