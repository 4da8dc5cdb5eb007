"""A hostile fake API for the safety tests: real wire bodies, answered by a test's own rules."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from droplets import Client, Request, Response, RetryPolicy
from tests.conftest import MockTransport, json_response

TOKEN = "dop_v1_" + "c0ffee" * 10 + "abcd"


def droplet_bodies(count: int = 3, tag: str | None = "web") -> list[dict[str, Any]]:
    """Valid droplet wire bodies, as the sandbox answers them."""
    sandbox: Any = Client.sandbox().transport.sandbox  # type: ignore[attr-defined]
    sandbox.seed_droplets(count, tag=tag)
    return list(sandbox.droplets())


def client_for(handler: Callable[[Request], Response], **options: Any) -> tuple[Client, MockTransport]:
    """A client on the real API's base URL whose every request the handler answers (retries without waiting)."""
    transport = MockTransport(handler)
    options.setdefault("retry", RetryPolicy(backoff_base=0.0))
    return Client(token=TOKEN, transport=transport, **options), transport


def raw(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Response:
    """An answer with exactly these bytes."""
    return Response(status=status, headers={"content-type": "application/json", **(headers or {})}, body=body)


def page(items: list[dict[str, Any]], total: int | None, next_url: str | None = None) -> Response:
    """A droplets list page with DigitalOcean's envelope."""
    body: dict[str, Any] = {"droplets": items, "links": {"pages": {"next": next_url}} if next_url else {}}
    if total is not None:
        body["meta"] = {"total": total}
    return json_response(200, body)


def nested(depth: int) -> bytes:
    """A JSON body nested ``depth`` arrays deep inside a droplet envelope."""
    return b'{"droplet": ' + b"[" * depth + b"]" * depth + b"}"


def dumps(value: Any) -> bytes:
    """Compact JSON bytes."""
    return json.dumps(value).encode()
