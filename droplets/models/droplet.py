"""Droplets: the virtual machines, with every action as a method.

``Droplet.get(123).power_off(wait=True)``: each action posts one request,
returns the `Action`, and with ``wait=True`` polls until it
completes and then refreshes the droplet. Every action method takes
``wait=False, poll=5, timeout=300`` (keyword-only), ``progress`` and
``queue=True``: an action refused because the droplet is locked by another
waits for that one and is sent again (`droplets.models.droplet_queue`).
``wait_ready()`` waits until the droplet is usable and ``destroy(wait=True)``
until it is gone (`droplets.models.droplet_wait`).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import attrs

from droplets import _api, _converter, lookups
from droplets._api import Endpoint
from droplets._converter import OMIT_IF_NONE
from droplets.errors import ValidationError
from droplets.managers import ManagerDescriptor
from droplets.models.action import Action
from droplets.models.attached_action import post_resource_action
from droplets.models.backup import BackupPolicy, BackupPolicyRecord, policy_body
from droplets.models.base import Bound, check_id
from droplets.models.droplet_query import DropletManager
from droplets.models.droplet_wait import ReadyReport, wait_gone, wait_ready
from droplets.models.hardware import BackupWindow, DiskInfo, GpuInfo
from droplets.models.image import Image, image_key
from droplets.models.kernel import Kernel
from droplets.models.network import Networks
from droplets.models.region import Region
from droplets.models.size import Size
from droplets.models.verbs import action_doc
from droplets.validation import check_hostname, check_poll, check_port, check_tag, snapshot_body
from droplets.waiting import Deadline, Progress

if TYPE_CHECKING:
    from typing_extensions import Self

    from droplets.lookups import Rule
    from droplets.models.associated import AssociatedResources, DestroyStatus
    from droplets.models.firewall import Firewall
    from droplets.models.metrics import MetricKind, MetricSeries
    from droplets.models.reserved_ip import ReservedIP
    from droplets.models.snapshot import Snapshot
    from droplets.models.volume import Volume

__all__ = ["Droplet", "DropletStatus"]

DropletStatus = Literal["new", "active", "off", "archive"] | str
"""A droplet's status: one of the documented values, or one DigitalOcean added since (kept as text)."""


def _image_ref(image: Image | Snapshot | int | str, *, slug_allowed: bool = True) -> int | str:
    """An image argument (an `Image`, a droplet `Snapshot`, an id or a slug) as the API takes it."""
    key = image_key(image)
    if key is not None:
        return key
    if isinstance(image, str) and not image.isdigit():
        if not slug_allowed:
            raise ValidationError(f"this action takes an image id (an integer), not the slug {image!r}")
        return Image._check_key(image)
    return check_id(image, "image id")


_TAG_HINT = (
    "tag= takes one tag; for droplets with any of several tags use tag__in=[...] (one list per tag), "
    "for droplets with all of them chain filter(tag=...).filter(tag=...)"
)


def _droplet_type(droplet: Droplet) -> str:
    """The list a droplet is in: ``gpus`` for GPU droplets, ``droplets`` otherwise."""
    return "gpus" if droplet.gpu_info is not None else "droplets"


