"""Every ``do.droplet.*`` action of the seed document, through the object model.

Sandbox only: the spec has no explicit example for the action POSTs and
GETs, so there is nothing to replay. Every action waits (``wait=True``) and
then checks the effect on the refreshed droplet; ``docs/coverage.md`` maps
each seed call to the test node that runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from scenario_world import Sent, World

from droplets import Action, Droplet, Kernel

NO_EXAMPLE = "the droplet action POST/GET endpoints have only schema-derived examples"


def _off_first(d: Droplet) -> None:
    d.power_off(wait=True)


def _nothing(d: Droplet) -> None:
    del d


def _other_kernel(d: Droplet) -> Kernel:
    current = d.kernel.id if d.kernel is not None else None
    return next(k for k in d.kernels() if k.id != current)


# verb: (prepare the droplet, the call, check the refreshed droplet)
INSTANCE: dict[str, tuple[Callable[[Droplet], Any], Callable[[Droplet], Action], Callable[[Droplet], bool]]] = {
    "power_off": (_nothing, lambda d: d.power_off(wait=True), lambda d: d.status == "off"),
    "shutdown": (_nothing, lambda d: d.shutdown(wait=True), lambda d: d.status == "off"),
    "power_on": (_off_first, lambda d: d.power_on(wait=True), lambda d: d.status == "active"),
    "reboot": (_nothing, lambda d: d.reboot(wait=True), lambda d: d.status == "active"),
    "power_cycle": (_off_first, lambda d: d.power_cycle(wait=True), lambda d: d.status == "active"),
    "resize": (
        _off_first,
        lambda d: d.resize("s-2vcpu-4gb", disk=True, wait=True),
        lambda d: d.size_slug == "s-2vcpu-4gb" and d.size.slug == "s-2vcpu-4gb" and d.disk == d.size.disk,
    ),
    "rename": (_nothing, lambda d: d.rename("web-2.example.com", wait=True), lambda d: d.name == "web-2.example.com"),
    "rebuild": (
        _nothing,
        lambda d: d.rebuild("debian-12-x64", wait=True),
        lambda d: d.image.slug == "debian-12-x64" and d.status == "active",
    ),
    "restore": (_nothing, lambda d: d.restore(d.backup_ids[0], wait=True), lambda d: d.status == "active"),
    "password_reset": (_nothing, lambda d: d.password_reset(wait=True), lambda d: d.status == "active"),
    "change_kernel": (
        _nothing,
        lambda d: d.change_kernel(_other_kernel(d), wait=True),
        lambda d: d.kernel is not None and d.kernel.id in {k.id for k in d.kernels()},
    ),
    "enable_backups": (
        lambda d: d.disable_backups(wait=True),
        lambda d: d.enable_backups(wait=True),
        lambda d: "backups" in d.features and d.next_backup_window is not None,
    ),
    "disable_backups": (
        _nothing,
        lambda d: d.disable_backups(wait=True),
        lambda d: "backups" not in d.features and d.next_backup_window is None,
    ),
    "enable_ipv6": (_nothing, lambda d: d.enable_ipv6(wait=True), lambda d: d.public_ipv6 is not None),
    # Provisioned droplets already have a private address (the default VPC);
    # the action must complete and leave it in place.
    "enable_private_networking": (
        _nothing,
        lambda d: d.enable_private_networking(wait=True),
        lambda d: d.private_ipv4 is not None and "private_networking" in d.features,
    ),
    "snapshot": (_nothing, lambda d: d.snapshot(name="before-upgrade", wait=True), lambda d: len(d.snapshot_ids) == 2),
}


@pytest.mark.sandbox_only(NO_EXAMPLE)
@pytest.mark.parametrize("verb", list(INSTANCE))
def test_instance_action(world: World, verb: str) -> None:
    prepare, call, effect = INSTANCE[verb]
    droplet = Droplet.get(world.facts.droplet_id)
    prepare(droplet)
    before = {a.id for a in droplet.actions()}

    action = call(droplet)

    assert isinstance(action, Action) and action.status == "completed" and action.type == verb
    assert action.resource_id == droplet.id and not droplet.locked
    assert effect(droplet), f"{verb} left {droplet!r}"
    assert effect(Droplet.get(droplet.id)), "the refreshed instance and a fresh get() disagree"
    assert {a.id for a in droplet.actions()} - before >= {action.id}
    assert droplet.action(action.id).status == "completed"


TAGGED: dict[str, Callable[[Droplet], bool]] = {
    "power_off": lambda d: d.status == "off",
    "shutdown": lambda d: d.status == "off",
    "power_on": lambda d: d.status == "active",
    "power_cycle": lambda d: d.status == "active",
    "enable_backups": lambda d: "backups" in d.features,
    "disable_backups": lambda d: "backups" not in d.features,
    "enable_ipv6": lambda d: d.public_ipv6 is not None,
    "enable_private_networking": lambda d: d.private_ipv4 is not None,
    "snapshot": lambda d: len(d.snapshot_ids) >= 1,
}


@pytest.mark.sandbox_only(NO_EXAMPLE)
@pytest.mark.parametrize("verb", list(TAGGED))
def test_tag_action(world: World, verb: str) -> None:
    tag = world.facts.tag
    tagged = Droplet.objects.filter(tag=tag)
    ids = sorted(d.id for d in tagged)
    if verb == "power_on":
        tagged.power_off(wait=True)
    sandbox = world.sandbox
    assert sandbox is not None
    sandbox.reset_log()

    actions = getattr(tagged, verb)(wait=True)

    assert sorted(a.resource_id for a in actions) == ids
    assert {(a.type, a.status) for a in actions} == {(verb, "completed")}
    posts = [s for s in world.sent() if s.method == "POST"]
    if verb == "enable_private_networking":  # not a tag action in the API: one POST per droplet
        assert [s.path for s in posts] == [f"/v2/droplets/{i}/actions" for i in ids]
    else:
        assert posts == [Sent("POST", "/v2/droplets/actions", {"tag_name": tag})]
    assert all(TAGGED[verb](Droplet.get(i)) for i in ids)


@pytest.mark.sandbox_only("GET /v2/droplets/{id}/kernels has only a per_page=1 example with a next link")
def test_kernels_of_a_droplet(world: World) -> None:
    kernels = Droplet.get(world.facts.droplet_id).kernels()
    assert kernels and all(isinstance(k, Kernel) and k.id and k.version for k in kernels)
    assert [s.query for s in world.sent() if s.path.endswith("/kernels")] == [{"per_page": "200"}]


@pytest.mark.sandbox_only("present() lists by name (?name=), for which the spec has no explicit example")
def test_present_and_present_many(world: World) -> None:
    options: dict[str, Any] = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}
    existing, created = Droplet.objects.present(name="example.com", **options)
    assert created is False and existing.id == world.facts.droplet_id

    fresh, created = Droplet.objects.present(name="new.example.com", wait=True, **options)
    assert created is True and fresh.status == "active"

    names = ["example.com", "new.example.com", "extra.example.com"]
    every, made = Droplet.objects.present_many(names=names, **options)
    assert [d.name for d in every] == names
    assert [d.name for d in made] == ["extra.example.com"] and made[0].status == "new"
    assert Droplet.objects.filter(name="extra.example.com").count() == 1
