"""One subcommand per droplet action: ``power-off``, ``resize``, ``snapshot``...

Actions that the API (or the library's queryset) can run by tag take
``ID... | --tag T``; ``--tag`` costs one request for all droplets where the
API has a tag form (not for reboot and enable-private-networking).
Actions with arguments (``resize ID SIZE``...) take one droplet. With
``--wait`` every command waits for its actions (progress on a terminal) and
prints them completed; without it, prints them as the API accepted them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from droplets import Action, Droplet, default_client, wait_for
from droplets.cli.output import WaitDisplay, emit
from droplets.cli.parsing import (
    CommandError,
    add_command,
    add_output_options,
    add_target_options,
    add_wait_options,
    positive_id,
    targets,
    wait_options,
)
from droplets.cli.views import ACTION_COLUMNS

if TYPE_CHECKING:
    from droplets.cli.parsing import Subparsers

__all__ = ["BULK_ACTIONS", "register"]

# subcommand -> (method of Droplet and of its queryset, --help summary)
BULK_ACTIONS: dict[str, tuple[str, str]] = {
    "power-on": ("power_on", "power droplets on"),
    "power-off": ("power_off", "power droplets off (a hard shutdown)"),
    "power-cycle": ("power_cycle", "power droplets off and on again"),
    "shutdown": ("shutdown", "shut droplets down gracefully"),
    "reboot": ("reboot", "reboot droplets gracefully"),
    "enable-backups": ("enable_backups", "enable daily backups"),
    "disable-backups": ("disable_backups", "disable backups"),
    "enable-ipv6": ("enable_ipv6", "enable IPv6 (irreversible)"),
    "enable-private-networking": ("enable_private_networking", "enable private networking"),
}


def cmd_bulk(args: argparse.Namespace) -> int:
    """Run ``args.method`` on droplets selected by id or tag."""
    ids, tag = targets(args)
    method: str = args.method
    with WaitDisplay(method, default_client(), active=args.wait, total=len(ids) or None) as show:
        if tag:
            actions: list[Action] = getattr(Droplet.objects.filter(tag=tag), method)(**wait_options(args, show))
        else:
            actions = [getattr(Droplet.ref(i), method)() for i in ids]  # one POST each, no GET
            if args.wait:  # one request per poll round for all of them
                wait_for(actions, poll=args.poll, timeout=args.timeout, progress=show)
    emit(actions, ACTION_COLUMNS, args)
    return 0


def _single(call: Callable[[Droplet, argparse.Namespace, dict[str, Any]], Action]) -> Callable[..., int]:
    """Make the handler of a one-droplet action from how to call it."""

    def handler(args: argparse.Namespace) -> int:
        droplet = Droplet.get(args.id)
        with WaitDisplay(args.command, default_client(), active=args.wait) as show:
            action = call(droplet, args, wait_options(args, show))
        emit([action], ACTION_COLUMNS, args, single=True)
        return 0

    return handler


def _backup_of(droplet: Droplet, image_id: int) -> int:
    """Check that ``image_id`` is one of the droplet's backups, in the command's words."""
    if image_id not in droplet.backup_ids:
        backups = ", ".join(map(str, droplet.backup_ids)) or "none"
        raise CommandError(
            f"image {image_id} is not a backup of droplet {droplet.id} (its backups: {backups}); "
            f"see: droplets backups {droplet.id}"
        )
    return image_id


# subcommand -> (summary, example, [(argument, help)], call)
SINGLE_ACTIONS: dict[str, tuple[str, str, list[tuple[str, str]], Callable[..., Action]]] = {
    "resize": (
        "resize a droplet (it must be off)",
        "droplets power-off 3164444 --wait && droplets resize 3164444 s-2vcpu-4gb --wait",
        [("size", "the new size slug, e.g. s-2vcpu-4gb")],
        lambda d, a, kw: d.resize(a.size, disk=a.disk, **kw),
    ),
    "rename": (
        "rename a droplet",
        "droplets rename 3164444 web-2",
        [("name", "the new name, a valid hostname")],
        lambda d, a, kw: d.rename(a.name, **kw),
    ),
    "rebuild": (
        "rebuild a droplet from an image (its disk is replaced)",
        "droplets rebuild 3164444 ubuntu-24-04-x64 --wait",
        [("image", "image slug or id")],
        lambda d, a, kw: d.rebuild(a.image, **kw),
    ),
    "restore": (
        "restore a droplet from one of its backups",
        "droplets backups 3164444 && droplets restore 3164444 12389723 --wait",
        [("image_id", "the backup's image id")],
        lambda d, a, kw: d.restore(_backup_of(d, a.image_id), **kw),
    ),
    "change-kernel": (
        "boot a droplet with another kernel",
        "droplets kernels 3164444 && droplets change-kernel 3164444 991",
        [("kernel_id", "the kernel id (see: droplets kernels ID)")],
        lambda d, a, kw: d.change_kernel(a.kernel_id, **kw),
    ),
    "password-reset": (
        "reset a droplet's root password (the new one is emailed)",
        "droplets password-reset 3164444",
        [],
        lambda d, a, kw: d.password_reset(**kw),
    ),
    "snapshot": (
        "take a snapshot of a droplet (snapshot ID); snapshot list|delete: the account's snapshots",
        'droplets snapshot 3164444 --name "before-upgrade" --wait\n'
        "droplets snapshot list --resource-type droplet -o json\n"
        "droplets snapshot delete 6372321 --force",
        [],
        lambda d, a, kw: d.snapshot(a.name, **kw),
    ),
}

_ID_ARGUMENTS = {"image_id", "kernel_id"}


def _snapshot_target(text: str) -> int:
    """``snapshot ID``'s droplet id; a word that is not one names the two subcommands it may have meant."""
    try:
        return positive_id(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"expected a droplet id (a number) to snapshot it, got {text!r}; "
            "the account's snapshots: droplets snapshot list | droplets snapshot delete ID"
        ) from None


def register(subparsers: Subparsers) -> None:
    """Add one subcommand per action."""
    for name, (method, summary) in BULK_ACTIONS.items():
        parser = add_command(
            subparsers,
            name,
            summary=summary,
            description=f"{summary[0].upper()}{summary[1:]}, by id or by tag.",
            example=f"droplets {name} 3164444 3164445\ndroplets {name} --tag web --wait",
            func=cmd_bulk,
        )
        parser.set_defaults(method=method)
        add_target_options(parser)
        add_wait_options(parser)
        add_output_options(parser)
    for name, (summary, example, arguments, call) in SINGLE_ACTIONS.items():
        parser = add_command(
            subparsers,
            name,
            summary=summary,
            description=f"{summary[0].upper()}{summary[1:]}.",
            example=example,
            func=_single(call),
        )
        droplet_id = _snapshot_target if name == "snapshot" else positive_id
        parser.add_argument("id", type=droplet_id, metavar="ID", help="droplet id")
        for argument, text in arguments:
            kind = positive_id if argument in _ID_ARGUMENTS else str
            parser.add_argument(argument, type=kind, metavar=argument.upper(), help=text)
        if name == "resize":
            parser.add_argument("--disk", action="store_true", help="also grow the disk (permanent)")
        if name == "snapshot":
            parser.add_argument("--name", help="the snapshot's name")
            parser.description = (
                "Take a snapshot image of a droplet (power it off first for consistency).\n\n"
                "Also: droplets snapshot list [--resource-type droplet|volume] [-o json] lists the account's\n"
                "snapshots, and droplets snapshot delete ID... [--force] deletes snapshots (see their --help)."
            )
        add_wait_options(parser)
        add_output_options(parser)
