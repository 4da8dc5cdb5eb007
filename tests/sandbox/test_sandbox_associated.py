"""The sandbox's destroy with associated resources: spec-shaped answers, per-resource progress, failures, retry."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sandbox_api import BASE, Api
from test_sandbox_schema import check

from droplets.sandbox import Sandbox, VirtualClock

FLOW = "/v2/droplets/{droplet_id}/destroy_with_associated_resources"


def _equipped(api: Api, clock: VirtualClock) -> dict[str, Any]:
    """A droplet with an attached volume, a volume snapshot, a snapshot and a reserved IP."""
    d = api.create("web-1")
    clock.advance(120)
    volume = api.post("/v2/volumes", {"name": "data", "size_gigabytes": 10, "region": "nyc3"}).json()["volume"]
    assert api.post(f"/v2/volumes/{volume['id']}/actions", {"type": "attach", "droplet_id": d["id"]}).status == 202
    clock.advance(60)
    snap = api.post(f"/v2/volumes/{volume['id']}/snapshots", {"name": "nightly"}).json()["snapshot"]
    ip = api.post("/v2/reserved_ips", {"droplet_id": d["id"]}).json()["reserved_ip"]
    clock.advance(60)
    assert api.action(d["id"], "snapshot", name="before").status == 201
    clock.advance(120)
    return {"droplet": d["id"], "volume": volume["id"], "snapshot": snap["id"], "ip": ip["ip"]}


def _dangerous(sb: Sandbox, droplet_id: int, header: str | None = "true") -> Any:
    headers = {"Authorization": "Bearer test-token"}
    if header is not None:
        headers["X-Dangerous"] = header
    return sb.handle("DELETE", f"{BASE}/v2/droplets/{droplet_id}/destroy_with_associated_resources/dangerous", headers)


def test_every_answer_is_in_the_spec_shape(spec: dict[str, Any], sb: Sandbox, api: Api, clock: VirtualClock) -> None:
    ids = _equipped(api, clock)
    path = FLOW.format(droplet_id=ids["droplet"])
    preview = api.get(path)
    check(spec, "GET", FLOW, 200, preview.body)
    listed = preview.json()
    assert [r["id"] for r in listed["volumes"]] == [ids["volume"]]
    assert [r["id"] for r in listed["volume_snapshots"]] == [ids["snapshot"]]
    assert [r["name"] for r in listed["reserved_ips"]] == [ids["ip"]] == [r["name"] for r in listed["floating_ips"]]
    assert len(listed["snapshots"]) == 1 and all(isinstance(r["cost"], str) for r in listed["volumes"])

    sb.fail_destroy(ids["volume"], "volume busy")
    body = {kind: [r["id"] for r in listed[kind]] for kind in ("volumes", "reserved_ips", "volume_snapshots")}
    accepted = api("DELETE", f"{path}/selective", body)
    assert accepted.status == 202 and accepted.body == b""
    running = api.get(f"{path}/status")
    check(spec, "GET", f"{FLOW}/status", 200, running.body)
    assert "completed_at" not in running.json()
    conflict = api.post(f"{path}/retry")
    assert conflict.status == 409
    check(spec, "POST", f"{FLOW}/retry", 409, conflict.body)
    clock.advance(60)
    failed = api.get(f"{path}/status")
    check(spec, "GET", f"{FLOW}/status", 200, failed.body)
    assert failed.json()["failures"] == 1
    assert failed.json()["resources"]["volumes"][0]["error_message"] == "volume busy"
    assert api.get(f"/v2/volumes/{ids['volume']}").status == 200
    assert api.get("/v2/reserved_ips").json()["reserved_ips"] == []

    retried = api.post(f"{path}/retry")
    assert retried.status == 202 and retried.body == b""
    clock.advance(60)
    done = api.get(f"{path}/status").json()
    assert done["failures"] == 0 and "completed_at" in done
    assert api.get(f"/v2/volumes/{ids['volume']}").status == 404
    assert api.get(f"/v2/volumes/snapshots/{ids['snapshot']}").status == 404
    kept = api.get("/v2/images?private=true").json()["images"]
    assert [i for i in kept if i["name"] == "before"]  # the snapshot was not chosen: it stays
    nothing = api.post(f"{path}/retry")
    assert nothing.status == 409


def test_the_dangerous_destroy_needs_the_header_and_takes_everything(
    sb: Sandbox, api: Api, clock: VirtualClock
) -> None:
    ids = _equipped(api, clock)
    for header in (None, "false", "yes"):
        refused = _dangerous(sb, ids["droplet"], header)
        assert refused.status == 400 and b"X-Dangerous" in refused.body
    assert api.get(FLOW.format(droplet_id=ids["droplet"]) + "/status").status == 404
    assert _dangerous(sb, ids["droplet"]).status == 202
    assert _dangerous(sb, ids["droplet"]).status == 409  # one destroy at a time
    clock.advance(60)
    status = api.get(FLOW.format(droplet_id=ids["droplet"]) + "/status").json()
    assert status["failures"] == 0 and status["droplet"]["id"] == str(ids["droplet"])
    assert all(r["destroyed_at"] for kind in status["resources"].values() for r in kind)
    assert api.get("/v2/volumes").json()["volumes"] == []
    assert api.get("/v2/reserved_ips").json()["reserved_ips"] == []
    assert not [i for i in api.get("/v2/images?private=true").json()["images"] if i["name"] == "before"]
    assert api.get(f"/v2/droplets/{ids['droplet']}").status == 404


@pytest.mark.parametrize(
    "body",
    [{"volumes": ["not-associated"]}, {"reserved_ips": [7]}, {"volumes": "one"}],
)
def test_a_bad_selection_destroys_nothing(api: Api, clock: VirtualClock, body: Any) -> None:
    ids = _equipped(api, clock)
    refused = api("DELETE", FLOW.format(droplet_id=ids["droplet"]) + "/selective", body)
    assert refused.status in (400, 422), refused.body
    assert "message" in json.loads(refused.body)
    assert api.get(f"/v2/droplets/{ids['droplet']}").json()["droplet"]["status"] == "active"
    assert api.get(f"/v2/volumes/{ids['volume']}").status == 200


def test_an_empty_selective_destroy_takes_only_the_droplet(api: Api, clock: VirtualClock) -> None:
    ids = _equipped(api, clock)
    assert api("DELETE", FLOW.format(droplet_id=ids["droplet"]) + "/selective").status == 202
    clock.advance(60)
    assert api.get(f"/v2/droplets/{ids['droplet']}").status == 404
    assert api.get(f"/v2/volumes/{ids['volume']}").json()["volume"]["droplet_ids"] == []
    assert api.get(f"/v2/reserved_ips/{ids['ip']}").status == 200


def _completed_after(sb: Sandbox, api: Api, clock: VirtualClock) -> float:
    """Seconds of clock time a dangerous destroy of an equipped droplet takes to complete (4 resources)."""
    ids = _equipped(api, clock)
    started = clock.time()
    assert _dangerous(sb, ids["droplet"]).status == 202
    status = f"{FLOW.format(droplet_id=ids['droplet'])}/status"
    while "completed_at" not in api.get(status).json():
        clock.advance(0.25)
    return clock.time() - started


def test_the_flow_takes_three_seconds_a_resource_by_default(sb: Sandbox, api: Api, clock: VirtualClock) -> None:
    assert _completed_after(sb, api, clock) == pytest.approx(4 * 3.0, abs=0.3)


def test_the_flow_follows_the_action_time_when_one_is_set(sb: Sandbox, api: Api, clock: VirtualClock) -> None:
    """Regression: a served sandbox's ``--action-seconds`` left the teardown at 3 s a resource of real time."""
    sb.progression.set("*", after_seconds=0.5)
    assert _completed_after(sb, api, clock) == pytest.approx(4 * 0.5, abs=0.3)
    sb.progression.set("destroy_with_associated_resources", immediate=True)
    assert _completed_after(sb, api, clock) == pytest.approx(0.0, abs=0.3)
