"""Block storage volumes (``/v2/volumes``): create, attach, detach, resize, snapshot, delete.

A volume lives in one region and is attached to at most one droplet of that
region at a time; a droplet takes at most 15 volumes. Attach, detach and
resize are actions (``POST /v2/volumes/{id}/actions``, answered 202): each
returns the `Action` and takes ``wait``, ``poll``, ``timeout``, ``progress``
and ``queue`` (wait out a droplet locked by another action and send again,
see `droplets.models.droplet_queue`). The rules the spec states are checked
before anything is sent: the name, the size range, growing only, the
region of the droplet, the attach limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from droplets import _api
from droplets._api import Endpoint
from droplets._converter import OMIT_IF_NONE
from droplets.errors import NotFound, ValidationError
from droplets.managers import Manager, ManagerDescriptor
from droplets.models.action import Action
from droplets.models.attached_action import post_resource_action, resource_action, resource_actions, run_action
from droplets.models.base import Bound, check_id
from droplets.models.region import Region
from droplets.models.snapshot import Snapshot
from droplets.models.verbs import action_doc
from droplets.waiting import Progress

if TYPE_CHECKING:
    from typing_extensions import Self

    from droplets.models.droplet import Droplet

__all__ = ["MAX_VOLUMES_PER_DROPLET", "MAX_VOLUME_GIGABYTES", "Volume", "VolumeManager"]

MAX_VOLUME_GIGABYTES = 16384
"""16 TiB, the largest volume (and the ``resize`` maximum)."""
MAX_VOLUMES_PER_DROPLET = 15
_NAME = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
_LABEL_LIMITS = {"ext4": 16, "xfs": 12}


def check_volume_name(name: Any) -> str:
    """Return ``name`` if it is a valid volume name (lowercase letters, digits, ``-``; a letter first; ≤ 64)."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValidationError(
            f"volume name {name!r} is invalid: use lowercase letters, digits and '-', "
            "starting with a letter, at most 64 characters (e.g. 'data-1')"
        )
    return name


def check_size(size_gigabytes: Any) -> int:
    """Return ``size_gigabytes`` if it is a whole number of GiB from 1 to 16384."""
    if isinstance(size_gigabytes, bool) or not isinstance(size_gigabytes, int):
        raise ValidationError(f"size_gigabytes must be an integer number of GiB, got {size_gigabytes!r}")
    if not 1 <= size_gigabytes <= MAX_VOLUME_GIGABYTES:
        raise ValidationError(f"size_gigabytes must be from 1 to {MAX_VOLUME_GIGABYTES} (16 TiB), got {size_gigabytes}")
    return size_gigabytes


def _region_slug(region: Region | str) -> str:
    slug = region.slug if isinstance(region, Region) else region
    if not isinstance(slug, str) or not re.fullmatch(r"[a-z]{3}[0-9]", slug):
        raise ValidationError(f"region must be a region slug such as 'nyc3' or a Region, got {region!r}")
    return slug


def _droplet_ref(droplet: Droplet | int) -> int:
    ident = getattr(droplet, "id", droplet)
    return check_id(ident, "droplet id")


def _tags(tags: Any) -> list[str]:
    if isinstance(tags, str) or not all(isinstance(tag, str) and tag for tag in tags):
        raise ValidationError(f"tags must be a list of tag names, got {tags!r}")
    return list(tags)


_SNAPSHOTS = Endpoint("/v2/volumes/snapshots", "snapshots", "snapshot")
"""Where one volume snapshot is read and deleted (``/v2/volumes/snapshots/{id}``)."""


