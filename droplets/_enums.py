"""Open enumerations: the values DigitalOcean documents today, and whatever it adds tomorrow.

A field typed ``Literal["new", "active", "off", "archive"] | str`` lists the
known values for readers, IDEs and type checkers, and still accepts a value
DigitalOcean adds later (a droplet ``status`` of ``"migrating"``): the
production converter keeps it as a plain ``str`` instead of failing the whole
listing. The strict converter of the test suite refuses unknown values, so new
ones show up in CI.
"""

from __future__ import annotations

import typing
from types import NoneType, UnionType
from typing import Any, Literal

__all__ = ["open_enum"]


def open_enum(kind: Any) -> tuple[frozenset[str], bool] | None:
    """For ``Literal[...] | str`` (optionally ``| None``): its known values and whether None is allowed.

    Returns None for any other type.
    """
    if typing.get_origin(kind) not in (typing.Union, UnionType):
        return None
    args = typing.get_args(kind)
    rest = [arg for arg in args if arg is not NoneType]
    literals = [arg for arg in rest if arg is not str]
    if len(rest) != 2 or str not in rest or typing.get_origin(literals[0]) is not Literal:
        return None
    values = typing.get_args(literals[0])
    if not all(type(value) is str for value in values):
        return None
    return frozenset(values), len(rest) != len(args)
