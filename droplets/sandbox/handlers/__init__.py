"""Endpoint handlers: one function per operation (parse, call state, build a dict).

Every handler has the signature ``handler(state, request) -> (status, body)``;
``body`` is None for 204 answers. Errors are raised as ``ApiError``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState

Json = dict[str, Any]
Reply = tuple[int, Json | None]
Handler = Callable[[SandboxState, Request], Reply]
