"""What every model shares: wire structuring, exceptions, client binding.

Models hold data and verbs, never URLs. Value objects (regions, sizes,
images, ...) are frozen attrs classes; resources that change (``Droplet``,
``Action``) are mutable and refresh in place. The client a resource was
loaded through lives in a slot of `Bound`, outside the attrs fields,
so ``==``, ``repr`` and unstructuring never see it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs

from droplets import _api, _converter
from droplets._api import Endpoint
from droplets._display import html_table
from droplets.errors import MultipleObjectsReturned, NotFound, ValidationError

if TYPE_CHECKING:
    from typing_extensions import Self

    from droplets.client import Client
    from droplets.lookups import Rule

__all__ = ["Bound", "ClientValue", "Model", "check_id"]

M = TypeVar("M", bound="Model")


def check_id(value: Any, what: str = "id") -> int:
    """Return ``value`` as a positive integer id, or raise ``ValidationError``.

    Args:
        value: An int, or a string of ASCII digits (as typed in a shell).
        what: What the id is of, for the message.
    """
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(f"{what} must be a positive integer, got {value!r}")
    return value


class Model:
    """Base of every model class.

    Each subclass gets its own ``DoesNotExist`` (a `NotFound`)
    and ``MultipleObjectsReturned`` (a `MultipleObjectsReturned`),
    so callers can catch narrowly or broadly.
    """

    __slots__ = ()

    _endpoint: ClassVar[Endpoint]
    """The model's wire facts: collection path, envelope keys, server-side filters."""
    _gettable: ClassVar[bool] = False
    """Whether the API has ``GET {collection}/{id}`` for this model."""
    _intern_key: ClassVar[str | None] = None
    """For value objects: the field by which equal bodies are shared (see ``_converter``)."""
    DoesNotExist: ClassVar[type[NotFound]]
    MultipleObjectsReturned: ClassVar[type[MultipleObjectsReturned]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "DoesNotExist" not in cls.__dict__:
            cls.DoesNotExist = type(
                "DoesNotExist",
                (NotFound,),
                {"__module__": cls.__module__, "__qualname__": f"{cls.__qualname__}.DoesNotExist"},
            )
        if "MultipleObjectsReturned" not in cls.__dict__:
            cls.MultipleObjectsReturned = type(
                "MultipleObjectsReturned",
                (MultipleObjectsReturned,),
                {"__module__": cls.__module__, "__qualname__": f"{cls.__qualname__}.MultipleObjectsReturned"},
            )

    @classmethod
    def _from_wire(cls, data: Any, client: Client | None = None) -> Self:
        """Build an instance from the API's JSON (``client`` binds resources and the images inside)."""
        with _converter.values_of(client):
            return _converter.structure_wire(data, cls)

    @classmethod
    def _from_wire_many(cls, items: list[Any], client: Client | None = None) -> list[Self]:
        """Build instances from a page of JSON items (the hot path of listings)."""
        hook = _converter.converter.get_structure_hook(cls)
        objects = []
        with _converter.values_of(client):  # once per page: the images inside are this client's
            for data in items:
                try:
                    obj = hook(data, cls)
                except Exception:  # let structure_wire explain the failure
                    obj = cls._from_wire(data, client)
                objects.append(obj)
        return objects

    @classmethod
    def _does_not_exist(cls, key: int | str, error: NotFound, hint: str = "") -> NotFound:
        """The model's ``DoesNotExist`` for the API's 404 about ``key``: DigitalOcean's message kept verbatim.

        ``hint`` (what to do next) replaces the default one in ``str()``.
        """
        missing = cls.DoesNotExist(
            error.message,
            status=error.status,
            id=error.id,
            request_id=error.request_id,
            method=error.method,
            url=error.url,
            attempts=error.attempts,
        )
        missing.context = f"{cls.__name__} {key!r} does not exist"
        missing.hint = hint or "Check the id: it may be mistyped, or the object was destroyed"
        return missing

    @classmethod
    def _lookup_rules(cls) -> dict[str, Rule]:
        """Lookups that are no field of the model, or that compare in their own way (see `droplets.lookups`)."""
        return {}

    @classmethod
    def _check_key(cls, key: Any) -> int | str:
        return check_id(key, f"{cls.__name__} id")

    @classmethod
    def _key_field(cls, key: int | str) -> str:
        return "id" if isinstance(key, int) else "slug"

    def to_dict(self) -> dict[str, Any]:
        """Return the object in the API's JSON shape."""
        return _converter.unstructure(self)  # type: ignore[no-any-return]

    def __dir__(self) -> list[str]:
        # Tab completion shows fields, properties and verbs, not attrs' plumbing.
        return sorted(name for name in super().__dir__() if not name.startswith("_") and name != "objects")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def _repr_html_(self) -> str:
        return html_table(type(self), [self])


_set_field = object.__setattr__
"""Stores a field past the read-only guard (construction, ``refresh()``, the verbs)."""


class Bound(Model):
    """A model that remembers the client it was loaded through; its fields are read-only.

    Assigning a field (``d.size = "s-2vcpu-4gb"``) raises ``AttributeError``
    with a hint from ``_read_only_hints`` (``"use d.resize()"``): an object is a
    snapshot of the API's answer, and ``refresh()`` and the verbs are what
    change it. Django habits that have another name here (``save()``,
    ``delete()``) raise ``AttributeError`` naming it (``_habit_hints``).

    Construction costs what a mutable attrs class costs: attrs' ``__init__``
    runs on an unguarded twin of the class (same slots, ordinary
    ``__setattr__``), and the instance becomes the guarded class when it ends.
    """

    __slots__ = ("_client",)

    _read_only_hints: ClassVar[Mapping[str, str]] = {}
    """Field name -> what to call instead of assigning it."""
    _habit_hints: ClassVar[Mapping[str, str]] = {}
    """A missing method's name (``save``, ``delete``) -> what to call instead."""
    _twin: ClassVar[type]
    _guarded: ClassVar[type]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_guarded" in cls.__dict__:  # the twin itself
            return
        cls._twin = type(
            cls.__name__,
            (cls,),
            {
                "__slots__": (),
                "__module__": cls.__module__,
                "__qualname__": cls.__qualname__,
                "__setattr__": object.__setattr__,
                "__delattr__": object.__delattr__,
                "_guarded": cls,
                "DoesNotExist": cls.DoesNotExist,
                "MultipleObjectsReturned": cls.MultipleObjectsReturned,
            },
        )

    def __attrs_pre_init__(self) -> None:
        _set_field(self, "__class__", type(self)._twin)

    def __attrs_post_init__(self) -> None:
        self.__class__ = self._guarded

    def _read_only(self, name: str) -> AttributeError:
        owner = type(self).__name__
        if name not in {field.name for field in attrs.fields(type(self))}:  # type: ignore[arg-type]
            return AttributeError(f"cannot set {owner}.{name}: a {owner} holds the API's fields only, read-only")
        hint = self._read_only_hints.get(name) or "refresh() reloads them from the API"
        return AttributeError(f"{owner}.{name} is read-only (a snapshot of the API's answer): {hint}")

    if not TYPE_CHECKING:  # at run time only: type checkers keep flagging unknown attributes

        def __setattr__(self, name: str, value: Any) -> None:
            raise self._read_only(name)

        def __delattr__(self, name: str) -> None:
            raise self._read_only(name)

        def __getattr__(self, name: str) -> Any:
            # Only called when normal lookup failed: a habit from elsewhere, or a field not loaded.
            hint = self._habit_hints.get(name)
            if hint is not None:
                raise AttributeError(f"{type(self).__name__} has no {name}(): {hint}")
            if not name.startswith("_") and name in {field.name for field in attrs.fields(type(self))}:  # type: ignore[misc]
                raise AttributeError(self._unloaded(name))
            if hasattr(type(self), name):  # a descriptor that raised (the class-only manager, a property)
                return object.__getattribute__(self, name)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @classmethod
    def _reference(cls, ident: Any, client: Client | None) -> Self:
        """An instance with only its ``id`` set: fields are not loaded until ``refresh()``."""
        obj = object.__new__(cls)
        _set_field(obj, "id", ident)
        _CLIENT_SLOT.__set__(obj, client)
        return obj

    def _loaded(self) -> bool:
        """Whether the fields are loaded (False for a reference until ``refresh()``)."""
        last = attrs.fields(type(self))[-1]  # type: ignore[arg-type]
        try:
            object.__getattribute__(self, last.name)
        except AttributeError:
            return False
        return True

    def _unloaded(self, name: str) -> str:
        """The message for reading a field that was never loaded (see ``Droplet.ref``)."""
        return f"{type(self).__name__}.{name} is not loaded; call refresh() first"

    @classmethod
    def _from_wire(cls, data: Any, client: Client | None = None) -> Self:
        obj = super()._from_wire(data, client)
        object.__setattr__(obj, "_client", client)
        return obj

    @classmethod
    def _from_wire_many(cls, items: list[Any], client: Client | None = None) -> list[Self]:
        objects = super()._from_wire_many(items, client)
        bind = _CLIENT_SLOT.__set__
        for obj in objects:
            bind(obj, client)
        return objects

    def _take(self, fresh: Any) -> Self:
        """Copy a newer snapshot of the same object into this one (refresh in place)."""
        for field in attrs.fields(type(self)):  # type: ignore[arg-type]
            _set_field(self, field.name, getattr(fresh, field.name))
        return self

    def _key(self) -> int | str:
        """What identifies this object in its item path (``{path}/{key}``); the ``id`` by default."""
        return self.id  # type: ignore[attr-defined,no-any-return]

    def _save(self, body: dict[str, Any], method: str = "PUT") -> Self:
        """Send an update (``PUT`` or ``PATCH``) and take the answer in place."""
        data = _api.update(self.client, self._endpoint, self._key(), body, method=method)
        return self._take(type(self)._from_wire(data, self.client))

    def _delete(self) -> None:
        """``DELETE`` this object; a 404 raises the model's ``DoesNotExist``."""
        try:
            _api.delete(self.client, self._endpoint, self._key())
        except NotFound as error:
            raise self._missing(error) from error

    def _missing(self, error: NotFound) -> NotFound:
        """The model's ``DoesNotExist`` for a 404 about this object."""
        return self._does_not_exist(self._key(), error)

    @contextlib.contextmanager
    def _about_self(self) -> Iterator[None]:
        """Inside the block, a 404 is about this object: raise the model's ``DoesNotExist`` naming it."""
        try:
            yield
        except NotFound as error:
            if isinstance(error, type(self).DoesNotExist):
                raise
            raise self._missing(error) from error

    @property
    def client(self) -> Client:
        """The client this object was loaded through (or the default client)."""
        return _client_of(self)


_CLIENT_SLOT: Any = Bound.__dict__["_client"]
"""The slot descriptor of ``Bound._client`` (binding through it skips attrs' frozen checks)."""


def _client_of(obj: Any) -> Client:
    """The client ``obj`` was read through, or the default client."""
    client = getattr(obj, "_client", None)
    if client is not None:
        return client  # type: ignore[no-any-return]
    from droplets.client import default_client

    return default_client()


class ClientValue(Model):
    """A value object (frozen, shared across a listing) whose verbs act through the client it was read from.

    Equal bodies read through one client share one instance (``_converter``
    interns them per client), bound to that client when it is made: never a
    step per droplet of a listing. The client lives in a slot outside the
    attrs fields, so ``==``, ``hash``, ``repr`` and ``to_dict()`` do not see it;
    an instance built by hand (or unpickled) acts through the default client.
    """

    __slots__ = ("_client",)

    @staticmethod
    def _bind_client(obj: Any, client: Client | None) -> None:
        _VALUE_CLIENT_SLOT.__set__(obj, client)

    @property
    def client(self) -> Client:
        """The client this value was read through (or the default client)."""
        return _client_of(self)


_VALUE_CLIENT_SLOT: Any = ClientValue.__dict__["_client"]
