"""The chaos suite: 1,000+ mixed operations with about 20% of requests faulted.

Asserts that every failure reaching the caller is a ``DropletsError``, that
no create call ever yields two droplets, that reads fail only when the retry
budget was spent, and that the client's view matches the sandbox at the end.
It runs on the sandbox's virtual clock: no real sleeping.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

import droplets
from droplets import Client, Droplet

OPERATIONS = 1200
CREATE = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}


class Chaos:
    """Drives random operations and keeps the books."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.client = Client.sandbox(seed=seed, rate_limit=None)
        self.client.timeout = (5.0, 10.0)
        self.sandbox: Any = self.client.transport.sandbox  # type: ignore[attr-defined]
        self.names: list[str] = []
        self.failures: Counter[str] = Counter()
        self.read_failures: list[droplets.DropletsError] = []
        self.ops: Counter[str] = Counter()

    def known(self) -> list[int]:
        return [d["id"] for d in self.sandbox.droplets()]

    def run_one(self, number: int) -> None:
        op = self.rng.choices(["list", "get", "create", "action", "destroy"], weights=[3, 3, 2, 3, 1])[0]
        self.ops[op] += 1
        try:
            if op == "list":
                list(self.client.droplets.all())
            elif op == "get":
                ids = self.known()
                if ids:
                    self.client.droplets.get(id=self.rng.choice(ids))
            elif op == "create":
                name = f"chaos-{number}"
                self.names.append(name)
                try:
                    self.client.droplets.create(name=name, wait=self.rng.random() < 0.3, poll=1, **CREATE)
                except droplets.DropletsError as error:
                    self.failures[type(error).__name__] += 1
                    # Reconcile the way the error message says: by name.
                    self.client.droplets.present(name=name, **CREATE)
            elif op == "action":
                state = self.sandbox.droplets()
                if state:
                    droplet = Droplet._from_wire(self.rng.choice(state), self.client)
                    verb = self.rng.choice(["power_off", "power_on", "reboot", "power_cycle"])
                    getattr(droplet, verb)(wait=self.rng.random() < 0.5, poll=1)
            elif op == "destroy":
                ids = self.known()
                if len(ids) > 3:
                    self.client.droplets.get(id=self.rng.choice(ids)).destroy()
        except droplets.DropletsError as error:
            self.failures[type(error).__name__] += 1
            if op in ("list", "get") and not isinstance(error, droplets.NotFound):
                self.read_failures.append(error)
        # Anything else propagates and fails the test: it would reach a user untyped.


@pytest.mark.parametrize("seed", [1, 2])
def test_chaos(seed: int, capsys: pytest.CaptureFixture[str]) -> None:
    chaos = Chaos(seed)
    chaos.sandbox.faults.random(rate=0.2, seed=seed, delay=30.0)
    for number in range(OPERATIONS):
        chaos.run_one(number)
    injected = chaos.sandbox.faults.injected
    chaos.sandbox.faults.clear()

    # Every read that failed had spent the whole retry budget.
    for error in chaos.read_failures:
        assert getattr(error, "attempts", 1) == chaos.client.retry.attempts, error

    # No create call ever produced two droplets.
    state = chaos.sandbox.droplets()
    names = Counter(d["name"] for d in state)
    assert all(count == 1 for count in names.values()), [n for n, c in names.items() if c > 1]

    # The client's view matches the sandbox.
    view = {d.id: (d.name, d.status) for d in chaos.client.droplets.all()}
    assert view == {d["id"]: (d["name"], d["status"]) for d in chaos.sandbox.droplets()}

    total_faults = sum(injected.values())
    assert sum(chaos.ops.values()) == OPERATIONS
    assert total_faults > 0.15 * chaos.sandbox.request_count
    with capsys.disabled():
        print(
            f"\nchaos seed={seed}: {OPERATIONS} operations {dict(chaos.ops)}, {chaos.sandbox.request_count} requests, "
            f"{total_faults} faults injected {injected}, {chaos.client.retries_made} retries, "
            f"failures reaching the caller {dict(chaos.failures)}, reads failed after full budget "
            f"{len(chaos.read_failures)}, duplicates 0"
        )
