"""Screenshots and measurements of every page's race figure at the class's screen sizes (not a
test: run it by hand against a running app and LOOK at the pictures).

    streamlit run app.py --server.port 8615 --server.headless true &
    python tests/browser/layout_shots.py [--base http://127.0.0.1:8615] [--out /tmp/layout_shots]

For each size (phone 390x844, projector 1366x768 and 1920x1080 in presenter mode, desktop
1400x1000) and each page (its first preset), it presses Play, waits, saves
``<out>/<size>_<page>.png`` (the viewport, what the room sees) and prints the surface's size, the
race chart's bottom edge against the fold and any overlapping boxes (tests/browser/layout_helpers.py).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).parent)]

from browser_helpers import wait_app_idle  # noqa: E402
from layout_helpers import MARK_RACE, overlaps, race_geometry, wait_laid_out  # noqa: E402

from pages.lib.presets import presets_for  # noqa: E402
from pages.lib.registry import CONTENT_PAGES  # noqa: E402

SIZES = {"phone": (390, 844, False), "proj1366": (1366, 768, True), "proj1920": (1920, 1080, True),
         "desktop": (1400, 1000, False)}
RACE = "[data-testid='stMain'] .js-plotly-plot[data-race='1']"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8615")
    ap.add_argument("--out", default="/tmp/layout_shots")
    ap.add_argument("--sizes", default=",".join(SIZES))
    ap.add_argument("--pages", default=",".join(p.url_path for p in CONTENT_PAGES))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        for size in args.sizes.split(","):
            w, h, present = SIZES[size]
            ctx = browser.new_context(viewport={"width": w, "height": h})
            page = ctx.new_page()
            for name in args.pages.split(","):
                preset = presets_for(name)[0]
                url = f"{args.base}/{name}?v=2&preset={preset.id}" + ("&present=1" if present else "")
                page.goto(url)
                wait_app_idle(page, timeout=120_000)
                row = {"size": size, "page": name}
                try:
                    page.wait_for_function(MARK_RACE, timeout=15_000)
                except Exception:
                    page.screenshot(path=str(out / f"{size}_{name}.png"))
                    rows.append(row | {"race": False})
                    print(json.dumps(rows[-1]), flush=True)
                    continue
                wait_laid_out(page, RACE)
                if not present:
                    page.locator(RACE).locator("g.updatemenu-button", has_text="▶").first.click(force=True)
                time.sleep(2.0)
                page.screenshot(path=str(out / f"{size}_{name}.png"))
                geo = race_geometry(page, RACE)
                bottom = max([geo["chart"]["y"] + geo["chart"]["h"]] + [b["y"] + b["h"] for b in geo["buttons"]])
                row.update(surface_w=round(geo["surface"]["w"]) if geo["surface"] else None,
                           surface_h=round(geo["surface"]["h"]) if geo["surface"] else None,
                           chart_top=round(geo["chart"]["y"] + geo["scrollY"]),
                           chart_bottom=round(bottom + geo["scrollY"]), vh=h,
                           min_button=min((round(min(b["w"], b["h"])) for b in geo["buttons"]), default=None),
                           overlaps=overlaps(geo))
                rows.append(row)
                print(json.dumps(row, ensure_ascii=False), flush=True)
            ctx.close()
        browser.close()
    (out / "measurements.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
