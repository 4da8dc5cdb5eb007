"""The one cattrs converter between the wire's JSON and the models.

* Lenient in production: unknown keys are ignored (DigitalOcean adds fields
  over time). `strict` is a copy that forbids them; the test suite
  structures every example body of the spec with it, so drift shows in CI.
* Scalars are checked, not coerced: a string where the spec says integer is
  an error, never silently ``int("12")`` or ``bool("false")``. A model is
  built from a JSON object only: ``"image": []`` or ``"image": "slug"`` is an
  error on the detailed path too, not an ``Image`` of ``None``s.
* Open enumerations (``Literal[...] | str``, `droplets._enums`) take any
  string in production, so a status DigitalOcean adds later does not break a
  listing; `strict` refuses values the models do not list.
* Timestamps are aware datetimes and unstructure back to the wire's
  ``...Z`` form; optional keys the API leaves out are left out again, so
  ``unstructure(structure(body)) == body``.
* Failures become `UnexpectedResponse` naming the field
  (``structure_wire``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from droplets._enums import open_enum
from droplets._fastpath import make_structure_fn
from droplets._json import preview
from droplets._secrets import scrub_chain
from droplets.errors import UnexpectedResponse

__all__ = [
    "OMIT_IF_NONE",
    "converter",
    "detailed",
    "make_converter",
    "strict",
    "structure_wire",
    "unstructure",
    "values_of",
]

T = TypeVar("T")

OMIT_IF_NONE = {"omit_if_none": True}
"""Field metadata: the API leaves this key out (rather than sending null) when unset."""


def _parse_datetime(value: Any, _: type) -> datetime:
    if type(value) is not str:
        raise TypeError(f"expected an ISO 8601 string, got {type(value).__name__}")
    try:
        parsed = datetime.fromisoformat(value)  # Python 3.11+ reads the "Z" suffix itself
    except ValueError:
        parsed = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _format_datetime(value: datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _checked(kind: type, accepted: tuple[type, ...]) -> Any:
    """A scalar hook that checks the JSON type instead of coercing."""

    def structure(raw: Any, _: type) -> Any:
        if type(raw) in accepted:
            return float(raw) if kind is float else raw
        raise TypeError(f"expected {kind.__name__}, got {type(raw).__name__}")

    return structure


_SCALARS: dict[Any, tuple[type, ...]] = {int: (int,), str: (str,), float: (float, int), bool: (bool,)}


def _scalar_sequence(cls: Any) -> tuple[type, tuple[type, ...]] | None:
    """For ``list[int]``, ``tuple[str, ...]`` and the like: (container, accepted item types)."""
    origin = getattr(cls, "__origin__", None)
    args: tuple[Any, ...] = tuple(getattr(cls, "__args__", ()))
    if origin is list and len(args) == 1 and args[0] in _SCALARS:
        return list, _SCALARS[args[0]]
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis and args[0] in _SCALARS:
        return tuple, _SCALARS[args[0]]
    return None


def _sequence_hook(cls: Any) -> Any:
    """Check a JSON array of scalars in one pass and keep it (as a tuple when frozen)."""
    container, accepted = _scalar_sequence(cls)  # type: ignore[misc]
    item = accepted[0].__name__

    def structure(raw: Any, _: type) -> Any:
        if type(raw) is not list:
            raise TypeError(f"expected a list of {item}, got {type(raw).__name__}")
        for value in raw:
            if type(value) not in accepted:
                raise TypeError(f"expected a list of {item}, found {type(value).__name__}")
        return raw if container is list else tuple(raw)

    return structure


_VALUES_LOCK = threading.RLock()
"""Held while the fast converter structures, so that one thread's client never binds another's values."""
_active_client: list[Any] = [None]
"""The client whose values are being structured (``values_of``), or None."""
_rebinders: list[Callable[[Any], None]] = []
"""One per interning hook of a client-bound value class: points it at a client's cache."""
_UNBOUND_CACHES: dict[type, dict[Any, tuple[Any, Any]]] = {}
"""The caches of values structured outside ``values_of`` (they act through the default client)."""


