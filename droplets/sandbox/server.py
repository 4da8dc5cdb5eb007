"""Serve a `Sandbox` over HTTP/1.1 on loopback.

Any DigitalOcean client (doctl, pydo, python-digitalocean, curl) can talk to
it. Connections are kept alive (every answer has ``Content-Length``),
pipelined requests are answered in order, chunked bodies are decoded, and a
``drop`` fault closes the socket without answering. Every answer, however bad
the request, is the API's JSON error body with a fitting status (see
`droplets.sandbox.http11`); a request must arrive within ``read_timeout``
seconds, and at most ``max_connections`` connections are served at once (the
next ones get a JSON 503 and are closed).
"""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import threading
import time
from collections.abc import Mapping
from email.utils import formatdate
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import Any

from droplets.sandbox.app import Sandbox, SandboxResponse
from droplets.sandbox.clock import Clock, RealClock
from droplets.sandbox.errors import ApiError, ConnectionDropped
from droplets.sandbox.http11 import ConnectionClosed, DeadlineReader, HttpError, body_length, read_chunked, read_head
from droplets.sandbox.ids import request_id

MAX_BODY = 1_048_576


def error_response(status: int, message: str | None = None, headers: dict[str, str] | None = None) -> SandboxResponse:
    """Return the API's JSON error answer for a request the sandbox never saw.

    Args:
        status: The HTTP status.
        message: What went wrong; the API's usual text when None.
        headers: Extra headers (``allow``, ``retry-after``).

    Returns:
        The answer, with a fresh ``x-request-id``.
    """
    rid = request_id()
    error = ApiError(status, message)
    body = json.dumps(error.body(rid), separators=(",", ":")).encode("utf-8")
    return SandboxResponse(status, {"content-type": "application/json", "x-request-id": rid, **(headers or {})}, body)


def _wire(response: SandboxResponse, head_only: bool, close: bool) -> bytes:
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = "Unknown"
    lines = [f"HTTP/1.1 {response.status} {reason}", f"date: {formatdate(usegmt=True)}"]
    lines += [f"{name}: {value}" for name, value in response.headers.items() if name != "content-length"]
    length = response.headers.get("content-length", str(len(response.body)))
    lines.append(f"content-length: {length}")
    if close:
        lines.append("connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head if head_only else head + response.body


class _Handler(socketserver.BaseRequestHandler):
    """One connection: read requests, answer them in order, until either side closes."""

    server: _Server
    request: socket.socket

    def handle(self) -> None:
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = DeadlineReader(self.request, self.server.read_timeout)
        try:
            while self._serve_one(reader):
                reader.start()
        except (ConnectionClosed, OSError):
            pass

    def _serve_one(self, reader: DeadlineReader) -> bool:
        """Answer one request; return whether the connection stays open."""
        head = None
        try:
            head = read_head(reader)
            length = body_length(head, self.server.max_body)
            if head.version >= (1, 1) and "100-continue" in (v.lower() for v in head.values("expect")):
                self.request.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            body = read_chunked(reader, self.server.max_body) if length is None else reader.read(length)
        except HttpError as error:
            self._send(error_response(error.status, error.message), head_only=False, close=True)
            self._linger()
            return False
        url = f"http://{head.get('host') or 'localhost'}{head.target}"
        try:
            response = self.server.sandbox.handle(head.method, url, dict(head.headers), body)
        except ConnectionDropped:
            with contextlib.suppress(OSError):
                self.request.shutdown(socket.SHUT_RDWR)
            return False
        except Exception:
            response = error_response(500)
        pause = self.server.latency + response.delay
        if pause > 0:
            time.sleep(pause)
        self._log(head.method, head.target, response.status)
        self._send(response, head_only=head.method == "HEAD", close=not head.keep_alive)
        return head.keep_alive

    def _send(self, response: SandboxResponse, head_only: bool, close: bool) -> None:
        self.request.settimeout(self.server.read_timeout)
        self.request.sendall(_wire(response, head_only, close))

    def _linger(self) -> None:
        """Read what the client still sends for a moment, so closing does not reset the error answer."""
        with contextlib.suppress(OSError):
            self.request.shutdown(socket.SHUT_WR)
            self.request.settimeout(0.5)
            for _ in range(64):
                if not self.request.recv(65_536):
                    break

    def _log(self, method: str, target: str, status: int) -> None:
        if not self.server.quiet:
            print(f"{self.client_address[0]} {method} {target} {status}", flush=True)


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    sandbox: Sandbox
    latency: float
    quiet: bool
    read_timeout: float
    max_body: int

    def __init__(self, address: tuple[str, int], max_connections: int) -> None:
        super().__init__(address, _Handler)
        self._slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        if not self._slots.acquire(blocking=False):
            busy = error_response(503, "too many connections to the sandbox; retry shortly", {"retry-after": "1"})
            with contextlib.suppress(OSError):
                request.settimeout(1.0)
                request.sendall(_wire(busy, head_only=False, close=True))
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except Exception:  # the thread did not start (a Ctrl-C here may leak a slot: the server is stopping)
            self._slots.release()
            raise

    def process_request_thread(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


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
        burst_limit: Requests per token per burst window.
        burst_window: The burst window in seconds (60, like the real API's).
        seed_droplets: Droplets to create at start (tag ``sandbox``).
        quiet: Whether to silence the per-request log lines.
        read_timeout: Seconds a request may take to arrive (and an idle
            kept-alive connection may wait) before the server gives up on it.
        max_connections: Connections served at once; the next get a 503.
        max_body: The largest request body accepted, in bytes (413 beyond).
        strict: Refuse unknown body fields and string booleans (see `Sandbox`).
        fixture: An account state to start from (a JSON file's path or the
            object; see `droplets.sandbox.fixtures`).
        clock: The sandbox's clock; the wall clock by default. A `VirtualClock`
            shared with a client makes the client's waits cost no real time
            (``cassettes/record_sandbox.py`` records that way).
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
        burst_window: float = 60.0,
        seed_droplets: int = 0,
        quiet: bool = True,
        read_timeout: float = 30.0,
        max_connections: int = 128,
        max_body: int = MAX_BODY,
        strict: bool = False,
        fixture: str | Path | Mapping[str, Any] | None = None,
        clock: Clock | None = None,
    ) -> None:
        if read_timeout <= 0 or max_connections < 1 or max_body < 0:
            raise ValueError("read_timeout must be positive, max_connections at least 1, max_body not negative")
        self._httpd = _Server((host, port), max_connections)
        self.host, self.port = host, int(self._httpd.server_address[1])
        self.url = f"http://{host}:{self.port}"
        try:
            self.sandbox = Sandbox(
                seed=seed,
                clock=clock or RealClock(),
                base_url=self.url,
                rate_limit=rate_limit,
                burst_limit=burst_limit,
                burst_window=burst_window,
                strict=strict,
                fixture=fixture,
            )
        except BaseException:  # a bad fixture: do not keep the port bound
            self._httpd.server_close()
            raise
        if action_seconds is not None:
            self.sandbox.progression.set("*", after_seconds=action_seconds)
        if seed_droplets:
            self.sandbox.seed_droplets(seed_droplets, tag="sandbox")
        self._httpd.sandbox = self.sandbox
        self._httpd.latency = latency_ms / 1000.0
        self._httpd.quiet = quiet
        self._httpd.read_timeout = read_timeout
        self._httpd.max_body = max_body
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
