"""Clocks: real time by default, injectable so waits can run on virtual time."""

from __future__ import annotations

import math
import threading
import time
from typing import Protocol

__all__ = ["Clock", "SystemClock"]


class Clock(Protocol):
    """What waiting, backoff and pacing need to know about time."""

    def time(self) -> float:
        """Return the wall-clock time in epoch seconds."""
        ...

    def monotonic(self) -> float:
        """Return a monotonic time in seconds, for deadlines."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block for ``seconds`` (a virtual clock just advances)."""
        ...


class SystemClock:
    """The real clock of this machine."""

    def time(self) -> float:
        """Return ``time.time()``."""
        return time.time()

    def monotonic(self) -> float:
        """Return ``time.monotonic()``."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """Sleep for real; a negative, NaN or infinite time returns at once, a huge one is bounded."""
        if seconds > 0 and math.isfinite(seconds):
            time.sleep(min(seconds, threading.TIMEOUT_MAX))
