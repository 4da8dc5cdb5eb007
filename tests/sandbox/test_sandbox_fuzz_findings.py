"""Regressions for what the schemathesis run over the served sandbox found."""

from __future__ import annotations

from sandbox_api import Api


def test_a_tag_create_body_that_is_not_an_object_is_400_in_the_tag_error_shape(api: Api) -> None:
    response = api("POST", "/v2/tags", raw=b"[null, null]")
    assert response.status == 400
    body = response.json()
    assert {"error", "root_causes"} <= set(body) and "JSON object" in body["error"]


def test_a_volume_action_type_that_is_not_a_string_is_422_not_500(api: Api) -> None:
    created = api.post("/v2/volumes", {"name": "fuzz-vol", "size_gigabytes": 10, "region": "nyc3"})
    assert created.status == 201, created.body
    volume_id = created.json()["volume"]["id"]
    for kind in ({}, [], 3, None):
        response = api.post(f"/v2/volumes/{volume_id}/actions", {"type": kind})
        assert response.status == 422, (kind, response.body)


def test_a_null_vpc_description_clears_it_and_stays_a_string(api: Api) -> None:
    """Schemathesis: PUT/PATCH ``{"description": null}`` stored null, which the vpc schema forbids."""
    vpc = api.post("/v2/vpcs", {"name": "fuzz-vpc", "region": "nyc1", "description": "x"}).json()["vpc"]
    for method, body in (("PATCH", {"description": None}), ("PUT", {"name": "fuzz-vpc", "description": None})):
        answer = api(method, f"/v2/vpcs/{vpc['id']}", body)
        assert answer.status == 200 and answer.json()["vpc"]["description"] == ""
    assert api(method, f"/v2/vpcs/{vpc['id']}", {"name": None}).status == 422
    assert all(isinstance(v["description"], str) for v in api.get("/v2/vpcs").json()["vpcs"])


def test_an_autoscale_config_value_of_the_wrong_type_is_422_not_500(api: Api) -> None:
    """Schemathesis: ``"target_memory_utilization": {}`` reached the range check and answered 500."""
    template = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64", "ssh_keys": []}
    for value in ({}, [], "0.5", True):
        config = {"min_instances": 1, "max_instances": 2, "target_memory_utilization": value}
        response = api.post("/v2/droplets/autoscale", {"name": "p", "config": config, "droplet_template": template})
        assert response.status in (400, 422), (value, response.body)


def test_autoscale_nulls_are_not_given_and_bad_template_tags_are_refused(api: Api) -> None:
    """Schemathesis: a null ``user_data`` answered 500, and template tags were stored unchecked."""
    template = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64", "ssh_keys": []}
    nulls = {**template, "user_data": None, "name": None, "vpc_uuid": None, "tags": None}
    created = api.post(
        "/v2/droplets/autoscale", {"name": "n", "config": {"target_number_instances": 1}, "droplet_template": nulls}
    )
    assert created.status == 202, created.body
    bad = {**template, "tags": ["\u00e0\u0015\f"]}
    refused = api.post(
        "/v2/droplets/autoscale", {"name": "t", "config": {"target_number_instances": 1}, "droplet_template": bad}
    )
    assert refused.status == 422
    assert all(t["name"] != "\u00e0\u0015\f" for t in api.get("/v2/tags").json()["tags"])
