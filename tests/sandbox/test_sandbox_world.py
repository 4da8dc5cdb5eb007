"""The sandbox's simulation of the resources around a droplet, checked against the spec.

Every answer is validated against the response schema of its operation
(`test_sandbox_schema.check`), and the rules the spec's digest states are
enforced: key format and duplicates, tag names, default VPCs, in-use conflicts.
"""

from __future__ import annotations

from typing import Any

from sandbox_api import Api
from test_sandbox_schema import check

LAPTOP = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMuc0GfV2+vO+pGkuaUnnUXhUe1EDFp3OqB+WYDoKjmw laptop@example"
LAPTOP_FINGERPRINT = "59:43:7e:fd:d8:84:9c:84:35:f3:19:58:38:f2:5c:d6"
KEY_ITEM = "/v2/account/keys/{ssh_key_identifier}"


def test_ssh_key_lifecycle_answers_match_the_spec(spec: dict[str, Any], api: Api) -> None:
    created = api.post("/v2/account/keys", {"name": "laptop", "public_key": LAPTOP})
    assert created.status == 201, created.body
    check(spec, "POST", "/v2/account/keys", 201, created.body)
    key = created.json()["ssh_key"]
    assert key["fingerprint"] == LAPTOP_FINGERPRINT and key["public_key"] == LAPTOP

    for ref in (key["id"], LAPTOP_FINGERPRINT):
        got = api.get(f"/v2/account/keys/{ref}")
        assert got.status == 200 and got.json()["ssh_key"] == key
        check(spec, "GET", KEY_ITEM, 200, got.body)

    renamed = api("PUT", f"/v2/account/keys/{LAPTOP_FINGERPRINT}", {"name": "laptop-2"})
    assert renamed.status == 200 and renamed.json()["ssh_key"]["name"] == "laptop-2"
    check(spec, "PUT", KEY_ITEM, 200, renamed.body)

    listed = api.get("/v2/account/keys")
    check(spec, "GET", "/v2/account/keys", 200, listed.body)
    assert key["id"] in [k["id"] for k in listed.json()["ssh_keys"]]

    deleted = api.delete(f"/v2/account/keys/{key['id']}")
    assert deleted.status == 204
    check(spec, "DELETE", KEY_ITEM, 204, deleted.body)
    missing = api.get(f"/v2/account/keys/{key['id']}")
    assert missing.status == 404
    check(spec, "GET", KEY_ITEM, 404, missing.body)


def test_ssh_key_rules(spec: dict[str, Any], api: Api) -> None:
    assert api.post("/v2/account/keys", {"name": "laptop", "public_key": LAPTOP}).status == 201
    duplicate = api.post("/v2/account/keys", {"name": "again", "public_key": LAPTOP})
    assert duplicate.status == 422 and "already in use" in duplicate.json()["message"]
    check(spec, "POST", "/v2/account/keys", 422, duplicate.body)
    for body in (
        {"name": "x", "public_key": "-----BEGIN OPENSSH PRIVATE KEY-----"},
        {"name": "x", "public_key": "ssh-ed25519 ***"},
        {"public_key": LAPTOP},
        {"name": "x"},
        {"name": "x", "public_key": LAPTOP, "colour": "blue"},
    ):
        assert api.post("/v2/account/keys", body).status == 422, body
    assert api("PUT", "/v2/account/keys/1", {"name": "x"}).status == 404
    assert api.get("/v2/account/keys/not-a-key").status == 404


TAG_ITEM = "/v2/tags/{tag_id}"


def test_tag_lifecycle_answers_match_the_spec(spec: dict[str, Any], api: Api, examples: Any) -> None:
    droplet = api.create("tagged-1", tags=["env:prod"])
    created = api.post("/v2/tags", {"name": "web"})
    assert created.status == 201
    check(spec, "POST", "/v2/tags", 201, created.body)
    assert created.json()["tag"]["resources"]["count"] == 0

    body = {"resources": [{"resource_id": str(droplet["id"]), "resource_type": "droplet"}]}
    tagged = api.post("/v2/tags/web/resources", body)
    assert tagged.status == 204 and tagged.body == b""
    check(spec, "POST", "/v2/tags/{tag_id}/resources", 204, tagged.body)
    assert "web" in api.droplet(droplet["id"])["tags"]

    got = api.get("/v2/tags/web")
    check(spec, "GET", TAG_ITEM, 200, got.body)
    resources = got.json()["tag"]["resources"]
    assert resources["count"] == 1 and resources["droplets"]["count"] == 1
    assert resources["droplets"]["last_tagged_uri"].endswith(f"/v2/droplets/{droplet['id']}")
    import json

    example = json.loads((examples / "tags_get_200.json").read_text())
    assert set(resources) == set(example["tag"]["resources"])

    listed = api.get("/v2/tags")
    check(spec, "GET", "/v2/tags", 200, listed.body)
    assert {t["name"] for t in listed.json()["tags"]} >= {"web", "env:prod"}, "droplet create's tags exist too"

    untagged = api("DELETE", "/v2/tags/web/resources", body)
    assert untagged.status == 204 and "web" not in api.droplet(droplet["id"])["tags"]
    check(spec, "DELETE", "/v2/tags/{tag_id}/resources", 204, untagged.body)

    deleted = api.delete("/v2/tags/env%3Aprod")
    assert deleted.status == 204
    check(spec, "DELETE", TAG_ITEM, 204, deleted.body)
    assert api.droplet(droplet["id"])["tags"] == [], "deleting a tag untags every resource"
    assert api.get("/v2/tags/env:prod").status == 404


