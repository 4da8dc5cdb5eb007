"""The ``droplets`` command: DigitalOcean droplets from the shell, in doctl's conventions.

It uses the library's default client, so the token comes from
``DIGITALOCEAN_TOKEN`` (or ``DIGITALOCEAN_ACCESS_TOKEN``) and the base URL
from ``DIGITALOCEAN_API_URL``, exactly as for ``Droplet.objects``; the
global options ``-t/--access-token`` and ``-u/--api-url`` (doctl's names,
accepted anywhere on the line) override them for one run.

Exit status: 0 on success, 1 on a failure (one line on stderr: DigitalOcean's
status, error id, message and request id for API errors), 2 on a usage
error, 130 on Ctrl-C. The token never appears in any output.

Modules: `parsing` (shared options),
`output` (tables, JSON, progress),
`views` (columns) and one ``commands_*`` module per group
of subcommands.

Example:
    >>> from droplets.cli import main
    >>> main(["regions", "-o", "json"])   # doctest: +SKIP
    0
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from droplets._version import __version__
from droplets.cli import (
    commands_account,
    commands_actions,
    commands_autoscale,
    commands_droplets,
    commands_firewalls,
    commands_images,
    commands_info,
    commands_metrics,
    commands_reserved_ips,
    commands_snapshots,
    commands_ssh_keys,
    commands_tags,
    commands_tools,
    commands_volumes,
    commands_vpcs,
)
from droplets.cli.parsing import CommandError
from droplets.cli.wording import cli_text
from droplets.client import TOKEN_VARIABLES, Client, ConfigurationError, using
from droplets.errors import APIError, DropletsError

__all__ = ["build_parser", "main"]

_EPILOG = """\
Examples:
  droplets demo                                   a guided tour on a simulated account
  droplets list --tag web
  droplets create web-1 --region nyc3 --size s-1vcpu-1gb --image ubuntu-24-04-x64 --wait
  droplets power-off --tag web --wait
  droplets destroy --tag web --force

