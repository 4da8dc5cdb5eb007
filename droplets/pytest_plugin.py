"""The pytest plugin installed with the package: a sandbox per test.

Example::

    def test_power_off(droplets_sandbox):
        d = Droplet.objects.create(name="web-1", region="nyc3",
                                   size="s-1vcpu-1gb", image="ubuntu-24-04-x64", wait=True)
        d.power_off(wait=True)
        assert d.status == "off"

The fixture builds a fresh in-process sandbox (virtual clock: waits cost no
real time), installs it as the default client for the duration of one test,
and yields the `Client`. ``client.transport.sandbox`` is the
simulated account, for fault injection and progressions.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from droplets.client import _override, _reset_default
from droplets.facade import Client


@pytest.fixture
def droplets_sandbox() -> Iterator[Client]:
    """A fresh sandbox installed as the default ``droplets`` client for one test."""
    client = Client.sandbox()
    previous = _reset_default(client)
    token = _override.set(client)
    try:
        yield client
    finally:
        _override.reset(token)
        _reset_default(previous)
