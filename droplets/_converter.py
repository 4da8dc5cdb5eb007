"""The one cattrs converter between the wire's JSON and the models.

* Lenient in production: unknown keys are ignored (DigitalOcean adds fields
  over time). :data:`strict` is a copy that forbids them; the test suite
  structures every example body of the spec with it, so drift shows in CI.
* Scalars are checked, not coerced: a string where the spec says integer is
  an error, never silently ``int("12")`` or ``bool("false")``.
* Timestamps are aware datetimes and unstructure back to the wire's
  ``...Z`` form; optional keys the API leaves out are left out again, so
  ``unstructure(structure(body)) == body``.
* Failures become :class:`~droplets.UnexpectedResponse` naming the field
  (``structure_wire``).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from droplets.errors import UnexpectedResponse

__all__ = ["OMIT_IF_NONE", "converter", "make_converter", "strict", "structure_wire", "unstructure"]

T = TypeVar("T")

OMIT_IF_NONE = {"omit_if_none": True}
"""Field metadata: the API leaves this key out (rather than sending null) when unset."""


def _parse_datetime(value: Any, _: type) -> datetime:
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 string, got {type(value).__name__}")
    parsed = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _format_datetime(value: datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _checked(kind: type, accepted: tuple[type, ...]) -> Any:
    def structure(raw: Any, _: type) -> Any:
        value: Any = raw
        if isinstance(value, bool) and kind is not bool:
            raise TypeError(f"expected {kind.__name__}, got bool")
        if not isinstance(raw, accepted):
            raise TypeError(f"expected {kind.__name__}, got {type(raw).__name__}")
        return float(value) if kind is float else value

    return structure


def make_converter(*, forbid_extra_keys: bool = False) -> cattrs.Converter:
    """Build a converter with the library's hooks.

    Args:
        forbid_extra_keys: Refuse keys the models do not know (the strict copy).
    """
    conv = cattrs.Converter(forbid_extra_keys=forbid_extra_keys)
    conv.register_structure_hook(datetime, _parse_datetime)
    conv.register_unstructure_hook(datetime, _format_datetime)
    conv.register_structure_hook(int, _checked(int, (int,)))
    conv.register_structure_hook(float, _checked(float, (int, float)))
    conv.register_structure_hook(bool, _checked(bool, (bool,)))
    conv.register_structure_hook(str, _checked(str, (str,)))

    def unstructure_factory(cls: type) -> Any:
        overrides = {
            field.name: override(omit_if_default=True)
            for field in attrs.fields(cls)
            if field.metadata.get("omit_if_none")
        }
        return make_dict_unstructure_fn(cls, conv, **overrides)  # type: ignore[arg-type]

    conv.register_unstructure_hook_factory(attrs.has, unstructure_factory)
    return conv


converter = make_converter()
strict = make_converter(forbid_extra_keys=True)


def structure_wire(data: Any, cls: type[T], *, conv: cattrs.Converter = converter) -> T:
    """Structure a wire dict into ``cls``, raising ``UnexpectedResponse`` naming the field.

    Args:
        data: The decoded JSON.
        cls: The model class.
        conv: The converter (default: the lenient one).
    """
    try:
        return conv.structure(data, cls)
    except Exception as error:  # cattrs raises groups of arbitrary exceptions
        details = (
            cattrs.transform_error(error, path=cls.__name__)
            if isinstance(error, cattrs.BaseValidationError)
            else [str(error)]
        )
        first = details[0] if details else str(error)
        raise UnexpectedResponse(
            f"the API's {cls.__name__} is not in the documented shape: {'; '.join(details[:5])}",
            status=200,
            path=first.rsplit(" @ ", 1)[-1],
            body_start=repr(data)[:200].encode(),
        ) from error


def unstructure(obj: Any) -> Any:
    """Turn a model back into the API's JSON shape."""
    return converter.unstructure(obj)
