"""What can be done to the account's own images: rename, delete, transfer to a region, convert a backup.

The verbs live on the manager, ``Image.objects`` (or ``client.images`` for
another client), and take the image or its id. ``image.update(...)``,
``image.transfer(...)`` and friends are the same calls on the client the
image was read through (`Image` is a value shared across a listing, interned
per client: see ``droplets._converter.values_of``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from droplets import _api
from droplets.errors import NotFound, ValidationError
from droplets.managers import Manager
from droplets.models.action import Action
from droplets.models.base import check_id
from droplets.validation import check_poll
from droplets.waiting import Progress, wait_for

if TYPE_CHECKING:
    from droplets.models.image import Image
    from droplets.models.region import Region

__all__ = ["DISTRIBUTIONS", "ImageManager"]

DISTRIBUTIONS = frozenset(
    {
        "Arch Linux", "CentOS", "CoreOS", "Debian", "Fedora", "Fedora Atomic", "FreeBSD",
        "Gentoo", "openSUSE", "RancherOS", "Rocky Linux", "Ubuntu", "Unknown",
    }
)  # fmt: skip
"""The spec's distributions (the API stores any other value as ``Unknown``)."""


class ImageManager(Manager["Image"]):
    """``Image.objects``: querysets, plus the verbs on the account's own images (by model or id)."""

    def _id(self, image: Image | int) -> int:
        ident = getattr(image, "id", image)
        return check_id(ident, "image id")

    def _call(self, image: Image | int, send: Any) -> Any:
        ident = self._id(image)
        try:
            return send(self.get_queryset().client, ident)
        except NotFound as error:
            raise self.model._does_not_exist(ident, error, "only the account's own images can be changed") from error

    def update(
        self,
        image: Image | int,
        *,
        name: str | None = None,
        description: str | None = None,
        distribution: str | None = None,
    ) -> Image:
        """Rename an image (any of the account's), or change a custom image's description or distribution.

        Returns:
            The updated image (images are values: the one passed in is unchanged).

        Raises:
            droplets.ValidationError: Nothing to change, an empty name or an unknown distribution.
        """
        body: dict[str, Any] = {}
        if name is not None:
            if not isinstance(name, str) or not name.strip():
                raise ValidationError(f"an image name must be a non-empty string, got {name!r}")
            body["name"] = name
        if description is not None:
            body["description"] = str(description)
        if distribution is not None:
            if distribution not in DISTRIBUTIONS:
                raise ValidationError(f"distribution {distribution!r} is not one of {', '.join(sorted(DISTRIBUTIONS))}")
            body["distribution"] = distribution
        if not body:
            raise ValidationError("update() needs at least one of name, description, distribution")
        client = self.get_queryset().client
        data = self._call(image, lambda c, ident: _api.update(c, self.model._endpoint, ident, body))
        return self.model._from_wire(data, client)

    def destroy(self, image: Image | int) -> None:
        """Delete a snapshot or custom image of the account."""
        self._call(image, lambda client, ident: _api.delete(client, self.model._endpoint, ident))

    def _act(
        self,
        image: Image | int,
        body: dict[str, Any],
        wait: bool,
        poll: float,
        timeout: float,
        progress: Progress | None,
    ) -> Action:
        if wait:
            check_poll(poll, timeout)
        client = self.get_queryset().client
        data = self._call(image, lambda c, ident: _api.post_action(c, self.model._endpoint, ident, body))
        action = Action._from_wire(data, client)
        if wait:
            wait_for([action], poll=poll, timeout=timeout, progress=progress)
        return action

    def transfer(
        self,
        image: Image | int,
        region: Region | str,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
    ) -> Action:
        """Copy an image to another region (an action); with ``wait``, until it completes."""
        slug = getattr(region, "slug", region)
        if not isinstance(slug, str) or not slug:
            raise ValidationError(f"region must be a slug such as 'ams3' or a Region, got {region!r}")
        return self._act(image, {"type": "transfer", "region": slug}, wait, poll, timeout, progress)

    def convert(
        self,
        image: Image | int,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
    ) -> Action:
        """Turn a backup into a snapshot (an action); with ``wait``, until it completes."""
        return self._act(image, {"type": "convert"}, wait, poll, timeout, progress)

    def actions(self, image: Image | int) -> list[Action]:
        """Every action run on an image (transfers, conversions)."""
        client = self.get_queryset().client
        items = self._call(image, lambda c, ident: list(_api.sub_list(c, self.model._endpoint, ident, "actions")))
        return [Action._from_wire(item, client) for item in items]

    def action(self, image: Image | int, action_id: int) -> Action:
        """One action of an image by id (``GET /v2/images/{id}/actions/{action_id}``)."""
        client = self.get_queryset().client
        sub = f"actions/{check_id(action_id, 'action id')}"
        data = self._call(image, lambda c, ident: _api.sub_item(c, self.model._endpoint, ident, sub, "action"))
        return Action._from_wire(data, client)
