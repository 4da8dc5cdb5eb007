"""Users' scenarios with block storage: create, find, attach, detach, delete (sandbox and recorded HTTP)."""

from __future__ import annotations

import pytest
from scenario_world import World

from droplets import Conflict, Droplet, Unprocessable, ValidationError, Volume, WaitTimeout
from droplets.models.snapshot import Snapshot

VOLUME_EXAMPLE_DROPLET = 11612190
"""The droplet of the spec's volume attach and detach examples."""


def _droplet_in_nyc1(world: World) -> int:
    """A droplet in nyc1, the region of the spec's volume examples."""
    if world.sandbox is None:
        return VOLUME_EXAMPLE_DROPLET
    d = Droplet.objects.create(name="db-1", region="nyc1", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", wait=True)
    world.sandbox.reset_log()
    return d.id


@pytest.mark.cassette("volumes_manage")
def test_create_find_attach_detach_and_delete_a_volume(world: World) -> None:
    droplet_id = _droplet_in_nyc1(world)
    v = Volume.objects.create(
        name="example",
        size_gigabytes=10,
        region="nyc1",
        filesystem_type="ext4",
        filesystem_label="example",
        description="Block store for examples",
    )
    assert isinstance(v, Volume) and v.region.slug == "nyc1" and v.size_gigabytes == 10 and not v.droplet_ids
    assert Volume.objects.get(v.id).name == "example"
    assert [found.id for found in Volume.objects.filter(name="example", region="nyc1")] == [v.id]
    assert v.id in [found.id for found in Volume.objects.filter(region="nyc1")]

    action = v.attach(droplet_id, wait=True)
    assert action.type == "attach_volume" and action.status == "completed" and action.resource_type == "volume"
    if world.sandbox is not None:  # the recorded GET is the spec's unattached example
        assert v.droplet_ids == [droplet_id]
        assert [x.id for x in Droplet.get(droplet_id).volumes()] == [v.id]
        assert Droplet.get(droplet_id).volume_ids == [v.id]
    assert "attach_volume" in [a.type for a in v.actions()]

    detached = v.detach(droplet_id)  # the recorded answer is in progress, as a detach usually is
    assert detached.type == "detach_volume"
    if world.sandbox is not None:  # no poll of it is recorded
        detached.wait()
        assert not v.refresh().droplet_ids

    by_name = Volume.objects.attach(name="example", region="nyc1", droplet=droplet_id)
    assert by_name.type == "attach_volume"
    if world.sandbox is not None:  # the recorded answer is still in progress, and no poll of it is recorded
        by_name.wait()
    by_name = Volume.objects.detach(name="example", region="nyc1", droplet=droplet_id)
    assert by_name.type == "detach_volume"
    if world.sandbox is not None:
        by_name.wait()
        v.refresh()
        assert v.droplet_ids == []

    v.destroy()
    with pytest.raises(Volume.DoesNotExist):
        v.refresh()
    if world.sandbox is not None:  # delete by name needs one to delete
        Volume.objects.create(name="example", size_gigabytes=10, region="nyc1")
    Volume.objects.delete(name="example", region="nyc1")
    assert world.sent()[-1].path == "/v2/volumes" and world.sent()[-1].query == {"name": "example", "region": "nyc1"}


@pytest.mark.sandbox_only("no explicit example answers a resize, a refused attach or a refused delete")
def test_the_rules_of_attaching_growing_and_deleting(world: World) -> None:
    web = Droplet.get(world.facts.droplet_id)
    data = Volume.objects.create(name="data", size_gigabytes=100, region=web.region.slug)
    far = Volume.objects.create(name="far", size_gigabytes=10, region="ams3")

    with pytest.raises(ValidationError, match="own region"):
        far.attach(web)  # refused before sending: the droplet's region is known
    with pytest.raises(Unprocessable, match="same region"):
        far.attach(web.id)  # by id the API refuses it

    data.attach(web, wait=True)
    with pytest.raises(Conflict, match="attached"):
        data.destroy()
    with pytest.raises(ValidationError, match="only grow"):
        data.resize(50)
    grown = data.resize(200, wait=True)
    assert data.size_gigabytes == 200 and data.action(grown.id).type == "resize_volume"

    # A droplet made with the volume attached shows it at once.
    logs = Volume.objects.create(name="logs", size_gigabytes=10, region="nyc3")
    d = Droplet.objects.create(
        name="db.example.com", region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", volumes=[logs]
    )
    assert d.volume_ids == [logs.id]
    with pytest.raises(ValidationError, match="unattached"):
        Droplet.objects.create(
            name="db2", region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", volumes=[data.refresh()]
        )

    # The new droplet is locked by its create action: the attach queues behind it.
    extra = Volume.objects.create(name="extra", size_gigabytes=10, region="nyc3")
    with pytest.raises(Unprocessable, match="locked"):
        extra.attach(d, queue=False)
    extra.attach(d, wait=True)
    assert sorted(v.id for v in d.refresh().volumes()) == sorted([logs.id, extra.id])

    # A lock that outlasts the timeout: WaitTimeout at the queue stage, and nothing was attached.
    assert world.sandbox is not None
    world.sandbox.progression.set("power_off", after_seconds=3600)
    d.power_off()
    late = Volume.objects.create(name="late", size_gigabytes=10, region="nyc3")
    with pytest.raises(WaitTimeout) as caught:
        late.attach(d, timeout=60)
    assert caught.value.stage == "queue" and not late.refresh().droplet_ids

    # Snapshots: taken at once, listed, the source of a new volume.
    nightly = data.snapshot("nightly", tags=["db"])
    assert isinstance(nightly, Snapshot) and nightly.resource_id == data.id and nightly.min_disk_size == 200
    assert [s.id for s in data.snapshots()] == [nightly.id]
    assert Volume.objects.snapshot(nightly.id).name == "nightly"
    copy = Volume.objects.create(name="copy", size_gigabytes=200, region="nyc3", snapshot_id=nightly.id)
    assert copy.size_gigabytes == 200
    nightly.destroy()
    with pytest.raises(Snapshot.DoesNotExist):
        Volume.objects.snapshot(nightly.id)

    data.detach(wait=True)
    data.destroy()
    d.destroy()
    assert not logs.refresh().droplet_ids  # a destroyed droplet's volumes are detached
