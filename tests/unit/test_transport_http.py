"""The requests transport: every failure translated at the boundary."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from droplets import Request, TransportError
from droplets.transport.http import RequestsTransport


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(0.5)
        if self.path == "/drop":
            self.connection.close()
            return
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("RateLimit-Remaining", "42")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_answer_with_lowercase_headers(server: str) -> None:
    transport = RequestsTransport()
    response = transport.send(Request("GET", f"{server}/ok", {"Authorization": "Bearer t"}))
    assert response.status == 200 and response.body == b'{"ok": true}'
    assert response.header("ratelimit-remaining") == "42"
    transport.close()


def test_connection_refused_never_reached_the_server() -> None:
    transport = RequestsTransport()
    with pytest.raises(TransportError) as caught:
        transport.send(Request("POST", f"http://127.0.0.1:{_free_port()}/v2/droplets", {}, b"{}", (1.0, 1.0)))
    assert caught.value.reached_server is False
    assert "could not connect" in str(caught.value)


def test_read_timeout_is_ambiguous(server: str) -> None:
    transport = RequestsTransport()
    with pytest.raises(TransportError) as caught:
        transport.send(Request("GET", f"{server}/slow", {}, None, (1.0, 0.1)))
    assert caught.value.reached_server is None
    assert "read timeout" in str(caught.value)


def test_dropped_connection_is_ambiguous(server: str) -> None:
    transport = RequestsTransport()
    with pytest.raises(TransportError) as caught:
        transport.send(Request("GET", f"{server}/drop", {}, None, (1.0, 1.0)))
    assert caught.value.reached_server is None
    assert isinstance(caught.value.__cause__, Exception)
