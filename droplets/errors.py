"""The exception tree of ``droplets``.

Every failure a user can see derives from `DropletsError`::

    DropletsError
    ├── ValidationError            bad input, refused before any request
    ├── APIError                   DigitalOcean answered with an error status
    │   ├── BadRequest             400
    │   ├── Unauthorized           401
    │   ├── Forbidden              403
    │   ├── NotFound               404  (Model.DoesNotExist subclasses it)
    │   ├── Conflict               409
    │   ├── Unprocessable          422
    │   ├── RateLimited            429  (.retry_after, .reset_at)
    │   └── ServerError            5xx
    ├── TransportError             no usable answer (connection failure, timeout)
    │   ├── UnexpectedResponse     an answer that is not the API's JSON shape
    │   └── RateLimitStoreError    the shared rate-limit store cannot be reached (nothing sent)
    ├── MultipleObjectsReturned    get() matched more than one object
    ├── ActionFailed               an awaited action ended "errored" (.action)
    └── WaitTimeout                a wait outlived its timeout (.stage, .action)

Messages say what happened, what was sent (never the token) and what to do
next. `error_for_response()` is the one place that maps an HTTP status and
DigitalOcean's ``{"id", "message", "request_id"}`` body to a class.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from droplets._json import loads
from droplets._secrets import redact, redact_bytes
from droplets.ratelimit import parse_reset, parse_retry_after, reset_datetime

if TYPE_CHECKING:
    from droplets.models.action import Action

__all__ = [
    "APIError",
    "ActionFailed",
    "BadRequest",
    "Conflict",
    "DestroyFailed",
    "DropletsError",
    "Forbidden",
    "MultipleObjectsReturned",
    "NotFound",
    "RateLimitStoreError",
    "RateLimited",
    "ServerError",
    "TransportError",
    "Unauthorized",
    "UnexpectedResponse",
    "Unprocessable",
    "ValidationError",
    "WaitTimeout",
    "error_for_response",
]


class DropletsError(Exception):
    """Base class of every error this library raises.

    Its message never holds a token of a `Client` built in this process: the
    text is redacted when the error is built and again when it is shown.
    """

    def __init__(self, *args: Any) -> None:
        super().__init__(*(redact(arg) if isinstance(arg, str) else arg for arg in args))

    def __str__(self) -> str:
        return redact(super().__str__())


class ValidationError(DropletsError, ValueError):
    """Bad input, caught before any request was sent."""


class MultipleObjectsReturned(DropletsError):
    """A ``get()`` lookup matched more than one object."""


class TransportError(DropletsError):
    """No usable answer from the server: connection failure or timeout.

    Attributes:
        method: HTTP method of the request that failed.
        url: URL of the request (never contains the token).
        attempts: How many attempts were made before giving up.
        reached_server: ``False`` when the request provably never reached the
            server (connection refused, DNS failure), ``True`` when it may have
            been processed, ``None`` when unknown.
        permanent: ``True`` when sending the same request again can never
            succeed (it cannot even be put on the wire), so it is not retried.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str = "",
        url: str = "",
        attempts: int = 1,
        reached_server: bool | None = None,
        permanent: bool = False,
    ) -> None:
        super().__init__(message)
        self.method = method
        self.url = redact(url)
        self.attempts = attempts
        self.reached_server = reached_server
        self.permanent = permanent

    def __str__(self) -> str:
        text = super().__str__()
        if self.method and self.url and self.url not in text:
            text = f"{text} ({self.method} {self.url})"
        if self.attempts > 1:
            text = f"{text} after {self.attempts} attempts"
        return redact(text)


class RateLimitStoreError(TransportError):
    """The shared rate-limit store (``rate_limit_store``) cannot be reached; the request was not sent."""


