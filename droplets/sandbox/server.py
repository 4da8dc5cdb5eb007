"""Serve a `Sandbox` over HTTP/1.1 on loopback.

Any DigitalOcean client (doctl, pydo, python-digitalocean, curl) can talk to
it. Connections are kept alive (every answer has ``Content-Length``), a
``drop`` fault closes the socket without answering, and no request, however
bad, stops the server or shows a traceback to the client.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from droplets.sandbox.app import Sandbox, SandboxResponse
from droplets.sandbox.clock import RealClock
from droplets.sandbox.errors import ConnectionDropped

_FALLBACK = SandboxResponse(
    500,
    {"content-type": "application/json"},
    b'{"id":"server_error","message":"Unexpected server-side error"}',
)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without TCP_NODELAY a small answer on
    # a kept-alive connection waits ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True
    server: _Server

    def _serve(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            url = f"http://{self.headers.get('Host', 'localhost')}{self.path}"
            response = self.server.sandbox.handle(self.command, url, dict(self.headers), body)
        except ConnectionDropped:
            self._drop()
            return
        except Exception:
            response = _FALLBACK
        pause = self.server.latency + response.delay
        if pause > 0:
            time.sleep(pause)
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sandbox: Sandbox
    latency: float
    quiet: bool


class SandboxServer:
    """A sandbox served on ``http://host:port`` from a background thread.

    Use it as a context manager in tests::

        with SandboxServer(port=0, latency_ms=0, seed=0) as server:
            urllib.request.urlopen(server.url + "/v2/regions")

    Args:
        host: Address to bind; loopback by default.
        port: Port to bind; 0 picks a free one.
        latency_ms: Milliseconds to wait before each answer (a network round trip).
        seed: Seed of the sandbox.
        action_seconds: Real seconds every action takes (the progression of all
            types); None keeps the sandbox's realistic defaults (30 s create...).
        rate_limit: Requests per token per hour; None never answers 429.
        burst_limit: Requests per token per minute.
        seed_droplets: Droplets to create at start (tag ``sandbox``).
        quiet: Whether to silence the per-request log lines.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        latency_ms: float = 0.0,
        seed: int = 0,
        action_seconds: float | None = 1.0,
        rate_limit: int | None = 5000,
        burst_limit: int | None = 250,
        seed_droplets: int = 0,
        quiet: bool = True,
    ) -> None:
        self._httpd = _Server((host, port), _Handler)
        self.host, self.port = host, int(self._httpd.server_address[1])
        self.url = f"http://{host}:{self.port}"
        self.sandbox = Sandbox(
            seed=seed,
            clock=RealClock(),
            base_url=self.url,
            rate_limit=rate_limit,
            burst_limit=burst_limit,
        )
        if action_seconds is not None:
            self.sandbox.progression.set("*", after_seconds=action_seconds)
        if seed_droplets:
            self.sandbox.seed_droplets(seed_droplets, tag="sandbox")
        self._httpd.sandbox = self.sandbox
        self._httpd.latency = latency_ms / 1000.0
        self._httpd.quiet = quiet
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"SandboxServer(url={self.url!r})"

    def start(self) -> SandboxServer:
        """Serve from a daemon thread and return self."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, args=(0.05,), name="droplets-sandbox", daemon=True
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until `stop()` or Ctrl-C."""
        self._httpd.serve_forever(poll_interval=0.1)

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
