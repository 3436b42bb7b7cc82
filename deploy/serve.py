"""Serve a class: N ``streamlit run app.py`` replicas behind HAProxy, one address, one command.

    python -m deploy.serve --replicas 4 --port 8501            # this computer only (127.0.0.1)
    python -m deploy.serve --replicas 4 --port 8501 --host 0.0.0.0 --prewarm   # a lecture hall

Starts each replica on its own loopback port (8511, 8512, ... by default), waits until every one
answers ``/_stcore/health``, writes a haproxy.cfg (``deploy/haproxy.py``) and starts Debian's
``haproxy`` in front of them, waits until the proxy sees every replica UP, optionally opens every
preset once on every replica through the proxy (``--prewarm``: the first visit of a preset costs
0.2-1.9 s of CPU, better spent before class), prints the URL, then watches: a replica that exits
or that the proxy marks DOWN is reported (its students reconnect to the others). Ctrl-C (or
SIGTERM/SIGHUP) stops the proxy and every replica with its child processes (TERM, then KILL
after a grace period) and checks that none is left.

Replicas on other machines: ``--remote NAME=HOST:PORT`` (repeatable) adds a ``streamlit run
app.py`` started there to the proxy's list; ``--replicas 0`` with remotes makes this machine the
proxy only. Everything the run writes (haproxy.cfg, logs, state.json with every pid and port, the
HAProxy admin socket) is in ``--run-dir`` (a fresh temporary folder by default).
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from deploy.haproxy import COOKIE, Backend, render

ROOT = Path(__file__).resolve().parents[1]

# The flags every replica runs with, here and in deploy/Dockerfile (a test keeps them equal).
STREAMLIT_FLAGS = ["--server.headless", "true", "--browser.gatherUsageStats", "false",
                   "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
REPLICA_ENV = "DESCENT_LAB_REPLICA"  # each replica's name (r1, r2, ...), the same as its cookie value


@dataclass
class Proc:
    name: str
    port: int
    pid: int
    log: str


def say(*parts) -> None:
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def port_is_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM if the launcher dies without cleaning up (Linux)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def start_replica(name: str, port: int, run_dir: Path, extra: list[str]) -> tuple[subprocess.Popen, Proc]:
    log = run_dir / f"{name}.log"
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", *STREAMLIT_FLAGS,
             "--server.address", "127.0.0.1", "--server.port", str(port), *extra],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, preexec_fn=_die_with_parent,
            env={**os.environ, REPLICA_ENV: name, "PYTHONUNBUFFERED": "1"},
        )
    return proc, Proc(name, port, proc.pid, str(log))


def listens_on(pid: int, port: int) -> bool | None:
    """Whether process ``pid`` holds the listening socket of 127.0.0.1:``port`` (Linux /proc);
    None where that cannot be told. A replica that found its port taken exits, but until it
    has, another server on that port would answer its health check."""
    try:
        inodes = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            if not os.path.exists(table):
                continue
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                    inodes.add(fields[9])
        held = set()
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd)
            if target.startswith("socket:["):
                held.add(target[8:-1])
    except OSError:
        return None
    return bool(inodes & held)


def healthy(url: str, timeout: float = 3.0) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


def admin(sock_path: str | os.PathLike, command: str, timeout: float = 5.0) -> str:
    """One command on HAProxy's admin socket ("show stat", "disable server replicas/r1", ...)."""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(timeout)
        s.connect(str(sock_path))
        s.sendall(command.encode() + b"\n")
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def proxy_info(sock_path: str | os.PathLike) -> dict[str, str]:
    """HAProxy's process counters from ``show info`` ("Uptime_sec", "CurrConns", "DroppedLogs", ...).
    DroppedLogs counts access-log lines it gave up writing: to a file descriptor (stdout, our log),
    a thread that cannot take the log lock after 200 tries drops its line rather than block."""
    info = {}
    for line in admin(sock_path, "show info").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            info[name.strip()] = value.strip()
    return info


def server_states(sock_path: str | os.PathLike) -> dict[str, dict[str, str]]:
    """Per replica, HAProxy's view: status (UP, DOWN, ...), scur (open connections now),
    stot (connections so far), check_status, ... from ``show stat``."""
    lines = admin(sock_path, "show stat").splitlines()
    header = lines[0].lstrip("# ").split(",")
    states = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split(","), strict=False))
        if row.get("pxname") == "replicas" and row.get("svname") not in ("FRONTEND", "BACKEND", None):
            states[row["svname"]] = row
    return states


def kill_group(pid: int, sig: int) -> bool:
    """Signal a process group; False if nothing is left in it."""
    try:
        os.killpg(pid, sig)
        return True
    except ProcessLookupError:
        return False


