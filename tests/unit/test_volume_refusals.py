"""Volume arguments the spec's rules refuse, refused before anything is sent."""

from __future__ import annotations

from typing import Any

import pytest

from droplets import Client, ValidationError, Volume
from droplets._converter import strict, structure_wire, unstructure
from droplets.models.snapshot import Snapshot
from droplets.models.volume import volume_refs
from tests.conftest import load_example


@pytest.fixture
def client() -> Client:
    return Client.sandbox()


def _sent(client: Client) -> list[Any]:
    return list(client.transport.sandbox.requests)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "Data"}, "lowercase"),
        ({"name": "1data"}, "starting with a letter"),
        ({"name": "d" * 65}, "at most 64"),
        ({"size_gigabytes": 0}, "from 1 to 16384"),
        ({"size_gigabytes": 16385}, "from 1 to 16384"),
        ({"size_gigabytes": "10"}, "integer"),
        ({"size_gigabytes": True}, "integer"),
        ({"region": "New York"}, "region slug"),
        ({"filesystem_type": "ntfs"}, "'ext4' or 'xfs'"),
        ({"filesystem_label": "x"}, "needs a filesystem_type"),
        ({"filesystem_type": "xfs", "filesystem_label": "a" * 13}, "1 to 12"),
        ({"filesystem_type": "ext4", "filesystem_label": "a" * 17}, "1 to 16"),
        ({"tags": "web"}, "list of tag names"),
        ({"snapshot_id": 7}, "volume snapshot"),
    ],
)
def test_create_refuses_before_sending(client: Client, fields: dict[str, Any], message: str) -> None:
    args = {"name": "data", "size_gigabytes": 10, "region": "nyc3", **fields}
    with pytest.raises(ValidationError, match=message):
        client.volumes.create(**args)
    assert _sent(client) == []


def test_resize_only_grows_and_detach_needs_an_attachment(client: Client) -> None:
    v = client.volumes.create(name="data", size_gigabytes=100, region="nyc3")
    before = len(_sent(client))
    for size in (100, 50, 16385):
        with pytest.raises(ValidationError):
            v.resize(size)
    with pytest.raises(ValidationError, match="not attached"):
        v.detach()
    with pytest.raises(ValidationError, match="positive integer"):
        v.attach(0)
    with pytest.raises(ValidationError, match="poll"):
        v.resize(200, wait=True, poll=0)
    with pytest.raises(ValidationError, match="region slug"):
        client.volumes.delete(name="data", region="")
    assert len(_sent(client)) == before


def test_get_takes_a_uuid_and_create_volumes_takes_unattached_volumes_of_the_region(client: Client) -> None:
    with pytest.raises(ValidationError, match="UUID"):
        client.volumes.get(12)
    v = client.volumes.create(name="data", size_gigabytes=10, region="nyc3")
    assert volume_refs([v], "nyc3") == [v.id]
    assert volume_refs(v.id, "nyc3") == [v.id]
    with pytest.raises(ValidationError, match="own region"):
        volume_refs([v], "ams3")
    attached = Volume(id=v.id, name="data", size_gigabytes=10, region=v.region, droplet_ids=[1])
    with pytest.raises(ValidationError, match="unattached"):
        volume_refs([attached], "nyc3")


@pytest.mark.parametrize(
    "name",
    ["volume_snapshots_create_201.json", "volume_snapshots_get_by_id_200.json", "volume_snapshots_list_200.json"],
)
def test_the_volume_snapshot_examples_structure_strictly(name: str) -> None:
    body = load_example(name)
    items = body["snapshots"] if "snapshots" in body else [body["snapshot"]]
    for data in items:
        snapshot = structure_wire(data, Snapshot, conv=strict)
        assert snapshot.resource_type == "volume" and unstructure(snapshot) == data
