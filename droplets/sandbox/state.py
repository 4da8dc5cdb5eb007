"""The simulated account: droplets, actions and user images, with no HTTP in sight.

State advances lazily: `SandboxState.advance()` runs at the start of every
request and completes each action whose time (or poll count) has come,
assigns the addresses that are due, removes destroyed droplets whose time is
up (`droplets.sandbox.lifecycle`), then takes any backups whose window has
passed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from droplets.sandbox import backups, transitions
from droplets.sandbox.addresses import Addresses
from droplets.sandbox.catalog import load_catalog
from droplets.sandbox.clock import Clock
from droplets.sandbox.errors import not_found
from droplets.sandbox.firewalling import Firewalls
from droplets.sandbox.ids import Allocator
from droplets.sandbox.lifecycle import Lifecycle
from droplets.sandbox.presence import Presence
from droplets.sandbox.progression import Progression
from droplets.sandbox.records import ActionRecord, DropletRecord
from droplets.sandbox.scheduling import Scheduling
from droplets.sandbox.storage import Storage
from droplets.sandbox.vpcs import VpcStore

Json = dict[str, Any]

# Actions during which the droplet is down (its SSH port closed) until they complete.
_DOWN_WHILE = frozenset({"reboot", "power_cycle", "power_off", "shutdown", "rebuild", "restore"})

# Droplets of one region fill simulated hypervisors in groups of these sizes,
# so that some droplets share hardware (neighbors) and some do not.
_HYPERVISOR_GROUPS = (1, 2, 1, 3, 1)


class SandboxState(Presence, Scheduling):
    """Everything the sandbox knows, and the operations that change it.

    Args:
        seed: Seed of ids and addresses.
        clock: The clock actions and timestamps use.
        base_url: Scheme and host used in absolute links.
        progression: The action completion rules.
        lifecycle: The timings of appearing, networks, SSH and destroy.
    """

    def __init__(
        self, seed: int, clock: Clock, base_url: str, progression: Progression, lifecycle: Lifecycle | None = None
    ) -> None:
        self.catalog = load_catalog()
        self.clock = clock
        self.base_url = base_url.rstrip("/")
        self.alloc = Allocator(seed)
        self.progression = progression
        self.lifecycle = lifecycle or Lifecycle()
        self.droplets: dict[int, DropletRecord] = {}
        self.networks_due: set[int] = set()
        self.going: set[int] = set()
        self.actions: dict[int, ActionRecord] = {}
        self.pending: dict[int, ActionRecord] = {}
        self.user_images: dict[int, Json] = {}
        # The catalog's private images are this account's to change: its own copies (public ones are read-only).
        self.catalog_images: list[Json] = [i if i["public"] else copy.deepcopy(i) for i in self.catalog.images]
        self.backed_up: set[int] = set()
        self.ssh_keys: dict[int, Json] = {key["id"]: dict(key) for key in self.catalog.ssh_keys}
        self.known_tags: set[str] = set()  # created or ever carried by a droplet: the API keeps tags
        self.vpcs = VpcStore()
        self._hypervisors: dict[str, list[int]] = {}
        self.region_index = {r["slug"]: i for i, r in enumerate(self.catalog.regions)}
        self._observed: set[int] = set()
        self.storage = Storage()
        self.addresses = Addresses()
        self.firewalls = Firewalls(self.catalog.firewalls)
        self.tickers: list[Callable[[float], None]] = []
        """Called with the clock's time at every `advance` (flows that progress on the virtual clock)."""

    def new_droplet(
        self,
        *,
        name: str,
        region: Json,
        size: Json,
        image: Json,
        tags: list[str],
        features: list[str],
        ipv6: bool = False,
        public_networking: bool = True,
        vpc_uuid: str | None = None,
        volume_ids: list[str] | None = None,
    ) -> DropletRecord:
        """Add a droplet in status ``new`` (no networks yet) and return it.

        Args:
            name: The droplet name.
            region: Catalog region dict.
            size: Catalog size dict.
            image: Image dict.
            tags: Tags, in order.
            features: Feature names.
            ipv6: Whether to add an IPv6 network when provisioned.
            public_networking: Whether to add a public IPv4 network.
            vpc_uuid: The VPC; defaults to the region's default VPC.
            volume_ids: Attached volume ids.

        Returns:
            The new record.
        """
        slug = region["slug"]
        now = self.clock.time()
        d = DropletRecord(
            id=self.alloc.droplet_id(),
            name=name,
            region=region,
            size=size,
            image=image,
            disk=size["disk"],
            status="new",
            created_at=now,
            features=features,
            tags=tags,
            vpc_uuid=vpc_uuid or self.default_vpc(slug),
            volume_ids=volume_ids or [],
            ip_index=self.alloc.ip_index(),
            hypervisor=self._assign_hypervisor(slug),
            ipv6=ipv6,
            public_networking=public_networking,
            visible_at=now + self.lifecycle.timings.appear_after,
        )
        self.droplets[d.id] = d
        self.known_tags.update(tags)
        return d

    def default_vpc(self, region_slug: str) -> str:
        """Return the UUID of a region's default VPC (created on first use)."""
        return self.vpcs.ensure_default(region_slug, self.alloc, self.clock.time())

    def _assign_hypervisor(self, region_slug: str) -> tuple[str, int]:
        group, used, pattern = self._hypervisors.setdefault(region_slug, [0, 0, 0])
        if used >= _HYPERVISOR_GROUPS[pattern % len(_HYPERVISOR_GROUPS)]:
            group, used, pattern = group + 1, 0, pattern + 1
        self._hypervisors[region_slug] = [group, used + 1, pattern]
        return (region_slug, group)

    def get_droplet(self, droplet_id: int) -> DropletRecord:
        """Return a droplet or raise 404.

        Args:
            droplet_id: The id.

        Returns:
            The record.

        Raises:
            ApiError: 404 if there is no such droplet.
        """
        d = self.droplets.get(droplet_id)
        if d is None or d.visible_at > self.clock.time():
            raise not_found("droplet")
        return d

    def delete_droplet(self, d: DropletRecord) -> None:
        """Destroy a droplet: its pending actions end ``errored``, its backups go.

        The droplet stays visible (locked) for ``gone_after`` seconds;
        deleting it again meanwhile changes nothing.

        Args:
            d: The droplet.
        """
        if d.gone_at is not None:
            return
        now = self.clock.time()
        for action_id in d.pending_ids:
            action = self.pending.pop(action_id)
            action.status, action.completed_at = "errored", now
            if action.ended is not None:
                action.ended()
        d.pending_ids.clear()
        for image_id in d.backup_ids:
            self.user_images.pop(image_id, None)
        self.backed_up.discard(d.id)
        self.storage.forget_droplet(d)
        self.addresses.forget_droplet(d)
        self.firewalls.forget_droplet(d)
        self.start_going(d, now)

    def neighbors(self, d: DropletRecord) -> list[DropletRecord]:
        """Return the other droplets on the same simulated hypervisor.

        Args:
            d: The droplet.

        Returns:
            Its neighbors, by id.
        """
        return [o for o in self.droplets.values() if o.hypervisor == d.hypervisor and o.id != d.id]

    # -- images -----------------------------------------------------------

    def find_image(self, ref: str | int) -> Json | None:
        """Return an image by id or slug (slugs only for public images).

        Args:
            ref: An integer id, a digit string, or a slug.

        Returns:
            The image dict, or None.
        """
        if isinstance(ref, str) and ref.isdigit():
            ref = int(ref)
        if isinstance(ref, int):
            if ref in self.user_images:
                return self.user_images[ref]
            return next((i for i in self.catalog_images if i["id"] == ref), None)
        return next((i for i in self.catalog_images if i["slug"] == ref and i["public"]), None)

    def all_images(self) -> list[Json]:
        """Return the images the images list shows (catalog and user snapshots)."""
        user = [i for i in self.user_images.values() if i["type"] != "backup"]
        return self.catalog_images + user

    # -- actions ----------------------------------------------------------

    def start_action(self, action_type: str, d: DropletRecord, params: Json) -> ActionRecord:
        """Start an action on a droplet under the progression rules.

        Args:
            action_type: The action type.
            d: The droplet.
            params: The request fields the effect needs.

        Returns:
            The action record (completed already when the rule is immediate).
        """
        action = self._new_action(action_type, resource_id=d.id, region=d.region, params=params)
        d.action_ids.append(action.id)
        d.pending_ids.append(action.id)
        if action_type in _DOWN_WHILE:
            d.booted_at = None
        return self._maybe_at_once(action)

    def record_completed_action(self, action_type: str, d: DropletRecord) -> ActionRecord:
        """Record an already completed action (used by bulk seeding).

        Args:
            action_type: The action type.
            d: The droplet.

        Returns:
            The action record.
        """
        action = ActionRecord(
            id=self.alloc.action_id(),
            type=action_type,
            resource_id=d.id,
            region=d.region,
            started_at=d.created_at,
            params={},
            status="completed",
            completed_at=d.created_at,
        )
        self.actions[action.id] = action
        d.action_ids.append(action.id)
        return action

    def complete(self, action: ActionRecord, now: float) -> None:
        """Finish an action: apply its effect, or mark it ``errored``.

        Args:
            action: The pending action.
            now: The current clock time.
        """
        self.pending.pop(action.id, None)
        action.completed_at = now if action.due_at is None else min(now, action.due_at)
        holder = action.resource_id if action.resource_type == "droplet" else action.locks
        d = self.droplets.get(holder or 0)
        if d is not None and action.id in d.pending_ids:
            d.pending_ids.remove(action.id)
        if action.resource_type != "droplet":
            self.end_resource_action(action)
            return
        if action.fail or d is None:
            action.status = "errored"
            return
        transitions.apply(self, action, d)
        action.status = "completed"

    def advance(self) -> None:
        """Complete due actions and take due backups (called before each request)."""
        now = self.clock.time()
        for action in list(self.pending.values()):
            by_time = action.due_at is not None and action.due_at <= now
            by_polls = action.due_polls is not None and action.polls >= action.due_polls
            if by_time or by_polls:
                self.complete(action, now)
        self.advance_presence(now)
        for tick in list(self.tickers):
            tick(now)
        for droplet_id in list(self.backed_up):
            self._take_due_backups(self.droplets[droplet_id], now)

    def _take_due_backups(self, d: DropletRecord, now: float) -> None:
        end = backups.window_end(d)
        while d.backup_policy is not None and end is not None and end <= now:
            image = backups.backup_image(d, self.alloc.image_id(), end)
            self.user_images[image["id"]] = image
            d.backup_ids.insert(0, image["id"])
            for old in d.backup_ids[backups.KEEP[d.backup_policy["plan"]] :]:
                self.user_images.pop(old, None)
            del d.backup_ids[backups.KEEP[d.backup_policy["plan"]] :]
            start = backups.next_window_start(d.backup_policy, end)
            d.next_backup_window = backups.window(start)
            end = backups.window_end(d)

    # -- polls ----------------------------------------------------------

    def observe_action(self, action: ActionRecord) -> None:
        """Note that this request showed ``action`` (counts as a poll).

        Args:
            action: The action shown.
        """
        if action.status == "in-progress":
            self._observed.add(action.id)

    def observe_droplet(self, d: DropletRecord) -> None:
        """Note that this request showed ``d``: a poll of its pending actions.

        Args:
            d: The droplet shown.
        """
        self._observed.update(d.pending_ids)

    def end_request(self, succeeded: bool) -> None:
        """Count the polls of a finished request.

        Args:
            succeeded: Whether the request was answered with a success.
        """
        if succeeded:
            for action_id in self._observed:
                action = self.pending.get(action_id)
                if action is not None:
                    action.polls += 1
        self._observed.clear()
