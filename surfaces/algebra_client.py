"""Client for the exact-algebra child process (``_atlas_worker.py``): start it, send a job, enforce its time limit.

SymPy has no timeout, so the algebra runs in a separate, persistent child interpreter (started
with ``subprocess``: a fresh interpreter, safe from Streamlit's threads) that is killed when a job
overruns ``timeout`` seconds of its CPU time (read from /proc, so that a loaded machine does not
change the answer) or :data:`WALL_FACTOR` times that in wall time.

The worker is ready once it has printed its ready line; that line is read from the pipe whenever
the worker is not yet known to be ready, however long after its launch, so a worker that started
long ago is never killed for being "late". It is killed only when it died, when a job overruns
its time limit, or when it has never said it is ready although ``startup_timeout`` (default
:data:`STARTUP_TIMEOUT`, read at use) has passed since its launch.

Every answer is ``(reply, note)``: ``reply`` the child's JSON dict, or None with a ``note`` that
says why (busy, still starting, timed out, failed); :func:`degraded_reason` turns that note into
the one-word reason ``Atlas.degraded_reason`` reports.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import pickle
import select
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only
    from .surface import Window

WALL_FACTOR = 2.5  # the algebra is killed after timeout s of its CPU time, or WALL_FACTOR * timeout wall
STARTUP_TIMEOUT = 20.0  # seconds after launch for the algebra worker to say it is ready, else it is killed
READY_POLL = 0.05  # seconds: every look for the worker's ready line waits at least this long


class AlgebraWorker:
    """One persistent child interpreter running ``_atlas_worker.py``; killed on overrun.

    Readiness is read, not assumed from a clock: the child prints ``{"ready": true}`` once SymPy
    is imported, and while the worker is not known to be ready every job first reads the pipe
    for that line (waiting at least READY_POLL), however long after the launch. The worker is
    killed only when it died, when a job overruns its limit, or when it has never said it is
    ready and ``startup_timeout`` seconds (default: the module's STARTUP_TIMEOUT, read at use)
    have passed since its launch. ``command``: the child's command line (default: this
    interpreter running ``_atlas_worker.py``; tests pass a child that never gets ready)."""

    def __init__(self, startup_timeout: float | None = None, command: list[str] | None = None):
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._ready = False
        self._eof = False
        self._buf = b""
        self._job = 0
        self._started_at = 0.0
        self.startup_timeout = startup_timeout
        self.command = command

    @property
    def _startup_limit(self) -> float:
        return float(STARTUP_TIMEOUT if self.startup_timeout is None else self.startup_timeout)

    def _start(self):
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_atlas_worker.py")
        self._proc = subprocess.Popen(
            list(self.command) if self.command else [sys.executable, "-u", script],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            close_fds=True,
        )
        self._ready = False
        self._eof = False
        self._buf = b""
        self._started_at = time.monotonic()

    def _kill(self):
        proc, self._proc = self._proc, None
        self._ready = False
        self._eof = False
        self._buf = b""
        if proc is not None:
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                proc.kill()
                proc.wait(timeout=2)
            for stream in (proc.stdin, proc.stdout):
                with contextlib.suppress(OSError):
                    stream.close()

    def _readline(self, deadline: float) -> bytes | None:
        """The next line from the child, waiting until ``deadline`` (monotonic) at most; None on
        timeout or when the child closed its output (then ``self._eof`` is set)."""
        fd = self._proc.stdout.fileno()
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                self._eof = True
                return None  # child died
            self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        return line

    def _await_ready(self, wait: float) -> str:
        """Read the pipe for the ready line for up to ``wait`` seconds, and at least READY_POLL
        (so a line the child wrote long ago is always read). "ready", "starting" or "dead"."""
        deadline = time.monotonic() + max(float(wait), READY_POLL)
        while not self._ready:
            line = self._readline(deadline)
            if line is None:
                return "dead" if self._eof or self._proc.poll() is not None else "starting"
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if isinstance(msg, dict) and msg.get("ready") is True:
                self._ready = True
        return "ready"

    def _child_cpu(self) -> float | None:
        """CPU seconds (user + system) the child has used, from /proc; None where unavailable."""
        try:
            with open(f"/proc/{self._proc.pid}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError, AttributeError):
            return None

    def warm_up(self):
        """Start the child now (it imports SymPy in the background, ~0.5 s)."""
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._kill()
                self._start()

    def run(self, expr, window: Window, timeout: float) -> tuple[dict | None, str]:
        """Returns (reply, note). reply None on timeout/failure (the child is then killed) or when
        the algebra was skipped (worker busy, or still starting: it keeps starting)."""
        if not self._lock.acquire(timeout=max(timeout, 0.0)):
            return None, "exact algebra skipped: the algebra worker is busy with another page"
        try:
            if self._proc is None or self._proc.poll() is not None:
                self._kill()
                self._start()
            if not self._ready:
                # Wait for the ready line at most `timeout` (then the worker keeps starting for
                # the next call) and not beyond the start-up window; but always read the pipe.
                limit = self._startup_limit
                left = limit - (time.monotonic() - self._started_at)
                state = self._await_ready(min(timeout, left))
                if state == "dead":
                    self._kill()
                    return None, "exact algebra failed: the algebra worker exited while starting; Newton search used"
                if state == "starting":
                    if time.monotonic() - self._started_at >= limit:
                        self._kill()  # never said it was ready within the start-up window
                        return None, (f"exact algebra unavailable: the worker did not start within {limit:g} s; "
                                      "Newton search used (the next call starts a new worker)")
                    return None, "exact algebra skipped: the algebra worker is still starting; Newton search used"
            self._job += 1
            payload = base64.b64encode(pickle.dumps(expr)).decode("ascii")
            msg = json.dumps({"id": self._job, "expr": payload, "window": [float(v) for v in window]})
            try:
                self._proc.stdin.write(msg.encode() + b"\n")
                self._proc.stdin.flush()
            except (BrokenPipeError, OSError):
                self._kill()
                return None, "exact algebra failed: the worker exited"
            # Limit: `timeout` seconds of the child's CPU time (load-independent, Linux /proc),
            # and WALL_FACTOR * timeout of wall time in any case (the hard cap).
            start = time.monotonic()
            hard = start + WALL_FACTOR * timeout
            cpu_start = self._child_cpu()
            while True:
                now = time.monotonic()
                line = self._readline(min(hard, now + 0.05)) if now < hard else None
                if line is None:
                    if self._eof or self._proc.poll() is not None:
                        self._kill()
                        return None, "exact algebra failed: the algebra worker exited; Newton search used"
                    now = time.monotonic()
                    used = self._child_cpu()
                    over_cpu = used is None or cpu_start is None or used - cpu_start > timeout
                    if now >= hard or (now - start > timeout and over_cpu):
                        self._kill()
                        return None, f"exact algebra timed out after {timeout:g} s; Newton search used"
                    continue
                try:
                    reply = json.loads(line)
                except ValueError:
                    continue
                if reply.get("id") == self._job:
                    break
            if not reply.get("ok"):
                return None, f"exact algebra failed ({reply.get('error', 'unknown error')}); Newton search used"
            return reply, ""
        finally:
            self._lock.release()

    def close(self):
        with self._lock:
            self._kill()


class AsyncAlgebra:
    """Runs ``worker.run`` in a thread so the Newton search proceeds meanwhile (2 cores)."""

    def __init__(self, worker: AlgebraWorker, expr, window, timeout):
        self.result: tuple[dict | None, str] = (None, "exact algebra did not finish")
        self._thread = threading.Thread(target=self._go, args=(worker, expr, window, timeout), daemon=True)
        self._thread.start()

    def _go(self, worker, expr, window, timeout):
        try:
            self.result = worker.run(expr, window, timeout)
        except Exception as exc:  # noqa: BLE001
            self.result = (None, f"exact algebra failed ({type(exc).__name__}); Newton search used")

    def join(self):
        self._thread.join()
        return self.result

    def succeeded(self) -> bool:
        """Finished, with an answer (non-blocking)."""
        return not self._thread.is_alive() and self.result[0] is not None


def degraded_reason(note: str) -> str:
    """Why the algebra gave no answer, from the worker's note: busy / starting / timeout / failed."""
    if "busy" in note:
        return "busy"
    if "still starting" in note:
        return "starting"
    if "timed out" in note:
        return "timeout"
    return "failed"
