"""An in-memory DigitalOcean API v2 (Droplets subset) that speaks the real wire format.

Use it in process (``Sandbox.handle``), over HTTP on loopback
(`SandboxServer`, ``python -m droplets.sandbox``)
or in tests. It uses the standard library only and imports nothing from the
rest of ``droplets``: it shares only the wire format with the client.

Example:
    >>> sb = Sandbox(seed=0)
    >>> r = sb.handle("GET", "https://api.digitalocean.com/v2/droplets",
    ...               {"Authorization": "Bearer t"}, b"")
    >>> r.status, r.json()["meta"]
    (200, {'total': 0})
"""

from droplets.sandbox.app import Sandbox, SandboxResponse
from droplets.sandbox.clock import Clock, RealClock, VirtualClock
from droplets.sandbox.errors import ConnectionDropped
from droplets.sandbox.faults import Faults
from droplets.sandbox.lifecycle import Lifecycle, Timings
from droplets.sandbox.progression import Progression

__all__ = [
    "Clock",
    "ConnectionDropped",
    "Faults",
    "Lifecycle",
    "Progression",
    "RealClock",
    "Sandbox",
    "SandboxResponse",
    "Timings",
    "VirtualClock",
]
