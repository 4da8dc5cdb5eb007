"""The simulated block storage: volumes, their attachments and their snapshots.

The rules enforced (the spec's digest, plus the real API's answers where the
spec is silent): a volume name is unique in its region; a volume attaches to
one droplet at a time, only in its own region, and a droplet takes at most
15 volumes; an attach or detach while the droplet is locked is refused with
the droplets' 422 "pending event"; a volume only grows; an attached volume
cannot be deleted (409, as DigitalOcean answers: the spec declares no status
for it). An attach shows in the droplet's ``volume_ids`` once it completed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from droplets.sandbox.errors import ApiError, not_found, unprocessable
from droplets.sandbox.records import ActionRecord, DropletRecord, iso

if TYPE_CHECKING:
    from droplets.sandbox.state import SandboxState

Json = dict[str, Any]
MAX_GIGABYTES = 16384
MAX_PER_DROPLET = 15
PENDING_EVENT = "Droplet already has a pending event."
ATTACHED = "attached volume cannot be deleted; detach it from its Droplet first"


@dataclass(slots=True)
class VolumeRecord:
    """One volume of the simulated account."""

    id: str
    name: str
    size_gigabytes: int
    region: Json
    created_at: float
    description: str = ""
    filesystem_type: str = ""
    filesystem_label: str = ""
    tags: list[str] = field(default_factory=list)
    droplet_ids: list[int] = field(default_factory=list)
    action_ids: list[int] = field(default_factory=list)
    snapshot_ids: list[str] = field(default_factory=list)
    pending: int | None = None
    """The id of the volume's action in progress, if any."""


def volume_wire(v: VolumeRecord) -> Json:
    """The ``volume`` object of the spec (``volume_full``); ``tags`` only when it has some, as the examples."""
    out: Json = {
        "id": v.id,
        "region": v.region,
        "droplet_ids": list(v.droplet_ids),
        "name": v.name,
        "description": v.description,
        "size_gigabytes": v.size_gigabytes,
        "created_at": iso(v.created_at),
        "filesystem_type": v.filesystem_type,
        "filesystem_label": v.filesystem_label,
    }
    if v.tags:
        out["tags"] = list(v.tags)
    return out


