"""Destroying a droplet together with what it leaves billed: volumes, snapshots, reserved IPs.

A plain ``DELETE /v2/droplets/{id}`` leaves the droplet's volumes, volume
snapshots, droplet snapshots and reserved IPs running and billed. The API's
flow under ``/v2/droplets/{id}/destroy_with_associated_resources``:

1. ``d.associated_resources()``: the preview, an `AssociatedResources` with each
   resource's id, name and monthly cost (one ``GET``);
2. ``d.destroy(volumes=[...], snapshots=[...], ...)``: the *selective* destroy,
   the droplet and only the listed resources (``DELETE .../selective``); or
   ``d.destroy(associated="all")``: the *dangerous* destroy, the droplet and every
   associated resource (``DELETE .../dangerous`` with ``X-Dangerous: true``);
3. ``d.destroy_status()``: a `DestroyStatus`, per resource when it was destroyed
   or why it was not;
4. ``d.retry_destroy()``: start again on the resources that failed.

A selective destroy first reads the preview (one ``GET``) and refuses with
`ValidationError`, before anything is deleted, a resource that is not
associated with the droplet: the API takes ids only, so a model or a
reserved IP's address is matched to the preview's id, and a typo never
destroys something else. With ``wait=True`` the status is polled (one ``GET``
per round, ``poll`` seconds apart, within ``timeout``) until the API reports
the flow completed; resources that were not destroyed raise `DestroyFailed`
naming each one and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import attrs

from droplets import _api, _converter
from droplets.errors import DestroyFailed, UnexpectedResponse, ValidationError, WaitTimeout
from droplets.validation import check_poll
from droplets.waiting import Deadline

if TYPE_CHECKING:
    from droplets.models.droplet import Droplet

__all__ = [
    "KINDS",
    "AssociatedResource",
    "AssociatedResources",
    "DestroyStatus",
    "DestroyedResource",
    "DestroyedResources",
    "destroy_associated",
    "fetch_associated",
    "fetch_destroy_status",
    "retry_destroy",
]

SUB = "destroy_with_associated_resources"
KINDS = ("reserved_ips", "floating_ips", "snapshots", "volumes", "volume_snapshots")
"""The kinds of associated resources, as the API keys them (``floating_ips`` is the old name of reserved IPs)."""
SELECTABLE = ("volumes", "snapshots", "volume_snapshots", "reserved_ips")
"""The kinds a selective destroy takes (``floating_ips`` is deprecated: reserved IPs cover it)."""


def _each(resources: Any) -> Iterator[tuple[str, Any]]:
    """``(kind, resource)`` of a by-kind record, each reserved IP once (the API lists it as a floating IP too)."""
    reserved = {r.id for r in resources.reserved_ips}
    for kind in KINDS:
        for resource in getattr(resources, kind):
            if kind != "floating_ips" or resource.id not in reserved:
                yield kind, resource


@attrs.frozen
class AssociatedResource:
    """A resource that outlives its droplet unless destroyed with it.

    Attributes:
        id: Its id, as a string (a reserved IP's is a number, not its address).
        name: Its name (a reserved IP's is its address).
        cost: What keeping it costs per month, in USD, as the API writes it (``"4.00"``).
    """

    id: str
    name: str
    cost: str | None = attrs.field(default=None, metadata=_converter.OMIT_IF_NONE)

    @property
    def monthly_cost(self) -> Decimal:
        """`cost` as a number (0 when the API gave none or an unreadable one)."""
        try:
            return Decimal(self.cost) if self.cost else Decimal(0)
        except InvalidOperation:
            return Decimal(0)


@attrs.frozen
class AssociatedResources:
    """What a droplet leaves billed behind if destroyed alone: ``d.associated_resources()``.

    Reserved IPs appear twice, under ``reserved_ips`` and under their old name
    ``floating_ips``; `total_cost` counts them once.
    """

    reserved_ips: tuple[AssociatedResource, ...] = ()
    floating_ips: tuple[AssociatedResource, ...] = ()
    snapshots: tuple[AssociatedResource, ...] = ()
    volumes: tuple[AssociatedResource, ...] = ()
    volume_snapshots: tuple[AssociatedResource, ...] = ()

    def items(self) -> Iterator[tuple[str, AssociatedResource]]:
        """Every resource once, with its kind (floating IPs that are also listed as reserved IPs skipped)."""
        return _each(self)

    @property
    def total_cost(self) -> Decimal:
        """The monthly cost of every resource, in USD."""
        return sum((r.monthly_cost for _, r in self.items()), Decimal(0))

    def __bool__(self) -> bool:
        return any(True for _ in self.items())


@attrs.frozen
class DestroyedResource:
    """One resource of a destroy in progress or done.

    Attributes:
        id: Its id, as a string.
        name: Its name.
        destroyed_at: When it was destroyed; None while it is not (yet).
        error_message: Why it could not be destroyed (blank when nothing failed).
    """

    id: str
    name: str = ""
    destroyed_at: datetime | None = attrs.field(default=None, metadata=_converter.OMIT_IF_NONE)
    error_message: str | None = attrs.field(default=None, metadata=_converter.OMIT_IF_NONE)

    @property
    def failed(self) -> bool:
        """Not destroyed, and the API says why."""
        return self.destroyed_at is None and bool(self.error_message and self.error_message.strip())


@attrs.frozen
class DestroyedResources:
    """The resources of a destroy, by kind."""

    reserved_ips: tuple[DestroyedResource, ...] = ()
    floating_ips: tuple[DestroyedResource, ...] = ()
    snapshots: tuple[DestroyedResource, ...] = ()
    volumes: tuple[DestroyedResource, ...] = ()
    volume_snapshots: tuple[DestroyedResource, ...] = ()

    def items(self) -> Iterator[tuple[str, DestroyedResource]]:
        """Every resource with its kind (floating IPs also listed as reserved IPs skipped)."""
        return _each(self)


@attrs.frozen
class DestroyStatus:
    """Where a destroy with associated resources stands: ``d.destroy_status()``.

    Attributes:
        droplet: The droplet itself (its ``destroyed_at`` once gone).
        resources: Every associated resource being destroyed.
        completed_at: When the flow finished (None while it runs).
        failures: How many resources were not destroyed.
    """

    droplet: DestroyedResource | None = None
    resources: DestroyedResources = DestroyedResources()
    completed_at: datetime | None = attrs.field(default=None, metadata=_converter.OMIT_IF_NONE)
    failures: int = 0

    @property
    def done(self) -> bool:
        """The flow finished (some resources may have failed: see `left`)."""
        return self.completed_at is not None

    @property
    def left(self) -> list[tuple[str, str, str, str]]:
        """``(kind, id, name, reason)`` of each resource that failed."""
        return [(k, r.id, r.name, (r.error_message or "").strip()) for k, r in self.resources.items() if r.failed]

    @property
    def pending(self) -> list[tuple[str, DestroyedResource]]:
        """The resources neither destroyed nor failed yet."""
        return [(k, r) for k, r in self.resources.items() if r.destroyed_at is None and not r.failed]


# -- requests ---------------------------------------------------------------------------


def fetch_associated(droplet: Droplet) -> AssociatedResources:
    """``GET .../destroy_with_associated_resources``, typed (what `Droplet.associated_resources` does)."""
    with droplet._about_self():
        data = droplet.client.request("GET", f"{droplet._endpoint.item(droplet.id)}/{SUB}")
    if not isinstance(data, dict):
        raise UnexpectedResponse(f"GET .../{SUB}: expected a JSON object", status=200, path="")
    return _converter.structure_wire(data, AssociatedResources)


def fetch_destroy_status(droplet: Droplet) -> DestroyStatus:
    """``GET .../destroy_with_associated_resources/status``, typed (what `Droplet.destroy_status` does)."""
    with droplet._about_self():
        data = droplet.client.request("GET", f"{droplet._endpoint.item(droplet.id)}/{SUB}/status")
    if not isinstance(data, dict):
        raise UnexpectedResponse(f"GET .../{SUB}/status: expected a JSON object", status=200, path="")
    status = _converter.structure_wire(data, DestroyStatus)
    if status.droplet is not None and status.droplet.id.strip() != str(droplet.id):
        raise UnexpectedResponse(
            f"GET .../{droplet.id}/{SUB}/status answered for droplet {status.droplet.id}, not {droplet.id}: "
            f"not taken as this droplet's status; read it again with d.destroy_status()",
            status=200,
            path="",
        )
    return status


def _ref(kind: str, value: Any) -> str:
    """A selective destroy's argument as the id or name it names (checked before any request)."""
    from droplets.models.image import Image
    from droplets.models.reserved_ip import ReservedIP
    from droplets.models.snapshot import Snapshot
    from droplets.models.volume import Volume

    models: dict[str, tuple[type, ...]] = {
        "volumes": (Volume,),
        "snapshots": (Image, Snapshot),
        "volume_snapshots": (Snapshot,),
        "reserved_ips": (ReservedIP,),
    }
    if isinstance(value, AssociatedResource):
        return value.id
    if isinstance(value, Snapshot) and (value.kind == "volume") != (kind == "volume_snapshots"):
        right = "snapshots" if value.kind == "droplet" else "volume_snapshots"
        raise ValidationError(f"{value!r} is a {value.kind} snapshot: pass it in {right}=, not {kind}=")
    if isinstance(value, models[kind]):
        ident = value.ip if isinstance(value, ReservedIP) else getattr(value, "id", None)
        if ident is not None:
            return str(ident)
    elif isinstance(value, str) and value.strip():
        return value.strip()
    elif isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return str(value)
    names = " or ".join(m.__name__ for m in models[kind])
    raise ValidationError(f"{kind}= takes {names} objects, ids or the preview's AssociatedResource, got {value!r}")


def _selection(selected: Mapping[str, Iterable[Any] | None]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind, values in selected.items():
        if values is None:
            continue
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise ValidationError(f"{kind}= takes a list, got {values!r}")
        out[kind] = [_ref(kind, value) for value in values]
    return out


def _resolve(droplet: Droplet, wanted: dict[str, list[str]]) -> dict[str, list[str]]:
    """Match each wanted reference to the id the preview gives it; refuse what is not associated."""
    preview = fetch_associated(droplet)
    body: dict[str, list[str]] = {}
    for kind, refs in wanted.items():
        known = list(getattr(preview, kind))
        if kind == "reserved_ips":
            known += [r for r in preview.floating_ips if r.id not in {k.id for k in known}]
        ids = []
        for ref in refs:
            match = next((r.id for r in known if ref in (r.id, r.name)), None)
            if match is None:
                listed = ", ".join(f"{r.id} ({r.name})" for r in known) or "none"
                raise ValidationError(
                    f"droplet {droplet.id}: {kind} {ref!r} is not associated with it, so it was not destroyed "
                    f"(nothing was); its {kind}: {listed}. See d.associated_resources()"
                )
            if match not in ids:
                ids.append(match)
        body[kind] = ids
    return body


def destroy_associated(
    droplet: Droplet,
    *,
    associated: str | None,
    selected: Mapping[str, Iterable[Any] | None],
    wait: bool,
    poll: float,
    timeout: float,
) -> DestroyStatus | None:
    """Destroy a droplet with associated resources (what `Droplet.destroy` does when given them).

    Returns:
        The final status with ``wait``; None otherwise.

    Raises:
        ValidationError: bad arguments (before any request), or a selected resource not associated.
        DestroyFailed: with ``wait``, resources that were not destroyed.
        WaitTimeout: with ``wait``, the flow did not finish in time (stage ``"destroy"``).
    """
    if associated is not None and associated != "all":
        raise ValidationError(f'associated= takes "all" (destroy every associated resource), got {associated!r}')
    wanted = _selection(selected)
    if associated == "all" and wanted:
        raise ValidationError(
            'associated="all" destroys every associated resource; do not also list '
            f"{', '.join(wanted)} (for a choice, pass only the lists)"
        )
    if not isinstance(wait, bool):
        raise ValidationError(f"wait must be True or False, got {wait!r}")
    if wait:
        poll, timeout = check_poll(poll, timeout)
    path = droplet._endpoint.item(droplet.id)
    if associated == "all":
        with droplet._about_self():
            _api.delete(droplet.client, droplet._endpoint, droplet.id, f"{SUB}/dangerous", {"X-Dangerous": "true"})
    else:
        body = _resolve(droplet, wanted)
        with droplet._about_self():
            droplet.client.request("DELETE", f"{path}/{SUB}/selective", json_body=body)
    return wait_destroyed(droplet, poll, timeout) if wait else None


def retry_destroy(droplet: Droplet, *, wait: bool, poll: float, timeout: float) -> DestroyStatus | None:
    """``POST .../retry`` (what `Droplet.retry_destroy` does); with ``wait``, poll until finished."""
    if not isinstance(wait, bool):
        raise ValidationError(f"wait must be True or False, got {wait!r}")
    if wait:
        poll, timeout = check_poll(poll, timeout)
    with droplet._about_self():
        droplet.client.request("POST", f"{droplet._endpoint.item(droplet.id)}/{SUB}/retry")
    return wait_destroyed(droplet, poll, timeout) if wait else None


def wait_destroyed(droplet: Droplet, poll: float, timeout: float) -> DestroyStatus:
    """Poll the status (one ``GET`` per round) until the flow finished; raise `DestroyFailed` on failures."""
    deadline = Deadline(droplet.client.clock, timeout)
    status: DestroyStatus | None = None
    while status is None or not status.done:
        if not deadline.sleep(poll):
            pending = ", ".join(f"{kind} {r.id}" for kind, r in status.pending[:10]) if status else ""
            raise WaitTimeout(
                None,
                timeout,
                stage="destroy",
                detail=f"droplet {droplet.id}: the destroy with associated resources had not finished after "
                f"{timeout:g}s (still pending: {pending or 'unknown'}); follow it with d.destroy_status()",
            )
        status = fetch_destroy_status(droplet)
    silent = [(kind, r.id, r.name, "not destroyed, and the API gave no reason") for kind, r in status.pending]
    if status.failures or status.left or silent:
        raise DestroyFailed(droplet.id, status.left + silent, status)
    return status
