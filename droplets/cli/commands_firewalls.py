"""``droplets firewall list|create|delete|add-droplets|remove-droplets|add-tags|remove-tags|add-rules|remove-rules``.

Rules are written as doctl writes them: rules separated by spaces, each a
comma-separated list of ``key:value`` pairs, e.g.
``"protocol:tcp,ports:22,address:0.0.0.0/0 protocol:icmp,address:::/0"``.
Keys: ``protocol``, ``ports``, and the targets ``address``, ``droplet_id``,
``tag``, ``load_balancer_uid``, ``kubernetes_id`` (each may repeat).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from droplets import Firewall
from droplets.cli.output import emit
from droplets.cli.parsing import (
    CommandError,
    add_command,
    add_delete_command,
    add_group,
    add_output_options,
    delete_confirmed,
)
from droplets.cli.views import FIREWALL_COLUMNS

if TYPE_CHECKING:
    from droplets.cli.parsing import Subparsers

__all__ = ["parse_rules", "register"]

_CREATE_EXAMPLE = (
    'droplets firewall create web --inbound-rules "protocol:tcp,ports:22,address:0.0.0.0/0" --tag-names web'
)
_TARGETS = {
    "address": "addresses",
    "droplet_id": "droplet_ids",
    "tag": "tags",
    "load_balancer_uid": "load_balancer_uids",
    "kubernetes_id": "kubernetes_ids",
}


def parse_rules(text: str | None, side: str) -> list[dict[str, Any]]:
    """Parse doctl's rule syntax into the API's rule dicts (``side``: ``sources`` or ``destinations``).

    Raises:
        CommandError: A pair that is not ``key:value`` or an unknown key.
    """
    rules: list[dict[str, Any]] = []
    for chunk in (text or "").split():
        rule: dict[str, Any] = {side: {}}
        for pair in chunk.split(","):
            key, sep, value = pair.partition(":")
            if not sep or not value:
                raise CommandError(
                    f"rule part {pair!r} is not key:value (e.g. protocol:tcp,ports:22,address:0.0.0.0/0)"
                )
            if key in ("protocol", "ports"):
                rule[key] = value
            elif key in _TARGETS:
                item: Any = int(value) if key == "droplet_id" and value.isdigit() else value
                rule[side].setdefault(_TARGETS[key], []).append(item)
            else:
                raise CommandError(f"unknown rule key {key!r}; use protocol, ports, {', '.join(_TARGETS)}")
        rules.append(rule)
    return rules


def _ids(text: str | None) -> list[int]:
    values = [v for v in (text or "").split(",") if v]
    if not all(v.isdigit() and int(v) > 0 for v in values):
        raise CommandError(f"--droplet-ids takes comma-separated droplet ids, got {text!r}")
    return [int(v) for v in values]


def _tags(text: str | None) -> list[str]:
    return [t for t in (text or "").split(",") if t]


def cmd_list(args: argparse.Namespace) -> int:
    """List the account's firewalls."""
    emit(list(Firewall.objects.all()), FIREWALL_COLUMNS, args)
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    """Create a firewall; rules, droplets and tags are checked before anything is sent."""
    fw = Firewall.objects.create(
        name=args.name,
        inbound_rules=parse_rules(args.inbound_rules, "sources"),
        outbound_rules=parse_rules(args.outbound_rules, "destinations"),
        droplets=_ids(args.droplet_ids),
        tags=_tags(args.tag_names),
    )
    emit([fw], FIREWALL_COLUMNS, args, single=True)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete firewalls after confirmation."""
    firewalls = [Firewall.objects.get(ref) for ref in args.refs]
    return delete_confirmed(args, firewalls, lambda f: f"firewall {f.id} ({f.name})")


def cmd_change(args: argparse.Namespace) -> int:
    """Add or remove droplets, tags or rules (one request), then show the firewall."""
    fw = Firewall.objects.get(args.id)
    verb, _, what = args.firewall_command.partition("-")
    method = getattr(fw, f"{verb}_{what}")
    if what == "droplets":
        method(*_ids(args.droplet_ids))
    elif what == "tags":
        method(*_tags(args.tag_names))
    else:
        method(
            inbound=parse_rules(args.inbound_rules, "sources") or None,
            outbound=parse_rules(args.outbound_rules, "destinations") or None,
        )
    emit([fw.refresh()], FIREWALL_COLUMNS, args, single=True)
    return 0


def _rule_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inbound-rules", metavar="RULES", help='e.g. "protocol:tcp,ports:22,address:0.0.0.0/0"')
    parser.add_argument("--outbound-rules", metavar="RULES", help='e.g. "protocol:icmp,address:0.0.0.0/0"')


def register(subparsers: Subparsers) -> None:
    """Add ``firewall`` and its subcommands."""
    group = add_group(
        subparsers,
        "firewall",
        summary="manage cloud firewalls (list, create, delete, add/remove droplets, tags and rules)",
        example=_CREATE_EXAMPLE,
    )
    parser = add_command(
        group, "list", summary="list firewalls", example="droplets firewall list -o json", func=cmd_list
    )
    add_output_options(parser)

    parser = add_command(
        group,
        "create",
        summary="create a firewall",
        example=_CREATE_EXAMPLE,
        func=cmd_create,
    )
    parser.add_argument("name", metavar="NAME", help="letters, digits, '.' and '-'")
    _rule_options(parser)
    parser.add_argument("--droplet-ids", metavar="IDS", help="comma-separated droplet ids")
    parser.add_argument("--tag-names", metavar="TAGS", help="comma-separated names of existing tags")
    add_output_options(parser)

    add_delete_command(
        group,
        what="firewalls by id",
        metavar="FIREWALL_ID",
        example="droplets firewall delete bb4b2611-3d72-467b-8602-280330ecd65c --force",
        func=cmd_delete,
    )
    for what, option in (("droplets", "--droplet-ids"), ("tags", "--tag-names"), ("rules", None)):
        for verb in ("add", "remove"):
            name = f"{verb}-{what}"
            flag = option or "--inbound-rules"
            parser = add_command(
                group,
                name,
                summary=f"{verb} {what} {'to' if verb == 'add' else 'from'} a firewall",
                example=f"droplets firewall {name} bb4b2611-3d72-467b-8602-280330ecd65c {flag} ...",
                func=cmd_change,
            )
            parser.add_argument("id", metavar="FIREWALL_ID", help="the firewall's id")
            if option is None:
                _rule_options(parser)
            else:
                parser.add_argument(option, required=True, metavar=what.upper(), help=f"comma-separated {what}")
            add_output_options(parser)
