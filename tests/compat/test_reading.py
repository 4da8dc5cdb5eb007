"""The seed's reading calls: list, neighbors, info and the droplet's sub-lists."""

from __future__ import annotations

import droplets
from droplets.compat import DO
from droplets.sandbox import Sandbox
from tests.compat._support import wire_action, wire_droplet


def test_list_returns_every_droplet_as_the_apis_json(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.list(tag_name=None)`` -> "A list of Droplet data structures"."""
    ids = sandbox.seed_droplets(count=3)
    result = do.droplet.list()
    assert isinstance(result, list)
    assert [d["id"] for d in result] == ids
    assert result == [wire_droplet(sandbox, i) for i in ids]


def test_list_by_tag_name_returns_only_tagged_droplets(do: DO, sandbox: Sandbox) -> None:
    """Seed: "tag_name - string - Send to retrieve Droplet with this tag."."""
    sandbox.seed_droplets(count=2, tag="db")
    web = sandbox.seed_droplets(count=3, tag="web")
    result = do.droplet.list(tag_name="web")
    assert [d["id"] for d in result] == web
    assert all("web" in d["tags"] for d in result)
    assert do.droplet.list("nothing") == []


def test_neighbor_list_lists_droplets_on_the_same_server(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.neighbor_list(id)`` -> "A list of Droplet data structures"."""
    first, second, third = sandbox.seed_droplets(count=3)  # the sandbox puts 2 and 3 on one hypervisor
    assert do.droplet.neighbor_list(first) == []
    assert do.droplet.neighbor_list(second) == [wire_droplet(sandbox, third)]


def test_droplet_neighbor_list_is_a_list_of_neighbor_lists(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.droplet_neighbor_list()`` -> "A list of neighbor lists of Droplet data structures"."""
    _, second, third = sandbox.seed_droplets(count=3)
    result = do.droplet.droplet_neighbor_list()
    assert result == [[wire_droplet(sandbox, second), wire_droplet(sandbox, third)]]


def test_info_returns_the_droplet_dict(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.info(id)`` -> "A Droplet data structure"."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    result = do.droplet.info(droplet_id)
    assert result == wire_droplet(sandbox, droplet_id)
    assert {"id", "name", "memory", "vcpus", "disk", "locked", "created_at", "status", "backup_ids"} <= set(result)
    assert {"snapshot_ids", "features", "region", "image", "size", "size_slug", "networks", "kernel"} <= set(result)
    assert {"next_backup_window", "tags", "volume_ids"} <= set(result)


def test_backup_list_returns_image_dicts(do: DO, client: droplets.Client, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.backup_list(id)`` -> "A list of Image data structures"."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    assert do.droplet.backup_list(droplet_id) == []
    client.droplets.get(id=droplet_id).enable_backups(wait=True)
    sandbox.clock.advance(8 * 86400)  # type: ignore[attr-defined]  # a week of backup windows passes
    backups = do.droplet.backup_list(droplet_id)
    assert backups
    assert [b["id"] for b in backups] == do.droplet.info(droplet_id)["backup_ids"]
    assert all(b["type"] == "backup" for b in backups)


def test_snapshot_list_returns_image_dicts(do: DO, client: droplets.Client, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.snapshot_list(id)`` -> "A list of Image data structures"."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    assert do.droplet.snapshot_list(droplet_id) == []
    client.droplets.get(id=droplet_id).snapshot(name="before-upgrade", wait=True)
    snapshots = do.droplet.snapshot_list(droplet_id)
    assert [s["name"] for s in snapshots] == ["before-upgrade"]
    assert [s["id"] for s in snapshots] == do.droplet.info(droplet_id)["snapshot_ids"]


def test_kernel_list_returns_kernel_dicts(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.kernel_list(id)`` -> "A list of Kernel dict's" with id, name, version."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    kernels = do.droplet.kernel_list(droplet_id)
    assert kernels
    assert all(set(k) == {"id", "name", "version"} for k in kernels)


def test_action_list_returns_the_droplets_actions(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.action_list(id)`` -> "A list of Action data structures"."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    reboot = do.droplet.reboot(droplet_id, wait=True)
    actions = do.droplet.action_list(droplet_id)
    assert {a["type"] for a in actions} == {"create", "reboot"}
    assert wire_action(sandbox, reboot["id"]) in actions


def test_action_info_returns_one_action_dict(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.action_info(id, action_id)`` -> "An Action data structure"."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    started = do.droplet.power_off(droplet_id)
    assert isinstance(started, dict)  # by id: one Action dict
    result = do.droplet.action_info(droplet_id, started["id"])
    assert result == wire_action(sandbox, started["id"])
    assert result["type"] == "power_off"
    assert result["resource_id"] == droplet_id
