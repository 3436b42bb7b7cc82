"""A class through HAProxy: 3 replicas started by ``python -m deploy.serve --prewarm``, then

1. stickiness: 90 protocol-level students open preset links through the proxy and change one
   control; 0 errors; each student's requests (page, websocket) went to one replica, the one its
   cookie names, according to the student (X-Served-By on every answer) and to HAProxy's own log
   (a line missing from it must be one HAProxy counts in DroppedLogs: with several threads it drops
   a log line rather than wait long for the log lock);
   every replica got a share of the class and spent CPU on it;
2. failover: a second wave of 90; one replica is killed (SIGKILL) while the wave is running; its
   students reconnect through the proxy to a live replica and see the same view (every view of a
   link, on any replica, before or after the kill, has the same figures); 0 lost views; the proxy
   marks the dead replica DOWN, the others stay UP and keep serving;
3. clean stop: Ctrl-C to the launcher leaves no process behind (the killed replica's included).

One test, one cluster: the phases share the replicas (starting and pre-warming them is most of
the cost), and one function keeps them on one xdist worker. A second, small test kills the
launcher itself (SIGKILL) and checks that its proxy and replica stop anyway. Every wait is
bounded; every process is killed in a finally block.
"""

from __future__ import annotations

import asyncio
import collections
import os
import re
import signal
import time
from pathlib import Path

import pytest
from deploy_helpers import Cluster, alive, cpu_seconds, descendants, group_alive, run_async

from deploy.serve import proxy_info, server_states
from deploy.stclient import Student, student

pytestmark = [pytest.mark.slow, pytest.mark.deploy]

REPLICAS = 3
STUDENTS = 90  # the number: not fewer in CI
CLIENT_TIMEOUT = 240.0  # one run, one connection attempt
WAVE_TIMEOUT = 420.0  # a whole wave, until every tab is open on its final view
LOG_LINE = re.compile(r'^127\.0\.0\.1:(\d+) \[[^\]]+\] class replicas/(\S+) .*"GET (\S+) HTTP')


def preset_links() -> list[str]:
    from pages.lib.presets import PRESETS

    # the real-network page's controls belong to one claim at a time: a change of "steps" on its
    # ratio view does not change the figures, which is what a student's change must do here
    return [f"/{p.page}?{p.query()}" for p in PRESETS.values() if p.page != "network"]


def established(port: int) -> int:
    """Open TCP connections to 127.0.0.1:port, as the kernel sees them (the replica's side)."""
    local = f"0100007F:{port:04X}"
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] == local and fields[3] == "01":
            count += 1
    return count


