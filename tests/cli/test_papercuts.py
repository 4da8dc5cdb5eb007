"""The command's papercuts: k/N progress, --poll, -t/-u, CLI words in messages, '-' for empty cells."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

import droplets
from droplets.cli.views import DROPLET_COLUMNS
from droplets.sandbox import Sandbox
from droplets.sandbox.server import SandboxServer
from tests.cli.conftest import FakeTTY, Run, assert_one_line_error


def test_wait_progress_counts_completed_out_of_all(run: Run, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = sandbox.seed_droplets(count=3, tag="web")
    terminal = FakeTTY()
    monkeypatch.setattr("sys.stderr", terminal)
    assert run("power-off", *map(str, ids), "--wait").code == 0
    shown = terminal.getvalue()
    assert "waiting for power_off: 0/3 completed" in shown
    assert "3/3 completed" in shown.rsplit("\r", 1)[-1]


def test_poll_sets_the_time_between_polls(run: Run, sandbox: Sandbox) -> None:
    sandbox.seed_droplets(count=2, tag="web")
    sandbox.progression.set("power_off", after_seconds=20)
    sandbox.reset_log()
    assert run("power-off", "--tag", "web", "--wait", "--poll", "10").code == 0
    polls = [path for method, path in sandbox.requests if method == "GET" and path.startswith("/v2/actions")]
    assert len(polls) == 2, sandbox.requests  # at 10 s and 20 s, not every 5 s


def test_poll_below_one_second_is_refused(run: Run, sandbox: Sandbox) -> None:
    (ident,) = sandbox.seed_droplets(count=1)
    sandbox.reset_log()
    result = run("reboot", str(ident), "--wait", "--poll", "0.5")
    assert_one_line_error(result)
    assert "poll must be" in result.err and "at least 1" in result.err


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(port=0, latency_ms=0, seed=0, action_seconds=0.05, seed_droplets=2) as running:
        yield running


@pytest.mark.parametrize(
    "where",
    [
        lambda url: ["-t", "secret-token-123", "-u", url, "list", "-o", "json"],
        lambda url: ["list", "-o", "json", "--access-token", "secret-token-123", "--api-url", url],
        lambda url: ["--api-url=" + url, "list", "-tsecret-token-123", "-o", "json"],
    ],
)
def test_access_token_and_api_url_are_global_options(
    run: Run, server: SandboxServer, monkeypatch: pytest.MonkeyPatch, where: object
) -> None:
    monkeypatch.delenv("DIGITALOCEAN_TOKEN")
    monkeypatch.setattr(droplets.client, "_default", None)
    result = run(*where(server.url))  # type: ignore[operator]
    assert result.code == 0, result.err
    assert len(json.loads(result.out)) == 2
    assert droplets.client._default is None, "the options last one run, they are not installed for good"


def test_without_access_token_the_environment_is_needed(
    run: Run, server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DIGITALOCEAN_TOKEN")
    monkeypatch.setattr(droplets.client, "_default", None)
    result = run("list", "-u", server.url)
    assert_one_line_error(result)
    assert "no DigitalOcean token" in result.err


def test_a_given_token_is_never_printed(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(droplets.client, "_default", None)
    secret = "dop_v1_GIVEN_ON_THE_COMMAND_LINE_0123456789"
    result = run("list", "-t", secret, "-u", f"http://not-loopback.example.com/{secret}")
    assert_one_line_error(result)
    assert secret not in result.err + result.out and "not loopback" in result.err


def test_a_timed_out_wait_says_which_command_to_run(run: Run, sandbox: Sandbox) -> None:
    (ident,) = sandbox.seed_droplets(count=1)
    sandbox.progression.set("power_off", after_seconds=1000)
    result = run("power-off", str(ident), "--wait", "--timeout", "10")
    assert_one_line_error(result)
    assert f"see: droplets actions {ident}" in result.err
    assert ".wait()" not in result.err and "action." not in result.err


def test_restore_of_a_foreign_image_says_which_command_to_run(run: Run, sandbox: Sandbox) -> None:
    (ident,) = sandbox.seed_droplets(count=1)
    result = run("restore", str(ident), "12389723")
    assert_one_line_error(result)
    assert f"not a backup of droplet {ident}" in result.err and f"see: droplets backups {ident}" in result.err
    assert "d.backups()" not in result.err and "refresh()" not in result.err


def test_an_ambiguous_action_says_which_command_to_run(run: Run, sandbox: Sandbox) -> None:
    (ident,) = sandbox.seed_droplets(count=1)
    sandbox.faults.inject(method="POST", path=f"/v2/droplets/{ident}/actions", kind="drop")
    result = run("reboot", str(ident))
    assert_one_line_error(result)
    assert f"see: droplets actions {ident}" in result.err and ".actions()" not in result.err


def test_empty_cells_print_a_dash_so_rows_split_into_columns(run: Run, sandbox: Sandbox) -> None:
    created = run(
        "create", "web-1", "web-2", "--region", "nyc3", "--size", "s-1vcpu-1gb", "--image", "ubuntu-24-04-x64"
    )
    assert created.code == 0  # not waited for: no addresses yet, and no tags
    result = run("list", "--no-header")
    assert result.code == 0
    rows = [re.split(r"\s{2,}", line.strip()) for line in result.out.splitlines()]
    assert rows and all(len(row) == len(DROPLET_COLUMNS) for row in rows), rows
    public = [title for title, _ in DROPLET_COLUMNS].index("Public IPv4")
    assert {row[public] for row in rows} == {"-"}
