"""Handlers of droplet actions and of the account-wide ``/v2/actions``."""

from __future__ import annotations

from typing import Any

from droplets.sandbox import transitions
from droplets.sandbox.errors import bad_request, not_found, unprocessable
from droplets.sandbox.handlers import Reply
from droplets.sandbox.handlers.common import show_action
from droplets.sandbox.pagination import paginate
from droplets.sandbox.request import Request
from droplets.sandbox.schemas import ACTION_TYPES, TAG_ACTION_TYPES, action_schema
from droplets.sandbox.state import SandboxState
from droplets.sandbox.validation import drop_nulls, validate
from droplets.sandbox.wire import action_wire

Json = dict[str, Any]


def _action_body(req: Request, allowed: tuple[str, ...]) -> tuple[str, Json]:
    body = req.json()
    action_type = body.get("type")
    if "type" not in body:
        raise unprocessable("type is required")
    if not isinstance(action_type, str) or action_type not in allowed:
        raise unprocessable(f"type must be one of: {', '.join(allowed)}")
    return action_type, drop_nulls(validate(body, action_schema(action_type), strict=req.strict))


def post_action(state: SandboxState, req: Request) -> Reply:
    """``POST /v2/droplets/{droplet_id}/actions``: start one action (201)."""
    d = state.get_droplet(req.int_param("droplet_id"))
    action_type, body = _action_body(req, ACTION_TYPES)
    transitions.check(state, d, action_type, body)
    action = state.start_action(action_type, d, body)
    return 201, {"action": action_wire(action)}


def post_tag_action(state: SandboxState, req: Request) -> Reply:
    """``POST /v2/droplets/actions?tag_name=``: one action per tagged droplet (201)."""
    tag = req.query.get("tag_name")
    if not tag:
        raise bad_request("tag_name is required")
    action_type, body = _action_body(req, TAG_ACTION_TYPES)
    tagged = [d for d in state.visible_droplets() if tag in d.tags]
    for d in tagged:
        transitions.check(state, d, action_type, body)
    actions = [state.start_action(action_type, d, body) for d in tagged]
    return 201, {"actions": [action_wire(a) for a in actions]}


def list_droplet_actions(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/droplets/{droplet_id}/actions``, newest first."""
    d = state.get_droplet(req.int_param("droplet_id"))
    actions = [state.actions[i] for i in reversed(d.action_ids)]
    return 200, paginate(req, state.base_url, "actions", actions, lambda a: show_action(state, a))


def get_droplet_action(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/droplets/{droplet_id}/actions/{action_id}``."""
    d = state.get_droplet(req.int_param("droplet_id"))
    action = state.actions.get(req.int_param("action_id"))
    if action is None or action.resource_id != d.id:
        raise not_found("action")
    return 200, {"action": show_action(state, action)}


def list_actions(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/actions``: every action of the account, newest first."""
    actions = list(reversed(state.actions.values()))
    return 200, paginate(req, state.base_url, "actions", actions, lambda a: show_action(state, a))


def get_action(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/actions/{action_id}``."""
    action = state.actions.get(req.int_param("action_id"))
    if action is None:
        raise not_found("action")
    return 200, {"action": show_action(state, action)}
