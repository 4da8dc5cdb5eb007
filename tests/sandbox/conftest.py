"""Fixtures for the sandbox tests: a fresh sandbox, a tiny API caller, the spec."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from sandbox_api import Api

from droplets.sandbox import Sandbox, VirtualClock
from tests.conftest import EXAMPLES, SPEC_FILE


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(start=1_700_000_000.0)


@pytest.fixture
def sb(clock: VirtualClock) -> Sandbox:
    return Sandbox(seed=0, clock=clock, lifecycle={"networks_after": 3, "gone_after": 5})


@pytest.fixture
def api(sb: Sandbox) -> Api:
    return Api(sb)


@pytest.fixture
def active(api: Api, sb: Sandbox, clock: VirtualClock) -> dict[str, Any]:
    """One droplet whose create action has completed."""
    droplet = api.create("active-1", ipv6=True)
    clock.advance(60)
    return api.droplet(droplet["id"])


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="session")
def examples() -> Path:
    return EXAMPLES
