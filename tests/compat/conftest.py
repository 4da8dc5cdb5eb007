"""Fixtures for the seed-compatibility tests: a DO facade on a fresh in-process sandbox."""

from __future__ import annotations

import pytest

import droplets
from droplets.compat import DO
from droplets.sandbox import Sandbox


@pytest.fixture
def client() -> droplets.Client:
    """A client on a fresh sandbox (virtual clock: waits cost no real time)."""
    return droplets.Client.sandbox()


@pytest.fixture
def sandbox(client: droplets.Client) -> Sandbox:
    """The simulated account behind ``client``."""
    return client.transport.sandbox  # type: ignore[attr-defined,no-any-return]


@pytest.fixture
def do(client: droplets.Client) -> DO:
    """The seed's ``do``, bound to the sandbox client."""
    return DO(client=client)
