"""pydo's volume, reserved IP, firewall and destroy-with-associated-resources calls against the served sandbox.

Each answer is validated against the spec.
"""

from __future__ import annotations

from typing import Any

from test_third_party_clients import _until, _valid, pydo_client, server

from droplets.sandbox.server import SandboxServer

__all__ = ["pydo_client", "server"]  # the fixtures, shared with the other third-party tests

HTTP = {"enforce_https": False}
SSH = {"protocol": "tcp", "ports": "22", "sources": {"addresses": ["0.0.0.0/0"]}}


def _droplet(pydo_client: Any) -> dict[str, Any]:
    body = {"name": "pydo-host", "region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}
    created = pydo_client.droplets.create(body=body, **HTTP)["droplet"]
    _until(lambda: not pydo_client.droplets.get(droplet_id=created["id"], **HTTP)["droplet"]["locked"])
    return created


def test_pydo_manages_volumes(pydo_client: Any, spec: dict[str, Any], server: SandboxServer) -> None:
    d = _droplet(pydo_client)
    body = {"name": "pydo-data", "size_gigabytes": 10, "region": "nyc3", "filesystem_type": "ext4"}
    v = _valid(spec, "POST", "/v2/volumes", 201, pydo_client.volumes.create(body=body, **HTTP))["volume"]
    item = "/v2/volumes/{volume_id}"
    _valid(spec, "GET", item, 200, pydo_client.volumes.get(volume_id=v["id"], **HTTP))
    _valid(spec, "GET", "/v2/volumes", 200, pydo_client.volumes.list(name="pydo-data", region="nyc3", **HTTP))
    attach = {"type": "attach", "droplet_id": d["id"], "region": "nyc3"}
    posted = pydo_client.volume_actions.post_by_id(volume_id=v["id"], body=attach, **HTTP)
    action = _valid(spec, "POST", item + "/actions", 202, posted)["action"]
    _until(lambda: pydo_client.volumes.get(volume_id=v["id"], **HTTP)["volume"]["droplet_ids"] == [d["id"]])
    one = pydo_client.volume_actions.get(volume_id=v["id"], action_id=action["id"], **HTTP)
    _valid(spec, "GET", item + "/actions/{action_id}", 200, one)
    _valid(spec, "GET", item + "/actions", 200, pydo_client.volume_actions.list(volume_id=v["id"], **HTTP))
    snap = pydo_client.volume_snapshots.create(volume_id=v["id"], body={"name": "pydo-snap"}, **HTTP)
    sid = _valid(spec, "POST", item + "/snapshots", 201, snap)["snapshot"]["id"]
    _valid(spec, "GET", item + "/snapshots", 200, pydo_client.volume_snapshots.list(volume_id=v["id"], **HTTP))
    got = pydo_client.volume_snapshots.get_by_id(snapshot_id=sid, **HTTP)
    _valid(spec, "GET", "/v2/volumes/snapshots/{snapshot_id}", 200, got)
    assert pydo_client.volume_snapshots.delete_by_id(snapshot_id=sid, **HTTP) is None
    detach = {"type": "detach", "volume_name": "pydo-data", "region": "nyc3", "droplet_id": d["id"]}
    _valid(spec, "POST", "/v2/volumes/actions", 202, pydo_client.volume_actions.post(body=detach, **HTTP))
    _until(lambda: pydo_client.volumes.get(volume_id=v["id"], **HTTP)["volume"]["droplet_ids"] == [])
    assert pydo_client.volumes.delete_by_name(name="pydo-data", region="nyc3", **HTTP) is None


def test_pydo_manages_reserved_ips(pydo_client: Any, spec: dict[str, Any], server: SandboxServer) -> None:
    d = _droplet(pydo_client)
    created = pydo_client.reserved_ips.create(body={"region": "nyc3"}, **HTTP)
    ip = _valid(spec, "POST", "/v2/reserved_ips", 202, created)["reserved_ip"]["ip"]
    item = "/v2/reserved_ips/{reserved_ip}"
    posted = pydo_client.reserved_ips_actions.post(
        reserved_ip=ip, body={"type": "assign", "droplet_id": d["id"]}, **HTTP
    )
    action = _valid(spec, "POST", item + "/actions", 201, posted)["action"]
    _until(
        lambda: (
            (pydo_client.reserved_ips.get(reserved_ip=ip, **HTTP)["reserved_ip"]["droplet"] or {}).get("id") == d["id"]
        )
    )
    _valid(spec, "GET", item, 200, pydo_client.reserved_ips.get(reserved_ip=ip, **HTTP))
    _valid(spec, "GET", "/v2/reserved_ips", 200, pydo_client.reserved_ips.list(**HTTP))
    _valid(spec, "GET", item + "/actions", 200, pydo_client.reserved_ips_actions.list(reserved_ip=ip, **HTTP))
    one = pydo_client.reserved_ips_actions.get(reserved_ip=ip, action_id=action["id"], **HTTP)
    _valid(spec, "GET", item + "/actions/{action_id}", 200, one)
    networks = pydo_client.droplets.get(droplet_id=d["id"], **HTTP)["droplet"]["networks"]["v4"]
    assert ip in [n["ip_address"] for n in networks]
    assert pydo_client.reserved_ips.delete(reserved_ip=ip, **HTTP) is None


def test_pydo_manages_firewalls(pydo_client: Any, spec: dict[str, Any], server: SandboxServer) -> None:
    d = _droplet(pydo_client)
    pydo_client.tags.create(body={"name": "pydo-web"}, **HTTP)
    body = {"name": "pydo-fw", "inbound_rules": [SSH], "droplet_ids": [d["id"]]}
    fw = _valid(spec, "POST", "/v2/firewalls", 202, pydo_client.firewalls.create(body=body, **HTTP))["firewall"]
    item = "/v2/firewalls/{firewall_id}"
    _valid(spec, "GET", item, 200, pydo_client.firewalls.get(firewall_id=fw["id"], **HTTP))
    _valid(spec, "GET", "/v2/firewalls", 200, pydo_client.firewalls.list(**HTTP))
    fid, ids, tags = fw["id"], {"droplet_ids": [d["id"]]}, {"tags": ["pydo-web"]}
    rules = {"outbound_rules": [{"protocol": "icmp", "ports": "0", "destinations": {"addresses": ["0.0.0.0/0"]}}]}
    for call, payload in [
        (pydo_client.firewalls.delete_droplets, ids),
        (pydo_client.firewalls.assign_droplets, ids),
        (pydo_client.firewalls.add_tags, tags),
        (pydo_client.firewalls.delete_tags, tags),
        (pydo_client.firewalls.add_rules, rules),
        (pydo_client.firewalls.delete_rules, rules),
    ]:
        assert call(firewall_id=fid, body=payload, **HTTP) is None
    replaced = pydo_client.firewalls.update(firewall_id=fid, body={"name": "pydo-fw-2", "inbound_rules": [SSH]}, **HTTP)
    assert _valid(spec, "PUT", item, 200, replaced)["firewall"]["droplet_ids"] == []
    assert pydo_client.firewalls.delete(firewall_id=fid, **HTTP) is None


def _equipped(pydo_client: Any, name: str) -> dict[str, Any]:
    """A droplet with an attached volume, a volume snapshot, a droplet snapshot and a reserved IP, through pydo."""
    d = _droplet(pydo_client)
    body = {"name": f"{name}-data", "size_gigabytes": 10, "region": "nyc3", "filesystem_type": "ext4"}
    volume = pydo_client.volumes.create(body=body, **HTTP)["volume"]["id"]
    attach = {"type": "attach", "droplet_id": d["id"], "region": "nyc3"}
    pydo_client.volume_actions.post_by_id(volume_id=volume, body=attach, **HTTP)
    _until(lambda: pydo_client.volumes.get(volume_id=volume, **HTTP)["volume"]["droplet_ids"] == [d["id"]])
    pydo_client.volume_snapshots.create(volume_id=volume, body={"name": f"{name}-nightly"}, **HTTP)
    pydo_client.reserved_ips.create(body={"droplet_id": d["id"]}, **HTTP)
    _until(lambda: not pydo_client.droplets.get(droplet_id=d["id"], **HTTP)["droplet"]["locked"])
    pydo_client.droplet_actions.post(droplet_id=d["id"], body={"type": "snapshot", "name": f"{name}-before"}, **HTTP)
    _until(lambda: pydo_client.droplets.get(droplet_id=d["id"], **HTTP)["droplet"]["snapshot_ids"] != [])
    return d


def _settled(pydo_client: Any, spec: dict[str, Any], droplet_id: int) -> dict[str, Any]:
    """The destroy's status once the flow completed, validated against the spec."""
    status = "/v2/droplets/{droplet_id}/destroy_with_associated_resources/status"
    read = pydo_client.droplets.get_destroy_associated_resources_status
    _until(lambda: read(droplet_id=droplet_id, **HTTP).get("completed_at") is not None)
    return dict(_valid(spec, "GET", status, 200, read(droplet_id=droplet_id, **HTTP)))


def test_pydo_destroys_droplets_with_their_associated_resources(
    pydo_client: Any, spec: dict[str, Any], server: SandboxServer
) -> None:
    """Preview, selective destroy with a failure, retry, and the dangerous destroy, as pydo sends them."""
    # The served sandbox destroys one resource per action time (action_seconds=0.05), on its real clock.
    flow = "/v2/droplets/{droplet_id}/destroy_with_associated_resources"
    d = _equipped(pydo_client, "pydo-sel")
    preview = pydo_client.droplets.list_associated_resources(droplet_id=d["id"], **HTTP)
    preview = _valid(spec, "GET", flow, 200, preview)
    kinds = ("reserved_ips", "floating_ips", "snapshots", "volumes", "volume_snapshots")
    assert [len(preview[kind]) for kind in kinds] == [1, 1, 1, 1, 1]
    chosen = {kind: [preview[kind][0]["id"]] for kind in ("reserved_ips", "snapshots", "volume_snapshots")}
    server.sandbox.fail_destroy(chosen["volume_snapshots"][0], "the volume snapshot is in use")

    selective = pydo_client.droplets.destroy_with_associated_resources_selective(
        droplet_id=d["id"], body=chosen, **HTTP
    )
    _valid(spec, "DELETE", flow + "/selective", 202, selective)
    failed = _settled(pydo_client, spec, d["id"])
    assert failed["failures"] == 1 and failed["resources"]["volumes"] == []
    assert failed["resources"]["volume_snapshots"][0]["error_message"] == "the volume snapshot is in use"
    retried = pydo_client.droplets.destroy_retry_with_associated_resources(droplet_id=d["id"], **HTTP)
    _valid(spec, "POST", flow + "/retry", 202, retried)
    done = _settled(pydo_client, spec, d["id"])
    assert done["failures"] == 0 and all(
        entry.get("destroyed_at") for entries in done["resources"].values() for entry in entries
    )
    # Nothing left to retry: pydo hands back the spec's 409 body (it declares the 409 for this operation).
    conflict = pydo_client.droplets.destroy_retry_with_associated_resources(droplet_id=d["id"], **HTTP)
    assert _valid(spec, "POST", flow + "/retry", 409, conflict)["id"] == "conflict"
    assert preview["volumes"][0]["id"] in {v["id"] for v in pydo_client.volumes.list(**HTTP)["volumes"]}  # kept

    other = _equipped(pydo_client, "pydo-all")
    everything = pydo_client.droplets.list_associated_resources(droplet_id=other["id"], **HTTP)
    dangerous = pydo_client.droplets.destroy_with_associated_resources_dangerous(
        droplet_id=other["id"], x_dangerous=True, **HTTP
    )
    _valid(spec, "DELETE", flow + "/dangerous", 202, dangerous)
    gone = _settled(pydo_client, spec, other["id"])
    assert gone["failures"] == 0
    assert {kind: [r["id"] for r in gone["resources"][kind]] for kind in kinds} == {
        kind: [r["id"] for r in everything[kind]] for kind in kinds
    }
    assert everything["volumes"][0]["id"] not in {v["id"] for v in pydo_client.volumes.list(**HTTP)["volumes"]}
    assert everything["reserved_ips"][0]["name"] not in {
        r["ip"] for r in pydo_client.reserved_ips.list(**HTTP)["reserved_ips"]
    }
