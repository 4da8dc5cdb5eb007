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
