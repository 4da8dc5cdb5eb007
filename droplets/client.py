"""The client: configuration, the default client, and the request policy.

A `Client` turns a method, a path and a JSON body into an answer. On
the way it adds the token (only ever for the configured host), applies the
retry policy (`droplets.retry`), paces requests against the rate limit
(`droplets.ratelimit`), maps error answers to exceptions
(`droplets.errors.error_for_response()`) and logs each request at DEBUG
under the ``droplets`` logger, without the Authorization header or bodies.

Thread safety: one client may be shared by any number of threads. Its
transport, rate-limit record and retry randomness are safe to use
concurrently; model instances are plain objects and are not locked.
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import json
import logging
import os
import random
import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlencode, urlsplit

from droplets._clock import Clock, SystemClock
from droplets._gc import gc_paused
from droplets._json import loads
from droplets._secrets import redact, register, scrub_chain
from droplets._version import __version__
from droplets.errors import (
    APIError,
    DropletsError,
    RateLimited,
    TransportError,
    UnexpectedResponse,
    ValidationError,
    error_for_response,
)
from droplets.ratelimit import HeaderPacer, RateLimit, RateLimiter, parse_reset, parse_retry_after, reset_datetime
from droplets.retry import IDEMPOTENT_METHODS, RetryPolicy
from droplets.transport.base import Request, Response, Transport
from droplets.transport.probe import PortProbe, tcp_probe

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["Client", "ConfigurationError", "MissingToken", "configure", "default_client", "using"]

log = logging.getLogger("droplets")

DEFAULT_BASE_URL = "https://api.digitalocean.com"
SANDBOX_BASE_URL = "https://sandbox.invalid"
"""The base URL of an in-process sandbox client: its reprs and error URLs say "sandbox" (and it never resolves)."""
TOKEN_VARIABLES = ("DIGITALOCEAN_TOKEN", "DIGITALOCEAN_ACCESS_TOKEN")
BASE_URL_VARIABLE = "DIGITALOCEAN_API_URL"
_OWN_HEADERS = frozenset({"accept", "authorization", "content-type", "user-agent"})
"""Headers the client sets itself; a caller's extra headers cannot replace them."""
RATE_LIMIT_STORE_VARIABLE = "DROPLETS_RATE_LIMIT_STORE"


class ConfigurationError(ValidationError):
    """The client cannot be built from what was given (no token, bad base URL)."""


class MissingToken(ConfigurationError):
    """No token was given and none was found in the environment."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _checked_token(token: str) -> str:
    """Strip the line break a token read from a file ends with; refuse any other unprintable character.

    The message names the character and its position, never the token.
    """
    token = token.rstrip("\r\n")
    for position, character in enumerate(token):
        if not "!" <= character <= "~":
            if character.isascii():
                kind = "a space" if character == " " else f"a control character (U+{ord(character):04X})"
            else:
                kind = f"a non-ASCII character (U+{ord(character):04X})"
            raise ConfigurationError(
                f"the token has {kind} at position {position}; a DigitalOcean token is printable ASCII only. "
                "Copy it again from the control panel (the token is not shown here)"
            )
    return token


def _normalise_base_url(base_url: str) -> str:
    """Check and normalise a base URL: scheme + host (+ port), no path."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigurationError(
            f"base_url {base_url!r} is not an http(s) URL; give scheme and host, e.g. {DEFAULT_BASE_URL!r}"
        )
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigurationError(
            f"base_url {base_url!r} uses plain http to a host that is not loopback; "
            "the token would travel unencrypted. Use https://"
        )
    path = parts.path.rstrip("/")
    if path in ("", "/v2"):
        return f"{parts.scheme}://{parts.netloc}"
    raise ConfigurationError(
        f"base_url {base_url!r} has a path; give only scheme and host (+ port), the library adds /v2/..."
    )


