"""Handlers of block storage: ``/v2/volumes``, their actions and their snapshots.

The state and the rules live in `droplets.sandbox.storage`; the handlers
parse, check the body's shape, and answer in the spec's envelopes: 201
``{volume}`` on create, 202 ``{action}`` on the action POSTs, 201
``{snapshot}`` on a snapshot, 204 on deletes.
"""

from __future__ import annotations

import re
from typing import Any

from droplets.sandbox.errors import ApiError, bad_request, unprocessable
from droplets.sandbox.handlers import Reply
from droplets.sandbox.handlers.common import get_action_of, list_actions_of, show_action
from droplets.sandbox.pagination import paginate
from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState
from droplets.sandbox.storage import MAX_GIGABYTES, VolumeRecord, volume_wire

Json = dict[str, Any]
NAME = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
LABEL_LIMITS = {"ext4": 16, "xfs": 12}
ACTION_TYPES = {"attach": "attach_volume", "detach": "detach_volume", "resize": "resize_volume"}


def _region(state: SandboxState, slug: Any) -> Json:
    region = next((r for r in state.catalog.regions if r["slug"] == slug), None) if isinstance(slug, str) else None
    if region is None or not region["available"]:
        raise unprocessable(f"region: {slug!r} is not a valid region")
    return region


