"""HTTP/1.1 request parsing for the sandbox server: request line, headers, body framing.

Hand-written on the standard library so the sandbox keeps no dependency. Every
way a request can be malformed ends in `HttpError` with the status a careful
server answers (400, 408, 411, 413, 414, 431, 501, 505); the server renders it
as the API's JSON error body. The parser reads through `DeadlineReader`, so a
request must arrive whole within the read timeout, however slowly it trickles.
"""

from __future__ import annotations

import re
import socket
import time
from dataclasses import dataclass, field

MAX_REQUEST_LINE = 65_536
MAX_HEADER_BYTES = 65_536
MAX_HEADERS = 100
MAX_CHUNK_LINE = 4_096
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_VERSION = re.compile(r"^HTTP/([0-9])\.([0-9])$")
_TARGET = re.compile(r"^(?:https?://[^/?#\s]+)?(/[^\s#]*)$")
_DIGITS = re.compile(r"^[0-9]+$")
_CHUNK_SIZE = re.compile(rb"^([0-9A-Fa-f]{1,16})[ \t]*(?:;.*)?$")


class HttpError(Exception):
    """A request the server refuses before the sandbox sees it.

    Args:
        status: The HTTP status to answer.
        message: What was wrong, for the JSON error body.
    """

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(f"{status}: {message}")


class ConnectionClosed(Exception):
    """The client closed the connection (or sent nothing before the timeout)."""


class DeadlineReader:
    """Buffered reads from a socket that fail once a deadline has passed.

    Args:
        sock: The connected socket.
        timeout: Seconds one request may take to arrive, from `start()`.
    """

    def __init__(self, sock: socket.socket, timeout: float) -> None:
        self._sock = sock
        self._timeout = timeout
        self._buffer = bytearray()
        self._deadline = time.monotonic() + timeout
        self.received = False

    def start(self) -> None:
        """Start the clock of the next request (at connect and after each answer)."""
        self._deadline = time.monotonic() + self._timeout
        self.received = bool(self._buffer)

    def _fill(self) -> None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise self._timed_out()
        self._sock.settimeout(remaining)
        try:
            data = self._sock.recv(65_536)
        except TimeoutError:
            raise self._timed_out() from None
        except OSError:
            raise ConnectionClosed from None
        if not data:
            raise ConnectionClosed
        self._buffer += data
        self.received = True

    def _timed_out(self) -> Exception:
        if self.received:
            return HttpError(408, f"the request did not arrive within {self._timeout:g} seconds")
        return ConnectionClosed()

    def readline(self, limit: int, status: int, what: str) -> bytes:
        """Read one line, without its line ending (CRLF or a bare LF).

        Args:
            limit: The longest line accepted, in bytes.
            status: The status to answer when the line is longer.
            what: What the line is, for the message.

        Returns:
            The line.

        Raises:
            HttpError: When the line exceeds ``limit`` or the deadline passes.
            ConnectionClosed: When the client goes away.
        """
        while True:
            end = self._buffer.find(b"\n", 0, limit + 2)
            if end >= 0:
                line = bytes(self._buffer[:end])
                del self._buffer[: end + 1]
                return line[:-1] if line.endswith(b"\r") else line
            if len(self._buffer) > limit + 1:
                raise HttpError(status, f"{what} is longer than {limit} bytes")
            self._fill()

    def read(self, size: int) -> bytes:
        """Read exactly ``size`` bytes.

        Args:
            size: How many bytes.

        Returns:
            The bytes.

        Raises:
            HttpError: 408 when the deadline passes first.
            ConnectionClosed: When the client goes away.
        """
        while len(self._buffer) < size:
            self._fill()
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data


@dataclass
class RequestHead:
    """The request line and headers of one request.

    Attributes:
        method: The method, case preserved (methods are case-sensitive).
        target: The path and query (an absolute-form target is reduced to them).
        version: ``(major, minor)``.
        headers: ``(name, value)`` pairs in order, names lower-cased.
    """

    method: str
    target: str
    version: tuple[int, int]
    headers: list[tuple[str, str]] = field(default_factory=list)

    def values(self, name: str) -> list[str]:
        """Return every value of a header, comma-separated lists split.

        Args:
            name: The lower-case header name.

        Returns:
            The stripped values, empty ones left out.
        """
        found = [part.strip() for key, value in self.headers if key == name for part in value.split(",")]
        return [value for value in found if value]

    def get(self, name: str) -> str | None:
        """Return the first value of a header, or None.

        Args:
            name: The lower-case header name.

        Returns:
            The raw value.
        """
        return next((value for key, value in self.headers if key == name), None)

    @property
    def keep_alive(self) -> bool:
        """Whether the connection may serve another request after this one."""
        tokens = {value.lower() for value in self.values("connection")}
        if self.version >= (1, 1):
            return "close" not in tokens
        return "keep-alive" in tokens


