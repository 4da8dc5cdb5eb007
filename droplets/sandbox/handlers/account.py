"""Handler of ``GET /v2/account``: the simulated account, with its team."""

from __future__ import annotations

import copy
from typing import Any

from droplets.sandbox.handlers import Reply
from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState

ACCOUNT: dict[str, Any] = {
    "droplet_limit": 25,
    "floating_ip_limit": 5,
    "email": "sammy@digitalocean.com",
    "name": "Sammy the Shark",
    "uuid": "b6fr89dbf6d9156cace5f3c78dc9851d957381ef",
    "email_verified": True,
    "status": "active",
    "status_message": " ",
    "team": {"uuid": "5df3e3004a17e242b7c20ca6c9fc25b701a47ece", "name": "My Team"},
}


def get_account(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/account``."""
    del state, req
    return 200, {"account": copy.deepcopy(ACCOUNT)}
