"""Helpers shared by the seed-compatibility tests."""

from __future__ import annotations

from typing import Any

from droplets.sandbox import Sandbox

ATTRIBS: dict[str, Any] = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}
"""The seed's three required create attribs, with slugs the sandbox knows."""


def wire_droplet(sandbox: Sandbox, droplet_id: int) -> dict[str, Any]:
    """The sandbox's own JSON of one droplet (what the API would answer)."""
    return next(d for d in sandbox.droplets() if d["id"] == droplet_id)


def wire_action(sandbox: Sandbox, action_id: int) -> dict[str, Any]:
    """The sandbox's own JSON of one action."""
    return next(a for a in sandbox.actions() if a["id"] == action_id)
