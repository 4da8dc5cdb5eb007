"""Snapshots of the whole account (``/v2/snapshots``): of droplets and of volumes, in one list.

``Snapshot.objects.filter(resource_type="droplet")`` (or ``"volume"``) is
sent to the server. An id is an integer for a droplet snapshot and a UUID
for a volume snapshot; both are strings in the objects, as the API writes
them.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import attrs

from droplets._api import Endpoint
from droplets._converter import OMIT_IF_NONE
from droplets.errors import ValidationError
from droplets.managers import Manager, ManagerDescriptor
from droplets.models.base import Bound

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["Snapshot"]

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@attrs.define(repr=False)
class Snapshot(Bound):
    """A snapshot of a droplet or a volume.

    Attributes:
        id: ``"6372321"`` (a droplet snapshot, an image id) or a UUID (a volume snapshot).
        name: Its name.
        created_at: When it was taken.
        regions: Where it is available.
        min_disk_size: The smallest disk (GiB) made from it.
        size_gigabytes: The billed size.
        resource_id: The droplet or volume it was taken of (a string).
        resource_type: ``"droplet"`` or ``"volume"``.
        tags: Tag names, or None.
        type: ``"snapshot"`` or ``"backup"``, where the API adds it.
    """

    _endpoint = Endpoint("/v2/snapshots", "snapshots", "snapshot", {"resource_type": "resource_type"})
    _gettable = True

    id: str
    name: str
    created_at: datetime
    regions: list[str]
    min_disk_size: int
    size_gigabytes: float
    resource_id: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    resource_type: Literal["droplet", "volume"] | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    tags: list[str] | None = None
    type: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)

    objects = ManagerDescriptor(Manager["Snapshot"])

    @classmethod
    def _check_key(cls, key: Any) -> int | str:
        if isinstance(key, int) and not isinstance(key, bool) and key > 0:
            return key
        if isinstance(key, str) and (key.isdigit() or _UUID.match(key)):
            return int(key) if key.isdigit() else key
        raise ValidationError(f"a snapshot id is an integer (droplet) or a UUID (volume), got {key!r}")

    def _tag_resource(self) -> tuple[str, str]:
        return ("volume_snapshot" if self.resource_type == "volume" else "image"), str(self.id)

    def refresh(self) -> Self:
        """Reload in place and return self."""
        return self._take(type(self).objects.using(self.client).get(self.id))

    def destroy(self) -> None:
        """Delete the snapshot (``DELETE /v2/snapshots/{id}``, 204).

        Raises:
            Snapshot.DoesNotExist: It was deleted already.
        """
        self._delete()

    def __repr__(self) -> str:
        return f"<Snapshot {self.id} {self.name!r} of {self.resource_type or 'droplet'} {self.resource_id or ''}>"
