"""Third-party DigitalOcean clients (pydo, python-digitalocean) against SandboxServer.

Quirks worth knowing:

* pydo (azure-core) refuses to send a bearer token over plain HTTP unless each
  call passes ``enforce_https=False``; its ``list`` returns one page only.
* python-digitalocean follows the absolute ``links.pages.next`` URLs, so the
  server must write its own loopback URL as base (``SandboxServer`` does); its
  ``Action`` objects ignore the ``end_point`` given to the droplet and read
  ``DIGITALOCEAN_END_POINT`` instead; it sends ``null`` for unset optional
  fields (``vpc_uuid``), which the API, and so the sandbox, accepts.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from droplets.sandbox.server import SandboxServer

LAPTOP = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMuc0GfV2+vO+pGkuaUnnUXhUe1EDFp3OqB+WYDoKjmw laptop@example"
CREATE = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(port=0, latency_ms=0, seed=0, action_seconds=0.05, seed_droplets=230) as running:
        running.sandbox.lifecycle.set(networks_after=0.05)
        yield running


def _until(predicate: Any, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_pydo_lists_creates_gets_and_powers_off(server: SandboxServer) -> None:
    pydo = pytest.importorskip("pydo")
    client = pydo.Client(token="sandbox-token", endpoint=server.url)
    plain_http = {"enforce_https": False}

    page = client.droplets.list(per_page=100, **plain_http)
    assert page["meta"]["total"] == 230 and len(page["droplets"]) == 100
    assert page["links"]["pages"]["next"].startswith(server.url)

    created = client.droplets.create(body={"name": "pydo-1", **CREATE}, **plain_http)
    droplet_id = created["droplet"]["id"]
    assert created["droplet"]["status"] == "new"
    _until(lambda: client.droplets.get(droplet_id=droplet_id, **plain_http)["droplet"]["status"] == "active")

    action = client.droplet_actions.post(droplet_id=droplet_id, body={"type": "power_off"}, **plain_http)
    assert action["action"]["status"] == "in-progress"
    _until(
        lambda: client.actions.get(action_id=action["action"]["id"], **plain_http)["action"]["status"] == "completed"
    )
    assert client.droplets.get(droplet_id=droplet_id, **plain_http)["droplet"]["status"] == "off"


def test_python_digitalocean_lists_creates_gets_and_powers_off(
    server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    digitalocean = pytest.importorskip("digitalocean")
    monkeypatch.setenv("DIGITALOCEAN_END_POINT", f"{server.url}/v2/")
    manager = digitalocean.Manager(token="sandbox-token")

    everything = manager.get_all_droplets()
    assert len(everything) == 230, "python-digitalocean follows links.pages.next across pages"

    droplet = digitalocean.Droplet(
        token="sandbox-token",
        name="pdo-1",
        size_slug=CREATE["size"],
        **{
            "region": CREATE["region"],
            "image": CREATE["image"],
        },
    )
    droplet.create()
    _until(lambda: droplet.load().ip_address)
    assert droplet.status == "active"

    fetched = manager.get_droplet(droplet.id)
    assert fetched.name == "pdo-1"

    action = droplet.power_off(return_dict=False)
    assert action.wait(update_every_seconds=0.05) is True
    assert droplet.load().status == "off"
    assert {r.slug for r in manager.get_all_regions()} >= {"nyc3"}


@pytest.fixture
def pydo_client(server: SandboxServer) -> Any:
    pydo = pytest.importorskip("pydo")
    return pydo.Client(token="sandbox-token", endpoint=server.url)


def _valid(spec: dict[str, Any], method: str, template: str, status: int, body: Any) -> Any:
    """Validate what pydo returned against the spec's response schema, and hand it back."""
    from test_sandbox_schema import check

    check(spec, method, template, status, b"" if body is None else json.dumps(body).encode())
    return body


def test_pydo_manages_ssh_keys(pydo_client: Any, spec: dict[str, Any]) -> None:
    plain_http = {"enforce_https": False}
    keys, item = "/v2/account/keys", "/v2/account/keys/{ssh_key_identifier}"
    body = {"name": "laptop", "public_key": LAPTOP}
    key = _valid(spec, "POST", keys, 201, pydo_client.ssh_keys.create(body=body, **plain_http))["ssh_key"]
    got = _valid(spec, "GET", item, 200, pydo_client.ssh_keys.get(ssh_key_identifier=key["fingerprint"], **plain_http))
    assert got["ssh_key"]["id"] == key["id"]
    renamed = pydo_client.ssh_keys.update(ssh_key_identifier=key["id"], body={"name": "laptop-2"}, **plain_http)
    assert _valid(spec, "PUT", item, 200, renamed)["ssh_key"]["name"] == "laptop-2"
    listed = _valid(spec, "GET", keys, 200, pydo_client.ssh_keys.list(**plain_http))
    assert key["id"] in [k["id"] for k in listed["ssh_keys"]]
    assert pydo_client.ssh_keys.delete(ssh_key_identifier=key["id"], **plain_http) is None


