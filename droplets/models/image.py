"""Images: distributions, snapshots, backups and custom images."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import attrs

from droplets import lookups
from droplets._api import Endpoint
from droplets._converter import OMIT_IF_NONE
from droplets.errors import ValidationError
from droplets.managers import ManagerDescriptor
from droplets.models.base import ClientValue, check_id
from droplets.models.image_verbs import ImageManager
from droplets.validation import check_tag

if TYPE_CHECKING:
    from droplets.models.action import Action

__all__ = ["Image", "image_key"]


def image_key(value: Any) -> int | None:
    """The image id of an `Image`, or of a droplet `Snapshot` (whose module is imported only if one is given).

    Returns:
        The id, or None when ``value`` is neither (an id or a slug is the caller's to check).

    Raises:
        droplets.ValidationError: ``value`` is a volume snapshot.
    """
    if isinstance(value, Image):
        return value.id
    if value is None or isinstance(value, (int, str)):
        return None
    from droplets.models.snapshot import Snapshot

    return value.image_id() if isinstance(value, Snapshot) else None


def _optional() -> Any:
    """A field the API may leave out: None when absent, and left out again on output."""
    return attrs.field(default=None, metadata=OMIT_IF_NONE)


@attrs.frozen(repr=False)
class Image(ClientValue):
    """An image (``GET /v2/images``): a distribution, an application, a snapshot, a backup or a custom image.

    The spec's image schema marks no field required, but every image its
    examples show (the images list and get, and the image inside every
    droplet) carries all of them except ``type`` (missing from the get and
    update examples) and ``error_message``; so those two are optional here and
    the others are required. ``slug``, ``min_disk_size``, ``size_gigabytes``
    and ``tags`` may be null. A droplet's own snapshot and backup lists use
    another shape: see `Snapshot`.

    ``Image.objects.get("ubuntu-24-04-x64")`` finds by slug, ``get(7555620)``
    by id; ``filter(type="distribution")`` (or ``"application"``),
    ``filter(private=True)`` and ``filter(tag=...)`` are server-side.

    An image is a value shared by every droplet that shows it, and it still
    acts through the client it was read from: ``image.update()``,
    ``destroy()``, ``transfer()``, ``convert()`` and ``actions()`` of an image
    from ``client_b.images.get(...)``, or of ``d.image`` of a droplet listed by
    ``client_b``, go to ``client_b`` (see `ClientValue`).
    """

    _endpoint = Endpoint("/v2/images", "images", "image", {"type": "type", "private": "private", "tag": "tag_name"})
    _intern_key = "id"
    _gettable = True

    id: int
    name: str
    distribution: str
    slug: str | None
    public: bool
    regions: tuple[str, ...]
    created_at: datetime
    min_disk_size: int | None
    size_gigabytes: float | None
    description: str
    tags: tuple[str, ...] | None
    status: Literal["NEW", "available", "pending", "deleted", "retired"] | str
    type: Literal["base", "snapshot", "backup", "custom", "admin"] | str | None = _optional()
    error_message: str | None = _optional()

    objects = ManagerDescriptor(ImageManager)

    @classmethod
    def _lookup_rules(cls) -> dict[str, lookups.Rule]:
        # tag=, type= and private= are the images list's own filters. The list's type (application or
        # distribution) is not the field's (base, snapshot, ...), and private=false would list every
        # image, so both are answered by the server only, with the values whose meaning is exact.
        return {
            "tag": lookups.membership("tag", check_tag, lambda image: image.tags or ()),
            "type": lookups.choice(
                "type",
                ("application", "distribution"),
                None,
                hint="the images list filters on these; an image's own type (base, snapshot, backup, custom, "
                "admin) is read in Python: [i for i in qs if i.type == 'snapshot']",
            ),
            "private": lookups.choice(
                "private", (True,), None, hint="private=False would list every image; for public ones use public=True"
            ),
        }

    @classmethod
    def _check_key(cls, key: Any) -> int | str:
        if isinstance(key, str) and key and not key.isdigit():
            if not all(ch.isalnum() or ch in "-._" for ch in key):
                raise ValidationError(f"{key!r} is not an image slug (letters, digits, '-', '.', '_')")
            return key
        return check_id(key, "Image id")

    def update(
        self, *, name: str | None = None, description: str | None = None, distribution: str | None = None
    ) -> Image:
        """Rename (or, for a custom image, describe) this image; returns the updated image.

        Example:
            >>> Image.objects.get(7938391).update(name="base-2026-11")   # doctest: +SKIP
        """
        return self._verbs().update(self, name=name, description=description, distribution=distribution)

    def destroy(self) -> None:
        """Delete this snapshot or custom image (``DELETE /v2/images/{id}``, 204)."""
        self._verbs().destroy(self)

    def transfer(
        self, region: Any, *, wait: bool = False, poll: float = 5, timeout: float = 300, progress: Any = None
    ) -> Action:
        """Copy this image to another region (an action).

        Example:
            >>> image.transfer(region="ams3", wait=True)   # doctest: +SKIP
        """
        return self._verbs().transfer(self, region, wait=wait, poll=poll, timeout=timeout, progress=progress)

    def convert(self, *, wait: bool = False, poll: float = 5, timeout: float = 300, progress: Any = None) -> Action:
        """Turn this backup into a snapshot (an action)."""
        return self._verbs().convert(self, wait=wait, poll=poll, timeout=timeout, progress=progress)

    def actions(self) -> list[Action]:
        """The actions run on this image."""
        return self._verbs().actions(self)

    def action(self, action_id: int) -> Action:
        """One action of this image by id."""
        return self._verbs().action(self, action_id)

    def _verbs(self) -> ImageManager:
        """The image manager of the client this image was read through."""
        return type(self).objects.using(self.client)

    def _tag_resource(self) -> tuple[str, str]:
        if self.id is None:
            raise ValidationError(f"{self!r} has no id to tag it by")
        return "image", str(self.id)

    def __repr__(self) -> str:
        label = self.slug or self.name
        return f"<Image {self.id} {label!r} {self.type or ''}>".replace(" >", ">")
