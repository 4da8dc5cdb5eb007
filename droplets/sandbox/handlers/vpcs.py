"""Handlers of ``/v2/vpcs``: create, list, get, update (PUT and PATCH), delete, members.

The digest's rules: ``name`` (``^[a-zA-Z0-9\\-.]+$``, unique) and ``region``
are required; an ``ip_range`` is RFC 1918, ``/16`` to ``/28``, overlapping no
other VPC (a free ``/20`` is picked when omitted); the first VPC of a region
becomes its default; ``default`` cannot be switched off directly (set it on
another VPC); a default VPC, or one with members, cannot be deleted (403).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from droplets.sandbox.errors import ApiError, not_found, unprocessable
from droplets.sandbox.handlers import Reply
from droplets.sandbox.pagination import paginate
from droplets.sandbox.records import iso
from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState
from droplets.sandbox.validation import validate

Json = dict[str, Any]
NAME: Json = {"type": "string", "maxLength": 255, "pattern": r"^[a-zA-Z0-9\-.]+$"}
DESCRIPTION: Json = {"type": "string", "maxLength": 255}
CREATE: Json = {
    "type": "object",
    "required": ["name", "region"],
    "properties": {
        "name": NAME,
        "region": {"type": "string"},
        "description": DESCRIPTION,
        "ip_range": {"type": "string"},
    },
}
UPDATE: Json = {
    "type": "object",
    "properties": {"name": NAME, "description": DESCRIPTION, "default": {"type": "boolean"}},
}
PRIVATE = [ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]


def _find(state: SandboxState, req: Request) -> Json:
    vpc = state.vpcs.records.get(req.params["vpc_id"])
    if vpc is None:
        raise not_found("vpc")
    return vpc


def _check_range(state: SandboxState, ip_range: str) -> str:
    try:
        network = ipaddress.IPv4Network(ip_range)
    except ValueError:
        raise unprocessable(f"ip_range {ip_range!r} is not a valid IPv4 CIDR block") from None
    if not any(network.subnet_of(private) for private in PRIVATE):
        raise unprocessable("ip_range must be a private (RFC 1918) network")
    if not 16 <= network.prefixlen <= 28:
        raise unprocessable("ip_range must be no smaller than /28 and no larger than /16")
    clash = state.vpcs.overlapping(str(network))
    if clash is not None:
        raise unprocessable(f"ip_range {network} overlaps the range of VPC {clash['name']!r}")
    return str(network)


def _check_unique(state: SandboxState, name: str, own: Json | None = None) -> None:
    if any(v["name"] == name and v is not own for v in state.vpcs.records.values()):
        raise unprocessable(f"a VPC named {name!r} already exists")


def _members(state: SandboxState, vpc: Json) -> list[Json]:
    droplets = [d for d in state.droplets.values() if d.vpc_uuid == vpc["id"]]
    return [{"urn": f"do:droplet:{d.id}", "name": d.name, "created_at": iso(d.created_at)} for d in droplets]


def list_vpcs(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/vpcs``."""
    return 200, paginate(req, state.base_url, "vpcs", list(state.vpcs.records.values()), dict)


def create_vpc(state: SandboxState, req: Request) -> Reply:
    """``POST /v2/vpcs``: 201 ``{vpc}``."""
    body = req.json()
    body = validate(body, CREATE, strict=req.strict)
    if body["region"] not in state.region_index:
        raise unprocessable(f"region {body['region']!r} is not a valid region")
    _check_unique(state, body["name"])
    ip_range = _check_range(state, body["ip_range"]) if body.get("ip_range") else None
    vpc = state.vpcs.add(
        state.alloc,
        state.clock.time(),
        name=body["name"],
        region=body["region"],
        ip_range=ip_range,
        description=body.get("description") or "",
    )
    return 201, {"vpc": dict(vpc)}


def get_vpc(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/vpcs/{vpc_id}``."""
    return 200, {"vpc": dict(_find(state, req))}


def _update(state: SandboxState, req: Request, *, full: bool) -> Reply:
    vpc = _find(state, req)
    body = req.json()
    body = validate(body, {**UPDATE, "required": ["name"]} if full else UPDATE, strict=req.strict)
    if "name" in body:
        _check_unique(state, body["name"], vpc)
    if body.get("default") is False and vpc["default"]:
        raise unprocessable("the default VPC cannot be unset; set default on another VPC of the region instead")
    if "name" in body and not isinstance(body["name"], str):
        raise unprocessable("name must be a string")
    if "description" in body:
        vpc["description"] = body["description"] or ""  # null clears it: the API's description is a string
    if "name" in body:
        vpc["name"] = body["name"]
    if body.get("default") is True:
        state.vpcs.make_default(vpc)
    return 200, {"vpc": dict(vpc)}


def update_vpc(state: SandboxState, req: Request) -> Reply:
    """``PUT /v2/vpcs/{vpc_id}``: ``name`` required."""
    return _update(state, req, full=True)


def patch_vpc(state: SandboxState, req: Request) -> Reply:
    """``PATCH /v2/vpcs/{vpc_id}``: any subset."""
    return _update(state, req, full=False)


def delete_vpc(state: SandboxState, req: Request) -> Reply:
    """``DELETE /v2/vpcs/{vpc_id}``: 204; 403 for a default VPC or one with members."""
    vpc = _find(state, req)
    if vpc["default"]:
        raise ApiError(403, "A default VPC cannot be deleted.")
    if _members(state, vpc):
        raise ApiError(403, "The VPC cannot be deleted while it has members.")
    del state.vpcs.records[vpc["id"]]
    return 204, None


def list_members(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/vpcs/{vpc_id}/members`` (``resource_type`` filters, e.g. ``droplet``)."""
    vpc = _find(state, req)
    kind = req.query.get("resource_type")
    members = [m for m in _members(state, vpc) if kind in (None, "droplet")]
    return 200, paginate(req, state.base_url, "members", members, dict)
