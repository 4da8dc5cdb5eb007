"""Rate-limit bookkeeping and pacing: the `RateLimiter` protocol and its in-process default.

DigitalOcean answers every request with ``ratelimit-limit``,
``ratelimit-remaining`` and ``ratelimit-reset`` (epoch seconds when the
oldest counted request expires). The default limiter, `HeaderPacer`,
records the last values and, when the remaining budget runs low, spreads the
requests left over the time until the reset instead of running into 429s.
Polling loops go through the same client, so they share the budget. A client
takes any other object with the small `RateLimiter` protocol
(``Client(rate_limiter=...)``); ``droplets.shared_ratelimit`` has the one that
shares a token's budget across processes and hosts.

The headers are read defensively, because a broken gateway may send
anything: a reset that is not a finite number, or lies outside any plausible
date, counts as unknown; one in milliseconds since the epoch (a common
gateway mistake) is read as milliseconds; ``retry-after`` is delta seconds or
an HTTP date. Nothing here raises on a header's value.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Protocol

import attrs

__all__ = ["HeaderPacer", "RateLimit", "RateLimiter", "parse_reset", "parse_retry_after", "reset_datetime"]

# Epoch seconds below this are read as seconds (up to the year 5138), up to
# LATEST_MILLISECONDS as milliseconds; anything larger is not a date.
LATEST_SECONDS = 1e11
LATEST_MILLISECONDS = 1e14


def _finite(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip())
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def parse_reset(value: str | None) -> float | None:
    """Read a ``ratelimit-reset`` header as epoch seconds.

    Args:
        value: The header's text, or None when absent.

    Returns:
        Epoch seconds, or None when the value is absent, not a finite
        number, negative, or beyond any plausible date. A value that only
        makes sense in milliseconds since the epoch is converted.
    """
    number = _finite(value)
    if number is None or number < 0 or number >= LATEST_MILLISECONDS:
        return None
    return number if number < LATEST_SECONDS else number / 1000


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Read a ``retry-after`` header as seconds to wait.

    Args:
        value: The header's text (delta seconds or an HTTP date), or None.
        now: The current epoch time, for an HTTP date.

    Returns:
        Seconds (0 or more, possibly very large), or None when the value is
        absent, negative, not finite or not a date.
    """
    if value is None:
        return None
    number = _finite(value)
    if number is not None:
        return number if number >= 0 else None
    from email.utils import parsedate_to_datetime  # rare: a date instead of seconds; not worth an import at start

    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, moment.timestamp() - now)


def reset_datetime(reset: float | None) -> datetime | None:
    """Return epoch seconds as an aware datetime, or None when absent or not a plausible date."""
    if reset is None or not 0 <= reset < LATEST_SECONDS:  # False for NaN too
        return None
    return datetime.fromtimestamp(reset, tz=timezone.utc)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is not None:
        return value
    for key, candidate in headers.items():
        if key.lower() == name:
            return candidate
    return None


def _count(value: str | None) -> int | None:
    if value is None or len(value) > 30:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


@attrs.frozen
class RateLimit:
    """The last rate-limit state the server reported.

    Attributes:
        limit: Requests allowed per window.
        remaining: Requests left in the window.
        reset: Epoch seconds when the oldest counted request expires.
    """

    limit: int
    remaining: int
    reset: float

    @property
    def reset_at(self) -> datetime:
        """The reset time as an aware datetime."""
        return datetime.fromtimestamp(self.reset, tz=timezone.utc)

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimit | None:
        """Read the ``ratelimit-*`` headers; None when one is missing or unusable."""
        limit = _count(_header(headers, "ratelimit-limit"))
        remaining = _count(_header(headers, "ratelimit-remaining"))
        reset = parse_reset(_header(headers, "ratelimit-reset"))
        if limit is None or remaining is None or reset is None or limit <= 0:
            return None
        return cls(limit=limit, remaining=min(max(0, remaining), limit), reset=reset)


