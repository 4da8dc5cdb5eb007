"""Request body schemas, transcribed from the official spec's components.

``droplet_single_create``/``droplet_multi_create`` (``droplet_create`` plus
``name`` or ``names``) and the ``droplet_action_*`` family, keyed by action
type. Beyond the spec: ``enable_private_networking`` (deprecated, still sent
by older clients) is accepted, and fields an action cannot work without
(``size`` of resize, ``image`` of rebuild...) are required.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
BOOLEAN: Schema = {"type": "boolean"}
STRING_OR_INTEGER: Schema = {"anyOf": [STRING, INTEGER]}
NAME: Schema = {
    "type": "string",
    "maxLength": 255,
    "pattern": r"^[a-zA-Z0-9]?[a-z0-9A-Z.\-]*[a-z0-9A-Z]$",
}
BACKUP_POLICY: Schema = {
    "type": "object",
    "properties": {
        "plan": {"type": "string", "enum": ["daily", "weekly"]},
        "weekday": {"type": "string", "enum": ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]},
        "hour": {"type": "integer", "enum": [0, 4, 8, 12, 16, 20]},
    },
}

MAX_NAMES = 10
MAX_USER_DATA = 64 * 1024

_CREATE_PROPERTIES: dict[str, Schema] = {
    "region": STRING,
    "size": STRING,
    "image": STRING_OR_INTEGER,
    "ssh_keys": {"type": "array", "items": STRING_OR_INTEGER},
    "backups": BOOLEAN,
    "backup_policy": BACKUP_POLICY,
    "ipv6": BOOLEAN,
    "monitoring": BOOLEAN,
    "tags": {"type": "array", "items": STRING, "nullable": True},
    "user_data": STRING,
    "private_networking": BOOLEAN,
    "volumes": {"type": "array", "items": STRING},
    "vpc_uuid": STRING,
    "with_droplet_agent": BOOLEAN,
    "public_networking": BOOLEAN,
}

SINGLE_CREATE: Schema = {
    "type": "object",
    "properties": {"name": NAME, **_CREATE_PROPERTIES},
    "required": ["name", "size", "image"],
}
MULTI_CREATE: Schema = {
    "type": "object",
    "properties": {
        "names": {"type": "array", "items": NAME, "maxItems": MAX_NAMES},
        **_CREATE_PROPERTIES,
    },
    "required": ["names", "size", "image"],
}

ACTION_TYPES = (
    "enable_backups",
    "disable_backups",
    "change_backup_policy",
    "reboot",
    "power_cycle",
    "shutdown",
    "power_off",
    "power_on",
    "restore",
    "password_reset",
    "resize",
    "rebuild",
    "rename",
    "change_kernel",
    "enable_ipv6",
    "enable_private_networking",
    "snapshot",
)
TAG_ACTION_TYPES = (
    "power_cycle",
    "power_on",
    "power_off",
    "shutdown",
    "enable_ipv6",
    "enable_backups",
    "disable_backups",
    "snapshot",
)

_EXTRA_FIELDS: dict[str, tuple[dict[str, Schema], list[str]]] = {
    "enable_backups": ({"backup_policy": BACKUP_POLICY}, []),
    "change_backup_policy": ({"backup_policy": BACKUP_POLICY}, ["backup_policy"]),
    "restore": ({"image": INTEGER}, ["image"]),
    "resize": ({"disk": BOOLEAN, "size": STRING}, ["size"]),
    "rebuild": ({"image": STRING_OR_INTEGER}, ["image"]),
    "rename": ({"name": STRING}, ["name"]),
    "change_kernel": ({"kernel": INTEGER}, ["kernel"]),
    "snapshot": ({"name": STRING}, []),
}


def action_schema(action_type: str) -> Schema:
    """Return the body schema of one droplet action type.

    Args:
        action_type: A type from `ACTION_TYPES`.

    Returns:
        The object schema, ``type`` included.
    """
    extra, required = _EXTRA_FIELDS.get(action_type, ({}, []))
    return {
        "type": "object",
        "properties": {"type": STRING, **extra},
        "required": ["type", *required],
    }
