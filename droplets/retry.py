"""The retry policy: patient with reads, careful with writes.

* Idempotent requests (GET, HEAD, PUT, DELETE, OPTIONS) are retried on 429,
  500, 502, 503, 504, connection errors and read timeouts.
* A POST (create, actions) is retried only when the request provably never
  reached the server (connection refused, DNS failure, connect timeout) or the
  server answered 429 (a rate-limited request was not processed). After any
  other failure the POST may have taken effect, so it is not repeated: the
  error says so, and for creates points to ``present()``, which reconciles by
  name.
* Waits between attempts are capped exponential backoff with full jitter;
  ``retry-after`` and ``ratelimit-reset`` are honoured when the server sends
  them.
* No wait, whether pacing or retry, is longer than ``max_server_wait``: a
  server that asks for more gets a `droplets.RateLimited` raised instead of a
  long sleep.
"""

from __future__ import annotations

import math
import random
from typing import Any

import attrs

from droplets.errors import ValidationError

__all__ = ["IDEMPOTENT_METHODS", "RETRY_STATUSES", "RetryPolicy"]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def _seconds(instance: Any, attribute: attrs.Attribute[float], value: float) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) or value < 0:
        raise ValidationError(f"RetryPolicy.{attribute.name} must be finite seconds, 0 or more; got {value!r}")


@attrs.frozen
class RetryPolicy:
    """How often and how patiently the client retries.

    Attributes:
        attempts: Total attempts per request, the first included (1 = never retry).
        backoff_base: First backoff ceiling in seconds; doubles per attempt.
        backoff_cap: Largest backoff ceiling in seconds.
        max_server_wait: The cap on every wait: the longest wait the policy
            accepts from ``retry-after``, ``ratelimit-reset`` or pacing
            before raising `droplets.RateLimited` instead; backoff waits are
            clamped to it too.
    """

    attempts: int = attrs.field(default=5, validator=attrs.validators.ge(1))
    backoff_base: float = attrs.field(default=0.5, validator=_seconds)
    backoff_cap: float = attrs.field(default=30.0, validator=_seconds)
    max_server_wait: float = attrs.field(default=120.0, validator=_seconds)

    def may_retry_status(self, method: str, status: int) -> bool:
        """Tell whether an answer with ``status`` may be retried for ``method``."""
        if status not in RETRY_STATUSES:
            return False
        return status == 429 or method in IDEMPOTENT_METHODS

    def may_retry_failure(self, method: str, reached_server: bool | None) -> bool:
        """Tell whether a request that got no answer may be sent again."""
        return method in IDEMPOTENT_METHODS or reached_server is False

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Return the full-jitter wait after failed attempt number ``attempt`` (1-based)."""
        doublings = min(attempt - 1, 64)  # 2 ** 64 already outgrows any cap
        ceiling = min(self.backoff_cap, self.max_server_wait, self.backoff_base * (2**doublings))
        return rng.uniform(0, ceiling)
