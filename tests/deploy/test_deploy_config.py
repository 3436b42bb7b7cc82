"""The deployment files agree with each other and with what the launcher runs (fast: no replica
is started; the checks with ``haproxy -c`` need Debian's haproxy, like every deploy test)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from deploy_helpers import ROOT, free_port_block

from deploy.haproxy import Backend, compose_config, render
from deploy.serve import REPLICA_ENV, STREAMLIT_FLAGS

pytestmark = pytest.mark.deploy

DEPLOY = ROOT / "deploy"


def test_compose_proxy_config_is_the_rendered_one():
    """deploy/haproxy.cfg is what deploy/haproxy.py renders for the compose services: the
    container path runs the tested configuration (regenerate: python -m deploy.haproxy --compose N)."""
    text = (DEPLOY / "haproxy.cfg").read_text()
    servers = re.findall(r"^\s+server (r\d+) ", text, re.M)
    assert servers, "no server line"
    assert text == compose_config(len(servers))


def test_compose_services_match_the_proxy_servers():
    compose = (DEPLOY / "compose.yaml").read_text()
    servers = re.findall(r"^\s+server (r\d+) (r\d+):8501 cookie (r\d+)$", (DEPLOY / "haproxy.cfg").read_text(), re.M)
    for name, host, cookie in servers:
        assert name == host == cookie
        assert re.search(rf"^  {name}:\n    <<: \*replica\n    environment: {{{REPLICA_ENV}: {name}}}$", compose, re.M), name
    services = re.findall(r"^  (r\d+):$", compose, re.M)
    assert services == [s[0] for s in servers]
    assert "./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg" in compose


def test_dockerfile_runs_the_local_replica_command():
    """The container's command is the launcher's: streamlit run app.py with the same flags."""
    cmd = re.search(r"^CMD (\[.*\])$", (DEPLOY / "Dockerfile").read_text(), re.M)
    assert cmd, "no exec-form CMD"
    argv = json.loads(cmd.group(1))
    assert argv[:4] == ["python", "-m", "streamlit", "run"] and argv[4] == "app.py"
    assert argv[5:5 + len(STREAMLIT_FLAGS)] == STREAMLIT_FLAGS
    assert argv[5 + len(STREAMLIT_FLAGS):] == ["--server.address", "0.0.0.0", "--server.port", "8501"]


def test_render_is_sticky_by_cookie_checks_health_and_passes_websockets():
    text = render([Backend("r1", "127.0.0.1", 8511), Backend("r2", "10.0.0.2", 8501)], "127.0.0.1:8501")
    assert "cookie SERVERID insert indirect nocache" in text
    assert "balance source" not in text  # a class behind one NAT address would land on one replica
    assert "http-check send meth GET uri /_stcore/health" in text
    assert "timeout tunnel" in text and "mode http" in text  # the websocket upgrade passes as a tunnel
    assert "option redispatch" in text
    assert "server r2 10.0.0.2:8501 cookie r2" in text
    for bad in (["r 1"], ["r1", "r1"], []):
        with pytest.raises(ValueError):
            render([Backend(n, "127.0.0.1", 8511 + i) for i, n in enumerate(bad)], "127.0.0.1:8501")


def test_haproxy_accepts_both_configs(haproxy_exe, tmp_path):
    local = tmp_path / "local.cfg"
    local.write_text(render([Backend(f"r{i}", "127.0.0.1", 8511 + i) for i in range(1, 5)], "127.0.0.1:8501",
                            stats_socket=str(tmp_path / "s.sock")))
    for cfg in (local, DEPLOY / "haproxy.cfg"):  # compose's host names do not resolve here: a warning only
        check = subprocess.run([haproxy_exe, "-c", "-f", str(cfg)], capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stdout + check.stderr


def test_launcher_refuses_a_busy_port(haproxy_exe):
    import socket

    first = free_port_block(3)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", first + 2))  # the second replica's port
        busy.listen()
        out = subprocess.run([sys.executable, "-m", "deploy.serve", "--replicas", "2", "--port", str(first),
                              "--first-replica-port", str(first + 1)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and str(first + 2) in out.stderr, out.stdout + out.stderr
