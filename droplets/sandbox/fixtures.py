"""Start a sandbox from a user-supplied account state: ``Sandbox(fixture=...)``, ``--fixture FILE.json``.

A fixture is a JSON object with one key per *section*. Today there is one,
``droplets``; other resources register their own with `register_section()`
(sections load in registration order, so droplets exist before anything that
refers to them). An unknown section or field is an error that names it: a
fixture is configuration, and a typo in it must not pass silently::

    {
      "droplets": [
        {
          "name": "web-1", "region": "nyc3", "size": "s-1vcpu-1gb",
          "image": "ubuntu-24-04-x64", "status": "active", "tags": ["web"],
          "backups": [{"name": "web-1 nightly", "created_at": "2024-05-01T04:00:00Z"}],
          "backup_policy": {"plan": "daily", "hour": 4},
          "snapshots": [{"name": "before-upgrade"}]
        }
      ]
    }

Each droplet is fully provisioned (its create action completed, its
addresses assigned) in the given ``status``. A non-empty ``backups`` list
(or a ``backup_policy``) turns backups on; backups and snapshots are
private images of the droplet, listed by ``/backups`` and ``/snapshots``
and usable by ``restore`` and ``rebuild`` at once.
"""

from __future__ import annotations

import calendar
import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from droplets.sandbox import backups
from droplets.sandbox.records import DropletRecord
from droplets.sandbox.state import SandboxState
from droplets.sandbox.wire import droplet_image

Json = dict[str, Any]
Section = Callable[[SandboxState, Any], None]
"""Loads one section's value into the state; raises ValueError naming what is wrong."""

_SECTIONS: dict[str, Section] = {}

_DROPLET_FIELDS = {
    "name": str,
    "region": str,
    "size": str,
    "image": (str, int),
    "status": str,
    "tags": list,
    "ipv6": bool,
    "monitoring": bool,
    "backups": (list, bool),
    "backup_policy": dict,
    "snapshots": list,
}
_IMAGE_FIELDS = {"name": str, "created_at": str}
_STATUSES = ("active", "off", "archive")
_DAY = 86400.0


def register_section(name: str, loader: Section) -> None:
    """Let fixtures carry a new top-level section (volumes, firewalls...).

    Args:
        name: The section's key in the fixture object.
        loader: Called with the state and the section's value.

    Raises:
        ValueError: If the name is already taken.
    """
    if name in _SECTIONS:
        raise ValueError(f"fixture section {name!r} is already registered")
    _SECTIONS[name] = loader


def sections() -> list[str]:
    """Return the section names fixtures may carry, in loading order."""
    return list(_SECTIONS)


def read_fixture(source: str | Path | Mapping[str, Any]) -> Mapping[str, Any]:
    """Return a fixture as a mapping, reading it from a JSON file when given a path.

    Args:
        source: A path to a JSON file, or the fixture itself.

    Returns:
        The fixture object.

    Raises:
        ValueError: If the file cannot be read or is not a JSON object.
    """
    if isinstance(source, Mapping):
        return source
    try:
        data = json.loads(Path(source).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"cannot read the fixture {str(source)!r}: {error}") from None
    if not isinstance(data, dict):
        raise ValueError(f"the fixture {str(source)!r} must hold a JSON object, one key per section")
    return data


def load_fixture(state: SandboxState, fixture: Mapping[str, Any]) -> None:
    """Load every section of a fixture into the state.

    Args:
        state: A fresh sandbox state.
        fixture: The fixture object.

    Raises:
        ValueError: For an unknown section or any invalid entry, naming it.
    """
    unknown = sorted(set(fixture) - set(_SECTIONS))
    if unknown:
        raise ValueError(f"unknown fixture section {unknown[0]!r}; known: {', '.join(_SECTIONS)}")
    for name, loader in _SECTIONS.items():
        if name in fixture:
            loader(state, fixture[name])


def _check_fields(entry: Any, fields: Mapping[str, Any], where: str) -> Json:
    if not isinstance(entry, dict):
        raise ValueError(f"{where} must be an object")
    for key, value in entry.items():
        if key not in fields:
            raise ValueError(f"{where}: unknown field {key!r}; known: {', '.join(fields)}")
        wanted = fields[key] if isinstance(fields[key], tuple) else (fields[key],)
        if not isinstance(value, wanted) or (bool not in wanted and isinstance(value, bool)):
            raise ValueError(f"{where}.{key} has the wrong type: {value!r}")
    return entry


