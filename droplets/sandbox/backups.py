"""Backup policies, backup windows and the backups they produce."""

from __future__ import annotations

import calendar
import time
from typing import Any

from droplets.sandbox.records import DropletRecord, iso
from droplets.sandbox.wire import droplet_image

Json = dict[str, Any]

WEEKDAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
WINDOW_HOURS = 4
RETENTION_DAYS = {"daily": 7, "weekly": 28}
KEEP = {"daily": 7, "weekly": 4}


def normalize_policy(policy: Json | None) -> Json:
    """Complete a requested backup policy with the API's defaults.

    Args:
        policy: The ``backup_policy`` of a request, or None.

    Returns:
        The policy as the API reports it (with read-only fields).
    """
    policy = policy or {}
    plan = policy.get("plan", "daily")
    out: Json = {"plan": plan}
    if plan == "weekly":
        out["weekday"] = policy.get("weekday", "SUN")
    out["hour"] = policy.get("hour", 0)
    out["window_length_hours"] = WINDOW_HOURS
    out["retention_period_days"] = RETENTION_DAYS[plan]
    return out


def next_window_start(policy: Json, now: float) -> float:
    """Return the epoch start of the first backup window that ends after ``now``.

    Args:
        policy: A normalized policy.
        now: Epoch seconds.

    Returns:
        Epoch seconds of the window start.
    """
    day = calendar.timegm((*time.gmtime(now)[:3], 0, 0, 0, 0, 0, 0))
    start = day + int(policy["hour"]) * 3600.0
    step = 86400.0
    if policy["plan"] == "weekly":
        # time.gmtime: Monday is 0; the API's weekdays start on Sunday.
        today = (time.gmtime(day).tm_wday + 1) % 7
        start += ((WEEKDAYS.index(policy["weekday"]) - today) % 7) * 86400.0
        step = 7 * 86400.0
    while start + WINDOW_HOURS * 3600 <= now:
        start += step
    return start


def window(start: float) -> Json:
    """Return the ``next_backup_window`` object of a window.

    Args:
        start: Epoch start of the window.

    Returns:
        ``{"start", "end"}`` timestamps.
    """
    return {"start": iso(start), "end": iso(start + WINDOW_HOURS * 3600)}


def window_end(d: DropletRecord) -> float | None:
    """Return the epoch end of a droplet's next backup window.

    Args:
        d: The droplet.

    Returns:
        Epoch seconds, or None without backups.
    """
    if d.next_backup_window is None:
        return None
    end = d.next_backup_window["end"]
    return float(calendar.timegm(time.strptime(end, "%Y-%m-%dT%H:%M:%SZ")))


def backup_image(d: DropletRecord, image_id: int, taken_at: float) -> Json:
    """Return the image dict of a backup of ``d``.

    Args:
        d: The droplet backed up.
        image_id: The new image's id.
        taken_at: Epoch time of the backup.

    Returns:
        An image dict of type ``backup``.
    """
    return droplet_image(d, image_id, taken_at, "backup", f"{d.name} {iso(taken_at)[:10]}")


def policy_record(d: DropletRecord) -> Json:
    """Return the ``droplet_backup_policy_record`` of a droplet.

    Args:
        d: The droplet.

    Returns:
        The record, with policy and window only when backups are enabled.
    """
    if d.backup_policy is None:
        return {"droplet_id": d.id, "backup_enabled": False}
    return {
        "droplet_id": d.id,
        "backup_enabled": True,
        "backup_policy": d.backup_policy,
        "next_backup_window": d.next_backup_window,
    }
