"""The options a droplet is created with, checked before anything is sent.

``Droplet.objects.create()``, ``create_many()``, ``present()`` and
``present_many()`` spell every option out as a typed keyword parameter (so
IDEs complete them and mypy checks them) and hand them here as one
`CreateOptions`, which turns them into the body of ``POST /v2/droplets``
(the spec's ``droplet_create`` schema) or raises `ValidationError`.

Models are accepted where the API takes an id or a slug: a `Region` or
`Size` (its slug), an `Image` or a droplet `Snapshot` (its id), an `SSHKey` (its id). Volumes and
VPCs are given by id (a string) or by any object with a string ``id``
attribute (`Identified`), which is how the volume and VPC models plug in.

The spec's rules checked here: ``region``, ``size`` and ``image`` are
required (the API makes ``region`` optional; the library does not guess a
region for you); ``public_networking=False`` needs ``ipv6=False``; a
``backup_policy`` goes with ``backups=True`` and takes the spec's plans,
weekdays and hours (`droplets.models.backup`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import attrs

from droplets.errors import ValidationError
from droplets.models.backup import policy_body
from droplets.models.base import check_id
from droplets.models.image import image_key
from droplets.models.region import Region
from droplets.models.size import Size
from droplets.models.ssh_key import SSHKey
from droplets.validation import check_tag, check_user_data

__all__ = ["REQUIRED", "CreateOptions", "Identified"]


class _Required:
    """The default of ``region``, ``size`` and ``image``: leaving one out is a `ValidationError`."""

    def __repr__(self) -> str:
        return "<required>"


REQUIRED: Any = _Required()
"""Marks a required create option in signatures (``help()`` shows ``region=<required>``)."""


@runtime_checkable
class Identified(Protocol):
    """Anything with a string ``id``: a volume or a VPC model."""

    @property
    def id(self) -> str:
        """The object's id (a UUID)."""
        ...


def _slug(value: Any, what: str, model: type[Region] | type[Size]) -> str:
    if value is REQUIRED or value is None:
        raise ValidationError(
            f"{what} is required to create a droplet (a slug such as those in {model.__name__}.objects.all())"
        )
    if isinstance(value, model):
        return value.slug
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{what} must be a slug or a {model.__name__}, got {value!r}")
    return value


def _image(value: Any) -> int | str:
    if value is REQUIRED or value is None:
        raise ValidationError(
            "image is required to create a droplet (a slug such as 'ubuntu-24-04-x64', an id, or an Image)"
        )
    key = image_key(value)
    if key is not None:
        return key
    if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
        raise ValidationError(f"image must be a slug, an id or an Image, got {value!r}")
    return check_id(value, "image id") if isinstance(value, int) else value


def _list(value: Any, what: str) -> list[Any] | None:
    if value is None:
        return None
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise ValidationError(f"{what} must be a list, got {value!r}")
    return list(value)


def _ssh_keys(keys: Any) -> list[int | str] | None:
    items = _list(keys, "ssh_keys")
    if items is None:
        return None
    refs: list[int | str] = []
    for key in items:
        if isinstance(key, SSHKey):
            refs.append(key.id)
        elif isinstance(key, (int, str)) and not isinstance(key, bool) and key != "":
            refs.append(key)
        else:
            raise ValidationError(f"ssh_keys takes key ids, fingerprints or SSHKey objects, got {key!r}")
    return refs


def _uuid(value: Any, what: str) -> str:
    if isinstance(value, str) and value:
        return value
    ident = getattr(value, "id", None) if not isinstance(value, (int, bool)) else None
    if isinstance(ident, str) and ident:
        return ident
    raise ValidationError(f"{what} takes ids (strings) or objects with a string id, got {value!r}")


def _volume_refs(volumes: list[Any], region: Any) -> list[str]:
    from droplets.models.volume import volume_refs  # on first use: volumes cost nothing at import

    return volume_refs(volumes, region)


def _flag(value: Any, what: str, *, optional: bool = False) -> bool | None:
    if value is None and optional:
        return None
    if not isinstance(value, bool):
        raise ValidationError(f"{what} must be True or False{' (or None)' if optional else ''}, got {value!r}")
    return value


@attrs.frozen
class CreateOptions:
    """Every create option, as given; `body()` checks them and builds the request body."""

    region: Any = REQUIRED
    size: Any = REQUIRED
    image: Any = REQUIRED
    ssh_keys: Any = None
    backups: Any = False
    backup_policy: Any = None
    ipv6: Any = False
    monitoring: Any = False
    user_data: Any = None
    volumes: Any = None
    tags: Any = None
    vpc_uuid: Any = None
    public_networking: Any = True
    with_droplet_agent: Any = None
    private_networking: Any = None

    @classmethod
    def of(cls, arguments: Mapping[str, Any]) -> CreateOptions:
        """Collect the options from a create method's arguments (its ``locals()``)."""
        return cls(**{field.name: arguments[field.name] for field in attrs.fields(cls)})

    def body(self, names: Sequence[str] | str) -> dict[str, Any]:
        """The ``POST /v2/droplets`` body for ``names`` (one name, or a list of at most 10).

        Raises:
            droplets.ValidationError: An option the API would refuse, or one that breaks a spec rule.
        """
        body: dict[str, Any] = {"name": names} if isinstance(names, str) else {"names": list(names)}
        body["region"] = _slug(self.region, "region", Region)
        body["size"] = _slug(self.size, "size", Size)
        body["image"] = _image(self.image)
        backups = _flag(self.backups, "backups")
        body["backups"] = backups
        body["ipv6"] = _flag(self.ipv6, "ipv6")
        body["monitoring"] = _flag(self.monitoring, "monitoring")
        if not _flag(self.public_networking, "public_networking"):
            if body["ipv6"]:
                raise ValidationError(
                    "public_networking=False needs ipv6=False: a droplet without public networking "
                    "has no public IPv6 address"
                )
            body["public_networking"] = False
        if self.backup_policy is not None:
            if not backups:
                raise ValidationError(
                    "backup_policy is used only with backups=True; pass backups=True as well "
                    "(or leave backup_policy out)"
                )
            body["backup_policy"] = policy_body(self.backup_policy)
        tags, volumes = _list(self.tags, "tags"), _list(self.volumes, "volumes")
        optional: dict[str, Any] = {
            "ssh_keys": _ssh_keys(self.ssh_keys),
            "user_data": check_user_data(self.user_data),
            "tags": None if tags is None else [check_tag(tag) for tag in tags],
            "volumes": None if volumes is None else _volume_refs(volumes, body["region"]),
            "vpc_uuid": None if self.vpc_uuid is None else _uuid(self.vpc_uuid, "vpc_uuid"),
            "with_droplet_agent": _flag(self.with_droplet_agent, "with_droplet_agent", optional=True),
            "private_networking": _flag(self.private_networking, "private_networking", optional=True),
        }
        body.update((key, value) for key, value in optional.items() if value is not None)
        return body
