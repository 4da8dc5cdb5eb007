"""The droplet manager and queryset: create, present, destroy and tag actions.

Tag actions (``power_cycle, power_on, power_off, shutdown, enable_backups,
disable_backups, enable_ipv6, enable_private_networking, snapshot``) on a
queryset that is exactly one tag filter use the tag endpoint (one request);
on any other queryset they act on each droplet, queueing behind a locked
droplet like the droplet's own verbs (``queue=True``). ``wait=True`` waits
for all of them with one request per poll round.

``create(wait=True)`` (or ``"active"``, or ``"ssh"``) returns droplets that
are usable, not just created: see `droplets.models.droplet_wait` for the
stages and their cost; ``destroy(wait=True)`` returns once they are gone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from droplets import _api, _converter
from droplets.errors import DropletsError, ValidationError
from droplets.managers import Manager
from droplets.models.action import Action
from droplets.models.backup import BackupPolicy, BackupPolicyRecord, SupportedBackupPolicy
from droplets.models.base import check_id
from droplets.models.droplet_create import REQUIRED, CreateOptions, Identified
from droplets.models.droplet_queue import post_action_queued
from droplets.models.droplet_wait import ReadyReport, wait_gone, wait_gone_tag, wait_ready
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
    check_port,
    check_tag,
    snapshot_body,
)
from droplets.waiting import Deadline, Progress, wait_for

if TYPE_CHECKING:
    from droplets.models.droplet import Droplet
    from droplets.models.snapshot import Snapshot

__all__ = ["DropletManager", "DropletQuerySet", "ReadyWait"]

ReadyWait = bool | Literal["active", "ssh"]
"""What ``create(wait=...)`` waits for: False (nothing), True or ``"active"``
(active with its address), ``"ssh"`` (also its SSH port accepting)."""


def _ready_mode(wait: Any) -> tuple[bool, bool]:
    """``wait`` as (wait at all, wait for SSH); anything else is a `ValidationError`."""
    if wait is None or wait is False:
        return False, False
    if wait is True or wait == "active":
        return True, False
    if wait == "ssh":
        return True, True
    raise ValidationError(f"wait must be False, True, 'active' or 'ssh', got {wait!r}")


NEIGHBOR_REPORT = "/v2/reports/droplet_neighbors_ids"
BACKUP_POLICIES = "/v2/droplets/backups/policies"
"""Every droplet's backup policy record, keyed by droplet id (paginated)."""
SUPPORTED_BACKUP_POLICIES = "/v2/droplets/backups/supported_policies"
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

    _habit_hints: ClassVar[Mapping[str, str]] = {"delete": "droplets are destroyed, not deleted: use qs.destroy()"}

    def _single_tag(self) -> str | None:
        tag = self._server.get("tag_name")
        if not self._local and set(self._server) == {"tag_name"} and isinstance(tag, str):
            return tag
        return None

    def _bulk(
        self,
        body: dict[str, Any],
        wait: bool,
        poll: float,
        timeout: float,
        progress: Progress | None,
        queue: bool = True,
    ) -> list[Action]:
        poll, timeout = check_poll(poll, timeout)
        client = self.client
        deadline = Deadline(client.clock, timeout)
        endpoint = self.model._endpoint
        tag = self._single_tag()
        if tag is not None and body["type"] in TAG_ACTIONS:
            answers = _api.post_actions_where(client, endpoint, {"tag_name": check_tag(tag)}, body)
            actions = [Action._from_wire(data, client) for data in answers]
        else:
            actions = []
            for droplet in self.iterator():
                try:
                    data = post_action_queued(
                        client, endpoint, droplet.id, body, queue=queue, poll=poll, deadline=deadline
                    )
                    actions.append(Action._from_wire(data, client))
                except DropletsError as error:
                    # Keep what already started: the caller may wait on it or undo it.
                    error.started_actions = actions  # type: ignore[attr-defined]
                    raise
        if wait:
            wait_for(actions, poll=poll, progress=progress, deadline=deadline)
        return actions

    @action_doc('Droplet.objects.filter(tag="web").reboot(wait=True)', bulk=True)
    def reboot(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> list[Action]:
        """Reboot every droplet gracefully (one request per droplet: the API has no tag form)."""
        return self._bulk({"type": "reboot"}, wait, poll, timeout, progress, queue)

    @action_doc('Droplet.objects.filter(tag="web").power_cycle(wait=True)', bulk=True)
    def power_cycle(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> list[Action]:
        """Power-cycle every droplet; returns one action per droplet."""
        return self._bulk({"type": "power_cycle"}, wait, poll, timeout, progress, queue)

    @action_doc('Droplet.objects.filter(tag="web").power_on(wait=True)', bulk=True)
    def power_on(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> list[Action]:
        """Power on every droplet."""
        return self._bulk({"type": "power_on"}, wait, poll, timeout, progress, queue)

    @action_doc('Droplet.objects.filter(tag="web").power_off(wait=True)', bulk=True)
    def power_off(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> list[Action]:
        """Power off every droplet."""
        return self._bulk({"type": "power_off"}, wait, poll, timeout, progress, queue)

    @action_doc('Droplet.objects.filter(tag="web").shutdown(wait=True)', bulk=True)
    def shutdown(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> list[Action]:
        """Shut down every droplet gracefully."""
        return self._bulk({"type": "shutdown"}, wait, poll, timeout, progress, queue)

    @action_doc('Droplet.objects.filter(tag="web").enable_backups(wait=True)', bulk=True)
    def enable_backups(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> list[Action]:
        """Enable backups on every droplet."""
        return self._bulk({"type": "enable_backups"}, wait, poll, timeout, progress, queue)

    @action_doc('Droplet.objects.filter(tag="web").disable_backups(wait=True)', bulk=True)
    def disable_backups(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> list[Action]:
        """Disable backups on every droplet."""
        return self._bulk({"type": "disable_backups"}, wait, poll, timeout, progress, queue)

    @action_doc('Droplet.objects.filter(tag="web").enable_ipv6(wait=True)', bulk=True)
    def enable_ipv6(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> list[Action]:
        """Enable IPv6 on every droplet."""
        return self._bulk({"type": "enable_ipv6"}, wait, poll, timeout, progress, queue)

    @action_doc('Droplet.objects.filter(tag="web").enable_private_networking(wait=True)', bulk=True)
    def enable_private_networking(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> list[Action]:
        """Enable private networking on every droplet (per droplet: the API has no tag form)."""
        return self._bulk({"type": "enable_private_networking"}, wait, poll, timeout, progress, queue)

    def snapshot(
        self,
        name: str | None = None,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> list[Action]:
        """Snapshot every droplet, optionally with a snapshot name.

        Example:
            >>> Droplet.objects.filter(tag="web").snapshot(wait=True)   # doctest: +SKIP
        """
        return self._bulk(snapshot_body(name), wait, poll, timeout, progress, queue)

    def destroy(
        self, *, wait: bool = False, poll: float = 5, timeout: float = 300, progress: ReadyReport | None = None
    ) -> None:
        """Delete every droplet: one request for a single tag filter, else one per droplet.

        Args:
            wait: Return only once the API no longer shows them: for a tag
                filter, one counting request per round until no droplet
                carries the tag; else one ``GET`` per remaining droplet a round.
            poll: Seconds between polls (at least 1).
            timeout: Seconds before `WaitTimeout` (stage ``"gone"``).
            progress: Called with a `ReadyProgress` after every round.

        Example:
            >>> Droplet.objects.filter(tag="staging").destroy(wait=True)   # doctest: +SKIP
        """
        if wait:
            poll, timeout = check_poll(poll, timeout)
        client = self.client
        endpoint = self.model._endpoint
        tag = self._single_tag()
        if tag is not None:
            query = {"tag_name": check_tag(tag)}
            total = _api.count(client, endpoint.path, endpoint.plural, query) if wait and progress else None
            _api.delete_where(client, endpoint, query)
            if wait:
                deadline = Deadline(client.clock, timeout)
                wait_gone_tag(client, endpoint, tag, deadline=deadline, poll=poll, total=total, report=progress)
            return
        doomed = list(self.iterator())
        for droplet in doomed:
            _api.delete(client, endpoint, droplet.id)
        if wait:
            wait_gone(doomed, deadline=Deadline(client.clock, timeout), poll=poll, report=progress)


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

    def _create(
        self,
        names: list[str] | str,
        options: CreateOptions,
        *,
        wait: ReadyWait,
        poll: float,
        timeout: float,
        progress: Progress | None,
        ssh_port: int = 22,
        existing: Sequence[Droplet] = (),
    ) -> list[Droplet]:
        """Create the droplets of ``names`` and, with ``wait``, wait for them and for ``existing`` (one deadline)."""
        waiting, ssh = _ready_mode(wait)
        port = check_port(ssh_port)
        if waiting:
            poll, timeout = check_poll(poll, timeout)
        chunks: list[list[str] | str] = (
            [names]
            if isinstance(names, str)
            else [names[i : i + MAX_NAMES_PER_CREATE] for i in range(0, len(names), MAX_NAMES_PER_CREATE)]
        )
        bodies = [options.body(chunk) for chunk in chunks]  # validate all before sending any
        client = self._client_now()
        deadline = Deadline(client.clock, timeout)  # one deadline: the create action, status, address, port
        droplets: list[Droplet] = []
        action_ids: list[int] = []
        for body in bodies:
            raw, ids = _api.create(client, self.model._endpoint, body, many="names" in body, hint=CREATE_HINT)
            droplets.extend(self.model._from_wire(data, client) for data in raw)
            action_ids.extend(ids)
        if waiting:
            wait_ready(
                [*droplets, *existing],
                deadline=deadline,
                poll=poll,
                ssh=ssh,
                port=port,
                public=options.public_networking is not False,
                actions=[_pending_action(client, ident) for ident in action_ids],
                appearing=True,
                progress=progress,
            )
        return droplets

    def wait_ready(
        self,
        droplets: Sequence[Droplet],
        *,
        ssh: bool = False,
        port: int = 22,
        public: bool = True,
        poll: float = 5,
        timeout: float = 300,
        progress: ReadyReport | None = None,
    ) -> list[Droplet]:
        """Wait until every droplet is usable; `Droplet.wait_ready()` for many at once.

        Droplets still ``new`` first wait for their create actions (found
        with one request in the account's recent actions). Several droplets
        that share a tag cost one listing per round; see
        `droplets.models.droplet_wait` for every stage's cost.

        Returns:
            The droplets, refreshed.

        Raises:
            droplets.WaitTimeout: A stage was not reached (``.stage``).

        Example:
            >>> ds = Droplet.objects.create_many(names=["a", "b"], ..., tags=["web"])   # doctest: +SKIP
            >>> Droplet.objects.wait_ready(ds, ssh=True)                                # doctest: +SKIP
        """
        poll, timeout = check_poll(poll, timeout)
        port = check_port(port)
        droplets = list(droplets)
        if not droplets:
            return droplets
        deadline = Deadline(droplets[0].client.clock, timeout)
        return wait_ready(
            droplets, deadline=deadline, poll=poll, ssh=ssh, port=port, public=public, appearing=True, report=progress
        )

    def wait_gone(
        self,
        droplets: Sequence[Droplet],
        *,
        poll: float = 5,
        timeout: float = 300,
        progress: ReadyReport | None = None,
    ) -> None:
        """Wait until the API no longer shows droplets already destroyed (one ``GET`` per remaining droplet a round).

        Raises:
            droplets.WaitTimeout: Some are still shown (stage ``"gone"``).

        Example:
            >>> Droplet.objects.wait_gone([d1, d2], timeout=60)   # doctest: +SKIP
        """
        poll, timeout = check_poll(poll, timeout)
        droplets = list(droplets)
        if droplets:
            wait_gone(droplets, deadline=Deadline(droplets[0].client.clock, timeout), poll=poll, report=progress)

    def create(
        self,
        name: str,
        *,
        region: Region | str = REQUIRED,
        size: Size | str = REQUIRED,
        image: Image | Snapshot | int | str = REQUIRED,
        ssh_keys: Sequence[SSHKey | int | str] | None = None,
        backups: bool = False,
        backup_policy: BackupPolicy | Mapping[str, Any] | None = None,
        ipv6: bool = False,
        monitoring: bool = False,
        user_data: str | None = None,
        volumes: Sequence[Identified | str] | None = None,
        tags: Sequence[str] | None = None,
        vpc_uuid: Identified | str | None = None,
        public_networking: bool = True,
        with_droplet_agent: bool | None = None,
        private_networking: bool | None = None,
        wait: ReadyWait = False,
        ssh_port: int = 22,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
    ) -> Droplet:
        """Create one droplet (``POST /v2/droplets``).

        Args:
            name: A valid hostname.
            region: Where (a slug such as ``"nyc3"``, or a `Region`); required.
            size: The plan (a slug such as ``"s-1vcpu-1gb"``, or a `Size`); required.
            image: A slug such as ``"ubuntu-24-04-x64"``, an image id, or an `Image`; required.
            ssh_keys: Keys to install for root: ids, fingerprints or `SSHKey` objects.
            backups: Enable automated backups.
            backup_policy: When backups run (needs ``backups=True``): a `BackupPolicy` or a dict
                such as ``{"plan": "weekly", "weekday": "SUN", "hour": 8}``; the API's default is daily.
            ipv6: Assign a public IPv6 address.
            monitoring: Install the monitoring agent.
            user_data: A cloud-config or script run on first boot (at most 64 KiB).
            volumes: Block storage volumes to attach: ids or volume objects.
            tags: Tag names to apply (created if new).
            vpc_uuid: The VPC (its id or a VPC object); default: the region's default VPC.
            public_networking: False creates the droplet without public addresses (then ``ipv6``
                must be False too); it cannot get one later.
            with_droplet_agent: None installs the console agent and ignores failures, True makes
                a failure fatal, False skips it.
            private_networking: Deprecated by the API (every droplet is in a VPC); kept for old callers.
            wait: True (or ``"active"``): return only once the droplet is usable:
                its create action completed, ``active``, with a public IPv4 (a
                private one with ``public_networking=False``). ``"ssh"``: also
                until TCP ``ssh_port`` of that address accepts a connection.
                One ``timeout`` covers every stage; `WaitTimeout` names the
                stage not reached (see `droplets.models.droplet_wait`).
            ssh_port: The port ``wait="ssh"`` checks.
            poll: Seconds between polls (at least 1).
            timeout: Seconds before `WaitTimeout`, for the whole wait.
            progress: Called with the create action after every poll.

        Returns:
            The droplet; with ``wait``, active and with its address (and SSH port open).

        Raises:
            droplets.ValidationError: Bad input, e.g. no region or ``public_networking=False``
                with ``ipv6=True`` (nothing was sent).

        Example:
            >>> Droplet.objects.create(name="web-1", region="nyc3", size="s-1vcpu-1gb",
            ...                        image="ubuntu-24-04-x64", wait=True)   # doctest: +SKIP
        """
        options = CreateOptions.of(locals())
        created = self._create(
            check_hostname(name), options, wait=wait, poll=poll, timeout=timeout, progress=progress, ssh_port=ssh_port
        )
        return created[0]

    def create_many(
        self,
        names: Sequence[str],
        *,
        region: Region | str = REQUIRED,
        size: Size | str = REQUIRED,
        image: Image | Snapshot | int | str = REQUIRED,
        ssh_keys: Sequence[SSHKey | int | str] | None = None,
        backups: bool = False,
        backup_policy: BackupPolicy | Mapping[str, Any] | None = None,
        ipv6: bool = False,
        monitoring: bool = False,
        user_data: str | None = None,
        volumes: Sequence[Identified | str] | None = None,
        tags: Sequence[str] | None = None,
        vpc_uuid: Identified | str | None = None,
        public_networking: bool = True,
        with_droplet_agent: bool | None = None,
        private_networking: bool | None = None,
        wait: ReadyWait = False,
        ssh_port: int = 22,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
    ) -> list[Droplet]:
        """Create several droplets, in requests of at most 10 names; the options are `create()`'s.

        Example:
            >>> Droplet.objects.create_many(["web-1", "web-2"], region="nyc3", size="s-1vcpu-1gb",
            ...                             image="ubuntu-24-04-x64", tags=["web"])   # doctest: +SKIP
        """
        options = CreateOptions.of(locals())
        return self._create(
            check_names(names), options, wait=wait, poll=poll, timeout=timeout, progress=progress, ssh_port=ssh_port
        )

    def present(
        self,
        name: str,
        *,
        region: Region | str = REQUIRED,
        size: Size | str = REQUIRED,
        image: Image | Snapshot | int | str = REQUIRED,
        ssh_keys: Sequence[SSHKey | int | str] | None = None,
        backups: bool = False,
        backup_policy: BackupPolicy | Mapping[str, Any] | None = None,
        ipv6: bool = False,
        monitoring: bool = False,
        user_data: str | None = None,
        volumes: Sequence[Identified | str] | None = None,
        tags: Sequence[str] | None = None,
        vpc_uuid: Identified | str | None = None,
        public_networking: bool = True,
        with_droplet_agent: bool | None = None,
        private_networking: bool | None = None,
        wait: ReadyWait = False,
        ssh_port: int = 22,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
    ) -> tuple[Droplet, bool]:
        """Return the droplet named ``name``, creating it only if absent; the options are `create()`'s.

        The options are checked even when the droplet exists, so a mistake shows on the first run.

        Returns:
            ``(droplet, created)``.

        Raises:
            Droplet.MultipleObjectsReturned: Several droplets have that name.
        """
        options = CreateOptions.of(locals())
        found, created = self._present(check_hostname(name), options, wait=wait, poll=poll, timeout=timeout,
                                       progress=progress, ssh_port=ssh_port, caller="present()")  # fmt: skip
        return found[0], bool(created)

    def present_many(
        self,
        names: Sequence[str],
        *,
        region: Region | str = REQUIRED,
        size: Size | str = REQUIRED,
        image: Image | Snapshot | int | str = REQUIRED,
        ssh_keys: Sequence[SSHKey | int | str] | None = None,
        backups: bool = False,
        backup_policy: BackupPolicy | Mapping[str, Any] | None = None,
        ipv6: bool = False,
        monitoring: bool = False,
        user_data: str | None = None,
        volumes: Sequence[Identified | str] | None = None,
        tags: Sequence[str] | None = None,
        vpc_uuid: Identified | str | None = None,
        public_networking: bool = True,
        with_droplet_agent: bool | None = None,
        private_networking: bool | None = None,
        wait: ReadyWait = False,
        ssh_port: int = 22,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
    ) -> tuple[list[Droplet], list[Droplet]]:
        """Create the droplets of ``names`` that do not exist yet; the options are `create()`'s.

        Returns:
            ``(all, created)``: every droplet of ``names`` in order, and the new ones.
        """
        options = CreateOptions.of(locals())
        return self._present(check_names(names), options, wait=wait, poll=poll, timeout=timeout, progress=progress,
                             ssh_port=ssh_port, caller="present_many()")  # fmt: skip

    def _present(
        self,
        names: str | list[str],
        options: CreateOptions,
        *,
        wait: ReadyWait,
        poll: float,
        timeout: float,
        progress: Progress | None,
        ssh_port: int,
        caller: str,
    ) -> tuple[list[Droplet], list[Droplet]]:
        """What `present` (one name: the one-droplet body) and `present_many` do: ``(all, created)``.

        The options are checked before any request; a name several droplets carry is refused; with
        ``wait``, droplets that already existed are waited for too (they may not be ready yet either).
        """
        wanted = [names] if isinstance(names, str) else names
        options.body(names if isinstance(names, str) else names[:MAX_NAMES_PER_CREATE])
        found: dict[str, Droplet] = {}
        for name in wanted:
            matches = self.filter(name=name)[:2]
            if len(matches) > 1:
                raise self.model.MultipleObjectsReturned(
                    f"{len(matches)} droplets are named {name!r}; {caller} will not guess which one you mean"
                )
            if matches:
                found[name] = matches[0]
        missing = [name for name in wanted if name not in found]
        existing = list(found.values())
        created: list[Droplet] = []
        if missing or (existing and _ready_mode(wait)[0]):
            chunk: str | list[str] = names if isinstance(names, str) and missing else missing
            created = self._create(chunk, options, wait=wait, poll=poll, timeout=timeout, progress=progress,
                                   ssh_port=ssh_port, existing=existing)  # fmt: skip
        found.update(zip(missing, created, strict=True))
        return [found[name] for name in wanted], created

    def ref(self, droplet_id: int) -> Droplet:
        """A droplet known by id only, without loading it: no request is sent.

        Its verbs (``reboot()``, ``power_off()``, ``resize()``, ``destroy()``, ...)
        and reads (``actions()``, ``backups()``, ``backup_policy()``, ...) work
        and cost exactly their own request. Its fields are not loaded: reading
        one raises ``AttributeError`` until ``refresh()`` (one ``GET``) loads
        them, and a verb with ``wait=True`` refreshes it when the action completes.
        A droplet that does not exist shows on the first request, as
        ``Droplet.DoesNotExist``.

        Raises:
            droplets.ValidationError: ``droplet_id`` is not a positive integer.

        Example:
            >>> Droplet.objects.ref(3164444).power_off(wait=True)   # POST, polls, then one GET   # doctest: +SKIP
        """
        return self.model._reference(check_id(droplet_id, "droplet id"), self._client)

    def backup_policies(self) -> dict[int, BackupPolicy | None]:
        """Every droplet's backup policy by droplet id (None: backups disabled); one request per 200.

        Example:
            >>> Droplet.objects.backup_policies()   # doctest: +SKIP
            {3164444: BackupPolicy(plan='daily', weekday=None, hour=20, ...), 3164450: None}
        """
        records = [
            _converter.structure_wire(data, BackupPolicyRecord)
            for data in _api.iterate_keyed(self._client_now(), BACKUP_POLICIES, "policies")
        ]
        return {r.droplet_id: r.backup_policy if r.backup_enabled else None for r in records}

    def supported_backup_policies(self) -> list[SupportedBackupPolicy]:
        """The backup plans the API offers, with their hours, weekdays and retention (one request).

        Example:
            >>> [p.name for p in Droplet.objects.supported_backup_policies()]   # doctest: +SKIP
            ['weekly', 'daily']
        """
        raw = _api.get(self._client_now(), SUPPORTED_BACKUP_POLICIES, "supported_policies", list)
        return [_converter.structure_wire(data, SupportedBackupPolicy) for data in raw]

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