def read_head(reader: DeadlineReader) -> RequestHead:
    """Read and check a request line and its headers.

    Args:
        reader: The connection's reader.

    Returns:
        The parsed head.

    Raises:
        HttpError: 400, 414, 431 or 505 for a malformed head; 408 on timeout.
        ConnectionClosed: When the client goes away or sends nothing.
    """
    line = reader.readline(MAX_REQUEST_LINE, 414, "the request line")
    if not line:  # one empty line before a request is tolerated (RFC 9112, 2.2)
        line = reader.readline(MAX_REQUEST_LINE, 414, "the request line")
    head = parse_request_line(line)
    head.headers = _read_headers(reader)
    return head


def parse_request_line(line: bytes) -> RequestHead:
    """Parse ``METHOD SP target SP HTTP/x.y``.

    Args:
        line: The line without its ending.

    Returns:
        A head without headers.

    Raises:
        HttpError: 400 for a malformed line, 505 for a version other than 1.x.
    """
    try:
        text = line.decode("ascii")
    except UnicodeDecodeError:
        raise HttpError(400, "the request line is not ASCII") from None
    parts = text.split(" ")
    if len(parts) != 3:
        raise HttpError(400, "malformed request line: expected 'METHOD /path HTTP/1.1'")
    method, target, version = parts
    if not _TOKEN.match(method):
        raise HttpError(400, f"malformed request line: {method[:40]!r} is not a method")
    match = _VERSION.match(version)
    if match is None:
        raise HttpError(400, f"malformed request line: {version[:40]!r} is not an HTTP version")
    major, minor = int(match.group(1)), int(match.group(2))
    if major != 1:
        raise HttpError(505, f"HTTP/{major}.{minor} is not supported; use HTTP/1.1")
    path = _TARGET.match(target)
    if path is None:
        raise HttpError(400, "malformed request line: the target must be a path such as /v2/droplets")
    return RequestHead(method, path.group(1), (major, minor))


def _read_headers(reader: DeadlineReader) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    total = 0
    while True:
        line = reader.readline(MAX_HEADER_BYTES, 431, "a header line")
        if not line:
            return headers
        total += len(line)
        if total > MAX_HEADER_BYTES or len(headers) >= MAX_HEADERS:
            raise HttpError(431, f"the headers exceed {MAX_HEADER_BYTES} bytes or {MAX_HEADERS} fields")
        headers.append(_parse_header(line))


def _parse_header(line: bytes) -> tuple[str, str]:
    try:
        text = line.decode("latin-1")
    except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
        raise HttpError(400, "malformed header") from None
    name, colon, value = text.partition(":")
    if not colon or not _TOKEN.match(name):
        raise HttpError(400, f"malformed header line: {text[:40]!r}")
    if any(ord(char) < 32 and char != "\t" for char in value):
        raise HttpError(400, f"malformed header value of {name}")
    return name.lower(), value.strip(" \t")


def body_length(head: RequestHead, max_body: int) -> int | None:
    """Decide how the body is framed.

    Args:
        head: The request head.
        max_body: The largest body accepted, in bytes.

    Returns:
        The ``Content-Length``, or None for a chunked body.

    Raises:
        HttpError: 400 for a malformed or contradictory framing, 411 for a
            body method without a length, 413 for a body over ``max_body``,
            501 for a transfer coding other than ``chunked``.
    """
    codings = [value.lower() for value in head.values("transfer-encoding")]
    lengths = head.values("content-length")
    if head.get("transfer-encoding") is not None:
        if lengths:
            raise HttpError(400, "give either Content-Length or Transfer-Encoding, not both")
        if head.version < (1, 1):
            raise HttpError(400, "Transfer-Encoding needs HTTP/1.1")
        if codings != ["chunked"]:
            raise HttpError(501, f"transfer coding {', '.join(codings) or 'empty'!r} is not supported; use chunked")
        return None
    if not lengths and head.get("content-length") is None:
        if head.method in BODY_METHODS:
            raise HttpError(411, f"{head.method} needs a Content-Length (or a chunked body)")
        return 0
    if not lengths or any(not _DIGITS.match(value) for value in lengths) or len({int(v) for v in lengths}) > 1:
        raise HttpError(400, f"malformed Content-Length: {head.get('content-length')!r}")
    length = int(lengths[0])
    if length > max_body:
        raise HttpError(413, f"the body of {length} bytes is over the limit of {max_body} bytes")
    return length


def read_chunked(reader: DeadlineReader, max_body: int) -> bytes:
    """Read and decode a chunked body, trailers included (and ignored).

    Args:
        reader: The connection's reader.
        max_body: The largest decoded body accepted, in bytes.

    Returns:
        The decoded body.

    Raises:
        HttpError: 400 for a malformed chunk, 413 past ``max_body``, 408 on timeout.
        ConnectionClosed: When the client goes away.
    """
    body = bytearray()
    while True:
        line = reader.readline(MAX_CHUNK_LINE, 400, "a chunk size line")
        match = _CHUNK_SIZE.match(line)
        if match is None:
            raise HttpError(400, f"malformed chunk size line: {line[:40]!r}")
        size = int(match.group(1), 16)
        if size == 0:
            _read_headers(reader)
            return bytes(body)
        if len(body) + size > max_body:
            raise HttpError(413, f"the chunked body is over the limit of {max_body} bytes")
        body += reader.read(size)
        if reader.readline(2, 400, "a chunk's end") != b"":
            raise HttpError(400, "malformed chunk: its data is not followed by CRLF")