def create_body(
    name: str,
    size_gigabytes: int,
    region: Region | str,
    *,
    filesystem_type: str | None = None,
    filesystem_label: str | None = None,
    description: str | None = None,
    snapshot_id: Snapshot | str | None = None,
    tags: list[str] | None = None,
) -> dict[str, Any]:
    """The checked ``POST /v2/volumes`` body (see `VolumeManager.create`)."""
    body: dict[str, Any] = {
        "name": check_volume_name(name),
        "size_gigabytes": check_size(size_gigabytes),
        "region": _region_slug(region),
    }
    if filesystem_type is not None:
        if filesystem_type not in _LABEL_LIMITS:
            raise ValidationError(f"filesystem_type must be 'ext4' or 'xfs', got {filesystem_type!r}")
        body["filesystem_type"] = filesystem_type
    if filesystem_label is not None:
        if filesystem_type is None:
            raise ValidationError("filesystem_label needs a filesystem_type ('ext4' or 'xfs')")
        limit = _LABEL_LIMITS[filesystem_type]
        if not isinstance(filesystem_label, str) or not 0 < len(filesystem_label) <= limit:
            raise ValidationError(f"an {filesystem_type} label has 1 to {limit} characters, got {filesystem_label!r}")
        body["filesystem_label"] = filesystem_label
    if description is not None:
        body["description"] = str(description)
    if isinstance(snapshot_id, Snapshot):
        snapshot_id = snapshot_id.volume_snapshot_id()
    if snapshot_id is not None:
        if not isinstance(snapshot_id, str) or not snapshot_id:
            raise ValidationError(
                f"snapshot_id must be a volume snapshot (a Snapshot or its id, a string), got {snapshot_id!r}"
            )
        body["snapshot_id"] = snapshot_id
    if tags is not None:
        body["tags"] = _tags(tags)
    return body


def volume_refs(volumes: Any, region: Any) -> list[str]:
    """The ``volumes`` of a droplet create: `Volume` models or ids, unattached, in the droplet's region.

    Raises:
        droplets.ValidationError: Not a volume, attached already, or in another region (nothing was sent).
    """
    if isinstance(volumes, (str, Volume)):
        volumes = [volumes]
    refs: list[str] = []
    for volume in volumes:
        if isinstance(volume, Volume):
            if volume.droplet_ids:
                raise ValidationError(
                    f"volume {volume.name!r} is attached to droplet {volume.droplet_ids[0]}; "
                    "create(volumes=...) takes unattached volumes: detach it first"
                )
            if isinstance(region, str) and volume.region.slug != region:
                raise ValidationError(
                    f"volume {volume.name!r} is in {volume.region.slug}, the droplet in {region}: "
                    "a volume attaches only in its own region"
                )
            refs.append(volume.id)
        elif isinstance(volume, str):
            refs.append(str(Volume._check_key(volume)))
        elif isinstance(getattr(volume, "id", None), str):
            refs.append(volume.id)
        else:
            raise ValidationError(f"volumes takes ids (UUID strings) or Volume objects, got {volume!r}")
    return refs


