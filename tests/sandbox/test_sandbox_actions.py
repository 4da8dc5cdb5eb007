"""Behaviour of droplet actions: effects, locking, progressions, failures, by tag."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sandbox_api import Api

from droplets.sandbox import Sandbox, VirtualClock


def _run(api: Api, clock: VirtualClock, droplet_id: int, action_type: str, **fields: Any) -> dict[str, Any]:
    response = api.action(droplet_id, action_type, **fields)
    assert response.status == 201, response.body
    action = response.json()["action"]
    assert action["status"] == "in-progress" and action["type"] == action_type
    assert action["resource_id"] == droplet_id and action["completed_at"] is None
    clock.advance(120)
    done = api.get(f"/v2/actions/{action['id']}").json()["action"]
    assert done["status"] == "completed" and done["completed_at"] is not None
    return api.droplet(droplet_id)


def _power_off(api: Api, clock: VirtualClock, droplet_id: int) -> None:
    assert _run(api, clock, droplet_id, "power_off")["status"] == "off"


@pytest.mark.parametrize(("action_type", "status"), [("shutdown", "off"), ("power_off", "off")])
def test_power_down_actions(
    api: Api, clock: VirtualClock, active: dict[str, Any], action_type: str, status: str
) -> None:
    assert _run(api, clock, active["id"], action_type)["status"] == status


@pytest.mark.parametrize("action_type", ["power_on", "reboot", "power_cycle"])
def test_power_up_actions_end_active(api: Api, clock: VirtualClock, active: dict[str, Any], action_type: str) -> None:
    _power_off(api, clock, active["id"])
    assert _run(api, clock, active["id"], action_type)["status"] == "active"


def test_locked_while_in_progress_and_second_action_is_422(api: Api, active: dict[str, Any]) -> None:
    assert api.action(active["id"], "reboot").status == 201
    assert api.droplet(active["id"])["locked"] is True
    response = api.action(active["id"], "power_off")
    assert response.status == 422
    assert response.json() == {
        "id": "unprocessable_entity",
        "message": "Droplet already has a pending event.",
        "request_id": response.headers["x-request-id"],
    }


def test_new_droplet_is_locked_until_created(api: Api, clock: VirtualClock) -> None:
    droplet = api.create()
    assert droplet["locked"] is False, "the create answer says unlocked, like the spec's example"
    assert api.droplet(droplet["id"])["locked"] is True
    assert api.action(droplet["id"], "reboot").status == 422
    clock.advance(30)
    assert api.action(droplet["id"], "reboot").status == 201


def test_enable_and_disable_backups(api: Api, clock: VirtualClock, active: dict[str, Any]) -> None:
    policy = {"plan": "weekly", "weekday": "TUE", "hour": 8}
    droplet = _run(api, clock, active["id"], "enable_backups", backup_policy=policy)
    assert "backups" in droplet["features"] and droplet["next_backup_window"] is not None
    record = api.get(f"/v2/droplets/{active['id']}/backups/policy").json()["policy"]
    assert record["backup_enabled"] is True
    assert record["backup_policy"] == {**policy, "window_length_hours": 4, "retention_period_days": 28}
    droplet = _run(api, clock, active["id"], "change_backup_policy", backup_policy={"plan": "daily", "hour": 4})
    record = api.get(f"/v2/droplets/{active['id']}/backups/policy").json()["policy"]
    assert record["backup_policy"]["plan"] == "daily"
    droplet = _run(api, clock, active["id"], "disable_backups")
    assert "backups" not in droplet["features"] and droplet["next_backup_window"] is None
    assert api.action(active["id"], "change_backup_policy", backup_policy={"plan": "daily"}).status == 422


def test_backups_are_taken_when_windows_pass_and_restore_needs_one(
    api: Api, clock: VirtualClock, active: dict[str, Any]
) -> None:
    assert api.action(active["id"], "restore", image=12345).status == 422
    _run(api, clock, active["id"], "enable_backups")
    clock.advance(3 * 86400)
    droplet = api.droplet(active["id"])
    assert len(droplet["backup_ids"]) == 3
    backups = api.get(f"/v2/droplets/{active['id']}/backups").json()
    assert backups["meta"]["total"] == 3 and backups["backups"][0]["type"] == "backup"
    assert api.get(f"/v2/images/{droplet['backup_ids'][0]}").json()["image"]["type"] == "backup"
    assert _run(api, clock, active["id"], "restore", image=droplet["backup_ids"][0])["status"] == "active"
    clock.advance(30 * 86400)
    assert len(api.droplet(active["id"])["backup_ids"]) == 7


def test_enable_ipv6_and_private_networking(api: Api, clock: VirtualClock, sb: Sandbox) -> None:
    droplet = api.create("v4-only", public_networking=True)
    clock.advance(60)
    assert api.droplet(droplet["id"])["networks"]["v6"] == []
    after = _run(api, clock, droplet["id"], "enable_ipv6")
    assert "ipv6" in after["features"] and after["networks"]["v6"][0]["type"] == "public"
    after = _run(api, clock, droplet["id"], "enable_private_networking")
    assert "private_networking" in after["features"]
    assert [n["type"] for n in after["networks"]["v4"]].count("private") == 1


def test_resize_requires_off_and_changes_size(api: Api, clock: VirtualClock, active: dict[str, Any]) -> None:
    response = api.action(active["id"], "resize", size="s-2vcpu-4gb")
    assert response.status == 422 and "off" in response.json()["message"]
    _power_off(api, clock, active["id"])
    assert api.action(active["id"], "resize", size="nope").status == 422
    droplet = _run(api, clock, active["id"], "resize", size="s-2vcpu-4gb", disk=False)
    assert (droplet["size_slug"], droplet["memory"], droplet["vcpus"], droplet["disk"]) == ("s-2vcpu-4gb", 4096, 2, 25)
    droplet = _run(api, clock, active["id"], "resize", size="s-4vcpu-8gb", disk=True)
    assert droplet["disk"] == 160 and droplet["disk_info"][0]["size"]["amount"] == 160
    shrink = api.action(active["id"], "resize", size="s-1vcpu-1gb")
    assert shrink.status == 422


def test_rebuild_rename_change_kernel_password_reset(api: Api, clock: VirtualClock, active: dict[str, Any]) -> None:
    assert _run(api, clock, active["id"], "rebuild", image="debian-12-x64")["image"]["slug"] == "debian-12-x64"
    assert _run(api, clock, active["id"], "rebuild", image=63663980)["image"]["id"] == 63663980
    assert api.action(active["id"], "rebuild", image="nope").status == 422
    assert _run(api, clock, active["id"], "rename", name="renamed.example.com")["name"] == "renamed.example.com"
    assert api.action(active["id"], "rename", name="bad name").status == 422
    assert _run(api, clock, active["id"], "change_kernel", kernel=991)["kernel"]["id"] == 991
    assert api.action(active["id"], "change_kernel", kernel=1).status == 422
    assert _run(api, clock, active["id"], "password_reset")["status"] == "active"


def test_snapshot_creates_a_visible_image(api: Api, clock: VirtualClock, active: dict[str, Any]) -> None:
    droplet = _run(api, clock, active["id"], "snapshot", name="before-upgrade")
    [snapshot_id] = droplet["snapshot_ids"]
    snapshots = api.get(f"/v2/droplets/{active['id']}/snapshots").json()["snapshots"]
    assert snapshots[0]["id"] == snapshot_id and snapshots[0]["name"] == "before-upgrade"
    image = api.get(f"/v2/images/{snapshot_id}").json()["image"]
    assert image["type"] == "snapshot" and image["public"] is False
    private = api.get("/v2/images?private=true").json()["images"]
    assert snapshot_id in [i["id"] for i in private]
    unnamed = _run(api, clock, active["id"], "snapshot")
    assert len(unnamed["snapshot_ids"]) == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "explode"}, "type"),
        ({}, "type"),
        ({"type": 3}, "type"),
        ({"type": "resize", "size": 2}, "size"),
        ({"type": "resize"}, "size"),
        ({"type": "resize", "size": "s-2vcpu-4gb", "disk": "yes"}, "disk"),
        ({"type": "restore", "image": "abc"}, "image"),
        ({"type": "change_kernel", "kernel": "991"}, "kernel"),
        ({"type": "enable_backups", "backup_policy": {"hour": 3}}, "backup_policy.hour"),
        ({"type": "change_backup_policy"}, "backup_policy"),
    ],
)
def test_invalid_action_bodies_are_422(api: Api, active: dict[str, Any], body: dict[str, Any], field: str) -> None:
    response = api.post(f"/v2/droplets/{active['id']}/actions", body)
    assert response.status == 422, response.body
    assert field in response.json()["message"]


def test_action_on_unknown_droplet_is_404(api: Api) -> None:
    assert api.action(12345, "reboot").status == 404


def test_progression_immediate(api: Api, sb: Sandbox, active: dict[str, Any]) -> None:
    sb.progression.set("power_off", immediate=True)
    action = api.action(active["id"], "power_off").json()["action"]
    assert action["status"] == "completed"
    assert api.droplet(active["id"])["status"] == "off"


def test_progression_after_polls(api: Api, sb: Sandbox, active: dict[str, Any]) -> None:
    sb.progression.set("*", after_polls=2)
    action = api.action(active["id"], "reboot").json()["action"]
    statuses = [api.get(f"/v2/actions/{action['id']}").json()["action"]["status"] for _ in range(3)]
    assert statuses == ["in-progress", "in-progress", "completed"]


def test_droplet_reads_count_as_polls(api: Api, sb: Sandbox, active: dict[str, Any]) -> None:
    sb.progression.set("power_off", after_polls=1)
    api.action(active["id"], "power_off")
    assert api.droplet(active["id"])["locked"] is True
    assert api.droplet(active["id"])["status"] == "off"


def test_progression_after_seconds(api: Api, sb: Sandbox, clock: VirtualClock, active: dict[str, Any]) -> None:
    sb.progression.set("snapshot", after_seconds=100)
    action = api.action(active["id"], "snapshot").json()["action"]
    clock.advance(99)
    assert api.get(f"/v2/actions/{action['id']}").json()["action"]["status"] == "in-progress"
    clock.sleep(1)
    done = api.get(f"/v2/actions/{action['id']}").json()["action"]
    assert done["status"] == "completed"
    started = datetime.strptime(done["started_at"], "%Y-%m-%dT%H:%M:%S%z")
    assert done["completed_at"] == (started + timedelta(seconds=100)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_progression_rejects_ambiguous_rules(sb: Sandbox) -> None:
    with pytest.raises(ValueError):
        sb.progression.set("reboot")
    with pytest.raises(ValueError):
        sb.progression.set("reboot", after_polls=1, immediate=True)


def test_fail_next_ends_errored_without_effect(
    api: Api, sb: Sandbox, clock: VirtualClock, active: dict[str, Any]
) -> None:
    _power_off(api, clock, active["id"])
    sb.progression.fail_next("resize")
    action = api.action(active["id"], "resize", size="s-2vcpu-4gb", disk=True).json()["action"]
    clock.advance(120)
    assert api.get(f"/v2/actions/{action['id']}").json()["action"]["status"] == "errored"
    droplet = api.droplet(active["id"])
    assert droplet["size_slug"] == "s-1vcpu-1gb" and droplet["locked"] is False
    assert _run(api, clock, active["id"], "resize", size="s-2vcpu-4gb")["size_slug"] == "s-2vcpu-4gb"


def test_tag_actions_start_one_action_per_droplet(api: Api, sb: Sandbox, clock: VirtualClock) -> None:
    ids = sb.seed_droplets(3, tag="web")
    sb.seed_droplets(1, tag="db")
    response = api.post("/v2/droplets/actions?tag_name=web", {"type": "power_off"})
    assert response.status == 201
    actions = response.json()["actions"]
    assert sorted(a["resource_id"] for a in actions) == sorted(ids)
    clock.advance(60)
    assert {d["status"] for d in sb.droplets() if "web" in d["tags"]} == {"off"}
    assert {d["status"] for d in sb.droplets() if "db" in d["tags"]} == {"active"}


@pytest.mark.parametrize("action_type", ["reboot", "resize", "rename", "rebuild", "restore", "password_reset"])
def test_tag_actions_refuse_types_outside_the_list(api: Api, sb: Sandbox, action_type: str) -> None:
    sb.seed_droplets(1, tag="web")
    response = api.post("/v2/droplets/actions?tag_name=web", {"type": action_type})
    assert response.status == 422 and "type" in response.json()["message"]


def test_tag_action_snapshot_and_missing_tag(api: Api, sb: Sandbox, clock: VirtualClock) -> None:
    sb.seed_droplets(2, tag="web")
    response = api.post("/v2/droplets/actions?tag_name=web", {"type": "snapshot", "name": "nightly"})
    assert response.status == 201 and len(response.json()["actions"]) == 2
    clock.advance(120)
    assert all(len(d["snapshot_ids"]) == 1 for d in sb.droplets())
    assert api.post("/v2/droplets/actions", {"type": "power_on"}).status == 400


def test_droplet_and_global_action_lists_are_newest_first(
    api: Api, clock: VirtualClock, active: dict[str, Any]
) -> None:
    _run(api, clock, active["id"], "power_off")
    _run(api, clock, active["id"], "power_on")
    own = api.get(f"/v2/droplets/{active['id']}/actions").json()
    assert [a["type"] for a in own["actions"]] == ["power_on", "power_off", "create"]
    assert own["meta"]["total"] == 3
    every = api.get("/v2/actions?per_page=2").json()
    assert [a["type"] for a in every["actions"]] == ["power_on", "power_off"]
    assert every["links"]["pages"]["next"] == "https://api.digitalocean.com/v2/actions?page=2&per_page=2"
    first = own["actions"][0]["id"]
    assert api.get(f"/v2/droplets/{active['id']}/actions/{first}").json()["action"]["type"] == "power_on"
    assert api.get(f"/v2/droplets/{active['id']}/actions/1").status == 404
    assert api.get("/v2/actions/1").status == 404


def test_destroy_with_pending_action_errors_the_action(api: Api, active: dict[str, Any]) -> None:
    action = api.action(active["id"], "reboot").json()["action"]
    assert api.delete(f"/v2/droplets/{active['id']}").status == 204
    assert api.get(f"/v2/actions/{action['id']}").json()["action"]["status"] == "errored"
