"""The sandbox's block storage: spec-valid answers and the rules of regions, attachments and deletes."""

from __future__ import annotations

from typing import Any

import pytest
from sandbox_api import Api
from test_sandbox_schema import check

from droplets.sandbox import Sandbox, VirtualClock


def _volume(api: Api, name: str = "data", region: str = "nyc3", **fields: Any) -> dict[str, Any]:
    response = api.post("/v2/volumes", {"name": name, "size_gigabytes": 10, "region": region, **fields})
    assert response.status == 201, response.body
    volume: dict[str, Any] = response.json()["volume"]
    return volume


def _attach(api: Api, volume_id: str, droplet_id: int, **fields: Any) -> Any:
    return api.post(f"/v2/volumes/{volume_id}/actions", {"type": "attach", "droplet_id": droplet_id, **fields})


def test_every_volume_answer_matches_the_spec(
    spec: dict[str, Any], api: Api, active: dict[str, Any], clock: VirtualClock
) -> None:
    created = api.post("/v2/volumes", {"name": "data", "size_gigabytes": 10, "region": "nyc3", "tags": ["db"]})
    check(spec, "POST", "/v2/volumes", 201, created.body)
    vid = created.json()["volume"]["id"]
    for path, template in [
        ("/v2/volumes", "/v2/volumes"),
        ("/v2/volumes?name=data&region=nyc3", "/v2/volumes"),
        (f"/v2/volumes/{vid}", "/v2/volumes/{volume_id}"),
    ]:
        answer = api.get(path)
        assert answer.status == 200
        check(spec, "GET", template, 200, answer.body)
    attach = _attach(api, vid, active["id"])
    assert attach.status == 202
    check(spec, "POST", "/v2/volumes/{volume_id}/actions", 202, attach.body)
    action_id = attach.json()["action"]["id"]
    clock.advance(60)
    check(spec, "GET", "/v2/volumes/{volume_id}/actions", 200, api.get(f"/v2/volumes/{vid}/actions").body)
    one = api.get(f"/v2/volumes/{vid}/actions/{action_id}")
    check(spec, "GET", "/v2/volumes/{volume_id}/actions/{action_id}", 200, one.body)
    assert one.json()["action"]["status"] == "completed"
    resize = api.post(f"/v2/volumes/{vid}/actions", {"type": "resize", "size_gigabytes": 20, "region": "nyc3"})
    check(spec, "POST", "/v2/volumes/{volume_id}/actions", 202, resize.body)
    clock.advance(60)
    snap = api.post(f"/v2/volumes/{vid}/snapshots", {"name": "nightly", "tags": ["db"]})
    assert snap.status == 201
    check(spec, "POST", "/v2/volumes/{volume_id}/snapshots", 201, snap.body)
    sid = snap.json()["snapshot"]["id"]
    check(spec, "GET", "/v2/volumes/{volume_id}/snapshots", 200, api.get(f"/v2/volumes/{vid}/snapshots").body)
    check(spec, "GET", "/v2/volumes/snapshots/{snapshot_id}", 200, api.get(f"/v2/volumes/snapshots/{sid}").body)
    gone = api.delete(f"/v2/volumes/snapshots/{sid}")
    assert gone.status == 204
    check(spec, "DELETE", "/v2/volumes/snapshots/{snapshot_id}", 204, gone.body)
    by_name = api.post(
        "/v2/volumes/actions", {"type": "detach", "volume_name": "data", "region": "nyc3", "droplet_id": active["id"]}
    )
    assert by_name.status == 202, by_name.body
    check(spec, "POST", "/v2/volumes/actions", 202, by_name.body)
    clock.advance(60)
    deleted = api.delete(f"/v2/volumes/{vid}")
    assert deleted.status == 204
    check(spec, "DELETE", "/v2/volumes/{volume_id}", 204, deleted.body)


def test_an_attach_shows_in_the_droplet_once_completed(api: Api, active: dict[str, Any], clock: VirtualClock) -> None:
    volume = _volume(api)
    action = _attach(api, volume["id"], active["id"]).json()["action"]
    assert action["status"] == "in-progress" and action["type"] == "attach_volume"
    assert api.droplet(active["id"])["locked"] is True  # the droplet is busy meanwhile
    assert api.droplet(active["id"])["volume_ids"] == []
    clock.advance(60)
    assert api.droplet(active["id"])["volume_ids"] == [volume["id"]]
    assert api.get(f"/v2/volumes/{volume['id']}").json()["volume"]["droplet_ids"] == [active["id"]]
    assert api.get(f"/v2/actions/{action['id']}").json()["action"]["resource_type"] == "volume"


