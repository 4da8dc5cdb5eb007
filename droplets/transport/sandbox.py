"""The in-process sandbox transport: the same client code path, no network.

The sandbox (``droplets.sandbox``) shares nothing with the client but the
wire format, so this adapter is the only place that knows both: it hands the
request's bytes to ``Sandbox.handle`` and turns the sandbox's own signals
into what a network would do. An injected dropped connection becomes a
`TransportError`; an injected delay advances the virtual
clock, and a delay past the read timeout becomes a read timeout.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from droplets.errors import TransportError
from droplets.transport.base import Request, Response

if TYPE_CHECKING:
    from droplets.sandbox import Sandbox

__all__ = ["SandboxTransport"]


class SandboxTransport:
    """A `Transport` onto an in-process `Sandbox`.

    Args:
        sandbox: The simulated account to talk to.
    """

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.clock = sandbox.clock

    @classmethod
    def create(cls, **options: Any) -> SandboxTransport:
        """Build the transport on a fresh sandbox made with ``options``."""
        from droplets.sandbox import Sandbox

        return cls(Sandbox(**options))

    def send(self, request: Request) -> Response:
        """Hand the request to the sandbox; see `Transport`."""
        from droplets.sandbox import ConnectionDropped

        try:
            answer = self.sandbox.handle(request.method, request.url, request.headers, request.body or b"")
        except ConnectionDropped as error:
            raise TransportError(
                "the server closed the connection without answering",
                method=request.method,
                url=request.url,
                reached_server=None,
            ) from error
        read_timeout = request.timeout[1]
        if answer.delay > read_timeout:
            self.clock.sleep(read_timeout)
            raise TransportError(
                f"no answer within the read timeout of {read_timeout:g}s",
                method=request.method,
                url=request.url,
                reached_server=None,
            )
        if answer.delay > 0:
            self.clock.sleep(answer.delay)
        return Response(status=answer.status, headers=dict(answer.headers), body=answer.body)

    def probe(self, host: str, port: int, timeout: float) -> bool:
        """Ask the sandbox whether a simulated droplet's port accepts (no socket is opened)."""
        del timeout  # the sandbox answers at once: accepted or refused
        return self.sandbox.probe(host, port)

    def close(self) -> None:
        """Nothing to release."""
