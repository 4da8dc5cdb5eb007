"""Handlers of a droplet's destroy with associated resources (``/v2/droplets/{id}/destroy_with_associated_resources``).

What is associated with a droplet: the reserved IPs pointing at it (listed
twice, as ``reserved_ips`` and under their old name ``floating_ips``, with the
IP's number as id and its address as name), its snapshots, the volumes
attached to it and those volumes' snapshots. Costs are monthly USD strings:
0.10 per GiB of volume, 0.06 per GiB of snapshot, 5.00 per reserved IP (what
an unassigned one costs).

A destroy (selective, or dangerous with ``X-Dangerous: true``) answers 202
with no body. The droplet is destroyed at once (through the state's
``delete_droplet``: its volumes are detached, its reserved IP unassigned), and
the chosen resources go one after another on the clock, `STEP` seconds
apart (or as long as the progression's rule for actions says, when one is
set: ``--action-seconds`` of a served sandbox), each removed through its own store (``state.storage``,
``state.addresses``, ``state.user_images``), so that it is gone from its own
list once the status shows it destroyed. The flow completes when every
resource is destroyed or failed; ``failures`` counts the failed ones.

**Injected failures**: ``sandbox.fail_destroy(resource, message, times=1)``
(`inject_failure`) makes the flow fail to destroy the resource with that id
or name, the next ``times`` times it comes to it; the status then shows
``error_message`` and the resource stays in its list. ``POST .../retry``
starts again on the failed resources: 202, or 409 while the destroy runs or
when nothing failed (the spec's 409 for the retry). The status of a flow
stays readable after the droplet is gone; a droplet without a flow answers
404 there.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from droplets.sandbox.errors import ApiError, bad_request, not_found, unprocessable
from droplets.sandbox.handlers import Reply
from droplets.sandbox.records import DropletRecord, iso
from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState
from droplets.sandbox.validation import validate

Json = dict[str, Any]

STEP = 3.0
"""Seconds of clock time between two resources of a destroy, unless the progression has a rule (`_step`)."""
FLOW_TYPE = "destroy_with_associated_resources"
"""The name a progression rule takes to time this flow (``progression.set(FLOW_TYPE, after_seconds=...)``)."""


def _step(state: SandboxState) -> float:
    """The time between two resources: the progression's rule for this flow or for every action, else `STEP`."""
    rule = state.progression.explicit_rule(FLOW_TYPE)
    if rule is None or rule.after_polls is not None:
        return STEP
    return 0.0 if rule.immediate else float(rule.after_seconds or 0.0)


KINDS = ("reserved_ips", "floating_ips", "snapshots", "volumes", "volume_snapshots")
_IDS: Json = {"type": "array", "items": {"type": "string"}}
SELECTIVE: Json = {
    "type": "object",
    "properties": {kind: _IDS for kind in KINDS},
}


@dataclass
class Item:
    """One resource of a destroy."""

    kind: str
    id: str
    name: str
    due_at: float
    destroyed_at: float | None = None
    error: str | None = None


@dataclass
class Flow:
    """A droplet's destroy with associated resources."""

    droplet_id: int
    droplet_name: str
    destroyed_at: float
    items: list[Item] = field(default_factory=list)
    completed_at: float | None = None


@dataclass
class _Teardown:
    flows: dict[int, Flow] = field(default_factory=dict)
    failures: dict[str, tuple[str, int]] = field(default_factory=dict)


def _teardown(state: SandboxState) -> _Teardown:
    """This module's part of the state (kept beside it); registers the per-request tick once."""
    found: _Teardown | None = state.__dict__.get("teardown")
    if found is None:
        found = state.__dict__["teardown"] = _Teardown()
        state.tickers.append(lambda now: _tick(state, now))
    return found


def inject_failure(state: SandboxState, resource: str, message: str, times: int = 1) -> None:
    """Make the next ``times`` destroys of the resource with this id or name fail with ``message``."""
    _teardown(state).failures[str(resource)] = (message, times)


# -- what is associated -------------------------------------------------------------


def _ip_id(ip: str) -> str:
    return str(int(ipaddress.IPv4Address(ip)))


def _associated(state: SandboxState, d: DropletRecord) -> dict[str, list[Json]]:
    """The droplet's associated resources, ``{kind: [{id, name, cost}]}``."""
    out: dict[str, list[Json]] = {kind: [] for kind in KINDS}
    ip = state.addresses.holder(d.id)
    if ip is not None:
        for kind in ("reserved_ips", "floating_ips"):
            out[kind].append({"id": _ip_id(ip.ip), "name": ip.ip, "cost": "5.00"})
    for image_id in d.snapshot_ids:
        image = state.user_images.get(image_id)
        if image is not None and image.get("type") == "snapshot":
            out["snapshots"].append({"id": str(image_id), "name": image["name"], "cost": _cost(image, 0.06)})
    volumes = [v for v in state.storage.volumes.values() if d.id in v.droplet_ids]
    for v in volumes:
        out["volumes"].append({"id": v.id, "name": v.name, "cost": f"{v.size_gigabytes * 0.10:.2f}"})
        for snapshot_id in v.snapshot_ids:
            snap = state.storage.snapshots.get(snapshot_id)
            if snap is not None:
                out["volume_snapshots"].append({"id": snap["id"], "name": snap["name"], "cost": _cost(snap, 0.06)})
    return out


def _cost(image: Json, per_gigabyte: float) -> str:
    return f"{float(image.get('size_gigabytes') or 0) * per_gigabyte:.2f}"


# -- progress -----------------------------------------------------------------------


