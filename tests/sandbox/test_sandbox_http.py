"""The served sandbox at the HTTP layer, over raw sockets: every answer is the API's JSON error body.

Each test writes bytes a real (or broken, or hostile) client could send and
reads the answers back byte by byte, so nothing in between tidies them up.
"""

from __future__ import annotations

import json
import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import pytest

from droplets.sandbox.server import SandboxServer

AUTH = b"Authorization: Bearer t\r\n"
CREATE = json.dumps({"name": "raw-1", "region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}).encode()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def error(self) -> dict[str, Any]:
        assert self.headers["content-type"] == "application/json", self
        decoded: dict[str, Any] = json.loads(self.body)
        assert set(decoded) == {"id", "message", "request_id"}, decoded
        assert decoded["request_id"] == self.headers["x-request-id"]
        return decoded


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(port=0, seed=0, action_seconds=0.05, read_timeout=5, max_body=4096) as running:
        yield running


def _connect(server: SandboxServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def _read_answer(stream: IO[bytes], head_only: bool = False) -> Answer:
    status_line = stream.readline()
    assert status_line.startswith(b"HTTP/1.1 "), status_line
    headers: dict[str, str] = {}
    while (line := stream.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    length = 0 if head_only else int(headers["content-length"])
    return Answer(int(status_line.split()[1]), headers, stream.read(length))


def _exchange(server: SandboxServer, data: bytes, answers: int = 1, head_only: bool = False) -> list[Answer]:
    with _connect(server) as sock:
        sock.sendall(data)
        stream = sock.makefile("rb")
        return [_read_answer(stream, head_only) for _ in range(answers)]


def _one(server: SandboxServer, data: bytes) -> Answer:
    return _exchange(server, data)[0]


def _closed_after(sock: socket.socket) -> bool:
    sock.settimeout(5)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


@pytest.mark.parametrize(
    "request_line",
    [
        b"\x00\x01garbage",
        b"GET /v2/regions",
        b"GET  /v2/regions HTTP/1.1",
        b"GET /v2/regions HTTP/1.1 extra",
        b"GET /v2/regions http/1.1",
        b"GET /v2/regions HTTP/1",
        b"G(T /v2/regions HTTP/1.1",
        b"GET v2/regions HTTP/1.1",
        b"GET /v2/r\xe9gions HTTP/1.1",
    ],
)
def test_a_malformed_request_line_is_400(server: SandboxServer, request_line: bytes) -> None:
    answer = _one(server, request_line + b"\r\nHost: x\r\n" + AUTH + b"\r\n")
    assert answer.status == 400 and answer.error()["id"] == "bad_request"
    assert answer.headers["connection"] == "close"


@pytest.mark.parametrize("version", [b"HTTP/2.0", b"HTTP/0.9", b"HTTP/3.0"])
def test_an_http_version_other_than_1_x_is_505(server: SandboxServer, version: bytes) -> None:
    answer = _one(server, b"GET /v2/regions " + version + b"\r\n" + AUTH + b"\r\n")
    assert answer.status == 505 and "HTTP/1.1" in answer.error()["message"]


def test_a_request_line_over_64_kib_is_414(server: SandboxServer) -> None:
    answer = _one(server, b"GET /v2/regions?x=" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n")
    assert answer.status == 414 and answer.error()["id"] == "uri_too_long"


@pytest.mark.parametrize("value", [b"abc", b"1.5", b"-1", b"0x10", b"", b"5, 6", b"1e3"])
def test_a_malformed_content_length_is_400(server: SandboxServer, value: bytes) -> None:
    answer = _one(server, b"POST /v2/droplets HTTP/1.1\r\n" + AUTH + b"Content-Length: " + value + b"\r\n\r\n{}")
    assert answer.status == 400 and "Content-Length" in answer.error()["message"]


def test_two_different_content_lengths_are_400(server: SandboxServer) -> None:
    data = b"POST /v2/droplets HTTP/1.1\r\n" + AUTH + b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"
    assert _one(server, data).status == 400


def test_a_huge_content_length_is_413_without_reading_the_body(server: SandboxServer) -> None:
    answer = _one(server, b"POST /v2/droplets HTTP/1.1\r\n" + AUTH + b"Content-Length: 1000000000000\r\n\r\n{")
    assert answer.status == 413 and answer.error()["id"] == "payload_too_large"


def test_a_body_over_the_limit_is_413(server: SandboxServer) -> None:
    body = b'{"name": "' + b"x" * 5000 + b'"}'
    data = b"POST /v2/droplets HTTP/1.1\r\n" + AUTH + b"Content-Length: %d\r\n\r\n" % len(body) + body
    assert _one(server, data).status == 413


def test_a_body_method_without_length_is_411(server: SandboxServer) -> None:
    answer = _one(server, b"POST /v2/droplets HTTP/1.1\r\n" + AUTH + b"\r\n")
    assert answer.status == 411 and answer.error()["id"] == "length_required"


def test_a_body_nested_100000_levels_deep_is_400(server: SandboxServer) -> None:
    with SandboxServer(port=0, max_body=1_000_000) as roomy:
        body = b"[" * 100_000 + b"]" * 100_000
        data = b"POST /v2/droplets HTTP/1.1\r\n" + AUTH + b"Content-Length: %d\r\n\r\n" % len(body) + body
        answer = _one(roomy, data)
    assert answer.status == 400 and "nested" in answer.error()["message"]


def test_a_header_over_64_kib_is_431(server: SandboxServer) -> None:
    answer = _one(server, b"GET /v2/regions HTTP/1.1\r\n" + AUTH + b"X-Big: " + b"a" * 70_000 + b"\r\n\r\n")
    assert answer.status == 431 and answer.error()["id"] == "request_header_fields_too_large"


def test_too_many_headers_are_431(server: SandboxServer) -> None:
    many = b"".join(b"X-H%d: 1\r\n" % n for n in range(150))
    assert _one(server, b"GET /v2/regions HTTP/1.1\r\n" + AUTH + many + b"\r\n").status == 431


@pytest.mark.parametrize("line", [b"No colon here", b"Bad Name: 1", b" folded: 1", b"X: a\x01b"])
def test_a_malformed_header_is_400(server: SandboxServer, line: bytes) -> None:
    assert _one(server, b"GET /v2/regions HTTP/1.1\r\n" + AUTH + line + b"\r\n\r\n").status == 400


@pytest.mark.parametrize("method", [b"PUT", b"PATCH", b"TRACE", b"OPTIONS", b"get", b"BREW"])
def test_a_wrong_method_on_a_known_path_is_405_with_allow(server: SandboxServer, method: bytes) -> None:
    answer = _one(server, method + b" /v2/droplets HTTP/1.1\r\n" + AUTH + b"Content-Length: 0\r\n\r\n")
    assert answer.status == 405 and answer.error()["id"] == "method_not_allowed"
    assert answer.headers["allow"] == "GET, HEAD, POST, DELETE"
    assert "connection" not in answer.headers, "a 405 keeps the connection"


def test_an_unknown_path_is_still_404(server: SandboxServer) -> None:
    assert _one(server, b"TRACE /v2/nowhere HTTP/1.1\r\n" + AUTH + b"\r\n").status == 404


def test_head_on_a_get_route_answers_headers_only_and_keeps_the_connection(server: SandboxServer) -> None:
    get = b"GET /v2/regions HTTP/1.1\r\n" + AUTH + b"\r\n"
    head = b"HEAD /v2/regions HTTP/1.1\r\n" + AUTH + b"\r\n"
    with _connect(server) as sock:
        sock.sendall(head + get)
        stream = sock.makefile("rb")
        headed, got = _read_answer(stream, head_only=True), _read_answer(stream)
    assert headed.status == 200 and headed.headers["content-type"] == "application/json"
    assert int(headed.headers["content-length"]) == len(got.body) > 0
    assert got.status == 200 and json.loads(got.body)["regions"]


def test_a_chunked_body_is_decoded_and_a_pipelined_request_after_it_is_answered(server: SandboxServer) -> None:
    first, rest = CREATE[:10], CREATE[10:]
    chunked = b"%x\r\n%s\r\n%x;ext=1\r\n%s\r\n0\r\nX-Trailer: yes\r\n\r\n" % (len(first), first, len(rest), rest)
    data = b"POST /v2/droplets HTTP/1.1\r\n" + AUTH + b"Transfer-Encoding: chunked\r\n\r\n" + chunked
    created, listed = _exchange(server, data + b"GET /v2/droplets HTTP/1.1\r\n" + AUTH + b"\r\n", answers=2)
    assert created.status == 202, created.body
    assert json.loads(created.body)["droplet"]["name"] == "raw-1"
    assert listed.status == 200 and json.loads(listed.body)["meta"]["total"] == 1


@pytest.mark.parametrize(
    "chunked",
    [
        b"zz\r\n{}\r\n0\r\n\r\n",
        b"2\r\n{}XX0\r\n\r\n",
        b"-2\r\n{}\r\n0\r\n\r\n",
        b"2000\r\n" + b"a" * 8192 + b"\r\n0\r\n\r\n",
    ],
)
def test_a_malformed_or_oversized_chunked_body_is_refused(server: SandboxServer, chunked: bytes) -> None:
    data = b"POST /v2/droplets HTTP/1.1\r\n" + AUTH + b"Transfer-Encoding: chunked\r\n\r\n" + chunked
    assert _one(server, data).status in (400, 413)


def test_content_length_with_transfer_encoding_is_400(server: SandboxServer) -> None:
    framing = b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert _one(server, b"POST /v2/droplets HTTP/1.1\r\n" + AUTH + framing + b"0\r\n\r\n").status == 400


def test_an_unsupported_transfer_coding_is_501(server: SandboxServer) -> None:
    answer = _one(server, b"POST /v2/droplets HTTP/1.1\r\n" + AUTH + b"Transfer-Encoding: gzip\r\n\r\n")
    assert answer.status == 501 and answer.error()["id"] == "server_error"


def test_expect_100_continue_is_honoured(server: SandboxServer) -> None:
    with _connect(server) as sock:
        head = b"POST /v2/droplets HTTP/1.1\r\n" + AUTH + b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n"
        sock.sendall(head % len(CREATE))
        stream = sock.makefile("rb")
        assert stream.readline() == b"HTTP/1.1 100 Continue\r\n" and stream.readline() == b"\r\n"
        sock.sendall(CREATE)
        assert _read_answer(stream).status == 202


def test_http_1_0_closes_after_the_answer_unless_kept_alive(server: SandboxServer) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /v2/regions HTTP/1.0\r\n" + AUTH + b"\r\n")
        answer = _read_answer(sock.makefile("rb"))
        assert answer.status == 200 and answer.headers["connection"] == "close"
        assert _closed_after(sock)
    kept = _exchange(server, b"GET /v2/regions HTTP/1.0\r\nConnection: keep-alive\r\n" + AUTH + b"\r\n" * 2)
    assert "connection" not in kept[0].headers


def test_a_half_sent_request_gets_408_after_the_read_timeout() -> None:
    with SandboxServer(port=0, read_timeout=0.3) as quick, _connect(quick) as sock:
        sock.sendall(b"GET /v2/regions HTTP/1.1\r\nHost: x\r\n")
        answer = _read_answer(sock.makefile("rb"))
        assert answer.status == 408 and answer.error()["id"] == "request_timeout"
        assert _closed_after(sock)


def test_a_trickling_request_cannot_outlive_the_read_timeout() -> None:
    stop = threading.Event()

    def trickle(sock: socket.socket) -> None:
        for byte in b"GET /v2/regions HTTP/1.1\r\nX-Slow: " + b"a" * 1000:
            if stop.wait(0.02):
                return
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                return

    with SandboxServer(port=0, read_timeout=0.5) as quick, _connect(quick) as sock:
        sender = threading.Thread(target=trickle, args=(sock,))
        sender.start()
        try:
            answer = _read_answer(sock.makefile("rb"))
        finally:
            stop.set()
            sender.join()
        assert answer.status == 408


def test_an_idle_connection_is_closed_silently_after_the_read_timeout() -> None:
    with SandboxServer(port=0, read_timeout=0.3) as quick, _connect(quick) as sock:
        assert _closed_after(sock)


def test_connections_over_the_bound_get_503_and_the_server_recovers() -> None:
    with SandboxServer(port=0, read_timeout=1.0, max_connections=2) as bounded:
        stalled = [_connect(bounded) for _ in range(2)]
        for sock in stalled:
            sock.sendall(b"GET /v2/regions HTTP/1.1\r\n")
        refused = _one(bounded, b"GET /v2/regions HTTP/1.1\r\n" + AUTH + b"\r\n")
        assert refused.status == 503 and refused.headers["retry-after"] == "1"
        assert "too many connections" in refused.error()["message"]
        for sock in stalled:
            assert _read_answer(sock.makefile("rb")).status == 408
            sock.close()
        statuses = []
        for _ in range(100):  # the closed connections' threads free their slots a moment later
            statuses.append(_one(bounded, b"GET /v2/regions HTTP/1.1\r\n" + AUTH + b"\r\n").status)
            if statuses[-1] == 200:
                break
            threading.Event().wait(0.05)
        assert statuses[-1] == 200 and set(statuses) <= {503, 200}


def test_the_server_keeps_serving_after_every_kind_of_bad_request(server: SandboxServer) -> None:
    for data in (b"\x00\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"POST /v2/droplets HTTP/1.1\r\n\r\n"):
        assert _one(server, data).status >= 400
    assert _one(server, b"GET /v2/regions HTTP/1.1\r\n" + AUTH + b"\r\n").status == 200


def test_request_ids_are_unique_uuid4s_across_servers_with_the_same_seed() -> None:
    ids = []
    for _ in range(2):
        with SandboxServer(port=0, seed=7) as same_seed:
            data = b"GET /v2/regions HTTP/1.1\r\n" + AUTH + b"\r\n"
            ids += [answer.headers["x-request-id"] for answer in _exchange(same_seed, data * 3, answers=3)]
            ids.append(_one(same_seed, b"bad\r\n\r\n").headers["x-request-id"])
    assert len(set(ids)) == 8
    assert all(uuid.UUID(rid).version == 4 for rid in ids)


def test_a_double_slash_path_is_served(server: SandboxServer) -> None:
    assert _one(server, b"GET /v2//regions HTTP/1.1\r\n" + AUTH + b"\r\n").status == 200


def test_an_absolute_form_target_is_served(server: SandboxServer) -> None:
    answer = _one(server, b"GET http://sandbox/v2/regions HTTP/1.1\r\n" + AUTH + b"\r\n")
    assert answer.status == 200
