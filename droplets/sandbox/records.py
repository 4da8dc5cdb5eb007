"""The mutable records the sandbox keeps: droplets and actions.

Records hold plain Python values and references to (shared, read-only)
catalog dicts; `droplets.sandbox.wire` renders them as wire dicts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]


def iso(epoch: float) -> str:
    """Format epoch seconds the way the API does (``2020-07-21T18:37:44Z``).

    Args:
        epoch: Seconds since the epoch.

    Returns:
        The UTC timestamp string.
    """
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


@dataclass(slots=True)
class DropletRecord:
    """One droplet of the simulated account."""

    id: int
    name: str
    region: Json
    size: Json
    image: Json
    disk: int
    status: str
    created_at: float
    features: list[str]
    tags: list[str]
    vpc_uuid: str
    volume_ids: list[str]
    ip_index: int
    hypervisor: tuple[str, int]
    ipv6: bool = False
    public_networking: bool = True
    networks_v4: list[Json] = field(default_factory=list)
    networks_v6: list[Json] = field(default_factory=list)
    backup_ids: list[int] = field(default_factory=list)
    snapshot_ids: list[int] = field(default_factory=list)
    kernel: Json | None = None
    backup_policy: Json | None = None
    next_backup_window: Json | None = None
    pending_ids: list[int] = field(default_factory=list)
    action_ids: list[int] = field(default_factory=list)
    visible_at: float = 0.0
    """When ``GET`` and lists start showing the droplet (see ``lifecycle``)."""
    booted_at: float | None = None
    """When it last became active (None while off or rebooting)."""
    networks_due: float | None = None
    """When its addresses get assigned, while they are not yet."""
    gone_at: float | None = None
    """When a destroyed droplet disappears; None while it is not being destroyed."""
    reserved_v4: list[Json] = field(default_factory=list)
    """The public networks of the reserved IPs assigned to it (shown after its own)."""

    @property
    def locked(self) -> bool:
        """Whether an action or the destroy blocks new actions."""
        return bool(self.pending_ids) or self.gone_at is not None

    @property
    def is_gpu(self) -> bool:
        """Whether the droplet's size is a GPU size."""
        return "gpu_info" in self.size


@dataclass(slots=True)
class ActionRecord:
    """One action (create, reboot, resize...) and its progress."""

    id: int
    type: str
    resource_id: int | None
    region: Json | None
    started_at: float
    params: Json
    due_at: float | None = None
    due_polls: int | None = None
    fail: bool = False
    polls: int = 0
    status: str = "in-progress"
    completed_at: float | None = None
    resource_type: str = "droplet"
    locks: int | None = None
    """For a volume or reserved IP action: the droplet it locks until it ends."""
    effect: Callable[[], None] | None = None
    """For a volume or reserved IP action: what completing it changes."""
    ended: Callable[[], None] | None = None
    """For a volume or reserved IP action: what ending it in any way releases."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Wire fields some action kinds add (a reserved IP action's ``project_id``)."""
