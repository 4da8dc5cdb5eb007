"""Every kind of sandbox answer, validated against the official OpenAPI spec.

The spec (OpenAPI 3.0) is the copy vendored in ``tests/data/openapi/`` (``tests/conftest.py``), not anything beside
the repository; ``openapi-schema-validator`` handles ``nullable`` and the
internal ``#/components/...`` references. The sandbox's droplet, action and
list envelopes are also compared key for key with the spec's examples.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sandbox_api import Api

from droplets.sandbox import Sandbox, VirtualClock
from tests.spec_schema import check


@pytest.fixture
def world(sb: Sandbox, api: Api, clock: VirtualClock) -> dict[str, Any]:
    """A sandbox with droplets in every interesting state."""
    sb.seed_droplets(25, tag="web")
    sb.seed_droplets(1, tag="ml", region="tor1", size="gpu-h100x1-80gb", image="gpu-h100x1-base")
    rich = api.create("rich.example.com", ipv6=True, backups=True, monitoring=True, tags=["prod"])
    clock.advance(60)
    api.action(rich["id"], "snapshot", name="snap")
    clock.advance(120)
    api.action(rich["id"], "change_kernel", kernel=7515)
    clock.advance(86400 * 2)
    api.create("fresh")  # status new, locked
    backup_id = api.droplet(rich["id"])["backup_ids"][0]
    snapshot_id = api.droplet(rich["id"])["snapshot_ids"][0]
    action_id = api.get(f"/v2/droplets/{rich['id']}/actions").json()["actions"][0]["id"]
    return {"id": rich["id"], "backup": backup_id, "snapshot": snapshot_id, "action": action_id}


SUCCESSES = [
    ("GET", "/v2/droplets", "/v2/droplets?per_page=10&page=2"),
    ("GET", "/v2/droplets", "/v2/droplets"),
    ("GET", "/v2/droplets", "/v2/droplets?type=gpus"),
    ("GET", "/v2/droplets", "/v2/droplets?tag_name=prod"),
    ("GET", "/v2/droplets/{droplet_id}", "/v2/droplets/{id}"),
    ("GET", "/v2/droplets/{droplet_id}/backups", "/v2/droplets/{id}/backups"),
    ("GET", "/v2/droplets/{droplet_id}/backups/policy", "/v2/droplets/{id}/backups/policy"),
    ("GET", "/v2/droplets/backups/policies", "/v2/droplets/backups/policies"),
    ("GET", "/v2/droplets/backups/supported_policies", "/v2/droplets/backups/supported_policies"),
    ("GET", "/v2/droplets/{droplet_id}/snapshots", "/v2/droplets/{id}/snapshots"),
    ("GET", "/v2/droplets/{droplet_id}/actions", "/v2/droplets/{id}/actions"),
    ("GET", "/v2/droplets/{droplet_id}/actions/{action_id}", "/v2/droplets/{id}/actions/{action}"),
    ("GET", "/v2/droplets/{droplet_id}/kernels", "/v2/droplets/{id}/kernels?per_page=1"),
    ("GET", "/v2/droplets/{droplet_id}/firewalls", "/v2/droplets/{id}/firewalls"),
    ("GET", "/v2/droplets/{droplet_id}/neighbors", "/v2/droplets/{id}/neighbors"),
    ("GET", "/v2/reports/droplet_neighbors_ids", "/v2/reports/droplet_neighbors_ids"),
    ("GET", "/v2/actions", "/v2/actions?per_page=5&page=3"),
    ("GET", "/v2/actions/{action_id}", "/v2/actions/{action}"),
    ("GET", "/v2/regions", "/v2/regions"),
    ("GET", "/v2/sizes", "/v2/sizes"),
    ("GET", "/v2/images", "/v2/images"),
    ("GET", "/v2/images", "/v2/images?private=true"),
    ("GET", "/v2/images/{image_id}", "/v2/images/ubuntu-24-04-x64"),
    ("GET", "/v2/images/{image_id}", "/v2/images/{snapshot}"),
    ("GET", "/v2/images/{image_id}", "/v2/images/{backup}"),
    ("GET", "/v2/account/keys", "/v2/account/keys"),
]


@pytest.mark.parametrize(("method", "template", "path"), SUCCESSES)
def test_success_bodies_match_the_spec(
    spec: dict[str, Any], world: dict[str, Any], api: Api, method: str, template: str, path: str
) -> None:
    response = api(method, path.format(**world))
    assert response.status == 200, response.body
    check(spec, method, template, response.status, response.body)


ACTION_BODIES = [
    {"type": "reboot"},
    {"type": "power_off"},
    {"type": "enable_backups", "backup_policy": {"plan": "weekly", "weekday": "SUN", "hour": 20}},
    {"type": "enable_ipv6"},
    {"type": "rename", "name": "new.example.com"},
    {"type": "snapshot", "name": "s"},
]


@pytest.mark.parametrize("body", ACTION_BODIES, ids=lambda b: b["type"])
def test_action_post_bodies_match_the_spec(spec: dict[str, Any], world: dict[str, Any], api: Api, body: Any) -> None:
    response = api.post(f"/v2/droplets/{world['id']}/actions", body)
    assert response.status == 201, response.body
    check(spec, "POST", "/v2/droplets/{droplet_id}/actions", 201, response.body)


def test_write_answers_match_the_spec(spec: dict[str, Any], world: dict[str, Any], api: Api) -> None:
    base = {"region": "nyc3", "size": "s-2vcpu-4gb", "image": "ubuntu-24-04-x64"}
    single = api.post("/v2/droplets", {"name": "one", **base})
    check(spec, "POST", "/v2/droplets", 202, single.body)
    multi = api.post("/v2/droplets", {"names": ["two", "three"], **base})
    check(spec, "POST", "/v2/droplets", 202, multi.body)
    tagged = api.post("/v2/droplets/actions?tag_name=web", {"type": "power_cycle"})
    assert tagged.status == 201
    check(spec, "POST", "/v2/droplets/actions", 201, tagged.body)
    deleted = api.delete(f"/v2/droplets/{world['id']}")
    assert deleted.status == 204
    check(spec, "DELETE", "/v2/droplets/{droplet_id}", 204, deleted.body)
    by_tag = api.delete("/v2/droplets?tag_name=web")
    check(spec, "DELETE", "/v2/droplets", 204, by_tag.body)
    assert by_tag.headers["content-type"] == "application/json"


def test_error_bodies_match_the_spec(spec: dict[str, Any], sb: Sandbox, api: Api) -> None:
    cases = [
        (api.get("/v2/droplets", token=None), 401),
        (api.get("/v2/droplets/99"), 404),
        (api.get("/v2/droplets?per_page=500"), 400),
        (api.post("/v2/droplets", {"name": "x"}), 422),
        (api("POST", "/v2/droplets", raw=b"{"), 400),
    ]
    sb.faults.inject(kind="status", status=500)
    cases.append((api.get("/v2/droplets"), 500))
    sb.faults.inject(kind="status", status=429, retry_after=3)
    cases.append((api.get("/v2/droplets"), 429))
    for response, status in cases:
        assert response.status == status
        check(spec, "GET", "/v2/droplets/{droplet_id}", status, response.body)
        assert set(response.json()) == {"id", "message", "request_id"}


def _example(examples: Path, name: str) -> Any:
    return json.loads((examples / name).read_text(encoding="utf-8"))


def test_droplet_and_action_keys_equal_the_examples(examples: Path, world: dict[str, Any], api: Api) -> None:
    droplet = api.droplet(world["id"])
    expected = set(_example(examples, "droplets_get_200.json")["droplet"])
    assert set(droplet) == expected
    assert set(droplet["size"]) >= set(_example(examples, "sizes_list_200.json")["sizes"][0])
    assert set(droplet["image"]) == set(_example(examples, "images_list_200.json")["images"][0])
    gpu = api.get("/v2/droplets?type=gpus").json()["droplets"][0]
    assert set(gpu) == set(_example(examples, "droplets_list_200_gpus.json")["droplets"][0])
    action = api.get(f"/v2/actions/{world['action']}").json()["action"]
    assert set(action) == set(_example(examples, "actions_get_200.json")["action"])
    size = len(json.dumps(droplet, indent=2))
    assert 2000 < size < 4500


@pytest.mark.parametrize(
    ("path", "example"),
    [
        ("/v2/droplets/{id}/backups/policy", "droplets_get_backup_policy_200.json"),
        ("/v2/droplets/backups/supported_policies", "droplets_list_supported_backup_policies_200.json"),
        ("/v2/droplets/{id}/snapshots", "droplets_list_snapshots_200.json"),
        ("/v2/droplets/{id}/backups", "droplets_list_backups_200.json"),
        ("/v2/droplets/{id}/kernels", "droplets_list_kernels_200.json"),
        ("/v2/account/keys", "ssh_keys_list_200.json"),
        ("/v2/reports/droplet_neighbors_ids", "droplets_list_neighbors_ids_200.json"),
    ],
)
def test_envelopes_and_items_have_the_example_keys(
    examples: Path, world: dict[str, Any], api: Api, path: str, example: str
) -> None:
    body = api.get(path.format(**world)).json()
    reference = _example(examples, example)
    assert set(body) == set(reference)
    for key, value in reference.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            assert set(body[key][0]) == set(value[0])
