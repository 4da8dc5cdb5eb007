"""Fixtures of the unit tests: a small sandbox account to query."""

from __future__ import annotations

import pytest

from droplets import Client


@pytest.fixture
def web_and_db() -> Client:
    """A sandbox client with three active ``web`` droplets and two ``db`` ones that are off (log reset)."""
    client = Client.sandbox()
    sandbox = client.transport.sandbox  # type: ignore[attr-defined]
    sandbox.seed_droplets(count=3, tag="web", region="nyc3")
    sandbox.seed_droplets(count=2, tag="db", region="nyc3", status="off")
    sandbox.reset_log()
    return client


def requests_of(client: Client) -> list[tuple[str, str]]:
    """What a sandbox client sent since the log was reset: ``(method, path?query)``."""
    return list(client.transport.sandbox.requests)  # type: ignore[attr-defined]
