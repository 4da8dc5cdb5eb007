"""Managers: the class-level entry point to a model's querysets.

``Droplet.objects`` is a `Manager` bound to the default client;
``Droplet.objects.using(client)`` (or ``client.droplets``) binds another.
Managers are reachable from the class only, never from an instance, and
their proxies are written out by hand so type checkers see them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from droplets import _api
from droplets.query import QuerySet

if TYPE_CHECKING:
    from typing_extensions import Self

    from droplets.client import Client
    from droplets.models.base import Model

__all__ = ["Manager", "ManagerDescriptor"]

M = TypeVar("M", bound="Model")
MgrT = TypeVar("MgrT", bound="Manager[Any]")


class Manager(Generic[M]):
    """Entry point to ``model``'s querysets.

    Args:
        model: The model class.
        client: The client; None means the default client when evaluated.
    """

    queryset_class: type[QuerySet[Any]] = QuerySet

    def __init__(self, model: type[M], client: Client | None = None) -> None:
        self.model = model
        self._client = client

    def using(self, client: Client) -> Self:
        """Return this manager bound to ``client``."""
        return type(self)(self.model, client)

    def get_queryset(self) -> QuerySet[M]:
        """Return a new queryset of every object."""
        return self.queryset_class(self.model, self._client)

    def all(self) -> QuerySet[M]:
        """Every object (lazy)."""
        return self.get_queryset()

    def filter(self, **lookups: Any) -> QuerySet[M]:
        """Objects matching ``lookups`` (lazy); see `droplets.query`."""
        return self.get_queryset().filter(**lookups)

    def exclude(self, **lookups: Any) -> QuerySet[M]:
        """Objects not matching ``lookups`` (lazy)."""
        return self.get_queryset().exclude(**lookups)

    def get(self, *ident: Any, **lookups: Any) -> M:
        """The one object with this id (or slug) or matching ``lookups``; see `QuerySet.get()`."""
        return self.get_queryset().get(*ident, **lookups)

    def first(self) -> M | None:
        """The first object, or None."""
        return self.get_queryset().first()

    def count(self) -> int:
        """How many objects there are (one request per list the collection reads; see `QuerySet.count()`)."""
        return self.get_queryset().count()

    def exists(self) -> bool:
        """Whether there is any object."""
        return self.get_queryset().exists()

    def _create_one(self, body: dict[str, Any]) -> M:
        """``POST`` the collection and return the object answered (for the models' ``create``)."""
        client = self.get_queryset().client
        items, _ = _api.create(client, self.model._endpoint, body)
        return self.model._from_wire(items[0], client)

    def __repr__(self) -> str:
        bound = "default client" if self._client is None else repr(self._client)
        return f"<{type(self).__name__} of {self.model.__name__} on {bound}>"


class ManagerDescriptor(Generic[MgrT]):
    """Class attribute that hands out a manager for the class it is read from."""

    def __init__(self, manager_class: type[MgrT]) -> None:
        self.manager_class = manager_class

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> MgrT: ...

    @overload
    def __get__(self, instance: object, owner: type[Any]) -> MgrT: ...

    def __get__(self, instance: object | None, owner: type[Any]) -> MgrT:
        if instance is not None:
            raise AttributeError(
                f"the manager is reachable from the class only: use {owner.__name__}.objects, "
                "not an instance's .objects"
            )
        return self.manager_class(owner)
