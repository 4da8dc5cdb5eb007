"""The seed's action calls, by id and by tag: returned Action dicts, waiting, state changes."""

from __future__ import annotations

import pytest

import droplets
from droplets.compat import DO
from droplets.sandbox import Sandbox
from tests.compat._support import wire_action, wire_droplet

TAG_ACTION_PATH = ("POST", "/v2/droplets/actions?tag_name=web")


def _completed(action: object, sandbox: Sandbox, action_type: str) -> None:
    """Check an Action dict: the API's JSON, completed, of the expected type."""
    assert isinstance(action, dict)
    assert action == wire_action(sandbox, action["id"])
    assert action["status"] == "completed"
    assert action["type"] == action_type


def _backed_up_droplet(do: DO, sandbox: Sandbox) -> int:
    (droplet_id,) = sandbox.seed_droplets(count=1)
    do.droplet.backup_enable(droplet_id, wait=True)
    sandbox.clock.advance(2 * 86400)  # type: ignore[attr-defined]  # a backup window passes
    return droplet_id


def test_action_without_wait_returns_the_action_in_progress(do: DO, sandbox: Sandbox) -> None:
    """Seed: "wait - boolean - Whether to wait until the droplet is ready" (default False)."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    action = do.droplet.power_off(droplet_id)
    assert isinstance(action, dict)
    assert action["status"] == "in-progress"
    assert set(action) == set(wire_action(sandbox, action["id"]))
    assert do.droplet.info(droplet_id)["status"] == "active"


def test_backup_enable_by_id(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.backup_enable(id=None, tag_name=None, ...)`` "If by id, an Action data structure"."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    _completed(do.droplet.backup_enable(id=droplet_id, wait=True), sandbox, "enable_backups")
    droplet = do.droplet.info(droplet_id)
    assert "backups" in droplet["features"]
    assert droplet["next_backup_window"] is not None


def test_backup_enable_by_tag_returns_a_list_of_actions(do: DO, sandbox: Sandbox) -> None:
    """Seed: backup_enable "If by tag, a list of Action data structures"."""
    ids = sandbox.seed_droplets(count=2, tag="web")
    sandbox.reset_log()
    actions = do.droplet.backup_enable(tag_name="web", wait=True)
    assert sandbox.requests[0] == TAG_ACTION_PATH
    assert isinstance(actions, list)
    assert sorted(a["resource_id"] for a in actions) == ids
    for action in actions:
        _completed(action, sandbox, "enable_backups")


def test_backup_disable_by_id(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.backup_disable(id=None, tag_name=None, ...)`` "If by id, an Action data structure"."""
    droplet_id = _backed_up_droplet(do, sandbox)
    _completed(do.droplet.backup_disable(droplet_id, wait=True), sandbox, "disable_backups")
    assert do.droplet.info(droplet_id)["next_backup_window"] is None


def test_backup_disable_by_tag(do: DO, sandbox: Sandbox) -> None:
    """Seed: backup_disable "If by tag, a list of Action data structures"."""
    sandbox.seed_droplets(count=2, tag="web")
    do.droplet.backup_enable(tag_name="web", wait=True)
    actions = do.droplet.backup_disable(tag_name="web", wait=True)
    assert isinstance(actions, list)
    assert len(actions) == 2
    assert all("backups" not in d["features"] for d in do.droplet.list(tag_name="web"))


