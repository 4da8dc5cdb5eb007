"""Reserved IP arguments refused before anything is sent."""

from __future__ import annotations

from typing import Any

import pytest

from droplets import Client, ReservedIP, ValidationError
from droplets.models.reserved_ip import check_ip


def _sent(client: Client) -> int:
    return len(client.transport.sandbox.requests)  # type: ignore[attr-defined]


@pytest.mark.parametrize("value", ["45.55.96", "045.55.96.47", "45.55.96.300", "::1", 758604968, "", None])
def test_a_reserved_ip_is_named_by_its_ipv4_address(value: Any) -> None:
    with pytest.raises(ValidationError, match="IPv4 address"):
        check_ip(value)
    assert check_ip("45.55.96.47") == "45.55.96.47"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "either region="),
        ({"region": "nyc3", "droplet": 1}, "either region="),
        ({"droplet": 0}, "positive integer"),
        ({"droplet": 1, "project_id": "p"}, "project_id goes with region="),
        ({"region": ""}, "region slug"),
        ({"region": "nyc3", "wait": True, "poll": 0}, "poll"),
    ],
)
def test_create_refuses_before_sending(kwargs: dict[str, Any], message: str) -> None:
    client = Client.sandbox()
    with pytest.raises(ValidationError, match=message):
        client.reserved_ips.create(**kwargs)
    assert _sent(client) == 0


def test_get_by_address_and_assign_checks_the_region() -> None:
    client = Client.sandbox()
    with pytest.raises(ValidationError, match="IPv4 address"):
        client.reserved_ips.get(7)
    ip = client.reserved_ips.create(region="nyc3")
    d = client.droplets.create(name="eu-1", region="ams3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64")
    before = _sent(client)
    with pytest.raises(ValidationError, match="its region"):
        ip.assign(d)
    assert _sent(client) == before
    assert isinstance(ip, ReservedIP) and repr(ip) == f"<ReservedIP {ip.ip} nyc3 unassigned>"