class VolumeManager(Manager["Volume"]):
    """``Volume.objects``: querysets, create, delete by name and the by-name actions."""

    def create(
        self,
        name: str,
        size_gigabytes: int,
        region: Region | str,
        *,
        filesystem_type: str | None = None,
        filesystem_label: str | None = None,
        description: str | None = None,
        snapshot_id: Snapshot | str | None = None,
        tags: list[str] | None = None,
    ) -> Volume:
        """Create a volume (``POST /v2/volumes``, 201).

        Args:
            name: Lowercase letters, digits and ``-``, starting with a letter, at most 64
                characters; unique in its region.
            size_gigabytes: 1 to 16384 GiB.
            region: A region slug or `Region`.
            filesystem_type: ``"ext4"`` or ``"xfs"`` to format it (else it is raw).
            filesystem_label: Up to 16 characters (ext4) or 12 (xfs); needs ``filesystem_type``.
            description: Free text.
            snapshot_id: Create from this volume snapshot (a `Snapshot` of a volume, or its id).
            tags: Tag names (created if new).

        Raises:
            droplets.ValidationError: A value breaks a rule above (nothing was sent).

        Example:
            >>> Volume.objects.create(name="data", size_gigabytes=100, region="nyc3")  # doctest: +SKIP
        """
        body = create_body(
            name,
            size_gigabytes,
            region,
            filesystem_type=filesystem_type,
            filesystem_label=filesystem_label,
            description=description,
            snapshot_id=snapshot_id,
            tags=tags,
        )
        return self._create_one(body)

    def snapshot(self, snapshot_id: Snapshot | str) -> Snapshot:
        """Load one volume snapshot by id (``GET /v2/volumes/snapshots/{id}``).

        Raises:
            Snapshot.DoesNotExist: No such snapshot.
        """
        client = self.get_queryset().client
        return Snapshot._from_wire(
            self._on_snapshot(snapshot_id, lambda key: _api.get_one(client, _SNAPSHOTS, key)), client
        )

    def delete_snapshot(self, snapshot_id: Snapshot | str) -> None:
        """Delete one volume snapshot by id (``DELETE /v2/volumes/snapshots/{id}``, 204).

        ``snapshot.destroy()`` does the same through ``/v2/snapshots/{id}``, which takes either kind.

        Raises:
            Snapshot.DoesNotExist: No such snapshot.
        """
        client = self.get_queryset().client
        self._on_snapshot(snapshot_id, lambda key: _api.delete(client, _SNAPSHOTS, key))

    @staticmethod
    def _on_snapshot(snapshot_id: Snapshot | str, send: Callable[[str], Any]) -> Any:
        """Send a request about one volume snapshot (a `Snapshot` or its id); a 404 is its ``DoesNotExist``."""
        if isinstance(snapshot_id, Snapshot):
            snapshot_id = snapshot_id.volume_snapshot_id()
        key = str(Volume._check_key(snapshot_id))
        try:
            return send(key)
        except NotFound as error:
            raise Snapshot._does_not_exist(key, error) from error

    def delete(self, *, name: str, region: Region | str) -> None:
        """Delete the volume with this name in this region (``DELETE /v2/volumes?name=&region=``).

        Both are required: a name alone could match volumes in several regions.

        Example:
            >>> Volume.objects.delete(name="data", region="nyc3")   # doctest: +SKIP
        """
        params = {"name": check_volume_name(name), "region": _region_slug(region)}
        _api.delete_where(self.get_queryset().client, Volume._endpoint, params)

    def attach(
        self,
        *,
        name: str,
        region: Region | str,
        droplet: Droplet | int,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Attach the volume with this name in this region to ``droplet`` (``POST /v2/volumes/actions``).

        Example:
            >>> Volume.objects.attach(name="data", region="nyc3", droplet=d, wait=True)   # doctest: +SKIP
        """
        return self._by_name("attach", name, region, droplet, wait, poll, timeout, progress, queue)

    def detach(
        self,
        *,
        name: str,
        region: Region | str,
        droplet: Droplet | int,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Detach the volume with this name in this region from ``droplet`` (``POST /v2/volumes/actions``).

        Example:
            >>> Volume.objects.detach(name="data", region="nyc3", droplet=d, wait=True)   # doctest: +SKIP
        """
        return self._by_name("detach", name, region, droplet, wait, poll, timeout, progress, queue)

    def _by_name(
        self,
        kind: str,
        name: str,
        region: Region | str,
        droplet: Droplet | int,
        wait: bool,
        poll: float,
        timeout: float,
        progress: Progress | None,
        queue: bool,
    ) -> Action:
        slug = _region_slug(region)
        droplet_id = _droplet_ref(droplet)
        _check_same_region(droplet, slug, name)
        body = {"type": kind, "volume_name": check_volume_name(name), "region": slug, "droplet_id": droplet_id}
        client = self.get_queryset().client
        send = lambda: _api.post_collection_action(client, Volume._endpoint, body)  # noqa: E731
        return run_action(
            client, send, body, droplet_id, wait=wait, poll=poll, timeout=timeout, progress=progress, queue=queue
        )


def _check_same_region(droplet: Droplet | int, slug: str, volume: str) -> None:
    region = getattr(droplet, "region", None)
    droplet_slug = getattr(region, "slug", None)
    if isinstance(droplet_slug, str) and droplet_slug != slug:
        raise ValidationError(
            f"volume {volume!r} is in {slug} but droplet {getattr(droplet, 'id', droplet)} is in {droplet_slug}: "
            "a volume attaches only to droplets of its own region (snapshot it and create a volume there)"
        )


@attrs.define(repr=False)
class Volume(Bound):
    """A block storage volume.

    Attributes:
        id: Identifier (a UUID).
        name: Unique in its region.
        size_gigabytes: Size in GiB.
        region: Where it lives.
        droplet_ids: The droplet it is attached to (at most one), or empty.
        created_at: When it was created.
        description: Free text.
        filesystem_type: ``"ext4"``, ``"xfs"`` or empty for a raw volume.
        filesystem_label: The filesystem label.
        tags: Tag names.

    Example:
        >>> v = Volume.objects.create(name="data", size_gigabytes=100, region="nyc3")   # doctest: +SKIP
        >>> v.attach(d, wait=True); v.droplet_ids                                       # doctest: +SKIP
        [3164444]
    """

    _endpoint = Endpoint("/v2/volumes", "volumes", "volume", {"name": "name", "region": "region"})
    """The list filters on ``name`` and ``region`` (together they name one volume)."""
    _gettable = True
    _display_fields = ("id", "name", "size_gigabytes", "region", "droplet_ids", "filesystem_type")

    id: str
    name: str
    size_gigabytes: int
    region: Region
    droplet_ids: list[int] | None = None
    created_at: datetime | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    description: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    filesystem_type: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    filesystem_label: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    tags: list[str] | None = attrs.field(default=None, metadata=OMIT_IF_NONE)

    objects = ManagerDescriptor(VolumeManager)

    @classmethod
    def _check_key(cls, key: Any) -> int | str:
        if not isinstance(key, str) or not re.fullmatch(r"[0-9a-fA-F-]{8,64}", key):
            raise ValidationError(f"a volume id is a UUID string such as '506f78a4-e098-...', got {key!r}")
        return key

    @classmethod
    def _key_field(cls, key: int | str) -> str:
        return "id"

    def __repr__(self) -> str:
        attached = f" on {self.droplet_ids[0]}" if self.droplet_ids else ""
        return f"<Volume {self.id} {self.name!r} {self.size_gigabytes}GiB {self.region.slug}{attached}>"

    @property
    def droplet_id(self) -> int | None:
        """The droplet it is attached to, or None."""
        return self.droplet_ids[0] if self.droplet_ids else None

    def refresh(self) -> Self:
        """Reload from the API in place and return self.

        Raises:
            Volume.DoesNotExist: The volume was deleted.
        """
        return self._take(type(self).objects.using(self.client).get(self.id))

    def _act(
        self,
        body: dict[str, Any],
        droplet_id: int | None,
        wait: bool,
        poll: float,
        timeout: float,
        progress: Progress | None,
        queue: bool,
    ) -> Action:
        body = {**body, "region": self.region.slug}  # every prose table of the volume actions lists it
        return post_resource_action(
            self, body, droplet_id, wait=wait, poll=poll, timeout=timeout, progress=progress, queue=queue
        )

    @action_doc("v.attach(d, wait=True)")
    def attach(
        self,
        droplet: Droplet | int,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Attach to a droplet of the same region (a `Droplet` or its id); ``queue`` waits out a locked droplet.

        Raises:
            droplets.ValidationError: The droplet is in another region, has 15 volumes
                already, or this volume is attached elsewhere (nothing was sent).
        """
        droplet_id = _droplet_ref(droplet)
        _check_same_region(droplet, self.region.slug, self.name)
        attached = list(getattr(droplet, "volume_ids", None) or [])
        if self.id not in attached and len(attached) >= MAX_VOLUMES_PER_DROPLET:
            raise ValidationError(
                f"droplet {droplet_id} has {len(attached)} volumes attached, the most a droplet takes; detach one first"
            )
        if self.droplet_ids and droplet_id not in self.droplet_ids:
            raise ValidationError(
                f"volume {self.name!r} is attached to droplet {self.droplet_ids[0]}; "
                "a volume attaches to one droplet at a time: detach it first (v.detach(wait=True))"
            )
        return self._act({"type": "attach", "droplet_id": droplet_id}, droplet_id, wait, poll, timeout, progress, queue)

    @action_doc("v.detach(wait=True)")
    def detach(
        self,
        droplet: Droplet | int | None = None,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Detach from its droplet (by default the one it is attached to, as last loaded).

        Raises:
            droplets.ValidationError: It is not attached (call refresh() if that is news).
        """
        if droplet is None:
            if not self.droplet_ids:
                raise ValidationError(f"volume {self.name!r} is not attached to a droplet (as last loaded)")
            droplet_id = self.droplet_ids[0]
        else:
            droplet_id = _droplet_ref(droplet)
        return self._act({"type": "detach", "droplet_id": droplet_id}, droplet_id, wait, poll, timeout, progress, queue)

    @action_doc("v.resize(200, wait=True)")
    def resize(
        self,
        size_gigabytes: int,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
    ) -> Action:
        """Grow the volume to ``size_gigabytes`` (volumes only grow; the filesystem is not resized).

        Raises:
            droplets.ValidationError: Not larger than the current size, or above 16384 GiB.
        """
        size = check_size(size_gigabytes)
        if size <= self.size_gigabytes:
            raise ValidationError(
                f"volume {self.name!r} has {self.size_gigabytes} GiB; a volume can only grow, "
                f"so resize takes more than that, got {size}"
            )
        return self._act({"type": "resize", "size_gigabytes": size}, None, wait, poll, timeout, progress, False)

    def snapshot(self, name: str, *, tags: list[str] | None = None) -> Snapshot:
        """Take a snapshot of the volume (``POST /v2/volumes/{id}/snapshots``, 201); it is usable at once.

        Example:
            >>> s = v.snapshot("nightly"); Volume.objects.create(name="copy", size_gigabytes=100,
            ...     region="nyc3", snapshot_id=s)   # doctest: +SKIP
        """
        if not isinstance(name, str) or not name.strip():
            raise ValidationError(f"a volume snapshot needs a name, got {name!r}")
        body: dict[str, Any] = {"name": name}
        if tags is not None:
            body["tags"] = _tags(tags)
        hint = f"The snapshot may have been taken even though the request failed: check v.snapshots() of {self.id}"
        data = _api.send_sub(self.client, self._endpoint, self.id, "snapshots", body, key="snapshot", hint=hint)
        return Snapshot._from_wire(data, self.client)

    def snapshots(self) -> list[Snapshot]:
        """The snapshots taken of this volume."""
        client = self.client
        return Snapshot._from_wire_many(list(_api.sub_list(client, self._endpoint, self.id, "snapshots")), client)

    def action(self, action_id: int) -> Action:
        """One action of this volume by id (``GET .../actions/{action_id}``)."""
        return resource_action(self, action_id)

    def actions(self) -> list[Action]:
        """Every action run on this volume."""
        return resource_actions(self)

    def destroy(self) -> None:
        """Delete the volume and its data (204). An attached volume is refused (409): detach it first.

        Raises:
            Volume.DoesNotExist: It was deleted already.
            droplets.Conflict: It is attached to a droplet.

        Example:
            >>> v.detach(wait=True); v.destroy()   # doctest: +SKIP
        """
        self._delete()
