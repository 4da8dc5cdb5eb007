"""Transports: how requests travel (HTTPS by default, the sandbox in process)."""

from droplets.transport.base import DEFAULT_TIMEOUT, Request, Response, Timeout, Transport

__all__ = ["DEFAULT_TIMEOUT", "Request", "Response", "Timeout", "Transport"]
