"""Helpers of the deployment tests: the launcher in a subprocess (deploy/launched.py), processes from /proc."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pytest

from deploy.launched import Launched as Cluster  # noqa: F401  (re-exported)
from deploy.launched import cpu_seconds, free_port_block  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]  # on sys.path through pytest.ini's pythonpath

REQUIRE = os.environ.get("DESCENT_LAB_REQUIRE_HAPROXY") == "1"


def haproxy_or_skip() -> str:
    exe = shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.path.exists("/usr/sbin/haproxy") else None)
    if not exe:
        reason = "haproxy is not installed (apt-get install haproxy)"
        if REQUIRE:
            pytest.fail(f"deploy tests required (DESCENT_LAB_REQUIRE_HAPROXY=1) but {reason}")
        pytest.skip(reason)
    return exe


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc: parent links)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def run_async(coro):
    """``asyncio.run(coro)`` on a thread of its own. In a pytest worker that has also run the
    browser tests, Playwright's sync API keeps an event loop running on the main thread, and
    asyncio.run refuses to start a second loop there."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
