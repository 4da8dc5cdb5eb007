"""Fault injection: error statuses, dropped connections, delays, non-JSON bodies.

Rules are matched in the order they were injected; a rule with ``times=N``
fires N times and then stops (``times=None``: forever). ``random()`` adds a
seeded chaos mode that faults about ``rate`` of the requests no rule matched.
"""

from __future__ import annotations

import fnmatch
import random
import threading
from dataclasses import dataclass

KINDS = ("status", "drop", "delay", "not_json")


@dataclass
class Fault:
    """One injected fault rule (or one random draw)."""

    kind: str
    method: str = "*"
    path: str = "*"
    status: int = 503
    retry_after: float | None = None
    delay: float = 0.0
    times: int | None = 1
    when: str = "before"

    def matches(self, method: str, path: str) -> bool:
        """Whether this rule applies to a request.

        Args:
            method: Upper-case HTTP method.
            path: The URL path.

        Returns:
            True if method and path (exact or glob) match.
        """
        method_ok = self.method == "*" or self.method.upper() == method
        return method_ok and (self.path == path or fnmatch.fnmatchcase(path, self.path))


@dataclass
class _Chaos:
    rate: float
    rng: random.Random
    kinds: tuple[str, ...]
    statuses: tuple[int, ...]
    delay: float


class Faults:
    """The fault rules of a sandbox (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[Fault] = []
        self._chaos: _Chaos | None = None
        self._injected: dict[str, int] = {}

    def inject(
        self,
        method: str = "*",
        path: str = "*",
        kind: str = "status",
        status: int | None = None,
        times: int | None = 1,
        retry_after: float | None = None,
        delay: float = 0.0,
        when: str = "before",
    ) -> None:
        """Add a fault rule.

        Args:
            method: HTTP method to match, or ``"*"``.
            path: Exact path or glob (``/v2/droplets/*``), or ``"*"``.
            kind: ``status`` (error answer), ``drop`` (raise ``ConnectionDropped``),
                ``delay`` (answer normally after ``delay`` seconds) or ``not_json``
                (an HTML body).
            status: The status of ``status`` (default 503) or ``not_json`` (default 200).
            times: How many requests it hits; None for all.
            retry_after: Seconds for a ``retry-after`` header (``status`` kind).
            delay: Seconds of the ``delay`` kind.
            when: ``before`` the request is processed, or ``after`` (the state
                changes, then the answer is lost or replaced): for ``drop`` and
                ``status``.

        Raises:
            ValueError: For an unknown kind or ``when``, or a bad count.
        """
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        if when not in ("before", "after"):
            raise ValueError("when must be 'before' or 'after'")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for always)")
        default_status = 200 if kind == "not_json" else 503
        rule = Fault(
            kind=kind,
            method=method,
            path=path,
            status=default_status if status is None else status,
            retry_after=retry_after,
            delay=delay,
            times=times,
            when=when,
        )
        with self._lock:
            self._rules.append(rule)

    def random(
        self,
        rate: float = 0.2,
        seed: int = 1,
        kinds: tuple[str, ...] = KINDS,
        statuses: tuple[int, ...] = (500, 502, 503, 504, 429),
        delay: float = 1.0,
    ) -> None:
        """Fault about ``rate`` of the requests, reproducibly.

        Args:
            rate: Probability that a request is faulted (0..1).
            seed: Seed of the draws.
            kinds: Kinds to choose from.
            statuses: Statuses of the ``status`` kind (429 comes with
                ``retry-after: 1``).
            delay: Seconds of the ``delay`` kind.

        Raises:
            ValueError: For a rate outside 0..1 or an unknown kind.
        """
        if not 0.0 <= rate <= 1.0 or not set(kinds) <= set(KINDS) or not kinds:
            raise ValueError("rate must be within 0..1 and kinds among " + ", ".join(KINDS))
        with self._lock:
            self._chaos = _Chaos(rate, random.Random(seed), tuple(kinds), tuple(statuses), delay)

    def clear(self) -> None:
        """Remove every rule and the random mode (the ``injected`` counts stay)."""
        with self._lock:
            self._rules.clear()
            self._chaos = None

    @property
    def injected(self) -> dict[str, int]:
        """How many faults of each kind were injected so far."""
        with self._lock:
            return dict(self._injected)

    def pick(self, method: str, path: str) -> Fault | None:
        """Return the fault for a request, consuming one use of its rule.

        Args:
            method: Upper-case HTTP method.
            path: The URL path.

        Returns:
            The fault to apply, or None.
        """
        with self._lock:
            fault = self._pick_rule(method, path) or self._draw()
            if fault is not None:
                self._injected[fault.kind] = self._injected.get(fault.kind, 0) + 1
            return fault

    def _pick_rule(self, method: str, path: str) -> Fault | None:
        for rule in self._rules:
            if rule.matches(method, path):
                if rule.times is not None:
                    rule.times -= 1
                    if rule.times == 0:
                        self._rules.remove(rule)
                return rule
        return None

    def _draw(self) -> Fault | None:
        chaos = self._chaos
        if chaos is None or chaos.rng.random() >= chaos.rate:
            return None
        kind = chaos.rng.choice(chaos.kinds)
        status = chaos.rng.choice(chaos.statuses) if chaos.statuses else 503
        return Fault(
            kind=kind,
            status=status if kind == "status" else 200,
            retry_after=1.0 if status == 429 else None,
            delay=chaos.delay,
        )
