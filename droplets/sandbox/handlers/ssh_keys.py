"""Handlers of the SSH keys endpoints (``/v2/account/keys``)."""

from __future__ import annotations

from droplets.sandbox.handlers import Reply
from droplets.sandbox.pagination import paginate
from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState


def list_ssh_keys(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/account/keys``."""
    return 200, paginate(req, state.base_url, "ssh_keys", state.catalog.ssh_keys, lambda k: k)
