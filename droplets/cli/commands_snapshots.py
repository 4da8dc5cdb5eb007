"""``droplets all-snapshots list|delete``: the account's droplet and volume snapshots, in doctl's shape."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from droplets import Snapshot
from droplets.cli.output import emit
from droplets.cli.parsing import add_command, add_delete_command, add_group, add_output_options, delete_confirmed
from droplets.cli.views import SNAPSHOT_COLUMNS

if TYPE_CHECKING:
    from droplets.cli.parsing import Subparsers

__all__ = ["register"]


def cmd_list(args: argparse.Namespace) -> int:
    """List snapshots, optionally of one kind (sent to the server)."""
    lookups = {"resource_type": args.resource_type} if args.resource_type else {}
    emit(list(Snapshot.objects.filter(**lookups)), SNAPSHOT_COLUMNS, args)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete snapshots after confirmation."""
    snapshots = [Snapshot.objects.get(ref) for ref in args.refs]
    return delete_confirmed(args, snapshots, lambda s: f"snapshot {s.id} ({s.name})")


def register(subparsers: Subparsers) -> None:
    """Add ``snapshot`` and its subcommands."""
    group = add_group(
        subparsers,
        "all-snapshots",
        summary="the account's droplet and volume snapshots (list, delete)",
        example="droplets all-snapshots list --resource-type droplet",
    )
    parser = add_command(
        group,
        "list",
        summary="list snapshots",
        example="droplets all-snapshots list --resource-type volume",
        func=cmd_list,
    )
    parser.add_argument("--resource-type", choices=("droplet", "volume"), help="only snapshots of this kind")
    add_output_options(parser)
    add_delete_command(
        group,
        what="snapshots by id",
        metavar="ID",
        example="droplets all-snapshots delete 6372321 --force",
        func=cmd_delete,
    )