def test_refusals(api: Api, active: dict[str, Any], sb: Sandbox, clock: VirtualClock) -> None:
    far = _volume(api, "far", "ams3")
    refused = _attach(api, far["id"], active["id"])
    assert refused.status == 422 and "same region" in refused.json()["message"]

    locked = api.create("busy-1")  # its create action holds the lock
    clock.advance(1)
    near = _volume(api, "near")
    refused = _attach(api, near["id"], locked["id"])
    assert refused.status == 422 and refused.json()["message"] == "Droplet already has a pending event."

    assert _attach(api, near["id"], active["id"]).status == 202
    clock.advance(60)
    attached = api.delete(f"/v2/volumes/{near['id']}")
    assert attached.status == 409 and attached.json()["id"] == "conflict"
    by_name = api.delete("/v2/volumes?name=near&region=nyc3")
    assert by_name.status == 409
    assert api.delete("/v2/volumes?name=near").status == 400  # a name alone could mean several regions

    shrink = api.post(f"/v2/volumes/{near['id']}/actions", {"type": "resize", "size_gigabytes": 5})
    assert shrink.status == 422
    assert api.post("/v2/volumes", {"name": "near", "size_gigabytes": 1, "region": "nyc3"}).status == 422
    assert api.post("/v2/volumes", {"name": "Bad_Name", "size_gigabytes": 1, "region": "nyc3"}).status == 422
    assert api.post("/v2/volumes", {"name": "big", "size_gigabytes": 16385, "region": "nyc3"}).status == 422
    label = {
        "name": "x1",
        "size_gigabytes": 1,
        "region": "nyc3",
        "filesystem_type": "xfs",
        "filesystem_label": "a" * 13,
    }
    assert api.post("/v2/volumes", label).status == 422
    detach_other = api.post(f"/v2/volumes/{far['id']}/actions", {"type": "detach", "droplet_id": active["id"]})
    assert detach_other.status == 422 and detach_other.json()["message"] == "Attachment not found"


def test_fifteen_volumes_at_most(api: Api, active: dict[str, Any], clock: VirtualClock) -> None:
    for n in range(15):
        assert _attach(api, _volume(api, f"v{n}")["id"], active["id"]).status == 202
        clock.advance(60)
    refused = _attach(api, _volume(api, "v15")["id"], active["id"])
    assert refused.status == 422 and "15" in refused.json()["message"]


def test_a_destroyed_droplet_leaves_its_volumes_detached(api: Api, active: dict[str, Any], clock: VirtualClock) -> None:
    volume = _volume(api)
    _attach(api, volume["id"], active["id"])
    clock.advance(60)
    assert api.delete(f"/v2/droplets/{active['id']}").status == 204
    assert api.get(f"/v2/volumes/{volume['id']}").json()["volume"]["droplet_ids"] == []
    assert api.delete(f"/v2/volumes/{volume['id']}").status == 204


@pytest.mark.parametrize("count", [2])
def test_create_with_volumes_attaches_them(api: Api, count: int) -> None:
    volume = _volume(api)
    droplet = api.create("db-1", volumes=[volume["id"]])
    assert droplet["volume_ids"] == [volume["id"]]
    assert api.get(f"/v2/volumes/{volume['id']}").json()["volume"]["droplet_ids"] == [droplet["id"]]
    again = api.post(
        "/v2/droplets",
        {
            "name": "db-2",
            "region": "nyc3",
            "size": "s-1vcpu-1gb",
            "image": "ubuntu-24-04-x64",
            "volumes": [volume["id"]],
        },
    )
    assert again.status == 422 and "already attached" in again.json()["message"]
    many = api.post(
        "/v2/droplets",
        {
            "names": [f"m{n}" for n in range(count)],
            "region": "nyc3",
            "size": "s-1vcpu-1gb",
            "image": "ubuntu-24-04-x64",
            "volumes": [_volume(api, "other")["id"]],
        },
    )
    assert many.status == 422
