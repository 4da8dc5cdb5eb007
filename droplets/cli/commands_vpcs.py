"""``droplets vpc list|create|delete|members``: VPCs and what is inside them, in doctl's shape."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from droplets import VPC
from droplets.cli.output import emit
from droplets.cli.parsing import add_command, add_delete_command, add_group, add_output_options, delete_confirmed
from droplets.cli.views import VPC_COLUMNS, VPC_MEMBER_COLUMNS

if TYPE_CHECKING:
    from droplets.cli.parsing import Subparsers

__all__ = ["register"]


def cmd_list(args: argparse.Namespace) -> int:
    """List VPCs."""
    emit(list(VPC.objects.all()), VPC_COLUMNS, args)
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    """Create a VPC."""
    vpc = VPC.objects.create(name=args.name, region=args.region, ip_range=args.ip_range, description=args.description)
    emit([vpc], VPC_COLUMNS, args, single=True)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete VPCs after confirmation (a default VPC is refused before anything is sent)."""
    vpcs = [VPC.objects.get(ref) for ref in args.refs]
    return delete_confirmed(args, vpcs, lambda vpc: f"VPC {vpc.id} ({vpc.name})")


def cmd_members(args: argparse.Namespace) -> int:
    """List the resources inside a VPC."""
    emit(VPC.objects.get(args.id).members(resource_type=args.resource_type), VPC_MEMBER_COLUMNS, args)
    return 0


def register(subparsers: Subparsers) -> None:
    """Add ``vpc`` and its subcommands."""
    group = add_group(
        subparsers,
        "vpc",
        summary="manage VPCs (list, create, delete, members)",
        example="droplets vpc create prod --region nyc3 --ip-range 10.10.0.0/20\ndroplets vpc list",
    )
    parser = add_command(group, "list", summary="list VPCs", example="droplets vpc list -o json", func=cmd_list)
    add_output_options(parser)

    parser = add_command(
        group,
        "create",
        summary="create a VPC (the first of a region becomes its default)",
        example="droplets vpc create prod --region nyc3 --ip-range 10.10.0.0/20",
        func=cmd_create,
    )
    parser.add_argument("name", metavar="NAME", help="letters, digits, '-' and '.'")
    parser.add_argument("--region", required=True, help="region slug, e.g. nyc3")
    parser.add_argument("--ip-range", metavar="CIDR", help="an RFC 1918 network, /16 to /28 (default: a free /20)")
    parser.add_argument("--description", help="at most 255 characters")
    add_output_options(parser)

    add_delete_command(
        group,
        what="VPCs (not a default one, not one with members)",
        metavar="ID",
        example="droplets vpc delete 5a4981aa-9653-4bd1-bef5-d6bff52042e4 --force",
        func=cmd_delete,
    )

    parser = add_command(
        group,
        "members",
        summary="list the resources in a VPC",
        example="droplets vpc members 5a4981aa-9653-4bd1-bef5-d6bff52042e4 --resource-type droplet",
        func=cmd_members,
    )
    parser.add_argument("id", metavar="ID", help="the VPC's id")
    parser.add_argument("--resource-type", metavar="TYPE", help="only this kind, e.g. droplet")
    add_output_options(parser)
