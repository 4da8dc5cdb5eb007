"""``create`` and ``destroy`` (with its confirmation rules)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from droplets.sandbox import Sandbox
from tests.cli.conftest import FakeTTY, Run, assert_one_line_error, table

BASE = ["--region", "nyc3", "--size", "s-1vcpu-1gb", "--image", "ubuntu-24-04-x64"]


def test_create_one_and_wait(run: Run, sandbox: Sandbox) -> None:
    result = run("create", "web-1", *BASE, "--tag", "web", "--tag", "prod", "--wait", "-o", "json")
    assert result.code == 0, result.err
    (created,) = json.loads(result.out)
    assert created["name"] == "web-1" and created["status"] == "active"
    assert created["tags"] == ["web", "prod"]
    assert json.loads(result.out) == sandbox.droplets()


def test_create_many_without_wait_prints_a_table(run: Run, sandbox: Sandbox) -> None:
    result = run("create", "web-1", "web-2", "web-3", *BASE)
    assert result.code == 0, result.err
    rows = table(result.out)
    assert rows[0][:2] == ["ID", "Name"]
    assert [row[1] for row in rows[1:]] == ["web-1", "web-2", "web-3"]
    assert sum(method == "POST" for method, _ in sandbox.requests) == 1


def test_create_sends_options(run: Run, sandbox: Sandbox, tmp_path: Path) -> None:
    user_data = tmp_path / "cloud-init.yaml"
    user_data.write_text("#cloud-config\npackages: [nginx]\n")
    result = run(
        "create", "web-1", *BASE, "--ssh-key", "289794", "--user-data-file", str(user_data),
        "--enable-backups", "--enable-ipv6", "--enable-monitoring", "-o", "json",
    )  # fmt: skip
    assert result.code == 0, result.err
    (created,) = json.loads(result.out)
    assert "backups" in created["features"] and "ipv6" in created["features"]


def test_create_with_an_unreadable_user_data_file(run: Run, sandbox: Sandbox, tmp_path: Path) -> None:
    result = run("create", "web-1", *BASE, "--user-data-file", str(tmp_path / "missing"))
    assert_one_line_error(result)
    assert "--user-data-file" in result.err
    assert sandbox.requests == []


def test_create_refuses_a_bad_name_before_any_request(run: Run, sandbox: Sandbox) -> None:
    result = run("create", "not a hostname", *BASE)
    assert_one_line_error(result)
    assert sandbox.requests == []


def test_create_requires_region_size_and_image(run: Run, sandbox: Sandbox) -> None:
    result = run("create", "web-1", "--region", "nyc3")
    assert result.code == 2 and "--size" in result.err


def test_destroy_by_ids_with_force(run: Run, sandbox: Sandbox) -> None:
    ids = sandbox.seed_droplets(count=3, tag="web")
    result = run("destroy", str(ids[0]), str(ids[1]), "--force")
    assert result.code == 0, result.err
    assert f"Destroyed droplet {ids[0]}" in result.out
    sandbox.clock.sleep(5)  # a destroyed droplet stays visible a moment
    assert [d["id"] for d in sandbox.droplets()] == ids[2:]


def test_destroy_by_tag_is_one_request(run: Run, sandbox: Sandbox) -> None:
    sandbox.seed_droplets(count=3, tag="web")
    keep = sandbox.seed_droplets(count=1, tag="db")
    sandbox.reset_log()
    result = run("destroy", "--tag", "web", "-f")
    assert result.code == 0
    assert sandbox.requests == [("DELETE", "/v2/droplets?tag_name=web")]
    sandbox.clock.sleep(5)  # a destroyed droplet stays visible a moment
    assert [d["id"] for d in sandbox.droplets()] == keep


def test_destroy_without_force_refuses_when_stdin_is_not_a_terminal(
    run: Run, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = sandbox.seed_droplets(count=1, tag="web")
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    result = run("destroy", str(ids[0]))
    assert_one_line_error(result)
    assert "--force" in result.err
    assert len(sandbox.droplets()) == 1
    assert run("destroy", "--tag", "web").code == 1
    assert len(sandbox.droplets()) == 1


@pytest.mark.parametrize(("answer", "code", "left"), [("y\n", 0, 0), ("yes\n", 0, 0), ("n\n", 1, 1), ("", 1, 1)])
def test_destroy_asks_on_a_terminal(
    run: Run, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, answer: str, code: int, left: int
) -> None:
    ids = sandbox.seed_droplets(count=1, tag="web")
    monkeypatch.setattr("sys.stdin", FakeTTY(answer))
    result = run("destroy", str(ids[0]))
    assert result.code == code
    assert result.err.startswith(f"Destroy droplet(s) {ids[0]}? This cannot be undone. [y/N] ")
    sandbox.clock.sleep(5)  # a destroyed droplet stays visible a moment
    assert len(sandbox.droplets()) == left


def test_destroy_a_missing_droplet(run: Run, sandbox: Sandbox) -> None:
    result = run("destroy", "999", "--force")
    assert_one_line_error(result)
    assert "404 not_found" in result.err


def test_create_wait_ssh_shows_k_of_n_ready(run: Run, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("droplets.cli.output._is_tty", lambda stream: True)
    result = run("create", "web-1", "web-2", *BASE, "--tag", "web", "--wait", "ssh", "-o", "json")
    assert result.code == 0, result.err
    created = json.loads(result.out)
    assert all(d["status"] == "active" for d in created)
    addresses = [n["ip_address"] for d in created for n in d["networks"]["v4"] if n["type"] == "public"]
    assert len(addresses) == 2 and all(sandbox.probe(a, 22) for a in addresses)
    assert "0/2 ready, next: action" in result.err and "0/2 ready, next: port" in result.err
    assert "2/2 ready" in result.err


def test_create_wait_times_out_naming_the_stage(run: Run, sandbox: Sandbox) -> None:
    sandbox.lifecycle.set(ssh_after=10_000)
    result = run("create", "web-1", *BASE, "--wait", "ssh", "--timeout", "120")
    assert_one_line_error(result)
    assert "port 22 of droplet" in result.err and "'port' not reached" in result.err


def test_destroy_by_tag_waits_until_gone(run: Run, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("droplets.cli.output._is_tty", lambda stream: True)
    sandbox.seed_droplets(count=3, tag="web")
    result = run("destroy", "--tag", "web", "-f", "--wait")
    assert result.code == 0, result.err
    assert sandbox.droplets() == [], "gone when the command returns"
    assert "3/3 gone" in result.err


def test_destroy_by_ids_waits_until_gone(run: Run, sandbox: Sandbox) -> None:
    ids = sandbox.seed_droplets(count=2)
    result = run("destroy", *map(str, ids), "-f", "--wait")
    assert result.code == 0, result.err
    assert sandbox.droplets() == []
