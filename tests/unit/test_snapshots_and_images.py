"""A droplet's snapshots and backups are `Snapshot`s; `Image` is as strict as the spec's examples."""

from __future__ import annotations

import typing
from typing import Any

import attrs
import pytest

import droplets
from droplets import Client, Droplet, Image, Request, Response, Snapshot, UnexpectedResponse
from droplets.retry import RetryPolicy
from tests.conftest import MockTransport, json_response, load_example

REQUIRED_IMAGE_FIELDS = {
    "id", "name", "distribution", "slug", "public", "regions", "created_at", "min_disk_size",
    "size_gigabytes", "description", "tags", "status",
}  # fmt: skip


def _client(answers: dict[str, Any]) -> tuple[Client, MockTransport]:
    def handler(request: Request) -> Response:
        path = request.url.split("api.digitalocean.com", 1)[1].split("?")[0]
        return json_response(200, answers[path])

    transport = MockTransport(handler)
    client = Client(
        token="t", base_url="https://api.digitalocean.com", transport=transport, retry=RetryPolicy(attempts=1)
    )
    return client, transport


def test_snapshots_and_backups_are_snapshot_models() -> None:
    droplet = load_example("droplets_get_200.json")
    client, _ = _client(
        {
            "/v2/droplets/3164444": droplet,
            "/v2/droplets/3164444/snapshots": load_example("droplets_list_snapshots_200.json"),
            "/v2/droplets/3164444/backups": load_example("droplets_list_backups_200.json"),
        }
    )
    d = Droplet.objects.using(client).get(id=3164444)
    (snapshot,) = d.snapshots()
    (backup,) = d.backups()
    assert type(snapshot) is Snapshot and type(backup) is Snapshot and droplets.Snapshot is Snapshot
    assert (snapshot.id, snapshot.type, snapshot.regions) == (6372321, "snapshot", ["nyc3", "sfo3"])
    assert (backup.id, backup.type, backup.distribution, backup.public) == (67539192, "backup", "Ubuntu", False)
    assert snapshot.created_at.tzinfo is not None and snapshot.size_gigabytes == 2.34
    assert snapshot.to_dict() == {
        **load_example("droplets_list_snapshots_200.json")["snapshots"][0],
        "slug": None,
    }
    assert backup.to_dict() == load_example("droplets_list_backups_200.json")["backups"][0]


def test_a_snapshot_missing_a_required_field_is_an_unexpected_response() -> None:
    body = load_example("droplets_list_snapshots_200.json")
    del body["snapshots"][0]["created_at"]
    client, _ = _client({"/v2/droplets/3164444/snapshots": body})
    with pytest.raises(UnexpectedResponse, match="created_at"):
        Droplet.objects.using(client).ref(3164444).snapshots()


def test_snapshot_has_the_fields_of_the_account_wide_shape_as_optional() -> None:
    fields = {f.name: f for f in attrs.fields(Snapshot)}
    for name in ("type", "resource_id", "resource_type", "tags", "distribution", "slug", "public"):
        assert fields[name].default is None, f"{name} must be optional: one of the two shapes leaves it out"
    for name in ("id", "name", "created_at", "regions", "min_disk_size", "size_gigabytes"):
        assert fields[name].default is attrs.NOTHING, f"{name} is required in both shapes"


def test_image_fields_the_examples_always_carry_are_required_and_typed() -> None:
    fields = {f.name: f for f in attrs.fields(Image)}
    required = {name for name, field in fields.items() if field.default is attrs.NOTHING}
    assert required == REQUIRED_IMAGE_FIELDS
    hints = typing.get_type_hints(Image)
    assert hints["id"] is int and hints["name"] is str and hints["public"] is bool
    assert hints["slug"] == str | None and hints["min_disk_size"] == int | None


@pytest.mark.parametrize("missing", sorted(REQUIRED_IMAGE_FIELDS))
def test_an_image_missing_a_required_field_is_refused(missing: str) -> None:
    body = load_example("images_get_200.json")
    del body["image"][missing]
    client, _ = _client({"/v2/images/ubuntu-16-04-x64": body})
    with pytest.raises(UnexpectedResponse, match=missing):
        Image.objects.using(client).get("ubuntu-16-04-x64")


def test_restore_takes_a_backup_snapshot() -> None:
    client = Client.sandbox()
    sandbox = client.transport.sandbox  # type: ignore[attr-defined]
    d = client.droplets.create("web-1", region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", wait=True)
    d.enable_backups(wait=True)
    sandbox.clock.advance(2 * 86400)
    backup = d.refresh().backups()[0]
    action = d.restore(backup, wait=True)
    assert (action.type, action.status) == ("restore", "completed")
