"""pydo (DigitalOcean's official client) runs its droplet workflows against the served sandbox.

pydo (azure-core) refuses to send a bearer token over plain HTTP unless each
call passes ``enforce_https=False``; its ``list`` returns one page, so the
pagination check follows ``page=`` itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pydo
import pytest
from azure.core.exceptions import HttpResponseError
from compat_account import CREATE, SEEDED, served_account, until

from droplets.sandbox.server import SandboxServer

HTTP: dict[str, Any] = {"enforce_https": False}


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with served_account() as running:
        yield running


@pytest.fixture(scope="module")
def client(server: SandboxServer) -> Any:
    return pydo.Client(token="sandbox-token", endpoint=server.url)


def _create(client: Any, name: str, **extra: Any) -> dict[str, Any]:
    droplet: dict[str, Any] = client.droplets.create(body={"name": name, **CREATE, **extra}, **HTTP)["droplet"]
    until(lambda: client.droplets.get(droplet_id=droplet["id"], **HTTP).get("droplet", {}).get("status") == "active")
    return droplet


def _act(client: Any, droplet_id: int, **body: Any) -> dict[str, Any]:
    action: dict[str, Any] = client.droplet_actions.post(droplet_id=droplet_id, body=body, **HTTP)["action"]
    until(lambda: _status(client, action["id"]) == "completed")
    return client.droplets.get(droplet_id=droplet_id, **HTTP)["droplet"]  # type: ignore[no-any-return]


def _status(client: Any, action_id: int) -> str:
    return client.actions.get(action_id=action_id, **HTTP)["action"]["status"]  # type: ignore[no-any-return]


def _history(client: Any) -> dict[str, Any]:
    [droplet] = client.droplets.list(tag_name="history", **HTTP)["droplets"]
    return droplet  # type: ignore[no-any-return]


def test_list_pages_through_every_droplet(client: Any) -> None:
    first = client.droplets.list(per_page=100, **HTTP)
    total = first["meta"]["total"]
    assert total >= SEEDED + 1 and len(first["droplets"]) == 100
    ids = {
        d["id"]
        for page in range(1, total // 100 + 2)
        for d in client.droplets.list(per_page=100, page=page, **HTTP)["droplets"]
    }
    assert len(ids) == total


def test_list_by_tag_and_by_name(client: Any) -> None:
    assert client.droplets.list(tag_name="sandbox", per_page=1, **HTTP)["meta"]["total"] == SEEDED
    assert [d["name"] for d in client.droplets.list(name="history-1", **HTTP)["droplets"]] == ["history-1"]


def test_create_one_and_get_it_active(client: Any) -> None:
    droplet = _create(client, "pydo-create-1", tags=["pydo"])
    fetched = client.droplets.get(droplet_id=droplet["id"], **HTTP)["droplet"]
    assert fetched["name"] == "pydo-create-1" and fetched["networks"]["v4"]


def test_create_several_at_once(client: Any) -> None:
    created = client.droplets.create(body={"names": ["pydo-multi-1", "pydo-multi-2"], **CREATE}, **HTTP)
    assert [d["name"] for d in created["droplets"]] == ["pydo-multi-1", "pydo-multi-2"]
    assert len(created["links"]["actions"]) == 2


@pytest.mark.parametrize("action", ["power_off", "shutdown", "reboot", "power_cycle", "password_reset"])
def test_power_actions(client: Any, action: str) -> None:
    droplet = _create(client, f"pydo-{action.replace('_', '-')}")
    after = _act(client, droplet["id"], type=action)
    assert after["status"] == ("off" if action in ("power_off", "shutdown") else "active")
    if after["status"] == "off":
        assert _act(client, droplet["id"], type="power_on")["status"] == "active"


def test_resize_with_disk(client: Any) -> None:
    droplet = _create(client, "pydo-resize")
    _act(client, droplet["id"], type="power_off")
    resized = _act(client, droplet["id"], type="resize", size="s-2vcpu-4gb", disk=True)
    assert resized["size_slug"] == "s-2vcpu-4gb" and resized["disk"] == 80


def test_rebuild_rename_kernel_ipv6(client: Any) -> None:
    droplet = _create(client, "pydo-rebuild")
    assert _act(client, droplet["id"], type="rebuild", image="ubuntu-22-04-x64")["image"]["slug"] == "ubuntu-22-04-x64"
    assert _act(client, droplet["id"], type="rename", name="pydo-renamed")["name"] == "pydo-renamed"
    kernel = client.droplets.list_kernels(droplet_id=droplet["id"], **HTTP)["kernels"][-1]
    assert _act(client, droplet["id"], type="change_kernel", kernel=kernel["id"])["kernel"]["id"] == kernel["id"]
    assert "ipv6" in _act(client, droplet["id"], type="enable_ipv6")["features"]


def test_restore_from_a_backup(client: Any) -> None:
    droplet = _history(client)
    backups = client.droplets.list_backups(droplet_id=droplet["id"], **HTTP)["backups"]
    assert [b["name"] for b in backups] == ["history-1 nightly", "history-1 weekly"]
    _act(client, droplet["id"], type="restore", image=backups[1]["id"])


def test_snapshot_then_rebuild_from_it(client: Any) -> None:
    droplet = _create(client, "pydo-snapshot")
    _act(client, droplet["id"], type="snapshot", name="pydo-snap")
    [snapshot] = client.droplets.list_snapshots(droplet_id=droplet["id"], **HTTP)["snapshots"]
    assert snapshot["name"] == "pydo-snap"
    _act(client, droplet["id"], type="rebuild", image=snapshot["id"])


def test_backups_enable_policy_disable(client: Any) -> None:
    droplet = _create(client, "pydo-backups")
    policy = {"plan": "weekly", "weekday": "SUN", "hour": 4}
    assert "backups" in _act(client, droplet["id"], type="enable_backups", backup_policy=policy)["features"]
    read = client.droplets.get_backup_policy(droplet_id=droplet["id"], **HTTP)["policy"]
    assert read["backup_policy"]["weekday"] == "SUN"
    _act(client, droplet["id"], type="change_backup_policy", backup_policy={"plan": "daily", "hour": 8})
    assert "backups" not in _act(client, droplet["id"], type="disable_backups")["features"]
    assert client.droplets.list_backup_policies(**HTTP)["policies"]
    assert client.droplets.list_supported_backup_policies(**HTTP)["supported_policies"]


def test_actions_by_tag(client: Any) -> None:
    client.droplets.create(body={"names": ["pydo-tag-1", "pydo-tag-2"], **CREATE, "tags": ["pydo-group"]}, **HTTP)
    until(lambda: all(d["status"] == "active" for d in client.droplets.list(tag_name="pydo-group", **HTTP)["droplets"]))
    actions = client.droplet_actions.post_by_tag(tag_name="pydo-group", body={"type": "power_off"}, **HTTP)["actions"]
    assert len(actions) == 2
    until(
        lambda: all(client.actions.get(action_id=a["id"], **HTTP)["action"]["status"] == "completed" for a in actions)
    )
    assert {d["status"] for d in client.droplets.list(tag_name="pydo-group", **HTTP)["droplets"]} == {"off"}
    snapshots = client.droplet_actions.post_by_tag(
        tag_name="pydo-group", body={"type": "snapshot", "name": "s"}, **HTTP
    )
    assert len(snapshots["actions"]) == 2


def test_destroy_one_and_by_tag(client: Any) -> None:
    droplet = _create(client, "pydo-destroy", tags=["pydo-doomed"])
    client.droplets.destroy_by_tag(tag_name="pydo-doomed", **HTTP)
    until(lambda: client.droplets.list(tag_name="pydo-doomed", **HTTP)["meta"]["total"] == 0)
    other = _create(client, "pydo-destroy-2")
    client.droplets.destroy(droplet_id=other["id"], **HTTP)
    until(lambda: client.droplets.get(droplet_id=other["id"], **HTTP).get("id") == "not_found")
    assert droplet["id"] != other["id"]


def test_destroy_by_an_unknown_tag_is_404_as_the_spec_declares(client: Any) -> None:
    answer = client.droplets.destroy_by_tag(tag_name="never-used", **HTTP)  # pydo returns a 404's body
    assert answer["id"] == "not_found"


def test_droplet_and_account_actions_lists(client: Any) -> None:
    droplet = _create(client, "pydo-actions")
    listed = client.droplet_actions.list(droplet_id=droplet["id"], **HTTP)["actions"]
    assert [a["type"] for a in listed] == ["create"]
    assert client.droplet_actions.get(droplet_id=droplet["id"], action_id=listed[0]["id"], **HTTP)["action"]
    page = client.actions.list(per_page=5, **HTTP)
    assert len(page["actions"]) == 5 and page["meta"]["total"] > 5


def test_catalog_lists(client: Any) -> None:
    regions = client.regions.list(per_page=200, **HTTP)["regions"]
    sizes = {s["slug"] for s in client.sizes.list(per_page=200, **HTTP)["sizes"]}
    assert all(set(r["sizes"]) <= sizes for r in regions)
    images = client.images.list(type="distribution", per_page=200, **HTTP)["images"]
    assert "ubuntu-22-04-x64" in {i["slug"] for i in images}
    assert client.images.get(image_id="ubuntu-24-04-x64", **HTTP)["image"]["slug"] == "ubuntu-24-04-x64"
    assert client.images.list(private=True, **HTTP)["images"]
    assert client.ssh_keys.list(**HTTP)["ssh_keys"]


def test_neighbors_firewalls(client: Any) -> None:
    droplet = _history(client)
    assert "droplets" in client.droplets.list_neighbors(droplet_id=droplet["id"], **HTTP)
    assert "neighbor_ids" in client.droplets.list_neighbors_ids(**HTTP)
    assert "firewalls" in client.droplets.list_firewalls(droplet_id=droplet["id"], **HTTP)


def test_errors_are_the_api_error_body(client: Any) -> None:
    missing = client.droplets.get(droplet_id=999_999_999, **HTTP)  # pydo returns a 404's body
    assert missing["id"] == "not_found" and missing["request_id"]
    with pytest.raises(HttpResponseError) as invalid:
        client.droplets.create(body={"name": "bad name!", **CREATE}, **HTTP)
    assert invalid.value.status_code == 422
