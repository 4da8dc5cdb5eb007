"""Shared argparse pieces: subcommands with examples, and the common options.

Every subcommand is made by `add_command()`, so each one has a
description, an ``Example:`` epilog and a handler (``args.func``). The
option groups (``-o``, ``--wait``, ``ID... | --tag``) are defined once here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import TypeAlias

    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

__all__ = [
    "CommandError",
    "Handler",
    "add_command",
    "add_delete_command",
    "add_group",
    "add_output_options",
    "add_target_options",
    "add_timeout_option",
    "add_wait_options",
    "confirm",
    "delete_confirmed",
    "positive_id",
    "refuse_unless_forced",
    "targets",
    "wait_options",
]

Handler = Callable[[argparse.Namespace], int]


class CommandError(Exception):
    """A failure of the command itself (refused, aborted, unreadable file): one line, exit 1."""


def add_command(
    subparsers: Subparsers,
    name: str,
    *,
    summary: str,
    example: str,
    func: Handler,
    description: str = "",
    parents: Sequence[argparse.ArgumentParser] = (),
) -> argparse.ArgumentParser:
    """Add a subcommand whose ``--help`` ends with an example.

    Args:
        subparsers: The parent's subparsers.
        name: The subcommand, e.g. ``"power-off"``.
        summary: One line for the parent's command list.
        example: Example command lines (one per line, without indentation).
        func: The handler, called with the parsed arguments; returns the exit status.
        description: Longer text for ``--help`` (defaults to ``summary``).
        parents: Parsers whose options to copy; they bring their own ``-h``.

    Returns:
        The subcommand's parser, to add arguments to.
    """
    lines = "\n".join(f"  {line}" for line in example.strip().splitlines())
    parser = subparsers.add_parser(
        name,
        help=summary,
        description=description or summary,
        epilog=f"Example:\n{lines}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=list(parents),
        add_help=not parents,
    )
    parser.set_defaults(func=func)
    return parser


def add_group(subparsers: Subparsers, name: str, *, summary: str, example: str, description: str = "") -> Subparsers:
    """Add a command with subcommands of its own (``droplets ssh-key list``), doctl's shape.

    Args:
        subparsers: The parent's subparsers.
        name: The resource, e.g. ``"ssh-key"``.
        summary: One line for the parent's command list.
        example: Example command lines (one per line, without indentation).
        description: Longer text for ``--help`` (defaults to ``summary``).

    Returns:
        The group's subparsers, for `add_command()`.
    """
    lines = "\n".join(f"  {line}" for line in example.strip().splitlines())
    group = subparsers.add_parser(
        name,
        help=summary,
        description=description or summary,
        epilog=f"Example:\n{lines}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return group.add_subparsers(dest=f"{name}_command", metavar="COMMAND", required=True)


def add_delete_command(
    group: Subparsers, *, what: str, metavar: str, example: str, func: Handler
) -> argparse.ArgumentParser:
    """Add a resource's ``delete REF... [--force]`` (the references land in ``args.refs``).

    Args:
        group: The resource's subparsers (see `add_group()`).
        what: What is deleted, e.g. ``"SSH keys by id or fingerprint"``.
        metavar: How one reference is shown, e.g. ``"KEY"``.
        example: Example command line.
        func: The handler; it should call `refuse_unless_forced()` before deleting.
    """
    parser = add_command(
        group,
        "delete",
        summary=f"delete {what}",
        description=f"Delete {what}. Asks on a terminal; without one it refuses unless --force is given.",
        example=example,
        func=func,
    )
    parser.add_argument("refs", nargs="+", metavar=metavar, help="what to delete (one or more)")
    parser.add_argument("-f", "--force", action="store_true", help="delete without asking")
    return parser


def refuse_unless_forced(args: argparse.Namespace, what: str, verb: str = "delete") -> None:
    """Ask before ``verb``-ing ``what`` on a terminal; refuse without one unless ``--force`` was given.

    Raises:
        CommandError: Not confirmed.
    """
    if args.force:
        return
    if not sys.stdin.isatty():
        raise CommandError(f"refusing to {verb} {what} without --force (stdin is not a terminal to confirm on)")
    if not confirm(f"{verb.capitalize()} {what}? This cannot be undone."):
        raise CommandError(f"aborted; nothing was {verb}{'d' if verb.endswith('e') else 'ed'}")


def delete_confirmed(args: argparse.Namespace, objects: Sequence[Any], describe: Callable[[Any], str]) -> int:
    """Delete loaded models after `refuse_unless_forced()`, printing ``Deleted <describe(obj)>.`` for each.

    Args:
        args: Parsed arguments with ``force``.
        objects: Models with ``destroy()``.
        describe: How one is named in the question and the report, e.g. ``"SSH key 512189"``.

    Returns:
        The exit status (0).
    """
    refuse_unless_forced(args, ", ".join(describe(obj) for obj in objects))
    for obj in objects:
        obj.destroy()
        print(f"Deleted {describe(obj)}.")
    return 0


def positive_id(text: str) -> int:
    """Parse an id argument (a positive integer) for argparse.

    Raises:
        argparse.ArgumentTypeError: ``text`` is not a positive integer.
    """
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer id, got {text!r}")
    return int(text)


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """Add ``-o/--output {table,json}`` and ``--no-header``."""
    parser.add_argument(
        "-o",
        "--output",
        choices=("table", "json"),
        default="table",
        help="table (default) or json (the API's JSON, for scripts)",
    )
    parser.add_argument("--no-header", action="store_true", help="leave out the table's header row")


def add_wait_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--wait``, ``--poll`` and ``--timeout``."""
    parser.add_argument("--wait", action="store_true", help="wait until the action(s) complete")
    add_timeout_option(parser)


def add_timeout_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--poll`` and ``--timeout`` (of ``--wait``)."""
    parser.add_argument(
        "--poll", type=float, default=5.0, metavar="SECONDS", help="with --wait: seconds between polls, at least 1 (5)"
    )
    parser.add_argument(
        "--timeout", type=float, default=300.0, metavar="SECONDS", help="give up waiting after this long (300)"
    )


def wait_options(args: argparse.Namespace, progress: Any) -> dict[str, Any]:
    """The ``wait``, ``poll``, ``timeout`` and ``progress`` keywords of a verb, from ``--wait`` and friends."""
    if not args.wait:
        return {}
    return {"wait": True, "poll": args.poll, "timeout": args.timeout, "progress": progress}


def add_target_options(parser: argparse.ArgumentParser) -> None:
    """Add the droplet selection ``ID... | --tag T`` (checked by `targets()`)."""
    parser.add_argument("ids", nargs="*", type=positive_id, metavar="ID", help="droplet id(s)")
    parser.add_argument(
        "--tag",
        metavar="TAG",
        help="every droplet with this tag (one request where the API has a tag form, else one per droplet)",
    )


def targets(args: argparse.Namespace) -> tuple[list[int], str | None]:
    """Return the ids or the tag the user selected.

    Raises:
        CommandError: Both or neither were given.
    """
    ids: list[int] = args.ids
    if bool(ids) == bool(args.tag):
        raise CommandError("give droplet ID(s) or --tag TAG (one of the two)")
    return ids, args.tag


def confirm(question: str) -> bool:
    """Ask a yes/no question on the terminal (stderr); only ``y``/``yes`` is yes.

    Args:
        question: The question, without the ``[y/N]`` suffix.

    Returns:
        Whether the user answered yes.
    """
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")
