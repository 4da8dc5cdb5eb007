"""The sandbox's firewalls: spec-valid answers, droplets reached by id or tag, and the 400s the spec declares."""

from __future__ import annotations

from typing import Any

from sandbox_api import Api
from test_sandbox_schema import check

SSH = {"protocol": "tcp", "ports": "22", "sources": {"addresses": ["0.0.0.0/0", "::/0"]}}
PING = {"protocol": "icmp", "ports": "0", "destinations": {"addresses": ["0.0.0.0/0"]}}


def test_every_firewall_answer_matches_the_spec(spec: dict[str, Any], api: Api, active: dict[str, Any]) -> None:
    api.post("/v2/tags", {"name": "web"})
    created = api.post("/v2/firewalls", {"name": "web-fw", "inbound_rules": [SSH], "droplet_ids": [active["id"]]})
    assert created.status == 202, created.body
    check(spec, "POST", "/v2/firewalls", 202, created.body)
    fw = created.json()["firewall"]
    assert fw["status"] == "waiting" and fw["pending_changes"][0]["droplet_id"] == active["id"]
    base = f"/v2/firewalls/{fw['id']}"
    for path, template in [
        ("/v2/firewalls", "/v2/firewalls"),
        (base, "/v2/firewalls/{firewall_id}"),
        (f"/v2/droplets/{active['id']}/firewalls", "/v2/droplets/{droplet_id}/firewalls"),
    ]:
        answer = api.get(path)
        assert answer.status == 200
        check(spec, "GET", template, 200, answer.body)
    assert api.get(base).json()["firewall"]["status"] == "succeeded"
    for method, sub, body in [
        ("POST", "tags", {"tags": ["web"]}),
        ("DELETE", "tags", {"tags": ["web"]}),
        ("POST", "rules", {"outbound_rules": [PING]}),
        ("DELETE", "rules", {"outbound_rules": [PING]}),
        ("DELETE", "droplets", {"droplet_ids": [active["id"]]}),
        ("POST", "droplets", {"droplet_ids": [active["id"]]}),
    ]:
        answer = api(method, f"{base}/{sub}", body)
        assert answer.status == 204, (method, sub, answer.body)
        check(spec, method, f"/v2/firewalls/{{firewall_id}}/{sub}", 204, answer.body)
    replaced = api("PUT", base, {"name": "web-fw-2", "outbound_rules": [PING]})
    assert replaced.status == 200
    check(spec, "PUT", "/v2/firewalls/{firewall_id}", 200, replaced.body)
    after = replaced.json()["firewall"]
    assert after["inbound_rules"] == [] and after["droplet_ids"] == []  # a PUT resets what it leaves out
    deleted = api.delete(base)
    assert deleted.status == 204
    check(spec, "DELETE", "/v2/firewalls/{firewall_id}", 204, deleted.body)


def test_the_declared_400s(api: Api, active: dict[str, Any]) -> None:
    cases = [
        {"name": "x", "inbound_rules": [SSH]},  # too short
        {"name": "web-fw"},  # no rule
        {"name": "web-fw", "inbound_rules": [{**SSH, "protocol": "sctp"}]},
        {"name": "web-fw", "inbound_rules": [{**SSH, "ports": "0-70000"}]},
        {"name": "web-fw", "inbound_rules": [{**SSH, "sources": {}}]},
        {"name": "web-fw", "inbound_rules": [{**SSH, "sources": {"tags": ["no-such-tag"]}}]},
        {"name": "web-fw", "inbound_rules": [SSH], "droplet_ids": [999999]},
    ]
    for body in cases:
        assert api.post("/v2/firewalls", body).status == 400, body


def test_a_destroyed_droplet_leaves_its_firewalls(api: Api, active: dict[str, Any]) -> None:
    fw = api.post("/v2/firewalls", {"name": "fw", "inbound_rules": [SSH], "droplet_ids": [active["id"]]}).json()
    api.delete(f"/v2/droplets/{active['id']}")
    assert api.get(f"/v2/firewalls/{fw['firewall']['id']}").json()["firewall"]["droplet_ids"] == []
