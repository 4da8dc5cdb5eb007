"""``do.droplet``: every call of the seed document, on top of the object model.

Each call is one or two object-model calls and a conversion to plain dicts
(``Model.to_dict()``, the API's own JSON). Nothing here sends a request of
its own: every request goes through `Droplet`, its manager
and its querysets, so retries, pacing, error mapping and waiting behave
exactly as they do in the object model.

Calls on one droplet by id act on a reference (``Droplet.objects.ref(id)``),
so an action, a destroy or a sub-list costs exactly its own request, as in
the seed; only ``info(id)`` loads the droplet (one ``GET``). Calls by tag use
``Droplet.objects.filter(tag=tag_name)``, whose actions use the API's tag
endpoint.

``wait``, ``poll`` and ``timeout`` mean what the seed says: with
``wait=True`` the call returns only once the action (or the created droplet)
is done, polling every ``poll`` seconds (at least 1) for at most ``timeout``
seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from droplets.compat.errors import translated
from droplets.errors import ValidationError
from droplets.models.droplet import Droplet

if TYPE_CHECKING:
    from droplets.client import Client
    from droplets.models.base import Model
    from droplets.models.droplet_query import DropletManager, DropletQuerySet

__all__ = ["DropletAPI"]

JSON = dict[str, Any]
"""One object in the API's JSON shape."""
JSONList = list[JSON]
"""A list of objects in the API's JSON shape."""
OneOrMany = JSON | JSONList
"""One dict (by id, or by ``name``) or a list of them (by tag, or by ``names``)."""
NeighborLists = list[JSONList]
"""Lists of Droplet dicts, one per shared physical server."""

# Keys of the seed's create attribs besides name/names, under the object
# model's names; the seed writes ``volume`` for the API's ``volumes``. Other
# keys the API takes are passed on as doboto passed attribs on.
_CREATE_KEYS = frozenset(
    {
        "region", "size", "image", "ssh_keys", "backups", "ipv6", "private_networking", "user_data",
        "monitoring", "volumes", "tags", "vpc_uuid", "with_droplet_agent", "backup_policy", "public_networking",
    }
)  # fmt: skip


def _dicts(models: Iterable[Model]) -> JSONList:
    return [model.to_dict() for model in models]


def _create_options(attribs: Mapping[str, Any]) -> tuple[str | list[str], dict[str, Any]]:
    """Split seed attribs into ``(name or names, options)`` for the manager.

    Raises:
        droplets.ValidationError: Not a dict, not exactly one of name/names,
            or a key the API does not take.
    """
    if not isinstance(attribs, Mapping):
        raise ValidationError(f"attribs must be a dict of droplet data, got {type(attribs).__name__}")
    options = dict(attribs)
    name = options.pop("name", None)
    names = options.pop("names", None)
    if (name is None) == (names is None):
        raise ValidationError("attribs needs exactly one of 'name' (one droplet) or 'names' (a list, several)")
    target: str | list[str]
    if isinstance(names, Sequence) and not isinstance(names, str):
        target = list(names)
    elif names is not None:
        raise ValidationError(f"attribs 'names' must be a list of names, got {names!r}")
    elif isinstance(name, str):
        target = name
    else:
        raise ValidationError(f"attribs 'name' must be a string, got {name!r}")
    if "volume" in options:
        if "volumes" in options:
            raise ValidationError("give 'volume' (the seed's key) or 'volumes' (the API's), not both")
        options["volumes"] = options.pop("volume")
    unknown = set(options) - _CREATE_KEYS
    if unknown:
        raise ValidationError(
            f"unknown attribs key(s) {sorted(unknown)}; known: name, names, volume, {', '.join(sorted(_CREATE_KEYS))}"
        )
    return target, options


