"""A student's browser tab without the browser: Streamlit's own websocket protocol, spoken by a script.

One :func:`student` opens a link the way the frontend does (optionally the page's HTTP GET first,
which is where a load balancer sets its affinity cookie), sends the protobuf ``BackMsg`` that
starts the script run with the link's query string, reads ``ForwardMsg``s until the run has
finished, then changes one number input (+1, with the link updated as the browser does) and
waits for the rerun, which must change the figures. Behind a proxy it keeps the cookie the proxy
set, records which replica answered every request (the ``X-Served-By`` header HAProxy adds), and,
when the connection drops (a replica died), reconnects the way the frontend does: a health probe
through the proxy, a new websocket, a rerun with the link as it stands (the link holds the whole
state). Every wait is bounded; every reconnection loop is bounded in count.

Used by ``deploy.serve --prewarm`` (open every preset once on every replica),
``benchmarks/bench_load_ws.py``, ``benchmarks/bench_deploy.py`` and ``tests/deploy/``.
Only for servers you run yourself: it sends whatever it is told to the address it is given.
"""

from __future__ import annotations

import asyncio
import hashlib
import statistics
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

TIMEOUT_S = 300.0
FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
SERVED_BY = "x-served-by"  # the header deploy/haproxy adds to every response: the replica's name


class Run:
    """What one script run sent back: figure arrival, finish status, number inputs, errors."""

    def __init__(self):
        self.t_plot: float | None = None
        self.status: int | None = None
        self.errors: list[str] = []
        self.number_inputs: list = []
        self.page_hash = ""
        self.figures: list[str] = []  # digests of the figure specs, in page order


async def one_run(ws, t0: float, timeout: float = TIMEOUT_S) -> Run:
    """Read ForwardMsgs until the script run finishes (status other than 'early for rerun')."""
    run = Run()
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=timeout)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            run.page_hash = msg.new_session.page_script_hash
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "plotly_chart":  # the run's figures are all there when the last one is
                run.t_plot = time.perf_counter() - t0
                run.figures.append(hashlib.blake2b(element.plotly_chart.spec.encode(), digest_size=12).hexdigest())
            elif which == "exception":
                run.errors.append(f"exception: {element.exception.message[:100]}")
            elif which == "number_input":
                run.number_inputs.append(element.number_input)
        elif kind == "page_not_found":
            run.errors.append("page not found")
        elif kind == "script_finished":
            run.status = msg.script_finished
            if run.status != EARLY_FOR_RERUN:
                return run


def rerun_msg(query: str, page: str, page_hash: str = "", widget=None) -> bytes:
    back = BackMsg()
    back.rerun_script.query_string = query
    back.rerun_script.page_name = page
    back.rerun_script.page_script_hash = page_hash
    if widget is not None:
        state = back.rerun_script.widget_states.widgets.add()
        state.id, state.double_value = widget
    return back.SerializeToString()


def _shown_value(w) -> float | None:
    if w.set_value:
        return w.value
    default = w.default  # a scalar in 1.67's proto (repeated in some older versions)
    return default if isinstance(default, float) else (default[0] if len(default) else None)


def control_to_change(inputs, step: float = 1.0) -> tuple[str, str, float] | None:
    """(widget id, link key, new value) of the control to change: the start's x₀ if the page has
    one, else the inspector's radius, else the steps, else the first number input that shows a
    value; + ``step`` (within its bounds)."""
    candidates = [w for w in inputs if _shown_value(w) is not None and w.query_param_key]
    # the start point moves every path, the inspector's radius redraws the critical-points map;
    # a longer run may change nothing once every path has stopped
    preference = {"x0": 0, "rad": 1, "steps": 2}
    candidates.sort(key=lambda w: preference.get(w.query_param_key, len(preference)))
    if not candidates:
        return None
    w = candidates[0]
    new = _shown_value(w) + step
    return w.id, w.query_param_key, min(new, w.max) if w.has_max else new


