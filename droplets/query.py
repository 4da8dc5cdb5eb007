"""Lazy querysets: Django's habits on a REST API.

A `QuerySet` is a description of a list, not the list: chained calls
return clones and nothing is sent until it is iterated, measured (``len``,
``count``), tested (``bool``, ``exists``), indexed or sliced.

Every lookup is checked by `droplets.lookups` when the queryset is built:
what the library cannot answer exactly (an empty value, a list for one
value, an operator the field does not take, a value of the wrong type) is
refused with `droplets.ValidationError` before any request, so a filter never
widens a query and never silently matches nothing. What is filtered where:

* lookups the endpoint filters on (``Droplet``: ``tag``, ``name`` and
  ``type``; ``Image``: ``type``, ``private`` and ``tag``) go to the server as
  query parameters (``tag_name``, ``name``, ...), at most one of each and
  never in a combination the API refuses (``tag_name`` with ``name`` or
  ``type``): then the second is checked on the client, with the same meaning;
* ``tag__in=[...]`` is a union of one server list per tag, each droplet once;
* a listing that does not set ``type`` (nor ``tag_name``) also reads the lists
  the API's default leaves out (GPU droplets: ``type=gpus``), so ``all()`` is
  every droplet;
* every other field of the model is filtered on the client while the pages
  stream in. A nested model matches its ``slug`` (``region="nyc3"``), or its
  ``id``;
* ``exclude()`` is always applied on the client.

``count()`` with only server-side filters costs one request per list
(``meta.total``): two for ``Droplet.objects.all()``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload

from droplets import _api
from droplets._display import html_table
from droplets._gc import gc_paused
from droplets.errors import NotFound, ValidationError
from droplets.lookups import Condition, Exclusion, condition_for

if TYPE_CHECKING:
    from typing_extensions import Self

    from droplets.client import Client
    from droplets.models.base import Model

__all__ = ["Condition", "Exclusion", "QuerySet"]

M = TypeVar("M", bound="Model")

REPR_LIMIT = 20


class QuerySet(Generic[M]):
    """A lazy, chainable list of ``model`` objects from one API collection.

    Args:
        model: The model class the items become.
        client: The client to use; None means the default client at evaluation time.
    """

    _habit_hints: ClassVar[Mapping[str, str]] = {}
    """Attribute names people try from other libraries -> what to use here (said by the AttributeError)."""

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

    if not TYPE_CHECKING:  # hidden from type checkers, so that they still flag unknown attributes

        def __getattr__(self, name: str) -> Any:
            hint = type(self)._habit_hints.get(name)
            if hint is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}", name=name, obj=self)
            raise AttributeError(f"{type(self).__name__} has no {name}(): {hint}", name=name, obj=self)

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
            droplets.ValidationError: A lookup the library cannot answer exactly: no such
                field, an operator the field does not take, an empty value (``None``,
                ``""``, ``[]``), a list where one value is expected, a value of the wrong type.

        Example:
            >>> Droplet.objects.filter(tag="web", status="active")  # doctest: +SKIP
        """
        server = dict(self._server)
        local: list[Condition | Exclusion] = list(self._local)
        for key, value in lookups.items():
            condition = condition_for(self.model, key, value)
            if not self._send(server, condition):
                self._answerable_locally(condition)
                local.append(condition)
        return self._clone(server=server, local=tuple(local))

    def exclude(self, **lookups: Any) -> Self:
        """Return a copy without the objects matching all of ``lookups`` (client side).

        Raises:
            droplets.ValidationError: As for `filter()`.
        """
        conditions = tuple(condition_for(self.model, key, value) for key, value in lookups.items())
        if not conditions:
            return self._clone()
        for condition in conditions:
            self._answerable_locally(condition)
        return self._clone(local=(*self._local, Exclusion(conditions)))

    def _send(self, server: dict[str, Any], condition: Condition) -> bool:
        """Put ``condition`` into the server's query if the endpoint can take it there; tell whether it did."""
        endpoint = self.model._endpoint
        param = endpoint.filters.get(condition.field)
        if param is None or param in server or not endpoint.allows(server, param):
            return False
        if condition.op == "exact":
            server[param] = condition.value
            return True
        if condition.op == "in" and param in endpoint.unions:
            server[param] = tuple(condition.value)
            return True
        return False

    def _answerable_locally(self, condition: Condition) -> None:
        if condition.rule.read is None:
            raise ValidationError(
                f"{condition.field} can only be answered by the server, once per query and not in exclude(); "
                f"{self.model.__name__} lists cannot check it on the client"
            )

    # -- evaluating -------------------------------------------------------------

    @property
    def client(self) -> Client:
        """The client this queryset sends through."""
        if self._client is not None:
            return self._client
        from droplets.client import default_client

        return default_client()

    def _queries(self) -> list[dict[str, Any]]:
        """The server queries whose union this queryset lists (one, unless a union or hidden lists apply)."""
        endpoint = self.model._endpoint
        queries: list[dict[str, Any]] = [{k: v for k, v in self._server.items() if not isinstance(v, tuple)}]
        for param, values in self._server.items():
            if isinstance(values, tuple):
                queries = [dict(query, **{param: value}) for query in queries for value in values]
        expanded = []
        for query in queries:
            expanded.append(query)
            expanded += [
                dict(query, **{param: value})
                for param, value in endpoint.hidden
                if param not in query and endpoint.allows(query, param)
            ]
        return expanded

    def _is_union_of_disjoint_lists(self) -> bool:
        return not any(isinstance(value, tuple) for value in self._server.values())

    def iterator(self) -> Iterator[M]:
        """Stream the objects without caching them (for very long lists)."""
        return self._stream(prefetch=True)

    def _stream(self, *, prefetch: bool) -> Iterator[M]:
        """The objects; ``prefetch`` reads later lists of a union meanwhile (for full reads)."""
        client = self.client
        local = self._local
        endpoint = self.model._endpoint
        queries = self._queries()
        for items in _api.iterate_union(client, endpoint.path, endpoint.plural, queries, prefetch=prefetch):
            with gc_paused():  # a page of new objects holds no cycles to collect
                objects = self.model._from_wire_many(items, client)
            for obj in objects:
                if not local or all(condition.matches(obj) for condition in local):
                    yield obj

    def _fetch_all(self) -> list[M]:
        if self._cache is None:
            with gc_paused(promote=True):  # a full read builds acyclic objects that stay: no collection scans them
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
                return list(itertools.islice(self._stream(prefetch=False), start, stop, step))
            return self._fetch_all()[index]
        if not isinstance(index, int):
            raise TypeError(f"QuerySet indices must be integers or slices, not {type(index).__name__}")
        if index < 0:
            return self._fetch_all()[index]
        found = next(itertools.islice(self._stream(prefetch=False), index, None), None)
        if found is None:
            raise IndexError(f"QuerySet index {index} out of range")
        return found

    def count(self) -> int:
        """Count the objects; one request per list when only server-side filters apply (no union by tag)."""
        if self._cache is not None:
            return len(self._cache)
        if not self._local and self._is_union_of_disjoint_lists():
            endpoint = self.model._endpoint
            client = self.client
            return sum(_api.count(client, endpoint.path, endpoint.plural, query) for query in self._queries())
        return sum(1 for _ in self.iterator())

    def first(self) -> M | None:
        """Return the first object, or None; one small request without client-side filters."""
        if self._cache is not None:
            return self._cache[0] if self._cache else None
        if not self._local:
            endpoint = self.model._endpoint
            client = self.client
            for query in self._queries():
                data = _api.first(client, endpoint.path, endpoint.plural, query)
                if data is not None:
                    return self.model._from_wire(data, client)
            return None
        return next(self._stream(prefetch=False), None)

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
        has_key = bool(ident) or "id" in lookups
        key = ident[0] if ident else lookups.pop("id", None)
        if has_key:
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
        matches = list(itertools.islice(self.filter(**lookups)._stream(prefetch=False), 2))
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
