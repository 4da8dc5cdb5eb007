"""``droplets ssh-key list|create|delete``: the account's SSH keys, in doctl's shape."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from droplets import SSHKey
from droplets.cli.output import emit
from droplets.cli.parsing import (
    CommandError,
    add_command,
    add_delete_command,
    add_group,
    add_output_options,
    delete_confirmed,
)
from droplets.cli.views import SSH_KEY_COLUMNS

if TYPE_CHECKING:
    from droplets.cli.parsing import Subparsers

__all__ = ["register"]


def cmd_list(args: argparse.Namespace) -> int:
    """List the account's SSH keys."""
    emit(list(SSHKey.objects.all()), SSH_KEY_COLUMNS, args)
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    """Upload a public key (from --public-key or --public-key-file)."""
    if bool(args.public_key) == bool(args.public_key_file):
        raise CommandError("give the key with --public-key TEXT or --public-key-file PATH (one of the two)")
    text = args.public_key or Path(args.public_key_file).read_text(encoding="utf-8")
    emit([SSHKey.objects.create(name=args.name, public_key=text)], SSH_KEY_COLUMNS, args, single=True)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete keys by id or fingerprint, after confirmation."""
    keys = [SSHKey.objects.get(ref) for ref in args.refs]
    return delete_confirmed(args, keys, lambda key: f"SSH key {key.id} ({key.name})")


def register(subparsers: Subparsers) -> None:
    """Add ``ssh-key`` and its subcommands."""
    group = add_group(
        subparsers,
        "ssh-key",
        summary="manage the account's SSH keys (list, create, delete)",
        example="droplets ssh-key list\ndroplets ssh-key create laptop --public-key-file ~/.ssh/id_ed25519.pub",
    )
    parser = add_command(group, "list", summary="list SSH keys", example="droplets ssh-key list -o json", func=cmd_list)
    add_output_options(parser)

    parser = add_command(
        group,
        "create",
        summary="upload a public key",
        description="Upload a public key; its format is checked before anything is sent.",
        example="droplets ssh-key create laptop --public-key-file ~/.ssh/id_ed25519.pub",
        func=cmd_create,
    )
    parser.add_argument("name", metavar="NAME", help="a display name")
    parser.add_argument("--public-key", metavar="TEXT", help="the key, one line: 'ssh-ed25519 AAAA... comment'")
    parser.add_argument("--public-key-file", metavar="PATH", help="a .pub file")
    add_output_options(parser)

    add_delete_command(
        group,
        what="SSH keys by id or fingerprint",
        metavar="KEY",
        example="droplets ssh-key delete 512189 --force",
        func=cmd_delete,
    )
