"""The default transport: HTTPS through one keep-alive ``requests`` session."""

from __future__ import annotations

import requests
import requests.adapters
import urllib3.exceptions

from droplets.errors import TransportError
from droplets.transport.base import Request, Response

__all__ = ["RequestsTransport"]


def _never_reached(error: requests.exceptions.ConnectionError) -> bool:
    """Tell whether a connection error provably happened before sending."""
    if isinstance(error, (requests.exceptions.ConnectTimeout, requests.exceptions.SSLError)):
        return True
    reason = error.args[0] if error.args else None
    inner = getattr(reason, "reason", reason)
    return isinstance(inner, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.NameResolutionError))


class RequestsTransport:
    """Send requests over HTTPS with one pooled keep-alive session.

    TLS verification is always on. Every ``requests``/``urllib3`` exception is
    translated into :class:`~droplets.TransportError` here, so none escapes.

    Args:
        pool_size: Connections kept per host (concurrent page fetches use them).
    """

    def __init__(self, pool_size: int = 8) -> None:
        self._session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=2, pool_maxsize=pool_size, max_retries=0)
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)

    def send(self, request: Request) -> Response:
        """Send one request; see :class:`~droplets.Transport`."""
        try:
            answer = self._session.request(
                request.method,
                request.url,
                headers=request.headers,
                data=request.body,
                timeout=request.timeout,
                verify=True,
                allow_redirects=False,
            )
            body = answer.content
        except requests.exceptions.ConnectionError as error:
            never = _never_reached(error)
            kind = "could not connect" if never else "connection failed"
            raise TransportError(
                f"{kind}: {type(error).__name__}",
                method=request.method,
                url=request.url,
                reached_server=False if never else None,
            ) from error
        except requests.exceptions.Timeout as error:
            raise TransportError(
                f"no answer within the read timeout of {request.timeout[1]:g}s",
                method=request.method,
                url=request.url,
                reached_server=None,
            ) from error
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as error:
            raise TransportError(
                f"request failed: {type(error).__name__}",
                method=request.method,
                url=request.url,
                reached_server=None,
            ) from error
        headers = {key.lower(): value for key, value in answer.headers.items()}
        return Response(status=answer.status_code, headers=headers, body=body)

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()
