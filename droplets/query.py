"""Lazy querysets: Django's habits on a REST API.

A `QuerySet` is a description of a list, not the list: chained calls
return clones and nothing is sent until it is iterated, measured (``len``,
``count``), tested (``bool``, ``exists``), indexed or sliced.

What is filtered where:

* lookups the endpoint filters on (``Droplet``: ``tag`` and ``name``;
  ``Image``: ``type``, ``private`` and ``tag``) go to the server as query
  parameters (``tag_name``, ``name``, ...), at most one of each and never
  ``name`` with ``tag`` (the API refuses that combination, so the second is
  applied on the client);
* every other field of the model is filtered on the client while the pages
  stream in. A nested model matches its ``slug`` (``region="nyc3"``), or its
  ``id``. Suffixes ``__in``, ``__gt``, ``__gte``, ``__lt``, ``__lte`` and
  ``__contains`` work on any field;
* ``exclude()`` is always applied on the client.

``count()`` with only server-side filters costs one request (``meta.total``).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import attrs

from droplets import _api
from droplets._display import html_table
from droplets._gc import gc_paused
from droplets.errors import NotFound, ValidationError

if TYPE_CHECKING:
    from typing_extensions import Self

    from droplets.client import Client
    from droplets.models.base import Model

__all__ = ["Condition", "Exclusion", "QuerySet"]

M = TypeVar("M", bound="Model")

REPR_LIMIT = 20

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "exact": operator.eq,
    "in": lambda value, options: value in options,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "contains": lambda value, item: item in value,
}


def _comparable(value: Any, wanted: Any) -> Any:
    """Reduce a nested model to what a lookup value names (slug or id)."""
    if attrs.has(type(value)) and not attrs.has(type(wanted)):
        if isinstance(wanted, int) and hasattr(value, "id"):
            return value.id
        return getattr(value, "slug", value)
    return value


@attrs.frozen
class Condition:
    """One client-side lookup: ``field__op=value``."""

    field: str
    op: str
    value: Any

    def matches(self, obj: Any) -> bool:
        """Tell whether ``obj`` passes this condition."""
        if self.field == "tag":
            actual: Any = getattr(obj, "tags", ())
            result = self.value in actual if self.op == "exact" else _OPERATORS[self.op](actual, self.value)
        else:
            actual = getattr(obj, self.field)
            probe = self.value[0] if self.op == "in" and self.value else self.value
            actual = _comparable(actual, probe)
            if actual is None and self.op in ("gt", "gte", "lt", "lte"):
                result = False
            else:
                result = _OPERATORS[self.op](actual, self.value)
        return result


class QuerySet(Generic[M]):
    """A lazy, chainable list of ``model`` objects from one API collection.

    Args:
        model: The model class the items become.
        client: The client to use; None means the default client at evaluation time.
    """

    def __init__(
        self,
        model: type[M],
        client: Client | None = None,
        *,
        server: dict[str, Any] | None = None,
        local: tuple[Condition | Exclusion, ...] = (),
    ) -> None:
        self.model = model
        self._client = client
        self._server: dict[str, Any] = dict(server or {})
        self._local = local
        self._cache: list[M] | None = None

    # -- building ---------------------------------------------------------------

    def _clone(self, **changes: Any) -> Self:
        values: dict[str, Any] = {"server": self._server, "local": self._local}
        client = changes.pop("client", self._client)
        values.update(changes)
        return type(self)(self.model, client, **values)

    def using(self, client: Client) -> Self:
        """Return a copy that sends through ``client``."""
        return self._clone(client=client)

    def all(self) -> Self:
        """Return a fresh copy (with no cached results)."""
        return self._clone()

    def filter(self, **lookups: Any) -> Self:
        """Return a copy narrowed by ``lookups`` (see the module docs for what goes where).

        Raises:
            droplets.ValidationError: A lookup names no field of the model.

        Example:
            >>> Droplet.objects.filter(tag="web", status="active")  # doctest: +SKIP
        """
        server = dict(self._server)
        local: list[Condition | Exclusion] = list(self._local)
        endpoint = self.model._endpoint
        for key, value in lookups.items():
            field, op = self._parse_lookup(key)
            param = endpoint.filters.get(field)
            if op == "exact" and param and param not in server and endpoint.allows(server, param):
                server[param] = value
            else:
                local.append(Condition(field, op, value))
        return self._clone(server=server, local=tuple(local))

    def exclude(self, **lookups: Any) -> Self:
        """Return a copy without the objects matching all of ``lookups`` (client side)."""
        conditions = tuple(Condition(*self._parse_lookup(key), value) for key, value in lookups.items())
        return self._clone(local=(*self._local, Exclusion(conditions)))

    def _parse_lookup(self, key: str) -> tuple[str, str]:
        field, _, op = key.partition("__")
        op = op or "exact"
        valid = self.model._lookup_fields()
        if field not in valid:
            raise ValidationError(
                f"{self.model.__name__} has no field {field!r} to filter on; valid fields: {', '.join(sorted(valid))}"
            )
        if op not in _OPERATORS:
            raise ValidationError(f"unknown lookup {key!r}; use one of: {', '.join('__' + o for o in _OPERATORS)}")
        return field, op

    # -- evaluating -------------------------------------------------------------

    @property
    def client(self) -> Client:
        """The client this queryset sends through."""
        if self._client is not None:
            return self._client
        from droplets.client import default_client

        return default_client()

    def _raw(self) -> Iterator[dict[str, Any]]:
        endpoint = self.model._endpoint
        return _api.iterate(self.client, endpoint.path, endpoint.plural, self._server)

    def iterator(self) -> Iterator[M]:
        """Stream the objects without caching them (for very long lists)."""
        client = self.client
        local = self._local
        endpoint = self.model._endpoint
        for items in _api.iterate_pages(client, endpoint.path, endpoint.plural, self._server):
            with gc_paused():  # a page of new objects holds no cycles to collect
                objects = self.model._from_wire_many(items, client)
            for obj in objects:
                if not local or all(condition.matches(obj) for condition in local):
                    yield obj

    def _fetch_all(self) -> list[M]:
        if self._cache is None:
            self._cache = list(self.iterator())
        return self._cache

    def __iter__(self) -> Iterator[M]:
        return iter(self._fetch_all())

    def __len__(self) -> int:
        return len(self._fetch_all())

    def __bool__(self) -> bool:
        return bool(self._fetch_all())

    @overload
    def __getitem__(self, index: int) -> M: ...

    @overload
    def __getitem__(self, index: slice) -> list[M]: ...

    def __getitem__(self, index: int | slice) -> M | list[M]:
        if self._cache is not None:
            return self._cache[index]
        if isinstance(index, slice):
            start, stop, step = index.start or 0, index.stop, index.step or 1
            if start >= 0 and (stop is None or stop >= 0) and step > 0:
                return list(itertools.islice(self.iterator(), start, stop, step))
            return self._fetch_all()[index]
        if not isinstance(index, int):
            raise TypeError(f"QuerySet indices must be integers or slices, not {type(index).__name__}")
        if index < 0:
            return self._fetch_all()[index]
        found = next(itertools.islice(self.iterator(), index, None), None)
        if found is None:
            raise IndexError(f"QuerySet index {index} out of range")
        return found

    def count(self) -> int:
        """Count the objects; one request when only server-side filters apply."""
        if self._cache is not None:
            return len(self._cache)
        if not self._local:
            endpoint = self.model._endpoint
            return _api.count(self.client, endpoint.path, endpoint.plural, self._server)
        return sum(1 for _ in self.iterator())

    def first(self) -> M | None:
        """Return the first object, or None; one small request without client-side filters."""
        if self._cache is not None:
            return self._cache[0] if self._cache else None
        if not self._local:
            endpoint = self.model._endpoint
            data = _api.first(self.client, endpoint.path, endpoint.plural, self._server)
            return None if data is None else self.model._from_wire(data, self.client)
        return next(self.iterator(), None)

    def exists(self) -> bool:
        """Tell whether any object matches."""
        return self.first() is not None

    def get(self, *ident: Any, **lookups: Any) -> M:
        """Return the one object matching an id (or slug) or ``lookups``.

        Args:
            *ident: At most one id (or, for images, a slug).
            **lookups: ``id=...`` (one direct request) or any filter lookups.

        Raises:
            Model.DoesNotExist: Nothing matched.
            Model.MultipleObjectsReturned: More than one object matched.
            droplets.ValidationError: No lookup, or an id that is not an id.
        """
        if len(ident) > 1:
            raise ValidationError(f"{self.model.__name__}.objects.get() takes at most one id, got {len(ident)}")
        if ident and "id" in lookups:
            raise ValidationError("give the id either positionally or as id=..., not both")
        key = ident[0] if ident else lookups.pop("id", None)
        if key is not None:
            key = self.model._check_key(key)
            if lookups or self._local or self._server:
                lookups["id"] = key
            elif self.model._gettable:
                return self._get_by_key(key)
            else:
                lookups[self.model._key_field(key)] = key
        if not lookups and not self._server and not self._local:
            raise ValidationError(
                f"{self.model.__name__}.objects.get() needs a lookup, e.g. get(id=...) or get(name=...)"
            )
        matches = list(itertools.islice(self.filter(**lookups).iterator(), 2))
        described = ", ".join(f"{k}={v!r}" for k, v in {**self._server, **lookups}.items())
        if not matches:
            raise self.model.DoesNotExist(f"no {self.model.__name__} matches {described}", status=404, id="not_found")
        if len(matches) > 1:
            raise self.model.MultipleObjectsReturned(
                f"more than one {self.model.__name__} matches {described}; narrow the lookup or use filter()"
            )
        return matches[0]

    def _get_by_key(self, key: int | str) -> M:
        client = self.client
        try:
            data = _api.get_one(client, self.model._endpoint, key)
        except NotFound as error:
            raise self.model._does_not_exist(key, error) from error
        return self.model._from_wire(data, client)

    def _preview(self) -> list[M]:
        """The first ``REPR_LIMIT + 1`` objects (one more tells whether there are others)."""
        return self[: REPR_LIMIT + 1] if self._cache is None else self._cache[: REPR_LIMIT + 1]

    def __repr__(self) -> str:
        items = self._preview()
        shown = [repr(item) for item in items[:REPR_LIMIT]]
        if len(items) > REPR_LIMIT:
            shown.append("...(remaining elements truncated)...")
        return f"<{type(self).__name__} [{', '.join(shown)}]>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        if cycle:
            printer.text(f"<{type(self).__name__} ...>")
            return
        items = self._preview()
        with printer.group(2, f"<{type(self).__name__} [", "]>"):
            for index, item in enumerate(items[:REPR_LIMIT]):
                if index:
                    printer.text(",")
                printer.breakable()
                printer.text(repr(item))
            if len(items) > REPR_LIMIT:
                printer.text(",")
                printer.breakable()
                printer.text("...(remaining elements truncated)...")

    def _repr_html_(self) -> str:
        items = self._preview()
        return html_table(self.model, items[:REPR_LIMIT], truncated=len(items) > REPR_LIMIT)


@attrs.frozen
class Exclusion:
    """Several lookups from one ``exclude()`` call: drop objects matching all of them."""

    conditions: tuple[Condition, ...]

    def matches(self, obj: Any) -> bool:
        """Tell whether ``obj`` survives the exclusion."""
        return not all(condition.matches(obj) for condition in self.conditions)