class RateLimiter(Protocol):
    """What a `droplets.Client` asks of its rate limiter (``Client(rate_limiter=...)``).

    Any object with these members will do. The client calls them, from any of
    its threads, in this order for every attempt of a request:

    1. `delay` until it answers 0: a positive answer is a wait the client
       sleeps on its clock before asking again (a wait that would take the
       request's pacing past ``RetryPolicy.max_server_wait`` raises
       `droplets.RateLimited` instead, and nothing is sent);
    2. the request is sent;
    3. `record` with the answer's headers, whatever its status;
    4. on a 429 the client will wait out (``retry-after``, or a spent
       budget until its reset), `rate_limited` with that wait.

    The default is a `HeaderPacer` (in process, on the server's headers);
    ``Client(rate_limit_store=...)`` uses a
    `droplets.shared_ratelimit.SharedRateLimiter`.
    """

    @property
    def last(self) -> RateLimit | None:
        """The last rate-limit state the server reported, or None (``Client.rate_limit``)."""
        ...

    def delay(self, now: float, cost: int = 1) -> float:
        """Return 0.0 when a request of ``cost`` may go now (and count it), else seconds to wait before asking again.

        Args:
            now: The client's clock (epoch seconds; virtual on the sandbox).
            cost: How many requests this one counts for.
        """
        ...

    def record(self, headers: Mapping[str, str]) -> None:
        """Take note of an answer's headers (``ratelimit-*``); must not raise on any value."""
        ...

    def rate_limited(self, now: float, wait: float) -> None:
        """Take note of a 429 whose ``wait`` (seconds) the client is about to wait out."""
        ...


class HeaderPacer:
    """The default `RateLimiter`: paces one client on the ``ratelimit-*`` headers it sees, in process.

    Thread-safe. While ``remaining`` is above ``reserve`` requests go at
    once; at or below it they are spread evenly over the time until the
    reset; when the budget is spent the wait is the time until the reset.
    After a 429 every thread of the client waits out the server's wait.

    Args:
        reserve: When ``remaining`` falls to this many requests or fewer, the
            client starts spreading requests until the reset.
        max_spread: The longest pause between two requests while spreading
            (a courtesy wait, unlike the wait for a spent budget).
    """

    def __init__(self, reserve: int = 50, max_spread: float = 120.0) -> None:
        self.reserve = reserve
        self.max_spread = max_spread
        self._lock = threading.Lock()
        self._last: RateLimit | None = None
        self._next_at = float("-inf")
        self._slot_due = False
        self._paused_until = float("-inf")

    def __repr__(self) -> str:
        return f"HeaderPacer(reserve={self.reserve!r}, max_spread={self.max_spread!r})"

    @property
    def last(self) -> RateLimit | None:
        """The last known state, or None before the first answer."""
        return self._last

    def record(self, headers: Mapping[str, str]) -> None:
        """Update the state from an answer's headers (missing or unusable ones are ignored)."""
        state = RateLimit.from_headers(headers)
        if state is None:
            return
        with self._lock:
            self._last = state

    def rate_limited(self, now: float, wait: float) -> None:
        """Hold every request of the client until ``wait`` seconds from ``now`` have passed."""
        if wait > 0:  # False for NaN too
            with self._lock:
                self._paused_until = max(self._paused_until, now + wait)

    def delay(self, now: float, cost: int = 1) -> float:
        """Return 0.0 when a request may go now, else the seconds to wait before asking again.

        When the budget is spent this is the time until the reset, however
        long (the client compares it with its retry policy's cap); while the
        budget is low, requests go one per even share of that time, at most
        ``max_spread`` apart.
        """
        with self._lock:
            if now < self._paused_until:
                return self._paused_until - now
            if now < self._next_at:
                return self._next_at - now
            if self._slot_due:  # the caller waited for the slot it was given
                self._slot_due = False
                return 0.0
            state = self._last
            if state is None or state.remaining > self.reserve:
                return 0.0
            until_reset = state.reset - now
            if until_reset <= 0:
                return 0.0  # the window moved on; the next answer tells where it stands
            if state.remaining <= 0:
                return until_reset
            # Spread what is left evenly over the time until the reset: the slot is one share away.
            wait = min(self.max_spread, until_reset / (state.remaining + 1)) * cost
            self._next_at, self._slot_due = now + wait, True
            self._last = attrs.evolve(state, remaining=max(0, state.remaining - cost))
            return wait
