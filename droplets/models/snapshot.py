"""Snapshots of droplets and of volumes, and droplet backups: one `Snapshot` model wherever they are listed.

Four lists answer with snapshots, in two wire shapes:

* ``d.snapshots()`` and ``d.backups()`` (the spec's ``droplet_snapshot``:
  an integer ``id`` and a ``type`` of ``"snapshot"`` or ``"backup"``; the
  backups list adds ``distribution``, ``slug`` and ``public``);
* ``Snapshot.objects`` (``/v2/snapshots``, every droplet and volume snapshot
  of the account, ``filter(resource_type="droplet"|"volume")`` sent to the
  server), ``v.snapshot(name=)`` and ``v.snapshots()`` (the ``snapshots``
  shape: a string ``id``, ``resource_id``, ``resource_type`` and ``tags``).

The fields only one shape has are optional: None when the answer left them
out, and left out again by ``to_dict()``.

**The id.** A droplet snapshot is an image, so its id is an integer: the
account-wide list writes it as text (``"6372321"``) and the droplet's list as
a number (``6372321``); both are read as the integer ``6372321``, so the same
snapshot has an equal ``id`` wherever it came from, and ``s.id in
d.snapshot_ids`` holds. A volume snapshot's id is its UUID string. ``to_dict()``
writes the shape the answer came in: with ``resource_type``, the id as text
and ``tags`` even when null (no ``slug``); without it, the integer id and
``slug`` even when null (no ``tags`` unless set).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import attrs

from droplets import _converter
from droplets._api import Endpoint
from droplets._converter import OMIT_IF_NONE
from droplets.errors import ValidationError
from droplets.managers import Manager, ManagerDescriptor
from droplets.models.base import Bound

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["Snapshot", "SnapshotKind"]

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

SnapshotKind = Literal["droplet", "volume"]
"""What a snapshot was taken of."""


def _snapshot_id(value: int | str) -> int | str:
    """A droplet snapshot's id as the integer it is (the account-wide list writes it as text)."""
    if type(value) is str and value.isascii() and value.isdigit():
        return int(value)
    return value


def _optional() -> Any:
    """A field one of the shapes leaves out: None when absent, and left out again on output."""
    return attrs.field(default=None, metadata=OMIT_IF_NONE)


