"""The simulated cloud firewalls: rules, and the droplets and tags they apply to.

The rules enforced (the spec's digest): a name of letters, digits, ``.`` and
``-``; at least one rule on create, update and the rules operations; rule
shapes with protocol ``tcp``/``udp``/``icmp`` and ports ``"22"``,
``"8000-9000"`` or ``"0"``; tags that already exist. Malformed bodies answer
400, as the spec declares. A change is ``waiting`` with one pending change
per droplet affected until the next request, then ``succeeded``. A
destroyed droplet leaves every firewall's ``droplet_ids``.
"""

from __future__ import annotations

import copy
import ipaddress
import re
from typing import TYPE_CHECKING, Any

from droplets.sandbox.errors import bad_request, not_found
from droplets.sandbox.records import DropletRecord, iso

if TYPE_CHECKING:
    from droplets.sandbox.state import SandboxState

Json = dict[str, Any]
NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9\.-]+$")
PORTS = re.compile(r"^([0-9]{1,5})(?:-([0-9]{1,5}))?$")
TARGET_KEYS = {"addresses", "droplet_ids", "load_balancer_uids", "kubernetes_ids", "tags"}


class Firewalls:
    """The firewalls of a `SandboxState` (``state.firewalls``), seeded from the catalog's."""

    def __init__(self, seeded: list[Json]) -> None:
        self.items: dict[str, Json] = {fw["id"]: copy.deepcopy(fw) for fw in seeded}

    def get(self, firewall_id: str) -> Json:
        """Return a firewall or raise 404."""
        found = self.items.get(firewall_id)
        if found is None:
            raise not_found("firewall")
        return found

    def of_droplet(self, d: DropletRecord) -> list[Json]:
        """The firewalls applying to a droplet, by its id or one of its tags."""
        return [
            fw for fw in self.items.values() if d.id in (fw["droplet_ids"] or []) or set(fw["tags"] or []) & set(d.tags)
        ]

    def settle(self) -> None:
        """Changes seen once are applied: ``waiting`` becomes ``succeeded`` (called after an answer shows them)."""
        for fw in self.items.values():
            if fw["status"] == "waiting":
                fw["status"], fw["pending_changes"] = "succeeded", []

    def create(self, state: SandboxState, body: Json) -> Json:
        """Create a firewall from a checked body."""
        fw: Json = {
            "id": state.alloc.uuid(),
            "status": "waiting",
            "created_at": iso(state.clock.time()),
            "pending_changes": [],
            "name": body["name"],
            "droplet_ids": list(body.get("droplet_ids") or []),
            "tags": list(body.get("tags") or []),
            "inbound_rules": list(body.get("inbound_rules") or []),
            "outbound_rules": list(body.get("outbound_rules") or []),
        }
        self._pending(fw, fw["droplet_ids"], removing=False)
        self.items[fw["id"]] = fw
        return fw

    def _pending(self, fw: Json, droplet_ids: list[int], *, removing: bool) -> None:
        if droplet_ids:
            fw["status"] = "waiting"
            fw["pending_changes"] += [{"droplet_id": i, "removing": removing, "status": "waiting"} for i in droplet_ids]

    def add(self, fw: Json, key: str, values: list[Any]) -> None:
        """Add droplet ids, tags or rules (``key``) without duplicates."""
        fw[key] = list(fw[key] or []) + [v for v in values if v not in (fw[key] or [])]
        if key == "droplet_ids":
            self._pending(fw, values, removing=False)

    def remove(self, fw: Json, key: str, values: list[Any]) -> None:
        """Remove droplet ids, tags or rules (``key``)."""
        fw[key] = [v for v in fw[key] or [] if v not in values]
        if key == "droplet_ids":
            self._pending(fw, values, removing=True)

    def forget_droplet(self, d: DropletRecord) -> None:
        """A destroyed droplet leaves every firewall."""
        for fw in self.items.values():
            if d.id in (fw["droplet_ids"] or []):
                fw["droplet_ids"].remove(d.id)


def check_name(body: Json) -> str:
    """The body's firewall name, or 400."""
    name = body.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        raise bad_request("name must start with a letter or digit and hold letters, digits, '.' and '-' (2 or more)")
    return name


def check_rules(state: SandboxState, body: Json, *, required: bool) -> None:
    """Check ``inbound_rules`` and ``outbound_rules`` (at least one rule when ``required``), or 400."""
    total = 0
    for key, side in (("inbound_rules", "sources"), ("outbound_rules", "destinations")):
        rules = body.get(key)
        if rules is None:
            continue
        if not isinstance(rules, list):
            raise bad_request(f"{key} must be an array")
        for rule in rules:
            _check_rule(state, rule, key, side)
        total += len(rules)
    if required and total == 0:
        raise bad_request("at least one inbound or outbound rule is required")


def _check_rule(state: SandboxState, rule: Any, key: str, side: str) -> None:
    if not isinstance(rule, dict) or set(rule) != {"protocol", "ports", side}:
        raise bad_request(f"{key}: each rule has exactly protocol, ports and {side}")
    if rule["protocol"] not in ("tcp", "udp", "icmp"):
        raise bad_request(f"{key}: protocol must be tcp, udp or icmp")
    match = PORTS.match(rule["ports"]) if isinstance(rule["ports"], str) else None
    if match is None or (rule["ports"] != "0" and not 1 <= int(match[1]) <= int(match[2] or match[1]) <= 65535):
        raise bad_request(f"{key}: ports must be a port, a range like 8000-9000, or 0")
    target = rule[side]
    if not isinstance(target, dict) or not set(target) <= TARGET_KEYS or not any(target.values()):
        raise bad_request(f"{key}: {side} must name addresses, droplet_ids, load_balancer_uids, kubernetes_ids or tags")
    for address in target.get("addresses") or []:
        try:
            ipaddress.ip_network(address, strict=False)
        except (TypeError, ValueError):
            raise bad_request(f"{key}: {address!r} is not an address or CIDR") from None
    check_tags(state, target.get("tags") or [])


def check_tags(state: SandboxState, tags: Any) -> list[str]:
    """Tags must be names of existing tags, or 400."""
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise bad_request("tags must be an array of tag names")
    missing = [t for t in tags if t not in state.known_tags]
    if missing:
        raise bad_request(f"tags must exist: {', '.join(missing)}")
    return tags


def check_droplet_ids(state: SandboxState, ids: Any) -> list[int]:
    """Droplet ids of existing droplets, or 400."""
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise bad_request("droplet_ids must be an array of integers")
    for droplet_id in ids:
        if droplet_id not in state.droplets:
            raise bad_request(f"droplet_ids: Droplet {droplet_id} was not found")
    return ids
