"""What every model shares: wire structuring, exceptions, client binding.

Models hold data and verbs, never URLs. Value objects (regions, sizes,
images, ...) are frozen attrs classes; resources that change (``Droplet``,
``Action``) are mutable and refresh in place. The client a resource was
loaded through lives in a slot of `Bound`, outside the attrs fields,
so ``==``, ``repr`` and unstructuring never see it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs

from droplets import _api, _converter
from droplets._api import Endpoint
from droplets._display import html_table
from droplets.errors import MultipleObjectsReturned, NotFound, ValidationError

if TYPE_CHECKING:
    from typing_extensions import Self

    from droplets.client import Client

__all__ = ["Bound", "Model", "check_id"]

M = TypeVar("M", bound="Model")


def check_id(value: Any, what: str = "id") -> int:
    """Return ``value`` as a positive integer id, or raise ``ValidationError``.

    Args:
        value: An int, or a string of digits (as typed in a shell).
        what: What the id is of, for the message.
    """
    if isinstance(value, str) and value.isdigit():
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
    _extra_lookups: ClassVar[frozenset[str]] = frozenset()
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
        """Build an instance from the API's JSON (``client`` binds resources)."""
        return _converter.structure_wire(data, cls)

    @classmethod
    def _from_wire_many(cls, items: list[Any], client: Client | None = None) -> list[Self]:
        """Build instances from a page of JSON items (the hot path of listings)."""
        hook = _converter.converter.get_structure_hook(cls)
        objects = []
        for data in items:
            try:
                obj = hook(data, cls)
            except Exception:  # let structure_wire explain the failure
                obj = cls._from_wire(data, client)
            objects.append(obj)
        return objects

    @classmethod
    def _does_not_exist(cls, key: int | str, error: NotFound) -> NotFound:
        """The model's ``DoesNotExist`` for the API's 404 about ``key``, keeping what was asked."""
        return cls.DoesNotExist(
            f"{cls.__name__} {key!r} does not exist ({error.message})",
            status=error.status,
            id=error.id,
            request_id=error.request_id,
            method=error.method,
            url=error.url,
        )

    @classmethod
    def _lookup_fields(cls) -> frozenset[str]:
        return frozenset(field.name for field in attrs.fields(cls)) | cls._extra_lookups  # type: ignore[arg-type]

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


class Bound(Model):
    """A model that remembers the client it was loaded through."""

    __slots__ = ("_client",)

    @classmethod
    def _from_wire(cls, data: Any, client: Client | None = None) -> Self:
        obj = _converter.structure_wire(data, cls)
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
            setattr(self, field.name, getattr(fresh, field.name))
        return self

    def _key(self) -> int | str:
        """What identifies this object in its item path (``{path}/{key}``); the ``id`` by default."""
        return self.id  # type: ignore[attr-defined,no-any-return]

    def _save(self, body: dict[str, Any], method: str = "PUT") -> Self:
        """Send an update (``PUT`` or ``PATCH``) and take the answer in place."""
        data = _api.update(self.client, self._endpoint, self._key(), body, method=method)
        return self._take(_converter.structure_wire(data, type(self)))

    def _delete(self) -> None:
        """``DELETE`` this object; a 404 raises the model's ``DoesNotExist``."""
        try:
            _api.delete(self.client, self._endpoint, self._key())
        except NotFound as error:
            raise self._missing(error) from error

    def _missing(self, error: NotFound) -> NotFound:
        """The model's ``DoesNotExist`` for a 404 about this object."""
        return self._does_not_exist(self._key(), error)

    @property
    def client(self) -> Client:
        """The client this object was loaded through (or the default client)."""
        client = getattr(self, "_client", None)
        if client is not None:
            return client  # type: ignore[no-any-return]
        from droplets.client import default_client

        return default_client()


_CLIENT_SLOT: Any = Bound.__dict__["_client"]
"""The slot descriptor of ``Bound._client`` (binding through it skips attrs' frozen checks)."""
