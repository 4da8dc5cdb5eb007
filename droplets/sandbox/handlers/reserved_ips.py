"""Handlers of ``/v2/reserved_ips`` and their actions.

The state and the rules live in `droplets.sandbox.addresses`. Create answers
202 ``{reserved_ip, links}`` (with the droplet and the ``assign_ip`` action
linked when created on a droplet), the action POST answers 201 ``{action}``
with the reserved IP action's ``project_id``, delete answers 204.
"""

from __future__ import annotations

from typing import Any

from droplets.sandbox.addresses import ReservedIPRecord
from droplets.sandbox.errors import ApiError, bad_request, unprocessable
from droplets.sandbox.handlers import Reply
from droplets.sandbox.handlers.common import get_action_of, list_actions_of, show_action, show_droplet
from droplets.sandbox.pagination import paginate
from droplets.sandbox.records import DropletRecord
from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState

Json = dict[str, Any]


def show(state: SandboxState, record: ReservedIPRecord) -> Json:
    """The ``reserved_ip`` object: the droplet it points to in full, or null."""
    d = state.droplets.get(record.droplet_id or 0)
    return {
        "ip": record.ip,
        "droplet": None if d is None else show_droplet(state, d),
        "region": record.region,
        "locked": record.pending is not None,
        "project_id": record.project_id,
    }


def _droplet(state: SandboxState, droplet_id: Any) -> DropletRecord:
    if isinstance(droplet_id, bool) or not isinstance(droplet_id, int):
        raise bad_request("droplet_id must be an integer")
    try:
        return state.get_droplet(droplet_id)
    except ApiError:
        raise unprocessable(f"droplet_id: Droplet {droplet_id} was not found") from None


def list_reserved_ips(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/reserved_ips``."""
    records = list(state.addresses.ips.values())
    return 200, paginate(req, state.base_url, "reserved_ips", records, lambda r: show(state, r))


def create_reserved_ip(state: SandboxState, req: Request) -> Reply:
    """``POST /v2/reserved_ips`` with ``{droplet_id}`` or ``{region, project_id?}`` (one shape): 202."""
    body = req.json()
    if ("droplet_id" in body) == ("region" in body):
        raise unprocessable("give either droplet_id or region, not both or neither")
    if "droplet_id" in body:
        d = _droplet(state, body["droplet_id"])
        record = state.addresses.reserve(state, d.region, None)
        state.addresses.check_assign(record, d)
        action = state.addresses.start(state, record, "assign_ip", d)
        links = {
            "droplets": [{"id": d.id, "rel": "droplet", "href": f"{state.base_url}/v2/droplets/{d.id}"}],
            "actions": [{"id": action.id, "rel": "assign_ip", "href": f"{state.base_url}/v2/actions/{action.id}"}],
        }
        shown = show(state, record)
        return 202, {"reserved_ip": shown, "links": links}
    region = state.catalog.find_region(body["region"]) if isinstance(body["region"], str) else None
    if region is None or region["slug"] != body["region"]:
        raise unprocessable(f"region: {body['region']!r} is not a valid region")
    project_id = body.get("project_id")
    if project_id is not None and not isinstance(project_id, str):
        raise bad_request("project_id must be a string")
    record = state.addresses.reserve(state, region, project_id)
    return 202, {"reserved_ip": show(state, record), "links": {}}


def get_reserved_ip(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/reserved_ips/{reserved_ip}``."""
    return 200, {"reserved_ip": show(state, state.addresses.get(req.params["reserved_ip"]))}


def delete_reserved_ip(state: SandboxState, req: Request) -> Reply:
    """``DELETE /v2/reserved_ips/{reserved_ip}``: 204."""
    state.addresses.release(state.addresses.get(req.params["reserved_ip"]), state)
    return 204, None


def post_action(state: SandboxState, req: Request) -> Reply:
    """``POST /v2/reserved_ips/{reserved_ip}/actions``: assign or unassign (201)."""
    record = state.addresses.get(req.params["reserved_ip"])
    body = req.json()
    kind = body.get("type")
    if kind == "assign":
        d = _droplet(state, body.get("droplet_id"))
        state.addresses.check_assign(record, d)
        action = state.addresses.start(state, record, "assign_ip", d)
    elif kind == "unassign":
        held = state.addresses.check_unassign(record, state)
        action = state.addresses.start(state, record, "unassign_ip", held)
    else:
        raise unprocessable("type must be one of: assign, unassign")
    return 201, {"action": show_action(state, action)}


def list_actions(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/reserved_ips/{reserved_ip}/actions``, newest first."""
    return list_actions_of(state, req, state.addresses.get(req.params["reserved_ip"]).action_ids)


def get_action(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/reserved_ips/{reserved_ip}/actions/{action_id}``."""
    return get_action_of(state, req, state.addresses.get(req.params["reserved_ip"]).action_ids)
