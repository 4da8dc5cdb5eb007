"""``droplets destroy ID --with-associated all|selective``: a droplet with what it leaves billed.

The associated resources are listed first, with their monthly cost, and
marked ``destroy`` or ``keep``; then it asks (on a terminal; without one it
refuses unless ``--force``). ``all`` is the API's dangerous destroy: every
listed resource goes, at once and for good. ``selective`` destroys the
droplet and only the resources named by ``--volume``, ``--snapshot``,
``--volume-snapshot`` and ``--reserved-ip``.
"""

from __future__ import annotations

import argparse

from droplets import Droplet, default_client
from droplets.cli.output import WaitDisplay
from droplets.cli.parsing import CommandError, refuse_unless_forced

__all__ = ["add_teardown_options", "destroy_with_associated"]

FLAGS = {
    "volumes": "volume",
    "snapshots": "snapshot",
    "volume_snapshots": "volume_snapshot",
    "reserved_ips": "reserved_ip",
}
"""The selective destroy's keyword -> the argparse destination of its repeatable option."""


def add_teardown_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--with-associated`` and the selective options to ``destroy``."""
    group = parser.add_argument_group("with associated resources (one droplet ID)")
    group.add_argument(
        "--with-associated",
        choices=("all", "selective"),
        help="also destroy its associated resources: 'all' of them (dangerous: asks first), or 'selective': "
        "only those named below; shows them and their monthly cost first",
    )
    for dest, what in (
        ("volume", "volume id or name"),
        ("snapshot", "droplet snapshot id or name"),
        ("volume_snapshot", "volume snapshot id or name"),
        ("reserved_ip", "reserved IP address"),
    ):
        group.add_argument(f"--{dest.replace('_', '-')}", dest=dest, action="append", metavar="REF",
                           help=f"with --with-associated selective: a {what} to destroy (repeatable)")  # fmt: skip


def _selected(args: argparse.Namespace) -> dict[str, list[str]]:
    return {kind: list(getattr(args, dest) or []) for kind, dest in FLAGS.items() if getattr(args, dest)}


def destroy_with_associated(args: argparse.Namespace) -> int:
    """Show one droplet's associated resources and their cost, ask, and destroy it with them."""
    selected = _selected(args)
    if args.tag or len(args.ids) != 1:
        raise CommandError("--with-associated takes exactly one droplet ID (not --tag)")
    if args.with_associated == "all" and selected:
        raise CommandError("--with-associated all destroys every associated resource; drop --volume/--snapshot/...")
    droplet = Droplet.get(args.ids[0])
    preview = droplet.associated_resources()
    chosen = {ref for refs in selected.values() for ref in refs}
    for kind, refs in selected.items():
        known = {key for r in getattr(preview, kind) for key in (r.id, r.name)}
        unknown = [ref for ref in refs if ref not in known]
        if unknown:
            raise CommandError(
                f"droplet {droplet.id}: {kind} {', '.join(unknown)} not associated with it; nothing was destroyed"
            )
    print(f"Droplet {droplet.id} ({droplet.name}) and its associated resources:")
    print(f"  {'KIND':<17} {'ID':<38} {'NAME':<40} {'$/MONTH':>8}  ACTION")
    for kind, resource in preview.items():
        doomed = args.with_associated == "all" or resource.id in chosen or resource.name in chosen
        action = "destroy" if doomed else "keep (still billed)"
        print(f"  {kind:<17} {resource.id:<38} {resource.name:<40} {resource.cost or '?':>8}  {action}")
    if not preview:
        print("  (none)")
    print(f"  total {preview.total_cost} USD/month")
    if args.with_associated == "all":
        what = f"droplet {droplet.id} and ALL its associated resources listed above (X-Dangerous)"
    else:
        what = f"droplet {droplet.id} and the resources marked destroy"
    refuse_unless_forced(args, what, "destroy")
    with WaitDisplay("destroy", default_client(), active=args.wait):
        if args.with_associated == "all":
            droplet.destroy(associated="all", wait=args.wait, poll=args.poll, timeout=args.timeout)
        else:
            droplet.destroy(
                volumes=selected.get("volumes", []),
                snapshots=selected.get("snapshots", []),
                volume_snapshots=selected.get("volume_snapshots", []),
                reserved_ips=selected.get("reserved_ips", []),
                wait=args.wait,
                poll=args.poll,
                timeout=args.timeout,
            )
    which = "all its associated resources" if args.with_associated == "all" else "the chosen resources"
    done = " (done)" if args.wait else " (in progress: --wait follows it to the end)"
    print(f"Destroyed droplet {droplet.id} with {which}{done}.")
    return 0
