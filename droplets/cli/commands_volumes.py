"""``droplets volume list|create|delete|attach|detach|resize|snapshot``: block storage, in doctl's shape."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from droplets import Volume, default_client
from droplets.cli.output import WaitDisplay, emit
from droplets.cli.parsing import (
    add_command,
    add_delete_command,
    add_group,
    add_output_options,
    add_wait_options,
    delete_confirmed,
    positive_id,
)
from droplets.cli.views import ACTION_COLUMNS, VOLUME_COLUMNS, VOLUME_SNAPSHOT_COLUMNS

if TYPE_CHECKING:
    from droplets import Action
    from droplets.cli.parsing import Subparsers

__all__ = ["register"]


def cmd_list(args: argparse.Namespace) -> int:
    """List volumes, optionally of one region or name (filtered by the server)."""
    lookups = {key: value for key, value in (("region", args.region), ("name", args.name)) if value}
    emit(list(Volume.objects.filter(**lookups)), VOLUME_COLUMNS, args)
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    """Create a volume; its arguments are checked before anything is sent."""
    volume = Volume.objects.create(
        name=args.name,
        size_gigabytes=args.size,
        region=args.region,
        filesystem_type=args.fs_type,
        filesystem_label=args.fs_label,
        description=args.desc,
        snapshot_id=args.snapshot,
        tags=args.tag or None,
    )
    emit([volume], VOLUME_COLUMNS, args, single=True)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete volumes by id after confirmation (an attached one is refused by the API: detach it first)."""
    volumes = [Volume.objects.get(ref) for ref in args.refs]
    return delete_confirmed(args, volumes, lambda v: f"volume {v.id} ({v.name})")


def _act(args: argparse.Namespace, run: Any) -> int:
    volume = Volume.objects.get(args.volume)
    with WaitDisplay(args.volume_command, default_client(), active=args.wait) as show:
        options = {"wait": True, "timeout": args.timeout, "progress": show} if args.wait else {}
        action: Action = run(volume, options)
    emit([action], ACTION_COLUMNS, args, single=True)
    return 0


def cmd_attach(args: argparse.Namespace) -> int:
    """Attach a volume to a droplet of its region (queued behind a busy droplet)."""
    return _act(args, lambda v, options: v.attach(args.droplet, **options))


def cmd_detach(args: argparse.Namespace) -> int:
    """Detach a volume from its droplet (or the one given)."""
    return _act(args, lambda v, options: v.detach(args.droplet, **options))


def cmd_resize(args: argparse.Namespace) -> int:
    """Grow a volume."""
    return _act(args, lambda v, options: v.resize(args.size, **options))


def cmd_snapshot(args: argparse.Namespace) -> int:
    """Take a snapshot of a volume."""
    snapshot = Volume.objects.get(args.volume).snapshot(args.snapshot_name, tags=args.tag or None)
    emit([snapshot], VOLUME_SNAPSHOT_COLUMNS, args, single=True)
    return 0


def _action_command(
    group: Subparsers, name: str, summary: str, example: str, func: Any, extra: list[tuple[str, dict[str, Any]]]
) -> None:
    parser = add_command(group, name, summary=summary, example=example, func=func)
    parser.add_argument("volume", metavar="VOLUME_ID", help="the volume's id")
    for argument, options in extra:
        parser.add_argument(argument, **options)
    add_wait_options(parser)
    add_output_options(parser)


def register(subparsers: Subparsers) -> None:
    """Add ``volume`` and its subcommands."""
    group = add_group(
        subparsers,
        "volume",
        summary="manage block storage volumes (list, create, delete, attach, detach, resize, snapshot)",
        example="droplets volume create data --size 100 --region nyc3\ndroplets volume attach VOLUME_ID 3164444 --wait",
    )
    parser = add_command(
        group, "list", summary="list volumes", example="droplets volume list --region nyc3 -o json", func=cmd_list
    )
    parser.add_argument("--region", metavar="SLUG", help="only this region's volumes")
    parser.add_argument("--name", metavar="NAME", help="only volumes with this name")
    add_output_options(parser)

    parser = add_command(
        group,
        "create",
        summary="create a volume",
        description="Create a volume; the name, size and label rules are checked before anything is sent.",
        example="droplets volume create data --size 100 --region nyc3 --fs-type ext4",
        func=cmd_create,
    )
    parser.add_argument("name", metavar="NAME", help="lowercase letters, digits and '-', starting with a letter")
    parser.add_argument("--size", type=int, required=True, metavar="GIB", help="size in GiB (1 to 16384)")
    parser.add_argument("--region", required=True, metavar="SLUG", help="the region, e.g. nyc3")
    parser.add_argument("--fs-type", choices=("ext4", "xfs"), help="format it with this filesystem")
    parser.add_argument("--fs-label", metavar="LABEL", help="the filesystem label (needs --fs-type)")
    parser.add_argument("--desc", metavar="TEXT", help="a description")
    parser.add_argument("--snapshot", metavar="SNAPSHOT_ID", help="create it from this volume snapshot")
    parser.add_argument("--tag", action="append", metavar="TAG", help="a tag (repeatable)")
    add_output_options(parser)

    add_delete_command(
        group,
        what="volumes by id",
        metavar="VOLUME_ID",
        example="droplets volume delete 506f78a4-e098-11e5-ad9f-000f53306ae1 --force",
        func=cmd_delete,
    )
    droplet = ("droplet", {"type": positive_id, "metavar": "DROPLET_ID", "help": "the droplet"})
    _action_command(
        group, "attach", "attach a volume to a droplet", "droplets volume attach VOLUME_ID 3164444 --wait",
        cmd_attach, [droplet],
    )  # fmt: skip
    optional_droplet = ("droplet", {**droplet[1], "nargs": "?", "help": "the droplet (default: its own)"})
    _action_command(
        group, "detach", "detach a volume from its droplet", "droplets volume detach VOLUME_ID --wait",
        cmd_detach, [optional_droplet],
    )  # fmt: skip
    size = ("size", {"type": int, "metavar": "GIB", "help": "the new, larger size in GiB"})
    _action_command(
        group, "resize", "grow a volume", "droplets volume resize VOLUME_ID 200 --wait", cmd_resize, [size]
    )  # fmt: skip
    parser = add_command(
        group,
        "snapshot",
        summary="take a snapshot of a volume",
        example='droplets volume snapshot VOLUME_ID --snapshot-name "nightly"',
        func=cmd_snapshot,
    )
    parser.add_argument("volume", metavar="VOLUME_ID", help="the volume's id")
    parser.add_argument("--snapshot-name", required=True, metavar="NAME", help="the snapshot's name")
    parser.add_argument("--tag", action="append", metavar="TAG", help="a tag (repeatable)")
    add_output_options(parser)