def _remove(state: SandboxState, item: Item) -> None:
    """Remove one resource through its own store (already gone counts as destroyed)."""
    if item.kind == "volumes":
        volume = state.storage.volumes.get(item.id)
        if volume is not None:
            state.storage.remove(volume)
    elif item.kind == "volume_snapshots":
        if item.id in state.storage.snapshots:
            state.storage.remove_snapshot(item.id)
    elif item.kind == "snapshots":
        state.user_images.pop(int(item.id), None)
    elif item.kind == "reserved_ips":
        record = state.addresses.ips.get(item.name)
        if record is not None:
            state.addresses.release(record, state)


def _tick(state: SandboxState, now: float) -> None:
    teardown = _teardown(state)
    for flow in teardown.flows.values():
        if flow.completed_at is not None:
            continue
        for item in flow.items:
            if item.destroyed_at is not None or item.error is not None or item.due_at > now:
                continue
            item.error = _injected(teardown, item)
            if item.error is None:
                try:
                    _remove(state, item)
                except ApiError as error:
                    item.error = error.message
            if item.error is None:
                item.destroyed_at = item.due_at
        if all(item.destroyed_at is not None or item.error is not None for item in flow.items):
            flow.completed_at = max([flow.destroyed_at, *(item.due_at for item in flow.items)])


def _injected(teardown: _Teardown, item: Item) -> str | None:
    for key in (item.id, item.name):
        found = teardown.failures.get(key)
        if found is not None:
            message, times = found
            if times <= 1:
                del teardown.failures[key]
            else:
                teardown.failures[key] = (message, times - 1)
            return message
    return None


def _start(state: SandboxState, d: DropletRecord, chosen: dict[str, list[Json]]) -> None:
    teardown = _teardown(state)
    running = teardown.flows.get(d.id)
    if running is not None and running.completed_at is None:
        raise ApiError(409, "a destroy with associated resources is already running for this Droplet")
    now, step = state.clock.time(), _step(state)
    flow = Flow(d.id, d.name, now)
    for kind in ("volume_snapshots", "snapshots", "reserved_ips", "volumes"):  # floating_ips mirror reserved_ips
        for resource in chosen.get(kind, []):
            flow.items.append(Item(kind, resource["id"], resource["name"], now + step * (len(flow.items) + 1)))
    state.delete_droplet(d)
    teardown.flows[d.id] = flow
    _tick(state, now)


# -- handlers -----------------------------------------------------------------------


def list_associated(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/droplets/{id}/destroy_with_associated_resources``."""
    d = state.get_droplet(int(req.params["droplet_id"]))
    return 200, dict(_associated(state, d))


def destroy_selective(state: SandboxState, req: Request) -> Reply:
    """``DELETE .../selective``: the droplet and the listed resources; 422 for one not associated."""
    d = state.get_droplet(int(req.params["droplet_id"]))
    body = validate(req.json() if req.body else {}, SELECTIVE, strict=req.strict)
    associated = _associated(state, d)
    wanted = {kind: list(dict.fromkeys(body.get(kind) or [])) for kind in KINDS}
    wanted["reserved_ips"] = list(dict.fromkeys(wanted["reserved_ips"] + wanted.pop("floating_ips")))
    chosen: dict[str, list[Json]] = {}
    for kind, ids in wanted.items():
        known = {r["id"]: r for r in associated[kind]}
        missing = [i for i in ids if i not in known]
        if missing:
            raise unprocessable(f"{kind}: {', '.join(missing)} not associated with this Droplet")
        chosen[kind] = [known[i] for i in ids]
    _start(state, d, chosen)
    return 202, None


def destroy_dangerous(state: SandboxState, req: Request) -> Reply:
    """``DELETE .../dangerous`` with ``X-Dangerous: true``: the droplet and every associated resource."""
    if req.headers.get("x-dangerous", "").lower() != "true":
        raise bad_request("X-Dangerous: true is required to destroy a Droplet with all its associated resources")
    d = state.get_droplet(int(req.params["droplet_id"]))
    _start(state, d, _associated(state, d))
    return 202, None


def _flow(state: SandboxState, req: Request) -> Flow:
    flow = _teardown(state).flows.get(int(req.params["droplet_id"]))
    if flow is None:
        raise not_found("droplet")
    return flow


def get_status(state: SandboxState, req: Request) -> Reply:
    """``GET .../status``: per resource ``destroyed_at`` or ``error_message``; ``completed_at`` once settled."""
    flow = _flow(state, req)
    resources: dict[str, list[Json]] = {kind: [] for kind in KINDS}
    for item in flow.items:
        entry: Json = {"id": item.id, "name": item.name}
        if item.destroyed_at is not None:
            entry["destroyed_at"] = iso(item.destroyed_at)
        if item.error is not None:
            entry["error_message"] = item.error
        resources[item.kind].append(entry)
        if item.kind == "reserved_ips":
            resources["floating_ips"].append(dict(entry))
    body: Json = {
        "droplet": {"id": str(flow.droplet_id), "name": flow.droplet_name, "destroyed_at": iso(flow.destroyed_at)},
        "resources": resources,
        "failures": sum(1 for item in flow.items if item.error is not None),
    }
    if flow.completed_at is not None:
        body["completed_at"] = iso(flow.completed_at)
    return 200, body


def retry(state: SandboxState, req: Request) -> Reply:
    """``POST .../retry``: 202 and the failed resources start again; 409 while running or when none failed."""
    flow = _flow(state, req)
    if flow.completed_at is None:
        raise ApiError(409, "a destroy with associated resources is still running for this Droplet")
    failed = [item for item in flow.items if item.error is not None]
    if not failed:
        raise ApiError(409, "nothing to retry: every resource of this destroy was destroyed")
    now, step = state.clock.time(), _step(state)
    for number, item in enumerate(failed, start=1):
        item.error, item.due_at = None, now + step * number
    flow.completed_at = None
    return 202, None
