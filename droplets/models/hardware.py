"""Small value objects describing a droplet's hardware and schedule."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

import attrs

__all__ = ["Amount", "BackupWindow", "DiskInfo", "GpuInfo"]


@attrs.frozen
class Amount:
    """A quantity with a unit, e.g. 25 GiB."""

    amount: int
    unit: str


@attrs.frozen
class DiskInfo:
    """One disk of a droplet or size (equal ones are shared across a listing)."""

    _intern_key: ClassVar[str] = "type"

    type: Literal["local", "boot", "scratch"] | str
    size: Amount


@attrs.frozen
class GpuInfo:
    """The GPUs of a GPU droplet or size."""

    count: int
    model: str
    vram: Amount


@attrs.frozen
class BackupWindow:
    """When the next backup will start (``next_backup_window``)."""

    start: datetime
    end: datetime
