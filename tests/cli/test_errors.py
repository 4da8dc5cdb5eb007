"""Failures: one line on stderr, the right exit status, never a traceback or the token."""

from __future__ import annotations

import pytest

import droplets
import droplets.client
from droplets import Client
from droplets.sandbox import Sandbox
from droplets.transport.sandbox import SandboxTransport
from tests.cli.conftest import FAKE_TOKEN, Run, assert_one_line_error


def test_api_error_gives_status_id_message_and_request_id(run: Run, sandbox: Sandbox) -> None:
    result = run("show", "999")
    assert_one_line_error(result)
    assert result.code == 1
    assert result.err.startswith("Error: Droplet 999 does not exist: 404 not_found: ")
    assert "Droplet 999" in result.err
    assert "(request id " in result.err


def test_server_errors_after_retries(run: Run, sandbox: Sandbox) -> None:
    sandbox.faults.inject(method="GET", path="/v2/droplets", status=503, times=None)
    result = run("list")
    assert_one_line_error(result)
    assert "503" in result.err and "after 5 attempts" in result.err


def test_unauthorized_with_the_real_token_never_shows_it(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    transport = SandboxTransport.create()
    client = Client(token=FAKE_TOKEN, transport=transport, clock=transport.clock)
    transport.sandbox.faults.inject(status=401, times=None)
    with droplets.using(client):
        result = run("list")
    assert_one_line_error(result)
    assert result.err.startswith("Error: 401 unauthorized: ")
    assert "DIGITALOCEAN_TOKEN" in result.err  # the hint says what to check


def test_a_token_in_an_error_message_is_blanked(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(droplets.client, "_default", None)
    monkeypatch.setenv("DIGITALOCEAN_API_URL", f"http://example.com/{FAKE_TOKEN}")
    result = run("list")
    assert_one_line_error(result)
    assert FAKE_TOKEN not in result.err and ("***" in result.err or "[REDACTED]" in result.err)


def test_no_token_explains_what_to_set(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(droplets.client, "_default", None)
    monkeypatch.delenv("DIGITALOCEAN_TOKEN", raising=False)
    monkeypatch.delenv("DIGITALOCEAN_ACCESS_TOKEN", raising=False)
    result = run("list")
    assert_one_line_error(result)
    assert "DIGITALOCEAN_TOKEN" in result.err and "droplets demo" in result.err


def test_a_transport_failure_is_one_line(run: Run, sandbox: Sandbox) -> None:
    sandbox.faults.inject(kind="drop", times=None)
    result = run("regions")
    assert_one_line_error(result)
    assert "closed the connection" in result.err


def test_a_failed_action_is_one_line(run: Run, sandbox: Sandbox) -> None:
    (droplet_id,) = sandbox.seed_droplets(count=1, tag="web")
    sandbox.progression.fail_next("power_off")
    result = run("power-off", str(droplet_id), "--wait")
    assert_one_line_error(result)
    assert "errored" in result.err


def test_validation_error_is_one_line(run: Run, sandbox: Sandbox) -> None:
    (droplet_id,) = sandbox.seed_droplets(count=1, tag="web")
    result = run("resize", str(droplet_id), "s-1vcpu-1gb")  # already that size
    assert_one_line_error(result)
    assert "already has size" in result.err


def test_usage_errors_exit_2(run: Run, sandbox: Sandbox) -> None:
    for args in (["show"], ["show", "abc"], ["show", "-5"], ["no-such-command"], ["list", "-o", "yaml"]):
        result = run(*args)
        assert result.code == 2, args
        assert "usage: droplets" in result.err and "Traceback" not in result.err


def test_ctrl_c_exits_130_quietly(run: Run, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("droplets.cli.commands_droplets.emit", interrupted)
    result = run("list")
    assert result.code == 130
    assert result.err == "" and result.out == ""


def test_an_unexpected_exception_is_still_one_line(run: Run, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"boom {FAKE_TOKEN}")

    monkeypatch.setattr("droplets.cli.commands_droplets.emit", broken)
    result = run("list")
    assert_one_line_error(result)
    assert "RuntimeError: boom ***" in result.err


def test_a_bad_base_url_is_reported_as_such(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(droplets.client, "_default", None)
    monkeypatch.setenv("DIGITALOCEAN_API_URL", "http://not-loopback.example.com")
    result = run("list")
    assert_one_line_error(result)
    assert "not loopback" in result.err and "no DigitalOcean token" not in result.err