def _size(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request("size_gigabytes must be an integer")
    if not 1 <= value <= MAX_GIGABYTES:
        raise unprocessable(f"size_gigabytes must be from 1 to {MAX_GIGABYTES}")
    return value


def _strings(body: Json, key: str) -> list[str]:
    value = body.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad_request(f"{key} must be an array of strings")
    return value


def _check_create(state: SandboxState, body: Json) -> Json:
    for key in ("name", "size_gigabytes", "region"):
        if key not in body:
            raise bad_request(f"{key} is required")
    name = body["name"]
    if not isinstance(name, str) or not NAME.match(name):
        raise unprocessable("name must be lowercase letters, numbers and '-', start with a letter, 64 at most")
    size = _size(body["size_gigabytes"])
    fs_type, label = body.get("filesystem_type"), body.get("filesystem_label")
    if fs_type is not None and fs_type not in LABEL_LIMITS:
        raise unprocessable("filesystem_type must be ext4 or xfs")
    if label is not None:
        if fs_type is None:
            raise unprocessable("filesystem_label requires filesystem_type")
        if not isinstance(label, str) or len(label) > LABEL_LIMITS[fs_type]:
            raise unprocessable(f"filesystem_label must be at most {LABEL_LIMITS[fs_type]} characters for {fs_type}")
    snapshot_id = body.get("snapshot_id")
    if snapshot_id is not None:
        snap = state.storage.snapshots.get(snapshot_id) if isinstance(snapshot_id, str) else None
        if snap is None:
            raise unprocessable("snapshot_id is not a volume snapshot of this account")
        if body["region"] not in snap["regions"]:
            raise unprocessable("the snapshot is not available in that region")
        if size < snap["min_disk_size"]:
            raise unprocessable(f"size_gigabytes must be at least the snapshot's {snap['min_disk_size']}")
    _strings(body, "tags")
    if not isinstance(body.get("description", ""), str):
        raise bad_request("description must be a string")
    return _region(state, body["region"])


def list_volumes(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/volumes`` with ``name`` and ``region`` filters."""
    name, region = req.query.get("name"), req.query.get("region")
    found = [
        v
        for v in state.storage.volumes.values()
        if (name is None or v.name == name) and (region is None or v.region["slug"] == region)
    ]
    return 200, paginate(req, state.base_url, "volumes", found, volume_wire)


def create_volume(state: SandboxState, req: Request) -> Reply:
    """``POST /v2/volumes``: 201 ``{volume}``."""
    body = req.json()
    region = _check_create(state, body)
    return 201, {"volume": volume_wire(state.storage.add(state, body, region))}


def get_volume(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/volumes/{volume_id}``."""
    return 200, {"volume": volume_wire(state.storage.get(req.params["volume_id"]))}


def delete_volume(state: SandboxState, req: Request) -> Reply:
    """``DELETE /v2/volumes/{volume_id}``: 204; 409 while attached."""
    state.storage.remove(state.storage.get(req.params["volume_id"]))
    return 204, None


def delete_by_name(state: SandboxState, req: Request) -> Reply:
    """``DELETE /v2/volumes?name=&region=``: 204; both parameters are needed."""
    name, region = req.query.get("name"), req.query.get("region")
    if not name or not region:
        raise bad_request("name and region are both required to delete a volume by name")
    state.storage.remove(state.storage.by_name(name, region))
    return 204, None


def _start(state: SandboxState, v: VolumeRecord, body: Json) -> Reply:
    kind = body.get("type")
    if not isinstance(kind, str) or kind not in ACTION_TYPES:
        raise unprocessable("type must be one of: attach, detach, resize")
    region = body.get("region")
    if region is not None and region != v.region["slug"]:
        raise unprocessable(f"region: the volume is in {v.region['slug']}, not {region!r}")
    if kind == "resize":
        size = _size(body.get("size_gigabytes"))
        if size <= v.size_gigabytes:
            raise unprocessable("volumes can only be resized to a larger size")
        if v.pending is not None:
            raise unprocessable("volume already has a pending action")
        action = state.storage.start(state, v, "resize_volume", {"size_gigabytes": size}, None)
        return 202, {"action": show_action(state, action)}
    droplet_id = body.get("droplet_id")
    if isinstance(droplet_id, bool) or not isinstance(droplet_id, int):
        raise bad_request("droplet_id is required and must be an integer")
    try:
        d = state.get_droplet(droplet_id)
    except ApiError:
        raise unprocessable(f"droplet_id: Droplet {droplet_id} was not found") from None
    if kind == "attach":
        state.storage.check_attach(state, v, d)
    else:
        state.storage.check_detach(v, d)
    action = state.storage.start(state, v, ACTION_TYPES[kind], {"droplet_id": d.id}, d)
    return 202, {"action": show_action(state, action)}


def post_action(state: SandboxState, req: Request) -> Reply:
    """``POST /v2/volumes/{volume_id}/actions``: attach, detach or resize (202)."""
    v = state.storage.get(req.params["volume_id"])
    return _start(state, v, req.json())


def post_action_by_name(state: SandboxState, req: Request) -> Reply:
    """``POST /v2/volumes/actions``: attach or detach the volume named by ``volume_name`` and ``region``."""
    body = req.json()
    if body.get("type") not in ("attach", "detach"):
        raise unprocessable("type must be attach or detach when the volume is named")
    name, region = body.get("volume_name"), body.get("region")
    if not isinstance(name, str) or not isinstance(region, str):
        raise bad_request("volume_name and region are required")
    return _start(state, state.storage.by_name(name, region), body)


def list_actions(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/volumes/{volume_id}/actions``, newest first."""
    return list_actions_of(state, req, state.storage.get(req.params["volume_id"]).action_ids)


def get_action(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/volumes/{volume_id}/actions/{action_id}``."""
    return get_action_of(state, req, state.storage.get(req.params["volume_id"]).action_ids)


def list_snapshots(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/volumes/{volume_id}/snapshots``."""
    v = state.storage.get(req.params["volume_id"])
    snaps = [state.storage.snapshots[i] for i in v.snapshot_ids]
    return 200, paginate(req, state.base_url, "snapshots", snaps, dict)


def create_snapshot(state: SandboxState, req: Request) -> Reply:
    """``POST /v2/volumes/{volume_id}/snapshots``: 201 ``{snapshot}``; ``name`` is required."""
    v = state.storage.get(req.params["volume_id"])
    body = req.json()
    name = body.get("name")
    if not isinstance(name, str) or not name:
        raise bad_request("name is required")
    return 201, {"snapshot": dict(state.storage.snapshot(state, v, name, _strings(body, "tags")))}


def get_snapshot(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/volumes/snapshots/{snapshot_id}``."""
    return 200, {"snapshot": dict(state.storage.get_snapshot(req.params["snapshot_id"]))}


def delete_snapshot(state: SandboxState, req: Request) -> Reply:
    """``DELETE /v2/volumes/snapshots/{snapshot_id}``: 204."""
    state.storage.remove_snapshot(req.params["snapshot_id"])
    return 204, None
