"""The default transport: HTTPS through one keep-alive ``requests`` session."""

from __future__ import annotations

import os
import time
from socket import gaierror as socket_gaierror
from urllib.parse import urlsplit

import requests
import requests.adapters
import urllib3.exceptions

from droplets.errors import TransportError
from droplets.transport.base import Request, Response
from droplets.transport.deadline import DeadlineAdapter, deadline, deadline_passed
from droplets.transport.probe import tcp_probe

__all__ = ["RequestsTransport"]


_NEVER_SENT = (
    requests.exceptions.InvalidHeader,
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidSchema,
    requests.exceptions.MissingSchema,
    urllib3.exceptions.LocationParseError,
)
"""Requests that cannot be put on the wire: sending them again can never succeed."""

_CONFIG_HINT = "check the network, or base_url / DIGITALOCEAN_API_URL if {origin} is not the API you mean"


def _never_reached(error: requests.exceptions.ConnectionError) -> bool:
    """Tell whether a connection error provably happened before sending."""
    if isinstance(error, (requests.exceptions.ConnectTimeout, requests.exceptions.SSLError)):
        return True
    reason = error.args[0] if error.args else None
    inner = getattr(reason, "reason", reason)
    return isinstance(inner, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.NameResolutionError))


def _cause(error: BaseException) -> BaseException:
    """The innermost reason of a requests/urllib3 error (MaxRetryError.reason, __cause__, ...)."""
    seen: set[int] = set()
    while id(error) not in seen:
        seen.add(id(error))
        reason = getattr(error, "reason", None)
        if isinstance(reason, BaseException):
            error = reason
        elif error.args and isinstance(error.args[0], BaseException):
            error = error.args[0]
        elif error.__cause__ is not None:
            error = error.__cause__
        else:
            break
    return error


def _describe_connection_error(error: requests.exceptions.ConnectionError, request: Request) -> str:
    """Say why no connection was made (or what broke it), with the host and a next step."""
    parts = urlsplit(request.url)
    origin = f"{parts.scheme}://{parts.netloc}"
    hint = _CONFIG_HINT.format(origin=origin)
    inner = _cause(error)
    chain = [error, inner]
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return f"could not connect to {parts.netloc} within {request.timeout[0]:g}s (connect timeout); {hint}"
    if isinstance(error, requests.exceptions.SSLError):
        return f"could not connect to {parts.netloc}: the TLS handshake failed ({type(inner).__name__}); {hint}"
    if any(isinstance(e, urllib3.exceptions.NameResolutionError) for e in chain) or isinstance(inner, socket_gaierror):
        return f"could not connect: the host name {parts.hostname!r} did not resolve (DNS); {hint}"
    if isinstance(inner, ConnectionRefusedError) or "refused" in str(inner).lower():
        return f"could not connect: connection refused by {parts.netloc}; {hint}"
    if _never_reached(error):
        return f"could not connect to {parts.netloc} ({type(inner).__name__}); {hint}"
    return f"the connection to {parts.netloc} broke before a complete answer ({type(inner).__name__})"


class _DeadlinePassed(Exception):
    """Internal: the exchange outlived its deadline (turned into a `TransportError`)."""


class RequestsTransport:
    """Send requests over HTTPS with one pooled keep-alive session.

    TLS verification is always on (``REQUESTS_CA_BUNDLE`` may name the CA
    bundle); proxy variables are honoured. Both are read from the environment
    once per host, not on every request. Every ``requests``/``urllib3`` exception is
    translated into `TransportError` here, so none escapes.

    Args:
        pool_size: Connections kept per host (concurrent page fetches use them).
    """

    def __init__(self, pool_size: int = 8) -> None:
        self._session = requests.Session()
        # requests re-reads the proxy and CA-bundle variables on every request
        # when trust_env is on; read them once per host instead.
        self._session.trust_env = False
        self._environment: dict[str, tuple[dict[str, str], bool | str]] = {}
        adapter = DeadlineAdapter(pool_connections=2, pool_maxsize=pool_size, max_retries=0)
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)

    def _settings_for(self, url: str) -> tuple[dict[str, str], bool | str]:
        """Proxies (``HTTPS_PROXY``, ``NO_PROXY``...) and CA bundle for a URL's host, read once."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        settings = self._environment.get(origin)
        if settings is None:
            proxies = requests.utils.get_environ_proxies(origin)
            bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
            settings = self._environment[origin] = (proxies, bundle or True)
        return settings

    def send(self, request: Request) -> Response:
        """Send one request; see `Transport`.

        The whole exchange (connecting, sending, reading status, headers and
        body) must end within ``request.timeout[1]`` seconds: a server that
        trickles its answer fails with a `TransportError` at that deadline.
        A redirect is returned as it is, never followed.
        """
        try:
            proxies, verify = self._settings_for(request.url)
            with deadline(time.monotonic() + request.timeout[1]):
                try:
                    answer = self._session.request(
                        request.method,
                        request.url,
                        headers=request.headers,
                        data=request.body,
                        timeout=request.timeout,
                        proxies=proxies,
                        verify=verify,
                        allow_redirects=False,
                    )
                    body = answer.content
                except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError):
                    if not deadline_passed():
                        raise
                    raise _DeadlinePassed() from None
        except _DeadlinePassed as error:
            raise TransportError(
                f"no complete answer within the timeout of {request.timeout[1]:g}s (a deadline for the whole "
                "answer, not for each read); the server may be overloaded, or something in between trickles",
                method=request.method,
                url=request.url,
                reached_server=None,
            ) from error
        except _NEVER_SENT as error:
            raise TransportError(
                f"the request cannot be sent: {type(error).__name__}; it was not retried",
                method=request.method,
                url=request.url,
                reached_server=False,
                permanent=True,
            ) from error
        except requests.exceptions.ConnectionError as error:
            never = _never_reached(error)
            raise TransportError(
                _describe_connection_error(error, request),
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

    def probe(self, host: str, port: int, timeout: float) -> bool:
        """Check a TCP port with a real connection; see `droplets.transport.probe`."""
        return tcp_probe(host, port, timeout)

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()
