"""Users' scenarios: destroy a droplet with its volume, snapshots and reserved IP, and find nothing left billed.

The flow runs on the sandbox and on recorded HTTP. The cassettes (``droplet_teardown_*``) replay the
spec's explicit examples: the preview (one resource of each kind, 14.09 USD a month) and the completed
status (the reserved IP, the snapshot and the volume snapshot destroyed, no volume), for the droplet of
that status example, reached with ``Droplet.ref()``. The destroys and the retry answer 202 with no body;
the failed status is that example with its volume snapshot not destroyed (``metadata.derived``), and the
retry once nothing failed is the spec's 409. On the sandbox each scenario builds its droplet and, once the
flow is done, also reads every resource list to find nothing left.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from scenario_world import World

from droplets import Conflict, DestroyFailed, Droplet, Image, ReservedIP, Snapshot, Volume
from droplets.models.associated import AssociatedResources, DestroyStatus
from droplets.sandbox import VirtualClock

CASSETTE_DROPLET = 187000742
"""The droplet of the spec's destroy status example: the one the cassettes tear down."""
BUSY = "the volume snapshot is in use: try again later"
"""Why the volume snapshot is not destroyed in the failure scenario (cassettes/assemble.py writes it too)."""
POLL = 15
"""Seconds between status polls: the sandbox destroys one resource every 3 s, so one poll sees the flow done,
as the cassettes' one status answer does."""
SUB = "destroy_with_associated_resources"


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


def _target(world: World, name: str) -> Droplet:
    """The droplet a scenario tears down, by reference: built here on the sandbox, the example's on the cassettes.

    Only the scenario's own requests are logged from here on; the cassette world's client gets a virtual
    clock, so that its waits poll without sleeping.
    """
    if world.sandbox is None:
        world.client.clock = VirtualClock()
        return Droplet.ref(CASSETTE_DROPLET)
    d, *_ = _equipped(world, name)
    world.sandbox.reset_log()
    return Droplet.ref(d.id)


def _sent(world: World) -> list[tuple[str, str]]:
    return [(s.method, s.path) for s in world.sent()]


def _flow(d: Droplet, *tail: str) -> str:
    return "/".join([f"/v2/droplets/{d.id}/{SUB}", *tail])


def _destroyed(status: DestroyStatus) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind, resource in status.resources.items():
        assert resource.destroyed_at is not None and not resource.failed, (kind, resource)
        out.setdefault(kind, []).append(resource.id)
    return out


def _nothing_left(world: World, droplet_id: int, volume: str | None, snapshots: list[str], volume_snapshots: list[str],
                  ips: list[str]) -> None:  # fmt: skip
    """On the sandbox: the droplet and every one of these resources are gone from their own lists."""
    assert world.sandbox is not None
    world.sandbox.clock.advance(60)  # the destroyed droplet stops being listed
    assert droplet_id not in {d.id for d in Droplet.objects.all()}
    if volume is not None:
        assert volume not in {v.id for v in Volume.objects.all()}
    assert not set(ips) & {r.ip for r in ReservedIP.objects.all()}
    account_snapshots = {str(s.id) for s in Snapshot.objects.all()}
    assert not set(snapshots) & account_snapshots and not set(volume_snapshots) & account_snapshots
    droplet_snapshots = {str(s.id) for s in Snapshot.objects.filter(resource_type="droplet")}
    volume_snapshot_list = {str(s.id) for s in Snapshot.objects.filter(resource_type="volume")}
    assert droplet_snapshots and not set(snapshots) & droplet_snapshots  # the seeded droplet's snapshot is still listed
    assert not set(volume_snapshots) & volume_snapshot_list
    assert not set(snapshots) & {str(i.id) for i in Image.objects.filter(private=True)}  # droplet snapshots are images
    for snapshot_id in volume_snapshots:
        with pytest.raises(Snapshot.DoesNotExist):
            Volume.objects.snapshot(snapshot_id)
    with pytest.raises(Droplet.DoesNotExist):
        Droplet.get(droplet_id)


@pytest.mark.cassette("droplet_teardown_selective", match_body=True)
def test_a_selective_destroy_takes_the_chosen_and_keeps_the_volume(world: World) -> None:
    d = _target(world, "web-keep")
    preview = d.associated_resources()
    assert isinstance(preview, AssociatedResources)
    kinds = ("reserved_ips", "floating_ips", "snapshots", "volumes", "volume_snapshots")
    assert [len(getattr(preview, kind)) for kind in kinds] == [1, 1, 1, 1, 1]
    assert preview.floating_ips == preview.reserved_ips  # the old name of the same IP, counted once
    assert preview.total_cost == sum((r.monthly_cost for _, r in preview.items()), Decimal(0)) > Decimal("10")
    (ip,), (snapshot,), (kept,), (nightly,) = (preview.reserved_ips, preview.snapshots, preview.volumes,
                                               preview.volume_snapshots)  # fmt: skip

    # The preview's entry, an id and a reserved IP's address: each matched to the preview's id.
    status = d.destroy(
        snapshots=[snapshot], volume_snapshots=[nightly.id], reserved_ips=[ip.name], wait=True, poll=POLL
    )
    assert isinstance(status, DestroyStatus) and status.done and status.failures == 0
    assert not status.left and not status.pending
    assert status.droplet is not None and status.droplet.destroyed_at is not None
    # Each resource once (the reserved IP is also listed under its old name, floating_ips).
    assert _destroyed(status) == {"reserved_ips": [ip.id], "snapshots": [snapshot.id], "volume_snapshots": [nightly.id]}
    assert status.resources.volumes == ()  # left out: kept, and still billed
    assert d.destroy_status() == status
    assert _sent(world) == [("GET", _flow(d)), ("GET", _flow(d)), ("DELETE", _flow(d, "selective")),
                            ("GET", _flow(d, "status")), ("GET", _flow(d, "status"))]  # fmt: skip

    if world.sandbox is not None:
        volume = Volume.objects.get(kept.id)
        assert volume.droplet_ids == [] and volume.name == kept.name  # detached, not destroyed
        _nothing_left(world, d.id, None, [snapshot.id], [nightly.id], [ip.name])


