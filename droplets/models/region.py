"""Regions: where droplets run."""

from __future__ import annotations

import attrs

from droplets._api import Endpoint
from droplets.managers import Manager, ManagerDescriptor
from droplets.models.base import Model

__all__ = ["Region"]


@attrs.frozen(repr=False)
class Region(Model):
    """A datacenter region (``GET /v2/regions``).

    Attributes:
        name: Display name, e.g. ``"New York 3"``.
        slug: Identifier, e.g. ``"nyc3"``.
        features: Features available here (``"backups"``, ``"ipv6"``, ...).
        available: Whether new droplets can be created here.
        sizes: Slugs of the sizes available here.
    """

    _endpoint = Endpoint("/v2/regions", "regions", "region")
    _intern_key = "slug"

    name: str
    slug: str
    features: tuple[str, ...]
    available: bool
    sizes: tuple[str, ...]

    objects = ManagerDescriptor(Manager["Region"])

    def __repr__(self) -> str:
        return f"<Region {self.slug} {self.name!r}{'' if self.available else ' unavailable'}>"
