"""Lenient by default, like the real API; strict on request, to catch a caller's typos."""

from __future__ import annotations

from typing import Any

import pytest
from sandbox_api import Api

from droplets.sandbox import Sandbox, VirtualClock


@pytest.fixture
def strict_api(clock: VirtualClock) -> Api:
    return Api(Sandbox(seed=0, clock=clock, strict=True))


def _off(api: Api, clock: VirtualClock) -> dict[str, Any]:
    droplet = api.create("lenient-1")
    clock.advance(60)
    assert api.action(droplet["id"], "power_off").status == 201
    clock.advance(60)
    return api.droplet(droplet["id"])


@pytest.mark.parametrize("disk", ["true", "True", "TRUE"])
def test_resize_reads_a_string_boolean_like_python_digitalocean_and_doboto_send(
    api: Api, clock: VirtualClock, disk: str
) -> None:
    droplet = _off(api, clock)
    assert api.action(droplet["id"], "resize", size="s-2vcpu-4gb", disk=disk).status == 201
    clock.advance(600)
    assert api.droplet(droplet["id"])["disk"] == 80, "disk=true grows the disk with the size"


def test_the_string_false_is_false_not_a_truthy_string(api: Api, clock: VirtualClock) -> None:
    droplet = _off(api, clock)
    assert api.action(droplet["id"], "resize", size="s-2vcpu-4gb", disk="false").status == 201
    clock.advance(600)
    assert api.droplet(droplet["id"])["disk"] == 25


def test_a_string_that_is_not_a_boolean_is_still_422(api: Api, clock: VirtualClock) -> None:
    droplet = _off(api, clock)
    response = api.action(droplet["id"], "resize", size="s-2vcpu-4gb", disk="yes")
    assert response.status == 422 and "disk" in response.json()["message"]


def test_unknown_fields_are_ignored(api: Api, active: dict[str, Any]) -> None:
    assert api.action(active["id"], "reboot", force=True).status == 201
    created = api.create("extra-1", colour="blue", backup_policy={"plan": "weekly", "weekday": "SUN", "x": 1})
    assert created["name"] == "extra-1" and "colour" not in created


def test_create_reads_string_booleans(api: Api) -> None:
    created = api.create("bools-1", ipv6="true", monitoring="True", backups="false")
    assert "ipv6" in created["features"] and "monitoring" in created["features"]
    assert "backups" not in created["features"]


def test_image_list_reads_private_in_any_case(api: Api) -> None:
    for value in ("true", "True", "TRUE"):
        assert api.get(f"/v2/images?private={value}").status == 200
    assert api.get("/v2/images?private=maybe").status == 400


def test_strict_mode_refuses_unknown_fields(strict_api: Api) -> None:
    droplet = strict_api.create("strict-1")
    response = strict_api.action(droplet["id"], "reboot", force=True)
    assert response.status == 422
    assert response.json()["message"] == "unknown field: force (the sandbox runs in strict mode)"
    body = {"name": "s-2", "region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64", "colour": "blue"}
    assert strict_api.post("/v2/droplets", body).status == 422


def test_strict_mode_refuses_unknown_nested_fields(strict_api: Api) -> None:
    body = {"name": "s-3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64", "backup_policy": {"plan2": "weekly"}}
    response = strict_api.post("/v2/droplets", body)
    assert response.status == 422 and "backup_policy.plan2" in response.json()["message"]


def test_strict_mode_refuses_string_booleans(strict_api: Api) -> None:
    body = {"name": "s-4", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64", "ipv6": "true"}
    response = strict_api.post("/v2/droplets", body)
    assert response.status == 422 and response.json()["message"] == "ipv6 must be a boolean"
    assert strict_api.get("/v2/images?private=True").status == 400
    assert strict_api.get("/v2/images?private=true").status == 200


def test_strict_mode_still_accepts_a_correct_body(strict_api: Api) -> None:
    created = strict_api.create("s-5", ipv6=True, tags=["web"], backup_policy={"plan": "weekly", "weekday": "SUN"})
    assert created["name"] == "s-5"


def test_every_resource_follows_the_mode(api: Api, strict_api: Api) -> None:
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl sandbox@example"
    body = {"name": "k", "public_key": key, "colour": "blue"}
    assert api.post("/v2/account/keys", body).status == 201
    assert strict_api.post("/v2/account/keys", body).status == 422
    assert api.post("/v2/tags", {"name": "t", "colour": "blue"}).status == 201
    assert strict_api.post("/v2/tags", {"name": "t", "colour": "blue"}).status == 422
