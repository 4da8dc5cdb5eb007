"""Fixtures for the fleet tests: a real Redis server and a served sandbox, each in its own process.

``redis_url`` starts ``redis-server`` on a free loopback port once per
session. When it is not installed the Redis tests skip locally (install it
with ``apt-get install redis-server``) and *fail* under CI (the ``CI``
variable), where ``.ci/run`` installs it: a fleet test that did not run
must not pass.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def die_with_parent() -> None:
    """In a child process: be sent SIGTERM when the test run that started it ends, however it ends (Linux)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _redis_server() -> str:
    found = shutil.which("redis-server") or next(
        (path for path in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if os.path.exists(path)), None
    )
    if found is None:
        message = "redis-server is not installed (apt-get install redis-server; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a fresh, private Redis server on a free loopback port."""
    server = _redis_server()
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        preexec_fn=die_with_parent,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server did not start on port {port} (exit status {process.poll()})")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def redis_store(redis_url: str) -> str:
    """The session's Redis, emptied for this test."""
    import redis

    connection = redis.Redis.from_url(redis_url)
    connection.flushall()
    connection.close()
    return redis_url


@dataclass
class ServedSandbox:
    """A ``droplets sandbox serve`` process."""

    url: str
    process: subprocess.Popen[str]

    def stats(self) -> dict[str, int]:
        """The server's rate-limit counts (``GET /_sandbox/stats``)."""
        with urllib.request.urlopen(f"{self.url}/_sandbox/stats", timeout=30) as answer:
            data: dict[str, int] = json.load(answer)
        return data

    def get(self, path: str, token: str) -> Any:
        """One authenticated GET, outside any rate limiter of the library."""
        request = urllib.request.Request(f"{self.url}{path}", headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)

    def stop(self) -> str:
        """Stop the server as Ctrl-C would; return its last output line."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        output, _ = self.process.communicate(timeout=30)
        lines = [line for line in output.splitlines() if line.strip()]
        return lines[-1] if lines else ""


@pytest.fixture
def serve_sandbox() -> Iterator[Callable[..., ServedSandbox]]:
    """Start ``droplets sandbox serve`` with the given flags, on a free port; stopped after the test."""
    started: list[ServedSandbox] = []

    def start(*flags: str) -> ServedSandbox:
        command = [sys.executable, "-m", "droplets", "sandbox", "serve", "--port", "0", "--action-seconds", "0", *flags]
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            preexec_fn=die_with_parent,
        )
        assert process.stdout is not None
        banner = process.stdout.readline()
        if "listening on " not in banner:
            process.kill()
            pytest.fail(f"droplets sandbox serve did not start: {banner!r}")
        served = ServedSandbox(banner.split("listening on ")[1].split()[0], process)
        started.append(served)
        return served

    yield start
    for served in started:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait(timeout=30)
