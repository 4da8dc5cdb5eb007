"""The table columns of each model, after doctl's default ``--format``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from droplets.cli.output import Column

if TYPE_CHECKING:
    from droplets import Droplet, Image

__all__ = [
    "ACTION_COLUMNS",
    "DROPLET_COLUMNS",
    "IMAGE_COLUMNS",
    "KERNEL_COLUMNS",
    "REGION_COLUMNS",
    "SIZE_COLUMNS",
    "SSH_KEY_COLUMNS",
]


def _image_name(droplet: Droplet) -> str:
    image: Image = droplet.image
    return " ".join(part for part in (image.distribution, image.name) if part) or (image.slug or "")


DROPLET_COLUMNS: list[Column] = [
    ("ID", lambda d: d.id),
    ("Name", lambda d: d.name),
    ("Public IPv4", lambda d: d.public_ipv4),
    ("Private IPv4", lambda d: d.private_ipv4),
    ("Memory", lambda d: d.memory),
    ("VCPUs", lambda d: d.vcpus),
    ("Disk", lambda d: d.disk),
    ("Region", lambda d: d.region.slug),
    ("Image", _image_name),
    ("Status", lambda d: d.status),
    ("Tags", lambda d: d.tags),
]

ACTION_COLUMNS: list[Column] = [
    ("ID", lambda a: a.id),
    ("Status", lambda a: a.status),
    ("Type", lambda a: a.type),
    ("Started At", lambda a: a.started_at),
    ("Completed At", lambda a: a.completed_at),
    ("Resource ID", lambda a: a.resource_id),
    ("Resource Type", lambda a: a.resource_type),
    ("Region", lambda a: a.region_slug),
]

IMAGE_COLUMNS: list[Column] = [
    ("ID", lambda i: i.id),
    ("Name", lambda i: i.name),
    ("Type", lambda i: i.type),
    ("Distribution", lambda i: i.distribution),
    ("Slug", lambda i: i.slug),
    ("Public", lambda i: i.public),
    ("Min Disk", lambda i: i.min_disk_size),
]

KERNEL_COLUMNS: list[Column] = [
    ("ID", lambda k: k.id),
    ("Name", lambda k: k.name),
    ("Version", lambda k: k.version),
]

REGION_COLUMNS: list[Column] = [
    ("Slug", lambda r: r.slug),
    ("Name", lambda r: r.name),
    ("Available", lambda r: r.available),
]

SIZE_COLUMNS: list[Column] = [
    ("Slug", lambda s: s.slug),
    ("Description", lambda s: s.description),
    ("Memory", lambda s: s.memory),
    ("VCPUs", lambda s: s.vcpus),
    ("Disk", lambda s: s.disk),
    ("Price Monthly", lambda s: f"{s.price_monthly:.2f}"),
    ("Price Hourly", lambda s: f"{s.price_hourly:.6f}"),
]

SSH_KEY_COLUMNS: list[Column] = [
    ("ID", lambda k: k.id),
    ("Name", lambda k: k.name),
    ("FingerPrint", lambda k: k.fingerprint),
]
