"""Handlers of the Droplet autoscale pools (``/v2/droplets/autoscale``).

A pool keeps a number of droplets made from its template: the static
config's ``target_number_instances``, or, for a dynamic config, between
``min_instances`` and ``max_instances``. The sandbox's droplets have no real
load, so a dynamic pool sits at its minimum.

The pool reconciles whenever it is read (the sandbox has no background
thread): missing members are created through the state's public droplet
functions (named ``{template name or pool name}-{n}``, tagged with the
template's tags, created like any droplet and active once their create action
completes on the virtual clock), and surplus members are destroyed, newest
first. Every change of the desired size is a history event
(``CONFIGURATION_CHANGE`` at create and update, ``SCALE_UP``/``SCALE_DOWN``
when members are added or removed), ``in_progress`` until every member is
active.

Deleting a pool removes the pool; its droplets keep running (the spec does
not say what the real API does with them; the sandbox keeps them so nothing
is destroyed silently). The dangerous delete, with ``X-Dangerous: true``,
destroys the droplets too. Both answer 202 with no body, as the spec says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from droplets.sandbox.errors import bad_request, not_found, unprocessable
from droplets.sandbox.handlers import Reply
from droplets.sandbox.pagination import paginate
from droplets.sandbox.records import DropletRecord, iso
from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState
from droplets.sandbox.validation import validate

Json = dict[str, Any]

REGIONS = ("nyc1", "nyc2", "nyc3", "ams2", "ams3", "sfo1", "sfo2", "sfo3", "sgp1", "lon1", "fra1", "tor1", "blr1",
           "syd1")  # fmt: skip
"""The template's region enum in the spec."""
MAX_USER_DATA = 64 * 1024
TAG_NAME = re.compile(r"[a-zA-Z0-9_\-:]+")
"""The spec's tag name pattern (written again: the handlers share no rules with each other's internals)."""
_UTILIZATION: Json = {"type": "number", "minimum": 0.05, "maximum": 1}
CONFIG: Json = {
    "type": "object",
    "properties": {
        "target_number_instances": {"type": "integer", "minimum": 1, "maximum": 1000},
        "min_instances": {"type": "integer", "minimum": 1, "maximum": 500},
        "max_instances": {"type": "integer", "minimum": 1, "maximum": 1000},
        "target_cpu_utilization": _UTILIZATION,
        "target_memory_utilization": _UTILIZATION,
        "cooldown_minutes": {"type": "integer", "minimum": 5, "maximum": 20},
    },
}
TEMPLATE: Json = {
    "type": "object",
    "required": ["region", "image", "size", "ssh_keys"],
    "properties": {
        "name": {"type": "string"},
        "region": {"type": "string", "enum": list(REGIONS)},
        "image": {"type": "string", "pattern": r"\S"},
        "size": {"type": "string", "pattern": r"\S"},
        "ssh_keys": {"type": "array", "items": {"type": "string"}},
        "tags": {"type": "array", "items": {"type": "string"}},
        "vpc_uuid": {"type": "string"},
        "with_droplet_agent": {"type": "boolean"},
        "project_id": {"type": "string"},
        "ipv6": {"type": "boolean"},
        "user_data": {"type": "string"},
        "public_networking": {"type": "boolean"},
    },
}
CREATE: Json = {
    "type": "object",
    "required": ["name", "config", "droplet_template"],
    "properties": {"name": {"type": "string", "pattern": r"\S"}, "config": CONFIG, "droplet_template": TEMPLATE},
}


@dataclass
class Pool:
    """One autoscale pool of the simulated account."""

    id: str
    name: str
    config: Json
    template: Json
    created_at: float
    updated_at: float
    members: list[int] = field(default_factory=list)
    history: list[Json] = field(default_factory=list)
    serial: int = 0


def _pools(state: SandboxState) -> dict[str, Pool]:
    """The account's pools (kept beside the state, owned by this module)."""
    pools: dict[str, Pool] = state.__dict__.setdefault("autoscale_pools", {})
    return pools


