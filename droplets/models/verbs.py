"""Shared documentation for action verbs, written once.

Every action method takes the same ``wait``, ``poll``, ``timeout`` and
``progress`` keywords; `action_doc()` appends their description, the
return value and an example to the method's own one-line summary, so
``help(Droplet.power_off)`` teaches without the text being copied sixteen
times.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

__all__ = ["action_doc"]

F = TypeVar("F", bound=Callable[..., object])

_WAIT_ARGS = """
        Args:
            wait: Poll until the action{s} completed{refresh}.
            poll: Seconds between polls (at least 1).
            timeout: Seconds before `WaitTimeout`.
            progress: Called with {each} action after every poll.
            queue: If the droplet is locked by another action (the API's 422),
                wait for that one and send again within ``timeout``; False
                raises `Unprocessable` naming the pending action.

        Returns:
            {returns}

        Example:
            >>> {example}   # doctest: +SKIP
"""


def action_doc(example: str, *, bulk: bool = False) -> Callable[[F], F]:
    """Append the shared arguments, return value and ``example`` to a verb's docstring.

    Args:
        example: One line of code showing the call.
        bulk: The verb acts on a queryset and returns one action per droplet.
    """

    def decorate(method: F) -> F:
        text = _WAIT_ARGS.format(
            s="s have" if bulk else " has",
            refresh="" if bulk else ", then refresh this droplet",
            each="each" if bulk else "the",
            returns="One `Action` per droplet." if bulk else "The `Action`.",
            example=example,
        )
        method.__doc__ = (method.__doc__ or "").rstrip() + "\n" + text.rstrip() + "\n        "
        return method

    return decorate
