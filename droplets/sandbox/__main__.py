"""``python -m droplets.sandbox``: serve the sandbox over HTTP until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from droplets.sandbox.server import SandboxServer


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser of the sandbox server."""
    parser = argparse.ArgumentParser(
        prog="python -m droplets.sandbox",
        description="Serve a simulated DigitalOcean API (Droplets) on loopback.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to bind, 0 for any (8080)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay of every answer")
    parser.add_argument("--seed", type=int, default=0, help="seed of ids and addresses")
    parser.add_argument("--seed-droplets", type=int, default=0, help="droplets to create")
    parser.add_argument(
        "--action-seconds",
        type=float,
        default=1.0,
        help="real seconds every action takes (1.0); negative keeps realistic durations",
    )
    parser.add_argument("--rate-limit", type=int, default=5000, help="requests per token per hour, 0 = none")
    parser.add_argument("--burst-limit", type=int, default=250, help="requests per token per burst window (250)")
    parser.add_argument(
        "--burst-window", type=float, default=60.0, help="burst window in seconds (60); e.g. 10 for a fleet test"
    )
    parser.add_argument(
        "--read-timeout", type=float, default=30.0, help="seconds a request may take to arrive (30); then 408"
    )
    parser.add_argument("--max-connections", type=int, default=128, help="connections served at once (128); then 503")
    parser.add_argument(
        "--fixture", metavar="FILE.json", help="start from this account state (droplets, backups, snapshots, tags)"
    )
    parser.add_argument(
        "--strict", action="store_true", help="refuse unknown body fields and string booleans (422), to catch typos"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    return parser


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the sandbox server until interrupted.

    Args:
        argv: Command-line arguments (``sys.argv[1:]`` when None).

    Returns:
        The exit status: 0 after Ctrl-C, 2 if the address cannot be bound.
    """
    args = build_parser().parse_args(argv)
    try:
        server = SandboxServer(
            host=args.host,
            port=args.port,
            latency_ms=args.latency_ms,
            seed=args.seed,
            action_seconds=args.action_seconds if args.action_seconds >= 0 else None,
            rate_limit=args.rate_limit or None,
            burst_limit=args.burst_limit or None,
            burst_window=args.burst_window,
            seed_droplets=args.seed_droplets,
            quiet=not args.verbose,
            read_timeout=args.read_timeout,
            max_connections=args.max_connections,
            strict=args.strict,
            fixture=args.fixture,
        )
    except ValueError as error:
        print(f"droplets sandbox: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 2
    on_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if on_main else None
    print(f"droplets sandbox listening on {server.url} (any bearer token; Ctrl-C to stop)")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        stats = server.sandbox.stats()
        print(
            f"stopped; rate limits: {stats['admitted']} requests admitted, {stats['rate_limited']} answered 429 "
            f"({stats['burst']} burst, {stats['hourly']} hourly, {stats['path']} per-path)"
        )
    finally:
        server.stop()
        if on_main:
            signal.signal(signal.SIGTERM, previous)
    return 0


if __name__ == "__main__":
    sys.exit(main())