def _checked(body: Json, strict: bool) -> Json:
    body = validate(body, CREATE, strict=strict)
    # null means "not given", as in the droplet create body (schemathesis sent nulls that reached .encode()).
    body["config"] = {k: v for k, v in body["config"].items() if v is not None}
    body["droplet_template"] = {k: v for k, v in body["droplet_template"].items() if v is not None}
    for tag in body["droplet_template"].get("tags") or []:
        if not isinstance(tag, str) or len(tag) > 255 or not TAG_NAME.fullmatch(tag):
            raise unprocessable(f"droplet_template.tags: {tag!r} is not a valid tag name")
    config = body["config"]
    static = "target_number_instances" in config
    dynamic = "min_instances" in config or "max_instances" in config
    if static == dynamic:
        raise unprocessable(
            "config must be either static (target_number_instances) or dynamic (min_instances and max_instances)"
        )
    for name, rule in CONFIG["properties"].items():  # the validator checks types; the ranges are checked here
        value = config.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise unprocessable(f"config.{name} must be a number")
        if not rule["minimum"] <= value <= rule["maximum"]:
            raise unprocessable(f"config.{name} must be from {rule['minimum']:g} to {rule['maximum']:g}")
    if dynamic:
        if "min_instances" not in config or "max_instances" not in config:
            raise unprocessable("a dynamic config needs min_instances and max_instances")
        if config["min_instances"] > config["max_instances"]:
            raise unprocessable("min_instances must not be greater than max_instances")
    template = body["droplet_template"]
    if template.get("public_networking") is False and template.get("ipv6"):
        raise unprocessable("ipv6 must be false when public_networking is false")
    if len(template.get("user_data", "").encode("utf-8")) > MAX_USER_DATA:
        raise unprocessable("user_data must be at most 64 KiB")
    return body


def _catalog(state: SandboxState, template: Json) -> tuple[Json, Json, Json]:
    catalog = state.catalog
    region = next((r for r in catalog.regions if r["slug"] == template["region"]), None)
    size = catalog.sizes_by_slug.get(template["size"])
    image = state.find_image(template["image"])
    if region is None or size is None or image is None:
        missing = "region" if region is None else "size" if size is None else "image"
        raise unprocessable(f"droplet_template.{missing}: {template[missing]!r} does not exist")
    return region, size, image


def _with_defaults(state: SandboxState, template: Json) -> Json:
    """The template as the API answers it: the defaults it fills in (as in the spec's answers) included."""
    project: str = state.__dict__.setdefault("default_project_id", state.alloc.uuid())
    defaults = {"with_droplet_agent": False, "project_id": project, "public_networking": True, "ipv6": False}
    return {**defaults, **{key: value for key, value in template.items() if value is not None}}  # null: not given


def _desired(pool: Pool) -> int:
    config = pool.config
    return int(config.get("target_number_instances") or config["min_instances"])


def _alive(state: SandboxState, pool: Pool) -> list[DropletRecord]:
    members = [state.droplets.get(i) for i in pool.members]
    pool.members = [d.id for d in members if d is not None and d.gone_at is None]
    return [state.droplets[i] for i in pool.members]


def _reconcile(state: SandboxState, pool: Pool) -> None:
    """Bring the members to the desired count, and close history events whose members are all active."""
    members = _alive(state, pool)
    wanted = _desired(pool)
    now = state.clock.time()
    if len(members) != wanted:
        reason = "SCALE_UP" if len(members) < wanted else "SCALE_DOWN"
        if not pool.history or pool.history[0]["status"] != "in_progress":
            pool.history.insert(0, _event(state, len(members), wanted, reason, now))
        region, size, image = _catalog(state, pool.template)
        while len(pool.members) < wanted:
            pool.serial += 1
            template = pool.template
            d = state.new_droplet(
                name=f"{template.get('name') or pool.name}-{pool.serial}",
                region=region,
                size=size,
                image=image,
                tags=list(template.get("tags") or []),
                features=["droplet_agent"] if template.get("with_droplet_agent") else [],
                ipv6=bool(template.get("ipv6", False)),
                public_networking=template.get("public_networking", True),
                vpc_uuid=template.get("vpc_uuid"),
            )
            state.start_action("create", d, {})
            pool.members.append(d.id)
        for surplus in reversed(members[wanted:]):
            state.delete_droplet(surplus)
            pool.members.remove(surplus.id)
    settled = all(state.droplets[i].status == "active" for i in pool.members)
    for event in pool.history:
        if event["status"] == "in_progress" and settled:
            event.update(status="success", current_instance_count=len(pool.members), updated_at=iso(now))


def _event(state: SandboxState, current: int, desired: int, reason: str, now: float) -> Json:
    return {
        "history_event_id": state.alloc.uuid(),
        "current_instance_count": current,
        "desired_instance_count": desired,
        "reason": reason,
        "status": "in_progress",
        "created_at": iso(now),
        "updated_at": iso(now),
    }


def _utilization(members: list[DropletRecord]) -> Json:
    """The members' average use: the sandbox's droplets idle at a steady, made-up level."""
    return {"memory": 0.42, "cpu": 0.18} if members else {"memory": 0.0, "cpu": 0.0}