class Client:
    """A connection to one DigitalOcean account (or a sandbox).

    Args:
        token: API token. Defaults to ``DIGITALOCEAN_TOKEN``, then
            ``DIGITALOCEAN_ACCESS_TOKEN``. May be omitted with a custom transport.
            Trailing line breaks (``\n``, ``\r\n``, as read from a file) are
            removed; a space, another control character or a non-ASCII
            character (a zero-width space, curly quotes) raises
            `ConfigurationError`, which does not show the token.
        base_url: Scheme and host, without ``/v2``. Defaults to
            ``DIGITALOCEAN_API_URL``, then ``https://api.digitalocean.com``.
        transport: Any `Transport`; defaults to HTTPS via requests.
        timeout: Deadline of each attempt of a request, in seconds: connecting,
            sending and reading the whole answer (connect timeout is 10 s or
            this, whichever is smaller).
        retry: The `RetryPolicy`; defaults to 5 attempts.
        clock: Time source for backoff, pacing and waits (the sandbox passes
            its virtual clock).
        page_workers: Pages fetched concurrently when listing (1 = sequential).
        rate_limiter: Any `droplets.ratelimit.RateLimiter` (a small protocol);
            defaults to pacing in process on the server's ``ratelimit-*``
            headers, or to a shared budget when a store is given.
        rate_limit_store: A `limits` storage URI (``"redis://host:6379/0"``,
            ``"memory://"``, ...) holding one budget for every client of the
            same token and store, in any process or host. Defaults to
            ``DROPLETS_RATE_LIMIT_STORE``. Needs the ``shared`` extra.
        rate_limits: The store's windows in the `limits` notation;
            DigitalOcean's ``"250/minute;5000/hour"`` by default.
        rate_limit_fallback: When the store cannot be reached: ``"fail"``
            raises `droplets.RateLimitStoreError` (nothing is sent);
            ``"local"`` paces in process until the store is back.

    Example:
        >>> client = Client(token="dop_v1_...")          # doctest: +SKIP
        >>> client.droplets.filter(tag="web").count()    # doctest: +SKIP
        3
    """

    def __init__(
        self,
        token: str | None = None,
        *,
        base_url: str | None = None,
        transport: Transport | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        clock: Clock | None = None,
        page_workers: int = 6,
        rate_limiter: RateLimiter | None = None,
        rate_limit_store: str | None = None,
        rate_limits: str | None = None,
        rate_limit_fallback: Literal["fail", "local"] = "fail",
    ) -> None:
        if token is None:
            token = next((os.environ[name] for name in TOKEN_VARIABLES if os.environ.get(name)), None)
        if token is None and transport is None:
            raise MissingToken(
                "no DigitalOcean token: pass Client(token=...) or droplets.configure(token=...), "
                f"or set {' or '.join(TOKEN_VARIABLES)}; for a simulated account use Client.sandbox()"
            )
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout < float("inf"):
            raise ValidationError(f"timeout must be a positive, finite number of seconds, got {timeout!r}")
        self._token = _checked_token(token or "")
        register(self._token)
        self.base_url = _normalise_base_url(base_url or os.environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL)
        if transport is None:
            from droplets.transport.http import RequestsTransport

            transport = RequestsTransport(pool_size=max(8, page_workers * 2))
        self.transport: Transport = transport
        self.timeout = (min(10.0, timeout), timeout)
        self.retry = retry or RetryPolicy()
        self.clock: Clock = clock or SystemClock()
        self.page_workers = max(1, page_workers)
        self._limiter = _rate_limiter(
            rate_limiter, rate_limit_store, rate_limits, rate_limit_fallback, self._token, self.retry.max_server_wait
        )
        self._rng = random.Random()
        self._rng_lock = threading.Lock()
        self.retries_made = 0
        """How many times this client repeated a request (for monitoring and tests)."""

    @classmethod
    def sandbox(
        cls,
        *,
        seed: int = 0,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        page_workers: int = 6,
        **options: Any,
    ) -> Self:
        """Build a client on a fresh in-process sandbox (a simulated account).

        Waits run on the sandbox's virtual clock, so they cost no real time.

        Args:
            seed: Seed for the sandbox's ids and addresses.
            timeout: The deadline of each request attempt (see `Client`).
            retry: The client's retry policy.
            page_workers: The client's concurrent page fetches.
            **options: Passed to `droplets.sandbox.Sandbox` (``rate_limit``,
                ``burst_limit``, ``base_url``, ...).

        Returns:
            A client whose ``.transport.sandbox`` is the simulated account.
        """
        from droplets.transport.sandbox import SandboxTransport

        transport = SandboxTransport.create(seed=seed, **options)
        client = cls(
            token="sandbox-token",
            base_url=SANDBOX_BASE_URL,
            transport=transport,
            clock=transport.clock,
            timeout=timeout,
            retry=retry,
            page_workers=page_workers,
            rate_limiter=HeaderPacer(max_spread=(retry or RetryPolicy()).max_server_wait),
        )
        client._rng.seed(seed)
        return client

    # -- state ----------------------------------------------------------------

    @property
    def rate_limit(self) -> RateLimit | None:
        """The last rate-limit state the server reported, or None."""
        return self._limiter.last

    @property
    def rate_limiter(self) -> RateLimiter:
        """The client's rate limiter: the one given, a shared one (``rate_limit_store``), or a `HeaderPacer`."""
        return self._limiter

    def __repr__(self) -> str:
        kind = "sandbox " if self.base_url == SANDBOX_BASE_URL else ""
        return f"<Client {kind}{self.base_url} via {type(self.transport).__name__}>"

    __str__ = __repr__

    def probe(self, host: str, port: int, timeout: float) -> bool:
        """Tell whether ``host:port`` accepts a TCP connection, through the transport.

        The transport's own ``probe()`` answers when it has one (the sandbox
        simulates it); otherwise a real connection is opened and closed
        (`droplets.transport.probe`).
        """
        if isinstance(self.transport, PortProbe):
            return self.transport.probe(host, port, timeout)
        return tcp_probe(host, port, timeout)

    def close(self) -> None:
        """Close the transport's connections."""
        self.transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- requests -------------------------------------------------------------

    def url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        """Build an absolute URL on the configured base from a path and query."""
        query = {k: _query_value(v) for k, v in (params or {}).items() if v is not None}
        return f"{self.base_url}{path}" + (f"?{urlencode(query)}" if query else "")

    def rebase(self, link: str) -> str:
        """Move a link the API returned onto the configured base URL.

        The real API answers with absolute ``https://api.digitalocean.com/...``
        links; the token must only go to the configured host, so only the
        path and query of a link are kept.
        """
        parts = urlsplit(link)
        if not parts.path.startswith("/v2/"):
            raise UnexpectedResponse(f"the API returned a link outside /v2/: {link!r}", path="links")
        return f"{self.base_url}{parts.path}" + (f"?{parts.query}" if parts.query else "")

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Mapping[str, Any] | None = None,
        ambiguous_hint: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """Send one API request under the client's policy and decode its JSON.

        Args:
            method: HTTP method.
            path_or_url: A ``/v2/...`` path, or an absolute URL already on the base.
            params: Query parameters (None values are left out).
            json_body: The JSON body, for POST.
            ambiguous_hint: What to tell the user when a non-idempotent request
                failed in a way that may have left it applied.
            headers: Extra request headers (``X-Dangerous: true``); they cannot
                replace the client's own (``Authorization``, ``Accept``, ...).

        Returns:
            The decoded JSON object, or None for an empty (204) answer.

        Raises:
            droplets.APIError: The API answered with an error status.
            droplets.TransportError: No usable answer, after any retries.
        """
        url = path_or_url if path_or_url.startswith(self.base_url) else self.url(path_or_url, params)
        sent = {name: value for name, value in (headers or {}).items() if name.lower() not in _OWN_HEADERS}
        sent.update({"Accept": "application/json", "User-Agent": f"droplets-orm/{__version__}"})
        if self._token:
            sent["Authorization"] = f"Bearer {self._token}"
        body = None
        if json_body is not None:
            body = json.dumps(json_body, separators=(",", ":")).encode()
            sent["Content-Type"] = "application/json"
        request = Request(method=method, url=url, headers=sent, body=body, timeout=self.timeout)
        return self._send_with_policy(request, ambiguous_hint)

    def _send_with_policy(self, request: Request, ambiguous_hint: str) -> Any:
        """Send until an answer decodes, the policy gives up, or the error is final.

        Whatever is raised has the token redacted from its whole exception chain.
        """
        try:
            return self._attempt_until_final(request, ambiguous_hint)
        except DropletsError as error:
            scrub_chain(error)
            raise

    def _attempt_until_final(self, request: Request, ambiguous_hint: str) -> Any:
        policy = self.retry
        attempts = policy.attempts
        method = request.method
        ambiguous_before = False
        for attempt in range(1, attempts + 1):
            if attempt > 1:
                self._count_retry()
            self._pace(request)
            started = self.clock.monotonic()
            try:
                response = self.transport.send(request)
            except TransportError as error:
                error.attempts = attempt
                log.debug("%s %s -> %s (attempt %d)", method, redact(request.url), error, attempt)
                if attempt == attempts or error.permanent or not policy.may_retry_failure(method, error.reached_server):
                    if error.reached_server is not False and ambiguous_hint:
                        error.args = (f"{error.args[0]}. {ambiguous_hint}",)
                    raise
                ambiguous_before = ambiguous_before or error.reached_server is not False
                self._sleep(self._backoff(attempt))
                continue
            except DropletsError:
                raise
            except Exception as error:  # a user transport broke its contract
                raise TransportError(
                    f"transport {type(self.transport).__name__} raised {type(error).__name__}: {redact(str(error))}",
                    method=method,
                    url=request.url,
                    attempts=attempt,
                ) from error
            with self._limiter_contract(request):
                self._limiter.record(response.headers)
            log.debug(
                "%s %s -> %d in %.0f ms (request_id %s, attempt %d)",
                method,
                redact(request.url),
                response.status,
                (self.clock.monotonic() - started) * 1000,
                response.header("x-request-id"),
                attempt,
            )
            if 200 <= response.status < 300:  # a 3xx is never a success (error_for_response)
                try:
                    return self._decode(request, response, attempt)
                except UnexpectedResponse as error:
                    # A garbled success body (a proxy's HTML page, a cut-off answer)
                    # is retried like a 5xx when repeating the request is harmless.
                    if method not in IDEMPOTENT_METHODS or attempt == attempts:
                        if ambiguous_hint:
                            error.args = (f"{error.args[0]}. {ambiguous_hint}",)
                        raise
                    self._sleep(self._backoff(attempt))
                    continue
            if method == "DELETE" and response.status == 404 and ambiguous_before:
                # An earlier attempt was processed before its answer was lost.
                return None
            retryable = policy.may_retry_status(method, response.status)
            if retryable and attempt < attempts:
                wait = self._server_wait(response)
                if wait is None or wait <= policy.max_server_wait:
                    ambiguous_before = ambiguous_before or response.status >= 500
                    if wait is not None and response.status == 429:
                        with self._limiter_contract(request):
                            self._limiter.rate_limited(self.clock.time(), wait)
                    self._sleep(self._backoff(attempt) if wait is None else wait)
                    continue
            failure = error_for_response(
                response.status, response.headers, response.body, method=method, url=request.url, attempts=attempt
            )
            if ambiguous_hint and response.status >= 500 and isinstance(failure, APIError):
                failure.hint = ambiguous_hint
            raise failure
        raise AssertionError("unreachable: the retry loop always returns or raises")

    def _count_retry(self) -> None:
        with self._rng_lock:
            self.retries_made += 1

    def _backoff(self, attempt: int) -> float:
        with self._rng_lock:
            return self.retry.backoff(attempt, self._rng)

    def _pace(self, request: Request) -> None:
        """Wait until the rate limiter lets the request go, or raise when that takes longer than the cap."""
        cap = self.retry.max_server_wait
        waited = 0.0
        while True:
            with self._limiter_contract(request):
                wait = self._limiter.delay(self.clock.time())
            if not wait > 0:  # NaN counts as "go"
                return
            if waited + wait > cap:
                raise RateLimited(
                    f"not sent: the rate limit asks for {wait:.0f} s more, which would take the wait past "
                    f"RetryPolicy.max_server_wait ({cap:g} s)",
                    retry_after=wait,
                    reset_at=reset_datetime(self.clock.time() + wait),
                    method=request.method,
                    url=request.url,
                )
            self._sleep(wait)
            waited += wait

    @contextlib.contextmanager
    def _limiter_contract(self, request: Request) -> Iterator[None]:
        """Turn anything but a `DropletsError` raised by a (user's) rate limiter into a `TransportError`."""
        try:
            yield
        except DropletsError:
            raise
        except Exception as error:
            raise TransportError(
                f"rate limiter {type(self._limiter).__name__} raised {type(error).__name__}: {error}",
                method=request.method,
                url=request.url,
                reached_server=False,
            ) from error

    def _sleep(self, seconds: float) -> None:
        """Sleep on the client's clock, never longer than the policy's cap nor for a non-finite time."""
        if seconds > 0:  # False for NaN too
            self.clock.sleep(min(seconds, self.retry.max_server_wait))

    def _server_wait(self, response: Response) -> float | None:
        """Seconds the server asked us to wait: retry-after, or the reset of a spent budget."""
        now = self.clock.time()
        retry_after = parse_retry_after(response.header("retry-after"), now)
        if retry_after is not None:
            return retry_after
        if response.status == 429 and response.header("ratelimit-remaining") == "0":
            # The hourly budget is spent: nothing succeeds before the reset.
            reset = parse_reset(response.header("ratelimit-reset"))
            return None if reset is None else max(0.0, reset - now)
        return None

    def _decode(self, request: Request, response: Response, attempt: int) -> Any:
        if response.status == 204 or not response.body:
            return None
        try:
            with gc_paused():  # decoding builds acyclic containers only
                data = loads(response.body)
        except (ValueError, RecursionError):  # RecursionError: nested too deep for the decoder
            data = None
        if not isinstance(data, dict):
            raise UnexpectedResponse(
                f"HTTP {response.status} answer is not a JSON object; body starts {response.body[:200]!r}",
                status=response.status,
                body_start=response.body[:200],
                method=request.method,
                url=request.url,
                attempts=attempt,
            )
        return data


