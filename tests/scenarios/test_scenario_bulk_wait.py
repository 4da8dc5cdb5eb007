"""What waiting costs: one request per poll round, and no real time on the sandbox.

Measured by counting the requests the sandbox received and by its virtual
clock; wall-clock time is only reported (``-s`` shows it) and checked against
a generous sanity bound.
"""

from __future__ import annotations

import time
from collections import Counter

from droplets import Action, Client

FLEET = 50


def test_tag_power_off_waits_with_one_request_per_poll_round() -> None:
    client = Client.sandbox()
    sandbox = client.transport.sandbox  # type: ignore[attr-defined]
    sandbox.seed_droplets(FLEET, tag="fleet")
    sandbox.seed_droplets(3, tag="other")
    sandbox.progression.set("power_off", after_polls=3)
    sandbox.reset_log()
    rounds: Counter[int] = Counter()

    def progress(action: Action) -> None:
        rounds[action.id] += 1

    started = sandbox.clock.monotonic()
    actions = client.droplets.filter(tag="fleet").power_off(wait=True, poll=2, progress=progress)
    elapsed = sandbox.clock.monotonic() - started

    assert len(actions) == FLEET and {a.status for a in actions} == {"completed"}
    polls = set(rounds.values())
    assert len(polls) == 1, "every action was polled in the same rounds"
    poll_rounds = polls.pop()
    assert poll_rounds == 3 + 1, "seen in-progress by 3 polls, completed at the 4th"
    assert (
        sandbox.requests
        == [("POST", "/v2/droplets/actions?tag_name=fleet")] + [("GET", "/v2/actions?per_page=200")] * poll_rounds
    )
    assert elapsed == poll_rounds * 2
    statuses = Counter((d["tags"][0], d["status"]) for d in sandbox.droplets())
    assert statuses == {("fleet", "off"): FLEET, ("other", "active"): 3}
    print(f"\n{FLEET} droplets powered off by tag: 1 POST + {poll_rounds} GET /v2/actions, {elapsed:g} virtual s")


def test_single_power_off_with_default_poll_costs_no_real_time() -> None:
    client = Client.sandbox()
    sandbox = client.transport.sandbox  # type: ignore[attr-defined]
    [droplet_id] = sandbox.seed_droplets(1)
    droplet = client.droplets.get(id=droplet_id)
    sandbox.reset_log()

    wall = time.perf_counter()
    virtual = sandbox.clock.monotonic()
    action = droplet.power_off(wait=True)  # the default poll=5
    virtual = sandbox.clock.monotonic() - virtual
    wall = time.perf_counter() - wall

    assert action.status == "completed" and droplet.status == "off"
    assert virtual >= 5, "at least one poll interval passed on the virtual clock"
    assert sandbox.requests[0] == ("POST", f"/v2/droplets/{droplet_id}/actions")
    assert sandbox.requests[-1] == ("GET", f"/v2/droplets/{droplet_id}")
    assert len(sandbox.requests) == 2 + virtual // 5
    assert wall < 5.0, "a sanity bound only; it normally takes milliseconds"
    print(f"\npower_off(wait=True): {virtual:g} virtual s, {wall * 1000:.1f} ms real, {len(sandbox.requests)} requests")