@pytest.mark.cassette("droplet_teardown_dangerous")
def test_the_dangerous_destroy_takes_everything(world: World) -> None:
    d = _target(world, "web-all")
    preview = d.associated_resources() if world.sandbox is not None else None
    if world.sandbox is not None:
        world.sandbox.reset_log()
    # X-Dangerous: true is required: the sandbox answers 400 without it, the cassette's matcher refuses the DELETE.
    status = d.destroy(associated="all", wait=True, poll=POLL)
    assert isinstance(status, DestroyStatus) and status.done and status.failures == 0 and not status.left
    assert status.droplet is not None and status.droplet.destroyed_at is not None
    destroyed = _destroyed(status)
    assert {"reserved_ips", "snapshots", "volume_snapshots"} <= set(destroyed)
    assert _sent(world) == [("DELETE", _flow(d, "dangerous")), ("GET", _flow(d, "status"))]

    if preview is not None:  # the sandbox: every associated resource went, the volume too
        assert {kind: ids for kind, ids in destroyed.items() if kind != "floating_ips"} == {
            kind: [r.id for r in getattr(preview, kind)]
            for kind in ("reserved_ips", "snapshots", "volumes", "volume_snapshots")
        }
        _nothing_left(world, d.id, preview.volumes[0].id, [r.id for r in preview.snapshots],
                      [r.id for r in preview.volume_snapshots], [r.name for r in preview.reserved_ips])  # fmt: skip


@pytest.mark.cassette("droplet_teardown_failed_then_retried")
def test_a_failed_resource_raises_destroy_failed_and_the_retry_completes_it(world: World) -> None:
    d = _target(world, "web-retry")
    preview = d.associated_resources()
    (nightly,) = preview.volume_snapshots
    if world.sandbox is not None:
        world.sandbox.fail_destroy(nightly.id, BUSY)
    with pytest.raises(DestroyFailed) as caught:
        d.destroy(associated="all", wait=True, poll=POLL)
    assert caught.value.left == [("volume_snapshots", nightly.id, nightly.name, BUSY)]
    assert nightly.id in str(caught.value) and BUSY in str(caught.value)
    sent = [("GET", _flow(d)), ("DELETE", _flow(d, "dangerous")), ("GET", _flow(d, "status"))]
    assert _sent(world) == sent
    if world.sandbox is not None:  # the failed snapshot is still there, still billed; the others went
        failed = d.destroy_status()
        assert failed.done and failed.failures == 1 and failed.left == caught.value.left
        assert Volume.objects.snapshot(nightly.id).id == nightly.id
        assert not {r.name for r in preview.reserved_ips} & {r.ip for r in ReservedIP.objects.all()}
        world.sandbox.reset_log()
        sent = []

    status = d.retry_destroy(wait=True, poll=POLL)
    assert status is not None and status.done and status.failures == 0 and not status.left
    assert nightly.id in _destroyed(status)["volume_snapshots"]
    with pytest.raises(Conflict) as conflict:
        d.retry_destroy()  # nothing left to retry
    assert conflict.value.status == 409
    retry = ("POST", _flow(d, "retry"))
    assert _sent(world) == [*sent, retry, ("GET", _flow(d, "status")), retry]

    if world.sandbox is not None:
        _nothing_left(world, d.id, preview.volumes[0].id, [r.id for r in preview.snapshots], [nightly.id],
                      [r.name for r in preview.reserved_ips])  # fmt: skip


@pytest.mark.sandbox_only("the spec's status example leaves the volume out: a destroy that takes it has no example")
def test_a_selective_destroy_of_every_resource_leaves_nothing(world: World) -> None:
    d, volume, nightly, ip = _equipped(world, "web-sel")
    preview = d.associated_resources()
    assert [r.id for r in preview.volumes] == [volume.id]
    assert [r.id for r in preview.volume_snapshots] == [nightly.id]
    assert [r.name for r in preview.reserved_ips] == [ip.ip] == [r.name for r in preview.floating_ips]
    assert [r.id for r in preview.snapshots] == [str(i) for i in d.snapshot_ids]

    # Models, as a user holds them: Volume, droplet and volume Snapshots, ReservedIP.
    status = d.destroy(volumes=[volume], snapshots=d.snapshots(), volume_snapshots=[nightly], reserved_ips=[ip],
                       wait=True)  # fmt: skip
    assert isinstance(status, DestroyStatus) and status.done and status.failures == 0
    assert all(r.destroyed_at is not None for _, r in status.resources.items())
    _nothing_left(world, d.id, volume.id, [str(i) for i in d.snapshot_ids], [nightly.id], [ip.ip])
    assert d.destroy_status() == status


@pytest.mark.sandbox_only("the spec has no example of a destroy still running")
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
