"""Render sandbox records as the API's wire dicts.

The returned dicts share nested catalog objects (region, size, image) with the
state; callers serialize them at once and never mutate them.
"""

from __future__ import annotations

from typing import Any

from droplets.sandbox.records import ActionRecord, DropletRecord, iso

Json = dict[str, Any]


def droplet_wire(d: DropletRecord) -> Json:
    """Return the wire dict of a droplet, with exactly the spec's keys.

    Args:
        d: The droplet record.

    Returns:
        The ``droplet`` object.
    """
    size = d.size
    out: Json = {
        "id": d.id,
        "name": d.name,
        "memory": size["memory"],
        "vcpus": size["vcpus"],
        "disk": d.disk,
        "disk_info": _disk_info(d),
        "locked": d.locked,
        "status": d.status,
        "kernel": d.kernel,
        "created_at": iso(d.created_at),
        "features": list(d.features),
        "backup_ids": list(d.backup_ids),
        "next_backup_window": d.next_backup_window,
        "snapshot_ids": list(d.snapshot_ids),
        "image": d.image,
        "volume_ids": list(d.volume_ids),
        "size": size,
        "size_slug": size["slug"],
        "networks": {"v4": d.networks_v4 + d.reserved_v4, "v6": list(d.networks_v6)},
        "region": d.region,
        "tags": list(d.tags),
        "vpc_uuid": d.vpc_uuid,
    }
    if "gpu_info" in size:
        out["gpu_info"] = size["gpu_info"]
    return out


def _disk_info(d: DropletRecord) -> list[Json]:
    items = d.size.get("disk_info") or [{"type": "local", "size": {"amount": 0, "unit": "gib"}}]
    return [
        {
            "type": item["type"],
            "size": {
                "amount": d.disk if item["type"] == "local" else item["size"]["amount"],
                "unit": item["size"]["unit"],
            },
        }
        for item in items
    ]


def action_wire(a: ActionRecord) -> Json:
    """Return the wire dict of an action.

    Args:
        a: The action record.

    Returns:
        The ``action`` object.
    """
    out = {
        "id": a.id,
        "status": a.status,
        "type": a.type,
        "started_at": iso(a.started_at),
        "completed_at": None if a.completed_at is None else iso(a.completed_at),
        "resource_id": a.resource_id,
        "resource_type": a.resource_type,
        "region": a.region,
        "region_slug": None if a.region is None else a.region["slug"],
    }
    if a.resource_id is None and a.resource_type == "volume":
        del out["resource_id"]  # as the spec's volume action examples show it
    out.update(a.extra)
    return out


def droplet_snapshot_wire(image: Json) -> Json:
    """Return the ``droplet_snapshot`` shape of a snapshot image.

    Args:
        image: A snapshot image dict.

    Returns:
        The dict listed under ``snapshots``.
    """
    keys = ("id", "name", "created_at", "regions", "min_disk_size", "size_gigabytes", "type")
    return {key: image[key] for key in keys}


def droplet_backup_wire(image: Json) -> Json:
    """Return the shape the backups list uses for a backup image.

    Args:
        image: A backup image dict.

    Returns:
        The dict listed under ``backups``.
    """
    keys = (
        "id",
        "name",
        "distribution",
        "slug",
        "public",
        "regions",
        "created_at",
        "min_disk_size",
        "size_gigabytes",
        "type",
    )
    return {key: image[key] for key in keys}


def droplet_image(d: DropletRecord, image_id: int, taken_at: float, kind: str, name: str) -> Json:
    """Return the image dict of a snapshot or backup taken of ``d``.

    Args:
        d: The droplet imaged.
        image_id: The new image's id.
        taken_at: Epoch time the image was taken.
        kind: ``snapshot`` or ``backup``.
        name: The image name.

    Returns:
        A private image dict.
    """
    return {
        "id": image_id,
        "name": name,
        "distribution": d.image.get("distribution", "Unknown"),
        "slug": None,
        "public": False,
        "regions": [d.region["slug"]],
        "created_at": iso(taken_at),
        "type": kind,
        "min_disk_size": d.disk,
        "size_gigabytes": round(2.2 + (image_id % 60) / 100, 2),
        "description": "",
        "tags": [],
        "status": "available",
        "error_message": "",
    }
