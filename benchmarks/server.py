"""The benchmark's sandbox server, in a process of its own.

``python -m benchmarks.server --latency-ms L --seed-droplets N`` serves a
:class:`~droplets.sandbox.server.SandboxServer` on a free loopback port, prints
one JSON line ``{"url": ...}`` and then answers commands read from standard
input, one per line, each with one JSON line on standard output:

* ``count``: ``{"requests": n, "by_method": {...}, "cpu": s}``, requests since
  the last reset and the server process's CPU seconds so far;
* ``reset``: empties the request log (answers ``{"cpu": s}`` too);
* ``seed COUNT TAG``: creates ``COUNT`` active droplets tagged ``TAG``;
* ``quit`` (or end of input): stops the server.

The rate limits are set far above anything a run sends (the headers are still
written, as the real API does), so no client is ever paced or refused.

The handler's sockets get ``TCP_NODELAY``: the sandbox's handler writes the
headers and the body of an answer separately, and with Nagle's algorithm the
small body then waits for the client's delayed ACK (40 ms on Linux) on every
reused keep-alive connection, which would swamp a single GET. Real API servers
do not stall like that.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time

from droplets.sandbox import server as sandbox_server
from droplets.sandbox.server import SandboxServer

UNLIMITED = 10**9


def _answer(payload: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def _command(server: SandboxServer, line: str) -> bool:
    """Carry out one command; return False when the server should stop."""
    words = line.split()
    if not words or words[0] == "quit":
        return False
    sandbox = server.sandbox
    if words[0] == "count":
        by_method = collections.Counter(method for method, _ in sandbox.requests)
        _answer({"requests": sum(by_method.values()), "by_method": dict(by_method), "cpu": time.process_time()})
    elif words[0] == "reset":
        sandbox.reset_log()
        _answer({"cpu": time.process_time()})
    elif words[0] == "seed" and len(words) == 3:
        ids = sandbox.seed_droplets(int(words[1]), tag=words[2])
        _answer({"ids": ids})
    else:
        _answer({"error": f"unknown command {line.strip()!r}"})
    return True


def main(argv: list[str] | None = None) -> int:
    """Serve until ``quit`` or end of input.

    Args:
        argv: Command-line arguments (``sys.argv[1:]`` when None).

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--seed-droplets", type=int, default=0)
    parser.add_argument("--action-seconds", type=float, default=1.0)
    args = parser.parse_args(argv)
    sandbox_server._Handler.disable_nagle_algorithm = True
    server = SandboxServer(
        port=0,
        latency_ms=args.latency_ms,
        seed=0,
        action_seconds=args.action_seconds,
        rate_limit=UNLIMITED,
        burst_limit=UNLIMITED,
        seed_droplets=args.seed_droplets,
    )
    with server:
        _answer({"url": server.url})
        for line in sys.stdin:
            if not _command(server, line):
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
