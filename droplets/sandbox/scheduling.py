"""Scheduling actions on the virtual clock (a `SandboxState` mixin), for droplets and for the resources beside them.

A droplet action is the droplet's (`SandboxState.start_action`). A volume or
reserved IP action (`Scheduling.start_resource_action`) carries what its
completion changes (``effect``) and what ending it in any way releases
(``ended``), and may lock the droplet it involves until it ends, so that the
droplet refuses other actions meanwhile, as DigitalOcean's does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from droplets.sandbox.clock import Clock
from droplets.sandbox.ids import Allocator
from droplets.sandbox.progression import Progression
from droplets.sandbox.records import ActionRecord, DropletRecord

Json = dict[str, Any]


class Scheduling:
    """The action-scheduling half of `SandboxState`."""

    clock: Clock
    alloc: Allocator
    progression: Progression
    actions: dict[int, ActionRecord]
    pending: dict[int, ActionRecord]

    def complete(self, action: ActionRecord, now: float) -> None:  # implemented by SandboxState
        raise NotImplementedError

    def _new_action(self, action_type: str, **fields: Any) -> ActionRecord:
        """Record a new pending action, due under the progression rule of its type."""
        now = self.clock.time()
        rule = self.progression.rule_for(action_type)
        action = ActionRecord(
            id=self.alloc.action_id(),
            type=action_type,
            started_at=now,
            due_at=None if rule.after_seconds is None else now + rule.after_seconds,
            due_polls=rule.after_polls,
            fail=self.progression.take_failure(action_type),
            **fields,
        )
        self.actions[action.id] = action
        self.pending[action.id] = action
        return action

    def _maybe_at_once(self, action: ActionRecord) -> ActionRecord:
        """Complete an action whose rule is ``immediate`` (its POST answer shows it completed)."""
        if self.progression.rule_for(action.type).immediate:
            self.complete(action, self.clock.time())
        return action

    def start_resource_action(
        self,
        action_type: str,
        resource_type: str,
        resource_id: int | None,
        region: Json,
        *,
        locks: DropletRecord | None,
        effect: Callable[[], None],
        ended: Callable[[], None] | None = None,
        params: Json | None = None,
        extra: Json | None = None,
    ) -> ActionRecord:
        """Start an action on a volume or reserved IP under the progression rules.

        Args:
            action_type: E.g. ``attach_volume`` or ``assign_ip``.
            resource_type: ``volume`` or ``reserved_ip``.
            resource_id: The ``resource_id`` shown (None for volumes, whose ids are strings).
            region: The region dict.
            locks: The droplet locked until the action ends, if any.
            effect: Applied when the action completes.
            ended: Called when the action ends in any way (releases the resource).
            params: The request fields.
            extra: Wire fields this kind of action adds.

        Returns:
            The action record (completed already when the rule is immediate).
        """
        action = self._new_action(
            action_type,
            resource_id=resource_id,
            region=region,
            params=params or {},
            resource_type=resource_type,
            locks=None if locks is None else locks.id,
            effect=effect,
            ended=ended,
            extra=extra or {},
        )
        if locks is not None:
            locks.pending_ids.append(action.id)
        return self._maybe_at_once(action)

    def end_resource_action(self, action: ActionRecord) -> None:
        """Finish a volume or reserved IP action: release what it held, then apply its effect unless it failed.

        Args:
            action: The action, already taken off the pending list.
        """
        if action.ended is not None:
            action.ended()
        action.status = "errored" if action.fail else "completed"
        if not action.fail and action.effect is not None:
            action.effect()
