"""Helpers of the deployment tests: the launcher in a subprocess, ports, processes (from /proc)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

REQUIRE = os.environ.get("DESCENT_LAB_REQUIRE_HAPROXY") == "1"


def haproxy_or_skip() -> str:
    exe = shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.path.exists("/usr/sbin/haproxy") else None)
    if not exe:
        reason = "haproxy is not installed (apt-get install haproxy)"
        if REQUIRE:
            pytest.fail(f"deploy tests required (DESCENT_LAB_REQUIRE_HAPROXY=1) but {reason}")
        pytest.skip(reason)
    return exe


def free_port_block(n: int, tries: int = 50) -> int:
    """A first port p such that p .. p+n-1 are all free on 127.0.0.1 (bounded tries)."""
    import random

    rng = random.Random()
    for _ in range(tries):
        first = rng.randrange(20000, 60000 - n)
        ok = True
        for port in range(first, first + n):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
                    break
        if ok:
            return first
    raise RuntimeError("no free block of ports")


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


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Cluster:
    """``python -m deploy.serve`` in a subprocess; ``state`` is its state.json."""

    def __init__(self, replicas: int, run_dir: Path, prewarm: bool, ready_timeout: float = 420.0):
        first = free_port_block(replicas + 1)
        self.port, self.run_dir = first, run_dir
        self.out = open(run_dir / "launcher.out", "wb")
        cmd = [sys.executable, "-m", "deploy.serve", "--replicas", str(replicas), "--port", str(first),
               "--first-replica-port", str(first + 1), "--run-dir", str(run_dir), "--ready-timeout", "240"]
        self.proc = subprocess.Popen(cmd + (["--prewarm"] if prewarm else []), cwd=ROOT, stdout=self.out,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        self.state: dict = {}
        self.pgids: set[int] = set()
        deadline = time.monotonic() + ready_timeout
        while not (run_dir / "ready").exists():
            if self.proc.poll() is not None:
                raise RuntimeError(f"deploy.serve exited with {self.proc.returncode}:\n{self.output()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"deploy.serve not ready after {ready_timeout:.0f} s:\n{self.output()}")
            time.sleep(0.5)
        self.state = json.loads((run_dir / "state.json").read_text())
        self.pgids = {self.state["haproxy"]["pid"]} | {r["pid"] for r in self.state["replicas"]}
        self.url = self.state["url"]
        self.socket = self.state["haproxy"]["socket"]

    def output(self) -> str:
        self.out.flush()
        return (self.run_dir / "launcher.out").read_text(errors="replace")[-4000:]

    def replica(self, name: str) -> dict:
        return next(r for r in self.state["replicas"] if r["name"] == name)

    def stop(self, timeout: float = 60.0) -> int | None:
        """SIGINT to the launcher (Ctrl-C), as a teacher stops it; its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        return self.proc.poll()

    def kill_everything(self) -> None:
        """Last resort (finally blocks): KILL the launcher and every group it started."""
        for pgid in [self.proc.pid, *self.pgids]:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.out.close()
