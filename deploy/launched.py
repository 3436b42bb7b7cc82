"""``python -m deploy.serve`` in a subprocess, for scripts: start it, wait until it is ready, read
its state (pids, ports, socket, logs), stop it with Ctrl-C, or kill everything as a last resort.
Used by benchmarks/bench_deploy.py and tests/deploy; every wait is bounded."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port_block(n: int, tries: int = 50) -> int:
    """A first port p such that p .. p+n-1 are all free on 127.0.0.1 (bounded tries)."""
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


def group_members(pgid: int) -> list[int]:
    """Live processes of a process group (a replica and its atlas worker), from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds (user + system) of every live process of the group (children that exited are not counted)."""
    total = 0.0
    for pid in group_members(pgid):
        try:
            total += cpu_seconds(pid)
        except OSError:
            continue
    return total


def group_rss_mb(pgid: int) -> float:
    total = 0
    for pid in group_members(pgid):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class Launched:
    """``python -m deploy.serve --replicas N`` on free loopback ports; ``state`` is its state.json."""

    def __init__(self, replicas: int, run_dir: Path, prewarm: bool, ready_timeout: float = 420.0,
                 extra: tuple[str, ...] = ()):
        run_dir.mkdir(parents=True, exist_ok=True)
        first = free_port_block(replicas + 1)
        self.port, self.run_dir = first, run_dir
        self.out = open(run_dir / "launcher.out", "wb")
        cmd = [sys.executable, "-m", "deploy.serve", "--replicas", str(replicas), "--port", str(first),
               "--first-replica-port", str(first + 1), "--run-dir", str(run_dir), "--ready-timeout", "240", *extra]
        self.proc = subprocess.Popen(cmd + (["--prewarm"] if prewarm else []), cwd=ROOT, stdout=self.out,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        self.state: dict = {}
        self.pgids: set[int] = set()
        try:
            deadline = time.monotonic() + ready_timeout
            while not (run_dir / "ready").exists():
                if self.proc.poll() is not None:
                    raise RuntimeError(f"deploy.serve exited with {self.proc.returncode}:\n{self.output()}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"deploy.serve not ready after {ready_timeout:.0f} s:\n{self.output()}")
                time.sleep(0.5)
            self.state = json.loads((run_dir / "state.json").read_text())
        except BaseException:
            self.kill_everything()
            raise
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
