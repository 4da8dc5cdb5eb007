"""The seed's create and present calls, and destroy."""

from __future__ import annotations

import droplets
from droplets.compat import DO
from droplets.sandbox import Sandbox
from tests.compat._support import ATTRIBS, wire_droplet


def test_create_with_name_returns_one_droplet_dict(do: DO, sandbox: Sandbox) -> None:
    """Seed: create "Returns: A Droplet data structures if name is sent"."""
    result = do.droplet.create({"name": "web-1", **ATTRIBS})
    assert isinstance(result, dict)
    assert result["name"] == "web-1"
    assert result["status"] == "new"
    assert set(result) == set(wire_droplet(sandbox, result["id"]))


def test_create_wait_returns_the_droplet_once_ready(do: DO, sandbox: Sandbox) -> None:
    """Seed: create "wait - boolean - Whether to wait until the droplet is ready"."""
    result = do.droplet.create({"name": "web-1", **ATTRIBS}, wait=True, poll=1, timeout=300)
    assert isinstance(result, dict)
    assert result["status"] == "active"
    assert result == wire_droplet(sandbox, result["id"])
    assert result["networks"]["v4"]


def test_create_with_names_returns_a_list_of_droplet_dicts(do: DO, sandbox: Sandbox) -> None:
    """Seed: create returns "a list of Droplet data structures if names is sent"."""
    result = do.droplet.create({"names": ["web-1", "web-2"], **ATTRIBS}, True)
    assert isinstance(result, list)
    assert [d["name"] for d in result] == ["web-1", "web-2"]
    assert result == [wire_droplet(sandbox, d["id"]) for d in result]
    assert {d["status"] for d in result} == {"active"}


def test_create_passes_the_seeds_optional_attribs(do: DO, client: droplets.Client) -> None:
    """Seed attribs: ssh_keys, backups, ipv6, private_networking, user_data, monitoring, volume, tags."""
    volume = client.volumes.create(name="db-data", size_gigabytes=10, region=ATTRIBS["region"])
    attribs = {
        "name": "db-1",
        **ATTRIBS,
        "ssh_keys": [],
        "backups": False,
        "ipv6": True,
        "private_networking": True,
        "user_data": "#cloud-config\n",
        "monitoring": True,
        "volume": [volume.id],
        "tags": ["db"],
    }
    result = do.droplet.create(attribs, wait=True)
    assert isinstance(result, dict)
    assert result["tags"] == ["db"]
    assert result["volume_ids"] == [volume.id]  # the seed's volume is the API's volumes
    assert {"ipv6", "monitoring"} <= set(result["features"])
    assert result["networks"]["v6"]


def test_present_with_name_creates_when_absent(do: DO, sandbox: Sandbox) -> None:
    """Seed: present returns "A tuple of two Droplet data structures if name is sent"."""
    droplet, created = do.droplet.present({"name": "web-1", **ATTRIBS}, wait=True)
    assert isinstance(droplet, dict)
    assert created == droplet == wire_droplet(sandbox, droplet["id"])


def test_present_with_name_returns_none_when_already_present(do: DO, sandbox: Sandbox) -> None:
    """Seed: present's tuple has its "second is None if already present"."""
    existing = do.droplet.create({"name": "web-1", **ATTRIBS}, wait=True)
    before = len(sandbox.droplets())
    result = do.droplet.present({"name": "web-1", **ATTRIBS})
    assert result == (existing, None)
    assert len(sandbox.droplets()) == before


def test_present_with_names_returns_all_and_created(do: DO) -> None:
    """Seed: "a tuple of two lists ... the first being all, the second being those created, (empty if all ...)"."""
    existing = do.droplet.create({"name": "web-1", **ATTRIBS}, wait=True)
    every, created = do.droplet.present({"names": ["web-1", "web-2"], **ATTRIBS}, wait=True)
    assert isinstance(every, list)
    assert isinstance(created, list)
    assert [d["name"] for d in every] == ["web-1", "web-2"]
    assert every[0] == existing
    assert created == [every[1]]
    assert do.droplet.present({"names": ["web-1", "web-2"], **ATTRIBS}) == (every, [])


def test_destroy_by_id_returns_none(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.destroy(id=None, tag_name=None)`` "Returns: None"."""
    keep, gone = sandbox.seed_droplets(count=2)
    assert do.droplet.destroy(id=gone) is None
    sandbox.clock.sleep(5)  # the seed's destroy does not wait; the droplet stays visible a moment
    assert [d["id"] for d in do.droplet.list()] == [keep]


def test_destroy_by_tag_name_removes_every_tagged_droplet(do: DO, sandbox: Sandbox) -> None:
    """Seed: "tag_name - string - Send only to destroy all Droplets with this tag."."""
    keep = sandbox.seed_droplets(count=1, tag="db")
    sandbox.seed_droplets(count=3, tag="web")
    sandbox.reset_log()
    assert do.droplet.destroy(tag_name="web") is None
    assert sandbox.requests[0] == ("DELETE", "/v2/droplets?tag_name=web")
    sandbox.clock.sleep(5)  # the seed's destroy does not wait; the droplets stay visible a moment
    assert [d["id"] for d in do.droplet.list()] == keep
