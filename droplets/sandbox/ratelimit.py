"""Per-token sliding-window rate limits, as the real API applies them.

Each request counts for one hour (and, for the burst limit, one minute) after
it is made. ``ratelimit-reset`` is when the oldest counted request expires.
Some paths have a special limit of their own: ``GET /v2/account/keys`` allows
10 requests per 60 seconds (answered with 429 and ``retry-after``).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from droplets.sandbox.errors import ApiError

HOUR = 3600.0
MINUTE = 60.0
NOMINAL_LIMIT = 5000
SPECIAL_LIMITS: dict[str, int] = {"/v2/account/keys": 10}


@dataclass
class _Windows:
    hour: deque[float]
    minute: deque[float]
    special: dict[str, deque[float]]


class RateLimiter:
    """Counts requests per token.

    Args:
        rate_limit: Requests per hour, or None to never answer 429.
        burst_limit: Requests per minute, or None for no burst limit.
    """

    def __init__(self, rate_limit: int | None = 5000, burst_limit: int | None = 250) -> None:
        self.rate_limit = rate_limit
        self.burst_limit = burst_limit
        self._tokens: dict[str, _Windows] = {}

    def _windows(self, token: str, now: float) -> _Windows:
        windows = self._tokens.setdefault(token, _Windows(deque(), deque(), {}))
        while windows.hour and windows.hour[0] <= now - HOUR:
            windows.hour.popleft()
        while windows.minute and windows.minute[0] <= now - MINUTE:
            windows.minute.popleft()
        return windows

    def admit(self, token: str, now: float, path: str = "") -> None:
        """Count a request, or refuse it.

        Args:
            token: The bearer token.
            now: Epoch seconds.
            path: The request path (for the per-path special limits).

        Raises:
            ApiError: 429; with ``retry-after`` when the burst limit was hit.
        """
        windows = self._windows(token, now)
        if self.rate_limit is not None:
            if len(windows.hour) >= self.rate_limit:
                raise ApiError(429)
            if self.burst_limit is not None and len(windows.minute) >= self.burst_limit:
                wait = max(1, math.ceil(windows.minute[0] + MINUTE - now))
                raise ApiError(429, headers={"retry-after": str(wait)})
            self._admit_special(windows, path, now)
        windows.hour.append(now)
        windows.minute.append(now)

    @staticmethod
    def _admit_special(windows: _Windows, path: str, now: float) -> None:
        limit = SPECIAL_LIMITS.get(path.rstrip("/"))
        if limit is None:
            return
        recent = windows.special.setdefault(path.rstrip("/"), deque())
        while recent and recent[0] <= now - MINUTE:
            recent.popleft()
        if len(recent) >= limit:
            wait = max(1, math.ceil(recent[0] + MINUTE - now))
            raise ApiError(429, headers={"retry-after": str(wait)})
        recent.append(now)

    def headers(self, token: str, now: float) -> dict[str, str]:
        """Return the ``ratelimit-*`` headers for a token.

        Args:
            token: The bearer token ("" for unauthenticated requests).
            now: Epoch seconds.

        Returns:
            ``ratelimit-limit``, ``ratelimit-remaining`` and ``ratelimit-reset``.
        """
        windows = self._windows(token, now)
        limit = self.rate_limit if self.rate_limit is not None else NOMINAL_LIMIT
        oldest = windows.hour[0] if windows.hour else now
        return {
            "ratelimit-limit": str(limit),
            "ratelimit-remaining": str(max(0, limit - len(windows.hour))),
            "ratelimit-reset": str(math.ceil(oldest + HOUR)),
        }
