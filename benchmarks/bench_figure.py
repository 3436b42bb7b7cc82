"""Playground figure payload: race_figure vs the naive "whole path in every frame" figure.

6 paths x 1000 steps on a 200 x 200 grid of a catalog surface (NumPy GD / heavy-ball loops, or
optim.simulate if it is importable and works). Checks: JSON <= 1 MB and >= 10x smaller than the
naive figure. Times figure build and JSON serialisation of both, in the same run.

    python benchmarks/bench_figure.py [--surface himmelblau] [--steps 1000] [--repeat 3] [--write-docs]
"""

from __future__ import annotations

import argparse
import os
import datetime as dt
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import surfaces  # noqa: E402
from pages.lib import figures as F  # noqa: E402
from pages.lib._fig_demo import descent_path  # noqa: E402

DOC = ROOT / "docs" / "performance.md"
SECTION = "## Playground figure payload"
LIMIT_BYTES = 1_000_000
MIN_RATIO = 10.0


def make_paths(surface, steps: int) -> list[F.PathView]:
    """Six runs that use the whole step budget (no early stop): GD and heavy ball, small lrs."""
    starts = [(0.0, 0.0), (-0.3, -0.9), (-4.5, 4.5), (4.5, -4.5), (1.0, 4.5), (-4.5, -1.0)]
    configs = [(2e-4, 0.0), (2e-4, 0.9), (5e-4, 0.0), (1e-4, 0.95), (3e-4, 0.5), (1e-4, 0.0)]
    out = []
    for k, ((a, mu), st) in enumerate(zip(configs, starts)):
        p = descent_path(surface, st, lr=a, momentum=mu, n_steps=steps, tol=0.0, color=F.PALETTE[k],
                         name=f"{'GD' if not mu else f'mom {mu:g}'} η={a:g}")
        out.append(p)
    return out


def timed(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return result, statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--surface", default="himmelblau")
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--grid", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--write-docs", action="store_true", help=f"write the table under '{SECTION}' in {DOC.name}")
    args = ap.parse_args(argv)

    s = surfaces.CATALOG[args.surface]
    xs, ys, Z = s.grid(args.grid)
    paths = make_paths(s, args.steps)
    assert all(p.n_steps == args.steps for p in paths), [p.n_steps for p in paths]
    kw = dict(log_scale=s.log_scale, window=s.window)

    F.race_figure(xs, ys, Z, paths[:1], **kw)  # warm up plotly's lazy imports
    fig, t_build = timed(lambda: F.race_figure(xs, ys, Z, paths, critical_points=s.known_points, **kw), args.repeat)
    js, t_json = timed(fig.to_json, args.repeat)
    slow, t_build_validated = timed(
        lambda: F.race_figure(xs, ys, Z, paths, critical_points=s.known_points, fast_frames=False, **kw), 1)
    naive, t_build_naive = timed(lambda: F.naive_race_figure(xs, ys, Z, paths, **kw), 1)
    njs, t_json_naive = timed(naive.to_json, 1)

    size, nsize = len(js.encode()), len(njs.encode())
    ratio = nsize / size
    rows = [
        ("race_figure (head + trail frames, float32 binary)", size, len(fig.to_plotly_json()["frames"]), t_build, t_json),
        ("race_figure, frames validated by plotly.py", len(slow.to_json().encode()), len(slow.frames), t_build_validated, None),
        ("naive_race_figure (whole path per frame, lists)", nsize, len(naive.frames), t_build_naive, t_json_naive),
    ]
    head = f"| figure | JSON bytes | frames | build s | to_json s |\n|---|---:|---:|---:|---:|"
    lines = [head] + [f"| {n} | {b:,} | {fr} | {tb:.3f} | {'' if tj is None else f'{tj:.3f}'} |" for n, b, fr, tb, tj in rows]
    ok_size = size <= LIMIT_BYTES
    ok_ratio = ratio >= MIN_RATIO
    summary = (f"6 paths x {args.steps} steps, {args.grid}x{args.grid} grid, surface `{args.surface}`: "
               f"{size / 1e6:.3f} MB (limit 1 MB: {'OK' if ok_size else 'FAIL'}), "
               f"{ratio:.1f}x smaller than naive (need >= {MIN_RATIO:g}x: {'OK' if ok_ratio else 'FAIL'}); "
               f"build {t_build_naive / t_build:.0f}x faster than naive.")
    table = "\n".join(lines)
    print(table)
    print(summary)

    if args.write_docs:
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        cmd = "python benchmarks/bench_figure.py " + " ".join(argv if argv is not None else sys.argv[1:])
        body = (f"{SECTION}\n\n"
                "The playground's race figure (`pages/lib/figures.py: race_figure`) draws each path once, faintly, "
                "and animates only a head marker, a 12-point trail and one cursor per side panel; frames are capped "
                "at 200 (stride) and carry float32 base64 arrays. The surface is a PNG layout image (a contour "
                "background would vanish on a `redraw: False` animation). The naive baseline puts the whole path "
                "so far in every frame, one frame per step, as Python lists. Build = median of "
                f"{args.repeat} runs (naive: 1 run); the validated row is the same figure with `fast_frames=False`.\n\n"
                f"Measured {stamp} on {platform.machine()} / Python {platform.python_version()} "
                f"({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end: timings are relative; "
                "compare rows of the same run) with "
                f"`{cmd.strip()}`:\n\n{table}\n\n{summary}\n")
        _write_section(body)
        print(f"wrote '{SECTION}' in {DOC}")
    return 0 if ok_size and ok_ratio else 1


def _write_section(body: str) -> None:
    """Replace only our section (up to the next '## ' heading) in docs/performance.md."""
    text = DOC.read_text() if DOC.exists() else "# Performance\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if ln.strip() == SECTION), None)
    if start is None:
        new = text.rstrip("\n") + "\n\n" + body
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        tail = "".join(lines[end:])
        new = "".join(lines[:start]) + body + ("\n" + tail if tail else "")
    DOC.write_text(new)


if __name__ == "__main__":
    raise SystemExit(main())
