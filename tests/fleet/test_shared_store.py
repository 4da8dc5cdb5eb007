"""``Client(rate_limit_store=...)``: one budget per token in a store, with the `limits` library and a real Redis."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time

import pytest

import droplets
from droplets import Client
from droplets.shared_ratelimit import SharedRateLimiter, store_key
from tests.conftest import MockTransport, json_response
from tests.fleet.conftest import ROOT, free_port

TOKEN = "dop_v1_" + "5ec7e7" * 10
LISTING = {"droplets": [], "meta": {"total": 0}, "links": {}}


class CountingClock:
    """The real clock (the shared windows run on real time), counting the pauses the client takes."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.lock = threading.Lock()

    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.sleeps.append(seconds)
        time.sleep(seconds)


def one_request(client: Client) -> object:
    """One GET through the client's policy (a droplet count may read two lists)."""
    return client.request("GET", "/v2/regions")


def listing_client(**options: object) -> tuple[Client, MockTransport, CountingClock]:
    transport = MockTransport(lambda request: json_response(200, LISTING))
    clock = CountingClock()
    return Client(token=TOKEN, transport=transport, clock=clock, **options), transport, clock  # type: ignore[arg-type]


def test_clients_on_one_token_and_store_share_one_budget(redis_store: str) -> None:
    first, first_sent, first_clock = listing_client(rate_limit_store=redis_store, rate_limits="4/2 seconds")
    second, second_sent, second_clock = listing_client(rate_limit_store=redis_store, rate_limits="4/2 seconds")
    for _ in range(2):
        one_request(first)
        one_request(second)
    assert first_clock.sleeps == second_clock.sleeps == [], "four requests fit the window"
    one_request(second)
    assert len(second_clock.sleeps) == 1, "the fifth waited for room in the budget the first client used too"
    assert len(first_sent.requests) + len(second_sent.requests) == 5


def test_another_token_has_its_own_budget(redis_store: str) -> None:
    ours, _, our_clock = listing_client(rate_limit_store=redis_store, rate_limits="2/minute")
    one_request(ours)
    one_request(ours)
    transport = MockTransport(lambda request: json_response(200, LISTING))
    other = Client(token="another", transport=transport, rate_limit_store=redis_store, rate_limits="2/minute")
    one_request(other)
    one_request(other)
    assert our_clock.sleeps == [] and len(transport.requests) == 2


def test_the_store_key_never_contains_the_token(redis_store: str) -> None:
    import redis

    client, _, _ = listing_client(rate_limit_store=redis_store)
    one_request(client)
    connection = redis.Redis.from_url(redis_store)
    keys = [key.decode() for key in connection.keys("*")]
    values = [item.decode() for key in keys for item in connection.lrange(key, 0, -1)]
    connection.close()
    assert keys and all(store_key(TOKEN) in key for key in keys)
    text = " ".join(keys + values)
    assert TOKEN not in text and TOKEN[7:] not in text and TOKEN[-12:] not in text
    assert store_key(TOKEN) != store_key(TOKEN + "x") and len(store_key(TOKEN)) == len("droplets-") + 32


def test_the_default_windows_are_digitaloceans(redis_store: str) -> None:
    client, _, _ = listing_client(rate_limit_store=redis_store)
    assert isinstance(client.rate_limiter, SharedRateLimiter)
    assert client.rate_limiter.windows == ["250 per 1 minute", "5000 per 1 hour"]


def test_an_unreachable_store_fails_the_first_request_clearly_and_sends_nothing() -> None:
    store = f"redis://:s3cr3t-pw@127.0.0.1:{free_port()}/0"
    client, transport, _ = listing_client(rate_limit_store=store)  # building it needs no store yet
    with pytest.raises(droplets.RateLimitStoreError) as caught:
        one_request(client)
    message = str(caught.value)
    assert "cannot be reached" in message and "rate_limit_fallback='local'" in message
    assert "s3cr3t-pw" not in message and TOKEN not in message
    assert "redis://***@127.0.0.1" in message
    assert caught.value.reached_server is False
    assert isinstance(caught.value, droplets.TransportError)
    assert transport.requests == []


def test_an_unreachable_store_can_fall_back_to_pacing_in_process(caplog: pytest.LogCaptureFixture) -> None:
    store = f"redis://127.0.0.1:{free_port()}/0"
    client, transport, _ = listing_client(rate_limit_store=store, rate_limit_fallback="local")
    with caplog.at_level(logging.WARNING, logger="droplets"):
        assert one_request(client) == LISTING
        assert one_request(client) == LISTING
    assert len(transport.requests) == 2
    warnings = [record.getMessage() for record in caplog.records if "pacing in process" in record.getMessage()]
    assert len(warnings) == 1, "one warning, then in-process pacing until the store is tried again"


def test_a_memory_store_keeps_the_windows_in_this_process() -> None:
    client, transport, clock = listing_client(rate_limit_store="memory://", rate_limits="3/second")
    for _ in range(4):
        one_request(client)
    assert len(clock.sleeps) == 1 and len(transport.requests) == 4


def test_the_store_comes_from_the_environment_and_from_configure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DROPLETS_RATE_LIMIT_STORE", "memory://")
    assert isinstance(Client(token=TOKEN).rate_limiter, SharedRateLimiter)
    assert not isinstance(Client.sandbox().rate_limiter, SharedRateLimiter), "a sandbox paces on its virtual clock"
    monkeypatch.delenv("DROPLETS_RATE_LIMIT_STORE")
    previous = droplets.client._reset_default()
    try:
        configured = droplets.configure(token=TOKEN, rate_limit_store="memory://", rate_limits="5/second")
        assert isinstance(configured.rate_limiter, SharedRateLimiter)
        assert configured.rate_limiter.windows == ["5 per 1 second"]
    finally:
        droplets.client._reset_default(previous)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"rate_limit_store": "nope://somewhere"}, "cannot be used"),
        ({"rate_limit_store": "memory://", "rate_limits": "lots"}, "limits notation"),
        ({"rate_limit_store": "memory://", "rate_limits": "0/minute"}, "limits notation"),
        ({"rate_limit_store": "memory://", "rate_limit_fallback": "maybe"}, "'fail' or 'local'"),
    ],
)
def test_bad_store_settings_are_refused_at_construction(options: dict[str, str], expected: str) -> None:
    with pytest.raises(droplets.ConfigurationError, match=expected):
        Client(token=TOKEN, **options)  # type: ignore[arg-type]


def test_without_the_shared_extra_the_store_asks_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "limits", None)
    with pytest.raises(droplets.ConfigurationError, match=r"droplets-orm\[shared\]"):
        Client(token=TOKEN, rate_limit_store="redis://127.0.0.1:6379/0")


def test_the_default_path_imports_nothing_new() -> None:
    script = (
        "import sys, droplets\n"
        "droplets.Client(token='t')\n"
        "client = droplets.Client.sandbox()\n"
        "client.droplets.create(name='a', region='nyc3', size='s-1vcpu-1gb', image='ubuntu-24-04-x64', wait=True)\n"
        "client.droplets.count()\n"
        "new = ('limits', 'redis', 'droplets.shared_ratelimit')\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in new or m == new[-1]]\n"
        "print(loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
