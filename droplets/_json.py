"""JSON decoding: orjson when installed (faster), the standard library otherwise.

Both raise a ``ValueError`` subclass on bad input.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["FAST_DECODER", "loads", "preview"]

loads: Callable[[bytes], Any]
try:
    import orjson

    loads = orjson.loads
    FAST_DECODER = True
except ImportError:  # pragma: no cover - exercised when orjson is absent
    loads = json.loads
    FAST_DECODER = False


def preview(data: Any, limit: int = 200) -> str:
    """The start of ``repr(data)`` for an error message, even for a structure nested too deep to show."""
    try:
        return repr(data)[:limit]
    except RecursionError:
        return f"<a {type(data).__name__} nested too deep to show>"
