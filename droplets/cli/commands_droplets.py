"""``droplets list``, ``show``, ``create`` and ``destroy``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from droplets import Droplet, default_client
from droplets.cli.output import WaitDisplay, emit
from droplets.cli.parsing import (
    CommandError,
    add_command,
    add_output_options,
    add_target_options,
    add_timeout_option,
    positive_id,
    refuse_unless_forced,
    targets,
)
from droplets.cli.teardown import FLAGS, add_teardown_options, destroy_with_associated
from droplets.cli.views import DROPLET_COLUMNS

if TYPE_CHECKING:
    from droplets.cli.parsing import Subparsers

__all__ = ["register"]


def cmd_list(args: argparse.Namespace) -> int:
    """List droplets, filtered by tag (server side), status and region."""
    lookups: dict[str, Any] = {}
    for option, lookup in (("tag", "tag"), ("status", "status"), ("region", "region")):
        if getattr(args, option) is not None:  # an empty --tag '' is refused, never "no filter"
            lookups[lookup] = getattr(args, option)
    emit(list(Droplet.objects.filter(**lookups)), DROPLET_COLUMNS, args)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Show one droplet."""
    emit([Droplet.get(args.id)], DROPLET_COLUMNS, args, single=True)
    return 0


def _ssh_key(text: str) -> int | str:
    """An ``--ssh-key`` value: an id (digits) or a fingerprint."""
    return int(text) if text.isdigit() else text


def cmd_create(args: argparse.Namespace) -> int:
    """Create one or more droplets."""
    options: dict[str, Any] = {
        "region": args.region,
        "size": args.size,
        "image": args.image,
        "backups": args.enable_backups,
        "ipv6": args.enable_ipv6,
        "monitoring": args.enable_monitoring,
    }
    if args.ssh_key:
        options["ssh_keys"] = [_ssh_key(key) for key in args.ssh_key]
    if args.tag:
        options["tags"] = args.tag
    if args.vpc_uuid:
        options["vpc_uuid"] = args.vpc_uuid
    if args.user_data_file:
        try:
            with open(args.user_data_file, encoding="utf-8") as file:
                options["user_data"] = file.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read --user-data-file {args.user_data_file!r}: {error}") from error
    created = Droplet.objects.create_many(args.names, **options)
    if args.wait:
        with WaitDisplay("create", default_client()) as show:
            Droplet.objects.wait_ready(
                created, ssh=args.wait == "ssh", port=args.ssh_port, poll=args.poll, timeout=args.timeout, progress=show
            )
    emit(created, DROPLET_COLUMNS, args)
    return 0


def cmd_destroy(args: argparse.Namespace) -> int:
    """Destroy droplets by id or by tag, after confirmation (one droplet with its associated resources)."""
    if args.with_associated or any(getattr(args, dest) for dest in FLAGS.values()):
        if not args.with_associated:
            raise CommandError("--volume/--snapshot/--volume-snapshot/--reserved-ip need --with-associated selective")
        return destroy_with_associated(args)
    ids, tag = targets(args)
    what = f"every droplet tagged {tag!r}" if tag else f"droplet(s) {', '.join(map(str, ids))}"
    refuse_unless_forced(args, what, "destroy")
    with WaitDisplay("destroy", default_client(), active=args.wait) as show:
        if tag:
            Droplet.objects.filter(tag=tag).destroy(wait=args.wait, poll=args.poll, timeout=args.timeout, progress=show)
            print(f"Destroyed every droplet tagged {tag!r}{' (gone)' if args.wait else ''}.")
            return 0
        doomed = []
        for droplet_id in ids:
            droplet = Droplet.get(droplet_id)
            droplet.destroy()
            doomed.append(droplet)
            print(f"Destroyed droplet {droplet_id}.")
        if args.wait:
            Droplet.objects.wait_gone(doomed, poll=args.poll, timeout=args.timeout, progress=show)
    return 0


