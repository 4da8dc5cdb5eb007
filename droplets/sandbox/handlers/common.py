"""Helpers shared by the handlers: showing records (and counting polls)."""

from __future__ import annotations

from typing import Any

from droplets.sandbox.errors import not_found
from droplets.sandbox.handlers import Reply
from droplets.sandbox.pagination import paginate
from droplets.sandbox.records import ActionRecord, DropletRecord
from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState
from droplets.sandbox.wire import action_wire, droplet_wire

Json = dict[str, Any]


def account_image(state: SandboxState, image_id: int) -> Json | None:
    """An image this account may change, tag and delete, or None (a public image, an unknown id).

    That is a snapshot or backup taken here, or one of the catalog's private images (the account's own copy).
    """
    image = state.find_image(image_id)
    return None if image is None or image["public"] else image


def show_droplet(state: SandboxState, d: DropletRecord) -> Json:
    """Render a droplet for an answer, counting it as a poll of its actions.

    Args:
        state: The sandbox state.
        d: The droplet.

    Returns:
        The wire dict.
    """
    state.observe_droplet(d)
    return droplet_wire(d)


def show_action(state: SandboxState, a: ActionRecord) -> Json:
    """Render an action for an answer, counting it as a poll.

    Args:
        state: The sandbox state.
        a: The action.

    Returns:
        The wire dict.
    """
    state.observe_action(a)
    return action_wire(a)


def list_actions_of(state: SandboxState, req: Request, action_ids: list[int]) -> Reply:
    """A paginated ``{actions}`` answer of a resource's actions, newest first (counting as polls).

    Args:
        state: The sandbox state.
        req: The request (its page parameters).
        action_ids: The resource's action ids, oldest first.

    Returns:
        The 200 answer.
    """
    actions = [state.actions[i] for i in reversed(action_ids)]
    return 200, paginate(req, state.base_url, "actions", actions, lambda a: show_action(state, a))


def get_action_of(state: SandboxState, req: Request, action_ids: list[int]) -> Reply:
    """The ``{action}`` answer of one of a resource's actions (``action_id`` path parameter), or 404.

    Args:
        state: The sandbox state.
        req: The request.
        action_ids: The resource's action ids.

    Returns:
        The 200 answer.
    """
    action_id = req.int_param("action_id")
    if action_id not in action_ids:
        raise not_found("action")
    return 200, {"action": show_action(state, state.actions[action_id])}
