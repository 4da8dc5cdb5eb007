"""Port checks: does a TCP port of a droplet accept a connection?

A wait for SSH (``create(wait="ssh")``, ``d.wait_ready(ssh=True)``) asks
the client's transport, so the check goes through the same seam as every
request. A transport may answer it itself with a ``probe(host, port,
timeout)`` method (see `PortProbe`): the sandbox transport does, on its
virtual clock, so no socket is opened for simulated droplets. A transport
without one (a test's mock transport, say) gets `tcp_probe()`, a real
connection that is opened and closed at once; nothing is sent on it.
"""

from __future__ import annotations

import socket
from typing import Protocol, runtime_checkable

__all__ = ["PortProbe", "tcp_probe"]


@runtime_checkable
class PortProbe(Protocol):
    """A transport that can check a TCP port itself."""

    def probe(self, host: str, port: int, timeout: float) -> bool:
        """Tell whether ``host:port`` accepts a TCP connection within ``timeout`` seconds.

        Never raises for an unreachable or refusing host: that is ``False``.
        """
        ...


def tcp_probe(host: str, port: int, timeout: float) -> bool:
    """Open a real TCP connection to ``host:port`` and close it at once.

    Args:
        host: An IPv4/IPv6 address or a host name.
        port: The TCP port.
        timeout: Seconds to wait for the connection.

    Returns:
        Whether the connection was accepted (refused, unreachable or timed
        out: False).
    """
    try:
        connection = socket.create_connection((host, port), timeout=max(timeout, 0.001))
    except (OSError, ValueError):
        return False
    connection.close()
    return True
