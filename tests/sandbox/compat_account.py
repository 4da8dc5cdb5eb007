"""The served account the third-party client suites run against (a module name unique in the test tree).

Each suite gets its own server: 230 droplets tagged ``sandbox`` (three pages
of 100), and one droplet with history from a fixture (``history-1``, tagged
``history``, with two backups and a snapshot) so that restore works at once.
Actions take 0.05 real seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from droplets.sandbox.server import SandboxServer

SEEDED = 230
ACCOUNT = {
    "droplets": [
        {
            "name": "history-1",
            "tags": ["history"],
            "backups": [{"name": "history-1 nightly"}, {"name": "history-1 weekly"}],
            "snapshots": [{"name": "history-1 golden"}],
        }
    ]
}
CREATE = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}


@contextmanager
def served_account() -> Iterator[SandboxServer]:
    """Serve the account on a free loopback port."""
    with SandboxServer(port=0, seed=0, action_seconds=0.05, seed_droplets=SEEDED, fixture=ACCOUNT) as server:
        # These clients take "active" for ready and a 204 for gone (the gaps droplets' own waits
        # close); their workflows are checked with addresses assigned and droplets gone at once.
        server.sandbox.lifecycle.set(networks_after=0, gone_after=0)
        yield server


def until(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    """Poll ``predicate`` until it holds (fails the test after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.03)
