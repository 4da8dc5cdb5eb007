"""Rate-limit headers from a broken gateway (issue 11, item 3).

A hostile fake API answers with absurd ``ratelimit-reset`` and
``retry-after`` values. Whatever it sends, the client raises nothing but a
`droplets.DropletsError`, never sleeps longer than the policy's cap, never
hands a non-finite number to the clock, and raises `droplets.RateLimited`
(with ``reset_at`` and ``retry_after``) instead of sleeping for longer than
the cap.
"""

from __future__ import annotations

import contextlib
import math
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import droplets
from droplets import Client, Request, Response, RetryPolicy
from tests.conftest import MockTransport, json_response

NOW = 1_700_000_000.0
# client.droplets.filter(type="droplets").count() below is one request (count() of all() is two: the GPU list too).
EMPTY_LISTING = {"droplets": [], "meta": {"total": 0}, "links": {}}
TOO_MANY = {"id": "too_many_requests", "message": "API Rate limit exceeded."}
ABSURD_RESETS = [
    str(int((NOW + 30) * 1000)),  # milliseconds since the epoch
    "1e20",
    "inf",
    "-inf",
    "nan",
    "-1e30",
    "1e308",
    "garbage",
    "",
    "0x10",
    "9" * 400,
]


class RecordingClock:
    """A virtual clock that records every sleep and refuses what time.sleep would refuse."""

    def __init__(self) -> None:
        self.now = NOW
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now - NOW

    def sleep(self, seconds: float) -> None:
        assert math.isfinite(seconds) and seconds >= 0, f"the client slept {seconds!r}"
        self.sleeps.append(seconds)
        self.now += seconds


def client_for(transport: MockTransport, **options: object) -> tuple[Client, RecordingClock]:
    clock = RecordingClock()
    return Client(token="t", transport=transport, clock=clock, **options), clock  # type: ignore[arg-type]


def answers(*responses: Response) -> MockTransport:
    """A transport answering with ``responses`` in turn, then a normal empty listing."""
    queue = list(responses)

    def handler(request: Request) -> Response:
        return queue.pop(0) if queue else json_response(200, EMPTY_LISTING)

    return MockTransport(handler)


def spent(reset: str, status: int = 200, **extra: str) -> Response:
    body = TOO_MANY if status == 429 else EMPTY_LISTING
    return json_response(status, body, {"ratelimit-remaining": "0", "ratelimit-reset": reset, **extra})


@pytest.mark.parametrize("reset", ABSURD_RESETS)
def test_429_with_an_absurd_reset_raises_only_droplets_errors(reset: str) -> None:
    client, clock = client_for(answers(spent(reset, status=429), spent(reset, status=429)))
    try:
        assert client.droplets.filter(type="droplets").count() == 0
    except droplets.RateLimited as error:
        assert error.retry_after is None or error.retry_after > client.retry.max_server_wait
    assert all(wait <= client.retry.max_server_wait for wait in clock.sleeps)


@pytest.mark.parametrize("reset", ABSURD_RESETS)
def test_200_with_spent_budget_and_absurd_reset_does_not_break_later_calls(reset: str) -> None:
    client, clock = client_for(answers(spent(reset)))
    assert client.droplets.filter(type="droplets").count() == 0
    for _ in range(3):
        assert client.droplets.filter(type="droplets").count() == 0
    assert all(wait <= client.retry.max_server_wait for wait in clock.sleeps)


def test_reset_in_milliseconds_is_read_as_milliseconds() -> None:
    client, clock = client_for(answers(spent(str(int((NOW + 30) * 1000)))))
    client.droplets.filter(type="droplets").count()
    assert client.rate_limit is not None
    assert client.rate_limit.reset == NOW + 30
    client.droplets.filter(type="droplets").count()
    assert clock.sleeps == [30.0], "paced until the reset the gateway meant"


def test_spent_budget_with_reset_an_hour_away_raises_instead_of_sleeping() -> None:
    transport = answers(spent(str(int(NOW + 3600))))
    client, clock = client_for(transport)
    client.droplets.filter(type="droplets").count()
    with pytest.raises(droplets.RateLimited) as caught:
        client.droplets.filter(type="droplets").count()
    error = caught.value
    assert clock.sleeps == [], "nothing slept"
    assert len(transport.requests) == 1, "nothing was sent"
    assert error.retry_after == pytest.approx(3600)
    assert error.reset_at == datetime.fromtimestamp(NOW + 3600, tz=timezone.utc)
    assert "max_server_wait" in str(error)


