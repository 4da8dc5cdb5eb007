"""``Client(rate_limiter=...)``: any object with the small `droplets.ratelimit.RateLimiter` protocol."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pytest

import droplets
from droplets import Client, Response, RetryPolicy
from droplets.ratelimit import HeaderPacer, RateLimit, RateLimiter
from tests.conftest import MockTransport, json_response

NOW = 1_700_000_000.0
LISTING = {"droplets": [], "meta": {"total": 0}, "links": {}}
TOO_MANY = {"id": "too_many_requests", "message": "API Rate limit exceeded."}


class VirtualClock:
    def __init__(self) -> None:
        self.now = NOW
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now - NOW

    def sleep(self, seconds: float) -> None:
        assert math.isfinite(seconds) and seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


class ScriptedLimiter:
    """A custom limiter: answers `delay` from a script and records what the client tells it."""

    def __init__(self, *delays: float) -> None:
        self.delays = list(delays)
        self.asked: list[float] = []
        self.recorded: list[Mapping[str, str]] = []
        self.limited: list[tuple[float, float]] = []

    @property
    def last(self) -> RateLimit | None:
        return RateLimit.from_headers(self.recorded[-1]) if self.recorded else None

    def delay(self, now: float, cost: int = 1) -> float:
        self.asked.append(now)
        return self.delays.pop(0) if self.delays else 0.0

    def record(self, headers: Mapping[str, str]) -> None:
        self.recorded.append(headers)

    def rate_limited(self, now: float, wait: float) -> None:
        self.limited.append((now, wait))


def build(limiter: object, *answers: Response, **options: object) -> tuple[Client, VirtualClock, MockTransport]:
    queue = list(answers)
    transport = MockTransport(lambda request: queue.pop(0) if queue else json_response(200, LISTING))
    clock = VirtualClock()
    client = Client(token="t", transport=transport, clock=clock, rate_limiter=limiter, **options)  # type: ignore[arg-type]
    return client, clock, transport


def test_a_custom_limiter_is_asked_until_it_lets_the_request_go() -> None:
    limiter = ScriptedLimiter(5.0, 2.5, 0.0)
    client, clock, transport = build(limiter)
    assert client.rate_limiter is limiter
    assert client.request("GET", "/v2/regions") == LISTING
    assert clock.sleeps == [5.0, 2.5]
    assert limiter.asked == [NOW, NOW + 5.0, NOW + 7.5], "asked again after each wait, on the client's clock"
    assert len(transport.requests) == 1
    assert limiter.recorded[0]["ratelimit-limit"] == "5000"
    assert client.rate_limit == limiter.last, "Client.rate_limit is the limiter's"


def test_a_429_is_reported_to_the_limiter_with_the_wait_the_client_takes() -> None:
    limiter = ScriptedLimiter()
    client, clock, _ = build(limiter, json_response(429, TOO_MANY, {"retry-after": "3"}))
    assert client.request("GET", "/v2/regions") == LISTING
    assert limiter.limited == [(NOW, 3.0)]
    assert clock.sleeps == [3.0]
    assert len(limiter.recorded) == 2, "the 429's headers are recorded too"


def test_a_limiter_asking_for_more_than_the_cap_raises_rate_limited_and_sends_nothing() -> None:
    limiter = ScriptedLimiter(100.0, 100.0)
    client, clock, transport = build(limiter, retry=RetryPolicy(max_server_wait=150))
    with pytest.raises(droplets.RateLimited) as caught:
        client.request("GET", "/v2/regions")
    assert clock.sleeps == [100.0], "the second wait would have taken the total past the cap"
    assert transport.requests == []
    assert caught.value.retry_after == 100.0
    assert caught.value.reset_at is not None


@pytest.mark.parametrize("absurd", [math.inf, 1e300, -5.0, math.nan])
def test_absurd_limiter_answers_never_reach_the_clock(absurd: float) -> None:
    client, clock, _ = build(ScriptedLimiter(absurd))
    try:
        client.request("GET", "/v2/regions")
    except droplets.RateLimited:
        assert absurd > 0
    assert all(0 <= wait <= client.retry.max_server_wait for wait in clock.sleeps)


def test_a_broken_limiter_becomes_a_transport_error_and_nothing_is_sent() -> None:
    class Broken(ScriptedLimiter):
        def delay(self, now: float, cost: int = 1) -> float:
            raise RuntimeError("lost its marbles")

    client, _, transport = build(Broken())
    with pytest.raises(droplets.TransportError) as caught:
        client.request("GET", "/v2/regions")
    assert "Broken raised RuntimeError: lost its marbles" in str(caught.value)
    assert caught.value.reached_server is False
    assert transport.requests == []


def test_an_object_without_the_protocol_is_refused_at_construction() -> None:
    class Incomplete:
        def delay(self, now: float, cost: int = 1) -> float:
            return 0.0

    with pytest.raises(droplets.ConfigurationError, match="lacks record, rate_limited, last"):
        Client(token="t", rate_limiter=Incomplete())  # type: ignore[arg-type]


def test_the_default_limiter_is_the_in_process_header_pacer() -> None:
    client = Client(token="t", transport=MockTransport(lambda r: json_response(200, LISTING)))
    assert isinstance(client.rate_limiter, HeaderPacer)
    limiter: RateLimiter = client.rate_limiter  # the default satisfies the protocol (checked by mypy)
    assert limiter.last is None


def test_one_429_holds_every_thread_of_the_client() -> None:
    pacer = HeaderPacer()
    pacer.rate_limited(NOW, 4.0)
    assert pacer.delay(NOW + 1) == 3.0
    assert pacer.delay(NOW + 4) == 0.0


def test_rate_limiter_and_store_together_are_refused() -> None:
    with pytest.raises(droplets.ConfigurationError, match="not both"):
        Client(token="t", rate_limiter=HeaderPacer(), rate_limit_store="memory://")


def test_rate_limits_without_a_store_are_refused() -> None:
    with pytest.raises(droplets.ConfigurationError, match="memory://"):
        Client(token="t", rate_limits="10/second")
