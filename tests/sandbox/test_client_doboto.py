"""doboto 0.6.1 (the seed's own library, from PyPI, unpatched on today's Python) against the served sandbox.

Its default base URL ends in ``/v2/`` and it appends ``/droplets``, so every
path starts ``/v2//``; it sends ``"null"`` as the body of GET and DELETE,
resize's ``disk`` as ``"true"``/``"false"`` and ``private=True`` to the
image list: the lenient sandbox takes all of it. Its waits poll once a
second at least, so the suite waits through them only where it matters.

One call fails and is kept failing, because the spec rules it out:
``droplet_neighbor_list()`` asks ``/v2/reports/droplet_neighbors``, a path the
spec does not have (it has ``/v2/reports/droplet_neighbors_ids``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from compat_account import CREATE, SEEDED, served_account, until
from doboto.DO import DO
from doboto.exception import DOBOTOException, DOBOTONotFoundException

from droplets.sandbox.server import SandboxServer


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with served_account() as running:
        yield running


@pytest.fixture(scope="module")
def do(server: SandboxServer) -> Any:
    return DO(token="sandbox-token", url=f"{server.url}/v2/")


def _create(do: Any, name: str, **extra: Any) -> dict[str, Any]:
    droplet: dict[str, Any] = do.droplet.create({"name": name, **CREATE, **extra})
    until(lambda: do.droplet.info(droplet["id"])["status"] == "active")
    return droplet


def _done(do: Any, action: dict[str, Any]) -> dict[str, Any]:
    until(lambda: do.action.info(action["id"])["status"] == "completed")
    droplet: dict[str, Any] = do.droplet.info(action["resource_id"])
    return droplet


def test_list_follows_every_page(do: Any, server: SandboxServer) -> None:
    everything = do.droplet.list()
    assert len(everything) >= SEEDED + 1 and len({d["id"] for d in everything}) == len(everything)
    assert ("GET", "/v2/droplets?per_page=200") in server.sandbox.requests, "doboto's /v2//droplets is normalised"


def test_list_by_tag(do: Any) -> None:
    assert len(do.droplet.list(tag_name="sandbox")) == SEEDED


def test_create_and_wait_with_its_own_poller(do: Any) -> None:
    droplet = do.droplet.create({"name": "dob-create-1", **CREATE, "ipv6": True, "tags": ["dob"]}, wait=True, poll=1)
    assert droplet["status"] == "active" and droplet["networks"]["v6"]


def test_create_several(do: Any) -> None:
    created = do.droplet.create({"names": ["dob-multi-1", "dob-multi-2"], **CREATE})
    assert [d["name"] for d in created] == ["dob-multi-1", "dob-multi-2"]


def test_present_finds_an_existing_droplet(do: Any) -> None:
    _create(do, "dob-present")
    found = do.droplet.present({"name": "dob-present", **CREATE})
    assert found[0]["name"] == "dob-present"


@pytest.mark.parametrize("verb", ["power_off", "shutdown", "power_cycle", "reboot", "password_reset"])
def test_power_verbs(do: Any, verb: str) -> None:
    droplet = _create(do, f"dob-{verb.replace('_', '-')}")
    after = _done(do, getattr(do.droplet, verb)(id=droplet["id"]))
    assert after["status"] == ("off" if verb in ("power_off", "shutdown") else "active")
    if after["status"] == "off":
        assert _done(do, do.droplet.power_on(id=droplet["id"]))["status"] == "active"


def test_resize_sends_disk_as_a_string_and_waits(do: Any) -> None:
    droplet = _create(do, "dob-resize")
    _done(do, do.droplet.power_off(id=droplet["id"]))
    action = do.droplet.resize(droplet["id"], "s-2vcpu-4gb", disk=True, wait=True, poll=1)
    assert action["status"] == "completed"
    assert do.droplet.info(droplet["id"])["disk"] == 80


def test_rebuild_rename_kernel_ipv6_private_networking(do: Any) -> None:
    droplet = _create(do, "dob-rebuild")
    assert _done(do, do.droplet.rebuild(droplet["id"], "ubuntu-22-04-x64"))["image"]["slug"] == "ubuntu-22-04-x64"
    assert _done(do, do.droplet.rename(droplet["id"], "dob-renamed"))["name"] == "dob-renamed"
    kernel = do.droplet.kernel_list(droplet["id"])[-1]
    assert _done(do, do.droplet.kernel_update(droplet["id"], kernel["id"]))["kernel"]["id"] == kernel["id"]
    assert "ipv6" in _done(do, do.droplet.ipv6_enable(id=droplet["id"]))["features"]
    _done(do, do.droplet.private_networking_enable(id=droplet["id"]))


def test_restore_from_a_backup(do: Any) -> None:
    [droplet] = do.droplet.list(tag_name="history")
    backups = do.droplet.backup_list(droplet["id"])
    assert [b["name"] for b in backups] == ["history-1 nightly", "history-1 weekly"]
    _done(do, do.droplet.restore(droplet["id"], str(backups[0]["id"])))


def test_snapshot_and_list(do: Any) -> None:
    droplet = _create(do, "dob-snapshot")
    _done(do, do.droplet.snapshot_create(id=droplet["id"], snapshot_name="dob-snap"))
    assert [s["name"] for s in do.droplet.snapshot_list(droplet["id"])] == ["dob-snap"]


def test_backups_enable_and_disable(do: Any) -> None:
    droplet = _create(do, "dob-backups")
    assert "backups" in _done(do, do.droplet.backup_enable(id=droplet["id"]))["features"]
    assert "backups" not in _done(do, do.droplet.backup_disable(id=droplet["id"]))["features"]


def test_actions_by_tag(do: Any) -> None:
    do.droplet.create({"names": ["dob-tag-1", "dob-tag-2"], **CREATE, "tags": ["dob-group"]})
    until(lambda: all(d["status"] == "active" for d in do.droplet.list(tag_name="dob-group")))
    actions = do.droplet.power_off(tag_name="dob-group", wait=True, poll=1)
    assert [a["status"] for a in actions] == ["completed", "completed"]
    assert {d["status"] for d in do.droplet.list(tag_name="dob-group")} == {"off"}
    for verb in ("power_on", "power_cycle", "shutdown", "ipv6_enable", "backup_enable", "backup_disable"):
        started = getattr(do.droplet, verb)(tag_name="dob-group")
        assert len(started) == 2, verb
        until(lambda started=started: all(do.action.info(a["id"])["status"] == "completed" for a in started))
    assert len(do.droplet.snapshot_create(tag_name="dob-group", snapshot_name="group-snap")) == 2


def test_destroy_one_and_by_tag(do: Any) -> None:
    droplet = _create(do, "dob-destroy")
    do.droplet.destroy(id=droplet["id"])
    with pytest.raises(DOBOTONotFoundException):
        until(lambda: do.droplet.info(droplet["id"]) is None)
    _create(do, "dob-destroy-tag", tags=["dob-doomed"])
    do.droplet.destroy(tag_name="dob-doomed")
    until(lambda: do.droplet.list(tag_name="dob-doomed") == [])


def test_actions_lists(do: Any) -> None:
    droplet = _create(do, "dob-actions")
    [create] = do.droplet.action_list(droplet["id"])
    assert do.droplet.action_info(droplet["id"], create["id"])["type"] == "create"
    assert len(do.action.list()) > 10


def test_catalog(do: Any) -> None:
    assert {"nyc3", "syd1"} <= {r["slug"] for r in do.region.list()}
    assert "s-2vcpu-4gb" in {s["slug"] for s in do.size.list()}
    assert "ubuntu-22-04-x64" in {i["slug"] for i in do.image.list(type="distribution")}
    assert all(not i["public"] for i in do.image.list(private=True))
    assert do.image.info("ubuntu-24-04-x64")["id"] == 173489130
    assert do.ssh_key.list()


def test_neighbors_of_a_droplet(do: Any) -> None:
    [droplet] = do.droplet.list(tag_name="history")
    assert isinstance(do.droplet.neighbor_list(droplet["id"]), list)


def test_droplet_neighbor_report_uses_a_path_the_spec_does_not_have(do: Any) -> None:
    with pytest.raises(DOBOTOException) as error:
        do.droplet.droplet_neighbor_list()
    assert error.value.result["id"] == "not_found"


def test_errors(do: Any) -> None:
    with pytest.raises(DOBOTONotFoundException):
        do.droplet.info(999_999_999)
    with pytest.raises(DOBOTOException) as invalid:
        do.droplet.create({"name": "bad name!", **CREATE})
    assert invalid.value.result["id"] == "unprocessable_entity"  # str() of it fails: doboto reads .message, gone in 3
