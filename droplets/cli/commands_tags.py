"""``droplets tag list|create|delete|add|remove``: tags and what carries them, in doctl's shape."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from droplets import Tag
from droplets.cli.output import emit
from droplets.cli.parsing import (
    CommandError,
    add_command,
    add_delete_command,
    add_group,
    add_output_options,
    delete_confirmed,
    positive_id,
)
from droplets.cli.views import TAG_COLUMNS

if TYPE_CHECKING:
    from droplets.cli.parsing import Subparsers

__all__ = ["register"]


class _Ref:
    """A resource named on the command line by type and id (no need to load it to tag it)."""

    def __init__(self, kind: str, ident: object) -> None:
        self.kind, self.ident = kind, str(ident)

    def _tag_resource(self) -> tuple[str, str]:
        return self.kind, self.ident


def _refs(args: argparse.Namespace) -> list[_Ref]:
    refs = [_Ref("droplet", i) for i in args.droplet or []]
    refs += [_Ref("image", i) for i in args.image or []]
    refs += [_Ref("volume", v) for v in args.volume or []]
    if not refs:
        raise CommandError("name what to tag: --droplet ID, --image ID or --volume ID (repeatable)")
    return refs


def cmd_list(args: argparse.Namespace) -> int:
    """List tags with their resource counts."""
    emit(list(Tag.objects.all()), TAG_COLUMNS, args)
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    """Create a tag."""
    emit([Tag.objects.create(name=args.name)], TAG_COLUMNS, args, single=True)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete tags (their resources are untagged), after confirmation."""
    tags = [Tag.objects.get(name) for name in args.refs]
    return delete_confirmed(args, tags, lambda tag: f"tag {tag.name!r} (on {tag.resources.count} resources)")


def cmd_add(args: argparse.Namespace) -> int:
    """Tag resources (one request)."""
    refs = _refs(args)
    Tag.objects.get(args.name).add(*refs)
    print(f"Tagged {len(refs)} resource(s) with {args.name!r}.")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    """Untag resources (one request)."""
    refs = _refs(args)
    Tag.objects.get(args.name).remove(*refs)
    print(f"Untagged {len(refs)} resource(s) from {args.name!r}.")
    return 0


def _add_targets(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the tag")
    parser.add_argument("--droplet", action="append", type=positive_id, metavar="ID", help="droplet id (repeatable)")
    parser.add_argument("--image", action="append", type=positive_id, metavar="ID", help="image id (repeatable)")
    parser.add_argument("--volume", action="append", metavar="ID", help="volume id (repeatable)")


def register(subparsers: Subparsers) -> None:
    """Add ``tag`` and its subcommands."""
    group = add_group(
        subparsers,
        "tag",
        summary="manage tags (list, create, delete, add, remove)",
        example="droplets tag create web\ndroplets tag add web --droplet 3164444",
    )
    parser = add_command(group, "list", summary="list tags", example="droplets tag list -o json", func=cmd_list)
    add_output_options(parser)

    parser = add_command(group, "create", summary="create a tag", example="droplets tag create web", func=cmd_create)
    parser.add_argument("name", metavar="NAME", help="letters, digits, ':', '-', '_' (at most 255)")
    add_output_options(parser)

    add_delete_command(
        group,
        what="tags (untags every resource)",
        metavar="NAME",
        example="droplets tag delete staging --force",
        func=cmd_delete,
    )

    parser = add_command(
        group, "add", summary="tag resources", example="droplets tag add web --droplet 3164444", func=cmd_add
    )
    _add_targets(parser)
    parser = add_command(
        group, "remove", summary="untag resources", example="droplets tag remove web --droplet 3164444", func=cmd_remove
    )
    _add_targets(parser)
