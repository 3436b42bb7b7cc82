"""Deployment tests: ``python -m deploy.serve`` (HAProxy + N replicas) on loopback, driven by the
protocol-level client in deploy/stclient.py.

Without Debian's haproxy they skip, unless DESCENT_LAB_REQUIRE_HAPROXY=1 (CI), where they fail.
Every process the tests start is stopped in a finally block; every wait is bounded.
"""

from __future__ import annotations

import pytest
from deploy_helpers import haproxy_or_skip


@pytest.fixture(scope="session")
def haproxy_exe() -> str:
    return haproxy_or_skip()
