"""The token and user data never leak: not in reprs, errors, logs or cassettes."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

import droplets
from droplets import Client

TOKEN = "dop_v1_" + "5e" * 32
SECRET = "#cloud-config\npassword: hunter2-SECRET"
CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"


def test_token_and_user_data_never_logged_at_any_level(caplog: pytest.LogCaptureFixture) -> None:
    sandboxed = Client.sandbox()
    client = Client(token=TOKEN, transport=sandboxed.transport, clock=sandboxed.clock)
    sandboxed.transport.sandbox.faults.inject(method="GET", path="*", kind="status", status=503, times=2)  # type: ignore[attr-defined]
    with caplog.at_level(logging.DEBUG, logger="droplets"):
        droplet = client.droplets.create(
            name="web-1", region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", user_data=SECRET, wait=True
        )
        droplet.power_off(wait=True)
        with pytest.raises(droplets.NotFound) as caught:
            client.droplets.get(id=999_999)
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    assert caplog.records
    for text in (logged, repr(client), str(client), str(caught.value), repr(caught.value), repr(droplet)):
        assert TOKEN not in text
        assert "hunter2" not in text


def test_no_cassette_holds_a_token() -> None:
    files = list(CASSETTES.rglob("*.yaml")) + list(CASSETTES.rglob("*.yml"))
    if not files:
        pytest.skip("no cassettes yet")
    pattern = re.compile(r"bearer\s+(?!REDACTED)[A-Za-z0-9._-]{8,}|dop_v1_[a-f0-9]{16,}", re.IGNORECASE)
    for path in files:
        text = path.read_text()
        assert not pattern.search(text), f"{path} may hold a token"
