"""One subcommand per action: by id, by tag, with and without ``--wait``."""

from __future__ import annotations

import json

import pytest

from droplets.cli.commands_actions import BULK_ACTIONS
from droplets.sandbox import Sandbox
from tests.cli.conftest import FakeTTY, Run, table

# The API's tag endpoint takes these; the others go droplet by droplet.
TAG_ENDPOINT = {"power_on", "power_off", "power_cycle", "shutdown", "enable_backups", "disable_backups", "enable_ipv6"}


def _posts(sandbox: Sandbox) -> list[str]:
    return [path for method, path in sandbox.requests if method == "POST"]


@pytest.mark.parametrize("command", sorted(BULK_ACTIONS))
def test_bulk_action_by_ids(run: Run, sandbox: Sandbox, command: str) -> None:
    method = BULK_ACTIONS[command][0]
    ids = sandbox.seed_droplets(count=2, tag="web")
    sandbox.reset_log()
    result = run(command, *map(str, ids), "-o", "json")
    assert result.code == 0, result.err
    actions = json.loads(result.out)
    assert [(a["type"], a["resource_id"]) for a in actions] == [(method, i) for i in ids]
    assert all(a["status"] == "in-progress" for a in actions)
    assert _posts(sandbox) == [f"/v2/droplets/{i}/actions" for i in ids]


@pytest.mark.parametrize("command", sorted(BULK_ACTIONS))
def test_bulk_action_by_tag_waits(run: Run, sandbox: Sandbox, command: str) -> None:
    method = BULK_ACTIONS[command][0]
    ids = sandbox.seed_droplets(count=3, tag="web")
    sandbox.seed_droplets(count=1, tag="db")
    sandbox.reset_log()
    result = run(command, "--tag", "web", "--wait")
    assert result.code == 0, result.err
    assert result.err == ""  # not a terminal: no progress
    rows = table(result.out)
    assert rows[0][:3] == ["ID", "Status", "Type"]
    assert sorted(int(row[5]) for row in rows[1:]) == ids
    assert {(row[1], row[2]) for row in rows[1:]} == {("completed", method)}
    if method in TAG_ENDPOINT:
        assert _posts(sandbox) == ["/v2/droplets/actions?tag_name=web"]
    else:
        assert _posts(sandbox) == [f"/v2/droplets/{i}/actions" for i in ids]


def test_wait_on_ids_waits_for_every_action(run: Run, sandbox: Sandbox) -> None:
    ids = sandbox.seed_droplets(count=2, tag="web")
    result = run("power-off", *map(str, ids), "--wait", "-o", "json")
    assert result.code == 0
    assert [a["status"] for a in json.loads(result.out)] == ["completed", "completed"]
    assert {d["status"] for d in sandbox.droplets()} == {"off"}


def test_wait_shows_progress_on_a_terminal(run: Run, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox.seed_droplets(count=2, tag="web")
    terminal = FakeTTY()
    monkeypatch.setattr("sys.stderr", terminal)
    result = run("power-off", "--tag", "web", "--wait")
    assert result.code == 0
    shown = terminal.getvalue()
    assert shown.startswith("\rwaiting for power_off")
    assert shown.count("\r") >= 2 and shown.endswith("\n") and shown.count("\n") == 1
    assert "2 completed" in shown and "s)" in shown  # status and elapsed time


def test_no_progress_without_wait_even_on_a_terminal(
    run: Run, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.seed_droplets(count=1, tag="web")
    terminal = FakeTTY()
    monkeypatch.setattr("sys.stderr", terminal)
    assert run("power-off", "--tag", "web").code == 0
    assert terminal.getvalue() == ""


def test_ids_and_tag_are_exclusive(run: Run, sandbox: Sandbox) -> None:
    for args in (["power-off"], ["power-off", "1", "--tag", "web"]):
        result = run(*args)
        assert result.code == 1
        assert "ID(s) or --tag" in result.err


def _one(sandbox: Sandbox, status: str = "active") -> str:
    return str(sandbox.seed_droplets(count=1, tag="web", status=status)[0])


def _droplet(sandbox: Sandbox) -> dict[str, object]:
    return sandbox.droplets()[0]


def test_resize(run: Run, sandbox: Sandbox) -> None:
    droplet_id = _one(sandbox, status="off")
    result = run("resize", droplet_id, "s-2vcpu-4gb", "--disk", "--wait", "-o", "json")
    assert result.code == 0, result.err
    action = json.loads(result.out)
    assert (action["type"], action["status"]) == ("resize", "completed")
    assert _droplet(sandbox)["size_slug"] == "s-2vcpu-4gb"
    assert _droplet(sandbox)["disk"] > 25  # type: ignore[operator]


def test_rename(run: Run, sandbox: Sandbox) -> None:
    droplet_id = _one(sandbox)
    result = run("rename", droplet_id, "web-renamed", "--wait")
    assert result.code == 0
    assert table(result.out)[1][1:3] == ["completed", "rename"]
    assert _droplet(sandbox)["name"] == "web-renamed"


def test_rebuild_by_slug(run: Run, sandbox: Sandbox) -> None:
    droplet_id = _one(sandbox)
    result = run("rebuild", droplet_id, "debian-12-x64", "--wait", "-o", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["type"] == "rebuild"
    assert _droplet(sandbox)["image"]["slug"] == "debian-12-x64"  # type: ignore[index]


def test_restore_from_a_backup(run: Run, sandbox: Sandbox) -> None:
    droplet_id = _one(sandbox)
    assert run("enable-backups", droplet_id, "--wait").code == 0
    sandbox.clock.advance(2 * 86400)  # type: ignore[attr-defined]
    backup_id = json.loads(run("backups", droplet_id, "-o", "json").out)[0]["id"]
    result = run("restore", droplet_id, str(backup_id), "--wait", "-o", "json")
    assert result.code == 0, result.err
    assert (json.loads(result.out)["type"], json.loads(result.out)["status"]) == ("restore", "completed")


def test_restore_refuses_an_image_that_is_not_a_backup(run: Run, sandbox: Sandbox) -> None:
    droplet_id = _one(sandbox)
    result = run("restore", droplet_id, "12345")
    assert result.code == 1 and "not a backup" in result.err


def test_change_kernel(run: Run, sandbox: Sandbox) -> None:
    droplet_id = _one(sandbox)
    kernel = json.loads(run("kernels", droplet_id, "-o", "json").out)[-1]
    result = run("change-kernel", droplet_id, str(kernel["id"]), "--wait", "-o", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["type"] == "change_kernel"
    assert _droplet(sandbox)["kernel"]["id"] == kernel["id"]  # type: ignore[index]


def test_password_reset(run: Run, sandbox: Sandbox) -> None:
    droplet_id = _one(sandbox)
    result = run("password-reset", droplet_id)
    assert result.code == 0
    assert table(result.out)[1][1:3] == ["in-progress", "password_reset"]


def test_snapshot_with_a_name(run: Run, sandbox: Sandbox) -> None:
    droplet_id = _one(sandbox)
    result = run("snapshot", droplet_id, "--name", "before-upgrade", "--wait", "-o", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["status"] == "completed"
    assert [s["name"] for s in json.loads(run("snapshots", droplet_id, "-o", "json").out)] == ["before-upgrade"]
