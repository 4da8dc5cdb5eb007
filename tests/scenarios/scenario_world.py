"""The worlds the scenarios run in: facts, the request log, sandbox seeding.

Shared by ``conftest.py`` (the ``world`` fixture) and the scenario modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

import droplets
from droplets import VPC, Client, Droplet
from droplets.transport.base import Request, Response
from droplets.transport.http import RequestsTransport

if TYPE_CHECKING:
    from vcr.cassette import Cassette

    from droplets.sandbox import Sandbox


@dataclass(frozen=True)
class Facts:
    """What a scenario may rely on in a world.

    Attributes:
        droplet_id: An active droplet with a backup, a snapshot and actions.
        tag: A tag that some, not all, droplets carry.
        missing_id: A droplet id that does not exist.
    """

    droplet_id: int
    tag: str
    missing_id: int


CASSETTE_FACTS = Facts(droplet_id=3164444, tag="env:prod", missing_id=99999999)
"""The ids of the spec's examples that the cassettes replay."""


@dataclass(frozen=True)
class Sent:
    """One request as it went out: method, path and decoded query."""

    method: str
    path: str
    query: dict[str, str]


@dataclass
class World:
    """One world a scenario runs in; its client is the default client."""

    kind: str
    client: Client
    token: str
    facts: Facts
    sandbox: Sandbox | None = None
    cassette: Cassette | None = None

    def sent(self) -> list[Sent]:
        """The requests the scenario sent (since seeding), in order."""
        if self.sandbox is not None:
            out = []
            for method, target in self.sandbox.requests:
                parts = urlsplit(target)
                out.append(Sent(method, parts.path, dict(parse_qsl(parts.query))))
            return out
        assert self.cassette is not None
        played = sorted(self.cassette.play_counts.elements())
        return [_sent(self.cassette.requests[i]) for i in played]

    def fail_next(
        self, method: str, path: str, status: int, *, times: int | None = 1, retry_after: float | None = None
    ) -> None:
        """Make the next matching request(s) fail with ``status``.

        On the sandbox this injects a fault; the cassette already holds the
        error answer, so there it does nothing.
        """
        if self.sandbox is not None:
            self.sandbox.faults.inject(method=method, path=path, status=status, times=times, retry_after=retry_after)


class RecordedProbes(RequestsTransport):
    """The requests transport (vcrpy answers it) with a recorded cassette's port checks answered from its metadata.

    A port check (``wait="ssh"``) is not HTTP, so vcrpy cannot replay it:
    ``cassettes/record_sandbox.py`` keeps each one in ``metadata.probes``
    (host, port, answer, and how many requests preceded it). Here each check
    must come in the recorded order, to the recorded address, after as many
    requests; it gets the recorded answer.
    """

    def __init__(self, probes: list[dict[str, Any]]) -> None:
        super().__init__()
        self.unanswered = list(probes)
        self.requests_sent = 0

    def send(self, request: Request) -> Response:
        self.requests_sent += 1
        return super().send(request)

    def probe(self, host: str, port: int, timeout: float) -> bool:
        assert self.unanswered, f"port check of {host}:{port} that the recording did not make"
        recorded = self.unanswered.pop(0)
        made = {"after_requests": self.requests_sent, "host": host, "port": port}
        assert made == {k: recorded[k] for k in made}, f"port check {made}, recorded {recorded}"
        return bool(recorded["open"])


def _sent(request: Any) -> Sent:
    return Sent(request.method, request.path, dict(request.query))


def seed_sandbox(client: Client) -> Facts:
    """Give a fresh sandbox what the scenarios need, through the public API.

    Four droplets (two tagged ``env:prod``, one a GPU droplet), the first with a backup (backups
    enabled, then two virtual days pass) and a snapshot.
    """
    sandbox = client.transport.sandbox  # type: ignore[attr-defined]
    with droplets.using(client):
        web = Droplet.objects.create_many(
            names=["example.com", "assets.example.com"],
            region="nyc3",
            size="s-1vcpu-1gb",
            image="ubuntu-24-04-x64",
            tags=["web", "env:prod"],
            wait=True,
        )
        Droplet.objects.create(
            name="stage.example.com", region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", tags=["env:stage"]
        )
        Droplet.objects.create(  # the API's default list leaves GPU droplets out; all() must not
            name="ml.example.com", region="tor1", size="gpu-h100x1-80gb", image="gpu-h100x1-base"
        )
        first = web[0]
        first.enable_backups(wait=True)
        first.snapshot(name="web-01-before-upgrade", wait=True)
        VPC.objects.create(name="env.prod-vpc", region="nyc3", description="VPC for production environment")
        sandbox.clock.advance(2 * 86400)
        first.refresh()
        assert first.backup_ids and first.snapshot_ids, "seeding left the droplet without backup or snapshot"
    sandbox.reset_log()
    return Facts(droplet_id=first.id, tag="env:prod", missing_id=99999999)
