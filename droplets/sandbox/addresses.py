"""The simulated reserved IPs: public IPv4 addresses of a region that point at one droplet at a time.

The rules: an IP points only at droplets of its region; a droplet has at most
one reserved IP; an assign or unassign while the droplet is locked is
refused with the droplets' 422 "pending event", and while the IP has an
action pending with 422 too; assigning an IP that points elsewhere moves it.
An assigned IP shows in its droplet's ``networks.v4`` as a public network,
as DigitalOcean's do; a destroyed droplet's IP is unassigned, not released.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from droplets.sandbox.errors import not_found, unprocessable
from droplets.sandbox.records import ActionRecord, DropletRecord

if TYPE_CHECKING:
    from droplets.sandbox.state import SandboxState

Json = dict[str, Any]
PENDING_EVENT = "Droplet already has a pending event."
_FIRST = int(ipaddress.IPv4Address("45.55.96.10"))
"""Reserved IPs are handed out upwards from here (the spec's examples use 45.55.96.47)."""


@dataclass(slots=True)
class ReservedIPRecord:
    """One reserved IP of the simulated account."""

    ip: str
    region: Json
    project_id: str
    droplet_id: int | None = None
    pending: int | None = None
    """The id of the IP's action in progress, if any (the IP is ``locked`` meanwhile)."""
    action_ids: list[int] = field(default_factory=list)


def network(ip: str) -> Json:
    """The public ``network_v4`` entry an assigned reserved IP adds to its droplet."""
    base = ipaddress.IPv4Network(f"{ip}/20", strict=False)
    return {"ip_address": ip, "netmask": str(base.netmask), "gateway": str(base.network_address + 1), "type": "public"}


class Addresses:
    """The reserved IPs of a `SandboxState` (``state.addresses``)."""

    def __init__(self) -> None:
        self.ips: dict[str, ReservedIPRecord] = {}
        self._next = _FIRST
        self._project: str | None = None

    def get(self, ip: str) -> ReservedIPRecord:
        """Return a reserved IP or raise 404."""
        found = self.ips.get(ip)
        if found is None:
            raise not_found("reserved_ip")
        return found

    def reserve(self, state: SandboxState, region: Json, project_id: str | None) -> ReservedIPRecord:
        """Reserve a new IP in ``region``."""
        ip = str(ipaddress.IPv4Address(self._next))
        self._next += 1
        if self._project is None:
            self._project = state.alloc.uuid()  # the account's default project
        record = ReservedIPRecord(ip=ip, region=region, project_id=project_id or self._project)
        self.ips[ip] = record
        return record

    def release(self, record: ReservedIPRecord, state: SandboxState) -> None:
        """Delete a reserved IP (unassigning it first)."""
        if record.droplet_id is not None:
            self._unpoint(state, record)
        del self.ips[record.ip]

    def holder(self, droplet_id: int) -> ReservedIPRecord | None:
        """The reserved IP pointing at a droplet, if any."""
        return next((r for r in self.ips.values() if r.droplet_id == droplet_id), None)

    def check_assign(self, record: ReservedIPRecord, d: DropletRecord) -> None:
        """Refuse an assign the API refuses (422)."""
        if d.region["slug"] != record.region["slug"]:
            raise unprocessable(
                f"the reserved IP is in {record.region['slug']} and the Droplet in {d.region['slug']}: "
                "a reserved IP can only be assigned to a Droplet in its region"
            )
        other = self.holder(d.id)
        if other is not None and other.ip != record.ip:
            raise unprocessable(f"the Droplet already has the reserved IP {other.ip}")
        self._check_free(record, d)

    def check_unassign(self, record: ReservedIPRecord, state: SandboxState) -> DropletRecord | None:
        """Refuse an unassign the API refuses (422); return the droplet it points at."""
        if record.droplet_id is None:
            raise unprocessable("the reserved IP is not assigned to a Droplet")
        d = state.droplets.get(record.droplet_id)
        self._check_free(record, d)
        return d

    def _check_free(self, record: ReservedIPRecord, d: DropletRecord | None) -> None:
        if d is not None and d.locked:
            raise unprocessable(PENDING_EVENT)
        if record.pending is not None:
            raise unprocessable("the reserved IP already has a pending action")

    def start(self, state: SandboxState, record: ReservedIPRecord, kind: str, d: DropletRecord | None) -> ActionRecord:
        """Start ``assign_ip`` (to ``d``) or ``unassign_ip``; it locks the IP and the droplet until it ends."""

        def effect() -> None:
            if kind == "assign_ip" and d is not None:
                if record.droplet_id is not None:
                    self._unpoint(state, record)
                record.droplet_id = d.id
                d.reserved_v4.append(network(record.ip))
            elif kind == "unassign_ip":
                self._unpoint(state, record)

        def ended() -> None:
            record.pending = None

        action = state.start_resource_action(
            kind,
            "reserved_ip",
            int(ipaddress.IPv4Address(record.ip)),
            record.region,
            locks=d,
            effect=effect,
            ended=ended,
            params={} if d is None else {"droplet_id": d.id},
            extra={"project_id": record.project_id},
        )
        record.action_ids.append(action.id)
        if action.status == "in-progress":
            record.pending = action.id
        return action

    def _unpoint(self, state: SandboxState, record: ReservedIPRecord) -> None:
        d = state.droplets.get(record.droplet_id or 0)
        if d is not None:
            d.reserved_v4 = [n for n in d.reserved_v4 if n["ip_address"] != record.ip]
        record.droplet_id = None

    def forget_droplet(self, d: DropletRecord) -> None:
        """A destroyed droplet's reserved IP is unassigned (it stays reserved)."""
        for record in self.ips.values():
            if record.droplet_id == d.id:
                record.droplet_id = None
        d.reserved_v4.clear()