class UnexpectedResponse(TransportError):
    """The server answered, but not with JSON in the shape the API documents.

    Attributes:
        status: HTTP status of the answer.
        body_start: The first bytes of the body, for diagnosis.
        path: Where in the body the shape was wrong, if known.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        body_start: bytes = b"",
        path: str = "",
        method: str = "",
        url: str = "",
        attempts: int = 1,
    ) -> None:
        super().__init__(message, method=method, url=url, attempts=attempts, reached_server=True)
        self.status = status
        self.body_start = redact_bytes(body_start)
        self.path = redact(path)


class APIError(DropletsError):
    """DigitalOcean answered with an error status.

    ``str(error)`` reads ``<context>: <status> <id>: <message> (<method> <url>)
    [request_id ...]. <hint>``: what the library was doing, what DigitalOcean
    said, what was sent and what to do next. An error the library raises
    without an HTTP answer behind it (``get(name=...)`` matched nothing)
    shows only its message and hint.

    Attributes:
        status: The HTTP status code.
        id: DigitalOcean's short error code, e.g. ``"not_found"``.
        message: DigitalOcean's message, verbatim (only a token in it is redacted).
        request_id: The request id to quote in a support ticket, if given.
        method: HTTP method of the request.
        url: URL of the request (never contains the token).
        attempts: How many attempts were made.
        context: What the library was doing, e.g. ``"Droplet 123 does not exist"``.
        hint: What to do next.
    """

    hint = ""
    context = ""

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        id: str = "",
        request_id: str | None = None,
        method: str = "",
        url: str = "",
        attempts: int = 1,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.id = redact(id)
        self.message = redact(message)
        self.request_id = redact(request_id) if request_id is not None else None
        self.method = method
        self.url = redact(url)
        self.attempts = attempts

    def __str__(self) -> str:
        parts = [f"{self.status} {self.id}: {self.message}" if self.status and self.url else self.message]
        if self.method and self.url:
            parts.append(f"({self.method} {self.url})")
        if self.request_id:
            parts.append(f"[request_id {self.request_id}]")
        if self.attempts > 1:
            parts.append(f"after {self.attempts} attempts")
        text = " ".join(parts)
        if self.context:
            text = f"{self.context}: {text}"
        if self.hint:
            text = f"{text.rstrip('.')}. {self.hint}"
        return redact(text)


class BadRequest(APIError):
    """400: the request was malformed."""


class Unauthorized(APIError):
    """401: the token is missing, wrong or revoked."""

    hint = "Check DIGITALOCEAN_TOKEN (or the token passed to Client/configure)."


class Forbidden(APIError):
    """403: the token lacks the scope for this operation."""

    hint = "Give the token the scope this operation needs."


class NotFound(APIError):
    """404: no such object."""


class Conflict(APIError):
    """409: the request conflicts with the object's state."""


class Unprocessable(APIError):
    """422: the request was understood but refused (e.g. the droplet is locked)."""


class RateLimited(APIError):
    """429: the API rate limit is spent.

    Attributes:
        retry_after: Seconds to wait, from the ``retry-after`` header, or None.
        reset_at: When the oldest counted request expires, or None.
    """

    hint = "Wait until the rate limit resets, or lower the request rate."

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        reset_at: datetime | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
        self.reset_at = reset_at


class ServerError(APIError):
    """5xx: DigitalOcean failed to process the request."""


class ActionFailed(DropletsError):
    """An awaited action ended with status ``errored``.

    Attributes:
        action: The (first) failed `Action`.
        actions: Every failed action, when several were awaited together.
    """

    def __init__(self, action: Action, actions: list[Action] | None = None) -> None:
        others = f" ({len(actions) - 1} more failed)" if actions and len(actions) > 1 else ""
        super().__init__(
            f"action {action.id} ({action.type}) on {action.resource_type} "
            f"{action.resource_id} ended 'errored'{others}; inspect it with Action.get({action.id})"
        )
        self.action = action
        self.actions = actions or [action]


class DestroyFailed(DropletsError):
    """A destroy with associated resources finished, but some resources were not destroyed.

    They still exist and are still billed. ``d.retry_destroy(wait=True)`` tries them again.

    Attributes:
        droplet_id: The droplet whose destroy this was.
        left: ``(kind, id, name, reason)`` of every resource that was not destroyed
            (kind is ``volumes``, ``snapshots``, ``volume_snapshots``, ``reserved_ips`` or ``floating_ips``).
        status: The last `DestroyStatus` read.
    """

    def __init__(self, droplet_id: int, left: list[tuple[str, str, str, str]], status: Any) -> None:
        listed = "; ".join(f"{kind} {ident} ({name}): {reason}" for kind, ident, name, reason in left[:10])
        more = f"; and {len(left) - 10} more" if len(left) > 10 else ""
        count = len(left) or getattr(status, "failures", 0)
        super().__init__(
            f"droplet {droplet_id}: the destroy with associated resources finished with {count} resource(s) "
            f"not destroyed, still billed: {listed or 'the API counted failures but named none'}{more}. "
            f"Retry with Droplet.ref({droplet_id}).retry_destroy(wait=True), or delete them one by one"
        )
        self.droplet_id = droplet_id
        self.left = left
        self.status = status


