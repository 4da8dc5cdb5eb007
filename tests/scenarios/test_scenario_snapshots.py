"""Users' scenarios with the account's snapshots: list them all or by kind, find one, delete it."""

from __future__ import annotations

import pytest
from scenario_world import World

import droplets
from droplets import Droplet, Snapshot


@pytest.mark.cassette("snapshots_by_kind")
def test_list_snapshots_of_the_account_by_kind(world: World) -> None:
    everything = list(Snapshot.objects.all())
    assert everything and all(isinstance(s, Snapshot) and s.resource_type in ("droplet", "volume") for s in everything)
    of_droplets = list(Snapshot.objects.filter(resource_type="droplet"))
    assert of_droplets and {s.resource_type for s in of_droplets} == {"droplet"}
    assert all(isinstance(s.id, str) and s.id.isdigit() for s in of_droplets)
    assert [(s.path, s.query) for s in world.sent()] == [
        ("/v2/snapshots", {"per_page": "200"}),
        ("/v2/snapshots", {"resource_type": "droplet", "per_page": "200"}),
    ]


@pytest.mark.sandbox_only("the spec's snapshot get answer is schema-derived")
def test_find_a_droplet_snapshot_and_delete_it(world: World) -> None:
    d = Droplet.get(world.facts.droplet_id)
    snapshot = Snapshot.objects.get(d.snapshot_ids[0])
    assert snapshot.resource_type == "droplet" and snapshot.resource_id == str(d.id)
    assert snapshot.name == "web-01-before-upgrade"
    with pytest.raises(droplets.BadRequest, match="not a snapshot"):
        Snapshot.objects.get(d.backup_ids[0])
    snapshot.destroy()
    with pytest.raises(Snapshot.DoesNotExist):
        Snapshot.objects.get(snapshot.id)
    assert d.refresh().snapshot_ids == []
    assert list(Snapshot.objects.filter(resource_type="droplet")) == []
    with pytest.raises(droplets.ValidationError):
        Snapshot.objects.get("not-an-id")
