"""Behaviour of the catalog endpoints and a droplet's satellites."""

from __future__ import annotations

from typing import Any

import pytest
from sandbox_api import Api

from droplets.sandbox import Sandbox


def test_regions_sizes_keys_are_paginated_lists(api: Api) -> None:
    regions = api.get("/v2/regions").json()
    assert {"nyc3", "tor1"} <= {r["slug"] for r in regions["regions"]}
    assert regions["meta"]["total"] == len(regions["regions"]) == 15
    page = api.get("/v2/regions?per_page=1&page=2").json()
    assert page["links"]["pages"]["last"] == "https://api.digitalocean.com/v2/regions?page=15&per_page=1"
    sizes = {s["slug"] for s in api.get("/v2/sizes").json()["sizes"]}
    assert {"s-1vcpu-1gb", "s-2vcpu-4gb", "gpu-h100x1-80gb"} <= sizes
    keys = api.get("/v2/account/keys").json()
    assert keys["ssh_keys"][0]["id"] == 289794 and keys["links"] == {}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "type=distribution",
            {
                "ubuntu-24-04-x64",
                "ubuntu-22-04-x64",
                "ubuntu-20-04-x64",
                "ubuntu-16-04-x64",
                "debian-12-x64",
                "debian-11-x64",
                "centos-stream-9-x64",
                "fedora-40-x64",
                "rockylinux-9-x64",
            },
        ),
        ("type=application", {"gpu-h100x1-base", "docker-20-04", None}),
        ("tag_name=simple-image", {None}),
    ],
)
def test_images_list_filters(api: Api, query: str, expected: set[str | None]) -> None:
    images = api.get(f"/v2/images?{query}").json()["images"]
    assert {i["slug"] for i in images} == expected


def test_images_private_lists_only_user_images(api: Api) -> None:
    images = api.get("/v2/images?private=true").json()["images"]
    assert images and all(i["public"] is False for i in images)
    assert api.get("/v2/images?type=vm").status == 400
    assert api.get("/v2/images?private=maybe").status == 400


def test_image_get_by_id_or_public_slug(api: Api) -> None:
    assert api.get("/v2/images/ubuntu-24-04-x64").json()["image"]["id"] == 173489130
    assert api.get("/v2/images/173489130").json()["image"]["slug"] == "ubuntu-24-04-x64"
    assert api.get("/v2/images/7555620").json()["image"]["name"] == "Nifty New Snapshot"
    assert api.get("/v2/images/no-such-slug").status == 404
    assert api.get("/v2/images/1").status == 404


def test_kernels_firewalls_of_a_droplet(api: Api, sb: Sandbox) -> None:
    [plain] = sb.seed_droplets(1)
    [prod] = sb.seed_droplets(1, tag="prod")
    kernels = api.get(f"/v2/droplets/{plain}/kernels?per_page=1").json()
    assert kernels["meta"]["total"] == 3 and kernels["kernels"][0]["id"] == 7515
    assert api.get(f"/v2/droplets/{plain}/firewalls").json()["firewalls"] == []
    firewalls = api.get(f"/v2/droplets/{prod}/firewalls").json()
    assert firewalls["firewalls"][0]["name"] == "firewall" and firewalls["meta"]["total"] == 1
    for tail in ("kernels", "firewalls", "snapshots", "backups", "backups/policy", "neighbors", "actions"):
        assert api.get(f"/v2/droplets/777/{tail}").status == 404


def test_neighbors_share_simulated_hypervisors(api: Api, sb: Sandbox) -> None:
    ids = sb.seed_droplets(8)
    report = api.get("/v2/reports/droplet_neighbors_ids").json()["neighbor_ids"]
    assert report and all(len(group) > 1 for group in report)
    grouped = {i for group in report for i in group}
    alone = [i for i in ids if i not in grouped]
    assert alone, "some droplets must have no neighbors"
    group = report[0]
    neighbors = api.get(f"/v2/droplets/{group[0]}/neighbors").json()["droplets"]
    assert sorted(d["id"] for d in neighbors) == sorted(group[1:])
    assert api.get(f"/v2/droplets/{alone[0]}/neighbors").json() == {"droplets": []}


def test_backup_policies_and_supported_policies(api: Api, sb: Sandbox) -> None:
    ids = sb.seed_droplets(3)
    policies = api.get("/v2/droplets/backups/policies?per_page=2").json()
    assert list(policies["policies"]) == [str(i) for i in ids[:2]]
    assert policies["meta"]["total"] == 3 and "next" in policies["links"]["pages"]
    assert policies["policies"][str(ids[0])] == {"droplet_id": ids[0], "backup_enabled": False}
    supported = api.get("/v2/droplets/backups/supported_policies").json()["supported_policies"]
    assert [p["name"] for p in supported] == ["weekly", "daily"]