@attrs.define(repr=False)
class Droplet(Bound):
    """A droplet: a DigitalOcean virtual machine.

    Fields are the API's, typed; nested objects are `Region`,
    `Image`, `Size`, `Networks`, `Kernel` and
    `BackupWindow`. Reading a field never touches the network:
    `refresh()` is the only way to update the snapshot.

    Example:
        >>> d = Droplet.get(3164444)                      # doctest: +SKIP
        >>> d.power_off(wait=True); d.status              # doctest: +SKIP
        'off'
    """

    _endpoint = Endpoint(
        "/v2/droplets",
        "droplets",
        "droplet",
        {"tag": "tag_name", "name": "name", "type": "type"},
        exclusive=(frozenset({"tag_name", "name"}), frozenset({"tag_name", "type"})),
        unions=frozenset({"tag_name"}),
        hidden=(("type", "gpus"),),
    )
    """The droplets list filters on ``tag_name``, ``name`` and ``type`` (never ``tag_name`` with another),
    and leaves GPU droplets out unless ``type=gpus``."""
    _read_only_hints: ClassVar[Mapping[str, str]] = {
        "name": "use d.rename(name)",
        **dict.fromkeys(("size", "size_slug", "memory", "vcpus", "disk", "disk_info"), "use d.resize(size)"),
        "image": "use d.rebuild(image) or d.restore(backup)",
        "kernel": "use d.change_kernel(kernel)",
        **dict.fromkeys(("status", "locked"), "use d.power_on(), d.power_off(), d.shutdown() or d.reboot()"),
        **dict.fromkeys(
            ("backup_ids", "next_backup_window"),
            "use d.enable_backups(), d.disable_backups() or d.change_backup_policy()",
        ),
        "snapshot_ids": "use d.snapshot(name)",
        **dict.fromkeys(("networks", "features"), "use d.enable_ipv6() or d.enable_private_networking()"),
    }
    _habit_hints: ClassVar[Mapping[str, str]] = {
        "delete": "use d.destroy() (DELETE /v2/droplets/{id}; a queryset has .destroy() too)",
        "save": (
            "a Droplet's fields are read-only; change a droplet with its verbs (d.rename(), d.resize(), "
            "d.rebuild(), d.enable_backups(), ...), which post the API's actions, and read it again with d.refresh()"
        ),
    }
    _gettable = True
    _display_fields = ("id", "name", "status", "region", "size_slug", "public_ipv4", "tags")

    id: int
    name: str
    memory: int
    vcpus: int
    disk: int
    locked: bool
    status: DropletStatus
    created_at: datetime
    features: list[str]
    backup_ids: list[int]
    next_backup_window: BackupWindow | None
    snapshot_ids: list[int]
    image: Image
    volume_ids: list[str]
    size: Size
    size_slug: str
    networks: Networks
    region: Region
    tags: list[str]
    kernel: Kernel | None = None
    disk_info: list[DiskInfo] | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    vpc_uuid: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    gpu_info: GpuInfo | None = attrs.field(default=None, metadata=OMIT_IF_NONE)

    objects = ManagerDescriptor(DropletManager)

    @classmethod
    def _lookup_rules(cls) -> dict[str, Rule]:
        # tag= and type= are the list's own filters; name= ignores case, as the API's name filter does.
        return {
            "tag": lookups.membership("tag", check_tag, operator.attrgetter("tags"), hint=_TAG_HINT),
            "type": lookups.choice("type", ("droplets", "gpus"), _droplet_type),
            "name": lookups.ignoring_case("name"),
            "tags": lookups.with_hint(
                lookups.field_rule("tags", list[str]),
                "tags is a list: use tag='web' (server side) or tags__contains='web'",
            ),
        }

    @classmethod
    def get(cls, droplet_id: int) -> Droplet:
        """Load one droplet by id (one ``GET``) with the default client.

        Raises:
            Droplet.DoesNotExist: No droplet has that id.
            droplets.ValidationError: ``droplet_id`` is not a positive integer.
        """
        return cls.objects.get(id=droplet_id)

    # -- conveniences -------------------------------------------------------------

    @property
    def public_ipv4(self) -> str | None:
        """The first public IPv4 address, or None."""
        return self.networks.address(4, "public")

    @property
    def private_ipv4(self) -> str | None:
        """The first private IPv4 address, or None."""
        return self.networks.address(4, "private")

    @property
    def public_ipv6(self) -> str | None:
        """The first public IPv6 address, or None."""
        return self.networks.address(6, "public")

    @classmethod
    def ref(cls, droplet_id: int) -> Droplet:
        """A droplet known by id only, not loaded (no request), on the default client.

        Same as ``Droplet.objects.ref(droplet_id)``; see `DropletManager.ref`.

        Example:
            >>> Droplet.ref(3164444).reboot()   # one POST, no GET first   # doctest: +SKIP
        """
        return cls.objects.ref(droplet_id)

    def __repr__(self) -> str:
        if not self._loaded():
            return f"<Droplet {self.id} (not loaded)>"
        return f"<Droplet {self.id} {self.name!r} {self.status} {self.region.slug} {self.size_slug}>"

    def _unloaded(self, name: str) -> str:
        return (
            f"droplet {self.id} is a reference (Droplet.ref()): {name} is not loaded; "
            "call d.refresh() to load its fields (one GET), or use Droplet.get(id)"
        )

    # -- reading --------------------------------------------------------------------

    def refresh(self) -> Self:
        """Reload from the API in place and return self.

        Raises:
            Droplet.DoesNotExist: The droplet was destroyed.
        """
        return self._take(type(self).objects.using(self.client).get(id=self.id))

    def _sub_list(self, what: str) -> Iterator[dict[str, Any]]:
        with self._about_self():
            yield from _api.sub_list(self.client, self._endpoint, self.id, what)

    def _sub_item(self, what: str, key: str, kind: type = dict) -> Any:
        with self._about_self():
            return _api.sub_item(self.client, self._endpoint, self.id, what, key, kind)

    def kernels(self) -> list[Kernel]:
        """Kernels this droplet can boot."""
        return [_converter.structure_wire(k, Kernel) for k in self._sub_list("kernels")]

    def snapshots(self) -> list[Snapshot]:
        """Snapshots taken of this droplet (`Snapshot` models, bound to this droplet's client).

        Example:
            >>> d.snapshots()[0].destroy()   # doctest: +SKIP
        """
        from droplets.models.snapshot import Snapshot

        return Snapshot._from_wire_many(list(self._sub_list("snapshots")), self.client)

    def backups(self) -> list[Snapshot]:
        """Backups of this droplet, newest first (`Snapshot` models of type ``"backup"``)."""
        from droplets.models.snapshot import Snapshot

        return Snapshot._from_wire_many(list(self._sub_list("backups")), self.client)

    def backup_policy(self) -> BackupPolicy | None:
        """This droplet's backup policy (one ``GET``), or None when backups are disabled.

        Example:
            >>> d.backup_policy()   # doctest: +SKIP
            BackupPolicy(plan='weekly', weekday='SUN', hour=8, window_length_hours=4, retention_period_days=28)
        """
        record = _converter.structure_wire(self._sub_item("backups/policy", "policy"), BackupPolicyRecord)
        return record.backup_policy if record.backup_enabled else None

    def firewalls(self) -> list[Firewall]:
        """Cloud firewalls applied to this droplet (by its id or one of its tags), typed."""
        from droplets.models.firewall import Firewall

        return Firewall._from_wire_many(list(self._sub_list("firewalls")), self.client)

    def volumes(self) -> list[Volume]:
        """The volumes attached to this droplet now (one listing of its region's volumes)."""
        from droplets.models.volume import Volume

        found = Volume.objects.using(self.client).filter(region=self.region.slug)
        return [v for v in found if v.droplet_ids and self.id in v.droplet_ids]

    def reserved_ips(self) -> list[ReservedIP]:
        """The reserved IPs pointing at this droplet now (one listing of the account's reserved IPs)."""
        from droplets.models.reserved_ip import ReservedIP

        return [ip for ip in ReservedIP.objects.using(self.client).all() if ip.droplet_id == self.id]

    def metrics(
        self,
        kind: MetricKind,
        *,
        start: datetime | timedelta | None = None,
        end: datetime | None = None,
        interface: Literal["public", "private"] = "public",
        direction: Literal["inbound", "outbound"] = "inbound",
    ) -> MetricSeries:
        """This droplet's metric over a time range (one ``GET`` of the monitoring API).

        Args:
            kind: ``cpu`` (utilisation in percent), ``bandwidth`` (Mbit/s, with ``interface`` and
                ``direction``), ``memory_available|cached|free|total`` and ``filesystem_free|size``
                (bytes), ``load_1|5|15``.
            start: An aware datetime, or a duration back from ``end``; the last hour when None.
            end: An aware datetime; now when None.
            interface: For ``bandwidth``: ``public`` or ``private``.
            direction: For ``bandwidth``: ``inbound`` or ``outbound``.

        Returns:
            A `MetricSeries`: ``.points``, ``.lines``, ``.to_rows()``, a chart in Jupyter, ``.plot()``.

        Example:
            >>> d.metrics("cpu", start=timedelta(hours=6)).points[-1]   # doctest: +SKIP
            MetricPoint(at=datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.timezone.utc), value=17.9)
        """
        from droplets.models.metrics import fetch_droplet_metric

        return fetch_droplet_metric(
            self.client, self.id, kind, start=start, end=end, interface=interface, direction=direction
        )

    def neighbors(self) -> list[Droplet]:
        """Other droplets running on the same physical server."""
        client = self.client
        return [Droplet._from_wire(d, client) for d in self._sub_item("neighbors", "droplets", list)]

    def actions(self) -> list[Action]:
        """Every action run on this droplet."""
        client = self.client
        return [Action._from_wire(a, client) for a in self._sub_list("actions")]

    def action(self, action_id: int) -> Action:
        """One action of this droplet by id."""
        client = self.client
        return Action._from_wire(self._sub_item(f"actions/{check_id(action_id, 'action id')}", "action"), client)

    # -- acting -----------------------------------------------------------------------

    def _act(
        self,
        body: dict[str, Any],
        wait: bool,
        poll: float,
        timeout: float,
        progress: Progress | None,
        queue: bool = True,
    ) -> Action:
        return post_resource_action(
            self, body, self.id, wait=wait, poll=poll, timeout=timeout, progress=progress, queue=queue,
            about=self._about_self,  # a 404 here (the POST, or reading the lock) is about this droplet
        )  # fmt: skip

    def wait_ready(
        self,
        *,
        ssh: bool = False,
        port: int = 22,
        public: bool = True,
        poll: float = 5,
        timeout: float = 300,
        progress: ReadyReport | None = None,
    ) -> Self:
        """Wait until the droplet is usable: active, with an address, and (``ssh``) its port open.

        The stages and what each costs in requests are in
        `droplets.models.droplet_wait`; one deadline covers them all. A
        droplet still ``new`` first waits for its create action.

        Args:
            ssh: Also wait until ``port`` of the address accepts a TCP connection.
            port: The SSH port.
            public: Wait for a public IPv4; False for a droplet created with
                ``public_networking=False`` (its private IPv4 is used).
            poll: Seconds between rounds (at least 1).
            timeout: Seconds for the whole wait.
            progress: Called with a `ReadyProgress` after every round.

        Returns:
            This droplet, refreshed.

        Raises:
            droplets.WaitTimeout: A stage was not reached; ``.stage`` is
                ``"action"``, ``"status"``, ``"address"`` or ``"port"``.
            droplets.ActionFailed: Its create action ended ``errored``.
            Droplet.DoesNotExist: The droplet was destroyed.

        Example:
            >>> Droplet.get(3164444).wait_ready(ssh=True, timeout=300).public_ipv4   # doctest: +SKIP
            '104.131.186.241'
        """
        poll, timeout = check_poll(poll, timeout)
        port = check_port(port)
        deadline = Deadline(self.client.clock, timeout)
        wait_ready([self], deadline=deadline, poll=poll, ssh=ssh, port=port, public=public, report=progress)
        return self

    @action_doc("d.reboot(wait=True)")
    def reboot(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Reboot gracefully, like the ``reboot`` command."""
        return self._act({"type": "reboot"}, wait, poll, timeout, progress, queue)

    @action_doc("d.shutdown(wait=True)")
    def shutdown(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Shut down gracefully (only guarantees the command is issued; follow with power_off)."""
        return self._act({"type": "shutdown"}, wait, poll, timeout, progress, queue)

    @action_doc("d.power_on(wait=True)")
    def power_on(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Power on."""
        return self._act({"type": "power_on"}, wait, poll, timeout, progress, queue)

    @action_doc("Droplet.get(3164444).power_off(wait=True)")
    def power_off(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Cut the power (a hard shutdown; prefer shutdown() first)."""
        return self._act({"type": "power_off"}, wait, poll, timeout, progress, queue)

    @action_doc("d.power_cycle(wait=True)")
    def power_cycle(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Power off and on again, like a reset button."""
        return self._act({"type": "power_cycle"}, wait, poll, timeout, progress, queue)

    @action_doc('d.enable_backups(backup_policy={"plan": "weekly", "weekday": "SUN", "hour": 8}, wait=True)')
    def enable_backups(
        self,
        *,
        backup_policy: BackupPolicy | Mapping[str, Any] | None = None,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Enable backups, daily unless ``backup_policy`` (a `BackupPolicy` or a dict) says otherwise."""
        body: dict[str, Any] = {"type": "enable_backups"}
        if backup_policy is not None:
            body["backup_policy"] = policy_body(backup_policy)
        return self._act(body, wait, poll, timeout, progress, queue)

    @action_doc('d.change_backup_policy({"plan": "daily", "hour": 4}, wait=True)')
    def change_backup_policy(
        self,
        policy: BackupPolicy | Mapping[str, Any],
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Change when backups run (a `BackupPolicy` or a dict); backups must be enabled."""
        body = {"type": "change_backup_policy", "backup_policy": policy_body(policy)}
        return self._act(body, wait, poll, timeout, progress, queue)

    @action_doc("d.disable_backups(wait=True)")
    def disable_backups(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Disable backups."""
        return self._act({"type": "disable_backups"}, wait, poll, timeout, progress, queue)

    @action_doc("d.enable_ipv6(wait=True)")
    def enable_ipv6(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Enable IPv6 (irreversible)."""
        return self._act({"type": "enable_ipv6"}, wait, poll, timeout, progress, queue)

    @action_doc("d.enable_private_networking(wait=True)")
    def enable_private_networking(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Enable private networking (deprecated by DigitalOcean in favour of VPCs)."""
        return self._act({"type": "enable_private_networking"}, wait, poll, timeout, progress, queue)

    @action_doc("d.password_reset(wait=True)")
    def password_reset(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Reset the root password (the new one is emailed)."""
        return self._act({"type": "password_reset"}, wait, poll, timeout, progress, queue)

    def restore(
        self,
        image: Snapshot | Image | int | str,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Restore from one of this droplet's backups.

        Args:
            image: The backup (one of `backups()`, or its id); it must be in ``backup_ids``.

        Raises:
            droplets.ValidationError: The image is not a backup of this droplet.

        Example:
            >>> d.restore(d.backups()[0], wait=True)   # doctest: +SKIP
        """
        image_id = _image_ref(image, slug_allowed=False)
        if self._loaded() and image_id not in self.backup_ids:
            raise ValidationError(
                f"image {image_id} is not a backup of droplet {self.id} (its backups: {self.backup_ids}); "
                "restore takes one of d.backups() (call d.refresh() if the backup is new)"
            )
        return self._act({"type": "restore", "image": image_id}, wait, poll, timeout, progress, queue)

    def rebuild(
        self,
        image: Image | Snapshot | int | str,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Rebuild from an image (model, id or slug), like a new create.

        Example:
            >>> d.rebuild("ubuntu-24-04-x64", wait=True)   # doctest: +SKIP
        """
        return self._act({"type": "rebuild", "image": _image_ref(image)}, wait, poll, timeout, progress, queue)

    def resize(
        self,
        size: Size | str,
        disk: bool = False,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Resize to another plan; the droplet must be off.

        Args:
            size: The new size (a `Size` or its slug).
            disk: Also grow the disk (permanent: a disk cannot shrink).

        Example:
            >>> d.power_off(wait=True); d.resize("s-2vcpu-4gb", wait=True)   # doctest: +SKIP
        """
        slug = size.slug if isinstance(size, Size) else size
        if not isinstance(slug, str) or not slug:
            raise ValidationError(f"size must be a size slug such as 's-2vcpu-4gb' or a Size, got {size!r}")
        if not isinstance(disk, bool):
            raise ValidationError(f"disk must be True or False, got {disk!r}")
        if self._loaded() and slug == self.size_slug:
            raise ValidationError(f"droplet {self.id} already has size {slug!r}; pick another size")
        return self._act({"type": "resize", "size": slug, "disk": disk}, wait, poll, timeout, progress, queue)

    def rename(
        self,
        name: str,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Rename the droplet (a valid hostname).

        Example:
            >>> d.rename("web-2", wait=True)   # doctest: +SKIP
        """
        return self._act({"type": "rename", "name": check_hostname(name)}, wait, poll, timeout, progress, queue)

    def change_kernel(
        self,
        kernel: Kernel | int,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Boot another kernel (a `Kernel` or its id; see `kernels()`).

        Example:
            >>> d.change_kernel(d.kernels()[0], wait=True)   # doctest: +SKIP
        """
        kernel_id = kernel.id if isinstance(kernel, Kernel) else check_id(kernel, "kernel id")
        return self._act({"type": "change_kernel", "kernel": kernel_id}, wait, poll, timeout, progress, queue)

    def snapshot(
        self,
        name: str | None = None,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Take a snapshot image, optionally named.

        Example:
            >>> d.snapshot(name="before-upgrade", wait=True)   # doctest: +SKIP
        """
        return self._act(snapshot_body(name), wait, poll, timeout, progress, queue)

    def destroy(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        associated: Literal["all"] | None = None,
        volumes: Iterable[Volume | str] | None = None,
        snapshots: Iterable[Snapshot | Image | int | str] | None = None,
        volume_snapshots: Iterable[Snapshot | str] | None = None,
        reserved_ips: Iterable[ReservedIP | str] | None = None,
    ) -> DestroyStatus | None:
        """Delete the droplet (``DELETE``; 204), and with ``wait`` until the API no longer shows it.

        Given associated resources, destroys them with it instead (`droplets.models.associated`):
        ``volumes``, ``snapshots``, ``volume_snapshots``, ``reserved_ips`` (models or ids) destroy the
        droplet and only those; **``associated="all"`` destroys the droplet and every volume, snapshot,
        volume snapshot and reserved IP associated with it, at once and for good** (the API's dangerous
        delete, sent with ``X-Dangerous: true``; see ``d.associated_resources()`` first). With ``wait``
        the flow's status is polled until it finished, and it returns the `DestroyStatus`; resources
        that were not destroyed raise `droplets.DestroyFailed`.

        The 204 comes before the droplet is gone: for a moment it is still
        listed and its name and addresses are not free. ``wait=True`` polls
        with one ``GET`` per round until it answers 404.

        Args:
            wait: Return only once ``GET`` answers 404.
            poll: Seconds between polls (at least 1).
            timeout: Seconds before `WaitTimeout` (stage ``"gone"``).

        Example:
            >>> Droplet.get(3164444).destroy(wait=True)   # doctest: +SKIP
        """
        selected = {"volumes": volumes, "snapshots": snapshots, "volume_snapshots": volume_snapshots,
                    "reserved_ips": reserved_ips}  # fmt: skip
        if associated is not None or any(v is not None for v in selected.values()):
            from droplets.models.associated import destroy_associated

            return destroy_associated(
                self, associated=associated, selected=selected, wait=wait, poll=poll, timeout=timeout
            )
        if wait:
            poll, timeout = check_poll(poll, timeout)
        self._delete()
        if wait:
            wait_gone([self], deadline=Deadline(self.client.clock, timeout), poll=poll)
        return None

    def associated_resources(self) -> AssociatedResources:
        """What destroying this droplet alone would leave billed: volumes, snapshots, reserved IPs (one ``GET``).

        Example:
            >>> d.associated_resources().total_cost   # doctest: +SKIP
            Decimal('14.09')
        """
        from droplets.models.associated import fetch_associated

        return fetch_associated(self)

    def destroy_status(self) -> DestroyStatus:
        """Where a destroy with associated resources stands (one ``GET``)."""
        from droplets.models.associated import fetch_destroy_status

        return fetch_destroy_status(self)

    def retry_destroy(self, *, wait: bool = False, poll: float = 5, timeout: float = 300) -> DestroyStatus | None:
        """Try again the resources a destroy with associated resources could not destroy (``POST .../retry``).

        Raises:
            droplets.Conflict: Nothing to retry, or a destroy is still running.
            droplets.DestroyFailed: With ``wait``, resources were again not destroyed.
        """
        from droplets.models.associated import retry_destroy

        return retry_destroy(self, wait=wait, poll=poll, timeout=timeout)

    # -- tags ---------------------------------------------------------------------------

    def _tag_resource(self) -> tuple[str, str]:
        return "droplet", str(self.id)

    def tag(self, name: str) -> None:
        """Tag this droplet with an existing tag (one request); ``d.tags`` shows it afterwards.

        Raises:
            Tag.DoesNotExist: No such tag: create it with ``Tag.objects.create(name=...)``.

        Example:
            >>> d.tag("web")   # doctest: +SKIP
        """
        from droplets.models.tag import tag_resources

        tag_resources(self.client, name, (self,), add=True)
        if name not in self.tags:
            self.tags.append(name)

    def untag(self, name: str) -> None:
        """Remove a tag from this droplet (one request); ``d.tags`` no longer shows it.

        Example:
            >>> d.untag("web")   # doctest: +SKIP
        """
        from droplets.models.tag import tag_resources

        tag_resources(self.client, name, (self,), add=False)
        if name in self.tags:
            self.tags.remove(name)