def test_reboot(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.reboot(id, wait=False, poll=5, timeout=300)`` -> "An Action data structure"."""
    (droplet_id,) = sandbox.seed_droplets(count=1, status="off")
    _completed(do.droplet.reboot(droplet_id, True, 1, 60), sandbox, "reboot")
    assert do.droplet.info(droplet_id)["status"] == "active"


def test_shutdown_by_id(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.shutdown(id=None, tag_name=None, ...)`` "If by id, an Action data structure"."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    _completed(do.droplet.shutdown(droplet_id, wait=True), sandbox, "shutdown")
    assert do.droplet.info(droplet_id)["status"] == "off"


def test_shutdown_by_tag(do: DO, sandbox: Sandbox) -> None:
    """Seed: shutdown "If by tag, a list of Action data structures"."""
    sandbox.seed_droplets(count=2, tag="web")
    actions = do.droplet.shutdown(tag_name="web", wait=True)
    assert isinstance(actions, list)
    assert len(actions) == 2
    assert {d["status"] for d in do.droplet.list(tag_name="web")} == {"off"}


def test_power_on_by_id(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.power_on(id=None, tag_name=None, ...)`` "If by id, an Action data structure"."""
    (droplet_id,) = sandbox.seed_droplets(count=1, status="off")
    _completed(do.droplet.power_on(droplet_id, wait=True), sandbox, "power_on")
    assert do.droplet.info(droplet_id)["status"] == "active"


def test_power_on_by_tag(do: DO, sandbox: Sandbox) -> None:
    """Seed: power_on "If by tag, a list of Action data structures"."""
    sandbox.seed_droplets(count=3, tag="web", status="off")
    sandbox.reset_log()
    actions = do.droplet.power_on(None, "web", True)
    assert sandbox.requests[0] == TAG_ACTION_PATH
    assert isinstance(actions, list)
    assert len(actions) == 3
    assert {d["status"] for d in do.droplet.list(tag_name="web")} == {"active"}


def test_power_off_by_id(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.power_off(id=None, tag_name=None, ...)`` "If by id, an Action data structure"."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    _completed(do.droplet.power_off(id=droplet_id, wait=True), sandbox, "power_off")
    assert do.droplet.info(droplet_id)["status"] == "off"


def test_power_off_by_tag(do: DO, sandbox: Sandbox) -> None:
    """Seed: power_off "If by tag, a list of Action data structures"."""
    untagged = sandbox.seed_droplets(count=1)
    sandbox.seed_droplets(count=2, tag="web")
    actions = do.droplet.power_off(tag_name="web", wait=True)
    assert isinstance(actions, list)
    for action in actions:
        _completed(action, sandbox, "power_off")
    assert {d["status"] for d in do.droplet.list(tag_name="web")} == {"off"}
    assert wire_droplet(sandbox, untagged[0])["status"] == "active"


def test_power_cycle_by_id(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.power_cycle(id=None, tag_name=None, ...)`` "If by id, an Action data structure"."""
    (droplet_id,) = sandbox.seed_droplets(count=1, status="off")
    _completed(do.droplet.power_cycle(droplet_id, wait=True), sandbox, "power_cycle")
    assert do.droplet.info(droplet_id)["status"] == "active"


def test_power_cycle_by_tag(do: DO, sandbox: Sandbox) -> None:
    """Seed: power_cycle "If by tag, a list of Action data structures"."""
    sandbox.seed_droplets(count=2, tag="web")
    actions = do.droplet.power_cycle(tag_name="web", wait=True)
    assert isinstance(actions, list)
    assert [a["type"] for a in actions] == ["power_cycle", "power_cycle"]


def test_restore(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.restore(id, image, ...)`` -> "An Action data structure."."""
    droplet_id = _backed_up_droplet(do, sandbox)
    backup = do.droplet.backup_list(droplet_id)[0]
    action = do.droplet.restore(droplet_id, backup["id"], wait=True)
    _completed(action, sandbox, "restore")


def test_password_reset(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.password_reset(id, ...)`` -> "An Action data structure."."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    _completed(do.droplet.password_reset(droplet_id, wait=True), sandbox, "password_reset")


def test_resize(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.resize(id, size, disk=False, ...)``; "The Droplet must be powered off prior to resizing."."""
    (droplet_id,) = sandbox.seed_droplets(count=1, status="off")
    disk_before = do.droplet.info(droplet_id)["disk"]
    _completed(do.droplet.resize(droplet_id, "s-2vcpu-4gb", disk=True, wait=True), sandbox, "resize")
    droplet = do.droplet.info(droplet_id)
    assert droplet["size_slug"] == "s-2vcpu-4gb"
    assert droplet["disk"] > disk_before


def test_rebuild(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.rebuild(id, image, ...)``: "image - string if an image slug. number if an image ID."."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    _completed(do.droplet.rebuild(droplet_id, "debian-12-x64", wait=True), sandbox, "rebuild")
    assert do.droplet.info(droplet_id)["image"]["slug"] == "debian-12-x64"


def test_rename(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.rename(id, name, ...)`` -> "An Action data structure."."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    _completed(do.droplet.rename(droplet_id, "web-2", wait=True), sandbox, "rename")
    assert do.droplet.info(droplet_id)["name"] == "web-2"


def test_kernel_update(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.kernel_update(id, kernel_id, ...)`` -> "An Action data structure."."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    kernel = do.droplet.kernel_list(droplet_id)[-1]
    _completed(do.droplet.kernel_update(droplet_id, kernel["id"], wait=True), sandbox, "change_kernel")
    assert do.droplet.info(droplet_id)["kernel"] == kernel


def test_ipv6_enable_by_id(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.ipv6_enable(id=None, tag_name=None, ...)`` "If by id, an Action data structure"."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    assert do.droplet.info(droplet_id)["networks"]["v6"] == []
    _completed(do.droplet.ipv6_enable(droplet_id, wait=True), sandbox, "enable_ipv6")
    assert do.droplet.info(droplet_id)["networks"]["v6"]


def test_ipv6_enable_by_tag(do: DO, sandbox: Sandbox) -> None:
    """Seed: ipv6_enable "If by tag, a list of Action data structures"."""
    sandbox.seed_droplets(count=2, tag="web")
    actions = do.droplet.ipv6_enable(tag_name="web", wait=True)
    assert isinstance(actions, list)
    assert len(actions) == 2
    assert all(d["networks"]["v6"] for d in do.droplet.list(tag_name="web"))


def test_private_networking_enable_by_id(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.private_networking_enable(id=None, tag_name=None, ...)`` "If by id, an Action"."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    action = do.droplet.private_networking_enable(droplet_id, wait=True)
    _completed(action, sandbox, "enable_private_networking")
    droplet = do.droplet.info(droplet_id)
    assert "private_networking" in droplet["features"]
    assert any(n["type"] == "private" for n in droplet["networks"]["v4"])


def test_private_networking_enable_by_tag(do: DO, sandbox: Sandbox) -> None:
    """Seed: private_networking_enable "If by tag, a list of Action data structures"."""
    ids = sandbox.seed_droplets(count=2, tag="web")
    actions = do.droplet.private_networking_enable(tag_name="web", wait=True)
    assert isinstance(actions, list)
    assert sorted(a["resource_id"] for a in actions) == ids
    assert {a["status"] for a in actions} == {"completed"}


@pytest.mark.parametrize("call", ["power_off", "shutdown", "reboot"])
def test_wait_costs_no_real_time_and_honours_poll(do: DO, client: droplets.Client, sandbox: Sandbox, call: str) -> None:
    """Seed: "poll - number - Number of seconds between checks (min 1 sec)"."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    start = client.clock.monotonic()
    action = getattr(do.droplet, call)(droplet_id, wait=True, poll=2)
    assert action["status"] == "completed"
    assert client.clock.monotonic() - start >= 2
