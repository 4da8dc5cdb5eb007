"""What each droplet action requires (checked at POST) and does (on completion).

`check()` raises a 422 when an action cannot start (resize while the
droplet is on, restore from a foreign backup...); `apply()` changes the
droplet when the action completes. An errored action never reaches
`apply()`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from droplets.sandbox import backups
from droplets.sandbox.errors import unprocessable
from droplets.sandbox.ids import private_v4, public_v6
from droplets.sandbox.records import ActionRecord, DropletRecord
from droplets.sandbox.wire import droplet_image

if TYPE_CHECKING:
    from droplets.sandbox.state import SandboxState

Json = dict[str, Any]
NAME_PATTERN = re.compile(r"^[a-zA-Z0-9]?[a-z0-9A-Z.\-]*[a-z0-9A-Z]$")
PENDING_EVENT = "Droplet already has a pending event."
"""The API's 422 message for an action sent while the droplet is locked."""


def check(state: SandboxState, d: DropletRecord, action_type: str, params: Json) -> None:
    """Refuse an action that cannot start on ``d``.

    Args:
        state: The sandbox state.
        d: The droplet.
        action_type: The action type.
        params: The request body.

    Raises:
        ApiError: 422 with the reason.
    """
    if d.locked:
        raise unprocessable(PENDING_EVENT)
    if action_type == "resize":
        _check_resize(state, d, params)
    elif action_type == "restore":
        if params.get("image") not in d.backup_ids:
            raise unprocessable("image must be the id of a backup of this Droplet")
    elif action_type == "rebuild":
        if "image" not in params or state.find_image(params["image"]) is None:
            raise unprocessable("image is not a valid image id or slug")
    elif action_type == "rename":
        name = params.get("name")
        if not isinstance(name, str) or len(name) > 255 or not NAME_PATTERN.match(name):
            raise unprocessable("name must be a valid hostname")
    elif action_type == "change_kernel":
        if params.get("kernel") not in state.catalog.kernels_by_id:
            raise unprocessable("kernel is not a valid kernel id")
    elif action_type == "change_backup_policy" and d.backup_policy is None:
        raise unprocessable("Backups are not enabled for this Droplet.")


def _check_resize(state: SandboxState, d: DropletRecord, params: Json) -> None:
    size = state.catalog.sizes_by_slug.get(params.get("size", ""))
    if size is None:
        raise unprocessable("size is not a valid size slug")
    if not size["available"] or d.region["slug"] not in size["regions"]:
        raise unprocessable("This size is not available in the Droplet's region.")
    if d.status != "off":
        raise unprocessable("Droplet must be powered off before it can be resized.")
    if size["disk"] < d.disk:
        raise unprocessable("This size is not available because it has a smaller disk.")


def apply(state: SandboxState, action: ActionRecord, d: DropletRecord) -> None:
    """Apply the effect of a completed action to its droplet.

    Args:
        state: The sandbox state.
        action: The completed action.
        d: Its droplet.
    """
    _EFFECTS.get(action.type, _nothing)(state, action, d)


def _nothing(state: SandboxState, action: ActionRecord, d: DropletRecord) -> None:
    del state, action, d


def _add_feature(d: DropletRecord, feature: str) -> None:
    if feature not in d.features:
        d.features.append(feature)


def _create(state: SandboxState, action: ActionRecord, d: DropletRecord) -> None:
    state.provision(d, action.completed_at)
    if "backups" in d.features:
        _set_backups(state, d, action.params.get("backup_policy"))


def _active(state: SandboxState, action: ActionRecord, d: DropletRecord) -> None:
    d.status = "active"
    d.booted_at = action.completed_at


def _off(state: SandboxState, action: ActionRecord, d: DropletRecord) -> None:
    d.status = "off"
    d.booted_at = None


def _set_backups(state: SandboxState, d: DropletRecord, policy: Json | None) -> None:
    d.backup_policy = backups.normalize_policy(policy)
    start = backups.next_window_start(d.backup_policy, state.clock.time())
    d.next_backup_window = backups.window(start)
    state.backed_up.add(d.id)


def _enable_backups(state: SandboxState, action: ActionRecord, d: DropletRecord) -> None:
    _add_feature(d, "backups")
    _set_backups(state, d, action.params.get("backup_policy"))


def _change_backup_policy(state: SandboxState, action: ActionRecord, d: DropletRecord) -> None:
    _set_backups(state, d, action.params.get("backup_policy"))


def _disable_backups(state: SandboxState, action: ActionRecord, d: DropletRecord) -> None:
    if "backups" in d.features:
        d.features.remove("backups")
    d.backup_policy = d.next_backup_window = None
    state.backed_up.discard(d.id)


def _enable_ipv6(state: SandboxState, action: ActionRecord, d: DropletRecord) -> None:
    _add_feature(d, "ipv6")
    d.ipv6 = True
    if not d.networks_v6:
        d.networks_v6 = [public_v6(d.ip_index)]


def _enable_private_networking(state: SandboxState, action: ActionRecord, d: DropletRecord) -> None:
    _add_feature(d, "private_networking")
    if not any(n["type"] == "private" for n in d.networks_v4):
        region_index = [r["slug"] for r in state.catalog.regions].index(d.region["slug"])
        d.networks_v4.insert(0, private_v4(d.ip_index, region_index))


def _rebuild(state: SandboxState, action: ActionRecord, d: DropletRecord) -> None:
    d.image = state.find_image(action.params["image"]) or d.image
    _active(state, action, d)


def _resize(state: SandboxState, action: ActionRecord, d: DropletRecord) -> None:
    d.size = state.catalog.sizes_by_slug[action.params["size"]]
    if action.params.get("disk"):
        d.disk = d.size["disk"]


def _rename(state: SandboxState, action: ActionRecord, d: DropletRecord) -> None:
    d.name = action.params["name"]


def _change_kernel(state: SandboxState, action: ActionRecord, d: DropletRecord) -> None:
    d.kernel = state.catalog.kernels_by_id[action.params["kernel"]]


def _snapshot(state: SandboxState, action: ActionRecord, d: DropletRecord) -> None:
    now = action.completed_at or state.clock.time()
    image_id = state.alloc.image_id()
    name = action.params.get("name") or f"{d.name}-{int(now * 1000)}"
    state.user_images[image_id] = droplet_image(d, image_id, now, "snapshot", name)
    d.snapshot_ids.append(image_id)


_Effect = Callable[["SandboxState", ActionRecord, DropletRecord], None]
_EFFECTS: dict[str, _Effect] = {
    "create": _create,
    "reboot": _active,
    "power_cycle": _active,
    "power_on": _active,
    "restore": _active,
    "shutdown": _off,
    "power_off": _off,
    "enable_backups": _enable_backups,
    "disable_backups": _disable_backups,
    "change_backup_policy": _change_backup_policy,
    "enable_ipv6": _enable_ipv6,
    "enable_private_networking": _enable_private_networking,
    "rebuild": _rebuild,
    "resize": _resize,
    "rename": _rename,
    "change_kernel": _change_kernel,
    "snapshot": _snapshot,
}
