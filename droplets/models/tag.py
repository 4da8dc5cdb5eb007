"""Tags (``/v2/tags``): create, count what carries them, tag and untag resources, delete.

A tag is identified by its name, which is case-stable: the capitalisation
used at creation is the one every later call must use. Names are letters,
digits, ``:``, ``-`` and ``_``, at most 255 characters; anything else is
refused before a request is sent.

Droplets, images, volumes and volume snapshots can be tagged: each of those
models declares the resource type the API knows it by (`Taggable`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import attrs

from droplets import _api
from droplets._api import Endpoint
from droplets._converter import OMIT_IF_NONE
from droplets.errors import NotFound, ValidationError
from droplets.managers import Manager, ManagerDescriptor
from droplets.models.base import Bound
from droplets.validation import check_tag

if TYPE_CHECKING:
    from typing_extensions import Self

    from droplets.client import Client

__all__ = ["Tag", "TagCount", "TagManager", "TagResources", "Taggable", "tag_resources"]


class Taggable(Protocol):
    """A model the tag endpoints accept: it names its API resource type and id (``("droplet", "3164444")``)."""

    def _tag_resource(self) -> tuple[str, str]: ...


@attrs.frozen
class TagCount:
    """How many resources of one kind carry a tag, and the last one tagged."""

    count: int
    last_tagged_uri: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)


@attrs.frozen
class TagResources:
    """What carries a tag: the total and per kind (only what the token may read is counted)."""

    count: int
    last_tagged_uri: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    droplets: TagCount | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    images: TagCount | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    volumes: TagCount | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    volume_snapshots: TagCount | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    databases: TagCount | None = attrs.field(default=None, metadata=OMIT_IF_NONE)


def _refs(resources: tuple[Any, ...]) -> list[dict[str, str]]:
    if not resources:
        raise ValidationError(
            "name at least one resource to tag or untag (a Droplet, Image, Volume or volume Snapshot)"
        )
    refs = []
    for resource in resources:
        describe = getattr(resource, "_tag_resource", None)
        if describe is None:
            raise ValidationError(
                f"{type(resource).__name__} cannot be tagged; tags apply to droplets, images, volumes, volume snapshots"
            )
        kind, ident = describe()
        refs.append({"resource_id": ident, "resource_type": kind})
    return refs


def tag_resources(client: Client, name: str, resources: tuple[Any, ...], *, add: bool) -> None:
    """Tag (``add``) or untag ``resources`` with the tag ``name``: one request.

    Raises:
        Tag.DoesNotExist: No tag has that name (create it first).
        droplets.ValidationError: A bad name, or a resource that cannot be tagged.
    """
    check_tag(name)
    body = {"resources": _refs(resources)}
    try:
        _api.send_sub(client, Tag._endpoint, name, "resources", body, method="POST" if add else "DELETE")
    except NotFound as error:
        hint = f"create the tag first (Tag.objects.create(name={name!r})), or check that the resources still exist"
        raise Tag._does_not_exist(name, error, hint) from error


class TagManager(Manager["Tag"]):
    """``Tag.objects``: querysets plus create; ``get("web")`` loads one tag by name (one request)."""

    def create(self, name: str) -> Tag:
        """Create a tag (creating one that exists returns it).

        Raises:
            droplets.ValidationError: Not a valid tag name (nothing was sent).

        Example:
            >>> Tag.objects.create(name="web")   # doctest: +SKIP
        """
        return self._create_one({"name": check_tag(name)})


@attrs.define(repr=False)
class Tag(Bound):
    """A tag and the count of what carries it.

    Attributes:
        name: The name (case-stable: use the capitalisation it was created with).
        resources: How many droplets, images, volumes, ... carry it.
    """

    _endpoint = Endpoint("/v2/tags", "tags", "tag")
    _gettable = True

    name: str
    resources: TagResources

    objects = ManagerDescriptor(TagManager)

    @classmethod
    def _check_key(cls, key: Any) -> int | str:
        return check_tag(key)

    @classmethod
    def _key_field(cls, key: int | str) -> str:
        return "name"

    def _key(self) -> int | str:
        return self.name

    def refresh(self) -> Self:
        """Reload the counts in place and return self."""
        return self._take(type(self).objects.using(self.client).get(self.name))

    def add(self, *resources: Taggable) -> None:
        """Tag droplets, images, volumes or volume snapshots (one request).

        Example:
            >>> Tag.objects.get("web").add(d1, d2, image)   # doctest: +SKIP
        """
        tag_resources(self.client, self.name, resources, add=True)

    def remove(self, *resources: Taggable) -> None:
        """Untag resources (one request).

        Example:
            >>> Tag.objects.get("web").remove(d1)   # doctest: +SKIP
        """
        tag_resources(self.client, self.name, resources, add=False)

    def destroy(self) -> None:
        """Delete the tag; every resource that carried it is untagged.

        Raises:
            Tag.DoesNotExist: It was deleted already.
        """
        self._delete()

    def __repr__(self) -> str:
        return f"<Tag {self.name!r} on {self.resources.count} resources>"
