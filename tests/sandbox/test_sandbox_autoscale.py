"""The sandbox's autoscale pools: spec-shaped answers, the spec's rules, members that follow the config."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sandbox_api import Api
from test_sandbox_schema import check

from droplets.sandbox import VirtualClock

POOLS = "/v2/droplets/autoscale"
TEMPLATE = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64", "ssh_keys": [], "tags": ["pool"]}


def _create(api: Api, name: str = "web", config: Any = None) -> dict[str, Any]:
    body = {"name": name, "config": config or {"target_number_instances": 2}, "droplet_template": TEMPLATE}
    response = api.post(POOLS, body)
    assert response.status == 202, response.body
    pool: dict[str, Any] = response.json()["autoscale_pool"]
    return pool


def _members(api: Api, pool_id: str) -> list[dict[str, Any]]:
    members: list[dict[str, Any]] = api.get(f"{POOLS}/{pool_id}/members").json()["droplets"]
    return members


def test_every_answer_is_in_the_spec_shape(spec: dict[str, Any], api: Api, clock: VirtualClock) -> None:
    body = {"name": "web", "config": {"target_number_instances": 2}, "droplet_template": TEMPLATE}
    created = api.post(POOLS, body)
    check(spec, "POST", POOLS, 202, created.body)
    pool_id = created.json()["autoscale_pool"]["id"]
    clock.advance(120)
    item = f"{POOLS}/{{autoscale_pool_id}}"
    for template, path in [
        (POOLS, POOLS),
        (POOLS, f"{POOLS}?name=web"),
        (item, f"{POOLS}/{pool_id}"),
        (f"{item}/members", f"{POOLS}/{pool_id}/members"),
        (f"{item}/history", f"{POOLS}/{pool_id}/history"),
    ]:
        response = api.get(path)
        assert response.status == 200, (path, response.body)
        check(spec, "GET", template, 200, response.body)
    updated = api("PUT", f"{POOLS}/{pool_id}", {**body, "config": {"min_instances": 1, "max_instances": 3}})
    check(spec, "PUT", item, 200, updated.body)
    deleted = api("DELETE", f"{POOLS}/{pool_id}")
    assert deleted.status == 202 and deleted.body == b""


def test_members_follow_the_config_up_and_down(api: Api, clock: VirtualClock) -> None:
    pool = _create(api, config={"target_number_instances": 3})
    members = _members(api, pool["id"])
    assert len(members) == 3 and {m["status"] for m in members} == {"provisioning"}
    clock.advance(120)
    assert {m["status"] for m in _members(api, pool["id"])} == {"active"}
    droplets = api.get("/v2/droplets?tag_name=pool").json()["droplets"]
    assert sorted(d["id"] for d in droplets) == sorted(m["droplet_id"] for m in members)
    assert all(d["name"].startswith("web-") for d in droplets)

    body = {"name": "web", "config": {"min_instances": 1, "max_instances": 4}, "droplet_template": TEMPLATE}
    api("PUT", f"{POOLS}/{pool['id']}", body)
    clock.advance(60)
    assert len(_members(api, pool["id"])) == 1, "a dynamic pool without load sits at its minimum"
    history = api.get(f"{POOLS}/{pool['id']}/history").json()["history"]
    assert [e["reason"] for e in history] == ["CONFIGURATION_CHANGE", "CONFIGURATION_CHANGE"]
    assert history[0]["desired_instance_count"] == 1 and history[0]["status"] == "success"
    assert api.get(POOLS).json()["autoscale_pools"][0]["active_resources_count"] == 1


def test_a_member_destroyed_by_hand_is_replaced(api: Api, clock: VirtualClock) -> None:
    pool = _create(api)
    clock.advance(120)
    first = _members(api, pool["id"])[0]["droplet_id"]
    assert api("DELETE", f"/v2/droplets/{first}").status == 204
    clock.advance(60)
    members = _members(api, pool["id"])
    assert len(members) == 2 and first not in {m["droplet_id"] for m in members}
    assert api.get(f"{POOLS}/{pool['id']}/history").json()["history"][0]["reason"] == "SCALE_UP"


def test_a_plain_delete_keeps_the_droplets_and_the_dangerous_one_needs_its_header(
    api: Api, clock: VirtualClock
) -> None:
    keep, drop = _create(api, "keep"), _create(api, "drop")
    clock.advance(120)
    kept = {m["droplet_id"] for m in _members(api, keep["id"])}
    dropped = {m["droplet_id"] for m in _members(api, drop["id"])}
    assert api("DELETE", f"{POOLS}/{keep['id']}").status == 202
    refused = api("DELETE", f"{POOLS}/{drop['id']}/dangerous")
    assert refused.status == 400 and "X-Dangerous" in refused.json()["message"]
    sandbox = api.sandbox
    headers = {"Authorization": "Bearer t", "X-Dangerous": "true"}
    answer = sandbox.handle("DELETE", f"https://api.digitalocean.com{POOLS}/{drop['id']}/dangerous", headers, b"")
    assert answer.status == 202 and answer.body == b""
    clock.advance(60)
    left = {d["id"] for d in api.get("/v2/droplets").json()["droplets"]}
    assert kept <= left and not dropped & left
    assert api.get(POOLS).json()["autoscale_pools"] == []
    assert api.get(f"{POOLS}/{drop['id']}").status == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"config": {"target_number_instances": 0}}, "target_number_instances"),
        ({"config": {"target_number_instances": 2, "min_instances": 1, "max_instances": 2}}, "either static"),
        ({"config": {"min_instances": 4, "max_instances": 2}}, "min_instances"),
        ({"config": {"min_instances": 1, "max_instances": 2, "target_cpu_utilization": 2}}, "target_cpu_utilization"),
        ({"droplet_template": {**TEMPLATE, "region": "mars1"}}, "region"),
        ({"droplet_template": {**TEMPLATE, "size": "s-999"}}, "size"),
        ({"droplet_template": {**TEMPLATE, "public_networking": False, "ipv6": True}}, "ipv6"),
    ],
)
def test_what_the_spec_rules_out_is_a_422(api: Api, change: dict[str, Any], message: str) -> None:
    body = {"name": "web", "config": {"target_number_instances": 2}, "droplet_template": TEMPLATE, **change}
    response = api.post(POOLS, body)
    assert response.status in (400, 422), response.body
    assert message in json.loads(response.body)["message"]


def test_names_are_unique_and_cannot_change(api: Api) -> None:
    pool = _create(api)
    assert (
        api.post(POOLS, {"name": "web", "config": {"target_number_instances": 1}, "droplet_template": TEMPLATE}).status
        == 422
    )
    renamed = {"name": "other", "config": {"target_number_instances": 2}, "droplet_template": TEMPLATE}
    assert api("PUT", f"{POOLS}/{pool['id']}", renamed).status == 422
