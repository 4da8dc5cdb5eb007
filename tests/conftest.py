"""Shared test helpers: a mock transport and paths to the spec's examples."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from droplets import Request, Response

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
"""The vendored spec data (``scripts/vendor_spec.py`` regenerates it from ``../shared/``)."""
SPEC_DIR = DATA / "openapi"
SPEC_FILE = SPEC_DIR / "droplets-openapi.yaml"
EXAMPLES = SPEC_DIR / "examples"
SEED_SIGNATURES = DATA / "seed_signatures.json"


def load_example(name: str) -> Any:
    """Load one example body of the official spec (vendored in ``tests/data/openapi/examples``)."""
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


Handler = Callable[[Request], Response]


class MockTransport:
    """A transport answering from a handler function, recording every request."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self.closed = False

    def send(self, request: Request) -> Response:
        self.requests.append(request)
        return self.handler(request)

    def close(self) -> None:
        self.closed = True


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer with DigitalOcean's usual headers."""
    base = {"content-type": "application/json", "ratelimit-limit": "5000", "ratelimit-remaining": "4999",
            "ratelimit-reset": "1700000000", "x-request-id": "req-123"}  # fmt: skip
    base.update(headers or {})
    return Response(status=status, headers=base, body=b"" if body is None else json.dumps(body).encode())
