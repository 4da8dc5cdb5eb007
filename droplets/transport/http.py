"""The default transport: HTTPS through one keep-alive ``requests`` session."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

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
        adapter = requests.adapters.HTTPAdapter(pool_connections=2, pool_maxsize=pool_size, max_retries=0)
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
        """Send one request; see `Transport`."""
        try:
            proxies, verify = self._settings_for(request.url)
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
