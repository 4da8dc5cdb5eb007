"""One rate-limit budget for a fleet: clients on many processes and hosts share a token's windows.

DigitalOcean limits each token (250 requests a minute, 5,000 an hour). N
worker processes that pace themselves in process each believe they own the
budget, burst together into 429s and back off together. A
`SharedRateLimiter` keeps the token's windows in a store that every client
of the fleet reaches, through the `limits` library (its moving-window
strategy and its storage URIs: ``memory://``, ``redis://``,
``redis+sentinel://``, ``redis+cluster://``, ...), so the fleet as a whole
stays inside the windows.

* The store key is a keyed hash (HMAC-SHA256) of the token: it never
  contains or reveals the token, and every client with the same token and
  store meets at the same key.
* The wait before a request is the larger of the shared budget's and the
  one the server's ``ratelimit-*`` headers imply (the in-process
  `droplets.ratelimit.HeaderPacer` it wraps).
* An unreachable store raises `droplets.RateLimitStoreError` at the request
  that found it so (nothing is sent), unless ``fallback="local"``: then the
  client paces in process, logs a warning, and tries the store again after
  `RETRY_STORE_AFTER` seconds.

The windows are moving windows kept with each client's ``time.time()``, so
the hosts of a fleet need synchronised clocks (NTP), as the `limits` library
assumes. This module imports `limits` only when a limiter is built: without
the ``shared`` extra, ``import droplets`` does not change.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from droplets.client import ConfigurationError
from droplets.errors import RateLimitStoreError
from droplets.ratelimit import HeaderPacer, RateLimit

if TYPE_CHECKING:
    from limits import RateLimitItem
    from limits.strategies import MovingWindowRateLimiter

__all__ = ["DEFAULT_WINDOWS", "RETRY_STORE_AFTER", "Fallback", "SharedRateLimiter", "store_key"]

log = logging.getLogger("droplets")

DEFAULT_WINDOWS = "250/minute;5000/hour"
"""DigitalOcean's limits per token, in the `limits` notation."""
RETRY_STORE_AFTER = 30.0
"""Seconds a client with ``fallback="local"`` paces in process before trying the store again."""
LATENCY_MARGIN = 1
"""Whole seconds each window is counted longer in the store than the server counts it.

A client counts a request in the store just before sending it; the server counts it when it arrives, a
little later. Were both windows equally long, a slot would free in the store while the server still
counts the request that took it, and a fleet running at the limit would get the odd 429. One second
covers any request that arrives within a second of being counted, for a small cost: the fleet's rate is
``W / (W + 1)`` of the limit (98% of DigitalOcean's 250 a minute, 91% of 120 per 10 s)."""

Fallback = Literal["fail", "local"]
_SETTLE = 0.01  # past the reset, so the slot has left the window when the client asks again
_KEY_CONTEXT = b"droplets-orm shared rate limit v1"
_REDIS_SCHEMES = ("redis", "rediss", "redis+unix", "valkey", "valkeys", "valkey+unix")
_REDIS_TIMEOUTS = {"socket_connect_timeout": 5.0, "socket_timeout": 5.0}


def store_key(token: str) -> str:
    """Return the store key of a token's budget: a keyed hash that does not reveal the token.

    Args:
        token: The API token.

    Returns:
        ``droplets-`` and 32 hex digits of HMAC-SHA256 of the token.
    """
    digest = hmac.new(_KEY_CONTEXT, token.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
    return f"droplets-{digest[:32]}"


def redact_store(uri: str) -> str:
    """Return a store URI fit for messages: without user name or password.

    Args:
        uri: The store URI as configured.

    Returns:
        The URI with its user info replaced by ``***``.
    """
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<unparsable store URI>"
    if "@" not in parts.netloc:
        return uri
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"***@{host}"))