def stop_all(procs: list[subprocess.Popen], grace: float = 15.0) -> int:
    """TERM every process group (the proxy first, then the replicas and their children), KILL what
    is left after ``grace`` seconds; returns how many groups had to be killed."""
    for p in procs:
        kill_group(p.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for p in procs:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    # a group can outlive its leader (a child such as the atlas worker): wait for the group too
    while time.monotonic() < deadline and any(kill_group(p.pid, 0) for p in procs):
        time.sleep(0.2)
    killed = 0
    for p in procs:
        if kill_group(p.pid, signal.SIGKILL):
            killed += 1
    for p in procs:
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
    return killed


async def prewarm(url: str, names: list[str], links: list[str], timeout: float = 300.0,
                  stop=lambda: False) -> dict[str, list]:
    """Open every link once on every replica, through the proxy: the affinity cookie names the
    replica. Replicas in parallel, links one after another on each; ``stop()`` true ends it
    after the current links. {replica: [Student, ...]}."""
    from deploy.stclient import student

    async def one_replica(name: str) -> list:
        done = []
        for link in links:
            if stop():
                break
            rec = await student(url, link, change=False, via_proxy=True, cookies={COOKIE: name},
                                timeout=timeout, need_figure=link.split("?")[0] != "/")
            if rec.replicas != {name}:
                rec.error = rec.error or f"served by {sorted(map(str, rec.replicas))}, not {name} (down?)"
            done.append(rec)
        return done

    results = await asyncio.gather(*(one_replica(n) for n in names))
    return dict(zip(names, results, strict=True))


def preset_links() -> list[str]:
    """The home page and every preset's link (what a class is sent)."""
    sys.path.insert(0, str(ROOT))
    from pages.lib.presets import PRESETS

    return ["/"] + [f"/{p.page}?{p.query()}" for p in PRESETS.values()]


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, default=2, help="Streamlit processes on this machine (default 2)")
    ap.add_argument("--port", type=int, default=8501, help="the address students open (default 8501)")
    ap.add_argument("--host", default="127.0.0.1",
                    help="where the proxy listens: 127.0.0.1 (this computer, default) or 0.0.0.0 (the room's network)")
    ap.add_argument("--first-replica-port", type=int, default=None,
                    help="replica ports are this, +1, ... on 127.0.0.1 (default: --port + 10)")
    ap.add_argument("--remote", action="append", default=[], metavar="NAME=HOST:PORT",
                    help="a replica started on another machine (streamlit run app.py there), repeatable")
    ap.add_argument("--prewarm", action="store_true", help="open every preset once on every replica before printing the URL")
    ap.add_argument("--run-dir", default=None, help="where configs, logs and state.json go (default: a new temporary folder)")
    ap.add_argument("--haproxy", default=None, help="the haproxy executable (default: found on PATH or /usr/sbin)")
    ap.add_argument("--ready-timeout", type=float, default=180.0, help="seconds to wait for replicas and proxy")
    ap.add_argument("--streamlit-option", action="append", default=[], metavar="--SECTION.OPTION=VALUE",
                    help="passed to every local replica, e.g. --streamlit-option=--runner.postScriptGC=true")
    args = ap.parse_args(argv)
    if args.replicas < 0 or (args.replicas == 0 and not args.remote):
        ap.error("--replicas must be at least 1 (or 0 with --remote)")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    exe = args.haproxy or shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.path.exists("/usr/sbin/haproxy") else None)
    if not exe or not os.access(exe, os.X_OK):
        print(f"haproxy {'is not installed' if not exe else f'{exe!r} is not an executable'}: "
              "apt-get install haproxy (Debian/Ubuntu)", file=sys.stderr)
        return 2
    first = args.first_replica_port or args.port + 10
    local = [(f"r{i + 1}", first + i) for i in range(args.replicas)]
    remote = []
    for spec in args.remote:
        try:
            name, _, hostport = spec.partition("=")
            host, _, port = hostport.rpartition(":")
            remote.append(Backend(name, host, int(port)))
        except ValueError:
            print(f"--remote {spec!r}: expected NAME=HOST:PORT", file=sys.stderr)
            return 2
    busy = [p for _, p in local if not port_is_free("127.0.0.1", p)]
    if not port_is_free(args.host, args.port):
        busy.insert(0, args.port)
    if busy:
        print(f"port(s) already in use: {busy}; choose --port / --first-replica-port", file=sys.stderr)
        return 2
    run_dir = Path(args.run_dir or tempfile.mkdtemp(prefix="descent-lab-serve-")).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    extra = [opt for o in args.streamlit_option for opt in o.split("=", 1)]

    stop_requested: list[int] = []

    def request_stop(signum, _frame):
        stop_requested.append(signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, request_stop)

    procs: list[subprocess.Popen] = []
    replicas: dict[str, tuple[subprocess.Popen, Proc]] = {}
    haproxy_proc = None
    code = 0
    try:
        for name, port in local:
            proc, info = start_replica(name, port, run_dir, extra)
            procs.append(proc)
            replicas[name] = (proc, info)
        say(f"starting {len(local)} replica(s) on 127.0.0.1:{first}..{first + len(local) - 1}; logs in {run_dir}")
        deadline = time.monotonic() + args.ready_timeout
        waiting = {name for name, _ in local}
        while waiting and not stop_requested:
            for name in sorted(waiting):
                proc, info = replicas[name]
                if proc.poll() is not None:
                    raise RuntimeError(f"replica {name} exited with code {proc.returncode}; see {info.log}")
                if healthy(f"http://127.0.0.1:{info.port}", timeout=2):
                    if listens_on(info.pid, info.port) is False:
                        raise RuntimeError(f"another process answers on 127.0.0.1:{info.port}, not replica {name}; "
                                           f"choose --first-replica-port (see {info.log})")
                    waiting.discard(name)
            if time.monotonic() > deadline:
                raise RuntimeError(f"replicas {sorted(waiting)} not healthy after {args.ready_timeout:.0f} s")
            time.sleep(0.3)
        if stop_requested:
            return 0
        backends = [Backend(name, "127.0.0.1", port) for name, port in local] + remote
        sock = run_dir / "haproxy.sock"
        cfg = run_dir / "haproxy.cfg"
        cfg.write_text(render(backends, f"{args.host}:{args.port}", stats_socket=str(sock)))
        check = subprocess.run([exe, "-c", "-q", "-f", str(cfg)], capture_output=True, text=True, timeout=30)
        if check.returncode:
            raise RuntimeError(f"haproxy rejected {cfg}: {check.stderr or check.stdout}")
        with open(run_dir / "haproxy.log", "ab") as out:
            haproxy_proc = subprocess.Popen([exe, "-db", "-f", str(cfg)], stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=_die_with_parent)
        procs.insert(0, haproxy_proc)
        local_url = f"http://127.0.0.1:{args.port}"
        names = [b.name for b in backends]
        while not stop_requested:
            if haproxy_proc.poll() is not None:
                raise RuntimeError(f"haproxy exited with code {haproxy_proc.returncode}; see {run_dir / 'haproxy.log'}")
            try:
                states = server_states(sock)
            except OSError:
                states = {}
            if healthy(local_url, timeout=2) and all(states.get(n, {}).get("status") == "UP" for n in names):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the proxy does not see every replica UP: {({n: s.get('status') for n, s in states.items()})}")
            time.sleep(0.3)
        state = {"url": local_url, "host": args.host, "port": args.port, "run_dir": str(run_dir),
                 "haproxy": {"pid": haproxy_proc.pid, "config": str(cfg), "socket": str(sock),
                             "log": str(run_dir / "haproxy.log")},
                 "replicas": [asdict(info) for _, info in replicas.values()],
                 "remote": [asdict(b) for b in remote], "launcher_pid": os.getpid()}
        (run_dir / "state.json").write_text(json.dumps(state, indent=2))
        if args.prewarm and not stop_requested:
            links = preset_links()
            say(f"pre-warming: {len(links)} links on each of {len(names)} replica(s), through the proxy")
            t0 = time.perf_counter()
            warmed = asyncio.run(prewarm(local_url, names, links, stop=lambda: bool(stop_requested)))
            for name, recs in warmed.items():
                bad = [r for r in recs if r.error]
                say(f"  {name}: {len(recs) - len(bad)}/{len(links)} links warm" + "".join(
                    f"\n      {r.link[:70]}: {r.error}" for r in bad))
            say(f"pre-warming {'stopped' if stop_requested else 'done'} in {time.perf_counter() - t0:.0f} s")
        if stop_requested:
            return 0
        shown = local_url if args.host in ("127.0.0.1", "localhost") else (
            f"http://<this computer's address>:{args.port} (this computer: {local_url})")
        say(f"Descent Lab is ready: {shown}")
        for b in backends:
            pid = replicas[b.name][1].pid if b.name in replicas else "remote"
            say(f"  replica {b.name}: {b.host}:{b.port} (pid {pid})")
        say("Ctrl-C stops the proxy and every replica.")
        (run_dir / "ready").write_text(local_url + "\n")
        last: dict[str, str] = {n: "UP" for n in names}
        while not stop_requested:
            time.sleep(1.0)
            if haproxy_proc.poll() is not None:
                say(f"haproxy exited with code {haproxy_proc.returncode}: stopping; see {run_dir / 'haproxy.log'}")
                code = 1
                break
            for name, (proc, info) in replicas.items():
                if proc.returncode is None and proc.poll() is not None:
                    say(f"replica {name} exited with code {proc.returncode}; its students reconnect to the others "
                        f"(log: {info.log})")
            try:
                states = server_states(sock)
            except OSError:
                continue
            for name in names:
                status = states.get(name, {}).get("status", "?")
                if status != last.get(name):
                    say(f"proxy: replica {name} is {status} ({states.get(name, {}).get('check_status', '')})")
                    last[name] = status
    except RuntimeError as exc:
        say(f"error: {exc}")
        code = 1
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the clean-up
        if procs:
            say(f"stopping the proxy and {len(replicas)} replica(s) ...")
            killed = stop_all(procs)
            left = [p.pid for p in procs if kill_group(p.pid, 0)]
            say(f"stopped{f' ({killed} group(s) had to be killed)' if killed else ''}"
                f"{f'; STILL RUNNING: process groups {left}' if left else '; no process left'}")
            if left:
                code = 1
        (run_dir / "ready").unlink(missing_ok=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
