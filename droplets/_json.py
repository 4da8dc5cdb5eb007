"""JSON decoding: orjson when installed (faster), the standard library otherwise.

Both raise a ``ValueError`` subclass on bad input.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["FAST_DECODER", "loads"]

loads: Callable[[bytes], Any]
try:
    import orjson

    loads = orjson.loads
    FAST_DECODER = True
except ImportError:  # pragma: no cover - exercised when orjson is absent
    loads = json.loads
    FAST_DECODER = False