class WaitTimeout(DropletsError):
    """A wait ran out of time before reaching its goal.

    ``stage`` names the step that was not reached: ``"action"`` (an action
    still in progress), ``"status"`` (a droplet not yet ``active`` or not yet
    shown by the API), ``"address"`` (no IPv4 address assigned yet),
    ``"port"`` (its SSH port not accepting connections), ``"gone"`` (a
    destroyed droplet still shown) or ``"queue"`` (a droplet still locked by
    another action, so this one was not sent).

    Attributes:
        action: The `Action` as last seen (``action.wait()`` waits again), or
            None when the stage is not about an action.
        timeout: The timeout that passed, in seconds.
        stage: The stage that was not reached.
        droplets: The droplets that did not reach it, as last seen (may be empty).
    """

    def __init__(
        self,
        action: Action | None,
        timeout: float,
        *,
        stage: str = "action",
        detail: str | None = None,
        droplets: list[Any] | None = None,
    ) -> None:
        if detail is None and action is not None:
            detail = (
                f"action {action.id} ({action.type}) on {action.resource_type} "
                f"{action.resource_id} still {action.status!r} after {timeout:g}s; "
                "call .action.wait() to keep waiting"
            )
        super().__init__(detail or f"stage {stage!r} not reached after {timeout:g}s")
        self.action = action
        self.timeout = timeout
        self.stage = stage
        self.droplets = list(droplets or [])


_CLASS_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: Unprocessable,
    429: RateLimited,
}


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _unexpected_status(
    status: int, headers: dict[str, str], body: bytes, *, method: str, url: str, attempts: int
) -> UnexpectedResponse:
    """A redirect (or an informational status): never a success, never followed."""
    if status < 300:
        what = f"HTTP {status} is not a final answer the API gives"
    else:
        location = _header(headers, "location")
        where = f"to {location[:200]!r}" if location else "without a Location"
        what = f"HTTP {status} redirect {where}: the DigitalOcean API never redirects, so it was not followed"
    return UnexpectedResponse(
        f"{what}; the request was not done and not sent elsewhere (the token only goes to the configured host). "
        "Check base_url (DIGITALOCEAN_API_URL) and any proxy in between",
        status=status,
        body_start=body[:200],
        method=method,
        url=url,
        attempts=attempts,
    )


def error_for_response(
    status: int,
    headers: dict[str, str],
    body: bytes,
    *,
    method: str = "",
    url: str = "",
    attempts: int = 1,
) -> DropletsError:
    """Build the error for a non-success answer.

    Args:
        status: The HTTP status code (4xx or 5xx).
        headers: Response headers (any case).
        body: Raw response body.
        method: Method of the request, for the message.
        url: URL of the request, for the message (must not hold the token).
        attempts: Attempts made, for the message.

    Returns:
        An `APIError` subclass for DigitalOcean's error body, or
        `UnexpectedResponse` when the body is not that JSON shape, or the
        answer is a redirect (the API never redirects).
    """
    if 300 <= status < 400 or status < 200:
        return _unexpected_status(status, headers, body, method=method, url=url, attempts=attempts)
    try:
        data = loads(body)
    except (ValueError, RecursionError):  # RecursionError: a body nested too deep for the decoder
        data = None
    if isinstance(data, dict) and isinstance(data.get("error"), str) and isinstance(data.get("root_causes"), list):
        # The spec's other error shape (tag create's 400): {"error", "messages", "root_causes"}.
        data = {"id": "bad_request" if status == 400 else "error", "message": data["error"]}
    if not (isinstance(data, dict) and isinstance(data.get("id"), str) and isinstance(data.get("message"), str)):
        return UnexpectedResponse(
            f"HTTP {status} without DigitalOcean's error body; body starts {body[:200]!r}",
            status=status,
            body_start=body[:200],
            method=method,
            url=url,
            attempts=attempts,
        )
    request_id = data.get("request_id") or _header(headers, "x-request-id")
    cls = _CLASS_BY_STATUS.get(status, ServerError if status >= 500 else APIError)
    common: dict[str, Any] = {
        "status": status,
        "id": data["id"],
        "request_id": request_id if isinstance(request_id, str) else None,
        "method": method,
        "url": url,
        "attempts": attempts,
    }
    if cls is RateLimited:
        return RateLimited(
            data["message"],
            retry_after=parse_retry_after(_header(headers, "retry-after"), time.time()),
            reset_at=reset_datetime(parse_reset(_header(headers, "ratelimit-reset"))),
            **common,
        )
    return cls(data["message"], **common)
