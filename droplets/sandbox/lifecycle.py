"""A droplet's life around its actions: appearing, networks, SSH, and going away.

The real API is eventually consistent in ways that bite anyone who waits on
it, and the sandbox reproduces them on its clock so that waits are testable:

* ``appear_after``: a new droplet is not shown by ``GET`` or lists for this
  long after the create answer (a 404 right after create).
* ``networks_after``: an ``active`` droplet gets its addresses this long
  after it became active (the networks list is empty until then).
* ``ssh_after``: its SSH port accepts connections this long after it
  booted (became active), provided it has its addresses; ``open_ports`` are
  the ports that ever accept. The check goes through `Sandbox.probe()`,
  which the sandbox transport answers: no real socket is opened.
* ``gone_after``: a destroyed droplet stays visible (``locked``, listed, its
  ``GET`` answering 200) this long after the ``DELETE`` answered 204.

A droplet that is locked by a pending action refuses new actions with the
API's 422 "Droplet already has a pending event." (see `transitions.check`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, fields, replace
from typing import Any

__all__ = ["DEFAULT_TIMINGS", "Lifecycle", "Timings"]


@dataclass(frozen=True)
class Timings:
    """The seconds of sandbox clock each step takes (see the module docstring)."""

    appear_after: float = 0.0
    networks_after: float = 3.0
    ssh_after: float = 20.0
    gone_after: float = 5.0
    open_ports: frozenset[int] = field(default_factory=lambda: frozenset({22}))


DEFAULT_TIMINGS = Timings()


class Lifecycle:
    """The configurable timings of one sandbox (thread-safe).

    Example:
        >>> lifecycle = Lifecycle()
        >>> lifecycle.set(networks_after=0, ssh_after=45)
        >>> lifecycle.timings.ssh_after
        45.0
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._timings = DEFAULT_TIMINGS

    @property
    def timings(self) -> Timings:
        """The timings in effect."""
        with self._lock:
            return self._timings

    def set(self, **changes: Any) -> None:
        """Change some timings; the others keep their value.

        Args:
            **changes: ``appear_after``, ``networks_after``, ``ssh_after``,
                ``gone_after`` (seconds, not negative) and ``open_ports``
                (port numbers).

        Raises:
            ValueError: An unknown name, a negative duration or a bad port.
        """
        known = {f.name for f in fields(Timings)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown timing(s) {sorted(unknown)}; known: {sorted(known)}")
        clean: dict[str, Any] = {}
        for name, value in changes.items():
            if name == "open_ports":
                ports = frozenset(int(port) for port in value)
                if any(not 0 < port < 65536 for port in ports):
                    raise ValueError(f"open_ports must be TCP ports (1-65535), got {sorted(ports)}")
                clean[name] = ports
            else:
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                    raise ValueError(f"{name} must be a non-negative number of seconds, got {value!r}")
                clean[name] = float(value)
        with self._lock:
            self._timings = replace(self._timings, **clean)

    def reset(self) -> None:
        """Return to the default timings."""
        with self._lock:
            self._timings = DEFAULT_TIMINGS
