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
* One `Deadline` may cover several waits in a row (queueing behind a
  locked droplet, the action, then the droplet's readiness), so a call's
  ``timeout`` bounds all of them together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from droplets import _api
from droplets.errors import ActionFailed, WaitTimeout
from droplets.validation import check_poll

if TYPE_CHECKING:
    from droplets._clock import Clock
    from droplets.models.action import Action

__all__ = ["Deadline", "Progress", "wait_for"]

Progress = Callable[["Action"], object]


class Deadline:
    """One point in time on a client's clock that several waits share.

    Args:
        clock: The clock to read and sleep on (the client's).
        timeout: Seconds from now.
    """

    def __init__(self, clock: Clock, timeout: float) -> None:
        self.clock = clock
        self.timeout = timeout
        self._at = clock.monotonic() + timeout

    def remaining(self) -> float:
        """Seconds left (0 or less once passed)."""
        return self._at - self.clock.monotonic()

    def sleep(self, poll: float) -> bool:
        """Sleep ``poll`` seconds, or what is left if that is less.

        Returns:
            False (without sleeping) when no time is left.
        """
        remaining = self.remaining()
        if remaining <= 0:
            return False
        self.clock.sleep(min(poll, remaining))
        return True


def wait_for(
    actions: Sequence[Action],
    *,
    poll: float = 5,
    timeout: float = 300,
    progress: Progress | None = None,
    deadline: Deadline | None = None,
) -> list[Action]:
    """Wait until every action has completed; update them in place.

    Args:
        actions: Actions from one client.
        poll: Seconds between polls (at least 1).
        timeout: Seconds before giving up.
        progress: Called with each action after every poll.
        deadline: A deadline shared with other waits (then ``timeout`` is
            only checked, the deadline decides).

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
    if deadline is None:
        deadline = Deadline(actions[0].client.clock, timeout)
    pending = {action.id: action for action in actions if action.status == "in-progress"}
    while pending:
        if not deadline.sleep(poll):
            raise WaitTimeout(next(iter(pending.values())), deadline.timeout)
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