def _caches_of(client: Any) -> dict[type, dict[Any, tuple[Any, Any]]]:
    if client is None:
        return _UNBOUND_CACHES
    caches: dict[type, dict[Any, tuple[Any, Any]]] | None = vars(client).get("_interned_values")
    if caches is None:
        caches = vars(client)["_interned_values"] = {}
    return caches


@contextmanager
def values_of(client: Any) -> Iterator[None]:
    """Structure inside the block for ``client``: client-bound value objects are shared per client and bound to it.

    An `Image` is shared by every droplet of a listing that shows the same
    body, yet its verbs act through a client: so each client has its own
    cache of them, and a new one is bound to the client when it is made (once
    per distinct image, never per droplet). The switch costs a few dict
    operations per call (one per page of a listing); the hooks themselves are
    unchanged.
    """
    with _VALUES_LOCK:
        previous = _active_client[0]
        if client is previous:
            yield
            return
        _active_client[0] = client
        for rebind in _rebinders:
            rebind(client)
        try:
            yield
        finally:
            _active_client[0] = previous
            for rebind in _rebinders:
                rebind(previous)


def _interning(base: Callable[[Any, Any], Any], cls: type) -> Callable[[Any, Any], Any]:
    """Structure a value object once per distinct body and hand out the same instance.

    A list of 10,000 droplets repeats a handful of regions, sizes and images:
    holding each once saves both time and memory. A hit is only taken when the
    body is equal to the one the cached instance came from. A class with
    ``_client_bound`` (`Image`, whose verbs need a client) has one cache per
    client instead (see ``values_of``), and a new instance is bound to it.
    """
    key_field: str = cls._intern_key  # type: ignore[attr-defined]
    cache: dict[Any, tuple[Any, Any]] = {}
    owner: Any = None
    bind: Callable[[Any, Any], None] | None = getattr(cls, "_bind_client", None)

    def structure(raw: Any, _: Any = None) -> Any:
        key = raw.get(key_field) if type(raw) is dict else None
        hit = cache.get(key)
        if hit is not None and hit[0] == raw:
            return hit[1]
        obj = base(raw, cls)
        if bind is not None:
            bind(obj, owner)
        if key is not None:
            if len(cache) >= 4096:
                cache.clear()
            cache[key] = (raw, obj)
        return obj

    if bind is not None:

        def rebind(client: Any) -> None:
            nonlocal cache, owner
            cache, owner = _caches_of(client).setdefault(cls, {}), client

        with _VALUES_LOCK:
            rebind(_active_client[0])
            _rebinders.append(rebind)
    return structure


def _enum_hook(closed: bool) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """The hook of an open enumeration: any string, or (``closed``) only the listed values."""

    def factory(cls: Any) -> Callable[[Any, Any], Any]:
        values, nullable = open_enum(cls)  # type: ignore[misc]

        def structure(raw: Any, _: Any) -> Any:
            if raw is None and nullable:
                return None
            if type(raw) is not str:
                raise TypeError(f"expected str, got {type(raw).__name__}")
            if closed and raw not in values:
                raise ValueError(f"{raw[:60]!r} is not one of the documented values {sorted(values)}")
            return raw

        return structure

    return factory


def _object_hook(conv: cattrs.Converter, forbid_extra_keys: bool) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """cattrs' structuring of an attrs class, refusing anything but a JSON object first."""

    def factory(cls: Any) -> Callable[[Any, Any], Any]:
        base = make_dict_structure_fn(
            cls,
            conv,
            _cattrs_forbid_extra_keys=forbid_extra_keys,
            _cattrs_detailed_validation=conv.detailed_validation,
        )

        def structure(raw: Any, kind: Any) -> Any:
            if type(raw) is not dict:
                raise TypeError(f"expected a JSON object, got {type(raw).__name__}")
            return base(raw, kind)

        return structure

    return factory