def test_tag_rules(spec: dict[str, Any], api: Api) -> None:
    bad = api.post("/v2/tags", {"name": "здорово"})
    assert bad.status == 400
    check(spec, "POST", "/v2/tags", 400, bad.body)
    assert set(bad.json()) == {"error", "messages", "root_causes"}
    assert api.post("/v2/tags", {"name": "x" * 256}).status == 400
    assert api.post("/v2/tags", {"name": "PROD"}).status == 201
    same = api.post("/v2/tags", {"name": "prod"})
    assert same.status == 201 and same.json()["tag"]["name"] == "PROD", "the first capitalisation is canonical"
    assert api.get("/v2/tags/prod").status == 404 and api.get("/v2/tags/PROD").status == 200
    unknown_tag = {"resources": [{"resource_id": "1", "resource_type": "droplet"}]}
    assert api.post("/v2/tags/missing/resources", unknown_tag).status == 404
    assert api.post("/v2/tags/PROD/resources", unknown_tag).status == 404, "no droplet 1"
    as_int = {"resources": [{"resource_id": 1, "resource_type": "droplet"}]}
    assert api.post("/v2/tags/PROD/resources", as_int).status == 422, "resource_id is a string"


def test_account_answer_matches_the_spec_and_its_fixture(spec: dict[str, Any], api: Api, examples: Any) -> None:
    import json

    got = api.get("/v2/account")
    assert got.status == 200
    check(spec, "GET", "/v2/account", 200, got.body)
    assert set(got.json()["account"]) == set(json.loads((examples / "account_get_200.json").read_text())["account"])


VPC_ITEM = "/v2/vpcs/{vpc_id}"


def test_vpc_lifecycle_answers_match_the_spec(spec: dict[str, Any], api: Api, clock: Any) -> None:
    first = api.post("/v2/vpcs", {"name": "prod", "region": "ams3", "ip_range": "10.10.0.0/20", "description": "p"})
    assert first.status == 201, first.body
    check(spec, "POST", "/v2/vpcs", 201, first.body)
    prod = first.json()["vpc"]
    assert prod["default"] is True, "the first VPC of a region becomes its default"
    second = api.post("/v2/vpcs", {"name": "stage", "region": "ams3"}).json()["vpc"]
    assert second["default"] is False and second["ip_range"].endswith("/20"), "a free /20 is picked"

    got = api.get(f"/v2/vpcs/{prod['id']}")
    check(spec, "GET", VPC_ITEM, 200, got.body)
    put = api("PUT", f"/v2/vpcs/{second['id']}", {"name": "stage-2", "default": True})
    assert put.status == 200 and put.json()["vpc"]["default"] is True
    check(spec, "PUT", VPC_ITEM, 200, put.body)
    assert api.get(f"/v2/vpcs/{prod['id']}").json()["vpc"]["default"] is False, "the old default stops being one"
    patched = api("PATCH", f"/v2/vpcs/{prod['id']}", {"description": "production"})
    assert patched.status == 200 and patched.json()["vpc"]["name"] == "prod"
    check(spec, "PATCH", VPC_ITEM, 200, patched.body)

    droplet = api.create("in-vpc", region="ams3", vpc_uuid=prod["id"])
    members = api.get(f"/v2/vpcs/{prod['id']}/members")
    check(spec, "GET", "/v2/vpcs/{vpc_id}/members", 200, members.body)
    assert members.json()["members"][0]["urn"] == f"do:droplet:{droplet['id']}"
    assert api.get(f"/v2/vpcs/{prod['id']}/members?resource_type=loadbalancer").json()["members"] == []
    listed = api.get("/v2/vpcs")
    check(spec, "GET", "/v2/vpcs", 200, listed.body)

    in_use = api.delete(f"/v2/vpcs/{prod['id']}")
    assert in_use.status == 403, "a VPC with members cannot be deleted"
    check(spec, "DELETE", VPC_ITEM, 403, in_use.body)
    default = api.delete(f"/v2/vpcs/{second['id']}")
    assert default.status == 403 and "default" in default.json()["message"]
    api.delete(f"/v2/droplets/{droplet['id']}")
    clock.advance(60)  # a destroyed droplet stays listed (and a member) for a moment
    deleted = api.delete(f"/v2/vpcs/{prod['id']}")
    assert deleted.status == 204
    check(spec, "DELETE", VPC_ITEM, 204, deleted.body)


