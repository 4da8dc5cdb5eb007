"""A total deadline for one HTTP exchange over ``requests``/``urllib3``.

A socket timeout bounds each read, not the answer: a server that trickles a
byte every second keeps a 30 s read timeout happy forever. Here every read of
the answer (status line, headers and body alike) waits at most the time left
until the deadline, and a read that starts after it fails at once.

How: the connections of the pools below build their ``http.client`` response on a
socket file whose reads set the socket's timeout to ``min(read timeout, time
left)`` first. The deadline of the exchange in progress is kept per thread
(`deadline()`), since one thread sends one request at a time.
"""

from __future__ import annotations

import http.client
import io
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests.adapters
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = ["DeadlineAdapter", "deadline", "deadline_passed"]

_current = threading.local()


@contextmanager
def deadline(at: float) -> Iterator[None]:
    """Make ``at`` (a ``time.monotonic()`` value) the deadline of this thread's exchange."""
    _current.at = at
    try:
        yield
    finally:
        _current.at = None


def deadline_passed() -> bool:
    """Tell whether this thread's deadline has passed."""
    at: float | None = getattr(_current, "at", None)
    return at is not None and time.monotonic() >= at


class _DeadlineReader(io.RawIOBase):
    """A raw socket reader whose every read is bounded by the deadline."""

    def __init__(self, raw: Any, sock: socket.socket, at: float) -> None:
        super().__init__()
        self._raw = raw
        self._sock = sock
        self._at = at
        self._read_timeout = sock.gettimeout()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        left = self._at - time.monotonic()
        if left <= 0:
            raise TimeoutError("the deadline of the request passed")
        self._sock.settimeout(left if self._read_timeout is None else min(self._read_timeout, left))
        return self._raw.readinto(buffer)  # type: ignore[no-any-return]

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _DeadlineSocket:
    """What ``http.client.HTTPResponse`` is given instead of the socket: only ``makefile`` is used."""

    def __init__(self, sock: socket.socket, at: float) -> None:
        self._sock = sock
        self._at = at

    def makefile(self, mode: str) -> io.BufferedReader:
        raw = self._sock.makefile("rb", buffering=0)
        return io.BufferedReader(_DeadlineReader(raw, self._sock, self._at))


class _DeadlineResponse(http.client.HTTPResponse):
    def __init__(self, sock: Any, debuglevel: int = 0, method: str | None = None, url: str | None = None) -> None:
        at: float | None = getattr(_current, "at", None)
        reader: Any = _DeadlineSocket(sock, at) if at is not None else sock
        super().__init__(reader, debuglevel, method, url)


def _with_deadline(connection: Any) -> Any:
    connection.response_class = _DeadlineResponse
    return connection


class _HTTPConnectionPool(HTTPConnectionPool):
    # The connection class is the base pool's (test tools such as vcrpy replace it); only its response changes.
    def _new_conn(self) -> Any:
        return _with_deadline(super()._new_conn())


class _HTTPSConnectionPool(HTTPSConnectionPool):
    def _new_conn(self) -> Any:
        return _with_deadline(super()._new_conn())


_POOLS = {"http": _HTTPConnectionPool, "https": _HTTPSConnectionPool}


class DeadlineAdapter(requests.adapters.HTTPAdapter):
    """An ``HTTPAdapter`` whose connections (direct or through a proxy) honour `deadline()`."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS pools are their own classes: per-read timeouts only
            manager.pool_classes_by_scheme = dict(_POOLS)
        return manager