Environment (-t/--access-token and -u/--api-url override them):
  DIGITALOCEAN_TOKEN     API token (or DIGITALOCEAN_ACCESS_TOKEN, doctl's name)
  DIGITALOCEAN_API_URL   base URL, e.g. http://127.0.0.1:8080 for `droplets sandbox serve`

Run `droplets COMMAND --help` for a command's options and an example."""


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the ``droplets`` command and all its subcommands."""
    parser = _DropletsParser(
        prog="droplets",
        description="Manage DigitalOcean droplets.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"droplets {__version__}")
    _add_global_options(parser)
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", title="commands", parser_class=argparse.ArgumentParser
    )
    commands_droplets.register(subparsers)
    commands_actions.register(subparsers)
    commands_info.register(subparsers)
    commands_metrics.register(subparsers)
    commands_autoscale.register(subparsers)
    commands_ssh_keys.register(subparsers)
    commands_account.register(subparsers)
    commands_tags.register(subparsers)
    commands_vpcs.register(subparsers)
    commands_images.register(subparsers)
    commands_tools.register(subparsers)
    commands_volumes.register(subparsers)
    commands_reserved_ips.register(subparsers)
    commands_firewalls.register(subparsers)
    return parser


class _DropletsParser(argparse.ArgumentParser):
    """The top-level parser: ``snapshot list|delete`` lists or deletes snapshots, ``snapshot ID`` takes one.

    A droplet id is a number, so the word after ``snapshot`` tells the two
    apart; ``list`` and ``delete`` go to `commands_snapshots.build_parser`.
    """

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        words = list(sys.argv[1:] if args is None else args)
        routed = commands_snapshots.routed_parser(words)
        if routed is None:
            return super().parse_known_args(words, namespace)
        namespace = namespace if namespace is not None else argparse.Namespace()
        namespace.command = words[0]
        return routed.parse_known_args(words[1:], namespace)


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    """``-t/--access-token`` and ``-u/--api-url``, as doctl spells them."""
    parser.add_argument(
        "-t", "--access-token", metavar="TOKEN", help="API token for this run (default: $DIGITALOCEAN_TOKEN)"
    )
    parser.add_argument(
        "-u", "--api-url", metavar="URL", help="API base URL for this run (default: $DIGITALOCEAN_API_URL)"
    )


def _split_global_options(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """Take ``-t``/``-u`` out of ``argv`` wherever they stand (doctl accepts them anywhere)."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    _add_global_options(parser)
    rest: list[str] = []
    found = argparse.Namespace(access_token=None, api_url=None)
    words = iter(argv)
    for word in words:
        if word == "--":
            rest.append(word)
            rest.extend(words)
            break
        name, equals, value = word.partition("=")
        if word[:2] in ("-t", "-u") and len(word) > 2 and not equals:  # -tTOKEN
            name, equals, value = word[:2], "=", word[2:]
        if name in ("-t", "--access-token", "-u", "--api-url"):
            if not equals:
                value = next(words, "")
            setattr(found, "access_token" if name in ("-t", "--access-token") else "api_url", value)
        else:
            rest.append(word)
    return found, rest


def _client_for(options: argparse.Namespace) -> contextlib.AbstractContextManager[object]:
    """Make ``-t``/``-u`` the default client for this run (nothing to do without them)."""
    if options.access_token is None and options.api_url is None:
        return contextlib.nullcontext()
    return using(Client(token=options.access_token or None, base_url=options.api_url or None))


def main(argv: list[str] | None = None) -> int:
    """Run the ``droplets`` command.

    Args:
        argv: The arguments (``sys.argv[1:]`` when None).

    Returns:
        The exit status: 0 success, 1 failure, 2 usage error, 130 interrupted.
    """
    args_list = sys.argv[1:] if argv is None else list(argv)
    options, args_list = _split_global_options(args_list)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list, namespace=argparse.Namespace(argv=args_list))
    except SystemExit as stop:  # --help, --version and usage errors
        return stop.code if isinstance(stop.code, int) else 2
    if args.command is None:
        parser.print_help()
        return 0 if not args_list else 2
    try:
        with _client_for(options):
            return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `droplets list | head -1`
        _silence_stdout()
        return 0
    except (DropletsError, CommandError) as error:
        _report(describe(error), options.access_token)
    except Exception as error:  # a bug: still one line, never a traceback
        _report(
            f"unexpected {type(error).__name__}: {error} (this is a bug in droplets; please report it)",
            options.access_token,
        )
    return 1


def describe(error: BaseException) -> str:
    """One line describing an error for the user.

    ``APIError`` gives DigitalOcean's status, error id, message and request
    id (and the library's hint); other errors their message.

    Args:
        error: The error.

    Returns:
        The text, without the ``Error:`` prefix.
    """
    if isinstance(error, APIError):
        text = f"{error.status} {error.id}: {error.message}" if error.status and error.url else error.message
        if error.context:
            text = f"{error.context}: {text}"
        if error.request_id:
            text += f" (request id {error.request_id})"
        if error.attempts > 1:
            text += f", after {error.attempts} attempts"
        if error.hint:
            text += f". {error.hint}"
        return cli_text(error, text)
    missing_token = isinstance(error, ConfigurationError) and str(error).startswith("no DigitalOcean token")
    if missing_token and not any(os.environ.get(name) for name in TOKEN_VARIABLES):
        return (
            f"no DigitalOcean token: set {TOKEN_VARIABLES[0]} (or {TOKEN_VARIABLES[1]}). "
            "To try the command without an account: droplets demo, or droplets sandbox serve"
        )
    return cli_text(error, str(error))


def _report(text: str, given_token: str | None = None) -> None:
    """Print ``text`` as one line on stderr, with any token (environment or ``-t``) blanked out."""
    for token in [os.environ.get(name) for name in TOKEN_VARIABLES] + [given_token]:
        if token and len(token) >= 4:
            text = text.replace(token, "***")
    sys.stderr.write("Error: " + " ".join(text.split()) + "\n")


def _silence_stdout() -> None:
    # Python would report the broken pipe again when flushing stdout at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
