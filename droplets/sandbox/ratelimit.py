"""Per-token sliding-window rate limits, as the real API applies them.

Each request counts for one hour (and, for the burst limit, one minute, or
the burst window given) after it is made. ``ratelimit-reset`` is when the
oldest counted request expires. The limits are per token: every client that
sends the same token, however many, draws from one budget. The limiter counts
the 429s it answers (`RateLimiter.stats`).
Some paths have a special limit of their own: ``GET /v2/account/keys`` allows
10 requests per 60 seconds (answered with 429 and ``retry-after``).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from droplets.sandbox.errors import ApiError

HOUR = 3600.0
MINUTE = 60.0
NOMINAL_LIMIT = 5000
SPECIAL_LIMITS: dict[str, int] = {"/v2/account/keys": 10}


class _Refusal(ApiError):
    """A 429 of one of the limits (``kind``: hourly, burst or path)."""

    def __init__(self, kind: str, retry_after: int | None = None) -> None:
        super().__init__(429, headers={"retry-after": str(retry_after)} if retry_after is not None else None)
        self.kind = kind


@dataclass
class _Windows:
    hour: deque[float]
    minute: deque[float]
    special: dict[str, deque[float]]
    admitted: int = 0
    refused: dict[str, int] = field(default_factory=dict)


class RateLimiter:
    """Counts requests per token.

    Args:
        rate_limit: Requests per hour, or None to never answer 429.
        burst_limit: Requests per burst window, or None for no burst limit.
        burst_window: The burst window in seconds (DigitalOcean's is a minute).
    """

    def __init__(
        self, rate_limit: int | None = 5000, burst_limit: int | None = 250, burst_window: float = MINUTE
    ) -> None:
        if not burst_window > 0:
            raise ValueError(f"burst_window must be positive seconds, got {burst_window!r}")
        self.rate_limit = rate_limit
        self.burst_limit = burst_limit
        self.burst_window = float(burst_window)
        self._tokens: dict[str, _Windows] = {}

    def _windows(self, token: str, now: float) -> _Windows:
        windows = self._tokens.setdefault(token, _Windows(deque(), deque(), {}))
        while windows.hour and windows.hour[0] <= now - HOUR:
            windows.hour.popleft()
        while windows.minute and windows.minute[0] <= now - self.burst_window:
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
        try:
            self._check(windows, path, now)
        except _Refusal as refusal:
            windows.refused[refusal.kind] = windows.refused.get(refusal.kind, 0) + 1
            raise
        windows.admitted += 1
        windows.hour.append(now)
        windows.minute.append(now)

    def _check(self, windows: _Windows, path: str, now: float) -> None:
        if self.rate_limit is None:
            return
        if len(windows.hour) >= self.rate_limit:
            raise _Refusal("hourly")
        if self.burst_limit is not None and len(windows.minute) >= self.burst_limit:
            wait = max(1, math.ceil(windows.minute[0] + self.burst_window - now))
            raise _Refusal("burst", wait)
        self._admit_special(windows, path, now)

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
            raise _Refusal("path", wait)
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

    def stats(self) -> dict[str, int]:
        """Count what the limits did, over every token.

        Returns:
            ``admitted`` (requests let through), ``rate_limited`` (429s
            answered) and, of those, ``hourly``, ``burst`` and ``path`` (a
            per-path special limit); ``tokens``, how many tokens were seen.
        """
        counts = {"admitted": 0, "rate_limited": 0, "hourly": 0, "burst": 0, "path": 0, "tokens": len(self._tokens)}
        for windows in self._tokens.values():
            counts["admitted"] += windows.admitted
            for kind, refused in windows.refused.items():
                counts[kind] += refused
                counts["rate_limited"] += refused
        return counts
