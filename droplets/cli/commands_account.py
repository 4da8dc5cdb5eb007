"""``droplets account``: the account of the token (limits, email, status, team)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from droplets import Account
from droplets.cli.output import emit
from droplets.cli.parsing import add_command, add_output_options
from droplets.cli.views import ACCOUNT_COLUMNS

if TYPE_CHECKING:
    from droplets.cli.parsing import Subparsers

__all__ = ["register"]


def cmd_account(args: argparse.Namespace) -> int:
    """Show the account."""
    emit([Account.get()], ACCOUNT_COLUMNS, args, single=True)
    return 0


def register(subparsers: Subparsers) -> None:
    """Add ``account``."""
    parser = add_command(
        subparsers,
        "account",
        summary="show the account of the token (limits, email, status, team)",
        example="droplets account\ndroplets account -o json",
        func=cmd_account,
    )
    add_output_options(parser)
