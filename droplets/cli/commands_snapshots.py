"""``droplets snapshot list|delete``: the account's droplet and volume snapshots, in doctl's shape.

``droplets snapshot DROPLET_ID --name N`` is the droplet action that takes a
snapshot (`droplets.cli.commands_actions`); the words ``list`` and
``delete`` after ``snapshot`` (a droplet id is a number) go to the parser
here instead, which the top-level parser hands the rest of the line to
(`routed_parser`).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from droplets.cli.output import emit
from droplets.cli.parsing import add_command, add_delete_command, add_output_options, delete_confirmed
from droplets.cli.views import SNAPSHOT_COLUMNS

__all__ = ["COMMAND", "WORDS", "build_parser", "routed_parser"]

COMMAND = "snapshot"
WORDS = ("list", "delete")
"""The subcommands of ``droplets snapshot`` (any other first word is a droplet id: the action)."""


def cmd_list(args: argparse.Namespace) -> int:
    """List snapshots, optionally of one kind (sent to the server)."""
    from droplets import Snapshot

    lookups = {"resource_type": args.resource_type} if args.resource_type else {}
    emit(list(Snapshot.objects.filter(**lookups)), SNAPSHOT_COLUMNS, args)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete snapshots after confirmation."""
    from droplets import Snapshot

    snapshots = [Snapshot.objects.get(ref) for ref in args.refs]
    return delete_confirmed(args, snapshots, lambda s: f"snapshot {s.id} ({s.name})")


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``droplets snapshot list|delete`` (usage and help say ``droplets snapshot``)."""
    parser = argparse.ArgumentParser(
        prog=f"droplets {COMMAND}",
        description="The account's droplet and volume snapshots (list, delete); "
        "`droplets snapshot DROPLET_ID --name N` takes one.",
        epilog="Example:\n  droplets snapshot list --resource-type droplet\n  droplets snapshot delete 6372321 --force",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    group = parser.add_subparsers(dest="snapshot_command", metavar="COMMAND", required=True)
    listing = add_command(
        group,
        "list",
        summary="list the account's snapshots (of droplets and of volumes)",
        example="droplets snapshot list --resource-type volume -o json",
        func=cmd_list,
    )
    listing.add_argument("--resource-type", choices=("droplet", "volume"), help="only snapshots of this kind")
    add_output_options(listing)
    add_delete_command(
        group,
        what="snapshots by id (a droplet snapshot's number or a volume snapshot's UUID)",
        metavar="ID",
        example="droplets snapshot delete 6372321 fbe805e8-866b-11e6-96bf-000f53315a41 --force",
        func=cmd_delete,
    )
    return parser


def routed_parser(words: Sequence[str]) -> argparse.ArgumentParser | None:
    """The parser for ``words`` (a command line without the program) when it is ``snapshot list|delete ...``."""
    if len(words) >= 2 and words[0] == COMMAND and words[1] in WORDS:
        return build_parser()
    return None
