"""Clocks for the sandbox: a virtual one for tests and a real one for the server.

A `VirtualClock` never waits: ``sleep()`` advances it instantly, so a
client that polls every five seconds for a 60-second action costs no real time
when it shares the sandbox clock. `RealClock` delegates to `time`.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    """What the sandbox needs from a clock."""

    def time(self) -> float:
        """Return the current epoch time in seconds."""
        ...

    def monotonic(self) -> float:
        """Return a monotonic reading in seconds."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` (really or virtually)."""
        ...


class VirtualClock:
    """A thread-safe clock whose time only moves when told to.

    Args:
        start: The initial epoch time in seconds.
    """

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._start = float(start)
        self._now = float(start)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"VirtualClock(now={self.time()!r})"

    def time(self) -> float:
        """Return the virtual epoch time in seconds."""
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        """Return the virtual seconds elapsed since the clock was created."""
        with self._lock:
            return self._now - self._start

    def advance(self, seconds: float) -> None:
        """Move the clock forward.

        Args:
            seconds: How far to move; must not be negative.

        Raises:
            ValueError: If ``seconds`` is negative.
        """
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        with self._lock:
            self._now += float(seconds)

    def sleep(self, seconds: float) -> None:
        """Advance the clock by ``seconds`` at once, without waiting.

        Args:
            seconds: How long to "sleep"; must not be negative.
        """
        self.advance(seconds)


class RealClock:
    """The wall clock: `time.time()`, `time.monotonic()`, `time.sleep()`."""

    def __repr__(self) -> str:
        return "RealClock()"

    def time(self) -> float:
        """Return the epoch time in seconds."""
        return time.time()

    def monotonic(self) -> float:
        """Return `time.monotonic()`."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """Really sleep.

        Args:
            seconds: How long to sleep.
        """
        time.sleep(seconds)
