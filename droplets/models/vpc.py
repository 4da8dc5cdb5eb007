"""VPCs (``/v2/vpcs``): private networks per region, their default, and their members.

The rules the API states, checked here before sending where they can be:
names are letters, digits, ``-`` and ``.``; an ``ip_range`` is an RFC 1918
private network from ``/16`` to ``/28``; each region has one default VPC,
which cannot be deleted (make another VPC the default first, with
``other.update(default=True)``). Droplets join a VPC at create:
``Droplet.objects.create(..., vpc_uuid=vpc)``.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from droplets import _api, _converter
from droplets._api import Endpoint
from droplets._converter import OMIT_IF_NONE
from droplets.errors import ValidationError
from droplets.managers import Manager, ManagerDescriptor
from droplets.models.base import Bound

if TYPE_CHECKING:
    from typing_extensions import Self

    from droplets.models.region import Region

__all__ = ["VPC", "VPCManager", "VPCMember"]

_NAME = re.compile(r"^[a-zA-Z0-9\-.]+$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_PRIVATE = [ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not _NAME.match(name) or len(name) > 255:
        raise ValidationError(f"VPC name {name!r} is invalid: use letters, digits, '-' and '.' (at most 255)")
    return name


def _check_description(description: Any) -> str:
    if not isinstance(description, str) or len(description) > 255:
        raise ValidationError(f"a VPC description is a string of at most 255 characters, got {description!r}")
    return description


def check_ip_range(ip_range: Any) -> str:
    """Check a VPC ``ip_range``: an RFC 1918 network in CIDR notation, ``/16`` to ``/28``.

    Raises:
        droplets.ValidationError: Not such a network.
    """
    try:
        network = ipaddress.ip_network(ip_range, strict=True) if isinstance(ip_range, str) else None
    except ValueError:
        network = None
    if not isinstance(network, ipaddress.IPv4Network):
        raise ValidationError(f"ip_range {ip_range!r} is not an IPv4 network in CIDR notation, e.g. '10.10.0.0/20'")
    if not any(network.subnet_of(private) for private in _PRIVATE):
        raise ValidationError(f"ip_range {ip_range} is not private (RFC 1918: 10/8, 172.16/12 or 192.168/16)")
    if not 16 <= network.prefixlen <= 28:
        raise ValidationError(f"ip_range {ip_range} must be between /16 and /28 in size")
    return str(network)


@attrs.frozen
class VPCMember:
    """A resource inside a VPC (``vpc.members()``).

    Attributes:
        urn: ``do:<type>:<id>``, e.g. ``do:droplet:3164444``.
        name: The resource's name.
        created_at: When it was created.
    """

    urn: str
    name: str
    created_at: datetime

    @property
    def resource_type(self) -> str:
        """The kind of resource (``"droplet"``, ``"loadbalancer"``, ``"dbaas"``, ...)."""
        return self.urn.split(":")[1]

    @property
    def resource_id(self) -> str:
        """Its id, as the URN writes it (a string, also for droplets)."""
        return self.urn.split(":", 2)[2]


class VPCManager(Manager["VPC"]):
    """``VPC.objects``: querysets plus create."""

    def create(
        self, name: str, region: Region | str, *, ip_range: str | None = None, description: str | None = None
    ) -> VPC:
        """Create a VPC; the first one in a region becomes its default.

        Args:
            name: Unique; letters, digits, ``-`` and ``.``.
            region: A slug or a `Region`.
            ip_range: An RFC 1918 network, ``/16`` to ``/28``; omitted, the API picks a free ``/20``.
            description: At most 255 characters.

        Raises:
            droplets.ValidationError: A bad name, region or range (nothing was sent).

        Example:
            >>> VPC.objects.create(name="prod", region="nyc3", ip_range="10.10.0.0/20")   # doctest: +SKIP
        """
        slug = getattr(region, "slug", region)
        if not isinstance(slug, str) or not slug:
            raise ValidationError(f"region must be a slug such as 'nyc3' or a Region, got {region!r}")
        body: dict[str, Any] = {"name": _check_name(name), "region": slug}
        if ip_range is not None:
            body["ip_range"] = check_ip_range(ip_range)
        if description is not None:
            body["description"] = _check_description(description)
        return self._create_one(body)


@attrs.define(repr=False)
class VPC(Bound):
    """A VPC: a private network in one region.

    Attributes:
        id: UUID; what ``Droplet.objects.create(vpc_uuid=...)`` takes (or the VPC itself).
        urn: ``do:vpc:<id>``.
        name: Unique name.
        description: Free text.
        region: The region's slug.
        ip_range: The network, in CIDR notation.
        default: Whether new droplets of the region land here unless told otherwise.
        created_at: When it was created.
    """

    _endpoint = Endpoint("/v2/vpcs", "vpcs", "vpc")
    _gettable = True

    id: str
    urn: str
    name: str
    region: str
    ip_range: str
    default: bool
    created_at: datetime
    description: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)

    objects = ManagerDescriptor(VPCManager)

    @classmethod
    def _check_key(cls, key: Any) -> int | str:
        if not isinstance(key, str) or not _UUID.match(key):
            raise ValidationError(f"a VPC id is a UUID such as '5a4981aa-9653-4bd1-bef5-d6bff52042e4', got {key!r}")
        return key

    def refresh(self) -> Self:
        """Reload in place and return self."""
        return self._take(type(self).objects.using(self.client).get(self.id))

    def update(self, *, name: str, description: str | None = None, default: bool | None = None) -> Self:
        """Replace the VPC's settings (``PUT``: ``name`` is required); returns self, updated.

        Args:
            name: The (new) name.
            description: The (new) description; None leaves it.
            default: True makes this the region's default (the old default stops being one).
                A default cannot be switched off directly: make another VPC the default.
        """
        return self._save(self._body(name=name, description=description, default=default))

    def partial_update(
        self, *, name: str | None = None, description: str | None = None, default: bool | None = None
    ) -> Self:
        """Change only the given settings (``PATCH``); returns self, updated.

        Example:
            >>> vpc.partial_update(description="production")   # doctest: +SKIP
        """
        body = self._body(name=name, description=description, default=default)
        if not body:
            raise ValidationError("partial_update() needs at least one of name, description, default")
        return self._save(body, method="PATCH")

    def _body(self, *, name: str | None, description: str | None, default: bool | None) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = _check_name(name)
        if description is not None:
            body["description"] = _check_description(description)
        if default is not None:
            if not isinstance(default, bool):
                raise ValidationError(f"default must be True or False, got {default!r}")
            if default is False and self.default:
                raise ValidationError(
                    f"VPC {self.name!r} is the default of {self.region}; a default cannot be switched off: "
                    "make another VPC of the region the default with other.update(name=..., default=True)"
                )
            body["default"] = default
        return body

    def members(self, resource_type: str | None = None) -> list[VPCMember]:
        """The resources in this VPC (droplets, load balancers, databases, ...), typed.

        Args:
            resource_type: Only this kind (``"droplet"``, ...), filtered by the server.
        """
        params = {"resource_type": resource_type} if resource_type else None
        items = _api.sub_list(self.client, self._endpoint, self.id, "members", params=params)
        return [_converter.structure_wire(item, VPCMember) for item in items]

    def destroy(self) -> None:
        """Delete the VPC; refused before sending for a default VPC.

        Raises:
            droplets.ValidationError: This is its region's default VPC.
            VPC.DoesNotExist: It was deleted already.
            droplets.Forbidden: The API refused (it still has members).
        """
        if self.default:
            raise ValidationError(
                f"VPC {self.name!r} ({self.id}) is the default VPC of {self.region} and cannot be deleted; "
                "make another VPC of the region the default first (other.update(name=..., default=True))"
            )
        self._delete()

    def __repr__(self) -> str:
        marker = " default" if self.default else ""
        return f"<VPC {self.id} {self.name!r} {self.region} {self.ip_range}{marker}>"