def test_vpc_rules(api: Api) -> None:
    assert api.post("/v2/vpcs", {"name": "a", "region": "nyc3", "ip_range": "10.20.0.0/16"}).status == 201
    for body in (
        {"name": "b", "region": "nyc3", "ip_range": "10.20.16.0/20"},  # overlaps
        {"name": "c", "region": "nyc3", "ip_range": "8.8.8.0/24"},  # public
        {"name": "d", "region": "nyc3", "ip_range": "10.0.0.0/8"},  # larger than /16
        {"name": "e", "region": "nyc3", "ip_range": "10.30.0.0/29"},  # smaller than /28
        {"name": "a", "region": "nyc3"},  # name taken
        {"name": "under_score", "region": "nyc3"},  # pattern
        {"name": "f", "region": "atlantis"},
        {"region": "nyc3"},
    ):
        assert api.post("/v2/vpcs", body).status == 422, body
    default = api.get("/v2/vpcs").json()["vpcs"][0]
    assert api("PATCH", f"/v2/vpcs/{default['id']}", {"default": False}).status == 422
    assert api("PUT", f"/v2/vpcs/{default['id']}", {"description": "no name"}).status == 422
    elsewhere = api.post("/v2/vpcs", {"name": "far", "region": "sfo3"}).json()["vpc"]
    body = {"name": "x", "region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}
    assert api.post("/v2/droplets", {**body, "vpc_uuid": elsewhere["id"]}).status == 422, "a VPC of another region"
    assert api.get("/v2/vpcs/00000000-0000-4000-8000-000000000000").status == 404


def test_image_answers_match_the_spec(spec: dict[str, Any], api: Api, clock: Any) -> None:
    droplet = api.create("imaged")
    clock.advance(60)
    assert api.action(droplet["id"], "snapshot", name="snap").status == 201
    clock.advance(120)
    image_id = api.droplet(droplet["id"])["snapshot_ids"][0]
    item = "/v2/images/{image_id}"
    updated = api("PUT", f"/v2/images/{image_id}", {"name": "golden", "distribution": "Plan 9"})
    assert updated.status == 200 and updated.json()["image"]["distribution"] == "Unknown"
    check(spec, "PUT", item, 200, updated.body)
    posted = api.post(f"/v2/images/{image_id}/actions", {"type": "transfer", "region": "ams3"})
    assert posted.status == 201
    check(spec, "POST", "/v2/images/{image_id}/actions", 201, posted.body)
    action_id = posted.json()["action"]["id"]
    listed = api.get(f"/v2/images/{image_id}/actions")
    assert [a["id"] for a in listed.json()["actions"]] == [action_id]
    check(spec, "GET", "/v2/images/{image_id}/actions", 200, listed.body)
    got = api.get(f"/v2/images/{image_id}/actions/{action_id}")
    assert got.status == 200 and got.json()["action"]["resource_type"] == "image"
    assert api.post(f"/v2/images/{image_id}/actions", {"type": "convert"}).status == 422, "not a backup"
    public_id = api.get("/v2/images?type=distribution").json()["images"][0]["id"]
    assert api("PUT", f"/v2/images/{public_id}", {"name": "x"}).status == 404, "a public image is not the account's"
    deleted = api.delete(f"/v2/images/{image_id}")
    assert deleted.status == 204
    check(spec, "DELETE", item, 204, deleted.body)
    assert image_id not in api.droplet(droplet["id"])["snapshot_ids"]


def test_snapshot_answers_match_the_spec(spec: dict[str, Any], api: Api, clock: Any) -> None:
    droplet = api.create("snapped", backups=True)
    clock.advance(60)
    assert api.action(droplet["id"], "snapshot", name="snap").status == 201
    clock.advance(120)
    snapshot_id = api.droplet(droplet["id"])["snapshot_ids"][0]
    listed = api.get("/v2/snapshots?resource_type=droplet")
    check(spec, "GET", "/v2/snapshots", 200, listed.body)
    assert [s["id"] for s in listed.json()["snapshots"]] == [str(snapshot_id)]
    assert api.get("/v2/snapshots?resource_type=volume").json()["snapshots"] == []
    assert api.get("/v2/snapshots?resource_type=image").status == 400
    got = api.get(f"/v2/snapshots/{snapshot_id}")
    check(spec, "GET", "/v2/snapshots/{snapshot_id}", 200, got.body)
    assert got.json()["snapshot"]["resource_id"] == str(droplet["id"])
    clock.advance(3 * 86400)
    backup_id = api.droplet(droplet["id"])["backup_ids"][0]
    not_one = api.get(f"/v2/snapshots/{backup_id}")
    assert not_one.status == 400 and not_one.json()["message"] == "the resource is not a snapshot"
    check(spec, "GET", "/v2/snapshots/{snapshot_id}", 400, not_one.body)
    deleted = api.delete(f"/v2/snapshots/{snapshot_id}")
    assert deleted.status == 204
    check(spec, "DELETE", "/v2/snapshots/{snapshot_id}", 204, deleted.body)
    assert api.get(f"/v2/snapshots/{snapshot_id}").status == 404
