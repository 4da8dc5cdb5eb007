"""Read-only listings: a droplet's actions, kernels, snapshots, backups and
neighbors, and the account's regions, sizes, images and SSH keys."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from droplets import Droplet, Image, Region, Size, SSHKey
from droplets.cli.output import Column, emit, format_table, print_json, rows_of
from droplets.cli.parsing import add_command, add_output_options, positive_id
from droplets.cli.views import (
    ACTION_COLUMNS,
    DROPLET_COLUMNS,
    IMAGE_COLUMNS,
    KERNEL_COLUMNS,
    REGION_COLUMNS,
    SIZE_COLUMNS,
    SSH_KEY_COLUMNS,
)

if TYPE_CHECKING:
    from droplets.cli.parsing import Subparsers

__all__ = ["register"]

# subcommand -> (Droplet method, columns, summary)
_PER_DROPLET: dict[str, tuple[Callable[[Droplet], Sequence[Any]], list[Column], str]] = {
    "actions": (Droplet.actions, ACTION_COLUMNS, "list the actions run on a droplet"),
    "kernels": (Droplet.kernels, KERNEL_COLUMNS, "list the kernels a droplet can boot"),
    "snapshots": (Droplet.snapshots, IMAGE_COLUMNS, "list a droplet's snapshots"),
    "backups": (Droplet.backups, IMAGE_COLUMNS, "list a droplet's backups"),
}


def cmd_per_droplet(args: argparse.Namespace) -> int:
    """List something of one droplet (``args.command`` names what)."""
    read, columns, _ = _PER_DROPLET[args.command]
    emit(read(Droplet.get(args.id)), columns, args)
    return 0


def cmd_neighbors(args: argparse.Namespace) -> int:
    """List a droplet's neighbors, or every group of neighbors in the account."""
    if args.id is not None:
        emit(Droplet.get(args.id).neighbors(), DROPLET_COLUMNS, args)
        return 0
    groups = Droplet.objects.neighbors()
    if args.output == "json":
        print_json([[droplet.to_dict() for droplet in group] for group in groups])
        return 0
    rows = [[str(number), *row] for number, group in enumerate(groups, 1) for row in rows_of(group, DROPLET_COLUMNS)]
    headers = ["Group", *(title for title, _ in DROPLET_COLUMNS)]
    sys.stdout.write(format_table(headers, rows, header=not args.no_header))
    return 0


def cmd_catalog(args: argparse.Namespace) -> int:
    """List regions, sizes, images or SSH keys (``args.command`` names which)."""
    if args.command == "regions":
        emit(list(Region.objects.all()), REGION_COLUMNS, args)
    elif args.command == "sizes":
        emit(list(Size.objects.all()), SIZE_COLUMNS, args)
    elif args.command == "ssh-keys":
        emit(list(SSHKey.objects.all()), SSH_KEY_COLUMNS, args)
    else:
        lookups: dict[str, Any] = {}
        if args.type:
            lookups["type"] = args.type
        if args.private:
            lookups["private"] = True
        emit(list(Image.objects.filter(**lookups)), IMAGE_COLUMNS, args)
    return 0


def register(subparsers: Subparsers) -> None:
    """Add the listing subcommands."""
    for name, (_, _, summary) in _PER_DROPLET.items():
        parser = add_command(
            subparsers, name, summary=summary, example=f"droplets {name} 3164444 -o json", func=cmd_per_droplet
        )
        parser.add_argument("id", type=positive_id, metavar="ID", help="droplet id")
        add_output_options(parser)

    parser = add_command(
        subparsers,
        "neighbors",
        summary="list droplets sharing a physical server",
        description=(
            "With ID: the droplets on the same physical server as that droplet.\n"
            "Without: every group of droplets in the account that share a server."
        ),
        example="droplets neighbors 3164444\ndroplets neighbors",
        func=cmd_neighbors,
    )
    parser.add_argument("id", nargs="?", type=positive_id, metavar="ID", help="droplet id")
    add_output_options(parser)

    catalog = {
        "regions": ("list regions", "droplets regions"),
        "sizes": ("list droplet sizes (plans) and prices", "droplets sizes -o json"),
        "images": ("list images", "droplets images --type distribution"),
        "ssh-keys": ("list the account's SSH keys", "droplets ssh-keys"),
    }
    for name, (summary, example) in catalog.items():
        parser = add_command(subparsers, name, summary=summary, example=example, func=cmd_catalog)
        if name == "images":
            parser.add_argument("--type", choices=("distribution", "application"), help="only images of this type")
            parser.add_argument("--private", action="store_true", help="only the account's own images")
        add_output_options(parser)
