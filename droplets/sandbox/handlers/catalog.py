"""Handlers of the read-only catalog: regions and sizes."""

from __future__ import annotations

from droplets.sandbox.handlers import Reply
from droplets.sandbox.pagination import paginate
from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState


def list_regions(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/regions``."""
    return 200, paginate(req, state.base_url, "regions", state.catalog.regions, lambda r: r)


def list_sizes(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/sizes``."""
    return 200, paginate(req, state.base_url, "sizes", state.catalog.sizes, lambda s: s)
