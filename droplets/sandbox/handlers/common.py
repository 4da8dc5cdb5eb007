"""Helpers shared by the handlers: showing records (and counting polls)."""

from __future__ import annotations

from typing import Any

from droplets.sandbox.records import ActionRecord, DropletRecord
from droplets.sandbox.state import SandboxState
from droplets.sandbox.wire import action_wire, droplet_wire

Json = dict[str, Any]


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
