"""Waiting until droplets are usable, or gone.

**Ready** means usable, not just "the create action completed". Each droplet
passes these stages, and one `Deadline` covers them all:

1. ``action``: its create action completed (``errored`` raises `ActionFailed`);
2. ``status``: the API shows it, ``active`` (a 404 just after the create
   answer is tolerated while the droplet appears);
3. ``address``: it has an IPv4 address: public, or private for a droplet
   created with ``public_networking=False``;
4. ``port`` (``ssh`` only): a TCP connection to that address and port is
   accepted (`Client.probe`, through the transport; the sandbox simulates it).

Cost in requests: the action stage polls one request per round (the action
itself for one droplet, the account's action list for several); the status
and address stages one request per round (``GET`` the droplet for one, the
listing by tag for several that share a tag, else one ``GET`` each); the port
stage sends no API request: its checks run concurrently, each bounded.

**Gone** means the API no longer shows the droplet: after ``DELETE``, one
``GET`` per round until it answers 404; after a tag ``DELETE``, one counting
request per round (``?tag_name=...&per_page=1``) until no droplet carries
the tag.

Running out of time raises `WaitTimeout` whose ``stage`` names the stage
that was not reached (``action``, ``status``, ``address``, ``port`` or
``gone``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import attrs

from droplets import _api
from droplets._api import Endpoint
from droplets.errors import NotFound, WaitTimeout
from droplets.models.action import Action
from droplets.waiting import Deadline, Progress, wait_for

if TYPE_CHECKING:
    from droplets.client import Client
    from droplets.models.droplet import Droplet

__all__ = ["STAGES", "ReadyProgress", "ReadyReport", "wait_gone", "wait_gone_tag", "wait_ready"]

STAGES = ("action", "status", "address", "port")
PROBE_TIMEOUT = 5.0
"""Longest a single port check may take (less when the deadline is nearer)."""
MAX_PROBE_WORKERS = 16


@attrs.frozen
class ReadyProgress:
    """Where a ready (or gone) wait stands after a round.

    Attributes:
        done: How many droplets are ready (or gone).
        total: How many are waited on.
        stage: The earliest stage some droplet has not reached, or ``"ready"``
            (``"gone"`` for a gone wait).
    """

    done: int
    total: int
    stage: str


ReadyReport = Callable[[ReadyProgress], object]


@attrs.define
class _Tracked:
    droplet: Droplet
    seen: bool
    port_open: bool = False

    def stage(self, public: bool, ssh: bool) -> str | None:
        d = self.droplet
        if not self.seen or d.status != "active":
            return "status"
        if _address(d, public) is None:
            return "address"
        if ssh and not self.port_open:
            return "port"
        return None


def _address(droplet: Droplet, public: bool) -> str | None:
    return droplet.public_ipv4 if public else droplet.private_ipv4


def wait_ready(
    droplets: Sequence[Droplet],
    *,
    deadline: Deadline,
    poll: float,
    ssh: bool = False,
    port: int = 22,
    public: bool = True,
    actions: Sequence[Action] = (),
    appearing: bool = False,
    progress: Progress | None = None,
    report: ReadyReport | None = None,
) -> list[Droplet]:
    """Wait until every droplet is ready; refresh them in place (see the module docstring).

    Args:
        droplets: Droplets of one client.
        deadline: The deadline of the whole call.
        poll: Seconds between rounds (checked by the caller).
        ssh: Also wait until ``port`` of the address accepts connections.
        port: The TCP port to check.
        public: Wait for a public IPv4 (else a private one).
        actions: Their create actions, when known (from the create answer).
        appearing: They may have just been created: for those still ``new``, a 404
            before the API first shows them is tolerated.
        progress: Called with each action after every poll of the action stage.
        report: Called with a `ReadyProgress` after every round.

    Returns:
        The same droplets, refreshed.

    Raises:
        droplets.ActionFailed: A create action ended ``errored``.
        droplets.WaitTimeout: A stage was not reached in time (``.stage`` names it).
        Droplet.DoesNotExist: A droplet the API had shown was destroyed meanwhile.
    """
    droplets = list(droplets)
    if not droplets:
        return droplets
    client = droplets[0].client
    pending = [action for action in actions if action.status == "in-progress"]
    if not pending and not actions:
        pending = _discover_create_actions(client, [d for d in droplets if d.status == "new"])
    waited = bool(pending)
    if pending:

        def on_action(action: Action) -> None:
            if progress is not None:
                progress(action)
            if report is not None:
                report(ReadyProgress(0, len(droplets), "action"))

        wait_for(pending, poll=poll, deadline=deadline, progress=on_action)
    tracked = [_Tracked(d, seen=not appearing or d.status != "new") for d in droplets]
    fresh = waited  # droplets loaded before this call are looked at again once
    while True:
        api_pending = [t for t in tracked if not fresh or t.stage(public, True) in ("status", "address")]
        fresh = True
        if api_pending or waited:
            if waited and not deadline.sleep(poll):
                raise _ready_timeout(tracked, deadline, public, ssh, port)
            if api_pending:
                _fetch(client, api_pending)
        waited = True
        if ssh:
            _probe_all(client, [t for t in tracked if t.stage(public, ssh) == "port"], port, public, deadline)
        stages = [t.stage(public, ssh) for t in tracked]
        remaining = [stage for stage in stages if stage is not None]
        if report is not None:
            first = min(remaining, key=STAGES.index) if remaining else "ready"
            report(ReadyProgress(len(stages) - len(remaining), len(stages), first))
        if not remaining:
            return droplets
        if deadline.remaining() <= 0:
            raise _ready_timeout(tracked, deadline, public, ssh, port)


def _discover_create_actions(client: Client, new: list[Droplet]) -> list[Action]:
    """The in-progress create actions of droplets still ``new``, from one page of the account's actions."""
    if not new:
        return []
    wanted = {d.id for d in new}
    found: dict[int, Action] = {}
    for data in _api.recent(client, Action._endpoint).items:
        resource = data.get("resource_id") if isinstance(data, dict) else None
        if resource in wanted and resource not in found and data.get("type") == "create":
            found[resource] = Action._from_wire(data, client)
    return [action for action in found.values() if action.status != "completed"]


