"""The table columns of each model, after doctl's default ``--format``: every command's tables, in one place.

A column is ``(title, read)``; `columns` builds a table from titles and
attribute paths (``"region.slug"``), or functions where a cell is computed.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from droplets.cli.output import Column

if TYPE_CHECKING:
    from droplets import AutoscalePool, Droplet, Image

__all__ = [
    "ACCOUNT_COLUMNS",
    "ACTION_COLUMNS",
    "DROPLET_COLUMNS",
    "FIREWALL_COLUMNS",
    "IMAGE_COLUMNS",
    "KERNEL_COLUMNS",
    "POOL_COLUMNS",
    "POOL_MEMBER_COLUMNS",
    "REGION_COLUMNS",
    "RESERVED_IP_COLUMNS",
    "SIZE_COLUMNS",
    "SNAPSHOT_COLUMNS",
    "SSH_KEY_COLUMNS",
    "TAG_COLUMNS",
    "VOLUME_COLUMNS",
    "VOLUME_SNAPSHOT_COLUMNS",
    "VPC_COLUMNS",
    "VPC_MEMBER_COLUMNS",
    "columns",
]


def columns(*spec: tuple[str, str | Callable[[Any], object]]) -> list[Column]:
    """A table: ``(title, "attribute.path")`` reads that attribute, ``(title, function)`` computes the cell."""
    return [(title, attrgetter(read) if isinstance(read, str) else read) for title, read in spec]


def _joined(attribute: str) -> Callable[[Any], str]:
    """A list attribute as ``a,b,c`` (empty when None)."""
    return lambda obj: ",".join(str(item) for item in getattr(obj, attribute) or [])


def _gib(attribute: str) -> Callable[[Any], str]:
    return lambda obj: f"{getattr(obj, attribute)} GiB"


def _image_name(droplet: Droplet) -> str:
    image: Image = droplet.image
    return " ".join(part for part in (image.distribution, image.name) if part) or (image.slug or "")


def _pool_size(pool: AutoscalePool) -> str:
    from droplets.models.autoscale_pool import StaticConfig

    config = pool.config
    if isinstance(config, StaticConfig):
        return str(config.target_number_instances)
    return f"{config.min_instances}-{config.max_instances}"


def _utilization(resource: str) -> Callable[[Any], str | None]:
    """A pool member's CPU or memory use as a percentage (None when not reported)."""
    return lambda m: f"{getattr(m.current_utilization, resource):.0%}" if m.current_utilization else None


def _count(kind: str) -> Callable[[Any], int]:
    """How many resources of a kind carry a tag."""
    return lambda t: getattr(t.resources, kind).count if getattr(t.resources, kind) else 0


DROPLET_COLUMNS = columns(
    ("ID", "id"),
    ("Name", "name"),
    ("Public IPv4", "public_ipv4"),
    ("Private IPv4", "private_ipv4"),
    ("Memory", "memory"),
    ("VCPUs", "vcpus"),
    ("Disk", "disk"),
    ("Region", "region.slug"),
    ("Image", _image_name),
    ("Status", "status"),
    ("Tags", "tags"),
)

ACTION_COLUMNS = columns(
    ("ID", "id"),
    ("Status", "status"),
    ("Type", "type"),
    ("Started At", "started_at"),
    ("Completed At", "completed_at"),
    ("Resource ID", "resource_id"),
    ("Resource Type", "resource_type"),
    ("Region", "region_slug"),
)

IMAGE_COLUMNS = columns(
    ("ID", "id"),
    ("Name", "name"),
    ("Type", "type"),
    ("Distribution", "distribution"),
    ("Slug", "slug"),
    ("Public", "public"),
    ("Min Disk", "min_disk_size"),
)

KERNEL_COLUMNS = columns(("ID", "id"), ("Name", "name"), ("Version", "version"))

REGION_COLUMNS = columns(("Slug", "slug"), ("Name", "name"), ("Available", "available"))

SIZE_COLUMNS = columns(
    ("Slug", "slug"),
    ("Description", "description"),
    ("Memory", "memory"),
    ("VCPUs", "vcpus"),
    ("Disk", "disk"),
    ("Price Monthly", lambda s: f"{s.price_monthly:.2f}"),
    ("Price Hourly", lambda s: f"{s.price_hourly:.6f}"),
)

SSH_KEY_COLUMNS = columns(("ID", "id"), ("Name", "name"), ("FingerPrint", "fingerprint"))

ACCOUNT_COLUMNS = columns(
    ("Email", "email"),
    ("Name", "name"),
    ("Team", lambda a: a.team.name if a.team else ""),
    ("Droplet Limit", "droplet_limit"),
    ("Email Verified", "email_verified"),
    ("Status", "status"),
)

POOL_COLUMNS = columns(
    ("ID", "id"),
    ("Name", "name"),
    ("Status", "status"),
    ("Size", _pool_size),
    ("Active", "active_resources_count"),
    ("Region", "droplet_template.region"),
    ("Droplet Size", "droplet_template.size"),
)

POOL_MEMBER_COLUMNS = columns(
    ("Droplet ID", "droplet_id"),
    ("Status", "status"),
    ("Health", "health_status"),
    ("CPU", _utilization("cpu")),
    ("Memory", _utilization("memory")),
)

FIREWALL_COLUMNS = columns(
    ("ID", "id"),
    ("Name", "name"),
    ("Status", "status"),
    ("Inbound Rules", lambda f: len(f.inbound_rules or [])),
    ("Outbound Rules", lambda f: len(f.outbound_rules or [])),
    ("Droplet IDs", _joined("droplet_ids")),
    ("Tags", _joined("tags")),
)

RESERVED_IP_COLUMNS = columns(
    ("IP", "ip"),
    ("Region", "region.slug"),
    ("Droplet ID", lambda ip: ip.droplet_id or ""),
    ("Droplet Name", lambda ip: ip.droplet.name if ip.droplet is not None else ""),
    ("Locked", "locked"),
)

SNAPSHOT_COLUMNS = columns(
    ("ID", "id"),
    ("Name", "name"),
    ("Created At", "created_at"),
    ("Regions", _joined("regions")),
    ("Resource ID", "resource_id"),
    ("Resource Type", "resource_type"),
    ("Min Disk Size", "min_disk_size"),
    ("Size", "size_gigabytes"),
)
"""The account's snapshots (``droplets snapshot``)."""

TAG_COLUMNS = columns(
    ("Name", "name"),
    ("Resources", "resources.count"),
    ("Droplets", _count("droplets")),
    ("Images", _count("images")),
)

VOLUME_COLUMNS = columns(
    ("ID", "id"),
    ("Name", "name"),
    ("Size", _gib("size_gigabytes")),
    ("Region", "region.slug"),
    ("Filesystem Type", lambda v: v.filesystem_type or ""),
    ("Droplet IDs", _joined("droplet_ids")),
)

VOLUME_SNAPSHOT_COLUMNS = columns(
    ("ID", "id"),
    ("Name", "name"),
    ("Min Disk Size", _gib("min_disk_size")),
    ("Size", _gib("size_gigabytes")),
    ("Regions", _joined("regions")),
)
"""A volume's snapshots (``droplets volume snapshots``)."""

VPC_COLUMNS = columns(
    ("ID", "id"),
    ("Name", "name"),
    ("Region", "region"),
    ("IP Range", "ip_range"),
    ("Default", "default"),
)

VPC_MEMBER_COLUMNS = columns(
    ("Type", "resource_type"),
    ("ID", "resource_id"),
    ("Name", "name"),
    ("Created At", "created_at"),
)
