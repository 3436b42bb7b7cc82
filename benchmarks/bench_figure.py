"""Playground figure: build time of the plain-dict spec vs the validated go.Figure, and payload.

6 paths x N steps on a 200 x 200 grid of a catalog surface (NumPy GD / heavy-ball loops). Times,
in the same run: ``race_figure_spec`` (what pages cache: a plain dict, no plotly.py validation;
surface layers warm = a rerun that changed a path, cold = a new surface), the validated
``race_figure(...)`` plus its ``to_dict()`` (the pre-spec page pipeline), and the naive
"whole path in every frame" figure. Checks: spec JSON <= 1 MB and >= 10x smaller than naive,
spec == validated to_dict(), and (6 x 300 steps, the playground) spec build <= 40 ms (warm).

    python benchmarks/bench_figure.py [--surface himmelblau] [--steps 300 1000] [--repeat 7] [--write-docs]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import json  # noqa: E402

import plotly.io as pio  # noqa: E402

import surfaces  # noqa: E402
from pages.lib import figures as F  # noqa: E402
from pages.lib.figures.surface import LAYER_CACHE  # noqa: E402
from tests.figure_demo import descent_path, naive_race_figure  # noqa: E402

DOC = ROOT / "docs" / "performance.md"
SECTION = "## Playground figure payload"
LIMIT_BYTES = 1_000_000
MIN_RATIO = 10.0
TARGET_MS = 40.0  # race_figure_spec, 6 x 300 steps, 200 x 200 grid, surface layers cached


def make_paths(surface, steps: int) -> list[F.PathView]:
    """Six runs that use the whole step budget (no early stop): GD and heavy ball, small lrs."""
    starts = [(0.0, 0.0), (-0.3, -0.9), (-4.5, 4.5), (4.5, -4.5), (1.0, 4.5), (-4.5, -1.0)]
    configs = [(2e-4, 0.0), (2e-4, 0.9), (5e-4, 0.0), (1e-4, 0.95), (3e-4, 0.5), (1e-4, 0.0)]
    out = []
    for k, ((a, mu), st) in enumerate(zip(configs, starts)):
        p = descent_path(surface, st, lr=a, momentum=mu, n_steps=steps, tol=0.0, color=F.PALETTE[k % len(F.PALETTE)],
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


def measure(s, xs, ys, Z, steps: int, repeat: int, naive: bool) -> dict:
    paths = make_paths(s, steps)
    assert all(p.n_steps == steps for p in paths), [p.n_steps for p in paths]
    kw = dict(log_scale=s.log_scale, window=s.window, critical_points=s.known_points)
    F.race_figure_spec(xs, ys, Z, paths, **kw)  # warm: surface layers cached, lazy imports done
    spec, t_warm = timed(lambda: F.race_figure_spec(xs, ys, Z, paths, **kw), repeat)

    def cold():
        LAYER_CACHE.clear()
        return F.race_figure_spec(xs, ys, Z, paths, **kw)

    _, t_cold = timed(cold, max(1, repeat // 2))
    js, t_json = timed(lambda: pio.to_json(spec, validate=False), max(1, repeat // 2))
    fig, t_fig = timed(lambda: F.race_figure(xs, ys, Z, paths, **kw), max(1, repeat // 2))
    d, t_dict = timed(fig.to_dict, max(1, repeat // 2))
    same = json.loads(pio.to_json(d, validate=False, engine="json")) == json.loads(js)
    out = dict(steps=steps, spec_bytes=len(js.encode()), frames=len(spec["frames"]), t_warm=t_warm, t_cold=t_cold,
               t_json=t_json, t_fig=t_fig, t_dict=t_dict, same=same)
    if naive:
        nfig, out["t_naive"] = timed(lambda: naive_race_figure(xs, ys, Z, paths, log_scale=s.log_scale,
                                                               window=s.window), 1)
        njs, out["t_naive_json"] = timed(nfig.to_json, 1)
        out["naive_bytes"], out["naive_frames"] = len(njs.encode()), len(nfig.frames)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--surface", default="himmelblau")
    ap.add_argument("--steps", type=int, nargs="+", default=[300, 1000],
                    help="steps per path; the payload checks use the largest")
    ap.add_argument("--grid", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--write-docs", action="store_true", help=f"write the table under '{SECTION}' in {DOC.name}")
    args = ap.parse_args(argv)

    s = surfaces.CATALOG[args.surface]
    xs, ys, Z = s.grid(args.grid)
    big = max(args.steps)
    res = [measure(s, xs, ys, Z, n, args.repeat, naive=(n == big)) for n in sorted(args.steps)]
    r = res[-1]
    ms = lambda t: f"{t * 1e3:,.1f}"  # noqa: E731
    lines = ["| figure | steps | JSON bytes | frames | build ms | to_dict / to_json ms | build + serialise vs spec |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for m in res:
        n = m["steps"]
        lines += [
            f"| `race_figure_spec` (plain dict, surface layers cached: a rerun) | {n} | {m['spec_bytes']:,} | "
            f"{m['frames']} | {ms(m['t_warm'])} | ({ms(m['t_json'])} to_json) | 1x |",
            f"| `race_figure_spec`, new surface (PNG + iso-lines computed) | {n} | | | {ms(m['t_cold'])} | | "
            f"{m['t_cold'] / m['t_warm']:.1f}x |",
            f"| `race_figure` (validated go.Figure) + `to_dict()` | {n} | "
            f"same dict: {'yes' if m['same'] else 'NO'} | | "
            f"{ms(m['t_fig'])} | {ms(m['t_dict'])} | {(m['t_fig'] + m['t_dict']) / m['t_warm']:.0f}x |",
        ]
    lines.append(f"| `naive_race_figure` (whole path per frame, lists) | {big} | {r['naive_bytes']:,} | "
                 f"{r['naive_frames']} | {ms(r['t_naive'])} | {ms(r['t_naive_json'])} to_json | |")
    ratio = r["naive_bytes"] / r["spec_bytes"]
    play = next((m for m in res if m["steps"] == 300), None)
    ok_size = r["spec_bytes"] <= LIMIT_BYTES
    ok_ratio = ratio >= MIN_RATIO
    ok_same = all(m["same"] for m in res)
    summary = (f"6 paths x {big} steps, {args.grid}x{args.grid} grid, surface `{args.surface}`: "
               f"{r['spec_bytes'] / 1e6:.3f} MB (limit 1 MB: {'OK' if ok_size else 'FAIL'}), "
               f"{ratio:.1f}x smaller than naive (need >= {MIN_RATIO:g}x: {'OK' if ok_ratio else 'FAIL'}); "
               f"spec == validated to_dict(): {'OK' if ok_same else 'FAIL'}.")
    if play is not None:
        summary += (f" Playground (6 x 300): spec {ms(play['t_warm'])} ms on a rerun (target <= {TARGET_MS:g} ms on "
                    f"a quiet machine: {'OK' if play['t_warm'] * 1e3 <= TARGET_MS else 'over'}), "
                    f"{(play['t_fig'] + play['t_dict']) / play['t_warm']:.0f}x faster than the validated "
                    "build + to_dict() in the same run.")
    table = "\n".join(lines)
    print(table)
    print(summary)

    if args.write_docs:
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        cmd = "python benchmarks/bench_figure.py " + " ".join(argv if argv is not None else sys.argv[1:])
        body = (f"{SECTION}\n\n"
                "The playground's race figure draws each path once, faintly, and animates only a head marker, a "
                "12-point trail and one cursor per side panel; frames are capped at 200 (stride) and carry float32 "
                "base64 arrays. The surface is a PNG layout image (a contour background would vanish on a "
                "`redraw: False` animation). The naive baseline puts the whole path so far in every frame, one frame "
                "per step, as Python lists.\n\n"
                "Pages should cache `figures.race_figure_spec(...)`: the plain figure dict (arrays as plotly.js "
                "typed-array specs, encoded by the rules of plotly.py's `to_dict()`), built from dicts without "
                "plotly.py's validation. `race_figure` is its validated twin (same builder, `_race_dict`); "
                "`tests/test_figures.py` proves spec == `race_figure(...).to_dict()` == `go.Figure(spec).to_dict()` "
                "== the pre-spec implementation on several configurations. The surface layers (PNG, iso-lines, "
                "colour range) are memoised on the grid's bytes (LRU 16), so a rerun that changes one path redoes "
                "only the paths, panels and frames. Build = median of "
                f"{args.repeat} runs (cold, to_json, validated: {max(1, args.repeat // 2)}; naive: 1).\n\n"
                f"Measured {stamp} on {platform.machine()} / Python {platform.python_version()} "
                f"({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end: timings are relative; "
                "compare rows of the same run) with "
                f"`{cmd.strip()}`:\n\n{table}\n\n{summary}\n")
        _write_section(body)
        print(f"wrote '{SECTION}' in {DOC}")
    return 0 if ok_size and ok_ratio and ok_same else 1


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
