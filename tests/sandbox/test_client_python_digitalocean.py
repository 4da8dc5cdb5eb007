"""python-digitalocean runs its droplet workflows against the served sandbox.

It reads its base URL from ``DIGITALOCEAN_END_POINT`` (its ``Action`` objects
ignore any other setting), follows the absolute ``links.pages.next`` URLs,
sends resize's ``disk`` as the string ``"true"`` and ``null`` for unset
optional fields: the lenient sandbox takes all of it. It has no by-tag
actions; its by-tag workflow is listing by tag (tag resources live under
``/v2/tags``, which the sandbox does not serve yet).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import digitalocean
import pytest
from compat_account import CREATE, SEEDED, served_account, until

from droplets.sandbox.server import SandboxServer

TOKEN = "sandbox-token"


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with served_account() as running, pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIGITALOCEAN_END_POINT", f"{running.url}/v2/")
        yield running


@pytest.fixture(scope="module")
def manager(server: SandboxServer) -> Any:
    return digitalocean.Manager(token=TOKEN)


def _create(name: str, **extra: Any) -> Any:
    droplet = digitalocean.Droplet(token=TOKEN, name=name, size_slug=CREATE["size"], **{**CREATE, **extra})
    droplet.create()
    until(lambda: droplet.load().status == "active")
    return droplet


def _done(droplet: Any, action: Any) -> Any:
    assert action.wait(update_every_seconds=0.05) is True
    return droplet.load()


def _history(manager: Any) -> Any:
    [droplet] = manager.get_all_droplets(tag_name="history")
    return droplet


def test_get_all_droplets_follows_every_page(manager: Any) -> None:
    everything = manager.get_all_droplets()
    assert len(everything) >= SEEDED + 1 and len({d.id for d in everything}) == len(everything)


def test_droplets_by_tag(manager: Any) -> None:
    assert len(manager.get_all_droplets(tag_name="sandbox")) == SEEDED


def test_create_load_and_get(manager: Any) -> None:
    droplet = _create("pdo-create-1", tags=["pdo"])
    assert droplet.ip_address and droplet.private_ip_address
    assert manager.get_droplet(droplet.id).name == "pdo-create-1"


def test_create_multiple(manager: Any) -> None:
    created = digitalocean.Droplet.create_multiple(
        token=TOKEN,
        names=["pdo-multi-1", "pdo-multi-2"],
        size_slug=CREATE["size"],
        image=CREATE["image"],
        region="nyc3",
    )
    assert [d.name for d in created] == ["pdo-multi-1", "pdo-multi-2"]


@pytest.mark.parametrize("verb", ["power_off", "shutdown", "reboot", "power_cycle", "reset_root_password"])
def test_power_verbs(verb: str) -> None:
    droplet = _create(f"pdo-{verb.replace('_', '-')}")
    after = _done(droplet, getattr(droplet, verb)(return_dict=False))
    if after.status == "off":
        assert _done(droplet, droplet.power_on(return_dict=False)).status == "active"
    else:
        assert after.status == "active"


def test_resize_sends_disk_as_a_string_and_works() -> None:
    droplet = _create("pdo-resize")
    _done(droplet, droplet.power_off(return_dict=False))
    resized = _done(droplet, droplet.resize("s-2vcpu-4gb", return_dict=False))
    assert resized.size_slug == "s-2vcpu-4gb" and resized.disk == 80


def test_rebuild_rename_kernel_ipv6() -> None:
    droplet = _create("pdo-rebuild")
    assert _done(droplet, droplet.rebuild("ubuntu-22-04-x64", return_dict=False)).image["slug"] == "ubuntu-22-04-x64"
    assert _done(droplet, droplet.rename("pdo-renamed", return_dict=False)).name == "pdo-renamed"
    kernel = droplet.get_kernel_available()[-1]
    assert _done(droplet, droplet.change_kernel(kernel, return_dict=False)).kernel["id"] == kernel.id
    assert _done(droplet, droplet.enable_ipv6(return_dict=False)).ip_v6_address


def test_restore_from_a_backup(manager: Any) -> None:
    droplet = _history(manager)
    assert len(droplet.backup_ids) == 2
    _done(droplet, droplet.restore(droplet.backup_ids[0], return_dict=False))


def test_snapshot_and_list_snapshots() -> None:
    droplet = _create("pdo-snapshot")
    _done(droplet, droplet.take_snapshot("pdo-snap", return_dict=False))
    [snapshot] = droplet.get_snapshots()
    snapshot.load()
    assert snapshot.name == "pdo-snap"


def test_backups_enable_and_disable() -> None:
    droplet = _create("pdo-backups")
    # load() sets .backups only for droplets with IPv6 (an indentation slip in the library): read features
    assert "backups" in _done(droplet, droplet.enable_backups(return_dict=False)).features
    assert "backups" not in _done(droplet, droplet.disable_backups(return_dict=False)).features


def test_enable_private_networking_is_still_accepted() -> None:
    droplet = _create("pdo-private")
    _done(droplet, droplet.enable_private_networking(return_dict=False))


def test_actions_of_a_droplet_and_one_action(manager: Any) -> None:
    droplet = _create("pdo-actions")
    [create] = droplet.get_actions()
    assert create.type == "create" and create.status == "completed"
    assert manager.get_action(create.id).resource_id == droplet.id


def test_destroy() -> None:
    droplet = _create("pdo-destroy")
    assert droplet.destroy() is True
    with pytest.raises(digitalocean.NotFoundError):
        until(lambda: droplet.load() is None)


def test_catalog(manager: Any) -> None:
    assert {"nyc3", "syd1"} <= {r.slug for r in manager.get_all_regions()}
    assert "s-2vcpu-4gb" in {s.slug for s in manager.get_all_sizes()}
    assert "ubuntu-22-04-x64" in {i.slug for i in manager.get_distro_images()}
    assert manager.get_app_images()
    assert all(not i.public for i in manager.get_my_images())
    assert manager.get_image("ubuntu-24-04-x64").id == 173489130
    assert manager.get_all_sshkeys()


def test_errors_raise_with_the_api_message() -> None:
    with pytest.raises(digitalocean.NotFoundError):
        digitalocean.Droplet.get_object(api_token=TOKEN, droplet_id=999_999_999)
    with pytest.raises(digitalocean.DataReadError, match="name"):
        digitalocean.Droplet(token=TOKEN, name="bad name!", size_slug="s-1vcpu-1gb", image="ubuntu-24-04-x64").create()