def _epoch(text: str, where: str) -> float:
    try:
        return float(calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ")))
    except ValueError:
        raise ValueError(f"{where}.created_at must look like 2024-05-01T04:00:00Z, not {text!r}") from None


def _load_droplets(state: SandboxState, entries: Any) -> None:
    if not isinstance(entries, list):
        raise ValueError("fixture section 'droplets' must be a list of droplets")
    for index, entry in enumerate(entries):
        _load_droplet(state, _check_fields(entry, _DROPLET_FIELDS, f"droplets[{index}]"), f"droplets[{index}]")


def _load_droplet(state: SandboxState, entry: Json, where: str) -> None:
    catalog = state.catalog
    if "name" not in entry:
        raise ValueError(f"{where}.name is required")
    region = _in_catalog(catalog.regions_by_slug.get(entry.get("region", "nyc3")), entry, where, "region")
    size = _in_catalog(catalog.sizes_by_slug.get(entry.get("size", "s-1vcpu-1gb")), entry, where, "size")
    image = _in_catalog(state.find_image(entry.get("image", "ubuntu-24-04-x64")), entry, where, "image")
    status = entry.get("status", "active")
    if status not in _STATUSES:
        raise ValueError(f"{where}.status must be one of {', '.join(_STATUSES)}")
    tags = entry.get("tags", [])
    if not all(isinstance(tag, str) and tag for tag in tags):
        raise ValueError(f"{where}.tags must be non-empty strings")
    features = ["private_networking", "droplet_agent"]
    features += [name for name in ("ipv6", "monitoring") if entry.get(name)]
    d = state.new_droplet(
        name=entry["name"],
        region=region,
        size=size,
        image=image,
        tags=list(tags),
        features=features,
        ipv6=bool(entry.get("ipv6")),
    )
    state.provision(d, state.clock.time() - state.lifecycle.timings.ssh_after, networks_now=True)
    if status != "active":
        d.status, d.booted_at = status, None
    state.record_completed_action("create", d)
    _load_backups(state, d, entry, where)
    for number, snapshot in enumerate(entry.get("snapshots", [])):
        taken = _image_entry(state, d, snapshot, f"{where}.snapshots[{number}]", "snapshot", number)
        d.snapshot_ids.append(taken["id"])


def _in_catalog(found: Json | None, entry: Json, where: str, label: str) -> Json:
    if found is None:
        raise ValueError(f"{where}.{label}: {entry[label]!r} is not in the sandbox catalog")
    return found


def _load_backups(state: SandboxState, d: DropletRecord, entry: Json, where: str) -> None:
    listed = entry.get("backups", False)
    if not (listed or "backup_policy" in entry):
        return
    policy = entry.get("backup_policy")
    if policy is not None and not set(policy) <= {"plan", "weekday", "hour"}:
        raise ValueError(f"{where}.backup_policy takes plan, weekday and hour")
    d.features.insert(0, "backups")
    d.backup_policy = backups.normalize_policy(policy)
    d.next_backup_window = backups.window(backups.next_window_start(d.backup_policy, state.clock.time()))
    state.backed_up.add(d.id)
    for number, backup in enumerate(listed if isinstance(listed, list) else []):
        taken = _image_entry(state, d, backup, f"{where}.backups[{number}]", "backup", number)
        d.backup_ids.append(taken["id"])


def _image_entry(state: SandboxState, d: DropletRecord, entry: Any, where: str, kind: str, number: int) -> Json:
    entry = _check_fields(entry, _IMAGE_FIELDS, where)
    now = state.clock.time()
    taken_at = _epoch(entry["created_at"], where) if "created_at" in entry else now - (number + 1) * _DAY
    name = entry.get("name") or f"{d.name} {kind} {number + 1}"
    image = droplet_image(d, state.alloc.image_id(), taken_at, kind, name)
    state.user_images[image["id"]] = image
    return image


register_section("droplets", _load_droplets)
