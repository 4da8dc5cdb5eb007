"""The sandbox's droplet life on its clock: appearing, addresses, SSH, locks and going away."""

from __future__ import annotations

from typing import Any

import pytest
from sandbox_api import Api

from droplets.sandbox import Sandbox, VirtualClock


def _public(droplet: dict[str, Any]) -> str | None:
    return next((n["ip_address"] for n in droplet["networks"]["v4"] if n["type"] == "public"), None)


def test_ssh_port_answers_some_seconds_after_boot_and_only_with_an_address(
    api: Api, sb: Sandbox, clock: VirtualClock
) -> None:
    droplet = api.create("ssh-1")
    clock.advance(30)  # the create action completes: active, no address yet
    assert api.droplet(droplet["id"])["status"] == "active"
    clock.advance(3)
    address = _public(api.droplet(droplet["id"]))
    assert address is not None
    assert sb.probe(address, 22) is False, "booted 3 s ago: sshd is not up yet"
    clock.advance(17)
    assert sb.probe(address, 22) is True
    assert sb.probe(address, 2222) is False, "only the open ports accept"
    assert sb.probe("192.0.2.1", 22) is False, "no droplet has that address"


def test_power_off_closes_the_port_and_power_on_reopens_it_after_boot(
    api: Api, sb: Sandbox, clock: VirtualClock, active: dict[str, Any]
) -> None:
    address = _public(active)
    assert address is not None and sb.probe(address, 22)
    assert api.post(f"/v2/droplets/{active['id']}/actions", {"type": "power_off"}).status == 201
    assert sb.probe(address, 22) is False
    clock.advance(10)
    assert api.post(f"/v2/droplets/{active['id']}/actions", {"type": "power_on"}).status == 201
    clock.advance(5)
    assert sb.probe(address, 22) is False, "just booted"
    clock.advance(20)
    assert sb.probe(address, 22) is True


def test_timings_are_configurable(clock: VirtualClock) -> None:
    sb = Sandbox(clock=clock, lifecycle={"appear_after": 2, "networks_after": 0, "open_ports": [22, 2222]})
    api = Api(sb)
    droplet = api.create("late-1")
    path = f"/v2/droplets/{droplet['id']}"
    assert api.get(path).status == 404, "a 404 just after the create answer"
    assert api.get("/v2/droplets").json()["meta"]["total"] == 0
    clock.advance(2)
    assert api.get(path).status == 200
    clock.advance(28)
    ready = api.droplet(droplet["id"])
    assert _public(ready) is not None, "networks_after=0: addresses with active"
    sb.lifecycle.set(ssh_after=0)
    assert sb.probe(_public(ready) or "", 2222) is True
    with pytest.raises(ValueError, match="unknown timing"):
        sb.lifecycle.set(boot_after=3)
    with pytest.raises(ValueError, match="non-negative"):
        sb.lifecycle.set(gone_after=-1)


def test_a_locked_droplet_answers_422_with_the_apis_message(api: Api, active: dict[str, Any]) -> None:
    actions = f"/v2/droplets/{active['id']}/actions"
    assert api.post(actions, {"type": "power_off"}).status == 201
    assert api.droplet(active["id"])["locked"] is True
    refused = api.post(actions, {"type": "reboot"})
    assert refused.status == 422
    assert refused.json()["id"] == "unprocessable_entity"
    assert refused.json()["message"] == "Droplet already has a pending event."


def test_a_tag_destroy_leaves_the_droplets_listed_a_moment(api: Api, sb: Sandbox, clock: VirtualClock) -> None:
    sb.seed_droplets(3, tag="web")
    assert api.delete("/v2/droplets?tag_name=web").status == 204
    listed = api.get("/v2/droplets?tag_name=web").json()["droplets"]
    assert len(listed) == 3 and all(d["locked"] for d in listed)
    clock.advance(4.9)
    assert api.get("/v2/droplets?tag_name=web").json()["meta"]["total"] == 3
    clock.advance(0.1)
    assert api.get("/v2/droplets?tag_name=web").json()["meta"]["total"] == 0
