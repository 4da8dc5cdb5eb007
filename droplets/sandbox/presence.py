"""How droplets appear, get addresses, answer on SSH and go away (a `SandboxState` mixin).

The timings come from `droplets.sandbox.lifecycle`; `SandboxState.advance()`
calls `Presence.advance_presence()` before each request.
"""

from __future__ import annotations

from droplets.sandbox.clock import Clock
from droplets.sandbox.ids import private_v4, public_v4, public_v6
from droplets.sandbox.lifecycle import Lifecycle
from droplets.sandbox.records import DropletRecord


class Presence:
    """The droplet-lifecycle half of `SandboxState`."""

    clock: Clock
    lifecycle: Lifecycle
    droplets: dict[int, DropletRecord]
    networks_due: set[int]
    going: set[int]
    region_index: dict[str, int]

    def provision(self, d: DropletRecord, at: float | None = None, *, networks_now: bool = False) -> None:
        """Make a new droplet ``active``; its networks follow ``networks_after`` later.

        Args:
            d: The droplet whose create action completed.
            at: When it became active (defaults to now).
            networks_now: Assign the networks at once (bulk seeding).
        """
        at = self.clock.time() if at is None else at
        d.status = "active"
        d.booted_at = at
        delay = 0.0 if networks_now else self.lifecycle.timings.networks_after
        if delay == 0:
            self.assign_networks(d)
        else:
            d.networks_due = at + delay
            self.networks_due.add(d.id)

    def assign_networks(self, d: DropletRecord) -> None:
        """Give a droplet its private and (unless disabled) public addresses.

        Args:
            d: The droplet.
        """
        d.networks_v4 = [private_v4(d.ip_index, self.region_index[d.region["slug"]])]
        if d.public_networking:
            d.networks_v4.append(public_v4(d.ip_index))
        d.networks_v6 = [public_v6(d.ip_index)] if d.ipv6 else []
        d.networks_due = None
        self.networks_due.discard(d.id)

    def visible_droplets(self) -> list[DropletRecord]:
        """Return the droplets that ``GET`` and lists show now (see ``appear_after``)."""
        now = self.clock.time()
        return [d for d in self.droplets.values() if d.visible_at <= now]

    def probe(self, host: str, port: int) -> bool:
        """Tell whether a TCP connection to ``host:port`` would be accepted now.

        A droplet accepts on its ``open_ports`` once it has been
        active for ``ssh_after`` seconds with its addresses assigned, and
        not while it is being destroyed.

        Args:
            host: An address of some droplet.
            port: The TCP port.

        Returns:
            Whether a connection would be accepted (False: refused or unreachable).
        """
        timings = self.lifecycle.timings
        now = self.clock.time()
        for d in self.droplets.values():
            addresses = [n["ip_address"] for n in d.networks_v4] + [n["ip_address"] for n in d.networks_v6]
            if host in addresses:
                return (
                    port in timings.open_ports
                    and d.status == "active"
                    and d.gone_at is None
                    and d.booted_at is not None
                    and d.booted_at + timings.ssh_after <= now
                )
        return False

    def start_going(self, d: DropletRecord, now: float) -> None:
        """Start removing a destroyed droplet: visible (locked) ``gone_after`` more seconds.

        Args:
            d: The droplet, its actions and backups already dealt with.
            now: The current clock time.
        """
        d.gone_at = now + self.lifecycle.timings.gone_after
        d.booted_at = None
        if d.gone_at <= now:
            self._forget(d)
        else:
            self.going.add(d.id)

    def _forget(self, d: DropletRecord) -> None:
        self.going.discard(d.id)
        self.networks_due.discard(d.id)
        self.droplets.pop(d.id, None)

    def advance_presence(self, now: float) -> None:
        """Assign the addresses that are due and remove the droplets whose time is up.

        Args:
            now: The current clock time.
        """
        for droplet_id in list(self.networks_due):
            d = self.droplets[droplet_id]
            if d.networks_due is not None and d.networks_due <= now:
                self.assign_networks(d)
        for droplet_id in list(self.going):
            d = self.droplets[droplet_id]
            if d.gone_at is not None and d.gone_at <= now:
                self._forget(d)
