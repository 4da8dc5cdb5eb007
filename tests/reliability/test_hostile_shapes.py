"""Bodies that bend the model: new enum values are kept, wrong types are refused with the field's path."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

import droplets
from droplets import Droplet
from droplets._converter import strict as strict_converter
from droplets._converter import structure_wire
from tests.reliability.hostile import client_for, droplet_bodies, dumps, page, raw


def _set_status(body: dict[str, Any]) -> None:
    body["status"] = "migrating"


def _set_image_type(body: dict[str, Any]) -> None:
    body["image"]["type"] = "appliance"


def _set_image_status(body: dict[str, Any]) -> None:
    body["image"]["status"] = "archived"


def _set_network_type(body: dict[str, Any]) -> None:
    body["networks"]["v4"] = [{"ip_address": "10.1.2.3", "netmask": "255.255.0.0", "gateway": "nil", "type": "vpc"}]


def _set_disk_type(body: dict[str, Any]) -> None:
    body["disk_info"] = [{"type": "nvme-cache", "size": {"amount": 100, "unit": "gib"}}]


NEW_VALUES: dict[str, tuple[Callable[[dict[str, Any]], None], Callable[[Droplet], Any], str]] = {
    "status": (_set_status, lambda d: d.status, "migrating"),
    "image.type": (_set_image_type, lambda d: d.image.type, "appliance"),
    "image.status": (_set_image_status, lambda d: d.image.status, "archived"),
    "networks.v4.type": (_set_network_type, lambda d: d.networks.v4[0].type, "vpc"),
    "disk_info.type": (_set_disk_type, lambda d: d.disk_info[0].type if d.disk_info else None, "nvme-cache"),
}


@pytest.mark.parametrize("where", sorted(NEW_VALUES))
def test_a_value_digitalocean_adds_later_does_not_break_a_listing(where: str) -> None:
    change, read, expected = NEW_VALUES[where]
    bodies = droplet_bodies(3)
    change(bodies[1])
    client, _ = client_for(lambda request: page(bodies, 3))
    listed = list(client.droplets.all())
    assert [d.id for d in listed] == [b["id"] for b in bodies]
    assert read(listed[1]) == expected and type(read(listed[1])) is str
    one, _ = client_for(lambda request: raw(200, dumps({"droplet": bodies[1]})))
    assert read(one.droplets.get(id=bodies[1]["id"])) == expected


@pytest.mark.parametrize("where", sorted(NEW_VALUES))
def test_the_strict_converter_of_the_test_suite_still_flags_new_values(where: str) -> None:
    change, _, expected = NEW_VALUES[where]
    [body] = droplet_bodies(1)
    change(body)
    with pytest.raises(droplets.UnexpectedResponse) as caught:
        structure_wire(body, Droplet, conv=strict_converter)
    assert expected in str(caught.value) and "documented values" in str(caught.value)


def test_known_values_still_pass_strictly_and_non_strings_are_refused_everywhere() -> None:
    [body] = droplet_bodies(1)
    assert structure_wire(body, Droplet, conv=strict_converter).status in ("new", "active", "off", "archive")
    broken = dict(body, status=5)
    with pytest.raises(droplets.UnexpectedResponse) as caught:
        structure_wire(broken, Droplet)
    assert caught.value.path == "Droplet.status"


@pytest.mark.parametrize(
    ("field", "value"),
    [("image", []), ("image", "ubuntu-24-04-x64"), ("networks", []), ("region", "nyc3"), ("size", [1]), ("kernel", 7)],
)
def test_a_nested_object_of_the_wrong_json_type_is_refused_with_its_path(field: str, value: Any) -> None:
    bodies = droplet_bodies(2)
    bad = copy.deepcopy(bodies[0])
    bad[field] = value
    one, _ = client_for(lambda request: raw(200, dumps({"droplet": bad})))
    with pytest.raises(droplets.UnexpectedResponse) as caught:
        one.droplets.get(id=bad["id"])
    assert caught.value.path == f"Droplet.{field}"
    assert "expected a JSON object" in str(caught.value)
    listing, _ = client_for(lambda request: page([bodies[1], bad], 2))
    with pytest.raises(droplets.UnexpectedResponse) as caught:
        list(listing.droplets.all())
    assert caught.value.path == f"Droplet.{field}"
