"""Posting an action and waiting for it, in one place for every resource that has actions.

A droplet's own verbs, a volume's and a reserved IP's actions (by id), and
the by-name volume actions all do the same: check ``poll``/``timeout``, send
the POST under one deadline, queue behind the droplet involved while it is
locked (`droplets.models.droplet_queue`), read the `Action`, and with
``wait=True`` wait for it and reload the resource. `run_action` is that
(`post_resource_action` for the usual ``POST {path}/{key}/actions``);
`resource_action` and `resource_actions` read a resource's own actions.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from droplets import _api
from droplets._api import Endpoint
from droplets.models.action import Action
from droplets.models.base import check_id
from droplets.models.droplet_queue import send_queued
from droplets.validation import check_poll
from droplets.waiting import Deadline, Progress, wait_for

if TYPE_CHECKING:
    from droplets.client import Client

__all__ = ["DROPLETS", "post_resource_action", "resource_action", "resource_actions", "run_action"]

DROPLETS = Endpoint("/v2/droplets", "droplets", "droplet")
"""Where the lock of the droplet involved is read while the action queues."""


class _Resource(Protocol):
    _endpoint: ClassVar[Endpoint]

    @property
    def client(self) -> Client: ...

    def _key(self) -> int | str: ...

    def refresh(self) -> Any: ...


def run_action(
    client: Client,
    send: Callable[[], dict[str, Any]],
    body: dict[str, Any],
    droplet_id: int | None,
    *,
    wait: bool,
    poll: float,
    timeout: float,
    progress: Progress | None,
    queue: bool,
    refresh: Callable[[], Any] | None = None,
    about: Callable[[], contextlib.AbstractContextManager[Any]] = contextlib.nullcontext,
) -> Action:
    """Send an action with ``send``; queue behind droplet ``droplet_id`` while it is locked; optionally wait.

    Args:
        client: The client.
        send: Sends the POST once and returns the action's JSON.
        body: The action body (named in a lock refusal's message).
        droplet_id: The droplet the action involves (None: no lock to wait for).
        wait: Wait for the action, then call ``refresh``.
        poll: Seconds between polls (at least 1).
        timeout: Seconds for queueing and waiting together.
        progress: Called with the action after every poll.
        queue: Wait out a locked droplet and send again (else raise its 422).
        refresh: Reloads the resource after a wait (None: nothing to reload).
        about: A context around the sending (and queueing), e.g. the resource's "a 404 is about me".

    Returns:
        The action.
    """
    poll, timeout = check_poll(poll, timeout)
    deadline = Deadline(client.clock, timeout)  # one deadline: queueing, then the action
    with about():
        if droplet_id is None:
            data = send()
        else:
            data = send_queued(client, send, DROPLETS, droplet_id, body, queue=queue, poll=poll, deadline=deadline)
    action = Action._from_wire(data, client)
    if wait:
        wait_for([action], poll=poll, progress=progress, deadline=deadline)
        if refresh is not None:
            refresh()
    return action


def post_resource_action(
    resource: _Resource,
    body: dict[str, Any],
    droplet_id: int | None,
    *,
    wait: bool,
    poll: float,
    timeout: float,
    progress: Progress | None,
    queue: bool,
    about: Callable[[], contextlib.AbstractContextManager[Any]] = contextlib.nullcontext,
) -> Action:
    """`run_action` for ``POST {path}/{key}/actions`` of ``resource``, reloading it after a wait.

    Args:
        resource: The droplet, volume or reserved IP.
        body: The action body.
        droplet_id: The droplet the action involves (None: no lock to wait for).
        wait: Wait for the action, then reload ``resource``.
        poll: Seconds between polls (at least 1).
        timeout: Seconds for queueing and waiting together.
        progress: Called with the action after every poll.
        queue: Wait out a locked droplet and send again (else raise its 422).
        about: A context around the sending (see `run_action`).

    Returns:
        The action.
    """
    client = resource.client
    return run_action(
        client,
        lambda: _api.post_action(client, resource._endpoint, resource._key(), body),
        body,
        droplet_id,
        wait=wait,
        poll=poll,
        timeout=timeout,
        progress=progress,
        queue=queue,
        refresh=resource.refresh,
        about=about,
    )


def resource_action(resource: _Resource, action_id: int) -> Action:
    """One action of ``resource`` by id (``GET {path}/{key}/actions/{action_id}``)."""
    ident = check_id(action_id, "action id")
    client = resource.client
    return Action._from_wire(
        _api.sub_item(client, resource._endpoint, resource._key(), f"actions/{ident}", "action"), client
    )


def resource_actions(resource: _Resource) -> list[Action]:
    """Every action run on ``resource`` (``GET {path}/{key}/actions``, all pages)."""
    client = resource.client
    return [Action._from_wire(a, client) for a in _api.sub_list(client, resource._endpoint, resource._key(), "actions")]
