"""Ready, gone and queued actions, as a user meets them, on the sandbox and on recorded HTTP (issue 13).

What the cassettes can show is bounded by the spec's explicit examples (see
``cassettes/README.md``): a ready wait's status-and-address round, a destroy
that waits until 404 (and one that times out naming the ``gone`` stage), and
a 422 that is not a lock, which is raised at once and never sent again. The
spec has no explicit example of an action answer or of the locked-droplet
422, so the create action stage, the port stage and the queue run on the
sandbox only.

The cassette world's client gets a virtual clock (`instant()`): its waits
poll without sleeping for real, and send exactly what they would.
"""

from __future__ import annotations

import pytest
from scenario_world import World

import droplets
from droplets import Droplet, WaitTimeout
from droplets.sandbox import VirtualClock

CREATE = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}


def instant(world: World) -> None:
    """Give the cassette world's client a virtual clock (the sandbox world has one)."""
    if world.sandbox is None:
        world.client.clock = VirtualClock()


@pytest.mark.cassette("droplets_wait_ready")
def test_wait_ready_costs_one_request_for_the_status_and_address_of_several(world: World) -> None:
    instant(world)
    tagged = list(Droplet.objects.filter(tag=world.facts.tag))
    ready = Droplet.objects.wait_ready(tagged, poll=1)
    assert len(ready) == 2 and all(d.status == "active" and d.public_ipv4 for d in ready)
    listing = ("GET", "/v2/droplets", {"tag_name": world.facts.tag, "per_page": "200"})
    assert [(s.method, s.path, s.query) for s in world.sent()] == [listing, listing]


@pytest.mark.cassette("droplet_wait_ready")
def test_wait_ready_on_one_droplet_looks_once_more(world: World) -> None:
    instant(world)
    d = Droplet.get(world.facts.droplet_id)
    assert d.wait_ready(poll=1) is d
    assert d.public_ipv4 is not None
    assert [(s.method, s.path) for s in world.sent()] == [("GET", f"/v2/droplets/{d.id}")] * 2


@pytest.mark.cassette("droplet_destroy")
def test_destroy_wait_returns_once_get_answers_404(world: World) -> None:
    instant(world)
    droplet = Droplet.get(world.facts.droplet_id)
    droplet.destroy(wait=True, poll=5)
    path = f"/v2/droplets/{world.facts.droplet_id}"
    assert [(s.method, s.path) for s in world.sent()] == [("GET", path), ("DELETE", path), ("GET", path)]


@pytest.mark.cassette("droplet_destroy_still_shown")
def test_a_gone_wait_that_runs_out_names_its_stage(world: World) -> None:
    instant(world)
    droplet = Droplet.get(world.facts.droplet_id)
    with pytest.raises(WaitTimeout) as caught:
        droplet.destroy(wait=True, poll=1, timeout=1)
    assert caught.value.stage == "gone" and "still shown" in str(caught.value)
    path = f"/v2/droplets/{world.facts.droplet_id}"
    assert [(s.method, s.path) for s in world.sent()] == [("GET", path), ("DELETE", path), ("GET", path)]


@pytest.mark.cassette("droplet_action_refused")
def test_a_422_that_is_not_a_lock_is_raised_at_once_and_sent_once(world: World) -> None:
    instant(world)
    droplet = Droplet.get(world.facts.droplet_id)
    with pytest.raises(droplets.Unprocessable) as caught:
        droplet.resize("s-2vcpu-4gb")  # queue=True: only a lock refusal is waited on
    assert caught.value.status == 422 and "pending action" not in str(caught.value)
    actions = f"/v2/droplets/{world.facts.droplet_id}/actions"
    assert [(s.method, s.path) for s in world.sent()][1:] == [("POST", actions)]


@pytest.mark.sandbox_only("the spec has no explicit example of the locked-droplet 422 or of an action answer")
def test_an_action_on_a_busy_droplet_queues_and_is_sent_exactly_twice(world: World) -> None:
    d = Droplet.get(world.facts.droplet_id)
    running = d.power_off()
    rebooted = d.power_on(wait=True)
    assert running.refresh().status == "completed" and rebooted.status == "completed"
    posts = [s for s in world.sent() if (s.method, s.path) == ("POST", f"/v2/droplets/{d.id}/actions")]
    assert len(posts) == 3, "power_off once; power_on refused once, then sent again"
    d.reboot()
    with pytest.raises(droplets.Unprocessable, match=r"pending action is \d+ \(reboot"):
        d.shutdown(queue=False)


@pytest.mark.sandbox_only("the spec has no explicit example of an action answer (the create action stage)")
def test_create_wait_ssh_is_usable_and_its_timeout_names_the_stage(world: World) -> None:
    d = Droplet.objects.create("ready-1", **CREATE, wait="ssh")
    assert d.status == "active" and d.public_ipv4 is not None
    assert world.sandbox is not None and world.sandbox.probe(d.public_ipv4, 22)
    world.sandbox.lifecycle.set(ssh_after=10_000)
    with pytest.raises(WaitTimeout) as caught:
        Droplet.objects.create("ready-2", **CREATE, wait="ssh", timeout=90)
    assert caught.value.stage == "port"
