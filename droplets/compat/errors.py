"""The one exception of the seed API, and the decorator that raises it.

Every failure of a ``do.droplet.*`` call is a `DOBOTOException`, as the
seed document promises ("A DOBOTOException is thrown if an issue is
encountered"). Its message is the message of the library's own error and its
``__cause__`` is that error, so nothing is lost: ``err.__cause__`` is the
`NotFound`, `ActionFailed`,
`ValidationError`, ... that the object model raised.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from droplets.errors import DropletsError

__all__ = ["DOBOTOException", "translated"]

P = ParamSpec("P")
R = TypeVar("R")


class DOBOTOException(DropletsError):
    """Any failure of a seed-compatible call.

    It subclasses `droplets.DropletsError`, so code that catches the
    library's base class catches it too. The message carries what the
    underlying error says (for an API error: status, error id, message,
    method, URL and request id); the underlying error is ``__cause__``.

    Example:
        >>> try:                                   # doctest: +SKIP
        ...     do.droplet.info(999)
        ... except DOBOTOException as err:
        ...     print(err.status, err.request_id, type(err.__cause__).__name__)
        404 9f0c... DoesNotExist
    """

    @property
    def status(self) -> int | None:
        """The HTTP status of the underlying API error, or None."""
        status = getattr(self.__cause__, "status", None)
        return status if isinstance(status, int) and status else None

    @property
    def error_id(self) -> str | None:
        """DigitalOcean's error code (e.g. ``"not_found"``) of the underlying API error, or None."""
        error_id = getattr(self.__cause__, "id", None)
        return error_id if isinstance(error_id, str) and error_id else None

    @property
    def request_id(self) -> str | None:
        """The request id of the underlying API error (quote it to support), or None."""
        request_id = getattr(self.__cause__, "request_id", None)
        return request_id if isinstance(request_id, str) else None


def translated(call: Callable[P, R]) -> Callable[P, R]:
    """Make ``call`` raise `DOBOTOException` for every library error.

    Args:
        call: A seed-compatible call.

    Returns:
        The same call, whose `DropletsError` failures become
        ``DOBOTOException(str(error))`` raised ``from`` the error.
    """

    @functools.wraps(call)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return call(*args, **kwargs)
        except DOBOTOException:
            raise
        except DropletsError as error:
            raise DOBOTOException(str(error)) from error

    return wrapper