def test_create_with_backups_sets_policy_when_active(api: Api, clock: Any) -> None:
    droplet = api.create("b", backups=True, backup_policy={"plan": "weekly", "weekday": "SAT", "hour": 20})
    assert droplet["next_backup_window"] is None
    clock.advance(30)
    active = api.droplet(droplet["id"])
    assert "backups" in active["features"] and active["next_backup_window"]["start"].endswith("T20:00:00Z")
    policy = api.get(f"/v2/droplets/{droplet['id']}/backups/policy").json()["policy"]
    assert policy["backup_policy"]["weekday"] == "SAT"


def test_snapshots_list_empty_then_paginated(api: Api, sb: Sandbox) -> None:
    [droplet] = sb.seed_droplets(1)
    body = api.get(f"/v2/droplets/{droplet}/snapshots").json()
    assert body == {"snapshots": [], "links": {}, "meta": {"total": 0}}


def test_the_private_images_listed_are_the_accounts_to_change(api: Api) -> None:
    """Regression: the private list showed the spec's example snapshots, yet PUT/DELETE on them answered 404."""
    private = api.get("/v2/images?private=true").json()["images"]
    snapshot = next(i for i in private if i["type"] == "snapshot")
    renamed = api("PUT", f"/v2/images/{snapshot['id']}", {"name": "renamed"})
    assert renamed.status == 200 and renamed.json()["image"]["name"] == "renamed"
    assert api.get(f"/v2/images/{snapshot['id']}").json()["image"]["name"] == "renamed"
    moved = api.post(f"/v2/images/{snapshot['id']}/actions", {"type": "transfer", "region": "ams3"})
    assert moved.status == 201
    assert api.delete(f"/v2/images/{snapshot['id']}").status == 204
    assert api.get(f"/v2/images/{snapshot['id']}").status == 404
    assert snapshot["id"] not in {i["id"] for i in api.get("/v2/images?private=true").json()["images"]}


def test_a_change_to_a_private_catalog_image_stays_in_its_sandbox(api: Api) -> None:
    snapshot = next(i for i in api.get("/v2/images?private=true").json()["images"] if i["type"] == "snapshot")
    assert api.delete(f"/v2/images/{snapshot['id']}").status == 204
    other = Api(Sandbox())
    assert other.get(f"/v2/images/{snapshot['id']}").json()["image"]["name"] == snapshot["name"]


def test_public_images_stay_read_only(api: Api) -> None:
    public = next(i for i in api.get("/v2/images?type=distribution").json()["images"])
    assert api("PUT", f"/v2/images/{public['id']}", {"name": "mine"}).status == 404
    assert api.delete(f"/v2/images/{public['id']}").status == 404


def test_a_null_field_of_an_image_update_is_not_given(api: Api) -> None:
    """Regression (schemathesis): ``"description": null`` was stored, and the image answered a null description."""
    snapshot = next(i for i in api.get("/v2/images?private=true").json()["images"] if i["type"] == "snapshot")
    body = {"name": None, "distribution": None, "description": None}
    updated = api("PUT", f"/v2/images/{snapshot['id']}", body)
    assert updated.status == 200
    image = updated.json()["image"]
    assert (image["name"], image["distribution"], image["description"]) == (
        snapshot["name"],
        snapshot["distribution"],
        snapshot["description"],
    )


def test_a_private_catalog_image_takes_and_loses_a_tag(api: Api) -> None:
    """Regression: tagging one of the listed private images answered 404, and deleting a tag left it on them."""
    image = next(i for i in api.get("/v2/images?private=true").json()["images"] if i["type"] == "custom")
    assert api.post("/v2/tags", {"name": "golden"}).status == 201
    resources = {"resources": [{"resource_id": str(image["id"]), "resource_type": "image"}]}
    assert api.post("/v2/tags/golden/resources", resources).status == 204
    assert "golden" in api.get(f"/v2/images/{image['id']}").json()["image"]["tags"]
    assert [i["id"] for i in api.get("/v2/images?tag_name=golden").json()["images"]] == [image["id"]]
    assert api.delete("/v2/tags/golden").status == 204
    assert "golden" not in api.get(f"/v2/images/{image['id']}").json()["image"]["tags"]
