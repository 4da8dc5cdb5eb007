"""``droplets sandbox serve`` and ``droplets demo``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from droplets.cli.parsing import add_command

if TYPE_CHECKING:
    from droplets.cli.parsing import Subparsers

__all__ = ["register"]


def cmd_sandbox_serve(args: argparse.Namespace) -> int:
    """Serve the sandbox over HTTP: hand the options to ``python -m droplets.sandbox``."""
    from droplets.sandbox import __main__ as sandbox_cli

    argv: list[str] = args.argv
    return sandbox_cli.main(argv[argv.index("serve") + 1 :])


def cmd_demo(args: argparse.Namespace) -> int:
    """Run the guided tour on an in-process sandbox."""
    from droplets.demo import main as demo_main

    return demo_main([])


def register(subparsers: Subparsers) -> None:
    """Add ``sandbox serve`` and ``demo``."""
    from droplets.sandbox.__main__ import build_parser

    sandbox = subparsers.add_parser(
        "sandbox",
        help="serve a simulated DigitalOcean API (sandbox serve)",
        description="The simulated DigitalOcean account.",
        epilog="Example:\n  droplets sandbox serve --port 8080",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = sandbox.add_subparsers(dest="sandbox_command", metavar="COMMAND", required=True)
    add_command(
        actions,
        "serve",
        summary="serve the sandbox over HTTP on loopback until Ctrl-C",
        description=(
            "Serve a simulated DigitalOcean API (Droplets) on loopback, for any client:\n"
            "this command, doctl, pydo, python-digitalocean, curl. Any bearer token works."
        ),
        example=(
            "droplets sandbox serve --port 8080 --seed-droplets 5\n"
            "DIGITALOCEAN_API_URL=http://127.0.0.1:8080 DIGITALOCEAN_TOKEN=any droplets list"
        ),
        func=cmd_sandbox_serve,
        parents=[build_parser()],
    )

    add_command(
        subparsers,
        "demo",
        summary="a guided tour on a simulated account (no token, no network)",
        description=(
            "Create, list, power off, resize, snapshot and destroy droplets on an in-process\n"
            "sandbox, printing what each step did. Needs no token and no network."
        ),
        example="droplets demo",
        func=cmd_demo,
    )
