"""Shared test helpers: a mock transport and paths to the spec's examples."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from droplets import Request, Response

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
"""The vendored spec data (``scripts/vendor_spec.py`` regenerates it); tests never read outside the repository."""
SPEC_DIR = DATA / "openapi"
SPEC_FILE = SPEC_DIR / "droplets-openapi.yaml"
EXAMPLES = SPEC_DIR / "examples"
SEED_SIGNATURES = DATA / "seed_signatures.json"


ALLOWED_SKIP_PREFIXES = ("sandbox only:",)
"""The only skips a run may have: a scenario's cassette half where the spec has no example to replay.

Anything else (a missing file, a missing package, a missing service) means the run did not test
what it claims to. Under CI (the ``CI`` environment variable, which ``.ci/run``'s runner sets) such a
skip fails the run; elsewhere it is listed at the end of the run.
"""
_unexpected_skips: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect every skip whose reason is not an allowed one."""
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2]).removeprefix("Skipped: ")
        if not reason.startswith(ALLOWED_SKIP_PREFIXES):
            _unexpected_skips.append(f"{report.nodeid}: {reason}")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Name the unexpected skips; under CI they fail the run."""
    if _unexpected_skips:
        terminalreporter.section("skips that hide missing pieces")
        for line in _unexpected_skips:
            terminalreporter.write_line(line)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI, a run with an unexpected skip fails."""
    if _unexpected_skips and os.environ.get("CI") and exitstatus == 0:
        session.exitstatus = 1


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