def _rate_limiter(
    limiter: RateLimiter | None,
    store: str | None,
    windows: str | None,
    fallback: Literal["fail", "local"],
    token: str,
    cap: float,
) -> RateLimiter:
    """The client's rate limiter: the one given, a shared one on a store, or in-process pacing."""
    if limiter is not None:
        if store is not None or windows is not None:
            raise ConfigurationError("give either rate_limiter or rate_limit_store/rate_limits, not both")
        missing = [name for name in ("delay", "record", "rate_limited", "last") if not hasattr(limiter, name)]
        if missing:
            raise ConfigurationError(
                f"rate_limiter {type(limiter).__name__} lacks {', '.join(missing)} of the "
                "droplets.ratelimit.RateLimiter protocol"
            )
        return limiter
    store = store if store is not None else os.environ.get(RATE_LIMIT_STORE_VARIABLE) or None
    if store is None:
        if windows is not None:
            raise ConfigurationError(
                "rate_limits sets the windows of a rate_limit_store; give one too "
                "(rate_limit_store='memory://' keeps them in this process)"
            )
        return HeaderPacer(max_spread=cap)
    from droplets.shared_ratelimit import SharedRateLimiter

    return SharedRateLimiter(store, token, windows=windows, fallback=fallback, pacer=HeaderPacer(max_spread=cap))


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- the default client ---------------------------------------------------------

