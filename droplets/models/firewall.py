"""Cloud firewalls (``/v2/firewalls``): typed rules, applied to droplets and to tags.

A firewall holds inbound rules (what may reach its droplets: `InboundRule`,
with ``sources``) and outbound rules (what they may reach: `OutboundRule`,
with ``destinations``); a `RuleTarget` names addresses or CIDRs, droplets,
tags, load balancers or Kubernetes clusters. Rules are built from models or
from the API's dicts, and checked before anything is sent: the protocol
(``tcp``, ``udp``, ``icmp``), the ports (``"22"``, ``"8000-9000"``, ``"0"``
for all; ICMP has none), the addresses, and at least one target per rule.
A firewall applies to the droplets it lists and to every droplet carrying
one of its tags. The sub-resource calls (``add_droplets``, ``add_tags``,
``add_rules`` and their ``remove_`` twins) change one list and answer 204.
``update()`` is DigitalOcean's full replacement (``PUT``), made safe: what
you leave out is sent as it is now, never reset.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import attrs

from droplets import _api, _converter
from droplets._api import Endpoint
from droplets._converter import OMIT_IF_NONE
from droplets.errors import ValidationError
from droplets.managers import Manager, ManagerDescriptor
from droplets.models.base import Bound, Model, _set_field, check_id
from droplets.validation import check_tag

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["Firewall", "FirewallManager", "InboundRule", "OutboundRule", "PendingChange", "RuleTarget"]

Protocol = Literal["tcp", "udp", "icmp"]
_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9\.-]+$")
_PORTS = re.compile(r"^([0-9]{1,5})(?:-([0-9]{1,5}))?$")
_TARGET_KEYS = ("addresses", "droplet_ids", "load_balancer_uids", "kubernetes_ids", "tags")


def _optional_list() -> Any:
    return attrs.field(default=None, metadata=OMIT_IF_NONE)


@attrs.frozen
class RuleTarget(Model):
    """Where a rule's traffic comes from (inbound ``sources``) or goes to (outbound ``destinations``).

    Attributes:
        addresses: IPv4/IPv6 addresses or CIDRs (``"0.0.0.0/0"``, ``"::/0"``).
        droplet_ids: Droplet ids.
        load_balancer_uids: Load balancer ids.
        kubernetes_ids: Kubernetes cluster ids.
        tags: Names of existing tags.
    """

    addresses: list[str] | None = _optional_list()
    droplet_ids: list[int] | None = _optional_list()
    load_balancer_uids: list[str] | None = _optional_list()
    kubernetes_ids: list[str] | None = _optional_list()
    tags: list[str] | None = _optional_list()

    @classmethod
    def of(cls, value: RuleTarget | Mapping[str, Any], where: str = "target") -> RuleTarget:
        """Build (and check) a target from a model or the API's dict.

        Raises:
            droplets.ValidationError: An unknown key, a bad address or id, or no target at all.
        """
        if isinstance(value, RuleTarget):
            data = {key: getattr(value, key) for key in _TARGET_KEYS}
        elif isinstance(value, Mapping):
            unknown = set(value) - set(_TARGET_KEYS)
            if unknown:
                raise ValidationError(f"{where} has unknown keys {sorted(unknown)}; it takes {', '.join(_TARGET_KEYS)}")
            data = {key: value.get(key) for key in _TARGET_KEYS}
        else:
            raise ValidationError(f"{where} must be a RuleTarget or a dict like {{'addresses': ['0.0.0.0/0']}}")
        checked = {
            "addresses": _each(data["addresses"], _address, f"{where}.addresses"),
            "droplet_ids": _each(data["droplet_ids"], lambda v: check_id(getattr(v, "id", v), "droplet id"), where),
            "load_balancer_uids": _each(data["load_balancer_uids"], _text, f"{where}.load_balancer_uids"),
            "kubernetes_ids": _each(data["kubernetes_ids"], _text, f"{where}.kubernetes_ids"),
            "tags": _each(data["tags"], lambda t: check_tag(getattr(t, "name", t)), f"{where}.tags"),
        }
        if not any(checked.values()):
            raise ValidationError(
                f"{where} names nothing: give addresses, droplet_ids, tags, load_balancer_uids or kubernetes_ids"
            )
        return cls(**{key: value or None for key, value in checked.items()})


def _each(values: Any, check: Any, where: str) -> list[Any] | None:
    if values is None:
        return None
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ValidationError(f"{where} must be a list, got {values!r}")
    return [check(value) for value in values]


def _address(value: Any) -> str:
    try:
        ipaddress.ip_network(value, strict=False)
    except (TypeError, ValueError):
        raise ValidationError(f"{value!r} is not an IPv4/IPv6 address or CIDR (e.g. '0.0.0.0/0', '::/0')") from None
    return str(value)


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError(f"expected a non-empty id string, got {value!r}")
    return value


def check_ports(protocol: str, ports: Any) -> str:
    """Return ``ports`` as the API takes it: ``"22"``, ``"8000-9000"`` or ``"0"`` (all; always for ICMP)."""
    if protocol == "icmp":
        if ports not in (None, "", "0", 0):
            raise ValidationError(f"ICMP has no ports; leave ports out (or '0'), got {ports!r}")
        return "0"
    text = str(ports) if isinstance(ports, int) and not isinstance(ports, bool) else ports
    match = _PORTS.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValidationError(f"ports must be '22', a range '8000-9000' or '0' for all, got {ports!r}")
    low, high = int(match[1]), int(match[2] or match[1])
    if text != "0" and not 1 <= low <= high <= 65535:
        raise ValidationError(f"ports must be from 1 to 65535 with the low end first, got {ports!r}")
    return text


def _protocol(value: Any) -> str:
    if value not in ("tcp", "udp", "icmp"):
        raise ValidationError(f"protocol must be 'tcp', 'udp' or 'icmp', got {value!r}")
    return str(value)


@attrs.frozen
class InboundRule(Model):
    """What may reach the firewall's droplets: ``protocol``, ``ports`` and ``sources``.

    Example:
        >>> InboundRule(protocol="tcp", ports="22", sources=RuleTarget(addresses=["0.0.0.0/0"]))  # doctest: +SKIP
    """

    protocol: Protocol
    ports: str
    sources: RuleTarget

    @classmethod
    def of(cls, value: InboundRule | Mapping[str, Any]) -> InboundRule:
        """Build (and check) an inbound rule from a model or the API's dict."""
        protocol, ports, target = _rule_parts(value, cls, "sources")
        return cls(protocol=protocol, ports=ports, sources=target)  # type: ignore[arg-type]


