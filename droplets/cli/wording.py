"""What the library says in Python, said in the command's own words.

The library's errors teach the Python way out (``call .action.wait()``,
``Droplet.objects.present(...)``, ``d.backups()``). On the command line the
way out is another command, so `cli_text()` rewrites the errors whose next
step has one (``see: droplets actions 3164444``) and leaves the others as
they are.
"""

from __future__ import annotations

import re

from droplets._api import ACTION_HINT
from droplets.errors import WaitTimeout
from droplets.models.droplet import Droplet
from droplets.models.droplet_query import CREATE_HINT

__all__ = ["cli_text"]

_DROPLET_IN_PATH = re.compile(re.escape(Droplet._endpoint.path) + r"/(\d+)")
"""A droplet's item path in an error's URL: which droplet the next step is about."""


def _droplet_in(text: str) -> str:
    match = _DROPLET_IN_PATH.search(text)
    return match.group(1) if match else "ID"


_LOCKED = re.compile(r"(droplet (\d+) is locked, so '[a-z_]+' was not started; [^.]*)\. .*")


def _replace_hints(text: str) -> str:
    """Put commands where the library's hints name Python calls."""
    text = text.replace(ACTION_HINT.format("droplet").split(": ", 1)[1], f"see: droplets actions {_droplet_in(text)}")
    text = text.replace(CREATE_HINT.split(": ", 1)[1], "see: droplets list, and create only the names that are missing")
    return _LOCKED.sub(lambda m: f"{m.group(1)}. See: droplets actions {m.group(2)}", text)


def cli_text(error: BaseException, text: str) -> str:
    """Rewrite the Python next step in ``text`` (the error's description) as commands.

    Args:
        error: The error being reported.
        text: Its one-line description so far.

    Returns:
        The description in the command's words.
    """
    if isinstance(error, WaitTimeout) and error.action is not None:
        action = error.action
        return (
            f"gave up waiting after {error.timeout:g}s: action {action.id} ({action.type}) on "
            f"{action.resource_type} {action.resource_id} is still {action.status!r}; it keeps running: "
            f"see: droplets actions {action.resource_id}"
        )
    return _replace_hints(text)