class SharedRateLimiter:
    """A `droplets.ratelimit.RateLimiter` whose windows live in a shared store.

    Args:
        store: A `limits` storage URI, e.g. ``"redis://127.0.0.1:6379/0"``.
        token: The token whose budget this is (only its keyed hash is used).
        windows: The windows to enforce, in the `limits` notation
            (``"250/minute;5000/hour"``, DigitalOcean's, by default).
        fallback: ``"fail"`` (default) raises `droplets.RateLimitStoreError`
            when the store cannot be reached; ``"local"`` paces in process
            until it can be reached again.
        pacer: The in-process pacer on the server's headers whose wait is
            also honoured; a new `HeaderPacer` by default.
        margin: Whole seconds each window is counted longer (see `LATENCY_MARGIN`).

    Raises:
        droplets.ConfigurationError: The ``shared`` extra is not installed, the
            URI names no storage `limits` knows, the storage keeps no moving
            windows, or ``windows`` is not in the `limits` notation.
    """

    def __init__(
        self,
        store: str,
        token: str,
        *,
        windows: str | None = None,
        fallback: Fallback = "fail",
        pacer: HeaderPacer | None = None,
        margin: int = LATENCY_MARGIN,
    ) -> None:
        if fallback not in ("fail", "local"):
            raise ConfigurationError(f"rate_limit_fallback must be 'fail' or 'local', got {fallback!r}")
        try:
            from limits import RateLimitItemPerSecond, parse_many
            from limits.errors import ConfigurationError as LimitsConfigurationError
            from limits.storage import storage_from_string
            from limits.strategies import MovingWindowRateLimiter
        except ImportError as error:
            raise ConfigurationError(
                "rate_limit_store needs the shared extra: pip install 'droplets-orm[shared]' "
                f"(it could not import {error.name or 'limits'})"
            ) from None
        self.store = redact_store(store)
        self.fallback: Fallback = fallback
        self._pacer = pacer or HeaderPacer()
        self._key = store_key(token)
        self._windows = _parse_windows(parse_many, windows or DEFAULT_WINDOWS)
        self._counted = [
            RateLimitItemPerSecond(window.amount, window.get_expiry() + margin) for window in self._windows
        ]
        try:
            storage = storage_from_string(store, **_store_options(store))
            self._strategy: MovingWindowRateLimiter = MovingWindowRateLimiter(storage)
        except (LimitsConfigurationError, NotImplementedError, ValueError) as error:
            raise ConfigurationError(
                f"rate_limit_store {self.store!r} cannot be used: {error}. Give a storage URI of the limits "
                "library that keeps moving windows: redis://, rediss://, redis+sentinel://, redis+cluster://, "
                "valkey://, mongodb:// or memory://"
            ) from None
        self._lock = threading.Lock()
        self._local_until = float("-inf")

    def __repr__(self) -> str:
        windows = ";".join(str(window) for window in self._windows)
        return f"SharedRateLimiter(store={self.store!r}, windows={windows!r}, fallback={self.fallback!r})"

    @property
    def last(self) -> RateLimit | None:
        """The last rate-limit state the server reported, or None."""
        return self._pacer.last

    @property
    def windows(self) -> list[str]:
        """The windows enforced, in the `limits` notation."""
        return [str(window) for window in self._windows]

    def delay(self, now: float, cost: int = 1) -> float:
        """Count a request in the shared windows, or tell how long to wait for room.

        Args:
            now: The client's clock (used by the header pacer; the shared
                windows run on ``time.time()``, as every host of the fleet does).
            cost: How many requests this one counts for.

        Returns:
            0.0 when the request may go (it is counted), else the seconds to
            wait before asking again.

        Raises:
            droplets.RateLimitStoreError: The store cannot be reached and the
                fallback is ``"fail"``.
        """
        local = self._pacer.delay(now, cost)
        if local > 0:
            return local
        if time.monotonic() < self._local_until:
            return 0.0
        try:
            return self._take(cost)
        except Exception as error:  # the storage's own errors (redis.ConnectionError, ...)
            return self._store_failed(error)

    def _take(self, cost: int) -> float:
        # Shortest window first: a full short window costs no slot of a longer one.
        for window in self._counted:
            if not self._strategy.hit(window, self._key, cost=cost):
                reset, _ = self._strategy.get_window_stats(window, self._key)
                return max(0.0, reset - time.time()) + _SETTLE
        return 0.0

    def _store_failed(self, error: Exception) -> float:
        reason = f"{type(error).__name__}: {error}"
        if self.fallback == "local":
            with self._lock:
                self._local_until = time.monotonic() + RETRY_STORE_AFTER
            log.warning(
                "rate-limit store %s unreachable (%s); pacing in process for %g s",
                self.store,
                reason,
                RETRY_STORE_AFTER,
            )
            return 0.0
        raise RateLimitStoreError(
            f"the shared rate-limit store {self.store} cannot be reached ({reason}); nothing was sent. "
            "Start the store or fix rate_limit_store / DROPLETS_RATE_LIMIT_STORE, or pass "
            "rate_limit_fallback='local' to pace in process while the store is down",
            reached_server=False,
        ) from None

    def record(self, headers: Mapping[str, str]) -> None:
        """Record an answer's ``ratelimit-*`` headers (for the header pacer)."""
        self._pacer.record(headers)

    def rate_limited(self, now: float, wait: float) -> None:
        """Note a 429: this client's requests wait as the server asked (the shared windows are unchanged)."""
        self._pacer.rate_limited(now, wait)


def _parse_windows(parse_many: Any, text: str) -> list[RateLimitItem]:
    try:
        windows: list[RateLimitItem] = list(parse_many(text))
    except ValueError:
        windows = []
    if not windows or any(window.amount <= 0 for window in windows):
        raise ConfigurationError(
            f"rate_limits {text!r} is not in the limits notation; write e.g. {DEFAULT_WINDOWS!r} or '120/10 seconds'"
        )
    return sorted(windows, key=lambda window: window.get_expiry())


def _store_options(uri: str) -> dict[str, float]:
    """Timeouts for a Redis store unless the URI sets them: an unreachable store must not hang a request."""
    parts = urlsplit(uri)
    if parts.scheme not in _REDIS_SCHEMES:
        return {}
    given = {name for name, _ in parse_qsl(parts.query)}
    return {name: value for name, value in _REDIS_TIMEOUTS.items() if name not in given}
