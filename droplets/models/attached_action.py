"""One action on a resource attached to a droplet (a volume, a reserved IP), with the queue rule.

Volume and reserved IP actions post to their own ``{path}/{id}/actions``, but
the droplet they involve can refuse them while it is locked; they then queue
behind it like the droplet's own actions (`droplets.models.droplet_queue`).
One deadline covers queueing and waiting; ``wait=True`` refreshes the
resource at the end.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

from droplets import _api
from droplets._api import Endpoint
from droplets.models.action import Action
from droplets.models.droplet_queue import send_queued
from droplets.validation import check_poll
from droplets.waiting import Deadline, Progress, wait_for

__all__ = ["run_action"]

DROPLETS = Endpoint("/v2/droplets", "droplets", "droplet")
"""Where the lock of the droplet involved is read while the action queues."""


class _Resource(Protocol):
    _endpoint: ClassVar[Endpoint]

    @property
    def client(self) -> Any: ...

    def refresh(self) -> Any: ...


def run_action(
    resource: _Resource,
    ident: int | str,
    body: dict[str, Any],
    droplet_id: int | None,
    *,
    wait: bool,
    poll: float,
    timeout: float,
    progress: Progress | None,
    queue: bool,
) -> Action:
    """``POST {path}/{ident}/actions`` with ``body``; queue behind droplet ``droplet_id`` when it is locked.

    Args:
        resource: The volume or reserved IP.
        ident: Its key in the path.
        body: The action body.
        droplet_id: The droplet the action involves (None: no lock to wait for).
        wait: Wait for the action, then refresh ``resource``.
        poll: Seconds between polls (at least 1).
        timeout: Seconds for queueing and waiting together.
        progress: Called with the action after every poll.
        queue: Wait out a locked droplet and send again (else raise its 422).

    Returns:
        The action.
    """
    poll, timeout = check_poll(poll, timeout)
    client = resource.client
    deadline = Deadline(client.clock, timeout)

    def send() -> dict[str, Any]:
        return _api.post_action(client, resource._endpoint, ident, body)

    if droplet_id is None:
        data = send()
    else:
        data = send_queued(client, send, DROPLETS, droplet_id, body, queue=queue, poll=poll, deadline=deadline)
    action = Action._from_wire(data, client)
    if wait:
        wait_for([action], poll=poll, progress=progress, deadline=deadline)
        resource.refresh()
    return action