class Storage:
    """The volumes and volume snapshots of a `SandboxState` (``state.storage``)."""

    def __init__(self) -> None:
        self.volumes: dict[str, VolumeRecord] = {}
        self.snapshots: dict[str, Json] = {}

    # -- volumes --------------------------------------------------------------

    def get(self, volume_id: str) -> VolumeRecord:
        """Return a volume or raise 404."""
        v = self.volumes.get(volume_id)
        if v is None:
            raise not_found("volume")
        return v

    def by_name(self, name: str, region: str) -> VolumeRecord:
        """Return the volume with this name in this region or raise 404."""
        for v in self.volumes.values():
            if v.name == name and v.region["slug"] == region:
                return v
        raise not_found("volume")

    def add(self, state: SandboxState, body: Json, region: Json) -> VolumeRecord:
        """Create a volume from a checked create body."""
        if any(v.name == body["name"] and v.region["slug"] == region["slug"] for v in self.volumes.values()):
            raise unprocessable(f"a volume named {body['name']!r} already exists in {region['slug']}")
        v = VolumeRecord(
            id=state.alloc.uuid(),
            name=body["name"],
            size_gigabytes=body["size_gigabytes"],
            region=region,
            created_at=state.clock.time(),
            description=body.get("description", ""),
            filesystem_type=body.get("filesystem_type", ""),
            filesystem_label=body.get("filesystem_label", ""),
            tags=list(body.get("tags") or []),
        )
        self.volumes[v.id] = v
        return v

    def remove(self, v: VolumeRecord) -> None:
        """Delete a volume: 409 while attached."""
        if v.droplet_ids:
            raise ApiError(409, ATTACHED)
        del self.volumes[v.id]

    # -- attachments ----------------------------------------------------------

    def check_attach(self, state: SandboxState, v: VolumeRecord, d: DropletRecord) -> None:
        """Refuse an attach the API refuses (422)."""
        if d.region["slug"] != v.region["slug"]:
            raise unprocessable(
                f"volume is in {v.region['slug']} but the Droplet is in {d.region['slug']}: "
                "volumes attach only to Droplets in the same region"
            )
        if v.droplet_ids and d.id not in v.droplet_ids:
            raise unprocessable("volume is already attached to another Droplet")
        if v.id in d.volume_ids:
            raise unprocessable("volume is already attached to this Droplet")
        if len(d.volume_ids) >= MAX_PER_DROPLET:
            raise unprocessable(f"a Droplet can have at most {MAX_PER_DROPLET} volumes attached")
        self._check_free(v, d)

    def check_detach(self, v: VolumeRecord, d: DropletRecord) -> None:
        """Refuse a detach the API refuses (422)."""
        if d.id not in v.droplet_ids:
            raise unprocessable("Attachment not found")
        self._check_free(v, d)

    def _check_free(self, v: VolumeRecord, d: DropletRecord) -> None:
        if d.locked:
            raise unprocessable(PENDING_EVENT)
        if v.pending is not None:
            raise unprocessable("volume already has a pending action")

    def claim_at_create(self, volume_ids: list[str], region: Json, count: int) -> None:
        """Check the ``volumes`` of a droplet create: existing, unattached, same region, one droplet."""
        if volume_ids and count > 1:
            raise unprocessable("volumes can only be attached when creating a single Droplet")
        if len(volume_ids) > MAX_PER_DROPLET:
            raise unprocessable(f"a Droplet can have at most {MAX_PER_DROPLET} volumes attached")
        for volume_id in volume_ids:
            v = self.volumes.get(volume_id)
            if v is None:
                raise unprocessable(f"volumes: {volume_id!r} is not a volume of this account")
            if v.droplet_ids:
                raise unprocessable(f"volumes: {volume_id!r} is already attached to a Droplet")
            if v.region["slug"] != region["slug"]:
                raise unprocessable(f"volumes: {volume_id!r} is in {v.region['slug']}, not {region['slug']}")

    def attached_at_create(self, d: DropletRecord) -> None:
        """Record the attachments of a droplet created with ``volumes``."""
        for volume_id in d.volume_ids:
            self.volumes[volume_id].droplet_ids = [d.id]

    def forget_droplet(self, d: DropletRecord) -> None:
        """A destroyed droplet's volumes are detached."""
        for v in self.volumes.values():
            if d.id in v.droplet_ids:
                v.droplet_ids.remove(d.id)
        d.volume_ids.clear()

    def start(
        self, state: SandboxState, v: VolumeRecord, kind: str, params: Json, d: DropletRecord | None
    ) -> ActionRecord:
        """Start a volume action (``attach_volume``, ``detach_volume``, ``resize_volume``).

        The droplet involved is locked until it completes; the effect applies on completion.
        """

        def effect() -> None:
            v.pending = None
            if kind == "attach_volume" and d is not None:
                v.droplet_ids = [d.id]
                if v.id not in d.volume_ids:
                    d.volume_ids.append(v.id)
            elif kind == "detach_volume" and d is not None:
                v.droplet_ids = [i for i in v.droplet_ids if i != d.id]
                if v.id in d.volume_ids:
                    d.volume_ids.remove(v.id)
            elif kind == "resize_volume":
                v.size_gigabytes = params["size_gigabytes"]

        def ended() -> None:
            v.pending = None

        action = state.start_resource_action(
            kind, "volume", None, v.region, locks=d, effect=effect, ended=ended, params=params
        )
        v.action_ids.append(action.id)
        if action.status == "in-progress":
            v.pending = action.id
        return action

    # -- snapshots ------------------------------------------------------------

    def snapshot(self, state: SandboxState, v: VolumeRecord, name: str, tags: list[str]) -> Json:
        """Take a volume snapshot (immediately available, as the API answers 201 with it)."""
        snapshot_id = state.alloc.uuid()
        snap: Json = {
            "id": snapshot_id,
            "name": name,
            "regions": [v.region["slug"]],
            "created_at": iso(state.clock.time()),
            "resource_id": v.id,
            "resource_type": "volume",
            "min_disk_size": v.size_gigabytes,
            "size_gigabytes": round(v.size_gigabytes * 0.04 + 0.01, 2),
            "tags": list(tags),
        }
        self.snapshots[snapshot_id] = snap
        v.snapshot_ids.append(snapshot_id)
        return snap

    def get_snapshot(self, snapshot_id: str) -> Json:
        """Return a volume snapshot or raise 404."""
        snap = self.snapshots.get(snapshot_id)
        if snap is None:
            raise not_found("snapshot")
        return snap

    def remove_snapshot(self, snapshot_id: str) -> None:
        """Delete a volume snapshot (404 if there is none)."""
        snap = self.get_snapshot(snapshot_id)
        del self.snapshots[snapshot_id]
        owner = self.volumes.get(snap["resource_id"])
        if owner is not None and snapshot_id in owner.snapshot_ids:
            owner.snapshot_ids.remove(snapshot_id)
