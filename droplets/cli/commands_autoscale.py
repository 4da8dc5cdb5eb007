"""``droplets autoscale list|create|get|delete|members``: Droplet autoscale pools, in doctl's shape."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from droplets import AutoscalePool
from droplets.cli.output import emit
from droplets.cli.parsing import CommandError, add_command, add_group, add_output_options, refuse_unless_forced
from droplets.cli.views import POOL_COLUMNS, POOL_MEMBER_COLUMNS
from droplets.models.autoscale_pool import DynamicConfig, StaticConfig

if TYPE_CHECKING:
    from droplets.cli.parsing import Subparsers

__all__ = ["register"]


def cmd_list(args: argparse.Namespace) -> int:
    """List the account's pools."""
    emit(list(AutoscalePool.objects.all()), POOL_COLUMNS, args)
    return 0


def cmd_get(args: argparse.Namespace) -> int:
    """Show one pool."""
    emit([AutoscalePool.objects.get(args.id)], POOL_COLUMNS, args, single=True)
    return 0


def _config(args: argparse.Namespace) -> StaticConfig | DynamicConfig:
    if (args.target is None) == (args.min is None and args.max is None):
        raise CommandError("give --target N (a fixed size) or --min A --max B (scaled on utilisation), not both")
    if args.target is not None:
        return StaticConfig(args.target)
    if args.min is None or args.max is None:
        raise CommandError("a scaled pool needs both --min and --max")
    return DynamicConfig(args.min, args.max, args.cpu_target, args.memory_target, args.cooldown)


def cmd_create(args: argparse.Namespace) -> int:
    """Create a pool from a template."""
    template: dict[str, Any] = {
        "region": args.region,
        "size": args.size,
        "image": args.image,
        "ssh_keys": args.ssh_key or [],
        "tags": args.tag or None,
        "with_droplet_agent": True if args.min is not None else None,
    }
    pool = AutoscalePool.objects.create(
        name=args.name, config=_config(args), droplet_template={k: v for k, v in template.items() if v is not None}
    )
    emit([pool], POOL_COLUMNS, args, single=True)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete pools (with --with-droplets, their droplets too), after confirmation."""
    pools = [AutoscalePool.objects.get(ident) for ident in args.ids]
    what = ", ".join(f"autoscale pool {p.name} ({p.id})" for p in pools)
    if args.with_droplets:
        what += f" and its {sum(p.active_resources_count for p in pools)} active droplet(s)"
    refuse_unless_forced(args, what)
    for pool in pools:
        pool.destroy(with_droplets=args.with_droplets)
        print(f"Deleted autoscale pool {pool.id}{' and its droplets' if args.with_droplets else ''}.")
    return 0


def cmd_members(args: argparse.Namespace) -> int:
    """List a pool's droplets."""
    members = AutoscalePool.objects.get(args.id).members()
    emit(members, POOL_MEMBER_COLUMNS, args)
    return 0


def register(subparsers: Subparsers) -> None:
    """Add ``autoscale`` and its subcommands."""
    group = add_group(
        subparsers,
        "autoscale",
        summary="manage Droplet autoscale pools (list, create, get, delete, members)",
        example=(
            "droplets autoscale list\n"
            "droplets autoscale create web --region nyc3 --size s-1vcpu-1gb --image ubuntu-24-04-x64 --target 3"
        ),
    )
    parser = add_command(group, "list", summary="list pools", example="droplets autoscale list -o json", func=cmd_list)
    add_output_options(parser)

    parser = add_command(
        group,
        "create",
        summary="create a pool",
        description="Create a pool of droplets from one template: a fixed size (--target) or scaled (--min, --max).",
        example=(
            "droplets autoscale create web --region nyc3 --size s-1vcpu-1gb --image ubuntu-24-04-x64 --target 3\n"
            "droplets autoscale create api --region nyc3 --size s-1vcpu-1gb --image ubuntu-24-04-x64 "
            "--min 2 --max 10 --cpu-target 0.6"
        ),
        func=cmd_create,
    )
    parser.add_argument("name", help="the pool's name (it cannot change later)")
    parser.add_argument("--region", required=True, help="region slug, e.g. nyc3")
    parser.add_argument("--size", required=True, help="size slug, e.g. s-1vcpu-1gb")
    parser.add_argument("--image", required=True, help="image slug or id")
    parser.add_argument("--ssh-key", action="append", metavar="ID_OR_FINGERPRINT", help="an SSH key (repeatable)")
    parser.add_argument("--tag", action="append", metavar="TAG", help="a tag for every droplet (repeatable)")
    parser.add_argument("--target", type=int, metavar="N", help="a fixed number of droplets (1-1000)")
    parser.add_argument("--min", type=int, metavar="N", help="the fewest droplets (1-500)")
    parser.add_argument("--max", type=int, metavar="N", help="the most droplets (1-1000)")
    parser.add_argument("--cpu-target", type=float, metavar="FRACTION", help="target CPU, 0.05-1 (0.6 is 60%%)")
    parser.add_argument("--memory-target", type=float, metavar="FRACTION", help="target memory, 0.05-1")
    parser.add_argument("--cooldown", type=int, metavar="MINUTES", help="minutes between scaling events (5-20)")
    add_output_options(parser)

    parser = add_command(group, "get", summary="show a pool", example="droplets autoscale get UUID", func=cmd_get)
    parser.add_argument("id", metavar="ID", help="the pool's id")
    add_output_options(parser)

    parser = add_command(
        group,
        "delete",
        summary="delete pools",
        description="Delete pools; with --with-droplets also destroy their droplets (the API's dangerous delete).",
        example="droplets autoscale delete UUID --force\ndroplets autoscale delete UUID --with-droplets --force",
        func=cmd_delete,
    )
    parser.add_argument("ids", nargs="+", metavar="ID", help="pool id(s)")
    parser.add_argument("--with-droplets", action="store_true", help="also destroy every droplet of the pool")
    parser.add_argument("-f", "--force", action="store_true", help="do not ask for confirmation")

    parser = add_command(
        group, "members", summary="list a pool's droplets", example="droplets autoscale members UUID", func=cmd_members
    )
    parser.add_argument("id", metavar="ID", help="the pool's id")
    add_output_options(parser)
