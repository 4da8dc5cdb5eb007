"""Backup policies: when a droplet's backups run and how long they are kept.

A policy is a plan (``daily`` or ``weekly``), a weekday for a weekly plan and
the hour the four-hour backup window opens. It is given to
``create(backups=True, backup_policy=...)``, ``d.enable_backups(backup_policy=...)``
and ``d.change_backup_policy(...)`` as a `BackupPolicy` or a plain dict
(``{"plan": "weekly", "weekday": "SUN", "hour": 8}``), and read back with
``d.backup_policy()``, ``Droplet.objects.backup_policies()`` and
``Droplet.objects.supported_backup_policies()``.

The values allowed are the spec's (the ``droplet_backup_policy`` schema):
`PLANS`, `WEEKDAYS` and `HOURS`. A policy is checked against them before
anything is sent (`policy_body()`); a policy read from the API is taken as
the API gives it (a plan or weekday the spec does not list yet is kept as
text, like every enumeration the library reads).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from droplets._converter import OMIT_IF_NONE
from droplets.errors import ValidationError
from droplets.models.hardware import BackupWindow

__all__ = [
    "HOURS",
    "PLANS",
    "WEEKDAYS",
    "BackupPlan",
    "BackupPolicy",
    "BackupPolicyRecord",
    "SupportedBackupPolicy",
    "Weekday",
    "policy_body",
]

BackupPlan = Literal["daily", "weekly"]
Weekday = Literal["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

PLANS: tuple[str, ...] = ("daily", "weekly")
"""The spec's ``droplet_backup_policy.plan`` values."""
WEEKDAYS: tuple[str, ...] = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
"""The spec's ``droplet_backup_policy.weekday`` values."""
HOURS: tuple[int, ...] = (0, 4, 8, 12, 16, 20)
"""The spec's ``droplet_backup_policy.hour`` values: the hours (UTC) a backup window may open."""

_SETTABLE = ("plan", "weekday", "hour")
_READ_ONLY = ("window_length_hours", "retention_period_days")


@attrs.frozen
class BackupPolicy:
    """A droplet's backup policy (the spec's ``droplet_backup_policy``).

    Attributes:
        plan: ``"daily"`` or ``"weekly"``.
        weekday: The day of a weekly backup (``"SUN"`` ... ``"SAT"``); None for daily.
        hour: The hour (UTC) the backup window opens: 0, 4, 8, 12, 16 or 20.
        window_length_hours: How long the window stays open (read-only).
        retention_period_days: How long a backup is kept (read-only).

    Example:
        >>> BackupPolicy(plan="weekly", weekday="SUN", hour=8)
        BackupPolicy(plan='weekly', weekday='SUN', hour=8, window_length_hours=None, retention_period_days=None)
    """

    plan: BackupPlan | str
    weekday: Weekday | str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    hour: int | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    window_length_hours: int | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    retention_period_days: int | None = attrs.field(default=None, metadata=OMIT_IF_NONE)


@attrs.frozen
class BackupPolicyRecord:
    """One droplet's entry in the backup policy reads (``droplet_backup_policy_record``)."""

    droplet_id: int
    backup_enabled: bool
    backup_policy: BackupPolicy | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    next_backup_window: BackupWindow | None = attrs.field(default=None, metadata=OMIT_IF_NONE)


@attrs.frozen
class SupportedBackupPolicy:
    """A backup plan the API offers (``GET /v2/droplets/backups/supported_policies``).

    Attributes:
        name: The plan, ``"daily"`` or ``"weekly"``.
        possible_window_starts: The hours a window may open.
        window_length_hours: How long a window stays open.
        retention_period_days: How long a backup is kept.
        possible_days: The weekdays a backup may run on (empty for daily).
    """

    name: str
    possible_window_starts: tuple[int, ...]
    window_length_hours: int
    retention_period_days: int
    possible_days: tuple[str, ...]


def policy_body(policy: BackupPolicy | Mapping[str, Any]) -> dict[str, Any]:
    """Check a backup policy and return it as the API takes it (settable keys only).

    Args:
        policy: A `BackupPolicy` or a dict with ``plan``, ``weekday`` and ``hour``
            (read-only keys of a policy read back from the API are dropped).

    Raises:
        droplets.ValidationError: A key or value the spec does not allow.
    """
    if isinstance(policy, BackupPolicy):
        given: dict[str, Any] = {key: getattr(policy, key) for key in _SETTABLE}
    elif isinstance(policy, Mapping):
        unknown = sorted(str(key) for key in policy if key not in _SETTABLE + _READ_ONLY)
        if unknown:
            hint = " (the weekday key is 'weekday')" if "day" in unknown else ""
            raise ValidationError(
                f"backup_policy has unknown key(s) {unknown}{hint}; it takes plan, weekday and hour, "
                'e.g. {"plan": "weekly", "weekday": "SUN", "hour": 8}'
            )
        given = {key: policy.get(key) for key in _SETTABLE}
    else:
        raise ValidationError(
            f'backup_policy must be a BackupPolicy or a dict such as {{"plan": "daily", "hour": 8}}, got {policy!r}'
        )
    plan, weekday, hour = given["plan"], given["weekday"], given["hour"]
    if plan is not None and plan not in PLANS:
        raise ValidationError(f"backup plan must be one of {list(PLANS)}, got {plan!r}")
    if weekday is not None:
        if weekday not in WEEKDAYS:
            raise ValidationError(f"backup weekday must be one of {list(WEEKDAYS)}, got {weekday!r}")
        if plan != "weekly":
            raise ValidationError(f"a backup weekday ({weekday!r}) needs plan='weekly'; a daily plan runs every day")
    if hour is not None and (type(hour) is not int or hour not in HOURS):
        raise ValidationError(f"backup hour must be one of {list(HOURS)} (UTC, when the window opens), got {hour!r}")
    return {key: value for key, value in given.items() if value is not None}