def register(subparsers: Subparsers) -> None:
    """Add ``list``, ``show``, ``create`` and ``destroy`` to the command."""
    parser = add_command(
        subparsers,
        "list",
        summary="list droplets",
        description="List droplets. --tag filters on the server; --status and --region on the client.",
        example="droplets list\ndroplets list --tag web --status active -o json",
        func=cmd_list,
    )
    parser.add_argument("--tag", help="only droplets with this tag")
    parser.add_argument("--status", choices=("new", "active", "off", "archive"), help="only droplets in this status")
    parser.add_argument("--region", help="only droplets in this region (slug, e.g. nyc3)")
    add_output_options(parser)

    parser = add_command(
        subparsers, "show", summary="show one droplet", example="droplets show 3164444 -o json", func=cmd_show
    )
    parser.add_argument("id", type=positive_id, metavar="ID", help="droplet id")
    add_output_options(parser)

    parser = add_command(
        subparsers,
        "create",
        summary="create droplets",
        description=(
            "Create one droplet per NAME (at most 10 per request), optionally waiting until usable:\n"
            "--wait (or --wait active): active with a public IPv4; --wait ssh: also its SSH port open."
        ),
        example=(
            "droplets create web-1 web-2 --region nyc3 --size s-1vcpu-1gb --image ubuntu-24-04-x64 \\\n"
            "    --ssh-key 289794 --tag web --wait ssh"
        ),
        func=cmd_create,
    )
    parser.add_argument("names", nargs="+", metavar="NAME", help="droplet name(s), valid hostnames")
    parser.add_argument("--region", required=True, help="region slug, e.g. nyc3 (see: droplets regions)")
    parser.add_argument("--size", required=True, help="size slug, e.g. s-1vcpu-1gb (see: droplets sizes)")
    parser.add_argument("--image", required=True, help="image slug or id, e.g. ubuntu-24-04-x64 (see: droplets images)")
    parser.add_argument(
        "--ssh-key", action="append", metavar="KEY", help="SSH key id or fingerprint to embed (repeatable)"
    )
    parser.add_argument("--tag", action="append", metavar="TAG", help="tag to apply (repeatable)")
    parser.add_argument("--user-data-file", metavar="FILE", help="file of user data (cloud-init), at most 64 KiB")
    parser.add_argument("--vpc-uuid", metavar="UUID", help="VPC to place the droplet(s) in")
    parser.add_argument("--enable-backups", action="store_true", help="enable automated backups")
    parser.add_argument("--enable-ipv6", action="store_true", help="enable IPv6")
    parser.add_argument("--enable-monitoring", action="store_true", help="install the monitoring agent")
    parser.add_argument(
        "--wait",
        nargs="?",
        const="active",
        choices=("active", "ssh"),
        help="wait until usable: 'active' (the default) = active with a public IPv4; 'ssh' = also its SSH port open",
    )
    parser.add_argument("--ssh-port", type=int, default=22, metavar="PORT", help="the port --wait ssh checks (22)")
    add_timeout_option(parser)
    add_output_options(parser)

    parser = add_command(
        subparsers,
        "destroy",
        summary="destroy droplets",
        description=(
            "Destroy droplets by id, or every droplet with a tag (one request). Asks for confirmation\n"
            "on a terminal; without a terminal (scripts, CI) it refuses unless --force is given."
        ),
        example=(
            "droplets destroy 3164444 3164445\ndroplets destroy --tag staging --force --wait\n"
            "droplets destroy 3164444 --with-associated selective --volume data --reserved-ip 45.55.96.47 --wait"
        ),
        func=cmd_destroy,
    )
    add_target_options(parser)
    parser.add_argument("-f", "--force", action="store_true", help="destroy without asking")
    parser.add_argument("--wait", action="store_true", help="wait until the API no longer shows them")
    add_timeout_option(parser)
    add_teardown_options(parser)
