"""A volume's upkeep: grow it, snapshot it, list and delete its snapshots; written once for every world.

`grow_and_snapshot` runs on the default client and asserts at each step. The
scenario test runs it on the sandbox and on the ``volume_upkeep`` cassette,
which ``cassettes/record_sandbox.py`` records by running this very function
against the sandbox served over HTTP (the spec has no explicit example of a
resize answer, and its volume snapshot examples name another volume than its
volume examples, so they cannot make one coherent walk).

Written against the public behaviour (ids, names, sizes, destroy), not a
snapshot class name.
"""

from __future__ import annotations

from droplets import Snapshot, Volume

NAME = "upkeep-data"


def grow_and_snapshot() -> None:
    """Grow a volume, take two snapshots, read them back, delete them and the volume."""
    volume = Volume.objects.create(name=NAME, size_gigabytes=10, region="nyc3", filesystem_type="ext4")
    assert volume.size_gigabytes == 10 and volume.snapshots() == []

    # Grow it: an action, waited for; the volume is reloaded when it completes.
    grown = volume.resize(25, wait=True)
    assert (grown.type, grown.status, grown.resource_type) == ("resize_volume", "completed", "volume")
    assert volume.size_gigabytes == 25 and Volume.objects.get(volume.id).size_gigabytes == 25
    assert [a.id for a in volume.actions()] == [grown.id] and volume.action(grown.id).status == "completed"

    # Two snapshots of the grown volume, usable at once (201, no action).
    nightly = volume.snapshot(name="upkeep-nightly")
    weekly = volume.snapshot(name="upkeep-weekly", tags=["weekly"])
    for snap, name in ((nightly, "upkeep-nightly"), (weekly, "upkeep-weekly")):
        assert isinstance(snap.id, str) and snap.name == name and snap.kind == "volume"
        assert (snap.resource_id, snap.resource_type, snap.regions) == (volume.id, "volume", ["nyc3"])
        assert snap.min_disk_size == 25
    assert nightly.id != weekly.id and weekly.tags == ["weekly"]

    # Read them back: the volume's list, one by id, and the account's volume snapshots.
    assert sorted((s.name, s.id) for s in volume.snapshots()) == [(nightly.name, nightly.id), (weekly.name, weekly.id)]
    assert Volume.objects.snapshot(weekly.id).name == "upkeep-weekly"
    account = [s.id for s in Snapshot.objects.filter(resource_type="volume")]
    assert nightly.id in account and weekly.id in account

    # Delete one snapshot, then the other and the volume: nothing is left.
    nightly.destroy()
    assert [s.id for s in volume.snapshots()] == [weekly.id]
    weekly.destroy()
    volume.destroy()
    assert [v for v in Volume.objects.all() if v.name == NAME] == []
    assert not [s for s in Snapshot.objects.filter(resource_type="volume") if s.name.startswith("upkeep-")]
