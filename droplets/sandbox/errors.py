"""Errors raised inside the sandbox and how they are rendered on the wire.

Handlers raise `ApiError`; the dispatcher turns it into the API's error
body ``{"id", "message", "request_id"}`` with the id that matches the status.
"""

from __future__ import annotations

from typing import Any

ERROR_IDS: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    409: "conflict",
    411: "length_required",
    413: "payload_too_large",
    414: "uri_too_long",
    422: "unprocessable_entity",
    429: "too_many_requests",
    431: "request_header_fields_too_large",
}

DEFAULT_MESSAGES: dict[int, str] = {
    400: "error parsing request body",
    401: "Unable to authenticate you.",
    403: "You do not have access for the attempted action.",
    404: "The resource you requested could not be found.",
    405: "The method is not allowed on this resource.",
    408: "The request did not arrive in time.",
    409: "The request could not be completed due to a conflict.",
    422: "request payload validation failed",
    429: "API rate limit exceeded.",
    500: "Unexpected server-side error",
    501: "The server does not support this request.",
    502: "Bad gateway: the upstream server did not answer.",
    503: "Service unavailable, please try again later.",
    504: "Gateway timeout: the upstream server took too long.",
}


def error_id(status: int) -> str:
    """Return DigitalOcean's error id for an HTTP status.

    Args:
        status: The HTTP status code.

    Returns:
        The short error code, ``server_error`` for any 5xx.
    """
    if status >= 500:
        return "server_error"
    return ERROR_IDS.get(status, "bad_request")


class ConnectionDropped(Exception):
    """An injected fault: the connection closed without any answer."""


class ApiError(Exception):
    """An error answer the sandbox gives instead of a success.

    Args:
        status: The HTTP status.
        message: The human-readable message; defaults to the API's usual text.
        headers: Extra response headers (``retry-after``).
    """

    def __init__(self, status: int, message: str | None = None, headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.message = message or DEFAULT_MESSAGES.get(status, "Unexpected error")
        self.headers = dict(headers or {})
        super().__init__(f"{status} {error_id(status)}: {self.message}")

    def body(self, request_id: str) -> dict[str, Any]:
        """Return the wire error body.

        Args:
            request_id: The id of the request that failed.

        Returns:
            The ``{"id", "message", "request_id"}`` dict.
        """
        return {"id": error_id(self.status), "message": self.message, "request_id": request_id}


def not_found(what: str = "") -> ApiError:
    """Return a 404 error.

    Args:
        what: Ignored detail kept for readable call sites.

    Returns:
        The error to raise.
    """
    del what
    return ApiError(404)


def unprocessable(message: str) -> ApiError:
    """Return a 422 error with ``message``.

    Args:
        message: What was wrong with the request.

    Returns:
        The error to raise.
    """
    return ApiError(422, message)


def bad_request(message: str) -> ApiError:
    """Return a 400 error with ``message``.

    Args:
        message: What was wrong with the request.

    Returns:
        The error to raise.
    """
    return ApiError(400, message)


class RootCauseError(ApiError):
    """A 400 in the tag endpoints' own shape, ``{"error", "messages", "root_causes"}`` (spec: error_with_root_causes).

    Args:
        message: What was wrong.
    """

    def __init__(self, message: str) -> None:
        super().__init__(400, message)

    def body(self, request_id: str) -> dict[str, Any]:
        """Return the wire error body (``error`` and ``root_causes`` are required, ``messages`` nullable)."""
        self.headers["x-request-id"] = request_id
        return {
            "error": self.message,
            "messages": None,
            "root_causes": [f"rpc error: code = InvalidArgument desc = {self.message}"],
        }