def test_the_cap_is_the_policys() -> None:
    transport = answers(spent(str(int(NOW + 3600))))
    client, clock = client_for(transport, retry=RetryPolicy(max_server_wait=4000))
    client.droplets.filter(type="droplets").count()
    client.droplets.filter(type="droplets").count()
    assert clock.sleeps == [3600.0]


@pytest.mark.parametrize("retry_after", ["1e20", "1e308", "7200", " 121 "])
def test_retry_after_beyond_the_cap_raises_rate_limited(retry_after: str) -> None:
    transport = answers(json_response(429, TOO_MANY, {"retry-after": retry_after}))
    client, clock = client_for(transport)
    with pytest.raises(droplets.RateLimited) as caught:
        client.droplets.filter(type="droplets").count()
    assert clock.sleeps == []
    assert len(transport.requests) == 1
    assert caught.value.retry_after is not None and caught.value.retry_after > client.retry.max_server_wait


@pytest.mark.parametrize("retry_after", ["inf", "-inf", "nan", "-1e30", "-5", "garbage", "", str(10**400)])
def test_unusable_retry_after_falls_back_to_backoff(retry_after: str) -> None:
    transport = answers(json_response(429, TOO_MANY, {"retry-after": retry_after}))
    client, clock = client_for(transport)
    assert client.droplets.filter(type="droplets").count() == 0
    assert len(clock.sleeps) == 1 and 0 <= clock.sleeps[0] <= client.retry.backoff_cap


def test_retry_after_as_an_http_date_is_honoured() -> None:
    transport = answers(json_response(429, TOO_MANY, {"retry-after": "Tue, 14 Nov 2023 22:13:40 GMT"}))
    client, clock = client_for(transport)
    assert client.droplets.filter(type="droplets").count() == 0
    assert clock.sleeps == [20.0]


def test_error_for_response_survives_absurd_headers() -> None:
    for reset in ABSURD_RESETS:
        error = droplets.errors.error_for_response(
            429, {"ratelimit-reset": reset, "retry-after": reset}, b'{"id":"too_many_requests","message":"slow"}'
        )
        assert isinstance(error, droplets.RateLimited)
        assert error.reset_at is None or error.reset_at.year < 10000


@pytest.mark.parametrize("field", ["backoff_base", "backoff_cap", "max_server_wait"])
@pytest.mark.parametrize("value", [math.inf, math.nan, -1.0])
def test_policy_refuses_non_finite_or_negative_waits(field: str, value: float) -> None:
    with pytest.raises(droplets.ValidationError):
        RetryPolicy(**{field: value})  # type: ignore[arg-type]


def test_the_system_clock_never_passes_an_absurd_sleep_to_time_sleep() -> None:
    from droplets._clock import SystemClock

    for seconds in (math.inf, math.nan, -1e30, 0.0):
        SystemClock().sleep(seconds)  # returns at once instead of raising OverflowError/ValueError


HEADER_TEXT = st.one_of(
    st.sampled_from([*ABSURD_RESETS, "0", "1", "-1", "120", "121", "3600", str(int(NOW + 10))]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=12),
)


@settings(max_examples=150, deadline=None)
@given(
    status=st.sampled_from([200, 429, 503]),
    limit=HEADER_TEXT,
    remaining=HEADER_TEXT,
    reset=HEADER_TEXT,
    retry_after=st.one_of(st.none(), HEADER_TEXT),
)
def test_any_rate_limit_headers_give_bounded_waits_and_droplets_errors(
    status: int, limit: str, remaining: str, reset: str, retry_after: str | None
) -> None:
    headers = {"ratelimit-limit": limit, "ratelimit-remaining": remaining, "ratelimit-reset": reset}
    if retry_after is not None:
        headers["retry-after"] = retry_after
    body = EMPTY_LISTING if status == 200 else TOO_MANY if status == 429 else {"id": "server_error", "message": "x"}
    hostile = json_response(status, body, headers)
    client, clock = client_for(MockTransport(lambda request: hostile))
    for _ in range(3):
        with contextlib.suppress(droplets.DropletsError):
            client.droplets.filter(type="droplets").count()
    assert all(0 <= wait <= client.retry.max_server_wait for wait in clock.sleeps)


@pytest.mark.parametrize("retry_after", ["1e20", "inf", "nan", "garbage", "3"])
def test_a_gateways_html_429_with_any_retry_after_stays_a_droplets_error(retry_after: str) -> None:
    page = Response(
        status=429, headers={"content-type": "text/html", "retry-after": retry_after}, body=b"<h1>slow</h1>"
    )
    transport = answers(page, page)
    client, clock = client_for(transport)
    try:
        assert client.droplets.count() == 0
    except droplets.DropletsError as error:
        assert "429" in str(error)
    assert all(0 <= wait <= client.retry.max_server_wait for wait in clock.sleeps)