def log_servers(path: str, offset: int) -> dict[tuple[int, str], set[str]]:
    """HAProxy's log from ``offset`` on: (client port, path) -> servers it sent that request to."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        text = fh.read().decode(errors="replace")
    seen: dict[tuple[int, str], set[str]] = collections.defaultdict(set)
    for line in text.splitlines():
        m = LOG_LINE.match(line)
        if m:
            seen[(int(m.group(1)), m.group(3).split("?")[0])].add(m.group(2))
    return seen


async def wave(url: str, links: list[str], n: int, *, reconnects: int = 0, during=None, at_hold=None) -> list[Student]:
    """n students at once (links cycled), each keeps its tab open on its final view until all are
    there (or have failed) and ``during(seen)`` (called every 0.2 s) agrees; then ``at_hold()``,
    then the tabs close."""
    hold = asyncio.Event()
    seen: dict[int, Student] = {}

    def on_view(rec: Student, _view) -> None:
        seen[id(rec)] = rec

    tasks = [asyncio.ensure_future(student(url, links[i % len(links)], via_proxy=True, hold=hold,
                                           reconnects=reconnects, on_view=on_view, timeout=CLIENT_TIMEOUT))
             for i in range(n)]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAVE_TIMEOUT
    try:
        while loop.time() < deadline:
            agreed = True if during is None else during(seen)
            ready = sum(r.holding for r in seen.values()) + sum(t.done() for t in tasks)
            if ready >= n and agreed:
                break
            await asyncio.sleep(0.2)
        if at_hold:
            at_hold()
        hold.set()
        done, pending = await asyncio.wait(tasks, timeout=60)
        assert not pending, f"{len(pending)} students did not close their tab"
        return [t.result() for t in tasks]
    finally:
        hold.set()
        for t in tasks:
            t.cancel()


def first_errors(results: list[Student], k: int = 5) -> str:
    return "; ".join(f"{r.link[:50]}: {r.error}" for r in [r for r in results if r.error][:k])


def check_stickiness(cluster: Cluster, results: list[Student], log_offset: int, dropped_logs: int,
                     cpu: dict[str, float], connections: dict[str, int]) -> collections.Counter:
    names = [r["name"] for r in cluster.state["replicas"]]
    errors = [r for r in results if r.error]
    assert not errors, f"{len(errors)} of {len(results)} students had errors: {first_errors(results)}"
    logged = log_servers(cluster.state["haproxy"]["log"], log_offset)
    per_replica: collections.Counter = collections.Counter()
    unlogged: list[str] = []
    for r in results:
        assert r.drops == [], f"{r.link}: the connection dropped: {r.drops}"
        cookie = r.cookies.get("SERVERID")
        assert cookie in names, f"{r.link}: no affinity cookie naming a replica ({r.cookies})"
        # the student's side: every answer (page, websocket) came from the replica its cookie names
        assert [req for req, _, _ in r.served_by] == [r.link.split("?")[0], "/_stcore/stream"], r.served_by
        assert r.replicas == {cookie}, f"{r.link}: requests went to {r.replicas}, cookie {cookie}"
        assert all(v.replica == cookie for v in r.views)
        # HAProxy's side: its log sent each of this student's connections to that replica only
        for request, _, port in r.served_by:
            servers = logged.get((port, request))
            if servers is None:  # a line HAProxy gave up writing under lock contention: counted below
                unlogged.append(f"{request} from port {port}")
                continue
            assert servers == {cookie}, f"{r.link}: HAProxy logged {servers} for {request} from port {port}, cookie {cookie}"
        per_replica[cookie] += 1
    # every connection missing from the log is one HAProxy itself counts as dropped, and they are few
    connections_made = sum(len(r.served_by) for r in results)
    assert len(unlogged) <= dropped_logs, \
        f"{len(unlogged)} connections not in HAProxy's log, only {dropped_logs} dropped lines: {unlogged[:5]}"
    assert len(unlogged) <= connections_made // 20, f"{len(unlogged)} of {connections_made} connections unlogged"
    # the load spread over every replica: a fair share of students (leastconn over open tabs),
    # the replicas' own CPU, and the kernel's count of open connections to each replica
    for name in names:
        assert per_replica[name] >= len(results) // (2 * len(names)), f"uneven spread: {dict(per_replica)}"
        assert cpu[name] > 0.5, f"replica {name} spent {cpu[name]:.2f} s of CPU on the wave: {cpu}"
        assert connections[name] >= per_replica[name], \
            f"replica {name} holds {connections[name]} connections for {per_replica[name]} open tabs"
    return per_replica


def check_same_views(results: list[Student]) -> None:
    """Every view of the same link has the same figures, whichever replica drew it, whenever."""
    figures: dict[str, set] = collections.defaultdict(set)
    for r in results:
        for v in r.views:
            figures[v.link].add(v.figures)
    differing = {link: len(f) for link, f in figures.items() if len(f) > 1}
    assert not differing, f"the same link drew different figures: {differing}"


def test_lecture_hall(haproxy_exe, tmp_path):
    links = preset_links()
    cluster = None
    try:
        cluster = Cluster(REPLICAS, tmp_path, prewarm=True)
        out = cluster.output()
        names = [r["name"] for r in cluster.state["replicas"]]
        for name in names:
            assert re.search(rf"{name}: (\d+)/\1 links warm", out), f"pre-warming {name} failed:\n{out}"
        pids = {r["name"]: r["pid"] for r in cluster.state["replicas"]}
        log = cluster.state["haproxy"]["log"]

        # 1. stickiness and spread -------------------------------------------------------------
        offset = os.path.getsize(log)
        dropped0 = int(proxy_info(cluster.socket)["DroppedLogs"])
        cpu0 = {n: cpu_seconds(pids[n]) for n in names}
        held: dict[str, int] = {}

        def count_connections() -> None:  # while every tab is open
            held.update({r["name"]: established(r["port"]) for r in cluster.state["replicas"]})

        t0 = time.perf_counter()
        results = run_async(wave(cluster.url, links, STUDENTS, at_hold=count_connections))
        wave_s = time.perf_counter() - t0
        time.sleep(1.0)  # HAProxy logs a websocket when it closes
        cpu = {n: cpu_seconds(pids[n]) - cpu0[n] for n in names}
        dropped = int(proxy_info(cluster.socket)["DroppedLogs"]) - dropped0
        spread = check_stickiness(cluster, results, offset, dropped, cpu, held)
        check_same_views(results)
        print(f"\nstickiness wave: {STUDENTS} students in {wave_s:.0f} s, per replica {dict(spread)}, "
              f"CPU {({n: round(c, 1) for n, c in cpu.items()})}, connections held {held}")

        # 2. failover: kill one replica in the middle of a wave ------------------------------------
        victim = names[1]
        killed: dict[str, float] = {}
        dropped_at_kill: dict[str, int] = {}
        down_seen: dict[str, dict] = {}

        def kill_midway(seen: dict[int, Student]) -> bool:
            if not killed:
                on_victim = sum(1 for r in seen.values() if r.views and r.views[0].replica == victim)
                if len(seen) >= STUDENTS // 3 and on_victim >= 5:  # a third of the class has a view
                    dropped_at_kill["n"] = int(proxy_info(cluster.socket)["DroppedLogs"])
                    os.kill(pids[victim], signal.SIGKILL)  # the replica's server process dies
                    killed["t"] = time.monotonic()
                    killed["views_before"] = len(seen)
                return False
            if not down_seen:
                states = server_states(cluster.socket)
                if states.get(victim, {}).get("status", "").startswith("DOWN"):
                    down_seen.update({n: dict(s) for n, s in states.items()})
                    down_seen["_after_s"] = round(time.monotonic() - killed["t"], 1)
                return False
            # every open tab is on a live replica again
            return all(r.served_by and r.served_by[-1][1] != victim for r in seen.values())

        results2 = run_async(wave(cluster.url, links, STUDENTS, reconnects=6, during=kill_midway))
        assert killed, "the kill never happened: the wave finished before a third of it had views"
        assert killed["views_before"] < STUDENTS, "the replica was killed after the wave, not during it"
        errors = [r for r in results2 if r.error]
        assert not errors, f"{len(errors)} students had errors after the failover: {first_errors(results2)}"
        assert down_seen, "HAProxy never marked the killed replica DOWN"
        assert all(down_seen[n]["status"] == "UP" for n in names if n != victim), down_seen
        moved = [r for r in results2 if victim in r.replicas]
        assert len(moved) >= 5, f"only {len(moved)} students were on the killed replica"
        for r in moved:
            assert r.drops, f"{r.link}: on the killed replica, yet no dropped connection"
            assert r.recover_s, f"{r.link}: no view after reconnecting"
            assert r.views[-1].replica in set(names) - {victim}, r.views[-1]
            assert r.cookies["SERVERID"] != victim, "the proxy did not give a new affinity cookie"
            after = [req for req, rep, _ in r.served_by if rep == victim]
            assert after, r.served_by
        # 0 lost views: every student ends on its final link's view, on a live replica
        for r in results2:
            assert r.final_link and r.views and r.views[-1].link == r.final_link, (r.link, r.views[-1:])
            assert r.views[-1].replica != victim
            if victim not in r.replicas:
                assert r.drops == [], f"{r.link}: on a live replica, yet dropped: {r.drops}"
        check_same_views(results + results2)
        # the others keep serving: a new student after the failover
        late = run_async(asyncio.wait_for(student(cluster.url, links[0], via_proxy=True, timeout=CLIENT_TIMEOUT), 300))
        assert late.error is None and late.replicas <= set(names) - {victim}, (late.error, late.replicas)
        states = server_states(cluster.socket)
        assert states[victim]["status"].startswith("DOWN") and all(states[n]["status"] == "UP" for n in names if n != victim)
        haproxy_log = Path(log).read_text(errors="replace")
        dropped_since_kill = int(proxy_info(cluster.socket)["DroppedLogs"]) - dropped_at_kill["n"]
        assert re.search(rf"Server replicas/{victim} is DOWN", haproxy_log) or dropped_since_kill > 0, haproxy_log[-2000:]
        recover = sorted(s for r in moved for s in r.recover_s)
        print(f"failover: {len(moved)} students on {victim} when it was killed (after {killed['views_before']} "
              f"views); DOWN after {down_seen['_after_s']} s; all back with the same view, recovery median "
              f"{recover[len(recover) // 2]:.1f} s, max {recover[-1]:.1f} s")

        # 3. Ctrl-C leaves nothing behind -------------------------------------------------------
        before = descendants(cluster.proc.pid)
        assert len(before) >= REPLICAS, f"expected the proxy and the replicas below the launcher: {before}"
        code = cluster.stop()
        assert code == 0, f"the launcher exited with {code}:\n{cluster.output()}"
        assert "no process left" in cluster.output()
        left = [p for p in before if alive(p)] + [g for g in cluster.pgids if group_alive(g)]
        assert not left, f"processes left after stop: {left}"
    finally:
        if cluster is not None:
            cluster.kill_everything()


def test_killing_the_launcher_stops_everything(haproxy_exe, tmp_path):
    """If the launcher itself dies without cleaning up (SIGKILL, a closed laptop lid's OOM...),
    the kernel sends its children SIGTERM (PR_SET_PDEATHSIG): the proxy and the replicas stop."""
    cluster = None
    try:
        cluster = Cluster(1, tmp_path, prewarm=False)
        os.kill(cluster.proc.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while any(group_alive(g) for g in cluster.pgids) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [g for g in cluster.pgids if group_alive(g)]
        assert not left, f"process groups left after the launcher was killed: {left}"
    finally:
        if cluster is not None:
            cluster.kill_everything()
