"""Handlers of ``/v2/firewalls``, their droplets, tags and rules, and a droplet's firewalls.

The state and the rules live in `droplets.sandbox.firewalling`. Create
answers 202 ``{firewall}``, update (a full replacement) 200 ``{firewall}``,
the sub-resource POSTs and DELETEs (which carry a body) and the delete 204.
"""

from __future__ import annotations

from typing import Any

from droplets.sandbox.firewalling import check_droplet_ids, check_name, check_rules, check_tags
from droplets.sandbox.handlers import Reply
from droplets.sandbox.pagination import paginate
from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState

Json = dict[str, Any]


def _firewall(state: SandboxState, req: Request) -> Json:
    state.firewalls.settle()
    return state.firewalls.get(req.params["firewall_id"])


def _checked(state: SandboxState, body: Json) -> Json:
    check_name(body)
    check_rules(state, body, required=True)
    check_droplet_ids(state, body.get("droplet_ids") or [])
    check_tags(state, body.get("tags") or [])
    return body


def list_firewalls(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/firewalls``."""
    state.firewalls.settle()
    return 200, paginate(req, state.base_url, "firewalls", list(state.firewalls.items.values()), dict)


def list_droplet_firewalls(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/droplets/{droplet_id}/firewalls``: by droplet id or shared tag."""
    d = state.get_droplet(req.int_param("droplet_id"))
    state.firewalls.settle()
    return 200, paginate(req, state.base_url, "firewalls", state.firewalls.of_droplet(d), dict)


def create_firewall(state: SandboxState, req: Request) -> Reply:
    """``POST /v2/firewalls``: 202 ``{firewall}``; 400 for a bad name, rule, droplet or tag."""
    state.firewalls.settle()
    return 202, {"firewall": dict(state.firewalls.create(state, _checked(state, req.json())))}


def get_firewall(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/firewalls/{firewall_id}``."""
    return 200, {"firewall": dict(_firewall(state, req))}


def update_firewall(state: SandboxState, req: Request) -> Reply:
    """``PUT /v2/firewalls/{firewall_id}``: a full replacement; what the body leaves out is reset."""
    fw = _firewall(state, req)
    body = _checked(state, req.json())
    added = [i for i in body.get("droplet_ids") or [] if i not in (fw["droplet_ids"] or [])]
    fw.update(
        name=body["name"],
        droplet_ids=list(body.get("droplet_ids") or []),
        tags=list(body.get("tags") or []),
        inbound_rules=list(body.get("inbound_rules") or []),
        outbound_rules=list(body.get("outbound_rules") or []),
    )
    state.firewalls.add(fw, "droplet_ids", added)
    return 200, {"firewall": dict(fw)}


def delete_firewall(state: SandboxState, req: Request) -> Reply:
    """``DELETE /v2/firewalls/{firewall_id}``: 204."""
    del state.firewalls.items[_firewall(state, req)["id"]]
    return 204, None


def _change(state: SandboxState, req: Request, key: str, values: list[Any]) -> Reply:
    fw = _firewall(state, req)
    if req.method == "POST":
        state.firewalls.add(fw, key, values)
    else:
        state.firewalls.remove(fw, key, values)
    return 204, None


def change_droplets(state: SandboxState, req: Request) -> Reply:
    """``POST``/``DELETE /v2/firewalls/{firewall_id}/droplets`` with ``{droplet_ids}``: 204."""
    ids = check_droplet_ids(state, req.json().get("droplet_ids"))
    return _change(state, req, "droplet_ids", ids)


def change_tags(state: SandboxState, req: Request) -> Reply:
    """``POST``/``DELETE /v2/firewalls/{firewall_id}/tags`` with ``{tags}``: 204; the tags must exist."""
    return _change(state, req, "tags", check_tags(state, req.json().get("tags")))


def change_rules(state: SandboxState, req: Request) -> Reply:
    """``POST``/``DELETE /v2/firewalls/{firewall_id}/rules`` with ``{inbound_rules?, outbound_rules?}``: 204."""
    body = req.json()
    check_rules(state, body, required=True)
    fw = _firewall(state, req)
    for key in ("inbound_rules", "outbound_rules"):
        if body.get(key):
            if req.method == "POST":
                state.firewalls.add(fw, key, body[key])
            else:
                state.firewalls.remove(fw, key, body[key])
    return 204, None