def test_pydo_manages_tags(pydo_client: Any, spec: dict[str, Any], server: SandboxServer) -> None:
    plain_http = {"enforce_https": False}
    droplet = pydo_client.droplets.list(per_page=1, **plain_http)["droplets"][0]
    created = pydo_client.tags.create(body={"name": "env:pydo"}, **plain_http)
    assert _valid(spec, "POST", "/v2/tags", 201, created)["tag"]["name"] == "env:pydo"
    resources = {"resources": [{"resource_id": str(droplet["id"]), "resource_type": "droplet"}]}
    assert pydo_client.tags.assign_resources(tag_id="env:pydo", body=resources, **plain_http) is None
    got = _valid(spec, "GET", "/v2/tags/{tag_id}", 200, pydo_client.tags.get(tag_id="env:pydo", **plain_http))
    assert got["tag"]["resources"]["droplets"]["count"] == 1
    listed = _valid(spec, "GET", "/v2/tags", 200, pydo_client.tags.list(**plain_http))
    assert "env:pydo" in [t["name"] for t in listed["tags"]]
    assert pydo_client.tags.unassign_resources(tag_id="env:pydo", body=resources, **plain_http) is None
    assert pydo_client.tags.delete(tag_id="env:pydo", **plain_http) is None
    gone = pydo_client.tags.get(tag_id="env:pydo", **plain_http)
    assert _valid(spec, "GET", "/v2/tags/{tag_id}", 404, gone)["id"] == "not_found"


def test_pydo_reads_droplet_metrics(pydo_client: Any, server: SandboxServer, spec: dict[str, Any]) -> None:
    """Every metric of ``pydo.monitoring`` against the served sandbox, validated against the spec."""
    plain_http = {"enforce_https": False}
    droplet_id = str(server.sandbox.droplets()[0]["id"])
    now = int(time.time())
    window = {"host_id": droplet_id, "start": str(now - 3600), "end": str(now + 60), **plain_http}
    calls = {
        "cpu": pydo_client.monitoring.get_droplet_cpu_metrics,
        "memory_available": pydo_client.monitoring.get_droplet_memory_available_metrics,
        "memory_cached": pydo_client.monitoring.get_droplet_memory_cached_metrics,
        "memory_free": pydo_client.monitoring.get_droplet_memory_free_metrics,
        "memory_total": pydo_client.monitoring.get_droplet_memory_total_metrics,
        "load_1": pydo_client.monitoring.get_droplet_load1_metrics,
        "load_5": pydo_client.monitoring.get_droplet_load5_metrics,
        "load_15": pydo_client.monitoring.get_droplet_load15_metrics,
        "filesystem_free": pydo_client.monitoring.get_droplet_filesystem_free_metrics,
        "filesystem_size": pydo_client.monitoring.get_droplet_filesystem_size_metrics,
    }
    for kind, call in calls.items():
        body = _valid(spec, "GET", f"/v2/monitoring/metrics/droplet/{kind}", 200, call(**window))
        lines = body["data"]["result"]
        assert lines and all(line["metric"]["host_id"] == droplet_id for line in lines), kind
    bandwidth = pydo_client.monitoring.get_droplet_bandwidth_metrics(interface="public", direction="inbound", **window)
    body = _valid(spec, "GET", "/v2/monitoring/metrics/droplet/bandwidth", 200, bandwidth)
    assert body["data"]["result"][0]["metric"]["interface"] == "public"


def test_pydo_reads_the_account(pydo_client: Any, spec: dict[str, Any]) -> None:
    account = _valid(spec, "GET", "/v2/account", 200, pydo_client.account.get(enforce_https=False))
    assert account["account"]["status"] == "active"


def test_pydo_manages_vpcs(pydo_client: Any, spec: dict[str, Any]) -> None:
    plain_http = {"enforce_https": False}
    item = "/v2/vpcs/{vpc_id}"
    body = {"name": "pydo-vpc", "region": "ams3", "ip_range": "10.40.0.0/20"}
    vpc = _valid(spec, "POST", "/v2/vpcs", 201, pydo_client.vpcs.create(body=body, **plain_http))["vpc"]
    other = pydo_client.vpcs.create(body={"name": "pydo-vpc-2", "region": "ams3"}, **plain_http)["vpc"]
    assert _valid(spec, "GET", item, 200, pydo_client.vpcs.get(vpc_id=vpc["id"], **plain_http))["vpc"]["default"]
    put = pydo_client.vpcs.update(vpc_id=other["id"], body={"name": "pydo-vpc-2", "default": True}, **plain_http)
    assert _valid(spec, "PUT", item, 200, put)["vpc"]["default"] is True
    patch = pydo_client.vpcs.patch(vpc_id=vpc["id"], body={"description": "d"}, **plain_http)
    assert _valid(spec, "PATCH", item, 200, patch)["vpc"]["description"] == "d"
    members = pydo_client.vpcs.list_members(vpc_id=vpc["id"], **plain_http)
    assert _valid(spec, "GET", "/v2/vpcs/{vpc_id}/members", 200, members)["members"] == []
    assert vpc["id"] in [
        v["id"] for v in _valid(spec, "GET", "/v2/vpcs", 200, pydo_client.vpcs.list(**plain_http))["vpcs"]
    ]
    assert pydo_client.vpcs.delete(vpc_id=vpc["id"], **plain_http) is None


