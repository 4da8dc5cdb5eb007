"""The droplet manager and queryset: create, present, destroy and tag actions.

Tag actions (``power_cycle, power_on, power_off, shutdown, enable_backups,
disable_backups, enable_ipv6, enable_private_networking, snapshot``) on a
queryset that is exactly one tag filter use the tag endpoint (one request);
on any other queryset they act on each droplet. ``wait=True`` waits for all
of them with one request per poll round.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from droplets import _api
from droplets.errors import DropletsError, ValidationError
from droplets.managers import Manager
from droplets.models.action import Action
from droplets.models.image import Image
from droplets.models.region import Region
from droplets.models.size import Size
from droplets.models.ssh_key import SSHKey
from droplets.models.verbs import action_doc
from droplets.query import QuerySet
from droplets.validation import (
    MAX_NAMES_PER_CREATE,
    check_hostname,
    check_names,
    check_poll,
    check_tag,
    check_user_data,
    snapshot_body,
)
from droplets.waiting import Progress, wait_for

if TYPE_CHECKING:
    from droplets.models.droplet import Droplet

__all__ = ["DropletManager", "DropletQuerySet"]

NEIGHBOR_REPORT = "/v2/reports/droplet_neighbors_ids"
"""The account-wide report of droplets sharing a physical server (envelope ``neighbor_ids``)."""

CREATE_HINT = (
    "The create may have taken effect even though the request failed, so it was not repeated: "
    "call Droplet.objects.present(name=...) (or present_many), which creates only the droplets "
    "that do not exist yet"
)

# Action types the API accepts by tag. enable_private_networking is not among
# them, so on a tag queryset it is sent per droplet.
TAG_ACTIONS = frozenset(
    {"power_cycle", "power_on", "power_off", "shutdown", "enable_ipv6", "enable_backups", "disable_backups", "snapshot"}
)


class DropletQuerySet(QuerySet["Droplet"]):
    """A lazy list of droplets, with bulk actions and destroy."""

    def _single_tag(self) -> str | None:
        if not self._local and set(self._server) == {"tag_name"}:
            return str(self._server["tag_name"])
        return None

    def _bulk(
        self, body: dict[str, Any], wait: bool, poll: float, timeout: float, progress: Progress | None
    ) -> list[Action]:
        if wait:
            check_poll(poll, timeout)
        client = self.client
        endpoint = self.model._endpoint
        tag = self._single_tag()
        if tag is not None and body["type"] in TAG_ACTIONS:
            answers = _api.post_actions_where(client, endpoint, {"tag_name": check_tag(tag)}, body)
            actions = [Action._from_wire(data, client) for data in answers]
        else:
            actions = []
            for droplet in self.iterator():
                try:
                    actions.append(Action._from_wire(_api.post_action(client, endpoint, droplet.id, body), client))
                except DropletsError as error:
                    # Keep what already started: the caller may wait on it or undo it.
                    error.started_actions = actions  # type: ignore[attr-defined]
                    raise
        if wait:
            wait_for(actions, poll=poll, timeout=timeout, progress=progress)
        return actions

    @action_doc('Droplet.objects.filter(tag="web").reboot(wait=True)', bulk=True)
    def reboot(
        self, *, wait: bool = False, poll: float = 5, timeout: float = 300, progress: Progress | None = None
    ) -> list[Action]:
        """Reboot every droplet gracefully (one request per droplet: the API has no tag form)."""
        return self._bulk({"type": "reboot"}, wait, poll, timeout, progress)

    @action_doc('Droplet.objects.filter(tag="web").power_cycle(wait=True)', bulk=True)
    def power_cycle(
        self, *, wait: bool = False, poll: float = 5, timeout: float = 300, progress: Progress | None = None
    ) -> list[Action]:
        """Power-cycle every droplet; returns one action per droplet."""
        return self._bulk({"type": "power_cycle"}, wait, poll, timeout, progress)

    @action_doc('Droplet.objects.filter(tag="web").power_on(wait=True)', bulk=True)
    def power_on(
        self, *, wait: bool = False, poll: float = 5, timeout: float = 300, progress: Progress | None = None
    ) -> list[Action]:
        """Power on every droplet."""
        return self._bulk({"type": "power_on"}, wait, poll, timeout, progress)

    @action_doc('Droplet.objects.filter(tag="web").power_off(wait=True)', bulk=True)
    def power_off(
        self, *, wait: bool = False, poll: float = 5, timeout: float = 300, progress: Progress | None = None
    ) -> list[Action]:
        """Power off every droplet."""
        return self._bulk({"type": "power_off"}, wait, poll, timeout, progress)

    @action_doc('Droplet.objects.filter(tag="web").shutdown(wait=True)', bulk=True)
    def shutdown(
        self, *, wait: bool = False, poll: float = 5, timeout: float = 300, progress: Progress | None = None
    ) -> list[Action]:
        """Shut down every droplet gracefully."""
        return self._bulk({"type": "shutdown"}, wait, poll, timeout, progress)

    @action_doc('Droplet.objects.filter(tag="web").enable_backups(wait=True)', bulk=True)
    def enable_backups(
        self, *, wait: bool = False, poll: float = 5, timeout: float = 300, progress: Progress | None = None
    ) -> list[Action]:
        """Enable backups on every droplet."""
        return self._bulk({"type": "enable_backups"}, wait, poll, timeout, progress)

    @action_doc('Droplet.objects.filter(tag="web").disable_backups(wait=True)', bulk=True)
    def disable_backups(
        self, *, wait: bool = False, poll: float = 5, timeout: float = 300, progress: Progress | None = None
    ) -> list[Action]:
        """Disable backups on every droplet."""
        return self._bulk({"type": "disable_backups"}, wait, poll, timeout, progress)

    @action_doc('Droplet.objects.filter(tag="web").enable_ipv6(wait=True)', bulk=True)
    def enable_ipv6(
        self, *, wait: bool = False, poll: float = 5, timeout: float = 300, progress: Progress | None = None
    ) -> list[Action]:
        """Enable IPv6 on every droplet."""
        return self._bulk({"type": "enable_ipv6"}, wait, poll, timeout, progress)

    @action_doc('Droplet.objects.filter(tag="web").enable_private_networking(wait=True)', bulk=True)
    def enable_private_networking(
        self, *, wait: bool = False, poll: float = 5, timeout: float = 300, progress: Progress | None = None
    ) -> list[Action]:
        """Enable private networking on every droplet (per droplet: the API has no tag form)."""
        return self._bulk({"type": "enable_private_networking"}, wait, poll, timeout, progress)

    def snapshot(
        self,
        name: str | None = None,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
    ) -> list[Action]:
        """Snapshot every droplet, optionally with a snapshot name.

        Example:
            >>> Droplet.objects.filter(tag="web").snapshot(wait=True)   # doctest: +SKIP
        """
        return self._bulk(snapshot_body(name), wait, poll, timeout, progress)

    def destroy(self) -> None:
        """Delete every droplet: one request for a single tag filter, else one per droplet.

        Example:
            >>> Droplet.objects.filter(tag="staging").destroy()   # doctest: +SKIP
        """
        client = self.client
        tag = self._single_tag()
        if tag is not None:
            _api.delete_where(client, self.model._endpoint, {"tag_name": check_tag(tag)})
            return
        for droplet in list(self.iterator()):
            _api.delete(client, self.model._endpoint, droplet.id)


def _ref(value: Any, what: str, model: type, attr: str) -> Any:
    if value is None:
        raise ValidationError(
            f"{what} is required to create a droplet (a slug such as those in {model.__name__}.objects.all())"
        )
    if isinstance(value, model):
        return getattr(value, attr) or getattr(value, "slug", None)
    if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
        raise ValidationError(f"{what} must be a slug or a {model.__name__}, got {value!r}")
    return value


def _ssh_key_refs(keys: Iterable[Any] | None) -> list[int | str] | None:
    if keys is None:
        return None
    refs: list[int | str] = []
    for key in keys:
        if isinstance(key, SSHKey):
            refs.append(key.id)
        elif isinstance(key, (int, str)) and not isinstance(key, bool):
            refs.append(key)
        else:
            raise ValidationError(f"ssh_keys takes key ids, fingerprints or SSHKey objects, got {key!r}")
    return refs


class DropletManager(Manager["Droplet"]):
    """``Droplet.objects``: querysets plus create, present and the neighbors report."""

    queryset_class = DropletQuerySet

    def get_queryset(self) -> DropletQuerySet:
        """A new queryset of every droplet."""
        return DropletQuerySet(self.model, self._client)

    def all(self) -> DropletQuerySet:
        """Every droplet (lazy)."""
        return self.get_queryset()

    def filter(self, **lookups: Any) -> DropletQuerySet:
        """Droplets matching ``lookups``; ``tag`` and ``name`` filter on the server."""
        return self.get_queryset().filter(**lookups)

    def exclude(self, **lookups: Any) -> DropletQuerySet:
        """Droplets not matching ``lookups``."""
        return self.get_queryset().exclude(**lookups)

    def _client_now(self) -> Any:
        return self.get_queryset().client

    def _body(self, names: Sequence[str] | str, options: dict[str, Any]) -> dict[str, Any]:
        known = {
            "region", "size", "image", "ssh_keys", "backups", "ipv6", "monitoring", "user_data",
            "volumes", "tags", "vpc_uuid", "private_networking", "with_droplet_agent", "backup_policy",
        }  # fmt: skip
        unknown = set(options) - known
        if unknown:
            raise TypeError(f"create() got unknown keyword(s) {sorted(unknown)}; known: {sorted(known)}")
        body: dict[str, Any] = {"names": list(names)} if not isinstance(names, str) else {"name": names}
        body["region"] = _ref(options.get("region"), "region", Region, "slug")
        body["size"] = _ref(options.get("size"), "size", Size, "slug")
        body["image"] = _ref(options.get("image"), "image", Image, "id")
        for flag in ("backups", "ipv6", "monitoring"):
            value = options.get(flag, False)
            if not isinstance(value, bool):
                raise ValidationError(f"{flag} must be True or False, got {value!r}")
            body[flag] = value
        keys = _ssh_key_refs(options.get("ssh_keys"))
        if keys is not None:
            body["ssh_keys"] = keys
        user_data = check_user_data(options.get("user_data"))
        if user_data is not None:
            body["user_data"] = user_data
        if options.get("tags") is not None:
            body["tags"] = [check_tag(tag) for tag in options["tags"]]
        if options.get("volumes") is not None:
            body["volumes"] = list(options["volumes"])
        for passthrough in ("vpc_uuid", "private_networking", "with_droplet_agent", "backup_policy"):
            if options.get(passthrough) is not None:
                body[passthrough] = options[passthrough]
        return body

    def _create(self, names: list[str] | str, options: dict[str, Any]) -> list[Droplet]:
        wait = options.pop("wait", False)
        poll = options.pop("poll", 5)
        timeout = options.pop("timeout", 300)
        progress = options.pop("progress", None)
        if wait:
            check_poll(poll, timeout)
        chunks: list[list[str] | str] = (
            [names]
            if isinstance(names, str)
            else [names[i : i + MAX_NAMES_PER_CREATE] for i in range(0, len(names), MAX_NAMES_PER_CREATE)]
        )
        bodies = [self._body(chunk, options) for chunk in chunks]  # validate all before sending any
        client = self._client_now()
        droplets: list[Droplet] = []
        action_ids: list[int] = []
        for body in bodies:
            raw, ids = _api.create(client, self.model._endpoint, body, many="names" in body, hint=CREATE_HINT)
            droplets.extend(self.model._from_wire(data, client) for data in raw)
            action_ids.extend(ids)
        if wait:
            actions = [_pending_action(client, ident) for ident in action_ids]
            wait_for(actions, poll=poll, timeout=timeout, progress=progress)
            self._refresh_all(droplets, client, options.get("tags"))
        return droplets

    def _refresh_all(self, droplets: list[Droplet], client: Any, tags: list[str] | None) -> None:
        """Reload new droplets: one listing by their tag when there are several, else one GET each."""
        stale = {droplet.id: droplet for droplet in droplets}
        if tags and len(droplets) > 1:
            for fresh in self.using(client).filter(tag=tags[0]).iterator():
                droplet = stale.pop(fresh.id, None)
                if droplet is not None:
                    droplet._take(fresh)
        for droplet in stale.values():
            droplet.refresh()

    def create(self, name: str, **options: Any) -> Droplet:
        """Create one droplet.

        Args:
            name: A valid hostname.
            **options: ``region``, ``size`` and ``image`` (required; slugs, ids
                or models), ``ssh_keys``, ``backups``, ``ipv6``, ``monitoring``,
                ``user_data`` (≤ 64 KiB), ``volumes``, ``tags``, ``vpc_uuid``,
                and ``wait``, ``poll``, ``timeout``, ``progress``.

        Returns:
            The droplet; with ``wait=True``, active and with its networks.

        Raises:
            droplets.ValidationError: Bad input (nothing was sent).

        Example:
            >>> Droplet.objects.create(name="web-1", region="nyc3", size="s-1vcpu-1gb",
            ...                        image="ubuntu-24-04-x64", wait=True)   # doctest: +SKIP
        """
        return self._create(check_hostname(name), options)[0]

    def create_many(self, names: Sequence[str], **options: Any) -> list[Droplet]:
        """Create several droplets, in requests of at most 10 names; see `create()`."""
        return self._create(check_names(names), options)

    def present(self, name: str, **options: Any) -> tuple[Droplet, bool]:
        """Return the droplet named ``name``, creating it only if absent.

        Returns:
            ``(droplet, created)``.

        Raises:
            Droplet.MultipleObjectsReturned: Several droplets have that name.
        """
        check_hostname(name)
        existing = self.filter(name=name)[:2]
        if len(existing) > 1:
            raise self.model.MultipleObjectsReturned(
                f"{len(existing)} droplets are named {name!r}; present() will not guess which one you mean"
            )
        if existing:
            return existing[0], False
        return self.create(name, **options), True

    def present_many(self, names: Sequence[str], **options: Any) -> tuple[list[Droplet], list[Droplet]]:
        """Create the droplets of ``names`` that do not exist yet.

        Returns:
            ``(all, created)``: every droplet of ``names`` in order, and the new ones.
        """
        wanted = check_names(names)
        found: dict[str, Droplet] = {}
        for name in wanted:
            matches = self.filter(name=name)[:2]
            if len(matches) > 1:
                raise self.model.MultipleObjectsReturned(
                    f"{len(matches)} droplets are named {name!r}; present_many() will not guess"
                )
            if matches:
                found[name] = matches[0]
        missing = [name for name in wanted if name not in found]
        created = self._create(missing, options) if missing else []
        found.update(zip(missing, created, strict=True))
        return [found[name] for name in wanted], created

    def neighbors(self) -> list[list[Droplet]]:
        """The account-wide report: groups of droplets sharing a physical server."""
        client = self._client_now()
        groups = _api.get(client, NEIGHBOR_REPORT, "neighbor_ids", list)
        if not groups:
            return []
        by_id = {droplet.id: droplet for droplet in self.get_queryset().using(client).iterator()}
        return [[by_id[i] if i in by_id else self.using(client).get(id=i) for i in group] for group in groups]


def _pending_action(client: Any, action_id: int) -> Action:
    """An action known only by id, treated as in progress until the first poll."""
    return Action._from_wire({"id": action_id, "status": "in-progress", "type": "create"}, client)
