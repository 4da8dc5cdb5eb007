"""``droplets reserved-ip list|create|delete|assign|unassign``: reserved IPs, in doctl's shape."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from droplets import ReservedIP, default_client
from droplets.cli.output import WaitDisplay, emit
from droplets.cli.parsing import (
    CommandError,
    add_command,
    add_delete_command,
    add_group,
    add_output_options,
    add_wait_options,
    delete_confirmed,
    positive_id,
)
from droplets.cli.views import ACTION_COLUMNS, RESERVED_IP_COLUMNS

if TYPE_CHECKING:
    from droplets.cli.parsing import Subparsers

__all__ = ["register"]


def _wait(args: argparse.Namespace, show: WaitDisplay) -> dict[str, Any]:
    return {"wait": True, "timeout": args.timeout, "progress": show} if args.wait else {}


def cmd_list(args: argparse.Namespace) -> int:
    """List the account's reserved IPs."""
    emit(list(ReservedIP.objects.all()), RESERVED_IP_COLUMNS, args)
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    """Reserve an IP in a region, or create one assigned to a droplet."""
    if (args.region is None) == (args.droplet is None):
        raise CommandError("give --region SLUG (reserve an IP there) or --droplet ID (create it assigned), one of them")
    with WaitDisplay("assign_ip", default_client(), active=args.wait) as show:
        if args.droplet is not None:
            ip = ReservedIP.objects.create(droplet=args.droplet, **_wait(args, show))
        else:
            ip = ReservedIP.objects.create(region=args.region)
    emit([ip], RESERVED_IP_COLUMNS, args, single=True)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """Release reserved IPs after confirmation."""
    ips = [ReservedIP.objects.get(ref) for ref in args.refs]
    return delete_confirmed(args, ips, lambda ip: f"reserved IP {ip.ip}")


def cmd_assign(args: argparse.Namespace) -> int:
    """Point a reserved IP at a droplet (moving it if it points elsewhere)."""
    ip = ReservedIP.objects.get(args.ip)
    with WaitDisplay("assign_ip", default_client(), active=args.wait) as show:
        action = ip.assign(args.droplet, **_wait(args, show))
    emit([action], ACTION_COLUMNS, args, single=True)
    return 0


def cmd_unassign(args: argparse.Namespace) -> int:
    """Detach a reserved IP from its droplet."""
    ip = ReservedIP.objects.get(args.ip)
    with WaitDisplay("unassign_ip", default_client(), active=args.wait) as show:
        action = ip.unassign(**_wait(args, show))
    emit([action], ACTION_COLUMNS, args, single=True)
    return 0


def register(subparsers: Subparsers) -> None:
    """Add ``reserved-ip`` and its subcommands."""
    group = add_group(
        subparsers,
        "reserved-ip",
        summary="manage reserved IPs (list, create, delete, assign, unassign)",
        example="droplets reserved-ip create --region nyc3\ndroplets reserved-ip assign 45.55.96.47 3164444 --wait",
    )
    parser = add_command(
        group, "list", summary="list reserved IPs", example="droplets reserved-ip list -o json", func=cmd_list
    )
    add_output_options(parser)

    parser = add_command(
        group,
        "create",
        summary="reserve an IP in a region, or create one assigned to a droplet",
        example="droplets reserved-ip create --region nyc3\ndroplets reserved-ip create --droplet 3164444 --wait",
        func=cmd_create,
    )
    parser.add_argument("--region", metavar="SLUG", help="reserve it in this region")
    parser.add_argument("--droplet", type=positive_id, metavar="ID", help="create it assigned to this droplet")
    add_wait_options(parser)
    add_output_options(parser)

    add_delete_command(
        group,
        what="reserved IPs by address",
        metavar="IP",
        example="droplets reserved-ip delete 45.55.96.47 --force",
        func=cmd_delete,
    )
    for name, summary, func, example in (
        ("assign", "point a reserved IP at a droplet", cmd_assign, "droplets reserved-ip assign 45.55.96.47 3164444"),
        (
            "unassign",
            "detach a reserved IP from its droplet",
            cmd_unassign,
            "droplets reserved-ip unassign 45.55.96.47",
        ),
    ):
        parser = add_command(group, name, summary=summary, example=f"{example} --wait", func=func)
        parser.add_argument("ip", metavar="IP", help="the reserved IP's address")
        if name == "assign":
            parser.add_argument("droplet", type=positive_id, metavar="DROPLET_ID", help="the droplet")
        add_wait_options(parser)
        add_output_options(parser)
