"""Input checks that run before any request is sent.

Each function returns the cleaned value or raises
`ValidationError` with a message that says what is allowed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from droplets.errors import ValidationError

__all__ = [
    "MAX_NAMES_PER_CREATE",
    "MAX_USER_DATA_BYTES",
    "check_hostname",
    "check_names",
    "check_poll",
    "check_port",
    "check_tag",
    "check_user_data",
    "snapshot_body",
]

MAX_NAMES_PER_CREATE = 10
MAX_USER_DATA_BYTES = 64 * 1024
# Matched with fullmatch: ``$`` would let a trailing newline through.
_HOSTNAME = re.compile(r"[a-zA-Z0-9]?[a-zA-Z0-9.\-]*[a-zA-Z0-9]")
_TAG = re.compile(r"[a-zA-Z0-9_\-:]+")


def check_hostname(name: Any) -> str:
    """Check a droplet name: letters, digits, ``.`` and ``-``, at most 255 characters."""
    if not isinstance(name, str) or not name:
        raise ValidationError(f"a droplet name must be a non-empty string, got {name!r}")
    if len(name) > 255 or not _HOSTNAME.fullmatch(name):
        raise ValidationError(
            f"droplet name {name!r} is not a valid hostname: use letters, digits, '.' and '-', "
            "start and end with a letter or digit, at most 255 characters"
        )
    return name


def check_names(names: Any) -> list[str]:
    """Check a list of droplet names (any length; callers split into requests of 10)."""
    if isinstance(names, str) or not isinstance(names, Iterable):
        raise ValidationError(f"names must be a list of droplet names, got {names!r}")
    checked = [check_hostname(name) for name in names]
    if not checked:
        raise ValidationError("names must hold at least one droplet name")
    return checked


def check_tag(tag: Any) -> str:
    """Check a tag name: letters, digits, ``:``, ``-`` and ``_``, at most 255 characters."""
    if not isinstance(tag, str) or not tag or len(tag) > 255 or not _TAG.fullmatch(tag):
        raise ValidationError(
            f"tag {tag!r} is not a valid tag name: use letters, digits, ':', '-' and '_', at most 255 characters"
        )
    return tag


def check_user_data(user_data: Any) -> str | None:
    """Check user data: text of at most 64 KiB (encoded as UTF-8)."""
    if user_data is None:
        return None
    if not isinstance(user_data, str):
        raise ValidationError(f"user_data must be text (a cloud-config or script), got {type(user_data).__name__}")
    size = len(user_data.encode())
    if size > MAX_USER_DATA_BYTES:
        raise ValidationError(f"user_data is {size} bytes; DigitalOcean accepts at most {MAX_USER_DATA_BYTES} (64 KiB)")
    return user_data


def check_poll(poll: Any, timeout: Any) -> tuple[float, float]:
    """Check wait parameters: ``poll`` at least 1 second, ``timeout`` positive; both finite (no NaN, no inf)."""
    if isinstance(poll, bool) or not isinstance(poll, (int, float)) or not 1 <= poll < math.inf:
        raise ValidationError(f"poll must be a finite number of seconds, at least 1, got {poll!r}")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout < math.inf:
        raise ValidationError(f"timeout must be a positive, finite number of seconds, got {timeout!r}")
    return float(poll), float(timeout)


def check_port(port: Any) -> int:
    """Check a TCP port number (1-65535)."""
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise ValidationError(f"port must be a TCP port number (1-65535), got {port!r}")
    return port


def snapshot_body(name: Any) -> dict[str, Any]:
    """Build a snapshot action body, checking the optional snapshot name."""
    body: dict[str, Any] = {"type": "snapshot"}
    if name is not None:
        if not isinstance(name, str) or not name.strip() or len(name) > 255:
            raise ValidationError(f"a snapshot name must be non-empty text of at most 255 characters, got {name!r}")
        body["name"] = name
    return body
