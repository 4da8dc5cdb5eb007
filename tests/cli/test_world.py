"""The resource commands in doctl's shape: ssh-key, tag, snapshot, vpc, image, account."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from droplets.sandbox import Sandbox
from tests.cli.conftest import FakeTTY, Run, assert_one_line_error, table

LAPTOP = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMuc0GfV2+vO+pGkuaUnnUXhUe1EDFp3OqB+WYDoKjmw laptop@example"
LAPTOP_FINGERPRINT = "59:43:7e:fd:d8:84:9c:84:35:f3:19:58:38:f2:5c:d6"


def test_ssh_key_create_list_delete(run: Run, sandbox: Sandbox, tmp_path: Path) -> None:
    pub = tmp_path / "id_ed25519.pub"
    pub.write_text(LAPTOP + "\n")
    created = run("ssh-key", "create", "laptop", "--public-key-file", str(pub), "-o", "json")
    assert created.code == 0, created.err
    key = json.loads(created.out)
    assert key["fingerprint"] == LAPTOP_FINGERPRINT and key["name"] == "laptop"

    listed = run("ssh-key", "list")
    assert listed.code == 0 and LAPTOP_FINGERPRINT in listed.out
    assert table(listed.out)[0] == ["ID", "Name", "FingerPrint"]

    deleted = run("ssh-key", "delete", LAPTOP_FINGERPRINT, "--force")
    assert deleted.code == 0 and f"Deleted SSH key {key['id']}." in deleted.out
    assert LAPTOP_FINGERPRINT not in run("ssh-key", "list", "-o", "json").out


def test_ssh_key_create_refuses_a_private_key_before_sending(run: Run, sandbox: Sandbox) -> None:
    sandbox.reset_log()
    result = run("ssh-key", "create", "oops", "--public-key", "-----BEGIN OPENSSH PRIVATE KEY-----")
    assert_one_line_error(result)
    assert "not an OpenSSH public key" in result.err
    assert sandbox.requests == []


def test_ssh_key_delete_asks_first(run: Run, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    key_id = json.loads(run("ssh-key", "list", "-o", "json").out)[0]["id"]
    refused = run("ssh-key", "delete", str(key_id))
    assert_one_line_error(refused)
    assert "--force" in refused.err
    monkeypatch.setattr("sys.stdin", FakeTTY("n\n"))
    assert run("ssh-key", "delete", str(key_id)).code == 1
    monkeypatch.setattr("sys.stdin", FakeTTY("y\n"))
    assert run("ssh-key", "delete", str(key_id)).code == 0
    assert json.loads(run("ssh-key", "list", "-o", "json").out) == []