async def http_get(base: str, path: str, cookies: dict[str, str], timeout: float = 30.0) -> tuple[int, dict, int]:
    """A bare HTTP/1.1 GET (no pool, ``Connection: close``), as the browser's first request:
    (status, lower-cased headers, local port). Set-Cookie answers go into ``cookies``."""
    parts = urlsplit(base)
    reader, writer = await asyncio.wait_for(asyncio.open_connection(parts.hostname, parts.port or 80), timeout)
    try:
        local_port = writer.get_extra_info("sockname")[1]
        head = [f"GET {path} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close", "Accept: text/html"]
        if cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)  # until the server closes
    finally:
        writer.close()
    header_block = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(header_block[0].split()[1])
    headers: dict[str, str] = {}
    for line in header_block[1:]:
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "set-cookie":
            for morsel in SimpleCookie(value).values():
                cookies[morsel.key] = morsel.value
        headers[name] = value
    return status, headers, local_port


@dataclass
class View:
    """One finished run as a student saw it: the link, which replica, and the figures."""

    link: str
    replica: str | None
    figures: tuple[str, ...]


@dataclass
class Student:
    """Everything one simulated student saw: used for errors, timings, stickiness and failover."""

    link: str
    error: str | None = None
    plot_s: float | None = None  # link opened -> last figure of the first run received
    done_s: float | None = None  # link opened -> first run finished
    change_s: float | None = None  # control changed -> rerun finished
    recover_s: list[float] = field(default_factory=list)  # connection lost -> same view again
    views: list[View] = field(default_factory=list)
    served_by: list[tuple[str, str | None, int]] = field(default_factory=list)  # (request, replica, local port)
    cookies: dict[str, str] = field(default_factory=dict)
    drops: list[str] = field(default_factory=list)  # connection errors that led to a reconnect
    final_link: str = ""
    holding: bool = False  # the tab is open on its final view, waiting for ``hold``

    @property
    def replicas(self) -> set[str | None]:
        return {r for _, r, _ in self.served_by}

    def get(self, key, default=None):  # dict-style access for the summary helpers
        return getattr(self, key, default)


