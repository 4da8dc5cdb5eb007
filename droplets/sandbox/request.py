"""The parsed request a handler receives, and query-string helpers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from droplets.sandbox.errors import bad_request


@dataclass
class Request:
    """One API request, already routed.

    Attributes:
        method: Upper-case HTTP method.
        path: The URL path (no trailing slash).
        query: Query parameters (the last value wins when repeated).
        body: The raw body bytes.
        params: Path parameters captured by the route (``droplet_id``...).
        strict: Whether the sandbox runs in strict mode (see `droplets.sandbox.validation`).
        headers: The request headers, with lower-case names (``x-dangerous``).
    """

    method: str
    path: str
    query: dict[str, str]
    body: bytes = b""
    params: dict[str, str] = field(default_factory=dict)
    strict: bool = False
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> dict[str, Any]:
        """Decode the body as a JSON object.

        Returns:
            The decoded object.

        Raises:
            ApiError: 400 if the body is not a JSON object.
        """
        try:
            value = json.loads(self.body.decode("utf-8") or "null")
        except (UnicodeDecodeError, ValueError):
            raise bad_request("error parsing request body") from None
        except RecursionError:
            raise bad_request("error parsing request body: nested too deeply") from None
        if not isinstance(value, dict):
            raise bad_request("error parsing request body: expected a JSON object")
        return value

    def int_param(self, name: str) -> int:
        """Return an integer path parameter.

        Args:
            name: The parameter name.

        Returns:
            Its value.
        """
        return int(self.params[name])

    def query_int(self, name: str, default: int, minimum: int, maximum: int | None = None) -> int:
        """Return an integer query parameter, checked against its range.

        Args:
            name: The parameter name.
            default: The value when absent.
            minimum: The smallest allowed value.
            maximum: The largest allowed value, if any.

        Returns:
            The value.

        Raises:
            ApiError: 400 if it is not an integer in range.
        """
        raw = self.query.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise bad_request(f"{name} must be an integer") from None
        if value < minimum or (maximum is not None and value > maximum):
            upper = f" and at most {maximum}" if maximum is not None else ""
            raise bad_request(f"{name} must be at least {minimum}{upper}")
        return value

    def query_choice(self, name: str, choices: tuple[str, ...]) -> str | None:
        """Return an enumerated query parameter.

        Args:
            name: The parameter name.
            choices: The allowed values.

        Returns:
            The value, or None when absent.

        Raises:
            ApiError: 400 if the value is not allowed.
        """
        value = self.query.get(name)
        if value is not None and value not in choices:
            raise bad_request(f"{name} must be one of: {', '.join(choices)}")
        return value

    def query_bool(self, name: str) -> bool | None:
        """Return a boolean query parameter.

        ``true``/``false`` are read in any case (doboto sends ``private=True``)
        unless the sandbox is strict, which wants them in lower case.

        Args:
            name: The parameter name.

        Returns:
            The value, or None when absent.

        Raises:
            ApiError: 400 if the value is not a boolean.
        """
        value = self.query.get(name)
        if value is None:
            return None
        read = value if self.strict else value.lower()
        if read not in ("true", "false"):
            raise bad_request(f"{name} must be true or false")
        return read == "true"
