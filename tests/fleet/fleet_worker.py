"""One worker of a fleet test, run as its own OS process.

    python tests/fleet/fleet_worker.py URL TOKEN WORKER COUNT [STORE WINDOWS]

Creates COUNT droplets named ``w<WORKER>-<i>`` (tag ``fleet``) on the
served sandbox at URL, with the default retry policy, sharing the rate limit
through STORE with WINDOWS when given. Prints one JSON line: the names
created, the client's retries and any error.
"""

from __future__ import annotations

import json
import sys

import droplets


def main(argv: list[str]) -> int:
    url, token, worker, count = argv[0], argv[1], int(argv[2]), int(argv[3])
    shared = {"rate_limit_store": argv[4], "rate_limits": argv[5]} if len(argv) > 4 else {}
    client = droplets.Client(token=token, base_url=url, **shared)  # type: ignore[arg-type]
    created: list[str] = []
    error = None
    try:
        for number in range(count):
            droplet = client.droplets.create(
                name=f"w{worker}-{number}", region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", tags=["fleet"]
            )
            created.append(droplet.name)
    except droplets.DropletsError as failure:
        error = f"{type(failure).__name__}: {failure}"
    print(json.dumps({"created": created, "retries": client.retries_made, "error": error}))
    return 0 if error is None else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
