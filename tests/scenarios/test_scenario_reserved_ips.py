"""Users' scenarios with reserved IPs: reserve, point at a droplet, move, release (sandbox and recorded HTTP)."""

from __future__ import annotations

import pytest
from scenario_world import World

from droplets import Droplet, ReservedIP, Unprocessable, ValidationError


@pytest.mark.cassette("reserved_ips_manage")
def test_reserve_assign_unassign_and_release(world: World) -> None:
    droplet_id = world.facts.droplet_id
    ip = ReservedIP.objects.create(region="nyc3")
    assert isinstance(ip, ReservedIP) and ip.region.slug == "nyc3" and ip.droplet is None
    assert ReservedIP.objects.get(ip.ip).ip == ip.ip

    action = ip.assign(droplet_id, wait=True)
    assert action.resource_type == "reserved_ip" and action.status == "completed"
    assert isinstance(ip.droplet, Droplet) and ip.droplet_id is not None  # the full droplet, typed
    if world.sandbox is not None:  # the recorded answer is the spec's example, about another droplet
        assert ip.droplet_id == droplet_id
        assert ip.ip in [n.ip_address for n in Droplet.get(droplet_id).networks.v4 if n.type == "public"]
        assert [x.ip for x in Droplet.get(droplet_id).reserved_ips()] == [ip.ip]
        assert [a.type for a in ip.actions()] == ["assign_ip"]
    assert ip.ip in [x.ip for x in ReservedIP.objects.all()]

    ip.unassign(wait=True)
    assert ip.droplet is None and not ip.locked

    on_droplet = ReservedIP.objects.create(droplet=world.facts.droplet_id)  # created assigned: an action runs
    assert on_droplet.ip
    ip.destroy()
    with pytest.raises(ReservedIP.DoesNotExist):
        ip.refresh()


@pytest.mark.sandbox_only("no explicit example answers a move between droplets or a refused assign")
def test_move_an_ip_between_droplets_and_the_rules(world: World) -> None:
    first, second = Droplet.objects.create_many(
        names=["app-1", "app-2"], region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", wait=True
    )
    ip = ReservedIP.objects.create(droplet=first, wait=True)  # waits for the assign action
    assert ip.droplet_id == first.id and first.refresh().reserved_ips()[0].ip == ip.ip

    moved = ip.assign(second, wait=True)  # moves it
    assert ip.action(moved.id).type == "assign_ip"
    assert ip.droplet_id == second.id
    assert ip.ip not in [n.ip_address for n in first.refresh().networks.v4]
    assert ip.ip in [n.ip_address for n in second.refresh().networks.v4]

    far = Droplet.objects.create(name="eu-1", region="ams3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", wait=True)
    with pytest.raises(ValidationError, match="its region"):
        ip.assign(far)  # refused before sending
    with pytest.raises(Unprocessable, match="in its region"):
        ip.assign(far.id)  # by id, the API refuses it
    with pytest.raises(ValidationError, match=r"either region= .* or droplet="):
        ReservedIP.objects.create(region="nyc3", droplet=first)

    # Assigning to a busy droplet queues behind its action.
    first.reboot()
    spare = ReservedIP.objects.create(region="nyc3")
    with pytest.raises(Unprocessable, match="locked"):
        spare.assign(first, queue=False)
    spare.assign(first, wait=True)
    assert spare.droplet_id == first.id

    second.destroy()  # its IP is unassigned, not released
    assert ip.refresh().droplet is None
    for each in (ip, spare):
        each.destroy()
    assert list(ReservedIP.objects.all()) == []