@attrs.frozen
class OutboundRule(Model):
    """What the firewall's droplets may reach: ``protocol``, ``ports`` and ``destinations``."""

    protocol: Protocol
    ports: str
    destinations: RuleTarget

    @classmethod
    def of(cls, value: OutboundRule | Mapping[str, Any]) -> OutboundRule:
        """Build (and check) an outbound rule from a model or the API's dict."""
        protocol, ports, target = _rule_parts(value, cls, "destinations")
        return cls(protocol=protocol, ports=ports, destinations=target)  # type: ignore[arg-type]


def _rule_parts(value: Any, kind: type, side: str) -> tuple[str, str, RuleTarget]:
    if isinstance(value, (InboundRule, OutboundRule)) and isinstance(value, kind):
        data: Mapping[str, Any] = {"protocol": value.protocol, "ports": value.ports, side: getattr(value, side)}
    elif isinstance(value, Mapping):
        data = value
        unknown = set(data) - {"protocol", "ports", side}
        if unknown:
            raise ValidationError(f"an {kind.__name__} has protocol, ports and {side}; unknown: {sorted(unknown)}")
    else:
        raise ValidationError(f"expected an {kind.__name__} or a dict, got {value!r}")
    protocol = _protocol(data.get("protocol"))
    if side not in data:
        raise ValidationError(f"an {kind.__name__} needs {side} (e.g. {{'addresses': ['0.0.0.0/0']}})")
    return protocol, check_ports(protocol, data.get("ports")), RuleTarget.of(data[side], side)


def _rules(inbound: Any, outbound: Any) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if inbound:
        body["inbound_rules"] = [_converter.unstructure(InboundRule.of(rule)) for rule in _listed(inbound)]
    if outbound:
        body["outbound_rules"] = [_converter.unstructure(OutboundRule.of(rule)) for rule in _listed(outbound)]
    return body


def _listed(value: Any) -> list[Any]:
    if isinstance(value, (Mapping, InboundRule, OutboundRule)):
        return [value]
    return list(value)