class DropletAPI:
    """The seed's ``do.droplet``: list, create, present, info, destroy and every action.

    Args:
        client: The client to send through; None uses the default client
            (``droplets.configure()`` or the environment) at each call.

    Example:
        >>> do = DO(client=droplets.Client.sandbox())                          # doctest: +SKIP
        >>> d = do.droplet.create({"name": "web-1", "region": "nyc3", "size": "s-1vcpu-1gb",
        ...                        "image": "ubuntu-24-04-x64"}, wait=True)   # doctest: +SKIP
        >>> do.droplet.power_off(d["id"], wait=True)["status"]                 # doctest: +SKIP
        'completed'
    """

    def __init__(self, client: Client | None = None) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<DropletAPI on {'default client' if self._client is None else repr(self._client)}>"

    # -- plumbing -------------------------------------------------------------------

    def _manager(self) -> DropletManager:
        return Droplet.objects if self._client is None else Droplet.objects.using(self._client)

    def _droplet(self, id: int) -> Droplet:
        """Droplet ``id`` as a reference: its verbs and sub-lists send only their own request."""
        return self._manager().ref(id)

    def _target(self, id: int | None, tag_name: str | None) -> Droplet | DropletQuerySet:
        """The droplet by id, or the queryset of a tag; exactly one must be given."""
        if (id is None) == (tag_name is None):
            raise ValidationError(f"give exactly one of id or tag_name, got id={id!r} and tag_name={tag_name!r}")
        if id is not None:
            return self._droplet(id)
        return self._manager().filter(tag=tag_name)

    def _act(
        self, verb: str, id: int | None, tag_name: str | None, wait: bool, poll: float, timeout: float
    ) -> OneOrMany:
        """Run the action method ``verb`` of the droplet (-> dict) or tag queryset (-> list)."""
        result = getattr(self._target(id, tag_name), verb)(wait=wait, poll=poll, timeout=timeout)
        return _dicts(result) if isinstance(result, list) else result.to_dict()

    # -- reading --------------------------------------------------------------------

    @translated
    def list(self, tag_name: str | None = None) -> JSONList:
        """List all Droplets or all Droplets with a specific Tag.

        Args:
            tag_name: Send to retrieve Droplets with this tag.

        Returns:
            A list of Droplet dicts.
        """
        manager = self._manager()
        queryset = manager.all() if tag_name is None else manager.filter(tag=tag_name)
        return _dicts(queryset)

    @translated
    def neighbor_list(self, id: int) -> JSONList:
        """List the Droplets running on the same physical server as Droplet ``id``."""
        return _dicts(self._droplet(id).neighbors())

    @translated
    def droplet_neighbor_list(self) -> NeighborLists:
        """List all Droplet neighbors: one list of Droplet dicts per shared physical server."""
        return [_dicts(group) for group in self._manager().neighbors()]

    @translated
    def info(self, id: int) -> JSON:
        """Retrieve an existing Droplet by id, as a Droplet dict."""
        return self._manager().get(id=id).to_dict()

    @translated
    def backup_list(self, id: int) -> JSONList:
        """List the backups of Droplet ``id``, as dicts (the API's ``droplet_snapshot`` objects)."""
        return _dicts(self._droplet(id).backups())

    @translated
    def snapshot_list(self, id: int) -> JSONList:
        """List the snapshots of Droplet ``id``, as dicts (the API's ``droplet_snapshot`` objects)."""
        return _dicts(self._droplet(id).snapshots())

    @translated
    def kernel_list(self, id: int) -> JSONList:
        """List the kernels available to Droplet ``id``, as Kernel dicts (id, name, version)."""
        return _dicts(self._droplet(id).kernels())

    @translated
    def action_list(self, id: int) -> JSONList:
        """List every action of Droplet ``id``, as Action dicts."""
        return _dicts(self._droplet(id).actions())

    @translated
    def action_info(self, id: int, action_id: int) -> JSON:
        """Retrieve action ``action_id`` of Droplet ``id``, as an Action dict."""
        return self._droplet(id).action(action_id).to_dict()

    # -- creating and destroying ------------------------------------------------------

    @translated
    def create(
        self, attribs: Mapping[str, Any], wait: bool = False, poll: float = 5, timeout: float = 300
    ) -> OneOrMany:
        """Create a new Droplet (``name``) or several (``names``).

        Args:
            attribs: The seed's droplet data: ``name`` or ``names``, ``region``,
                ``size`` and ``image`` (required), ``ssh_keys``, ``backups``,
                ``ipv6``, ``private_networking``, ``user_data``, ``monitoring``,
                ``volume`` (the API's ``volumes``, also accepted) and ``tags``.
            wait: Return only once the droplet(s) are active.
            poll: Seconds between checks (at least 1).
            timeout: Seconds before giving up.

        Returns:
            A Droplet dict if ``name`` was sent, a list of them if ``names`` was.
        """
        names, options = _create_options(attribs)
        manager = self._manager()
        if isinstance(names, str):
            return manager.create(names, wait=wait, poll=poll, timeout=timeout, **options).to_dict()
        return _dicts(manager.create_many(names, wait=wait, poll=poll, timeout=timeout, **options))

    @translated
    def present(
        self, attribs: Mapping[str, Any], wait: bool = False, poll: float = 5, timeout: float = 300
    ) -> tuple[JSON, JSON | None] | tuple[JSONList, JSONList]:
        """Create a Droplet, or several, unless one of that name exists already.

        Args:
            attribs: As for `create()`.
            wait: Wait until created droplets are active.
            poll: Seconds between checks (at least 1).
            timeout: Seconds before giving up.

        Returns:
            With ``name``: ``(droplet, created)``, ``created`` being the same
            droplet if it was created now, else None. With ``names``:
            ``(all, created)``, two lists of Droplet dicts (``created`` empty
            if all were present).
        """
        names, options = _create_options(attribs)
        manager = self._manager()
        if isinstance(names, str):
            droplet, created = manager.present(names, wait=wait, poll=poll, timeout=timeout, **options)
            return droplet.to_dict(), droplet.to_dict() if created else None
        every, new = manager.present_many(names, wait=wait, poll=poll, timeout=timeout, **options)
        return _dicts(every), _dicts(new)

    @translated
    def destroy(self, id: int | None = None, tag_name: str | None = None) -> None:
        """Delete a Droplet by id, or all Droplets with a tag.

        Args:
            id: Send only to destroy a single Droplet by id.
            tag_name: Send only to destroy all Droplets with this tag.
        """
        self._target(id, tag_name).destroy()

    # -- actions by id or by tag ------------------------------------------------------
    # Each returns the Action dict by id, the list of Action dicts by tag.

    @translated
    def backup_enable(
        self,
        id: int | None = None,
        tag_name: str | None = None,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
    ) -> OneOrMany:
        """Enable backups of Droplet ``id`` or of all Droplets tagged ``tag_name``."""
        return self._act("enable_backups", id, tag_name, wait, poll, timeout)

    @translated
    def backup_disable(
        self,
        id: int | None = None,
        tag_name: str | None = None,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
    ) -> OneOrMany:
        """Disable backups of Droplet ``id`` or of all Droplets tagged ``tag_name``."""
        return self._act("disable_backups", id, tag_name, wait, poll, timeout)

    @translated
    def shutdown(
        self,
        id: int | None = None,
        tag_name: str | None = None,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
    ) -> OneOrMany:
        """Shut down gracefully Droplet ``id`` or all Droplets tagged ``tag_name``."""
        return self._act("shutdown", id, tag_name, wait, poll, timeout)

    @translated
    def power_on(
        self,
        id: int | None = None,
        tag_name: str | None = None,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
    ) -> OneOrMany:
        """Power on Droplet ``id`` or all Droplets tagged ``tag_name``."""
        return self._act("power_on", id, tag_name, wait, poll, timeout)

    @translated
    def power_off(
        self,
        id: int | None = None,
        tag_name: str | None = None,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
    ) -> OneOrMany:
        """Power off (hard) Droplet ``id`` or all Droplets tagged ``tag_name``."""
        return self._act("power_off", id, tag_name, wait, poll, timeout)

    @translated
    def power_cycle(
        self,
        id: int | None = None,
        tag_name: str | None = None,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
    ) -> OneOrMany:
        """Power-cycle Droplet ``id`` or all Droplets tagged ``tag_name``."""
        return self._act("power_cycle", id, tag_name, wait, poll, timeout)

    @translated
    def ipv6_enable(
        self,
        id: int | None = None,
        tag_name: str | None = None,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
    ) -> OneOrMany:
        """Enable IPv6 on Droplet ``id`` or on all Droplets tagged ``tag_name``."""
        return self._act("enable_ipv6", id, tag_name, wait, poll, timeout)

    @translated
    def private_networking_enable(
        self,
        id: int | None = None,
        tag_name: str | None = None,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
    ) -> OneOrMany:
        """Enable private networking on Droplet ``id`` or on all Droplets tagged ``tag_name``."""
        return self._act("enable_private_networking", id, tag_name, wait, poll, timeout)

    # -- actions by id ----------------------------------------------------------------
    # Each returns the Action dict.

    @translated
    def reboot(self, id: int, wait: bool = False, poll: float = 5, timeout: float = 300) -> JSON:
        """Reboot Droplet ``id`` gracefully."""
        return self._droplet(id).reboot(wait=wait, poll=poll, timeout=timeout).to_dict()

    @translated
    def password_reset(self, id: int, wait: bool = False, poll: float = 5, timeout: float = 300) -> JSON:
        """Reset the root password of Droplet ``id``."""
        return self._droplet(id).password_reset(wait=wait, poll=poll, timeout=timeout).to_dict()

    @translated
    def restore(self, id: int, image: int | str, wait: bool = False, poll: float = 5, timeout: float = 300) -> JSON:
        """Restore Droplet ``id`` from ``image``, the id of one of its backups."""
        backup: Any = image  # the model takes backup ids only and refuses a slug with a ValidationError
        return self._droplet(id).restore(backup, wait=wait, poll=poll, timeout=timeout).to_dict()

    @translated
    def resize(
        self, id: int, size: str, disk: bool = False, wait: bool = False, poll: float = 5, timeout: float = 300
    ) -> JSON:
        """Resize Droplet ``id`` (powered off) to the size slug ``size``; ``disk=True`` grows the disk too."""
        return self._droplet(id).resize(size, disk, wait=wait, poll=poll, timeout=timeout).to_dict()

    @translated
    def rebuild(self, id: int, image: int | str, wait: bool = False, poll: float = 5, timeout: float = 300) -> JSON:
        """Rebuild Droplet ``id`` from ``image`` (an image id or slug)."""
        return self._droplet(id).rebuild(image, wait=wait, poll=poll, timeout=timeout).to_dict()

    @translated
    def rename(self, id: int, name: str, wait: bool = False, poll: float = 5, timeout: float = 300) -> JSON:
        """Rename Droplet ``id`` to ``name``."""
        return self._droplet(id).rename(name, wait=wait, poll=poll, timeout=timeout).to_dict()

    @translated
    def kernel_update(self, id: int, kernel_id: int, wait: bool = False, poll: float = 5, timeout: float = 300) -> JSON:
        """Make Droplet ``id`` boot the kernel ``kernel_id`` (see `kernel_list()`)."""
        return self._droplet(id).change_kernel(kernel_id, wait=wait, poll=poll, timeout=timeout).to_dict()
