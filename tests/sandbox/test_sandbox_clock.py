"""Clocks, determinism and thread safety of the sandbox."""

from __future__ import annotations

import threading
import uuid

import pytest
from sandbox_api import Api

from droplets.sandbox import RealClock, Sandbox, VirtualClock


def test_virtual_clock_moves_only_when_told() -> None:
    clock = VirtualClock(start=100.0)
    assert clock.time() == 100.0 and clock.monotonic() == 0.0
    clock.sleep(5)
    clock.advance(2.5)
    assert clock.time() == 107.5 and clock.monotonic() == 7.5
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_virtual_clock_sleep_is_thread_safe() -> None:
    clock = VirtualClock(start=0.0)
    threads = [threading.Thread(target=lambda: [clock.sleep(1) for _ in range(1000)]) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert clock.time() == 4000.0


def test_real_clock_follows_the_wall() -> None:
    clock = RealClock()
    before = clock.monotonic()
    clock.sleep(0.001)
    assert clock.monotonic() > before and clock.time() > 1_600_000_000


def test_default_clock_is_virtual() -> None:
    assert isinstance(Sandbox().clock, VirtualClock)


def _scenario(seed: int) -> list[bytes]:
    sandbox = Sandbox(seed=seed)
    api = Api(sandbox)
    api.create("a", ipv6=True)
    sandbox.clock.sleep(60)
    unauthorized = api.get("/v2/droplets", token=None).json()
    return [api.get("/v2/droplets").body, api.get("/v2/actions").body, unauthorized["id"].encode()]


def test_same_seed_same_answers_other_seed_other_ids() -> None:
    assert _scenario(3) == _scenario(3)
    assert _scenario(3)[0] != _scenario(4)[0]


def test_request_ids_are_unique_even_with_the_same_seed() -> None:
    first, second = Api(Sandbox(seed=3)), Api(Sandbox(seed=3))
    ids = [api.get("/v2/regions").headers["x-request-id"] for api in (first, second) for _ in range(3)]
    assert len(set(ids)) == 6
    assert all(uuid.UUID(rid).version == 4 for rid in ids)


def test_concurrent_creates_get_distinct_ids() -> None:
    sandbox = Sandbox(rate_limit=None)
    api = Api(sandbox)
    ids: list[int] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        for i in range(20):
            droplet = api.create(f"t{n}-{i}")
            with lock:
                ids.append(droplet["id"])

    threads = [threading.Thread(target=work, args=(n,)) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(ids) == len(set(ids)) == 100