_client_class: type[Client] = Client
"""The class `configure()` and `default_client()` build. ``droplets.facade`` installs
its subclass, which adds one typed accessor per resource (``client.droplets``), so that
this module names no model."""

_default: Client | None = None
_default_lock = threading.Lock()
_override: contextvars.ContextVar[Client | None] = contextvars.ContextVar("droplets_client", default=None)


def configure(
    token: str | None = None,
    base_url: str | None = None,
    transport: Transport | None = None,
    timeout: float = 30.0,
    *,
    sandbox: bool = False,
    **options: Any,
) -> Client:
    """Build and install the default client used by ``Droplet.objects`` and friends.

    Args:
        token: API token (defaults to the environment, see `Client`).
        base_url: Scheme and host, without ``/v2``.
        transport: A custom transport.
        timeout: Deadline of each request attempt, in seconds (see `Client`).
        sandbox: Use a fresh in-process sandbox instead of the real API.
        **options: Further `Client` (or, with ``sandbox``, sandbox) options.

    Returns:
        The new default client.
    """
    global _default
    if sandbox:
        client = _client_class.sandbox(**options)
    else:
        client = _client_class(token, base_url=base_url, transport=transport, timeout=timeout, **options)
    with _default_lock:
        _default = client
    return client


def default_client() -> Client:
    """Return the client in effect: ``using()``'s, else the configured one, else one from the environment."""
    global _default
    client = _override.get()
    if client is not None:
        return client
    with _default_lock:
        if _default is None:
            _default = _client_class()
        return _default


def _reset_default(client: Client | None = None) -> Client | None:
    """Replace the process-wide default client (for fixtures); return the old one."""
    global _default
    with _default_lock:
        previous, _default = _default, client
    return previous


@contextlib.contextmanager
def using(client: Client) -> Iterator[Client]:
    """Make ``client`` the default client inside a ``with`` block (context-local).

    Example:
        >>> with droplets.using(Client.sandbox()) as client:  # doctest: +SKIP
        ...     Droplet.objects.count()
    """
    token = _override.set(client)
    try:
        yield client
    finally:
        _override.reset(token)
