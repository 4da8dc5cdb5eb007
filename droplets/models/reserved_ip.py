"""Reserved IPs (``/v2/reserved_ips``): a public IPv4 address of a region that moves between droplets.

A reserved IP is named by its address (``ReservedIP.objects.get("45.55.96.47")``).
It is reserved in a region (``create(region="nyc3")``) or created assigned to
a droplet (``create(droplet=d)``). Assigning and unassigning are actions
(``POST /v2/reserved_ips/{ip}/actions``, 201): they return the `Action` and
take ``wait``, ``poll``, ``timeout``, ``progress`` and ``queue`` (wait out a
droplet locked by another action, then send again; see
`droplets.models.droplet_queue`). Assigning an IP that is on another droplet
moves it. ``ip.droplet`` is the droplet it points to, or None.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

import attrs

from droplets import _api
from droplets._api import Endpoint
from droplets._converter import OMIT_IF_NONE
from droplets.errors import ValidationError
from droplets.managers import Manager, ManagerDescriptor
from droplets.models.action import Action
from droplets.models.attached_action import post_resource_action, resource_action, resource_actions
from droplets.models.base import _CLIENT_SLOT, Bound, check_id
from droplets.models.droplet import Droplet
from droplets.models.region import Region
from droplets.models.verbs import action_doc
from droplets.validation import check_poll
from droplets.waiting import Deadline, Progress, wait_for

if TYPE_CHECKING:
    from typing_extensions import Self

    from droplets.client import Client

__all__ = ["ReservedIP", "ReservedIPManager"]


def check_ip(value: Any) -> str:
    """Return ``value`` if it is a public IPv4 address in dotted form (a reserved IP's identifier)."""
    try:
        address = ipaddress.IPv4Address(value) if isinstance(value, str) else None
    except ValueError:
        address = None
    if address is None or str(address) != value:
        raise ValidationError(f"a reserved IP is named by its IPv4 address, such as '45.55.96.47', got {value!r}")
    return str(address)


def _droplet_id(droplet: Droplet | int) -> int:
    return droplet.id if isinstance(droplet, Droplet) else check_id(droplet, "droplet id")


def _wait_for_ids(client: Client, action_ids: list[int], poll: float, deadline: Deadline, progress: Any) -> None:
    actions = [Action.objects.using(client).get(id=action_id) for action_id in action_ids]
    wait_for(actions, poll=poll, progress=progress, deadline=deadline)


class ReservedIPManager(Manager["ReservedIP"]):
    """``ReservedIP.objects``: querysets, and create in a region or on a droplet."""

    def create(
        self,
        *,
        region: Region | str | None = None,
        droplet: Droplet | int | None = None,
        project_id: str | None = None,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
    ) -> ReservedIP:
        """Reserve an IP in ``region``, or create one assigned to ``droplet`` (``POST``, 202); give one of them.

        Args:
            region: A region slug or `Region`: the IP is reserved, unassigned.
            droplet: A `Droplet` or its id: the IP is created in its region and assigned to it.
            project_id: The project of a region reservation.
            wait: With ``droplet``: wait for the assignment, then reload the IP.
            poll: Seconds between polls (at least 1).
            timeout: Seconds before `WaitTimeout`.
            progress: Called with the assignment action after every poll.

        Raises:
            droplets.ValidationError: Both or neither of ``region`` and ``droplet`` (nothing was sent).

        Example:
            >>> ip = ReservedIP.objects.create(droplet=d, wait=True)   # doctest: +SKIP
        """
        poll, timeout = check_poll(poll, timeout)
        if (region is None) == (droplet is None):
            raise ValidationError(
                "give either region= (reserve an IP there) or droplet= (create it assigned), not both or neither"
            )
        body: dict[str, Any]
        if droplet is not None:
            if project_id is not None:
                raise ValidationError("project_id goes with region=, not droplet= (the API takes one shape)")
            body = {"droplet_id": _droplet_id(droplet)}
        else:
            slug = region.slug if isinstance(region, Region) else region
            if not isinstance(slug, str) or not slug:
                raise ValidationError(f"region must be a region slug such as 'nyc3' or a Region, got {region!r}")
            body = {"region": slug} if project_id is None else {"region": slug, "project_id": str(project_id)}
        client = self.get_queryset().client
        deadline = Deadline(client.clock, timeout)
        items, action_ids = _api.create(client, ReservedIP._endpoint, body, hint=_CREATE_HINT)
        ip = ReservedIP._from_wire(items[0], client)
        if wait and action_ids:
            _wait_for_ids(client, action_ids, poll, deadline, progress)
            ip.refresh()
        return ip


_CREATE_HINT = "The IP may have been reserved even though the request failed: check ReservedIP.objects.all()"


@attrs.define(repr=False)
class ReservedIP(Bound):
    """A reserved IPv4 address.

    Attributes:
        ip: The address; it names the reserved IP in every call.
        region: The region it belongs to (it only points at droplets there).
        droplet: The droplet it points to (the full object), or None when unassigned.
        locked: True while an action on it is pending.
        project_id: Its project.

    Example:
        >>> ip = ReservedIP.objects.create(region="nyc3")   # doctest: +SKIP
        >>> ip.assign(d, wait=True); ip.droplet.id            # doctest: +SKIP
        3164444
    """

    _endpoint = Endpoint("/v2/reserved_ips", "reserved_ips", "reserved_ip")
    _gettable = True
    _display_fields = ("ip", "region", "droplet_id", "locked")

    ip: str
    region: Region
    droplet: Droplet | None = None
    locked: bool = False
    project_id: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)

    objects = ManagerDescriptor(ReservedIPManager)

    @classmethod
    def _from_wire(cls, data: Any, client: Client | None = None) -> Self:
        obj = super()._from_wire(data, client)
        if obj.droplet is not None:
            _CLIENT_SLOT.__set__(obj.droplet, client)
        return obj

    @classmethod
    def _from_wire_many(cls, items: list[Any], client: Client | None = None) -> list[Self]:
        return [cls._from_wire(item, client) for item in items]

    @classmethod
    def _check_key(cls, key: Any) -> int | str:
        return check_ip(key)

    @classmethod
    def _key_field(cls, key: int | str) -> str:
        return "ip"

    def _key(self) -> int | str:
        return self.ip

    def __repr__(self) -> str:
        target = f" -> {self.droplet.id}" if self.droplet is not None else " unassigned"
        return f"<ReservedIP {self.ip} {self.region.slug}{target}>"

    @property
    def droplet_id(self) -> int | None:
        """The id of the droplet it points to, or None."""
        return None if self.droplet is None else self.droplet.id

    def refresh(self) -> Self:
        """Reload from the API in place and return self.

        Raises:
            ReservedIP.DoesNotExist: It was released.
        """
        return self._take(type(self).objects.using(self.client).get(self.ip))

    @action_doc("ip.assign(d, wait=True)")
    def assign(
        self,
        droplet: Droplet | int,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Point the IP at a droplet of its region (moving it if it points elsewhere).

        Raises:
            droplets.ValidationError: The droplet is in another region (nothing was sent).
        """
        droplet_id = _droplet_id(droplet)
        if isinstance(droplet, Droplet) and droplet.region.slug != self.region.slug:
            raise ValidationError(
                f"reserved IP {self.ip} belongs to {self.region.slug} but droplet {droplet_id} is in "
                f"{droplet.region.slug}: a reserved IP points only at droplets of its region"
            )
        body = {"type": "assign", "droplet_id": droplet_id}
        return post_resource_action(
            self, body, droplet_id, wait=wait, poll=poll, timeout=timeout, progress=progress, queue=queue
        )

    @action_doc("ip.unassign(wait=True)")
    def unassign(
        self,
        *,
        wait: bool = False,
        poll: float = 5,
        timeout: float = 300,
        progress: Progress | None = None,
        queue: bool = True,
    ) -> Action:
        """Detach the IP from its droplet; it stays reserved (and billed) in its region."""
        body = {"type": "unassign"}
        return post_resource_action(
            self, body, self.droplet_id, wait=wait, poll=poll, timeout=timeout, progress=progress, queue=queue
        )

    def action(self, action_id: int) -> Action:
        """One action of this reserved IP by id (``GET .../actions/{action_id}``)."""
        return resource_action(self, action_id)

    def actions(self) -> list[Action]:
        """Every action run on this IP."""
        return resource_actions(self)

    def destroy(self) -> None:
        """Release the IP from the account (204).

        Raises:
            ReservedIP.DoesNotExist: It was released already.

        Example:
            >>> ip.unassign(wait=True); ip.destroy()   # doctest: +SKIP
        """
        self._delete()
