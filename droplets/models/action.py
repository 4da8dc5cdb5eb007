"""Actions: the asynchronous operations DigitalOcean runs on droplets."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import attrs

from droplets import _api, _converter
from droplets._api import Endpoint
from droplets._converter import OMIT_IF_NONE
from droplets.managers import Manager, ManagerDescriptor
from droplets.models.base import Bound
from droplets.models.region import Region
from droplets.waiting import Progress, wait_for

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["Action", "ActionStatus"]

ActionStatus = Literal["in-progress", "completed", "errored"]


@attrs.define(repr=False)
class Action(Bound):
    """An action such as ``power_off`` or ``create`` (``GET /v2/actions/{id}``).

    A snapshot of the action when it was loaded: `refresh()` reloads it,
    `wait()` polls until it ends.

    Attributes:
        id: Identifier.
        status: ``"in-progress"``, ``"completed"`` or ``"errored"``.
        type: What it does, e.g. ``"power_off"``.
        started_at: When it started.
        completed_at: When it ended, or None.
        resource_id: The droplet (or other resource) id.
        resource_type: E.g. ``"droplet"``.
        region: Where it runs.
        region_slug: The region's slug.
        project_id: The project (reserved IP actions only).

    Example:
        >>> a = Droplet.get(3164444).power_off()      # doctest: +SKIP
        >>> a.wait(poll=5, timeout=300).status        # doctest: +SKIP
        'completed'
    """

    _endpoint = Endpoint("/v2/actions", "actions", "action")
    _gettable = True

    id: int
    status: ActionStatus
    type: str
    started_at: datetime | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    completed_at: datetime | None = None
    resource_id: int | None = None
    resource_type: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    region: Region | None = None
    region_slug: str | None = None
    project_id: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)

    objects = ManagerDescriptor(Manager["Action"])

    @classmethod
    def get(cls, action_id: int) -> Action:
        """Load an action by id with the default client.

        Raises:
            Action.DoesNotExist: No such action.
        """
        return cls.objects.get(id=action_id)

    @property
    def done(self) -> bool:
        """Whether the action has ended (completed or errored)."""
        return self.status != "in-progress"

    def refresh(self) -> Self:
        """Reload from the API in place and return self."""
        self._update(_api.get_one(self.client, self._endpoint, self.id))
        return self

    def _update(self, data: Any) -> None:
        self._take(_converter.structure_wire(data, type(self)))

    def wait(self, *, poll: float = 5, timeout: float = 300, progress: Progress | None = None) -> Self:
        """Poll until the action ends; return it completed.

        Args:
            poll: Seconds between polls, at least 1.
            timeout: Seconds before giving up.
            progress: Called with the action after every poll.

        Raises:
            droplets.ActionFailed: The action ended ``errored``.
            droplets.WaitTimeout: Still in progress after ``timeout`` seconds.
        """
        wait_for([self], poll=poll, timeout=timeout, progress=progress)
        return self

    def __repr__(self) -> str:
        target = f" {self.resource_type} {self.resource_id}" if self.resource_id is not None else ""
        return f"<Action {self.id} {self.type} {self.status}{target}>"
