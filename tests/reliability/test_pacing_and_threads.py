"""Rate-limit pacing and one client shared by many threads."""

from __future__ import annotations

import random
import threading
from typing import Any

import droplets
from droplets import Client, Request, Response


class StatusCounter:
    """Wraps a transport and counts answers by status."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.statuses: dict[int, int] = {}
        self.lock = threading.Lock()

    def send(self, request: Request) -> Response:
        response: Response = self.inner.send(request)
        with self.lock:
            self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
        return response

    def close(self) -> None:
        self.inner.close()


def test_client_slows_down_instead_of_running_into_429() -> None:
    sandboxed = Client.sandbox(rate_limit=120, burst_limit=1000)
    counter = StatusCounter(sandboxed.transport)
    client = Client(token="t", transport=counter, clock=sandboxed.clock)
    started = client.clock.monotonic()
    for _ in range(200):
        client.regions.count()
    assert counter.statuses.get(429, 0) == 0, counter.statuses
    assert counter.statuses[200] == 200
    assert client.rate_limit is not None and client.rate_limit.limit == 120
    assert client.clock.monotonic() - started > 3600, "the client waited for the window to slide"


def test_rate_limit_is_exposed() -> None:
    client = Client.sandbox()
    assert client.rate_limit is None
    client.regions.count()
    state = client.rate_limit
    assert state is not None
    assert state.limit == 5000 and state.remaining == 4999
    assert state.reset_at.tzinfo is not None


def test_eight_threads_share_one_client_without_error() -> None:
    client = Client.sandbox(rate_limit=None)
    errors: list[BaseException] = []
    counts = {"ops": 0}
    lock = threading.Lock()

    def worker(number: int) -> None:
        rng = random.Random(number)
        try:
            own = client.droplets.create(
                name=f"worker-{number}", region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64",
                tags=[f"w{number}"], wait=True,
            )  # fmt: skip
            for step in range(200):
                choice = rng.randrange(6)
                if choice == 0:
                    assert own.refresh().id == own.id
                elif choice == 1:
                    assert [d.id for d in client.droplets.filter(tag=f"w{number}")] == [own.id]
                elif choice == 2:
                    assert client.droplets.count() >= 1
                elif choice == 3:
                    (own.power_on if own.status == "off" else own.power_off)(wait=True, poll=1)
                elif choice == 4:
                    own.rename(f"worker-{number}-{step}", wait=True, poll=1)
                else:
                    assert client.regions.get(slug="nyc3").slug == "nyc3"
                with lock:
                    counts["ops"] += 1
            own.destroy(wait=True, poll=1)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert counts["ops"] == 8 * 200
    assert client.droplets.count() == 0
    assert isinstance(client.rate_limit, droplets.RateLimit)