@attrs.define(repr=False)
class Snapshot(Bound):
    """A snapshot of a droplet or a volume, or a droplet's backup.

    Attributes:
        id: An integer for a droplet snapshot or backup (an image id, what ``d.restore()`` and
            ``d.rebuild()`` take), a UUID string for a volume snapshot (what
            ``Volume.objects.create(snapshot_id=...)`` takes). See the module docstring.
        name: Its name.
        created_at: When it was taken.
        regions: Slugs of the regions it is available in.
        min_disk_size: The smallest disk or volume (GiB) made from it.
        size_gigabytes: The billed size.
        type: ``"snapshot"`` or ``"backup"`` (``d.snapshots()`` and ``d.backups()`` only).
        resource_id: The droplet or volume it was taken of, as text (the account-wide and volume lists).
        resource_type: ``"droplet"`` or ``"volume"`` (the account-wide and volume lists).
        tags: Tag names; None where the answer has none.
        distribution: The image's distribution (``d.backups()`` only).
        slug: Always None for a snapshot or backup (the backups list sends it as null).
        public: Always False for a snapshot or backup (``d.backups()`` only).

    Example:
        >>> d.restore(d.backups()[0], wait=True)   # doctest: +SKIP
        >>> Snapshot.objects.filter(resource_type="volume")[0].destroy()   # doctest: +SKIP
    """

    _endpoint = Endpoint("/v2/snapshots", "snapshots", "snapshot", {"resource_type": "resource_type"})
    _gettable = True
    _display_fields = ("id", "name", "created_at", "regions", "size_gigabytes", "kind")

    id: int | str = attrs.field(converter=_snapshot_id)
    name: str
    created_at: datetime
    regions: list[str]
    min_disk_size: int
    size_gigabytes: float
    type: Literal["snapshot", "backup"] | str | None = _optional()
    resource_id: str | None = _optional()
    resource_type: Literal["droplet", "volume"] | str | None = _optional()
    tags: list[str] | None = None
    distribution: str | None = _optional()
    slug: str | None = None
    public: bool | None = _optional()

    objects = ManagerDescriptor(Manager["Snapshot"])

    @property
    def kind(self) -> SnapshotKind:
        """``"volume"`` for a volume snapshot, ``"droplet"`` for a droplet snapshot or backup."""
        return "volume" if self.resource_type == "volume" or isinstance(self.id, str) else "droplet"

    @classmethod
    def _check_key(cls, key: Any) -> int | str:
        if isinstance(key, int) and not isinstance(key, bool) and key > 0:
            return key
        if isinstance(key, str) and ((key.isascii() and key.isdigit()) or _UUID.match(key)):
            return _snapshot_id(key)
        raise ValidationError(f"a snapshot id is an integer (droplet) or a UUID (volume), got {key!r}")

    @classmethod
    def _key_field(cls, key: int | str) -> str:
        return "id"

    def image_id(self) -> int:
        """The image id of a droplet snapshot or backup (what a droplet is restored or rebuilt from).

        Raises:
            droplets.ValidationError: This is a volume snapshot.
        """
        if self.kind == "volume" or not isinstance(self.id, int):
            raise ValidationError(
                f"snapshot {self.id} is a volume snapshot: a droplet is restored or rebuilt from a droplet "
                "snapshot, a backup or an image (a volume snapshot makes a volume: "
                "Volume.objects.create(snapshot_id=...))"
            )
        return self.id

    def volume_snapshot_id(self) -> str:
        """The id of a volume snapshot (what a new volume is made from).

        Raises:
            droplets.ValidationError: This is a droplet snapshot or backup.
        """
        if self.kind != "volume" or not isinstance(self.id, str):
            raise ValidationError(
                f"snapshot {self.id} is a droplet {self.type or 'snapshot'}: a volume is made from a volume "
                "snapshot (v.snapshot(name=...)); a droplet snapshot makes droplets (create(image=...))"
            )
        return self.id

    def _tag_resource(self) -> tuple[str, str]:
        return ("volume_snapshot" if self.kind == "volume" else "image"), str(self.id)

    def refresh(self) -> Self:
        """Reload in place (``GET /v2/snapshots/{id}``) and return self; ``type`` is kept (that answer has none).

        Raises:
            droplets.ValidationError: It is a backup, which ``/v2/snapshots`` does not serve
                (``client.images.get(backup.id)`` reads it as an image). Nothing was sent.
            Snapshot.DoesNotExist: It was deleted.
        """
        if self.type == "backup":
            raise ValidationError(
                f"{self.id} is a backup, which the account's snapshots do not serve: read it as an image "
                f"(client.images.get({self.id})) or list d.backups() again"
            )
        kind = self.type
        self._take(type(self).objects.using(self.client).get(self.id))
        if self.type is None:
            object.__setattr__(self, "type", kind)
        return self

    def destroy(self) -> None:
        """Delete the snapshot (``DELETE /v2/snapshots/{id}``, 204), a droplet's or a volume's.

        Raises:
            droplets.ValidationError: It is a backup (the API deletes snapshots only; convert
                a backup to a snapshot first). Nothing was sent.
            Snapshot.DoesNotExist: It was deleted already.

        Example:
            >>> d.snapshots()[0].destroy()   # doctest: +SKIP
        """
        if self.type == "backup":
            raise ValidationError(
                f"{self.id} is a backup, which the API does not delete (backups expire with their policy): "
                f"convert it to a snapshot first (client.images.convert({self.id}, wait=True)), then delete that"
            )
        self._delete()

    def __repr__(self) -> str:
        of = f" of {self.resource_type} {self.resource_id}" if self.resource_id else ""
        return f"<Snapshot {self.id} {self.name!r} {self.type or self.kind}{of}>"


_converter.register_union(int | str, lambda data: int if type(data) is int else str)
"""``int | str`` fields (a snapshot id) keep the JSON type they came in, checked (never coerced)."""


def _unstructure_hook(conv: Any) -> Any:
    fields = conv.get_unstructure_hook(Snapshot)

    def unstructure(snapshot: Snapshot) -> dict[str, Any]:
        data: dict[str, Any] = fields(snapshot)
        if snapshot.resource_type is not None:  # the account-wide and volume shape: ids as text, no slug
            data["id"] = str(snapshot.id)
            if data.get("slug", 0) is None:
                del data["slug"]
        elif data.get("tags", 0) is None:  # the droplet's lists have no tags
            del data["tags"]
        return data

    return unstructure


for _conv in (_converter.converter, _converter.detailed, _converter.strict):
    _conv.register_unstructure_hook(Snapshot, _unstructure_hook(_conv))
