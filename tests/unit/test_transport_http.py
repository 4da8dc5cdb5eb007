"""The requests transport: every failure translated at the boundary."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

import droplets
from droplets import Request, TransportError
from droplets.transport.http import RequestsTransport


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    stolen: ClassVar[list[str]] = []

    def do_DELETE(self) -> None:
        """A redirect to a path that records whoever follows it."""
        self.send_response(302)
        self.send_header("Location", "/steal")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        if self.path == "/steal":
            _Handler.stolen.append(self.headers.get("Authorization", ""))
        if self.path.startswith("/trickle"):
            self._trickle()
            return
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

    def _trickle(self) -> None:
        """Answer one byte every 50 ms, so that no single read waits long: the headers too on /trickle-head."""
        body = b'{"droplets": [], "meta": {"total": 0}, "padding": "' + b"x" * 20 + b'"}'
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        if self.path == "/trickle":
            self.wfile.write(head)
            head = b""
        try:
            for byte in head + body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:  # the client gave up: that is the point
            pass
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.block_on_close = False  # a trickling handler may still be writing to a client that gave up
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
    assert "timeout of 0.1s" in str(caught.value)


def test_dropped_connection_is_ambiguous(server: str) -> None:
    transport = RequestsTransport()
    with pytest.raises(TransportError) as caught:
        transport.send(Request("GET", f"{server}/drop", {}, None, (1.0, 1.0)))
    assert caught.value.reached_server is None
    assert isinstance(caught.value.__cause__, Exception)


@pytest.mark.parametrize("path", ["/trickle", "/trickle-head"])
def test_a_trickled_answer_fails_at_the_deadline_not_per_read(server: str, path: str) -> None:
    transport = RequestsTransport()
    # Each byte comes well within the 1 s read timeout; the whole answer takes seconds.
    with pytest.raises(TransportError) as caught:
        transport.send(Request("GET", f"{server}{path}", {}, None, (1.0, 0.3)))
    assert "timeout of 0.3s" in str(caught.value) and "whole answer" in str(caught.value)
    assert caught.value.reached_server is None
    assert transport.send(Request("GET", f"{server}/ok", {}, None, (1.0, 5.0))).status == 200  # the pool still works
    transport.close()


def test_a_trickled_answer_through_the_client_raises_a_transport_error(server: str) -> None:
    client = droplets.Client(token="t", base_url=server, timeout=0.3, retry=droplets.RetryPolicy(attempts=1))
    with pytest.raises(TransportError):
        client.request("GET", f"{server}/trickle")
    client.close()


def test_connection_refused_names_the_cause_the_url_and_the_setting() -> None:
    url = f"http://127.0.0.1:{_free_port()}/v2/droplets"
    with pytest.raises(TransportError) as caught:
        RequestsTransport().send(Request("GET", url, {}, None, (1.0, 1.0)))
    text = str(caught.value)
    assert "refused" in text and url in text and "DIGITALOCEAN_API_URL" in text


def test_a_host_that_does_not_resolve_says_so() -> None:
    url = "https://no-such-host.invalid/v2/droplets"
    with pytest.raises(TransportError) as caught:
        RequestsTransport().send(Request("GET", url, {}, None, (2.0, 2.0)))
    text = str(caught.value)
    assert "did not resolve" in text and "no-such-host.invalid" in text and "DIGITALOCEAN_API_URL" in text
    assert caught.value.reached_server is False


def test_a_redirect_is_not_followed_and_the_token_goes_nowhere(server: str) -> None:
    client = droplets.Client(token="dop_v1_redirected", base_url=server, retry=droplets.RetryPolicy(attempts=1))
    with pytest.raises(droplets.UnexpectedResponse) as caught:
        client.request("DELETE", "/v2/droplets/1")
    assert caught.value.status == 302 and "/steal" in str(caught.value)
    assert _Handler.stolen == []
    client.close()
