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
    assert deleted.code == 0 and f"Deleted SSH key {key['id']} (laptop)." in deleted.out
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


def test_tag_create_add_list_remove_delete(run: Run, sandbox: Sandbox) -> None:
    [droplet_id] = sandbox.seed_droplets(count=1)
    created = run("tag", "create", "web", "-o", "json")
    assert created.code == 0 and json.loads(created.out)["name"] == "web"
    added = run("tag", "add", "web", "--droplet", str(droplet_id))
    assert added.code == 0 and "Tagged 1 resource(s)" in added.out
    assert "web" in sandbox.droplets()[0]["tags"]
    listed = json.loads(run("tag", "list", "-o", "json").out)
    assert {"name": "web", "count": 1} in [{"name": t["name"], "count": t["resources"]["count"]} for t in listed]
    assert table(run("tag", "list").out)[0] == ["Name", "Resources", "Droplets", "Images"]
    assert run("tag", "remove", "web", "--droplet", str(droplet_id)).code == 0
    assert "web" not in sandbox.droplets()[0]["tags"]
    deleted = run("tag", "delete", "web", "--force")
    assert deleted.code == 0 and "Deleted tag 'web' (on 0 resources)." in deleted.out


def test_tag_refuses_bad_names_and_missing_targets(run: Run, sandbox: Sandbox) -> None:
    sandbox.reset_log()
    assert_one_line_error(run("tag", "create", "no spaces"))
    assert_one_line_error(run("tag", "add", "web"))
    assert sandbox.requests == []
    missing = run("tag", "add", "nope", "--droplet", "1")
    assert_one_line_error(missing)
    assert "does not exist" in missing.err


def test_account_as_table_and_json(run: Run, sandbox: Sandbox) -> None:
    shown = run("account")
    assert shown.code == 0 and table(shown.out)[0][:2] == ["Email", "Name"]
    data = json.loads(run("account", "-o", "json").out)
    assert data["droplet_limit"] == 25 and data["status"] == "active" and data["team"]["name"] == "My Team"


def test_vpc_create_list_members_delete(run: Run, sandbox: Sandbox) -> None:
    created = run("vpc", "create", "prod", "--region", "ams3", "--ip-range", "10.30.0.0/20", "-o", "json")
    assert created.code == 0, created.err
    vpc = json.loads(created.out)
    assert vpc["default"] is True and vpc["ip_range"] == "10.30.0.0/20"
    other = json.loads(run("vpc", "create", "stage", "--region", "ams3", "-o", "json").out)
    assert table(run("vpc", "list").out)[0] == ["ID", "Name", "Region", "IP Range", "Default"]
    assert json.loads(run("vpc", "members", vpc["id"], "-o", "json").out) == []
    refused = run("vpc", "delete", vpc["id"], "--force")
    assert_one_line_error(refused)
    assert "default VPC" in refused.err
    assert run("vpc", "delete", other["id"], "--force").code == 0
    assert [v["name"] for v in json.loads(run("vpc", "list", "-o", "json").out)] == ["prod"]
    bad = run("vpc", "create", "x", "--region", "ams3", "--ip-range", "8.8.8.0/24")
    assert_one_line_error(bad)
    assert "not private" in bad.err


def test_image_update_transfer_delete(run: Run, droplets_sandbox: object, sandbox: Sandbox) -> None:
    from droplets import Droplet

    d = Droplet.objects.create(name="imaged", region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", wait=True)
    d.snapshot(name="snap", wait=True)
    image_id = str(d.refresh().snapshot_ids[0])
    updated = run("image", "update", image_id, "--name", "golden", "-o", "json")
    assert updated.code == 0 and json.loads(updated.out)["name"] == "golden"
    moved = run("image", "transfer", image_id, "--region", "ams3", "--wait", "-o", "json")
    assert moved.code == 0 and json.loads(moved.out)["status"] == "completed"
    assert run("image", "delete", image_id, "--force").code == 0
    assert_one_line_error(run("image", "update", image_id, "--name", "x"))


def test_snapshot_id_list_and_delete_share_one_command(run: Run, droplets_sandbox: object, sandbox: Sandbox) -> None:
    """``snapshot ID --name N`` takes one (a droplet id is a number); ``snapshot list|delete`` are the account's."""
    from droplets import Droplet, Volume

    d = Droplet.objects.create(name="snapped", region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", wait=True)
    taken = run("snapshot", str(d.id), "--name", "snap", "--wait", "-o", "json")
    assert taken.code == 0, taken.err
    assert json.loads(taken.out)["type"] == "snapshot"
    Volume.objects.create(name="data", size_gigabytes=10, region="nyc3").snapshot("nightly")

    of_droplets = json.loads(run("snapshot", "list", "--resource-type", "droplet", "-o", "json").out)
    assert [(s["name"], s["resource_type"], s["id"]) for s in of_droplets] == [
        ("snap", "droplet", str(d.refresh().snapshot_ids[0]))  # the API's JSON: the id as text
    ]
    everything = run("snapshot", "list")
    assert everything.code == 0 and table(everything.out)[0][:2] == ["ID", "Name"]
    assert {"snap", "nightly"} <= {row[1] for row in table(everything.out)[1:]}
    of_volumes = json.loads(run("snapshot", "list", "--resource-type", "volume", "-o", "json").out)
    assert [s["name"] for s in of_volumes] == ["nightly"]

    sandbox.reset_log()
    refused = run("snapshot", "delete", of_droplets[0]["id"])  # no terminal, no --force
    assert_one_line_error(refused)
    assert "--force" in refused.err and not [r for r in sandbox.requests if r[0] == "DELETE"]
    deleted = run("snapshot", "delete", of_droplets[0]["id"], of_volumes[0]["id"], "--force")
    assert deleted.code == 0 and f"Deleted snapshot {of_droplets[0]['id']} (snap)." in deleted.out
    assert ("DELETE", f"/v2/snapshots/{of_volumes[0]['id']}") in sandbox.requests
    assert json.loads(run("snapshot", "list", "-o", "json").out) == []


def test_snapshot_help_names_all_three_forms(run: Run) -> None:
    action = run("snapshot", "--help")
    assert action.code == 0 and action.out.startswith("usage: droplets snapshot [-h] [--name NAME]")
    assert "droplets snapshot list" in action.out and "droplets snapshot delete" in action.out
    listing = run("snapshot", "list", "--help")
    assert listing.code == 0 and listing.out.startswith("usage: droplets snapshot list")
    assert "--resource-type {droplet,volume}" in listing.out and "Example:\n  droplets snapshot list" in listing.out
    deleting = run("snapshot", "delete", "--help")
    assert deleting.code == 0 and deleting.out.startswith("usage: droplets snapshot delete [-h] [-f] ID [ID ...]")
    top = run("--help")
    assert "snapshot list|delete" in " ".join(top.out.split())
    assert "all-snapshots" not in top.out


def test_snapshot_usage_errors_name_the_other_forms(run: Run, sandbox: Sandbox) -> None:
    sandbox.reset_log()
    word = run("snapshot", "lsit")
    assert word.code == 2 and "droplets snapshot list" in word.err and "a droplet id" in word.err
    kind = run("snapshot", "list", "--resource-type", "image")
    assert kind.code == 2 and "usage: droplets snapshot list" in kind.err
    assert run("snapshot", "delete").code == 2
    assert sandbox.requests == []
