"""The attachment commands in doctl's shape: volume and reserved-ip, on a sandbox."""

from __future__ import annotations

import json

from droplets import Droplet
from droplets.sandbox import Sandbox
from tests.cli.conftest import Run, assert_one_line_error, table


def _droplet(region: str = "nyc3") -> Droplet:
    return Droplet.objects.create(name="db-1", region=region, size="s-1vcpu-1gb", image="ubuntu-24-04-x64", wait=True)


def test_volume_create_attach_resize_snapshot_detach_delete(run: Run, sandbox: Sandbox) -> None:
    d = _droplet()
    created = run("volume", "create", "data", "--size", "100", "--region", "nyc3", "--fs-type", "ext4", "-o", "json")
    assert created.code == 0, created.err
    volume = json.loads(created.out)
    assert volume["name"] == "data" and volume["size_gigabytes"] == 100

    listed = run("volume", "list", "--region", "nyc3")
    assert table(listed.out)[0][:4] == ["ID", "Name", "Size", "Region"] and "100 GiB" in listed.out

    attached = run("volume", "attach", volume["id"], str(d.id), "--wait", "-o", "json")
    assert attached.code == 0, attached.err
    assert json.loads(attached.out)["type"] == "attach_volume" and json.loads(attached.out)["status"] == "completed"
    assert d.refresh().volume_ids == [volume["id"]]

    refused = run("volume", "delete", volume["id"], "--force")
    assert_one_line_error(refused)
    assert "409" in refused.err and "detach" in refused.err

    assert run("volume", "resize", volume["id"], "200", "--wait").code == 0
    snap = run("volume", "snapshot", volume["id"], "--snapshot-name", "nightly", "-o", "json")
    assert snap.code == 0 and json.loads(snap.out)["min_disk_size"] == 200

    detached = run("volume", "detach", volume["id"], "--wait")
    assert detached.code == 0 and "detach_volume" in detached.out
    deleted = run("volume", "delete", volume["id"], "--force")
    assert deleted.code == 0 and f"Deleted volume {volume['id']} (data)." in deleted.out
    assert json.loads(run("volume", "list", "-o", "json").out) == []


def test_volume_rules_are_refused_before_sending(run: Run, sandbox: Sandbox) -> None:
    sandbox.reset_log()
    result = run("volume", "create", "Data", "--size", "10", "--region", "nyc3")
    assert_one_line_error(result)
    assert "lowercase" in result.err and sandbox.requests == []


def test_reserved_ip_create_assign_move_unassign_delete(run: Run, sandbox: Sandbox) -> None:
    first, second = _droplet(), _droplet()
    created = run("reserved-ip", "create", "--droplet", str(first.id), "--wait", "-o", "json")
    assert created.code == 0, created.err
    ip = json.loads(created.out)
    assert ip["droplet"]["id"] == first.id

    moved = run("reserved-ip", "assign", ip["ip"], str(second.id), "--wait")
    assert moved.code == 0 and "assign_ip" in moved.out
    listed = run("reserved-ip", "list")
    assert table(listed.out)[0][:3] == ["IP", "Region", "Droplet ID"] and str(second.id) in listed.out

    assert run("reserved-ip", "unassign", ip["ip"], "--wait").code == 0
    assert json.loads(run("reserved-ip", "list", "-o", "json").out)[0]["droplet"] is None
    deleted = run("reserved-ip", "delete", ip["ip"], "--force")
    assert deleted.code == 0 and f"Deleted reserved IP {ip['ip']}." in deleted.out

    both = run("reserved-ip", "create")
    assert_one_line_error(both)
    assert "--region" in both.err


def test_firewall_create_change_and_delete(run: Run, sandbox: Sandbox) -> None:
    d = _droplet()
    assert run("tag", "create", "web").code == 0
    created = run(
        "firewall", "create", "web-fw", "--inbound-rules", "protocol:tcp,ports:22,address:0.0.0.0/0,address:::/0",
        "--outbound-rules", "protocol:icmp,address:0.0.0.0/0", "--tag-names", "web", "-o", "json",
    )  # fmt: skip
    assert created.code == 0, created.err
    fw = json.loads(created.out)
    assert fw["inbound_rules"][0]["sources"]["addresses"] == ["0.0.0.0/0", "::/0"]
    assert fw["outbound_rules"][0]["ports"] == "0" and fw["tags"] == ["web"]

    assert run("firewall", "add-droplets", fw["id"], "--droplet-ids", str(d.id)).code == 0
    assert [f.id for f in d.firewalls()] == [fw["id"]]
    assert run("firewall", "remove-droplets", fw["id"], "--droplet-ids", str(d.id)).code == 0
    assert run("firewall", "remove-tags", fw["id"], "--tag-names", "web").code == 0
    assert run("firewall", "add-tags", fw["id"], "--tag-names", "web").code == 0
    added = run("firewall", "add-rules", fw["id"], "--inbound-rules", "protocol:tcp,ports:443,tag:web", "-o", "json")
    assert added.code == 0 and len(json.loads(added.out)["inbound_rules"]) == 2
    removed = run("firewall", "remove-rules", fw["id"], "--inbound-rules", "protocol:tcp,ports:443,tag:web")
    assert removed.code == 0
    listed = run("firewall", "list")
    assert table(listed.out)[0][:3] == ["ID", "Name", "Status"] and "web-fw" in listed.out

    bad = run("firewall", "add-rules", fw["id"], "--inbound-rules", "protocol:tcp,ports:99999,address:0.0.0.0/0")
    assert_one_line_error(bad)
    assert "65535" in bad.err
    deleted = run("firewall", "delete", fw["id"], "--force")
    assert deleted.code == 0 and "Deleted firewall" in deleted.out
