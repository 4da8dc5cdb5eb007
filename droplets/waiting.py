"""The one wait loop: actions until they finish, fail or run out of time.

* The deadline is on the client's monotonic clock, and sleeping goes through
  the same clock, so the sandbox's virtual clock makes waits instant.
* ``poll`` is at least one second; ``progress`` is called with each action
  after every poll.
* Waiting on many actions costs one request per poll round: the API has no
  multi-id fetch, but the account's action list (``GET /v2/actions``, newest
  first, 200 per page) shows many statuses at once. An action that page does
  not show (more than 200 newer actions exist) is fetched by id.
* ``errored`` raises `ActionFailed`; running out of time
  raises `WaitTimeout`; both carry the action.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from droplets import _api
from droplets.errors import ActionFailed, WaitTimeout
from droplets.validation import check_poll

if TYPE_CHECKING:
    from droplets.models.action import Action

__all__ = ["Progress", "wait_for"]

Progress = Callable[["Action"], object]


def wait_for(
    actions: Sequence[Action],
    *,
    poll: float = 5,
    timeout: float = 300,
    progress: Progress | None = None,
) -> list[Action]:
    """Wait until every action has completed; update them in place.

    Args:
        actions: Actions from one client.
        poll: Seconds between polls (at least 1).
        timeout: Seconds before giving up.
        progress: Called with each action after every poll.

    Returns:
        The same actions, completed.

    Raises:
        droplets.ActionFailed: An action ended ``errored`` (after all finished).
        droplets.WaitTimeout: Some action was still in progress at the deadline.
        droplets.ValidationError: ``poll`` below 1 second or ``timeout`` not positive.
    """
    poll, timeout = check_poll(poll, timeout)
    actions = list(actions)
    if not actions:
        return actions
    client = actions[0].client
    clock = client.clock
    deadline = clock.monotonic() + timeout
    pending = {action.id: action for action in actions if action.status == "in-progress"}
    while pending:
        remaining = deadline - clock.monotonic()
        if remaining <= 0:
            raise WaitTimeout(next(iter(pending.values())), timeout)
        clock.sleep(min(poll, remaining))
        _poll_round(pending)
        for action in list(pending.values()):
            if progress is not None:
                progress(action)
            if action.status != "in-progress":
                del pending[action.id]
    failed = [action for action in actions if action.status == "errored"]
    if failed:
        raise ActionFailed(failed[0], failed)
    return actions


def _poll_round(pending: dict[int, Action]) -> None:
    """Refresh every pending action, with one request when the list shows them all."""
    if len(pending) == 1:
        next(iter(pending.values())).refresh()
        return
    some = next(iter(pending.values()))
    page = _api.recent(some.client, some._endpoint)
    seen: set[int] = set()
    for data in page.items:
        ident = data.get("id") if isinstance(data, dict) else None
        action = pending.get(ident) if isinstance(ident, int) else None
        if action is not None:
            action._update(data)
            seen.add(action.id)
    for action_id, action in pending.items():
        if action_id not in seen:
            action.refresh()