def check_name(name: Any) -> str:
    """Return ``name`` if it is a valid firewall name (letters, digits, ``.`` and ``-``; 2 characters at least)."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValidationError(
            f"firewall name {name!r} is invalid: letters, digits, '.' and '-', starting with a letter or digit, "
            "at least 2 characters (e.g. 'web-fw')"
        )
    return name


def _droplet_ids(droplets: Iterable[Any]) -> list[int]:
    return [check_id(getattr(d, "id", d), "droplet id") for d in droplets]


def _tag_names(tags: Iterable[Any]) -> list[str]:
    if isinstance(tags, str):
        tags = [tags]
    return [check_tag(getattr(tag, "name", tag)) for tag in tags]


class FirewallManager(Manager["Firewall"]):
    """``Firewall.objects``: querysets plus create."""

    def create(
        self,
        name: str,
        *,
        inbound_rules: Iterable[InboundRule | Mapping[str, Any]] | None = None,
        outbound_rules: Iterable[OutboundRule | Mapping[str, Any]] | None = None,
        droplets: Iterable[Any] = (),
        tags: Iterable[Any] = (),
    ) -> Firewall:
        """Create a firewall (``POST /v2/firewalls``, 202); it needs a name and at least one rule.

        Args:
            name: Letters, digits, ``.`` and ``-``.
            inbound_rules: `InboundRule` models or dicts.
            outbound_rules: `OutboundRule` models or dicts.
            droplets: `Droplet` models or ids it applies to.
            tags: Tag names (or `Tag` models) of existing tags: it applies to their droplets.

        Raises:
            droplets.ValidationError: A rule or name breaks the spec's shape, or there is no rule (nothing was sent).

        Example:
            >>> Firewall.objects.create(name="web", inbound_rules=[{"protocol": "tcp", "ports": "22",
            ...     "sources": {"addresses": ["0.0.0.0/0"]}}], tags=["web"])   # doctest: +SKIP
        """
        body: dict[str, Any] = {"name": check_name(name), **_rules(inbound_rules, outbound_rules)}
        if "inbound_rules" not in body and "outbound_rules" not in body:
            raise ValidationError("a firewall needs at least one inbound or outbound rule")
        ids, names = _droplet_ids(droplets), _tag_names(tags)
        if ids:
            body["droplet_ids"] = ids
        if names:
            body["tags"] = names
        return self._create_one(body)


@attrs.frozen
class PendingChange(Model):
    """A change of the firewall not yet applied to a droplet."""

    droplet_id: int
    removing: bool
    status: str


@attrs.define(repr=False)
class Firewall(Bound):
    """A cloud firewall.

    Attributes:
        id: Identifier (a UUID).
        name: Its name.
        status: ``"waiting"`` while changes are applied, then ``"succeeded"`` (or ``"failed"``).
        created_at: When it was created.
        pending_changes: Changes not yet applied, per droplet.
        droplet_ids: The droplets it applies to by id.
        tags: The tags whose droplets it applies to.
        inbound_rules: Typed `InboundRule` models.
        outbound_rules: Typed `OutboundRule` models.
    """

    _endpoint = Endpoint("/v2/firewalls", "firewalls", "firewall")
    _gettable = True
    _display_fields = ("id", "name", "status", "droplet_ids", "tags")

    id: str
    name: str
    status: Literal["waiting", "succeeded", "failed"]
    created_at: datetime
    pending_changes: list[PendingChange] = attrs.field(factory=list)
    droplet_ids: list[int] | None = None
    tags: list[str] | None = None
    inbound_rules: list[InboundRule] | None = None
    outbound_rules: list[OutboundRule] | None = None

    objects = ManagerDescriptor(FirewallManager)

    @classmethod
    def _check_key(cls, key: Any) -> int | str:
        if not isinstance(key, str) or not re.fullmatch(r"[0-9a-fA-F-]{8,64}", key):
            raise ValidationError(f"a firewall id is a UUID string such as 'bb4b2611-3d72-...', got {key!r}")
        return key

    @classmethod
    def _key_field(cls, key: int | str) -> str:
        return "id"

    def __repr__(self) -> str:
        rules = len(self.inbound_rules or []) + len(self.outbound_rules or [])
        return f"<Firewall {self.id} {self.name!r} {self.status} {rules} rules>"

    def refresh(self) -> Self:
        """Reload from the API in place and return self."""
        return self._take(type(self).objects.using(self.client).get(self.id))

    def _sub(self, sub: str, method: str, body: dict[str, Any]) -> None:
        _api.send_sub(self.client, self._endpoint, self.id, sub, body, method=method)

    def add_droplets(self, *droplets: Any) -> None:
        """Apply the firewall to these droplets (`Droplet` models or ids; ``POST .../droplets``, 204)."""
        ids = _droplet_ids(droplets)
        self._sub("droplets", "POST", {"droplet_ids": ids})
        _set_field(self, "droplet_ids", list(dict.fromkeys([*(self.droplet_ids or []), *ids])))

    def remove_droplets(self, *droplets: Any) -> None:
        """Stop applying it to these droplets (``DELETE .../droplets`` with a body, 204)."""
        ids = _droplet_ids(droplets)
        self._sub("droplets", "DELETE", {"droplet_ids": ids})
        _set_field(self, "droplet_ids", [i for i in self.droplet_ids or [] if i not in ids])

    def add_tags(self, *tags: Any) -> None:
        """Apply it to every droplet with these (existing) tags (``POST .../tags``, 204)."""
        names = _tag_names(tags)
        self._sub("tags", "POST", {"tags": names})
        _set_field(self, "tags", list(dict.fromkeys([*(self.tags or []), *names])))

    def remove_tags(self, *tags: Any) -> None:
        """Stop applying it by these tags (``DELETE .../tags`` with a body, 204)."""
        names = _tag_names(tags)
        self._sub("tags", "DELETE", {"tags": names})
        _set_field(self, "tags", [t for t in self.tags or [] if t not in names])

    def add_rules(self, *, inbound: Any = None, outbound: Any = None) -> None:
        """Add rules (models or dicts; ``POST .../rules``, 204)."""
        body = _rules(inbound, outbound)
        if not body:
            raise ValidationError("add_rules() needs inbound= or outbound= rules")
        self._sub("rules", "POST", body)
        _set_field(
            self, "inbound_rules", [*(self.inbound_rules or []), *map(InboundRule.of, body.get("inbound_rules", []))]
        )
        _set_field(
            self,
            "outbound_rules",
            [*(self.outbound_rules or []), *map(OutboundRule.of, body.get("outbound_rules", []))],
        )

    def remove_rules(self, *, inbound: Any = None, outbound: Any = None) -> None:
        """Remove rules equal to these (``DELETE .../rules`` with a body, 204)."""
        body = _rules(inbound, outbound)
        if not body:
            raise ValidationError("remove_rules() needs inbound= or outbound= rules")
        self._sub("rules", "DELETE", body)
        gone_in = [InboundRule.of(r) for r in body.get("inbound_rules", [])]
        gone_out = [OutboundRule.of(r) for r in body.get("outbound_rules", [])]
        _set_field(self, "inbound_rules", [r for r in self.inbound_rules or [] if r not in gone_in])
        _set_field(self, "outbound_rules", [r for r in self.outbound_rules or [] if r not in gone_out])

    def update(
        self,
        *,
        name: str | None = None,
        inbound_rules: Iterable[InboundRule | Mapping[str, Any]] | None = None,
        outbound_rules: Iterable[OutboundRule | Mapping[str, Any]] | None = None,
        droplets: Iterable[Any] | None = None,
        tags: Iterable[Any] | None = None,
    ) -> Self:
        """Replace the firewall (``PUT``, DigitalOcean's full replacement); returns self, updated.

        The API resets every attribute a ``PUT`` leaves out. This method never
        leaves one out: what you do not pass is sent as it is now (as last
        loaded: call `refresh()` first if others may have changed it). Pass an
        empty list to clear a list.

        Example:
            >>> fw.update(name="web-2")   # rules, droplets and tags are sent as they are   # doctest: +SKIP
        """
        inbound = self.inbound_rules or [] if inbound_rules is None else list(inbound_rules)
        outbound = self.outbound_rules or [] if outbound_rules is None else list(outbound_rules)
        body: dict[str, Any] = {
            "name": check_name(self.name if name is None else name),
            "inbound_rules": _rules(inbound, None).get("inbound_rules", []),
            "outbound_rules": _rules(None, outbound).get("outbound_rules", []),
            "droplet_ids": _droplet_ids(self.droplet_ids or [] if droplets is None else droplets),
            "tags": _tag_names(self.tags or [] if tags is None else tags),
        }
        if not body["inbound_rules"] and not body["outbound_rules"]:
            raise ValidationError("a firewall needs at least one inbound or outbound rule")
        return self._save(body)

    def destroy(self) -> None:
        """Delete the firewall (204); its droplets are no longer filtered by it."""
        self._delete()
