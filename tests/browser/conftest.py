"""Real-browser fixtures: ``streamlit run`` in a subprocess + Playwright driving Debian's chromium.

Reusable by any browser test::

    @pytest.mark.browser
    def test_page(streamlit_app, browser_page):
        url = streamlit_app("tests/browser/figure_app.py", query="steps=100")
        browser_page.goto(url)
        wait_app_idle(browser_page)          # from browser_helpers
        assert_no_exception(browser_page)

One server per script per test session (per xdist worker), on a free port, killed with its
process group at teardown. Without chromium or playwright the tests skip, unless
DESCENT_LAB_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_helpers import assert_no_exception, wait_app_idle  # noqa: F401  (re-exported)

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

VIEWPORT = {"width": 1366, "height": 768}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"streamlit did not become healthy at {base} within {timeout:.0f} s")


@pytest.fixture(scope="session")
def streamlit_app(tmp_path_factory):
    """Factory: ``streamlit_app(script_path, query="", server="shared") -> URL``; one server per
    (script, server name): a test that needs a server nobody has visited yet names its own."""
    servers: dict[tuple[str, str], tuple[subprocess.Popen, str]] = {}
    logs = tmp_path_factory.mktemp("streamlit-logs")

    def start(script_path: str | os.PathLike, query: str = "", server: str = "shared") -> str:
        script = str(Path(script_path))
        key = (script, server)
        if key not in servers:
            port = _free_port()
            log = open(logs / f"{Path(script).stem}-{port}.log", "wb")
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
                 "--server.port", str(port), "--browser.gatherUsageStats", "false",
                 "--server.fileWatcherType", "none"],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))},
            )
            base = f"http://127.0.0.1:{port}"
            servers[key] = (proc, base)
            start.logs[key] = Path(log.name)
            try:
                _wait_healthy(base, proc)
            except Exception as exc:
                log.flush()
                text = Path(log.name).read_text(errors="replace")[-2000:]
                pytest.fail(f"could not start {script}: {exc}\n{text}")
        base = servers[key][1]
        return base + "/" + (("?" + query.lstrip("?")) if query else "")

    start.logs = {}  # (script, server) -> the server's log file (stdout and stderr)
    yield start
    for proc, _ in servers.values():
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


@pytest.fixture(scope="session")
def _browser(chromium_browser):
    return chromium_browser  # one per worker, shared with tests/deploy (see tests/conftest.py)


@pytest.fixture
def browser_page(_browser):
    """A fresh page (own context) at 1366x768, the lecture-hall projector size."""
    context = _browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    yield page
    context.close()