async def student(base: str, link: str, *, change: bool = True, via_proxy: bool = False,
                  cookies: dict[str, str] | None = None, hold: asyncio.Event | None = None,
                  reconnects: int = 0, timeout: float = TIMEOUT_S,
                  on_view=None, cookie_name: str = "SERVERID", need_figure: bool = True,
                  step: float = 1.0) -> Student:
    """Open ``link`` on the server (or proxy) at ``base`` (``http://host:port``) like a student.

    ``via_proxy``: first GET the page (the proxy sets its affinity cookie there) and keep the
    cookie for every request, as a browser does. ``cookies``: start with these (e.g. the
    affinity cookie naming one replica, for pre-warming). ``hold``: keep the websocket open until
    this event is set (a tab stays open in class). ``reconnects``: how many times a dropped or
    refused connection is reopened (health probe through the proxy, new websocket, rerun of the
    current link); 0 makes any connection problem an error. ``on_view(student, view)`` is called
    after every finished run. ``need_figure``: a run without a Plotly figure is an error (every
    preset's page has one; the home page has none). ``step``: how much the changed control moves
    (+1 by default; a new step makes the server compute a new run). Never raises: problems end up in ``.error``.
    """
    rec = Student(link=link, cookies=dict(cookies or {}))
    page, _, query = link.lstrip("/").partition("?")
    ws_url = base.replace("http://", "ws://", 1) + "/_stcore/stream"
    current, reference = query, None  # the link as it stands; the first view (to compare the change with)
    t0 = time.perf_counter()
    lost_at: float | None = None
    for attempt in range(reconnects + 1):
        try:
            if via_proxy:
                path = (f"/{page}" + (f"?{current}" if current else "")) if attempt == 0 else "/_stcore/health"  # reconnect probe
                status, headers, port = await http_get(base, path, rec.cookies, timeout=min(timeout, 60))
                rec.served_by.append((path.split("?")[0], headers.get(SERVED_BY), port))
                if status != 200:
                    raise ConnectionError(f"HTTP {status} for {path}")
            extra = {"Cookie": "; ".join(f"{k}={v}" for k, v in rec.cookies.items())} if rec.cookies else None
            async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout,
                                          ping_interval=None, additional_headers=extra) as ws:
                replica = ws.response.headers.get(SERVED_BY) if ws.response else None
                rec.served_by.append(("/_stcore/stream", replica, ws.local_address[1]))
                replica = replica or rec.cookies.get(cookie_name)
                t1 = time.perf_counter()
                await ws.send(rerun_msg(current, page))
                run = await one_run(ws, t1, timeout)
                problems = run.errors + ([] if run.status == FINISHED else [f"run status {run.status}"])
                if need_figure and not run.figures:
                    problems.append("no figure")
                if problems:  # the app answered, wrongly: not a connection problem, no retry
                    rec.error = "; ".join(problems)
                    return rec
                view = View(f"/{page}?{current}", replica, tuple(run.figures))
                rec.views.append(view)
                if rec.plot_s is None:  # from the link opened (reconnections included) to the first view
                    rec.plot_s, rec.done_s = t1 - t0 + (run.t_plot or 0.0), time.perf_counter() - t0
                if lost_at is not None:
                    rec.recover_s.append(time.perf_counter() - lost_at)
                    lost_at = None
                if on_view:
                    on_view(rec, view)
                if reference is None:
                    reference = view
                    target = control_to_change(run.number_inputs, step) if change else None
                    if target:
                        widget_id, key, new = target
                        params = dict(parse_qsl(current))
                        params[key] = f"{new:g}"
                        current = urlencode(params)  # the browser puts the change into the link first
                        t2 = time.perf_counter()
                        await ws.send(rerun_msg(current, page, widget=(widget_id, new)))
                        rerun = await one_run(ws, t2, timeout)
                        problems = rerun.errors + ([] if rerun.status == FINISHED else [f"rerun status {rerun.status}"])
                        # the change must reach the plot: same number of figures, not all of them the same
                        if len(rerun.figures) != len(run.figures) or rerun.figures == run.figures:
                            problems.append(f"the change of {key} to {new:g} did not change the figures")
                        if problems:
                            rec.error = "; ".join(problems)
                            return rec
                        rec.change_s = time.perf_counter() - t2
                        view = View(f"/{page}?{current}", replica, tuple(rerun.figures))
                        rec.views.append(view)
                        if on_view:
                            on_view(rec, view)
                if hold is not None:  # the tab stays open; a dropped connection is noticed here too
                    closed = asyncio.ensure_future(ws.wait_closed())
                    released = asyncio.ensure_future(hold.wait())
                    rec.holding = True
                    try:
                        await asyncio.wait({closed, released}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
                        was_closed = closed.done()
                    finally:
                        rec.holding = False
                        closed.cancel()
                        released.cancel()
                    if not hold.is_set():
                        if not was_closed:
                            raise RuntimeError("the tab was held open longer than the timeout")
                        raise ConnectionError("connection closed while the tab was open")
                rec.final_link = f"/{page}?{current}"
                return rec
        except (TimeoutError, OSError, websockets.exceptions.WebSocketException, ConnectionError) as exc:
            rec.drops.append(f"{type(exc).__name__}: {str(exc)[:100]}")
            if attempt == reconnects:
                rec.error = rec.drops[-1]
                return rec
            lost_at = lost_at or time.perf_counter()
            await asyncio.sleep(min(0.5 * (attempt + 1), 3))  # the frontend backs off too
        except Exception as exc:  # anything else is an error of the client or the app, never retried
            rec.error = f"{type(exc).__name__}: {str(exc)[:100]}"
            return rec
    return rec


def pct(values, q):
    values = sorted(v for v in values if v is not None)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")


def median(values) -> float:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def summary(name: str, results) -> str:
    """One line: clients, errors, figure time and change time (median / p95); errors listed below it."""
    errors = [r for r in results if r.get("error")]
    plot = [r.get("plot_s") for r in results]
    change = [r.get("change_s") for r in results]
    lines = [f"{name}: clients {len(results)}, errors {len(errors)}; figure received: median "
             f"{median(plot):.2f} s, p95 {pct(plot, 0.95):.2f} s; rerun after one control change: median "
             f"{median(change):.2f} s, p95 {pct(change, 0.95):.2f} s"]
    lines += [f"   error: {r.get('link')[:80]} {r.get('error')}" for r in errors]
    return "\n".join(lines)
