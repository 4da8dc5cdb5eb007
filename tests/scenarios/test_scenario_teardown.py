"""Users' scenarios: destroy a droplet with its volume, snapshots and reserved IP, and find nothing left billed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from scenario_world import World

from droplets import Conflict, DestroyFailed, Droplet, ReservedIP, Volume
from droplets.models.associated import AssociatedResources, DestroyStatus
from droplets.models.snapshot import Snapshot

SANDBOX_ONLY = (
    "the scenario builds its own volume, snapshots and reserved IP, and the destroys answer 202 with no body: "
    "the spec has explicit examples only for the preview and the status"
)


def _equipped(world: World, name: str) -> tuple[Droplet, Volume, Snapshot, ReservedIP]:
    """A droplet with an attached volume, a volume snapshot, a droplet snapshot and a reserved IP."""
    d = Droplet.objects.create(name=name, region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", wait=True)
    volume = Volume.objects.create(name=f"{name}-data", size_gigabytes=100, region="nyc3", filesystem_type="ext4")
    volume.attach(d, wait=True)
    nightly = volume.snapshot(name=f"{name}-nightly")
    ip = ReservedIP.objects.create(droplet=d)
    assert world.sandbox is not None
    world.sandbox.clock.advance(60)  # the IP's assign completes
    d.snapshot(name=f"{name}-before-teardown", wait=True)
    return d.refresh(), volume, nightly, ip


def _nothing_left(world: World, d: Droplet, volume: Volume, nightly: Snapshot, ip: ReservedIP) -> None:
    assert world.sandbox is not None
    world.sandbox.clock.advance(60)  # the destroyed droplet stops being listed
    assert d.id not in {other.id for other in Droplet.objects.all()}
    assert volume.id not in {v.id for v in Volume.objects.all()}
    assert ip.ip not in {r.ip for r in ReservedIP.objects.all()}
    with pytest.raises(Snapshot.DoesNotExist):
        Volume.objects.snapshot(nightly.id)
    images = {i.id for i in Droplet.objects.get(id=world.facts.droplet_id).snapshots()}
    assert not set(d.snapshot_ids) & images


@pytest.mark.sandbox_only(SANDBOX_ONLY)
def test_a_selective_destroy_takes_exactly_what_was_chosen(world: World) -> None:
    d, volume, nightly, ip = _equipped(world, "web-sel")
    preview = d.associated_resources()
    assert isinstance(preview, AssociatedResources)
    assert [r.id for r in preview.volumes] == [volume.id]
    assert [r.id for r in preview.volume_snapshots] == [nightly.id]
    assert [r.name for r in preview.reserved_ips] == [ip.ip] == [r.name for r in preview.floating_ips]
    assert [r.id for r in preview.snapshots] == [str(i) for i in d.snapshot_ids]
    assert preview.total_cost == sum((r.monthly_cost for _, r in preview.items()), Decimal(0)) > Decimal("10")

    status = d.destroy(volumes=[volume], snapshots=d.snapshot_ids, volume_snapshots=[nightly], reserved_ips=[ip],
                       wait=True)  # fmt: skip
    assert isinstance(status, DestroyStatus) and status.done and status.failures == 0
    assert all(r.destroyed_at is not None for _, r in status.resources.items())
    _nothing_left(world, d, volume, nightly, ip)
    assert d.destroy_status() == status


@pytest.mark.sandbox_only(SANDBOX_ONLY)
def test_a_selective_destroy_keeps_what_was_left_out(world: World) -> None:
    d, volume, nightly, ip = _equipped(world, "web-keep")
    d.destroy(reserved_ips=[ip], wait=True)
    assert ip.ip not in {r.ip for r in ReservedIP.objects.all()}
    kept = Volume.objects.get(volume.id)
    assert kept.droplet_ids == [] and Volume.objects.snapshot(nightly.id).id == nightly.id


@pytest.mark.sandbox_only(SANDBOX_ONLY)
def test_the_dangerous_destroy_takes_everything(world: World) -> None:
    d, volume, nightly, ip = _equipped(world, "web-all")
    status = d.destroy(associated="all", wait=True)
    assert status is not None and status.done and not status.left
    kinds = {kind for kind, _ in status.resources.items()}
    assert kinds == {"volumes", "volume_snapshots", "snapshots", "reserved_ips"}
    _nothing_left(world, d, volume, nightly, ip)
    assert world.sandbox is not None
    dangerous = [r for r in world.sandbox.requests if r[1].endswith("/dangerous")]
    assert [method for method, _ in dangerous] == ["DELETE"]


@pytest.mark.sandbox_only(SANDBOX_ONLY)
def test_an_injected_failure_raises_destroy_failed_and_the_retry_completes_it(world: World) -> None:
    d, volume, nightly, ip = _equipped(world, "web-retry")
    assert world.sandbox is not None
    world.sandbox.fail_destroy(volume.id, "volume is busy: try again later")
    with pytest.raises(DestroyFailed) as caught:
        d.destroy(associated="all", wait=True)
    assert caught.value.left == [("volumes", volume.id, volume.name, "volume is busy: try again later")]
    assert Volume.objects.get(volume.id).id == volume.id  # still there, still billed
    assert ip.ip not in {r.ip for r in ReservedIP.objects.all()}  # the others went

    status = d.retry_destroy(wait=True)
    assert status is not None and status.failures == 0 and not status.left
    _nothing_left(world, d, volume, nightly, ip)
    with pytest.raises(Conflict):
        d.retry_destroy()  # nothing left to retry


@pytest.mark.sandbox_only(SANDBOX_ONLY)
def test_a_retry_while_the_destroy_runs_is_a_conflict(world: World) -> None:
    d, *_ = _equipped(world, "web-busy")
    d.destroy(associated="all")
    status = d.destroy_status()
    assert not status.done and status.pending
    with pytest.raises(Conflict):
        d.retry_destroy()
    assert world.sandbox is not None
    world.sandbox.clock.advance(60)
    assert d.destroy_status().done
