"""The sandbox's reserved IPs: spec-valid answers, the droplet's networks, and the rules of assigning."""

from __future__ import annotations

from typing import Any

from sandbox_api import Api
from test_sandbox_schema import check

from droplets.sandbox import VirtualClock


def _public(api: Api, droplet_id: int) -> list[str]:
    return [n["ip_address"] for n in api.droplet(droplet_id)["networks"]["v4"] if n["type"] == "public"]


def test_every_reserved_ip_answer_matches_the_spec(
    spec: dict[str, Any], api: Api, active: dict[str, Any], clock: VirtualClock
) -> None:
    reserved = api.post("/v2/reserved_ips", {"region": "nyc3"})
    assert reserved.status == 202 and reserved.json()["links"] == {}
    check(spec, "POST", "/v2/reserved_ips", 202, reserved.body)
    ip = reserved.json()["reserved_ip"]["ip"]
    assigning = api.post("/v2/reserved_ips", {"droplet_id": active["id"]})
    assert assigning.status == 202
    check(spec, "POST", "/v2/reserved_ips", 202, assigning.body)
    links = assigning.json()["links"]
    assert links["droplets"][0]["id"] == active["id"] and links["actions"][0]["rel"] == "assign_ip"
    assert assigning.json()["reserved_ip"]["locked"] is True
    clock.advance(60)
    for path, template in [
        ("/v2/reserved_ips", "/v2/reserved_ips"),
        (f"/v2/reserved_ips/{ip}", "/v2/reserved_ips/{reserved_ip}"),
        (f"/v2/reserved_ips/{assigning.json()['reserved_ip']['ip']}", "/v2/reserved_ips/{reserved_ip}"),
    ]:
        answer = api.get(path)
        assert answer.status == 200
        check(spec, "GET", template, 200, answer.body)
    other = api.create("other-1")
    clock.advance(60)
    posted = api.post(f"/v2/reserved_ips/{ip}/actions", {"type": "assign", "droplet_id": other["id"]})
    assert posted.status == 201
    check(spec, "POST", "/v2/reserved_ips/{reserved_ip}/actions", 201, posted.body)
    action = posted.json()["action"]
    assert action["resource_type"] == "reserved_ip" and "project_id" in action
    clock.advance(60)
    check(spec, "GET", "/v2/reserved_ips/{reserved_ip}/actions", 200, api.get(f"/v2/reserved_ips/{ip}/actions").body)
    one = api.get(f"/v2/reserved_ips/{ip}/actions/{action['id']}")
    check(spec, "GET", "/v2/reserved_ips/{reserved_ip}/actions/{action_id}", 200, one.body)
    deleted = api.delete(f"/v2/reserved_ips/{ip}")
    assert deleted.status == 204
    check(spec, "DELETE", "/v2/reserved_ips/{reserved_ip}", 204, deleted.body)


def test_an_assigned_ip_is_in_the_droplets_networks(api: Api, active: dict[str, Any], clock: VirtualClock) -> None:
    ip = api.post("/v2/reserved_ips", {"region": "nyc3"}).json()["reserved_ip"]["ip"]
    assert api.post(f"/v2/reserved_ips/{ip}/actions", {"type": "assign", "droplet_id": active["id"]}).status == 201
    assert ip not in _public(api, active["id"])  # not before the action completed
    clock.advance(60)
    assert _public(api, active["id"])[-1] == ip
    assert api.get(f"/v2/reserved_ips/{ip}").json()["reserved_ip"]["droplet"]["id"] == active["id"]
    assert api.post(f"/v2/reserved_ips/{ip}/actions", {"type": "unassign"}).status == 201
    clock.advance(60)
    assert ip not in _public(api, active["id"])
    assert api.get(f"/v2/reserved_ips/{ip}").json()["reserved_ip"]["droplet"] is None


def test_refusals(api: Api, active: dict[str, Any], clock: VirtualClock) -> None:
    ip = api.post("/v2/reserved_ips", {"region": "nyc3"}).json()["reserved_ip"]["ip"]
    both = api.post("/v2/reserved_ips", {"region": "nyc3", "droplet_id": active["id"]})
    assert both.status == 422
    far = api.create("far-1", region="ams3")
    clock.advance(60)
    wrong = api.post(f"/v2/reserved_ips/{ip}/actions", {"type": "assign", "droplet_id": far["id"]})
    assert wrong.status == 422 and "region" in wrong.json()["message"]
    busy = api.create("busy-1")
    clock.advance(1)
    locked = api.post(f"/v2/reserved_ips/{ip}/actions", {"type": "assign", "droplet_id": busy["id"]})
    assert locked.status == 422 and locked.json()["message"] == "Droplet already has a pending event."
    assert api.post(f"/v2/reserved_ips/{ip}/actions", {"type": "unassign"}).status == 422  # not assigned
    assert api.post(f"/v2/reserved_ips/{ip}/actions", {"type": "float"}).status == 422
    assert api.get("/v2/reserved_ips/10.0.0.1").status == 404
    second = api.post("/v2/reserved_ips", {"region": "nyc3"}).json()["reserved_ip"]["ip"]
    api.post(f"/v2/reserved_ips/{ip}/actions", {"type": "assign", "droplet_id": active["id"]})
    clock.advance(60)
    taken = api.post(f"/v2/reserved_ips/{second}/actions", {"type": "assign", "droplet_id": active["id"]})
    assert taken.status == 422 and "already has the reserved IP" in taken.json()["message"]


def test_a_destroyed_droplet_leaves_its_ip_reserved(api: Api, active: dict[str, Any], clock: VirtualClock) -> None:
    ip = api.post("/v2/reserved_ips", {"droplet_id": active["id"]}).json()["reserved_ip"]["ip"]
    clock.advance(60)
    assert api.delete(f"/v2/droplets/{active['id']}").status == 204
    assert api.get(f"/v2/reserved_ips/{ip}").json()["reserved_ip"]["droplet"] is None
