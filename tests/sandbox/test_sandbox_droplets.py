"""Behaviour of /v2/droplets: create, list (filters, pages), get, destroy."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sandbox_api import Api

from droplets.sandbox import Sandbox, VirtualClock


def test_create_single_answers_202_with_new_droplet_and_action_link(api: Api) -> None:
    response = api.post(
        "/v2/droplets",
        {"name": "web-1", "region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64", "tags": ["web"]},
    )
    assert response.status == 202
    body = response.json()
    droplet = body["droplet"]
    assert droplet["status"] == "new"
    assert droplet["networks"] == {"v4": [], "v6": []}
    assert droplet["region"]["slug"] == "nyc3" and droplet["size_slug"] == "s-1vcpu-1gb"
    assert droplet["image"]["slug"] == "ubuntu-24-04-x64"
    assert droplet["tags"] == ["web"]
    [link] = body["links"]["actions"]
    assert link["rel"] == "create"
    assert link["href"] == f"https://api.digitalocean.com/v2/actions/{link['id']}"
    action = api.get(f"/v2/actions/{link['id']}").json()["action"]
    assert action["type"] == "create" and action["status"] == "in-progress"
    assert action["resource_id"] == droplet["id"]


def test_create_multi_answers_droplets_and_one_link_each(api: Api) -> None:
    body = {"names": ["a-1", "a-2", "a-3"], "region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}
    response = api.post("/v2/droplets", body)
    assert response.status == 202
    payload = response.json()
    assert [d["name"] for d in payload["droplets"]] == ["a-1", "a-2", "a-3"]
    assert len(payload["links"]["actions"]) == 3
    assert len({d["id"] for d in payload["droplets"]}) == 3


def test_create_completes_to_active_then_gets_networks(api: Api, clock: VirtualClock) -> None:
    droplet = api.create(ipv6=True)
    clock.advance(29)
    assert api.droplet(droplet["id"])["status"] == "new"
    clock.advance(1)
    active = api.droplet(droplet["id"])
    assert active["status"] == "active" and active["locked"] is False
    assert active["networks"] == {"v4": [], "v6": []}, "addresses come a little after active"
    clock.advance(3)
    done = api.droplet(droplet["id"])
    kinds = sorted(n["type"] for n in done["networks"]["v4"])
    assert kinds == ["private", "public"]
    assert done["networks"]["v6"][0]["netmask"] == 64
    assert "ipv6" in done["features"]


def test_create_without_ipv6_has_no_v6_and_public_networking_false_has_no_public(api: Api, clock: VirtualClock) -> None:
    plain = api.create("plain")
    private = api.create("private-only", public_networking=False)
    clock.advance(60)
    assert api.droplet(plain["id"])["networks"]["v6"] == []
    assert [n["type"] for n in api.droplet(private["id"])["networks"]["v4"]] == ["private"]


def test_create_without_region_picks_one_and_prefix_region_is_accepted(api: Api) -> None:
    droplet = api.post("/v2/droplets", {"name": "x", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"})
    assert droplet.status == 202
    prefixed = api.create("y", region="nyc")
    assert prefixed["region"]["slug"].startswith("nyc")


def test_get_unknown_droplet_is_404(api: Api) -> None:
    response = api.get("/v2/droplets/999")
    assert response.status == 404
    assert response.json()["id"] == "not_found"


def test_destroy_answers_204_empty_stays_visible_a_moment_then_404(api: Api, clock: VirtualClock) -> None:
    droplet = api.create()
    path = f"/v2/droplets/{droplet['id']}"
    response = api.delete(path)
    assert response.status == 204 and response.body == b""
    going = api.get(path)
    assert going.status == 200 and going.json()["droplet"]["locked"] is True
    assert api.delete(path).status == 204, "deleting again while it goes changes nothing"
    assert api.post(f"{path}/actions", {"type": "reboot"}).status == 422
    clock.advance(5)
    assert api.get(path).status == 404
    assert api.delete(path).status == 404


def test_destroy_by_tag_removes_only_tagged(api: Api, sb: Sandbox) -> None:
    sb.seed_droplets(3, tag="web")
    sb.seed_droplets(2, tag="db")
    response = api.delete("/v2/droplets?tag_name=web")
    assert response.status == 204 and response.body == b""
    sb.clock.advance(5)
    assert sorted({t for d in sb.droplets() for t in d["tags"]}) == ["db"]
    assert api.delete("/v2/droplets").status == 400


def _names(response: Any) -> list[str]:
    return [d["name"] for d in response.json()["droplets"]]


def test_list_filters_by_tag_name_and_type(api: Api, sb: Sandbox) -> None:
    sb.seed_droplets(2, tag="web")
    sb.seed_droplets(1, tag="db")
    sb.seed_droplets(1, tag="ml", region="tor1", size="gpu-h100x1-80gb", image="gpu-h100x1-base")
    assert _names(api.get("/v2/droplets?tag_name=web")) == ["web-1", "web-2"]
    assert _names(api.get("/v2/droplets?name=WEB-2")) == ["web-2"]
    assert _names(api.get("/v2/droplets")) == ["web-1", "web-2", "db-3"]
    gpus = api.get("/v2/droplets?type=gpus").json()["droplets"]
    assert [d["name"] for d in gpus] == ["ml-4"] and "gpu_info" in gpus[0]
    assert _names(api.get("/v2/droplets?type=droplets")) == ["web-1", "web-2", "db-3"]


@pytest.mark.parametrize("query", ["tag_name=web&name=web-1", "tag_name=web&type=gpus", "type=vms"])
def test_list_rejects_bad_filter_combinations(api: Api, query: str) -> None:
    response = api.get(f"/v2/droplets?{query}")
    assert response.status == 400
    assert response.json()["id"] == "bad_request"


def test_pagination_walks_all_pages_with_absolute_links(api: Api, sb: Sandbox) -> None:
    sb.seed_droplets(45, tag="web")
    url: str | None = "/v2/droplets?tag_name=web&per_page=20"
    seen: list[int] = []
    pages = 0
    while url:
        response = api.get(url)
        body = response.json()
        assert body["meta"]["total"] == 45
        seen += [d["id"] for d in body["droplets"]]
        pages += 1
        next_url = body["links"].get("pages", {}).get("next")
        if next_url:
            parts = urlsplit(next_url)
            assert f"{parts.scheme}://{parts.netloc}" == "https://api.digitalocean.com"
            query = parse_qs(parts.query)
            assert query["per_page"] == ["20"] and query["tag_name"] == ["web"]
            url = f"{parts.path}?{parts.query}"
        else:
            url = None
    assert pages == 3 and len(seen) == len(set(seen)) == 45


def test_page_links_first_prev_next_last(api: Api, sb: Sandbox) -> None:
    sb.seed_droplets(5)
    first = api.get("/v2/droplets?per_page=2").json()["links"]["pages"]
    assert set(first) == {"next", "last"}
    assert first["last"] == "https://api.digitalocean.com/v2/droplets?page=3&per_page=2"
    middle = api.get("/v2/droplets?per_page=2&page=2").json()["links"]["pages"]
    assert set(middle) == {"first", "prev", "next", "last"}
    last = api.get("/v2/droplets?per_page=2&page=3").json()
    assert set(last["links"]["pages"]) == {"first", "prev"} and len(last["droplets"]) == 1
    assert api.get("/v2/droplets").json()["links"] == {}


@pytest.mark.parametrize("query", ["per_page=0", "per_page=201", "per_page=x", "page=0"])
def test_bad_paging_parameters_are_400(api: Api, query: str) -> None:
    response = api.get(f"/v2/droplets?{query}")
    assert response.status == 400 and response.json()["id"] == "bad_request"


def test_per_page_200_is_the_maximum(api: Api, sb: Sandbox) -> None:
    sb.seed_droplets(250)
    body = api.get("/v2/droplets?per_page=200").json()
    assert len(body["droplets"]) == 200 and body["meta"]["total"] == 250


_BASE = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**_BASE, "name": 5}, "name"),
        ({**_BASE, "name": "bad_name!"}, "name"),
        ({**_BASE, "name": "trailing-"}, "name"),
        ({**_BASE, "name": "x" * 256}, "name"),
        ({"region": "nyc3", "image": "ubuntu-24-04-x64", "name": "ok"}, "size"),
        ({"region": "nyc3", "size": "s-1vcpu-1gb", "name": "ok"}, "image"),
        ({**_BASE}, "name"),
        ({**_BASE, "name": "ok", "backups": "yes"}, "backups"),
        ({**_BASE, "name": "ok", "tags": [1]}, "tags[0]"),
        ({**_BASE, "name": "ok", "tags": ["bad tag"]}, "tags"),
        ({**_BASE, "name": "ok", "backup_policy": {"plan": "hourly"}}, "backup_policy.plan"),
        ({**_BASE, "names": [f"n{i}" for i in range(11)]}, "names"),
        ({**_BASE, "names": ["ok", "bad name"]}, "names[1]"),
        ({**_BASE, "name": "a", "names": ["b"]}, "name"),
        ({**_BASE, "name": "ok", "size": "s-99vcpu"}, "size"),
        ({**_BASE, "name": "ok", "image": "windows-xp"}, "image"),
        ({**_BASE, "name": "ok", "region": "mars1"}, "region"),
        ({**_BASE, "name": "ok", "region": "ams2"}, "region"),
        ({**_BASE, "name": "ok", "user_data": "x" * (64 * 1024 + 1)}, "user_data"),
        ({**_BASE, "name": "ok", "ipv6": True, "public_networking": False}, "ipv6"),
    ],
)
def test_create_rejects_invalid_bodies_with_422_naming_the_field(api: Api, body: dict[str, Any], field: str) -> None:
    response = api.post("/v2/droplets", body)
    assert response.status == 422, response.body
    error = response.json()
    assert error["id"] == "unprocessable_entity"
    assert field in error["message"]
    assert error["request_id"] == response.headers["x-request-id"]


def test_gpu_size_only_in_its_region(api: Api) -> None:
    body = {"name": "ml", "region": "nyc3", "size": "gpu-h100x1-80gb", "image": "gpu-h100x1-base"}
    assert api.post("/v2/droplets", body).status == 422
    assert api.post("/v2/droplets", {**body, "region": "tor1"}).status == 202


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"", b"\xff\xfe"])
def test_malformed_body_is_400(api: Api, raw: bytes) -> None:
    response = api("POST", "/v2/droplets", raw=raw)
    assert response.status == 400 and response.json()["id"] == "bad_request"


def test_seed_droplets_is_complete(sb: Sandbox, api: Api) -> None:
    ids = sb.seed_droplets(10_000, tag="bench")
    assert len(ids) == 10_000
    body = api.get("/v2/droplets?per_page=200&page=50").json()
    assert body["meta"]["total"] == 10_000 and len(body["droplets"]) == 200
    assert body["droplets"][-1]["status"] == "active"


def test_seed_droplets_rejects_unknown_catalog_entries(sb: Sandbox) -> None:
    with pytest.raises(ValueError):
        sb.seed_droplets(1, region="mars1")
    with pytest.raises(ValueError):
        sb.seed_droplets(1, status="new")


def test_droplets_snapshot_is_independent_of_state(sb: Sandbox) -> None:
    sb.seed_droplets(1)
    copy = sb.droplets()
    copy[0]["region"]["slug"] = "changed"
    assert sb.droplets()[0]["region"]["slug"] == "nyc3"


def test_null_optional_fields_count_as_absent_but_null_required_fields_do_not(api: Api) -> None:
    body = {**_BASE, "name": "nulls", "vpc_uuid": None, "tags": None, "user_data": None, "names": None}
    response = api.post("/v2/droplets", body)
    assert response.status == 202, response.body
    assert response.json()["droplet"]["tags"] == []
    missing = api.post("/v2/droplets", {**_BASE, "name": "x", "size": None})
    assert missing.status == 422 and "size" in missing.json()["message"]


def test_destroy_by_an_unknown_tag_is_404_as_the_spec_declares(api: Api, sb: Sandbox) -> None:
    response = api.delete("/v2/droplets?tag_name=never-used")
    assert response.status == 404 and response.json()["id"] == "not_found"
    sb.seed_droplets(2, tag="web")
    assert api.delete("/v2/droplets?tag_name=web").status == 204
    assert api.delete("/v2/droplets?tag_name=web").status == 204, "the tag outlives its droplets"


def test_the_create_answer_is_unlocked_like_the_spec_example(api: Api) -> None:
    body = {"names": ["m-1", "m-2"], "region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}
    created = api.post("/v2/droplets", body).json()["droplets"]
    assert [d["locked"] for d in created] == [False, False]
