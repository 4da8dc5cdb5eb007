"""How actions progress from ``in-progress`` to ``completed`` (or ``errored``).

Like moto's ``ManagedState``, a rule per action type says when an action
completes: ``immediate`` (already completed in the POST answer), ``after_polls``
(the action is seen ``in-progress`` by that many reads of it or its droplet,
then completes before the next request), or ``after_seconds`` of sandbox clock
time. Type ``"*"`` is the default for types without their own rule; without
any rule, realistic per-type durations apply (`DEFAULT_SECONDS`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

DEFAULT_SECONDS: dict[str, float] = {
    "create": 30.0,
    "reboot": 10.0,
    "power_cycle": 10.0,
    "shutdown": 10.0,
    "power_off": 5.0,
    "power_on": 5.0,
    "enable_backups": 5.0,
    "disable_backups": 5.0,
    "change_backup_policy": 5.0,
    "enable_ipv6": 5.0,
    "enable_private_networking": 5.0,
    "password_reset": 5.0,
    "rename": 3.0,
    "change_kernel": 5.0,
    "restore": 60.0,
    "rebuild": 60.0,
    "resize": 60.0,
    "snapshot": 60.0,
}


@dataclass(frozen=True)
class Rule:
    """When an action completes; exactly one field is meaningful."""

    after_polls: int | None = None
    after_seconds: float | None = None
    immediate: bool = False


class Progression:
    """The per-type completion rules and queued failures of a sandbox."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: dict[str, Rule] = {}
        self._failures: dict[str, int] = {}

    def set(
        self,
        action_type: str = "*",
        *,
        after_polls: int | None = None,
        after_seconds: float | None = None,
        immediate: bool = False,
    ) -> None:
        """Set when actions of ``action_type`` complete.

        Args:
            action_type: An action type such as ``power_off``, or ``"*"`` for all
                types without a rule of their own.
            after_polls: Complete once the action was read this many times.
            after_seconds: Complete this many clock seconds after it started.
            immediate: Complete at once (the POST answer shows ``completed``).

        Raises:
            ValueError: Unless exactly one way is given, or a number is negative.
        """
        given = [after_polls is not None, after_seconds is not None, immediate]
        if sum(given) != 1:
            raise ValueError("give exactly one of after_polls, after_seconds, immediate=True")
        if (after_polls or 0) < 0 or (after_seconds or 0.0) < 0:
            raise ValueError("after_polls and after_seconds must not be negative")
        rule = Rule(after_polls=after_polls, after_seconds=after_seconds, immediate=immediate)
        with self._lock:
            self._rules[action_type] = rule

    def fail_next(self, action_type: str = "*", times: int = 1) -> None:
        """Make the next action(s) of a type end ``errored``, without effect.

        Args:
            action_type: The action type, or ``"*"`` for whichever comes next.
            times: How many actions fail.
        """
        with self._lock:
            self._failures[action_type] = self._failures.get(action_type, 0) + times

    def reset(self) -> None:
        """Forget every rule and queued failure."""
        with self._lock:
            self._rules.clear()
            self._failures.clear()

    def rule_for(self, action_type: str) -> Rule:
        """Return the rule that applies to ``action_type``.

        Args:
            action_type: The action type.

        Returns:
            Its own rule, else the ``"*"`` rule, else the default duration.
        """
        return self.explicit_rule(action_type) or Rule(after_seconds=DEFAULT_SECONDS.get(action_type, 10.0))

    def explicit_rule(self, action_type: str) -> Rule | None:
        """Return the rule set for ``action_type`` or for every type (``"*"``), or None when none was set."""
        with self._lock:
            return self._rules.get(action_type) or self._rules.get("*")

    def take_failure(self, action_type: str) -> bool:
        """Consume a queued failure for ``action_type`` if there is one.

        Args:
            action_type: The type of the action being started.

        Returns:
            Whether the action must end ``errored``.
        """
        with self._lock:
            for key in (action_type, "*"):
                if self._failures.get(key, 0) > 0:
                    self._failures[key] -= 1
                    return True
        return False