def test_pydo_manages_autoscale_pools(pydo_client: Any, spec: dict[str, Any]) -> None:
    """Every autoscale pool call of ``pydo.autoscalepools`` against the served sandbox, validated against the spec."""
    plain_http = {"enforce_https": False}
    pools, item = "/v2/droplets/autoscale", "/v2/droplets/autoscale/{autoscale_pool_id}"
    template = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64", "ssh_keys": []}
    body = {"name": "pydo-pool", "config": {"target_number_instances": 2}, "droplet_template": template}
    created = _valid(spec, "POST", pools, 202, pydo_client.autoscalepools.create(body=body, **plain_http))
    pool_id = created["autoscale_pool"]["id"]
    got = _valid(spec, "GET", item, 200, pydo_client.autoscalepools.get(autoscale_pool_id=pool_id, **plain_http))
    assert got["autoscale_pool"]["name"] == "pydo-pool"
    listed = _valid(spec, "GET", pools, 200, pydo_client.autoscalepools.list(name="pydo-pool", **plain_http))
    assert [p["id"] for p in listed["autoscale_pools"]] == [pool_id]
    members = pydo_client.autoscalepools.list_members(autoscale_pool_id=pool_id, **plain_http)
    assert len(_valid(spec, "GET", f"{item}/members", 200, members)["droplets"]) == 2
    history = pydo_client.autoscalepools.list_history(autoscale_pool_id=pool_id, **plain_http)
    assert _valid(spec, "GET", f"{item}/history", 200, history)["history"][0]["reason"] == "CONFIGURATION_CHANGE"
    scaled = {**body, "config": {"min_instances": 1, "max_instances": 3}}
    updated = pydo_client.autoscalepools.update(autoscale_pool_id=pool_id, body=scaled, **plain_http)
    assert _valid(spec, "PUT", item, 200, updated)["autoscale_pool"]["config"]["max_instances"] == 3
    dangerous = pydo_client.autoscalepools.delete_dangerous(autoscale_pool_id=pool_id, x_dangerous=True, **plain_http)
    assert dangerous is None
    other = pydo_client.autoscalepools.create(body={**body, "name": "pydo-pool-2"}, **plain_http)
    assert pydo_client.autoscalepools.delete(autoscale_pool_id=other["autoscale_pool"]["id"], **plain_http) is None


def test_pydo_manages_images(pydo_client: Any, spec: dict[str, Any], server: SandboxServer) -> None:
    plain_http = {"enforce_https": False}
    droplet = pydo_client.droplets.list(per_page=1, **plain_http)["droplets"][0]
    snap = pydo_client.droplet_actions.post(droplet_id=droplet["id"], body={"type": "snapshot"}, **plain_http)
    _until(
        lambda: (
            pydo_client.actions.get(action_id=snap["action"]["id"], **plain_http)["action"]["status"] != "in-progress"
        )
    )
    image_id = pydo_client.droplets.get(droplet_id=droplet["id"], **plain_http)["droplet"]["snapshot_ids"][0]
    item = "/v2/images/{image_id}"
    updated = pydo_client.images.update(image_id=image_id, body={"name": "pydo-image"}, **plain_http)
    assert _valid(spec, "PUT", item, 200, updated)["image"]["name"] == "pydo-image"
    body = {"type": "transfer", "region": "ams3"}
    action = pydo_client.image_actions.post(image_id=image_id, body=body, **plain_http)
    action_id = _valid(spec, "POST", f"{item}/actions", 201, action)["action"]["id"]
    listed = _valid(
        spec, "GET", f"{item}/actions", 200, pydo_client.image_actions.list(image_id=image_id, **plain_http)
    )
    assert [a["id"] for a in listed["actions"]] == [action_id]
    got = pydo_client.image_actions.get(image_id=image_id, action_id=action_id, **plain_http)
    assert got["action"]["id"] == action_id
    assert pydo_client.images.delete(image_id=image_id, **plain_http) is None


def test_pydo_lists_gets_and_deletes_snapshots(pydo_client: Any, spec: dict[str, Any]) -> None:
    plain_http = {"enforce_https": False}
    droplet = pydo_client.droplets.list(per_page=1, **plain_http)["droplets"][0]
    snap = pydo_client.droplet_actions.post(droplet_id=droplet["id"], body={"type": "snapshot"}, **plain_http)
    snap_id = snap["action"]["id"]
    _until(lambda: pydo_client.actions.get(action_id=snap_id, **plain_http)["action"]["status"] != "in-progress")
    listed = pydo_client.snapshots.list(resource_type="droplet", **plain_http)
    snapshot_id = _valid(spec, "GET", "/v2/snapshots", 200, listed)["snapshots"][0]["id"]
    got = pydo_client.snapshots.get(snapshot_id=snapshot_id, **plain_http)
    assert _valid(spec, "GET", "/v2/snapshots/{snapshot_id}", 200, got)["snapshot"]["resource_type"] == "droplet"
    assert pydo_client.snapshots.delete(snapshot_id=snapshot_id, **plain_http) is None