def _fetch(client: Client, tracked: list[_Tracked]) -> None:
    """Refresh the droplets not yet active with an address: one request when possible."""
    tags = set.intersection(*(set(t.droplet.tags) for t in tracked)) if len(tracked) > 1 else set()
    if tags:
        model = type(tracked[0].droplet)
        by_id = {t.droplet.id: t for t in tracked}
        for fresh in model.objects.using(client).filter(tag=sorted(tags)[0]).iterator():
            item = by_id.pop(fresh.id, None)
            if item is not None:
                item.droplet._take(fresh)
                item.seen = True
        missing = [t for t in by_id.values() if t.seen]  # shown before, not listed now: confirm by id
    else:
        missing = tracked
    for item in missing:
        try:
            item.droplet.refresh()
            item.seen = True
        except NotFound:
            if item.seen:
                raise


def _probe_all(client: Client, tracked: list[_Tracked], port: int, public: bool, deadline: Deadline) -> None:
    """Check the port of every droplet concurrently, each check bounded."""
    if not tracked:
        return
    limit = max(0.001, min(PROBE_TIMEOUT, deadline.remaining()))

    def check(item: _Tracked) -> bool:
        return client.probe(_address(item.droplet, public) or "", port, limit)

    if len(tracked) == 1:
        tracked[0].port_open = check(tracked[0])
        return
    with ThreadPoolExecutor(
        max_workers=min(MAX_PROBE_WORKERS, len(tracked)), thread_name_prefix="droplets-probe"
    ) as pool:
        for item, accepted in zip(tracked, pool.map(check, tracked), strict=True):
            item.port_open = accepted


def _ready_timeout(tracked: list[_Tracked], deadline: Deadline, public: bool, ssh: bool, port: int) -> WaitTimeout:
    late = [(t, t.stage(public, ssh)) for t in tracked if t.stage(public, ssh) is not None]
    item, stage = min(late, key=lambda pair: STAGES.index(pair[1] or "port"))
    d = item.droplet
    who = f"droplet {d.id} ({d.name})"
    timeout = deadline.timeout
    if stage == "status" and not item.seen:
        what = f"{who} is not shown by the API yet after {timeout:g}s"
    elif stage == "status":
        what = f"{who} is still {d.status!r}, not 'active', after {timeout:g}s"
    elif stage == "address":
        kind = "public" if public else "private"
        what = f"{who} is active but has no {kind} IPv4 address after {timeout:g}s"
    else:
        what = (
            f"port {port} of {who} at {_address(d, public)} does not accept connections after {timeout:g}s "
            "(is the SSH server up, and does a firewall let the port through?)"
        )
    others = f" ({len(late) - 1} more droplet(s) not ready)" if len(late) > 1 else ""
    detail = f"{what}{others}; stage {stage!r} not reached: call d.wait_ready(...) to keep waiting"
    return WaitTimeout(None, timeout, stage=stage or "port", detail=detail, droplets=[t.droplet for t, _ in late])


def wait_gone(
    droplets: Sequence[Droplet], *, deadline: Deadline, poll: float, report: ReadyReport | None = None
) -> None:
    """Wait until ``GET`` answers 404 for every destroyed droplet (one ``GET`` per remaining droplet a round).

    Raises:
        droplets.WaitTimeout: Some droplet is still shown (stage ``"gone"``).
    """
    remaining = list(droplets)
    total = len(remaining)
    while remaining:
        if not deadline.sleep(poll):
            first = remaining[0]
            raise WaitTimeout(
                None,
                deadline.timeout,
                stage="gone",
                detail=(
                    f"droplet {first.id} ({first.name}) is still shown by the API {deadline.timeout:g}s after "
                    f"its DELETE was accepted" + (f" ({len(remaining) - 1} more)" if len(remaining) > 1 else "")
                ),
                droplets=remaining,
            )
        still = []
        for droplet in remaining:
            try:
                _api.get_one(droplet.client, droplet._endpoint, droplet.id)
                still.append(droplet)
            except NotFound:
                pass
        remaining = still
        if report is not None:
            report(ReadyProgress(total - len(remaining), total, "gone" if remaining else "ready"))


def wait_gone_tag(
    client: Client,
    endpoint: Endpoint,
    tag: str,
    *,
    deadline: Deadline,
    poll: float,
    total: int | None = None,
    report: ReadyReport | None = None,
) -> None:
    """Wait until no droplet carries ``tag`` (one counting request per round).

    Raises:
        droplets.WaitTimeout: Droplets still carry the tag (stage ``"gone"``).
    """
    params: dict[str, Any] = {"tag_name": tag}
    while True:
        if not deadline.sleep(poll):
            raise WaitTimeout(
                None,
                deadline.timeout,
                stage="gone",
                detail=f"droplets tagged {tag!r} still shown {deadline.timeout:g}s after the tag DELETE was accepted",
            )
        left = _api.count(client, endpoint.path, endpoint.plural, params)
        if report is not None and total is not None:
            report(ReadyProgress(max(0, total - left), total, "gone" if left else "ready"))
        if left == 0:
            return
