"""The `Sandbox`: one entry point, ``handle()``, from bytes to bytes.

A request goes through, in order: the request log, fault injection, bearer
authentication, the per-token rate limit, lazy state advance, routing, the
handler, and rendering (JSON body and the headers every answer carries).
Nothing but `ConnectionDropped` ever escapes ``handle()``.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from droplets.sandbox.clock import Clock, VirtualClock
from droplets.sandbox.errors import ApiError, ConnectionDropped
from droplets.sandbox.faults import Fault, Faults
from droplets.sandbox.fixtures import load_fixture, read_fixture
from droplets.sandbox.ids import request_id as new_request_id
from droplets.sandbox.lifecycle import Lifecycle
from droplets.sandbox.progression import Progression
from droplets.sandbox.ratelimit import RateLimiter
from droplets.sandbox.request import Request
from droplets.sandbox.routes import allowed_methods, resolve
from droplets.sandbox.seeding import seed_droplets
from droplets.sandbox.state import SandboxState
from droplets.sandbox.wire import action_wire, droplet_wire

STATS_PATH = "/_sandbox/stats"
_BEARER = re.compile(r"^\s*bearer\s+(\S+)\s*$", re.IGNORECASE)
_HTML = b"<html>bad gateway</html>"
_SLASHES = re.compile(r"/{2,}")


@dataclass(frozen=True)
class SandboxResponse:
    """One answer of the sandbox.

    Attributes:
        status: The HTTP status.
        headers: Response headers, lower-case names.
        body: The body bytes (empty for 204).
        delay: Seconds the server "took" before answering (injected delay).
    """

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0

    def json(self) -> Any:
        """Decode the body as JSON (None for an empty body)."""
        return json.loads(self.body) if self.body else None


class Sandbox:
    """An in-memory DigitalOcean account speaking the API v2 wire format.

    Args:
        seed: Seed of ids and addresses (request ids are random UUID4s, unique like the API's).
        clock: The clock; a fresh `VirtualClock` by default.
        base_url: Scheme and host used in absolute links (pagination, action hrefs).
        rate_limit: Requests per token per hour; None never answers 429.
        burst_limit: Requests per token per burst window (429 with ``retry-after``).
        burst_window: The burst window in seconds (a minute, like the real API's).
        lifecycle: Timings to change from their defaults (see `Lifecycle.set`):
            ``appear_after``, ``networks_after``, ``ssh_after``, ``gone_after``,
            ``open_ports``; also changeable later through ``sandbox.lifecycle``.
        strict: Refuse (422) unknown body fields and the strings ``"true"``/``"false"``
            for booleans, which the real API, and the default lenient sandbox,
            ignore and accept. Turn it on to catch a caller's typos.
        fixture: An account state to start from: a path to a JSON file or the
            fixture object itself (see `droplets.sandbox.fixtures`).
    """

    def __init__(
        self,
        seed: int = 0,
        clock: Clock | None = None,
        base_url: str = "https://api.digitalocean.com",
        rate_limit: int | None = 5000,
        burst_limit: int | None = 250,
        burst_window: float = 60.0,
        lifecycle: Mapping[str, Any] | None = None,
        strict: bool = False,
        fixture: str | Path | Mapping[str, Any] | None = None,
    ) -> None:
        self.strict = strict
        self.clock: Clock = clock if clock is not None else VirtualClock()
        self.progression = Progression()
        self.lifecycle = Lifecycle()
        self.lifecycle.set(**(lifecycle or {}))
        self.faults = Faults()
        self._lock = threading.RLock()
        self._state = SandboxState(seed, self.clock, base_url, self.progression, self.lifecycle)
        self._limiter = RateLimiter(rate_limit, burst_limit, burst_window)
        self._requests: list[tuple[str, str]] = []
        if fixture is not None:
            load_fixture(self._state, read_fixture(fixture))

    def __repr__(self) -> str:
        return f"Sandbox(base_url={self.base_url!r}, droplets={len(self._state.droplets)})"

    @property
    def base_url(self) -> str:
        """Scheme and host of the absolute links the sandbox writes."""
        return self._state.base_url

    # -- the request path -------------------------------------------------

    def handle(self, method: str, url: str, headers: Mapping[str, str], body: bytes = b"") -> SandboxResponse:
        """Answer one API request.

        Methods are case-sensitive, as in HTTP: a method a path does not
        answer gets 405 with ``allow``. HEAD answers like GET, with an empty
        body and the GET body's ``content-length``. Repeated slashes in the
        path are read as one (``/v2//droplets``).

        Args:
            method: The HTTP method.
            url: The absolute URL (only path and query matter).
            headers: Request headers (any case).
            body: The request body.

        Returns:
            The response.

        Raises:
            ConnectionDropped: When a ``drop`` fault was injected.
        """
        try:
            with self._lock:
                return self._handle(method, url, headers, body)
        except ConnectionDropped:
            raise
        except Exception:  # never let a sandbox bug escape: answer 500
            return self._render_error(ApiError(500), "", "00000000-0000-4000-8000-000000000000")

    def _handle(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> SandboxResponse:
        parts = urlsplit(url)
        path = _SLASHES.sub("/", parts.path or "/")
        if path == STATS_PATH and method in ("GET", "HEAD"):
            return _head_only(method, SandboxResponse(200, {"content-type": "application/json"}, _dumps(self.stats())))
        self._requests.append((method, f"{path}?{parts.query}" if parts.query else path))
        request_id = new_request_id()
        token = _bearer_token(headers)
        fault = self.faults.pick(method, path)
        if fault is not None and fault.when == "before" and fault.kind != "delay":
            return self._apply_fault(fault, token, request_id)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        request = Request(
            method,
            unquote(path).rstrip("/") or "/",
            query,
            body,
            strict=self.strict,
            headers={name.lower(): value for name, value in headers.items()},
        )  # env%3Aprod
        response = self._dispatch(request, token, request_id)
        if fault is not None and fault.when == "after" and fault.kind != "delay":
            return self._apply_fault(fault, token, request_id)
        if fault is not None and fault.kind == "delay":
            response = replace(response, delay=fault.delay)
        return response

    def _dispatch(self, request: Request, token: str | None, request_id: str) -> SandboxResponse:
        state = self._state
        try:
            if token is None:
                raise ApiError(401)
            self._limiter.admit(token, self.clock.time(), request.path)
            state.advance()
            route = resolve(request.method, request.path)
            if route is None:
                allowed = allowed_methods(request.path)
                raise ApiError(405, headers={"allow": ", ".join(allowed)}) if allowed else ApiError(404)
            handler, request.params = route
            status, payload = handler(state, request)
        except ApiError as error:
            state.end_request(False)
            return _head_only(request.method, self._render_error(error, token or "", request_id))
        state.end_request(True)
        body = b"" if payload is None else _dumps(payload)
        return _head_only(request.method, SandboxResponse(status, self._headers(token, request_id), body))

    def _apply_fault(self, fault: Fault, token: str | None, request_id: str) -> SandboxResponse:
        if fault.kind == "drop":
            raise ConnectionDropped("injected fault: connection closed without an answer")
        if fault.kind == "not_json":
            headers = {"content-type": "text/html", "x-request-id": request_id}
            return SandboxResponse(fault.status, headers, _HTML)
        extra = {}
        if fault.retry_after is not None:
            extra["retry-after"] = str(math.ceil(fault.retry_after))
        return self._render_error(ApiError(fault.status, headers=extra), token or "", request_id)

    def _headers(self, token: str | None, request_id: str) -> dict[str, str]:
        headers = {"content-type": "application/json"}
        headers.update(self._limiter.headers(token or "", self.clock.time()))
        headers["x-request-id"] = request_id
        return headers

    def _render_error(self, error: ApiError, token: str, request_id: str) -> SandboxResponse:
        try:
            headers = self._headers(token, request_id)
        except Exception:
            headers = {"content-type": "application/json", "x-request-id": request_id}
        headers.update(error.headers)
        return SandboxResponse(error.status, headers, _dumps(error.body(request_id)))

    def probe(self, host: str, port: int) -> bool:
        """Answer a TCP connection attempt to a droplet's address, on the sandbox clock.

        No socket is opened: the sandbox transport routes port checks here.
        See `droplets.sandbox.lifecycle` for when a droplet's port accepts.

        Args:
            host: The address connected to.
            port: The TCP port.

        Returns:
            Whether the connection would be accepted.
        """
        with self._lock:
            self._state.advance()
            return self._state.probe(host, port)

    # -- test helpers -----------------------------------------------------

    def fail_destroy(self, resource: str, message: str = "the resource could not be destroyed", times: int = 1) -> None:
        """Make a destroy with associated resources fail on one resource (its id or name), ``times`` times.

        The status then shows ``error_message`` for it and counts it in ``failures``; the
        resource stays in its list until a retry destroys it.
        """
        from droplets.sandbox.handlers.associated import inject_failure

        with self._lock:
            inject_failure(self._state, resource, message, times)

    def seed_droplets(
        self,
        count: int,
        tag: str | None = None,
        region: str = "nyc3",
        size: str = "s-1vcpu-1gb",
        image: str | int = "ubuntu-24-04-x64",
        status: str = "active",
    ) -> list[int]:
        """Create fully provisioned droplets at once (fast: 10,000 in well under a second).

        Args:
            count: How many droplets.
            tag: A tag for all of them (also their name prefix).
            region: Region slug.
            size: Size slug.
            image: Image slug or id.
            status: ``active``, ``off`` or ``archive``.

        Returns:
            The new droplets' ids.

        Raises:
            ValueError: For an unknown region, size or image, or a bad status.
        """
        with self._lock:
            return seed_droplets(self._state, count, tag, region, size, image, status)

    def droplets(self) -> list[dict[str, Any]]:
        """Return every droplet as an independent wire dict, by id (state advanced first)."""
        with self._lock:
            self._state.advance()
            return list(json.loads(_dumps([droplet_wire(d) for d in self._state.droplets.values()])))

    def actions(self) -> list[dict[str, Any]]:
        """Return every action as an independent wire dict, oldest first (state advanced first)."""
        with self._lock:
            self._state.advance()
            return list(json.loads(_dumps([action_wire(a) for a in self._state.actions.values()])))

    def stats(self) -> dict[str, int]:
        """Count the requests the rate limits let through and the 429s they answered.

        Served as JSON at ``GET /_sandbox/stats`` (not an API path: it needs no
        token, is not logged and counts for no limit).

        Returns:
            ``admitted``, ``rate_limited`` (429s sent by the limits; injected
            faults are not counted) and, of those, ``hourly``, ``burst`` and
            ``path``; ``tokens``, how many tokens were seen.
        """
        with self._lock:
            return self._limiter.stats()

    @property
    def requests(self) -> list[tuple[str, str]]:
        """The log of ``(method, path_with_query)`` of every request, in order."""
        with self._lock:
            return list(self._requests)

    @property
    def request_count(self) -> int:
        """How many requests were handled since the last `reset_log()`."""
        with self._lock:
            return len(self._requests)

    def reset_log(self) -> None:
        """Empty the request log."""
        with self._lock:
            self._requests.clear()


def _head_only(method: str, response: SandboxResponse) -> SandboxResponse:
    if method != "HEAD":
        return response
    headers = {**response.headers, "content-length": str(len(response.body))}
    return replace(response, headers=headers, body=b"")


def _bearer_token(headers: Mapping[str, str]) -> str | None:
    for name, value in headers.items():
        if name.lower() == "authorization":
            match = _BEARER.match(value)
            return match.group(1) if match else None
    return None


def _dumps(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode("utf-8")
