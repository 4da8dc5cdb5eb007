"""The fleet scenario: several processes on one token against a served sandbox with a small burst window.

``python -m benchmarks.fleet`` runs it alone and prints its section of the
report; ``python -m benchmarks.run`` runs it with the others (and
``python -m benchmarks.run --only fleet`` rewrites just this section of
``docs/performance.md``).

* ``droplets sandbox serve --burst-limit 120 --burst-window 10`` in its own
  process: one budget of 120 requests per 10 s per token, across all clients.
* ``redis-server`` on a free loopback port (the shared store).
* 4 worker processes (``python -m benchmarks.fleet --worker ...``), one token,
  100 requests each (``GET /v2/droplets?per_page=1``, one request per call),
  released together once every one has started and built its client, so
  interpreter start-up is not counted;
  once with ``rate_limit_store`` (windows ``120/10 seconds``, the server's),
  once without (each worker paces alone on the headers).
* Measured: the 429s the server answered (its ``/_sandbox/stats``), the wall
  time from the start to the last worker's last answer, and the achieved
  rate as a share of what the limit allows: the shortest wall time any
  schedule can have under a moving window of N per W s starting empty is
  ``W * (ceil(total / N) - 1)`` (120 at once, 120 more 10 s later, ...), so
  the share is that time divided by the measured wall time.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as ``python benchmarks/fleet.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = 4
REQUESTS = 100
BURST_LIMIT = 120
BURST_WINDOW = 10
TOKEN = "dop_v1_" + "f1ee7" * 12 + "0000"
MODES = ("with store", "without store")
TARGET_SHARE = 0.85


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_redis() -> tuple[subprocess.Popen[bytes], str]:
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("redis-server did not start")


def _start_sandbox() -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "droplets", "sandbox", "serve", "--port", "0", "--action-seconds", "0"]
    command += ["--burst-limit", str(BURST_LIMIT), "--burst-window", str(BURST_WINDOW)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    banner = process.stdout.readline()
    if "listening on " not in banner:
        process.kill()
        raise RuntimeError(f"droplets sandbox serve did not start: {banner!r}")
    return process, banner.split("listening on ")[1].split()[0]


def _stop(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def _stats(url: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{url}/_sandbox/stats", timeout=30) as answer:
        data: dict[str, int] = json.load(answer)
    return data


def fastest_wall(total: int, limit: int = BURST_LIMIT, window: float = BURST_WINDOW) -> float:
    """The shortest wall time of ``total`` requests under a moving window of ``limit`` per ``window`` s."""
    return window * (math.ceil(total / limit) - 1)


def run_mode(url: str, store: str | None) -> dict[str, Any]:
    """Run the workers once on a fresh server; return the figures of the mode."""
    before = _stats(url)
    shared = [store, f"{BURST_LIMIT}/{BURST_WINDOW} seconds"] if store else []
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "benchmarks.fleet", "--worker", url, str(REQUESTS), *shared],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    for worker in workers:  # each says "ready" once its client is built
        assert worker.stdout is not None
        if worker.stdout.readline().strip() != "ready":
            raise RuntimeError(f"fleet worker did not start: {worker.communicate(timeout=60)}")
    started = time.time()
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    reports = []
    for worker in workers:
        output, errors = worker.communicate(timeout=600)
        if worker.returncode != 0:
            raise RuntimeError(f"fleet worker failed: {output} {errors}")
        reports.append(json.loads(output.strip().splitlines()[-1]))
    after = _stats(url)
    total = sum(report["done"] for report in reports)
    wall = max(report["finished"] for report in reports) - started
    return {
        "requests": total,
        "lost": PROCESSES * REQUESTS - total,
        "429s": after["rate_limited"] - before["rate_limited"],
        "retries": sum(report["retries"] for report in reports),
        "wall": wall,
        "rate": total / wall if wall > 0 else float("nan"),
        "share": fastest_wall(total) / wall if wall > 0 else float("nan"),
    }


def measure() -> dict[str, dict[str, Any]]:
    """Both modes, each on a fresh served sandbox (so their windows do not overlap)."""
    redis, store = _start_redis()
    figures: dict[str, dict[str, Any]] = {}
    try:
        for mode in MODES:
            sandbox, url = _start_sandbox()
            try:
                figures[mode] = run_mode(url, store if mode == "with store" else None)
            finally:
                _stop(sandbox)
    finally:
        _stop(redis)
    return figures


def worker(argv: list[str]) -> int:
    """One worker process: build the client, say ready, wait for "go", send the requests, print a JSON report."""
    import droplets

    url, count = argv[0], int(argv[1])
    shared = {"rate_limit_store": argv[2], "rate_limits": argv[3]} if len(argv) > 2 else {}
    client = droplets.Client(token=TOKEN, base_url=url, **shared)  # type: ignore[arg-type]
    print("ready", flush=True)
    sys.stdin.readline()
    done = 0
    for _ in range(count):
        client.request("GET", "/v2/droplets", params={"per_page": 1})
        done += 1
    print(json.dumps({"done": done, "retries": client.retries_made, "finished": time.time()}))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the fleet scenario alone and print its report section (or be one worker)."""
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "--worker":
        return worker(args[1:])
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fleet", description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the figures as JSON to this path")
    options = parser.parse_args(args)
    from benchmarks import report

    figures = measure()
    print("\n".join(report.fleet_section(figures)))
    if options.json:
        Path(options.json).write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
