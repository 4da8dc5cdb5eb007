"""The transport seam: a request in, a response out.

A transport only moves bytes. Authentication, retries, rate-limit pacing and
error mapping belong to the `Client` above it, so they
behave the same on every transport. A transport raises
`TransportError` (never a third-party exception) when it got
no answer, saying whether the request could have reached the server.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import attrs

__all__ = ["DEFAULT_TIMEOUT", "Request", "Response", "Timeout", "Transport"]

Timeout = tuple[float, float]
"""(connect, read) timeouts in seconds; the read one is also the deadline of the whole exchange."""

DEFAULT_TIMEOUT: Timeout = (10.0, 30.0)


@attrs.frozen
class Request:
    """An HTTP request as the client hands it to a transport.

    Attributes:
        method: Upper-case HTTP method.
        url: Absolute URL, query string included.
        headers: Request headers (the Authorization header among them).
        body: Body bytes, or None.
        timeout: (connect, read) timeouts in seconds; a transport should also end the whole
            exchange within the read one (`RequestsTransport` does).
    """

    method: str
    url: str
    headers: dict[str, str] = attrs.field(factory=dict, repr=False)
    body: bytes | None = attrs.field(default=None, repr=False)
    timeout: Timeout = DEFAULT_TIMEOUT


@attrs.frozen
class Response:
    """An HTTP response as a transport hands it back.

    Attributes:
        status: HTTP status code.
        headers: Response headers with lower-case names.
        body: Body bytes (empty for 204).
    """

    status: int
    headers: dict[str, str] = attrs.field(factory=dict)
    body: bytes = attrs.field(default=b"", repr=False)

    def header(self, name: str) -> str | None:
        """Return a header's value by case-insensitive name, or None."""
        return self.headers.get(name.lower())


@runtime_checkable
class Transport(Protocol):
    """Anything that can send a `Request` and return a `Response`."""

    def send(self, request: Request) -> Response:
        """Send one request and return the answer, whatever its status.

        Raises:
            droplets.TransportError: No answer was received.
        """
        ...

    def close(self) -> None:
        """Release connections and other resources."""
        ...
