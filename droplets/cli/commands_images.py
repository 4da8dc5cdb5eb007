"""``droplets image update|delete|transfer``: the account's own images, in doctl's shape."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from droplets import Image, default_client
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
from droplets.cli.views import ACTION_COLUMNS, IMAGE_COLUMNS

if TYPE_CHECKING:
    from droplets.cli.parsing import Subparsers

__all__ = ["register"]


def cmd_update(args: argparse.Namespace) -> int:
    """Rename an image (or change a custom image's description or distribution)."""
    image = Image.objects.update(args.id, name=args.name, description=args.description, distribution=args.distribution)
    emit([image], IMAGE_COLUMNS, args, single=True)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete snapshots or custom images after confirmation."""
    images = [Image.objects.get(ref) for ref in args.refs]
    return delete_confirmed(args, images, lambda image: f"image {image.id} ({image.name})")


def cmd_transfer(args: argparse.Namespace) -> int:
    """Copy an image to another region."""
    with WaitDisplay("transfer", default_client(), active=args.wait) as show:
        action = Image.objects.transfer(args.id, args.region, wait=args.wait, timeout=args.timeout, progress=show)
    emit([action], ACTION_COLUMNS, args, single=True)
    return 0


def register(subparsers: Subparsers) -> None:
    """Add ``image`` and its subcommands."""
    group = add_group(
        subparsers,
        "image",
        summary="manage the account's images (update, delete, transfer)",
        example="droplets image transfer 7938391 --region ams3 --wait",
    )
    parser = add_command(
        group,
        "update",
        summary="rename an image",
        example='droplets image update 7938391 --name "golden-2026-11"',
        func=cmd_update,
    )
    parser.add_argument("id", type=positive_id, metavar="ID", help="image id")
    parser.add_argument("--name", help="the new name")
    parser.add_argument("--description", help="the new description (custom images)")
    parser.add_argument("--distribution", help="the new distribution, e.g. Ubuntu (custom images)")
    add_output_options(parser)

    add_delete_command(
        group,
        what="snapshots or custom images",
        metavar="ID",
        example="droplets image delete 7938391 --force",
        func=cmd_delete,
    )

    parser = add_command(
        group,
        "transfer",
        summary="copy an image to another region",
        example="droplets image transfer 7938391 --region ams3 --wait",
        func=cmd_transfer,
    )
    parser.add_argument("id", type=positive_id, metavar="ID", help="image id")
    parser.add_argument("--region", required=True, help="the region to copy to, e.g. ams3")
    add_wait_options(parser)
    add_output_options(parser)
