"""Where the sandbox lists the actions of attachments (volumes, reserved IPs) that touch a droplet.

The spec's digest: volume, reserved IP and image actions return the standard
action object, and "every action also appears in ``/v2/actions``", with
``resource_type`` ``volume`` or ``reserved_ip`` (the examples' reserved IP
actions carry an integer ``resource_id``; the volume ones leave it out or send
null). A droplet's own ``/v2/droplets/{id}/actions`` lists droplet actions: the
digest says nothing of attachments there, so the sandbox does not list them.
Each resource lists its own under ``/v2/volumes/{id}/actions`` and
``/v2/reserved_ips/{ip}/actions``.
"""

from __future__ import annotations

from typing import Any

from sandbox_api import Api

from droplets.sandbox import VirtualClock
from tests.spec_schema import check

ATTACHMENT_TYPES = {
    "attach_volume": "volume",
    "resize_volume": "volume",
    "detach_volume": "volume",
    "assign_ip": "reserved_ip",
    "unassign_ip": "reserved_ip",
}


def _started(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status == status, answer.body
    action: dict[str, Any] = answer.json()["action"]
    return action


def test_attachment_actions_are_in_the_accounts_list_and_not_in_the_droplets(
    spec: dict[str, Any], api: Api, active: dict[str, Any], clock: VirtualClock
) -> None:
    droplet_id = active["id"]
    own_before = [a["id"] for a in api.get(f"/v2/droplets/{droplet_id}/actions").json()["actions"]]
    volume = api.post("/v2/volumes", {"name": "data", "size_gigabytes": 10, "region": "nyc3"}).json()["volume"]
    ip = api.post("/v2/reserved_ips", {"region": "nyc3"}).json()["reserved_ip"]["ip"]
    started = []
    for body in (
        {"type": "attach", "droplet_id": droplet_id},
        {"type": "resize", "size_gigabytes": 20, "region": "nyc3"},
        {"type": "detach", "droplet_id": droplet_id},
    ):
        started.append(_started(api.post(f"/v2/volumes/{volume['id']}/actions", body), 202))
        clock.advance(60)
    for body in ({"type": "assign", "droplet_id": droplet_id}, {"type": "unassign"}):
        started.append(_started(api.post(f"/v2/reserved_ips/{ip}/actions", body), 201))
        clock.advance(60)

    everything = api.get("/v2/actions")
    check(spec, "GET", "/v2/actions", 200, everything.body)
    listed = {a["id"]: a for a in everything.json()["actions"]}
    for action in started:
        shown = listed[action["id"]]
        assert shown["resource_type"] == ATTACHMENT_TYPES[shown["type"]] and shown["status"] == "completed"
        one = api.get(f"/v2/actions/{action['id']}")
        check(spec, "GET", "/v2/actions/{action_id}", 200, one.body)
        assert one.json()["action"] == shown
    assert [listed[a["id"]]["type"] for a in started] == list(ATTACHMENT_TYPES)
    assert all(isinstance(listed[a["id"]]["resource_id"], int) for a in started[3:]), "reserved IP: integer id"

    own = api.get(f"/v2/droplets/{droplet_id}/actions").json()["actions"]
    assert [a["id"] for a in own] == own_before
    assert all(a["resource_type"] == "droplet" and a["resource_id"] == droplet_id for a in own)
    on_volume = {a["type"] for a in api.get(f"/v2/volumes/{volume['id']}/actions").json()["actions"]}
    on_ip = {a["type"] for a in api.get(f"/v2/reserved_ips/{ip}/actions").json()["actions"]}
    assert on_volume == {"attach_volume", "resize_volume", "detach_volume"}
    assert on_ip == {"assign_ip", "unassign_ip"}
