"""Handlers of ``/v2/snapshots``: every droplet and volume snapshot of the account, get and delete.

A droplet snapshot is an image of type ``snapshot`` (its id an integer in
the path, a string in the object); a volume snapshot is the storage's (a
UUID). ``resource_type`` filters the list; a backup's id is answered with
400 "the resource is not a snapshot", as the spec declares.
"""

from __future__ import annotations

from typing import Any

from droplets.sandbox.errors import bad_request, not_found
from droplets.sandbox.handlers import Reply
from droplets.sandbox.pagination import paginate
from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState

Json = dict[str, Any]
KEYS = (
    "id",
    "name",
    "created_at",
    "regions",
    "resource_id",
    "resource_type",
    "min_disk_size",
    "size_gigabytes",
    "tags",
)


def _of_droplet(state: SandboxState, image: Json) -> Json:
    owner = next((d.id for d in state.droplets.values() if image["id"] in d.snapshot_ids), None)
    return {
        "id": str(image["id"]),
        "name": image["name"],
        "created_at": image["created_at"],
        "regions": list(image["regions"]),
        "resource_id": "" if owner is None else str(owner),
        "resource_type": "droplet",
        "min_disk_size": image["min_disk_size"],
        "size_gigabytes": image["size_gigabytes"],
        "tags": list(image.get("tags") or []),
    }


def _all(state: SandboxState, kind: str | None) -> list[Json]:
    found = []
    if kind in (None, "droplet"):
        found += [_of_droplet(state, i) for i in state.user_images.values() if i["type"] == "snapshot"]
    if kind in (None, "volume"):
        found += [{key: s.get(key) for key in KEYS} for s in state.storage.snapshots.values()]
    return found


def _find(state: SandboxState, req: Request) -> Json:
    ref = req.params["snapshot_id"]
    if ref.isdigit():
        image = state.user_images.get(int(ref))
        if image is None:
            raise not_found("snapshot")
        if image["type"] != "snapshot":
            raise bad_request("the resource is not a snapshot")
        return _of_droplet(state, image)
    snap = state.storage.get_snapshot(ref)
    return {key: snap.get(key) for key in KEYS}


def list_snapshots(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/snapshots`` (``resource_type`` = ``droplet`` or ``volume``)."""
    kind = req.query_choice("resource_type", ("droplet", "volume"))
    return 200, paginate(req, state.base_url, "snapshots", _all(state, kind), dict)


def get_snapshot(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/snapshots/{snapshot_id}`` (an integer or a UUID)."""
    return 200, {"snapshot": _find(state, req)}


def delete_snapshot(state: SandboxState, req: Request) -> Reply:
    """``DELETE /v2/snapshots/{snapshot_id}``: 204."""
    snap = _find(state, req)
    if snap["resource_type"] == "volume":
        state.storage.remove_snapshot(snap["id"])
        return 204, None
    del state.user_images[int(snap["id"])]
    for d in state.droplets.values():
        if int(snap["id"]) in d.snapshot_ids:
            d.snapshot_ids.remove(int(snap["id"]))
    return 204, None
