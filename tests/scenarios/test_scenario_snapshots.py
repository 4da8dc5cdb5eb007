"""Users' scenarios with the account's snapshots: list them all or by kind, find one, delete it."""

from __future__ import annotations

import pytest
from scenario_world import World

import droplets
from droplets import Droplet, Snapshot, Volume


@pytest.mark.cassette("snapshots_by_kind")
def test_list_snapshots_of_the_account_by_kind_and_delete_one_of_each(world: World) -> None:
    if world.sandbox is not None:  # the cassette's account has a volume snapshot too
        Volume.objects.create(name="pvc-01", size_gigabytes=10, region="nyc1").snapshot("pvc-01-1595954862243")
        world.sandbox.reset_log()
    everything = list(Snapshot.objects.all())
    assert everything and all(isinstance(s, Snapshot) and s.resource_type in ("droplet", "volume") for s in everything)
    of_droplets = list(Snapshot.objects.filter(resource_type="droplet"))
    assert of_droplets and {s.resource_type for s in of_droplets} == {"droplet"}
    assert all(isinstance(s.id, int) and s.kind == "droplet" for s in of_droplets)  # "6372321" on the wire
    assert all(isinstance(s.id, str) and s.kind == "volume" for s in everything if s.resource_type == "volume")
    of_volume = next(s for s in everything if s.kind == "volume")
    of_droplets[0].destroy()
    of_volume.destroy()  # both kinds through DELETE /v2/snapshots/{id}
    assert [(s.method, s.path, s.query) for s in world.sent()] == [
        ("GET", "/v2/snapshots", {"per_page": "200"}),
        ("GET", "/v2/snapshots", {"resource_type": "droplet", "per_page": "200"}),
        ("DELETE", f"/v2/snapshots/{of_droplets[0].id}", {}),
        ("DELETE", f"/v2/snapshots/{of_volume.id}", {}),
    ]


@pytest.mark.cassette("droplet_snapshot_destroy")
def test_delete_a_droplet_snapshot_from_its_list(world: World) -> None:
    (snapshot, *_) = Droplet.ref(world.facts.droplet_id).snapshots()
    assert isinstance(snapshot.id, int) and snapshot.type == "snapshot" and snapshot.client is world.client
    snapshot.destroy()
    with pytest.raises(Snapshot.DoesNotExist):
        Snapshot.objects.get(snapshot.id)  # the same integer id finds it in the account's snapshots
    assert [(s.method, s.path) for s in world.sent()] == [
        ("GET", f"/v2/droplets/{world.facts.droplet_id}/snapshots"),
        ("DELETE", f"/v2/snapshots/{snapshot.id}"),
        ("GET", f"/v2/snapshots/{snapshot.id}"),
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


@pytest.mark.sandbox_only("the spec's examples of the two lists name unrelated snapshots")
def test_one_snapshot_is_equal_from_the_droplet_and_from_the_account(world: World) -> None:
    d = Droplet.get(world.facts.droplet_id)
    (mine,) = d.snapshots()
    (account,) = Snapshot.objects.filter(resource_type="droplet")
    assert type(mine) is type(account) is Snapshot
    assert mine.id == account.id == d.snapshot_ids[0] and isinstance(mine.id, int)
    assert (mine.type, mine.resource_type, account.type, account.resource_type) == ("snapshot", None, None, "droplet")
    assert isinstance(mine.to_dict()["id"], int) and account.to_dict()["id"] == str(account.id)  # as each list wrote it
    backup = d.backups()[0]
    with pytest.raises(droplets.ValidationError, match="backup"):
        backup.destroy()  # the API deletes snapshots only: refused before sending
    with pytest.raises(droplets.ValidationError, match="backup"):
        backup.refresh()  # /v2/snapshots answers 400 for a backup: refused before sending
    assert mine.refresh() is mine and (mine.type, mine.resource_type) == ("snapshot", "droplet")  # type kept
    assert d.rebuild(mine, wait=True).status == "completed"
    mine.destroy()  # DELETE /v2/snapshots/{id}
    assert ("DELETE", f"/v2/snapshots/{mine.id}") in [(s.method, s.path) for s in world.sent()]
    assert d.refresh().snapshot_ids == []


@pytest.mark.sandbox_only("the volume snapshot examples have no matching volume list")
def test_a_volume_snapshot_is_the_same_model_and_deletes_through_snapshots(world: World) -> None:
    volume = Volume.objects.create(name="data", size_gigabytes=10, region="nyc3")
    taken = volume.snapshot("nightly")
    (listed,) = volume.snapshots()
    (account,) = Snapshot.objects.filter(resource_type="volume")
    assert taken == listed == account and taken.kind == "volume" and isinstance(taken.id, str)
    copy = Volume.objects.create(name="copy", size_gigabytes=10, region="nyc3", snapshot_id=taken)
    assert copy.size_gigabytes == 10
    d = Droplet.get(world.facts.droplet_id)
    with pytest.raises(droplets.ValidationError, match="volume snapshot"):
        d.rebuild(taken)
    with pytest.raises(droplets.ValidationError, match="droplet snapshot"):
        Volume.objects.create(name="nope", size_gigabytes=10, region="nyc3", snapshot_id=d.snapshots()[0])
    listed.destroy()
    assert ("DELETE", f"/v2/snapshots/{taken.id}") in [(s.method, s.path) for s in world.sent()]
    assert volume.snapshots() == []
    other = volume.snapshot("weekly")
    Volume.objects.delete_snapshot(other)  # the volume snapshots' own path
    assert ("DELETE", f"/v2/volumes/snapshots/{other.id}") in [(s.method, s.path) for s in world.sent()]
    with pytest.raises(Snapshot.DoesNotExist):
        Volume.objects.delete_snapshot(other.id)