def make_converter(*, forbid_extra_keys: bool = False, fast: bool = False) -> cattrs.Converter:
    """Build a converter with the library's hooks.

    Args:
        forbid_extra_keys: Refuse keys the models do not know, and values of
            open enumerations they do not list (the strict copy).
        fast: Structure through generated functions with inlined checks
            (`droplets._fastpath`) and share equal value objects (the
            production path); failures are re-explained by a detailed converter.
    """
    conv = cattrs.Converter(forbid_extra_keys=forbid_extra_keys, detailed_validation=not fast)
    conv.register_structure_hook(datetime, _parse_datetime)
    conv.register_unstructure_hook(datetime, _format_datetime)
    for kind, accepted in _SCALARS.items():
        conv.register_structure_hook(kind, _checked(kind, accepted))
    conv.register_structure_hook_factory(lambda cls: _scalar_sequence(cls) is not None, _sequence_hook)
    conv.register_structure_hook_factory(lambda cls: open_enum(cls) is not None, _enum_hook(forbid_extra_keys))
    if not fast:
        conv.register_structure_hook_factory(attrs.has, _object_hook(conv, forbid_extra_keys))
    else:

        def fast_hook(cls: type) -> Callable[[Any, Any], Any]:
            function = make_structure_fn(cls, conv.get_structure_hook, _parse_datetime)
            return _interning(function, cls) if getattr(cls, "_intern_key", None) else function

        conv.register_structure_hook_factory(attrs.has, fast_hook)

    def unstructure_factory(cls: type) -> Any:
        overrides = {
            field.name: override(omit_if_default=True)
            for field in attrs.fields(cls)
            if field.metadata.get("omit_if_none")
        }
        return make_dict_unstructure_fn(cls, conv, **overrides)  # type: ignore[arg-type]

    conv.register_unstructure_hook_factory(attrs.has, unstructure_factory)
    return conv


converter = make_converter(fast=True)
"""The production converter: lenient about unknown keys, fast, sharing value objects."""
detailed = make_converter()
"""The same rules with cattrs' detailed errors, used to explain a failure."""
strict = make_converter(forbid_extra_keys=True)
"""The test suite's copy: unknown keys are errors."""


def _explain(error: BaseException, kind: Any) -> str:
    """Our hooks' own words for a wrong value (``expected a JSON object, got list``), cattrs' for the rest."""
    if type(error) in (TypeError, ValueError) and str(error):
        return f"invalid value: {error}"
    return cattrs.v.format_exception(error, kind)


def register_union(union: Any, choose: Callable[[Any], type]) -> None:
    """Teach every converter a union of models whose branch the wire data tells (``oneOf`` in the spec).

    Args:
        union: The union type, as the model's field is annotated.
        choose: Returns the branch for a wire value (it may be malformed: the branch then refuses it).
    """
    for conv in (converter, detailed, strict):

        def structure(data: Any, _: Any, conv: cattrs.Converter = conv) -> Any:
            return conv.structure(data, choose(data))

        conv.register_structure_hook(union, structure)


def structure_wire(data: Any, cls: type[T], *, conv: cattrs.Converter = converter) -> T:
    """Structure a wire dict into ``cls``, raising ``UnexpectedResponse`` naming the field.

    Args:
        data: The decoded JSON.
        cls: The model class.
        conv: The converter (default: the lenient, fast one).
    """
    try:
        if conv is converter:
            with _VALUES_LOCK:  # the value caches are the active client's (values_of) or the unbound ones
                return conv.structure(data, cls)
        return conv.structure(data, cls)
    except Exception as error:  # cattrs raises groups of arbitrary exceptions
        if conv is converter:
            return structure_wire(data, cls, conv=detailed)  # raises with the field's path
        details = (
            cattrs.transform_error(error, path=cls.__name__, format_exception=_explain)
            if isinstance(error, cattrs.BaseValidationError)
            else [f"{error} @ {cls.__name__}"]
        )
        first = details[0] if details else str(error)
        failure = UnexpectedResponse(
            f"the API's {cls.__name__} is not in the documented shape: {'; '.join(details[:5])}",
            status=200,
            path=first.rsplit(" @ ", 1)[-1],
            body_start=preview(data).encode(),
        )
        failure.__cause__ = error
        scrub_chain(failure)  # cattrs' errors may quote a value the server sent
        raise failure from failure.__cause__


def unstructure(obj: Any) -> Any:
    """Turn a model back into the API's JSON shape."""
    return converter.unstructure(obj)