def _wire(state: SandboxState, pool: Pool) -> Json:
    members = _alive(state, pool)
    wire = {
        "id": pool.id,
        "name": pool.name,
        "config": pool.config,
        "droplet_template": pool.template,
        "created_at": iso(pool.created_at),
        "updated_at": iso(pool.updated_at),
        "status": "active",
        "active_resources_count": sum(1 for d in members if d.status == "active"),
    }
    if any(d.status == "active" for d in members):  # averages exist once a member runs
        wire["current_utilization"] = _utilization(members)
    return wire


def _find(state: SandboxState, req: Request) -> Pool:
    pool = _pools(state).get(req.params["autoscale_pool_id"])
    if pool is None:
        raise not_found("autoscale pool")
    _reconcile(state, pool)
    return pool


def list_pools(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/droplets/autoscale`` (``name`` filters by exact name)."""
    name = req.query.get("name")
    pools = [p for p in _pools(state).values() if name is None or p.name == name]
    for pool in pools:
        _reconcile(state, pool)
    return 200, paginate(req, state.base_url, "autoscale_pools", pools, lambda p: _wire(state, p))


def create_pool(state: SandboxState, req: Request) -> Reply:
    """``POST /v2/droplets/autoscale``: 202 with the pool; its members appear as it reconciles."""
    body = _checked(req.json(), req.strict)
    if any(p.name == body["name"] for p in _pools(state).values()):
        raise unprocessable(f"an autoscale pool named {body['name']!r} already exists")
    _catalog(state, body["droplet_template"])
    now = state.clock.time()
    template = _with_defaults(state, body["droplet_template"])
    pool = Pool(state.alloc.uuid(), body["name"], body["config"], template, now, now)
    pool.history.append(_event(state, 0, _desired(pool), "CONFIGURATION_CHANGE", now))
    _pools(state)[pool.id] = pool
    _reconcile(state, pool)
    return 202, {"autoscale_pool": _wire(state, pool)}


def get_pool(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/droplets/autoscale/{id}``."""
    return 200, {"autoscale_pool": _wire(state, _find(state, req))}


def update_pool(state: SandboxState, req: Request) -> Reply:
    """``PUT /v2/droplets/autoscale/{id}``: the full representation (the name cannot change)."""
    pool = _find(state, req)
    body = _checked(req.json(), req.strict)
    if body["name"] != pool.name:
        raise unprocessable("the name of an autoscale pool cannot be changed")
    _catalog(state, body["droplet_template"])
    now = state.clock.time()
    before = _desired(pool)
    pool.config, pool.template, pool.updated_at = body["config"], _with_defaults(state, body["droplet_template"]), now
    if _desired(pool) != before:
        pool.history.insert(0, _event(state, len(pool.members), _desired(pool), "CONFIGURATION_CHANGE", now))
    _reconcile(state, pool)
    return 200, {"autoscale_pool": _wire(state, pool)}


def delete_pool(state: SandboxState, req: Request) -> Reply:
    """``DELETE /v2/droplets/autoscale/{id}``: 202, no body; the droplets keep running."""
    pool = _find(state, req)
    del _pools(state)[pool.id]
    return 202, None


def delete_pool_dangerous(state: SandboxState, req: Request) -> Reply:
    """``DELETE /v2/droplets/autoscale/{id}/dangerous`` with ``X-Dangerous: true``: the droplets go too."""
    if req.headers.get("x-dangerous", "").lower() != "true":
        raise bad_request("X-Dangerous: true is required to delete a pool with its droplets")
    pool = _find(state, req)
    for d in _alive(state, pool):
        state.delete_droplet(d)
    del _pools(state)[pool.id]
    return 202, None


def list_members(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/droplets/autoscale/{id}/members``."""
    pool = _find(state, req)
    status = {"new": "provisioning", "active": "active", "off": "off", "archive": "deleting"}

    def member(d: DropletRecord) -> Json:
        return {
            "droplet_id": d.id,
            "created_at": iso(d.created_at),
            "updated_at": iso(state.clock.time()),
            "health_status": "healthy",
            "status": status.get(d.status, "provisioning"),
            "current_utilization": {"memory": 0.42, "cpu": 0.18},
        }

    return 200, paginate(req, state.base_url, "droplets", _alive(state, pool), member)


def list_history(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/droplets/autoscale/{id}/history`` (newest first)."""
    pool = _find(state, req)
    return 200, paginate(req, state.base_url, "history", pool.history, dict)
