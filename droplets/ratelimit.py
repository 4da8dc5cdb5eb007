"""Rate-limit bookkeeping and pacing.

DigitalOcean answers every request with ``ratelimit-limit``,
``ratelimit-remaining`` and ``ratelimit-reset`` (epoch seconds when the
oldest counted request expires). The client records the last values and,
when the remaining budget runs low, spreads the requests left over the time
until the reset instead of running into 429s. Polling loops go through the
same client, so they share the budget.
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import attrs

__all__ = ["RateLimit", "RateLimiter"]


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


class RateLimiter:
    """Thread-safe record of the last rate-limit headers, with pacing.

    Args:
        reserve: When ``remaining`` falls to this many requests or fewer, the
            client starts spreading requests until the reset.
    """

    def __init__(self, reserve: int = 50) -> None:
        self.reserve = reserve
        self._lock = threading.Lock()
        self._last: RateLimit | None = None

    @property
    def last(self) -> RateLimit | None:
        """The last known state, or None before the first answer."""
        return self._last

    def record(self, headers: dict[str, str]) -> None:
        """Update the state from an answer's headers (missing or bad ones are ignored)."""
        try:
            state = RateLimit(
                limit=int(headers["ratelimit-limit"]),
                remaining=int(headers["ratelimit-remaining"]),
                reset=float(headers["ratelimit-reset"]),
            )
        except (KeyError, ValueError):
            return
        with self._lock:
            self._last = state

    def delay(self, now: float) -> float:
        """Return how long to wait before the next request, 0 when the budget allows."""
        with self._lock:
            state = self._last
            if state is None or state.remaining > self.reserve:
                return 0.0
            until_reset = max(0.0, state.reset - now)
            if state.remaining <= 0:
                return until_reset
            # Spread what is left evenly over the time until the reset.
            self._last = attrs.evolve(state, remaining=state.remaining - 1)
            return until_reset / (state.remaining + 1)
