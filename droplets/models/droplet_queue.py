"""Actions that queue behind a locked droplet instead of colliding with it.

While an action runs, DigitalOcean locks the droplet (``locked: true``) and
refuses any other action with 422 "Droplet already has a pending event.".
With ``queue=True`` (the default of every action verb) the library waits for
the action in progress and sends the refused one again, all within the
call's ``timeout``; with ``queue=False`` it raises `Unprocessable` naming the
pending action and what to do.

Why sending this POST again is safe, when the retry policy
(`droplets.retry`) never repeats a POST whose fate is unknown: a 422 is a
*definite* answer. The API processed the request and refused it; nothing was
started, so there is nothing to duplicate. The retry policy's rule is about
*ambiguous* failures (a timeout, a dropped connection, a 5xx), after which
the action may or may not have started; those are still never repeated, and
the queue does not change that: a resend that fails ambiguously raises, as
any action POST does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from droplets import _api
from droplets._api import Endpoint
from droplets.errors import ActionFailed, Unprocessable, WaitTimeout
from droplets.models.action import Action
from droplets.waiting import Deadline, wait_for

if TYPE_CHECKING:
    from droplets.client import Client

__all__ = ["is_lock_refusal", "post_action_queued", "send_queued"]

_LOCKED = re.compile(r"pending event|is locked|currently locked", re.IGNORECASE)
_RECENT = 20
"""Actions of the droplet read to find the one in progress (newest first)."""


def is_lock_refusal(error: Unprocessable) -> bool:
    """Tell whether a 422 is the API refusing an action because the droplet is locked."""
    return bool(_LOCKED.search(error.message or ""))


def _in_progress(client: Client, endpoint: Endpoint, droplet_id: int) -> Action | None:
    """The droplet's newest in-progress action, from one page of its actions."""
    items = _api.get(client, f"{endpoint.item(droplet_id)}/actions", "actions", list, params={"per_page": _RECENT})
    for data in items:
        if isinstance(data, dict) and data.get("status") == "in-progress":
            return Action._from_wire(data, client)
    return None


def _refusal(error: Unprocessable, droplet_id: int, body: Mapping[str, Any], blocking: Action | None) -> Unprocessable:
    """The 422 with a message that names the pending action and the way out."""
    if blocking is not None:
        pending = f"its pending action is {blocking.id} ({blocking.type}, started {blocking.started_at})"
        wait_hint = f"wait for it with Action.get({blocking.id}).wait()"
    else:
        pending = "no action of it is in progress (a destroy or a volume/IP action may hold the lock)"
        wait_hint = "wait until Droplet.get(...).locked is False"
    error.hint = (
        f"droplet {droplet_id} is locked, so {body.get('type')!r} was not started; {pending}. "
        f"{wait_hint[0].upper()}{wait_hint[1:]} and send it again, or call with queue=True "
        "(the default) to wait and resend within the timeout"
    )
    return error


def post_action_queued(
    client: Client,
    endpoint: Endpoint,
    droplet_id: int,
    body: Mapping[str, Any],
    *,
    queue: bool,
    poll: float,
    deadline: Deadline,
) -> dict[str, Any]:
    """``POST`` a droplet action; on a lock refusal, wait for the pending action and send again.

    Args:
        client: The client.
        endpoint: The droplets collection.
        droplet_id: The droplet.
        body: The action body.
        queue: Wait and resend on a lock refusal (else raise it).
        poll: Seconds between polls while waiting.
        deadline: The call's deadline; the wait for the lock counts against it.

    Returns:
        The started action, as the API's JSON.

    Raises:
        droplets.Unprocessable: Refused for another reason, or locked and ``queue`` is False.
        droplets.WaitTimeout: Still locked at the deadline (stage ``"queue"``); nothing was started.
    """
    return send_queued(
        client,
        lambda: _api.post_action(client, endpoint, droplet_id, body),
        endpoint,
        droplet_id,
        body,
        queue=queue,
        poll=poll,
        deadline=deadline,
    )


def send_queued(
    client: Client,
    send: Callable[[], dict[str, Any]],
    droplets: Endpoint,
    droplet_id: int,
    body: Mapping[str, Any],
    *,
    queue: bool,
    poll: float,
    deadline: Deadline,
) -> dict[str, Any]:
    """Send an action that involves a droplet (its own, or a volume attach, a reserved IP assign) with the queue rule.

    Args:
        client: The client.
        send: Sends the POST once and returns the action's JSON.
        droplets: The droplets collection (to find the droplet's pending action).
        droplet_id: The droplet whose lock can refuse the action.
        body: The action body (named in messages).
        queue: Wait and resend on a lock refusal (else raise it).
        poll: Seconds between polls while waiting.
        deadline: The call's deadline; the wait for the lock counts against it.

    Returns:
        The started action, as the API's JSON.
    """
    while True:
        try:
            return send()
        except Unprocessable as error:
            if not is_lock_refusal(error):
                raise
            blocking = _in_progress(client, droplets, droplet_id)
            if not queue:
                raise _refusal(error, droplet_id, body, blocking) from None
            _wait_for_lock(blocking, droplet_id, body, poll, deadline)


def _wait_for_lock(
    blocking: Action | None, droplet_id: int, body: Mapping[str, Any], poll: float, deadline: Deadline
) -> None:
    try:
        if blocking is not None:
            wait_for([blocking], poll=poll, deadline=deadline)
        elif not deadline.sleep(poll):  # the lock has no visible action: try again a poll later
            raise WaitTimeout(None, deadline.timeout)
    except ActionFailed:
        pass  # the pending action failed, but the lock is released all the same
    except WaitTimeout as timeout:
        by = f"action {blocking.id} ({blocking.type})" if blocking is not None else "a pending event"
        raise WaitTimeout(
            blocking,
            deadline.timeout,
            stage="queue",
            detail=(
                f"droplet {droplet_id} was still locked by {by} after {deadline.timeout:g}s, "
                f"so {body.get('type')!r} was not sent; wait longer (a larger timeout) or send it again later"
            ),
        ) from timeout
