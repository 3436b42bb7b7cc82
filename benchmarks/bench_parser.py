"""Benchmark the formula parser: catalog formulas and the hostile table, worst case first.

    python benchmarks/bench_parser.py [--repeat N]

For every input: the cold time of ``surfaces.parse`` (cache cleared, SymPy's cache cleared,
so the full parse + differentiate + compile path runs), as wall clock and as CPU time of
this process (robust when other jobs share the machine), and the ratio to a baseline measured
in the same run on the same text: ``ast.parse`` (for over-long text, of its first 300
characters). Target (README): every input answered within 100 ms.
"""

from __future__ import annotations

import argparse
import ast
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sympy.core.cache import clear_cache  # noqa: E402
from test_parser import HOSTILE  # noqa: E402

import surfaces  # noqa: E402
from surfaces.surface import _parse_cached  # noqa: E402

TARGET_MS = 100.0


def _time(fn, repeat):
    walls, cpus = [], []
    for _ in range(repeat):
        _parse_cached.cache_clear()
        clear_cache()
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return min(walls) * 1e3, min(cpus) * 1e3


def _parse(text):
    def run():
        try:
            surfaces.parse(text)
        except surfaces.ParseError:
            pass

    return run


def _baseline(text):
    def run():
        try:
            ast.parse(text[:300], mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            pass

    return run


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    surfaces.parse("sin(x) + y^2")  # imports, first lambdify

    rows = []
    for sid, s in surfaces.CATALOG.items():
        rows.append(("catalog", sid, s.source))
    for text in HOSTILE:
        rows.append(("hostile", repr(text[:28]) + ("..." if len(text) > 28 else ""), text))

    results = []
    for group, name, text in rows:
        wall, cpu = _time(_parse(text), args.repeat)
        base_wall, _ = _time(_baseline(text), args.repeat)
        results.append((group, name, wall, cpu, wall / max(base_wall, 1e-3)))

    print(f"{'group':8} {'input':36} {'wall ms':>9} {'cpu ms':>9} {'x ast.parse':>12}")
    for group, name, wall, cpu, ratio in sorted(results, key=lambda r: -r[3]):
        print(f"{group:8} {name[:36]:36} {wall:9.2f} {cpu:9.2f} {ratio:12.0f}")
    print()
    ok = True
    for group in ("catalog", "hostile"):
        g = [r for r in results if r[0] == group]
        worst = max(g, key=lambda r: r[3])
        worst_wall = max(r[2] for r in g)
        within = worst[3] <= TARGET_MS
        ok &= within
        print(f"{group}: {len(g)} inputs, worst CPU {worst[3]:.1f} ms ({worst[1]}), worst wall {worst_wall:.1f} ms, "
              f"target {TARGET_MS:.0f} ms: {'OK' if within else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
