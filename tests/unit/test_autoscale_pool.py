"""Autoscale pools on the client side: the spec's rules before sending, the oneOf config, the dangerous delete."""

from __future__ import annotations

from typing import Any

import pytest

from droplets import AutoscalePool, Client, UnexpectedResponse, ValidationError
from droplets._converter import strict, structure_wire
from droplets.models.autoscale_pool import DynamicConfig, StaticConfig
from tests.conftest import MockTransport, json_response, load_example

TEMPLATE = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64", "ssh_keys": ["1234"]}
POOL = "0d3db13e-a604-4944-9827-7ec2642d32ac"


def _client(body: Any = None, status: int = 200) -> tuple[Client, MockTransport]:
    transport = MockTransport(lambda request: json_response(status, body))
    return Client(token="secret-token", transport=transport), transport


@pytest.mark.parametrize(
    ("config", "template", "message"),
    [
        ({"target_number_instances": 0}, TEMPLATE, "target_number_instances"),
        ({"target_number_instances": 1001}, TEMPLATE, "target_number_instances"),
        ({"target_number_instances": True}, TEMPLATE, "target_number_instances"),
        ({"min_instances": 3, "max_instances": 2}, TEMPLATE, "above max_instances"),
        ({"min_instances": 501, "max_instances": 600}, TEMPLATE, "min_instances"),
        ({"min_instances": 1, "max_instances": 2, "target_cpu_utilization": 60}, TEMPLATE, "target_cpu_utilization"),
        ({"min_instances": 1, "max_instances": 2, "cooldown_minutes": 30}, TEMPLATE, "cooldown_minutes"),
        ({"target_number_instances": 2, "min_instances": 1, "max_instances": 2}, TEMPLATE, "not both"),
        ({}, TEMPLATE, "not both nor neither"),
        ({"min_instances": 1}, TEMPLATE, "max_instances"),
        ({"target_number_instances": 2, "surprise": 1}, TEMPLATE, "surprise"),
        ({"target_number_instances": 2}, {**TEMPLATE, "region": "mars1"}, "region"),
        ({"target_number_instances": 2}, {**TEMPLATE, "ssh_keys": "1234"}, "must be a list"),
        ({"target_number_instances": 2}, {**TEMPLATE, "public_networking": False, "ipv6": True}, "ipv6=False"),
        ({"target_number_instances": 2}, {**TEMPLATE, "user_data": "x" * (64 * 1024 + 1)}, "64 KiB"),
        ({"target_number_instances": 2}, {k: v for k, v in TEMPLATE.items() if k != "size"}, "size"),
        ({"target_number_instances": 2}, {**TEMPLATE, "image": " "}, "image"),
    ],
)
def test_what_the_spec_rules_out_is_refused_before_sending(
    config: dict[str, Any], template: dict[str, Any], message: str
) -> None:
    client, transport = _client()
    with pytest.raises(ValidationError, match=message):
        client.autoscale_pools.create(name="web", config=config, droplet_template=template)
    assert transport.requests == []


def test_an_empty_name_or_a_bad_id_is_refused_before_sending() -> None:
    client, transport = _client()
    with pytest.raises(ValidationError, match="name"):
        client.autoscale_pools.create(name=" ", config={"target_number_instances": 1}, droplet_template=TEMPLATE)
    with pytest.raises(ValidationError, match="UUID"):
        client.autoscale_pools.get(123)
    assert transport.requests == []


def test_the_config_is_structured_by_its_shape() -> None:
    static = load_example("autoscalepools_create_202_static.json")["autoscale_pool"]
    dynamic = load_example("autoscalepools_get_200.json")["autoscale_pool"]
    assert isinstance(structure_wire(static, AutoscalePool).config, StaticConfig)
    pool = structure_wire(dynamic, AutoscalePool)
    assert pool.config == DynamicConfig(1, 5, target_cpu_utilization=0.5, cooldown_minutes=10)
    assert structure_wire(dynamic, AutoscalePool, conv=strict).config == pool.config


def test_a_config_of_neither_shape_is_an_unexpected_response_naming_it() -> None:
    body = load_example("autoscalepools_get_200.json")["autoscale_pool"]
    with pytest.raises(UnexpectedResponse) as caught:
        structure_wire({**body, "config": {"max_instances": "five"}}, AutoscalePool)
    assert "config" in str(caught.value)


def test_the_dangerous_delete_sends_x_dangerous_and_keeps_the_clients_own_headers() -> None:
    client, transport = _client(load_example("autoscalepools_get_200.json"))
    pool = client.autoscale_pools.get(POOL)
    transport.handler = lambda request: json_response(202, None)
    pool.destroy(with_droplets=True)
    request = transport.requests[-1]
    assert request.method == "DELETE" and request.url.endswith(f"/v2/droplets/autoscale/{POOL}/dangerous")
    assert request.headers["X-Dangerous"] == "true"
    assert request.headers["Authorization"] == "Bearer secret-token"
    pool.destroy()
    assert transport.requests[-1].url.endswith(f"/v2/droplets/autoscale/{POOL}")
    assert "X-Dangerous" not in transport.requests[-1].headers


def test_extra_headers_cannot_replace_the_authorization() -> None:
    client, transport = _client({"ok": True})
    client.request("GET", "/v2/account", headers={"authorization": "Bearer other", "X-Trace": "1"})
    headers = transport.requests[-1].headers
    assert headers["Authorization"] == "Bearer secret-token" and "authorization" not in headers
    assert headers["X-Trace"] == "1"


def test_fields_are_read_only_and_django_habits_get_hints() -> None:
    client, _ = _client(load_example("autoscalepools_get_200.json"))
    pool = client.autoscale_pools.get(POOL)
    with pytest.raises(AttributeError, match=r"pool.update\(config="):
        pool.config = StaticConfig(3)  # type: ignore[misc]
    with pytest.raises(AttributeError, match=r"pool.destroy\(\)"):
        pool.delete()  # type: ignore[attr-defined]
    assert "test-autoscaler-group-01" in repr(pool) and "1-5 droplets" in repr(pool)
