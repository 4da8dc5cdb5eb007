"""Actions on a volume or reserved IP that queue behind a locked droplet.

Attaching a volume or assigning a reserved IP involves a droplet, and
DigitalOcean refuses the action with 422 ("... pending event") while that
droplet is locked by another action. With ``queue=True`` (the default of
those verbs) the library polls the droplet until it is unlocked and sends
the refused request again, all within the call's ``timeout``; with
``queue=False`` it raises the `Unprocessable` with what to do.

Sending the POST again is safe: a 422 is a definite answer (the API refused
and started nothing). Ambiguous failures (a timeout, a dropped connection, a
5xx) are never repeated, by the retry policy; the queue does not change that.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from droplets import _api
from droplets.errors import Unprocessable

if TYPE_CHECKING:
    from droplets._api import Endpoint
    from droplets.client import Client

__all__ = ["is_lock_refusal", "send_queued"]

_LOCKED = re.compile(r"pending event|is locked|currently locked", re.IGNORECASE)


def is_lock_refusal(error: Unprocessable) -> bool:
    """Tell whether a 422 is the API refusing an action because the droplet is locked."""
    return bool(_LOCKED.search(error.message or ""))


def send_queued(
    client: Client,
    send: Callable[[], dict[str, Any]],
    droplets: Endpoint,
    droplet_id: int,
    *,
    what: str,
    queue: bool,
    poll: float,
    timeout: float,
) -> tuple[dict[str, Any], float]:
    """Call ``send`` (one action POST); on a lock refusal wait for droplet ``droplet_id`` and send again.

    Args:
        client: The client (its clock paces the wait).
        send: Sends the request once and returns the action's JSON.
        droplets: The droplets collection (to read the droplet's ``locked``).
        droplet_id: The droplet the action involves.
        what: The action, for messages (``"attach volume 'data'"``).
        queue: Wait and resend on a lock refusal (else raise it at once).
        poll: Seconds between reads of the droplet.
        timeout: Seconds the whole call may take.

    Returns:
        The action's JSON, and the seconds of ``timeout`` left for waiting on it.

    Raises:
        droplets.Unprocessable: Refused for another reason; locked and ``queue`` is False;
            or still locked when ``timeout`` ran out (nothing was started).
    """
    clock = client.clock
    deadline = clock.monotonic() + timeout
    while True:
        try:
            return send(), max(deadline - clock.monotonic(), 0.0)
        except Unprocessable as error:
            if not is_lock_refusal(error):
                raise
            if not queue:
                error.hint = (
                    f"droplet {droplet_id} is locked by another action, so {what} was not started; "
                    "wait until Droplet.get(...).locked is False and send it again, or call with queue=True"
                )
                raise
            _wait_unlocked(client, droplets, droplet_id, deadline, poll, error, what, timeout)


def _wait_unlocked(
    client: Client,
    droplets: Endpoint,
    droplet_id: int,
    deadline: float,
    poll: float,
    error: Unprocessable,
    what: str,
    timeout: float,
) -> None:
    clock = client.clock
    while True:
        remaining = deadline - clock.monotonic()
        if remaining <= 0:
            error.hint = (
                f"droplet {droplet_id} was still locked after {timeout:g}s, so {what} was not started; "
                "send it again later or with a larger timeout"
            )
            raise error
        clock.sleep(min(poll, remaining))
        if not _api.get_one(client, droplets, droplet_id).get("locked"):
            return
