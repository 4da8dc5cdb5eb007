"""Snapshots and backups as a droplet lists them: ``d.snapshots()`` and ``d.backups()``.

The per-droplet lists answer in the spec's ``droplet_snapshot`` shape (an
integer ``id``, ``name``, ``created_at``, ``regions``, ``min_disk_size``,
``size_gigabytes`` and ``type``), not the full image object. The
account-wide ``/v2/snapshots`` list uses the ``snapshots`` shape (string
ids, ``resource_id``, ``resource_type``, ``tags``): that is `Snapshot`. The
fields only that shape has are optional here too, so a body of either shape
with an integer id structures. The backups list
also carries ``distribution``, ``slug`` and ``public`` (the spec's example
shows them), kept when present.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import attrs

from droplets._converter import OMIT_IF_NONE
from droplets.models.base import Model

__all__ = ["DropletSnapshot"]


def _optional() -> Any:
    """A field one of the two shapes leaves out: None when absent, and left out again on output."""
    return attrs.field(default=None, metadata=OMIT_IF_NONE)


@attrs.frozen(repr=False)
class DropletSnapshot(Model):
    """A snapshot or backup image of a droplet.

    Attributes:
        id: The image id (what ``d.restore()`` and ``d.rebuild()`` take).
        name: Its name.
        created_at: When it was taken.
        regions: Slugs of the regions it is available in.
        min_disk_size: The smallest disk (GB) a droplet made from it needs.
        size_gigabytes: Its billable size.
        type: ``"snapshot"`` or ``"backup"`` (the per-droplet lists always say).
        resource_id: The droplet (or volume) it was taken of (account-wide list only).
        resource_type: ``"droplet"`` or ``"volume"`` (account-wide list only).
        tags: Its tags (account-wide list only).
        distribution: The image's distribution (backups list only).
        slug: Always None for a snapshot or backup (backups list only).
        public: Always False for a snapshot or backup (backups list only).

    Example:
        >>> d.restore(d.backups()[0], wait=True)   # doctest: +SKIP
    """

    id: int
    name: str
    created_at: datetime
    regions: tuple[str, ...]
    min_disk_size: int
    size_gigabytes: float
    type: Literal["snapshot", "backup"] | str | None = _optional()
    resource_id: str | None = _optional()
    resource_type: Literal["droplet", "volume"] | str | None = _optional()
    tags: tuple[str, ...] | None = _optional()
    distribution: str | None = _optional()
    slug: str | None = None
    public: bool | None = _optional()

    def __repr__(self) -> str:
        return f"<DropletSnapshot {self.id} {self.name!r} {self.type or self.resource_type or ''}>".replace(" >", ">")
