"""Keeping the API token out of every text an error carries.

Each `Client` registers its token here when it is built. Every
`DropletsError` passes its message and attributes through `redact()`, and
the client scrubs the exception chain it raises (`scrub_chain()`), so a
server or proxy that echoes the Authorization header, or a link that carries
the token, never puts it into a message, a ``repr``, ``body_start``, a chained
exception or a DEBUG log line.

A token of 8 characters or more is redacted wherever it appears. A shorter
one (DigitalOcean never issues one; tests and sandboxes use them) is redacted
where it stands as a word of its own, so that the token ``"t"`` does not
garble every message.
"""

from __future__ import annotations

import re
import threading

__all__ = ["REDACTED", "redact", "redact_bytes", "register", "scrub_chain"]

REDACTED = "[REDACTED]"
_SUBSTRING_LENGTH = 8
_TOKEN_CHARACTER = r"[A-Za-z0-9_.\-]"

_lock = threading.Lock()
_patterns: dict[str, re.Pattern[str]] = {}
_byte_patterns: dict[bytes, re.Pattern[bytes]] = {}


def _pattern(token: str) -> str:
    escaped = re.escape(token)
    if len(token) >= _SUBSTRING_LENGTH:
        return escaped
    return rf"(?<!{_TOKEN_CHARACTER}){escaped}(?!{_TOKEN_CHARACTER})"


def register(token: str) -> None:
    """Remember a token so that every later error text has it redacted."""
    if not token or token in _patterns:
        return
    with _lock:
        _patterns[token] = re.compile(_pattern(token))
        _byte_patterns[token.encode()] = re.compile(_pattern(token).encode())


def redact(text: str) -> str:
    """Return ``text`` with every registered token replaced by ``[REDACTED]``."""
    for token, pattern in list(_patterns.items()):
        if token in text:
            text = pattern.sub(REDACTED, text)
    return text


def redact_bytes(data: bytes) -> bytes:
    """`redact()` for a body's bytes."""
    for token, pattern in list(_byte_patterns.items()):
        if token in data:
            data = pattern.sub(REDACTED.encode(), data)
    return data


def _leaks(error: BaseException) -> bool:
    try:
        text = f"{error} {error!r}"
    except Exception:
        return False
    return redact(text) != text


class _Withheld(Exception):
    """Stands in for a chained exception whose text held the token."""


def scrub_chain(error: BaseException) -> None:
    """Redact the token from the exceptions chained to ``error`` (``__cause__``/``__context__``).

    A chained exception whose text still holds the token after its ``args``
    were redacted is replaced by a stand-in that names only its type.
    """
    if not _patterns:
        return
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for link in ("__cause__", "__context__"):
            inner: BaseException | None = getattr(current, link)
            if inner is None or not _leaks(inner):
                continue
            inner.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in inner.args)
            if _leaks(inner):
                stand_in = _Withheld(f"{type(inner).__name__} (its text held the API token and was withheld)")
                setattr(current, link, stand_in)
        current = current.__cause__ or current.__context__
