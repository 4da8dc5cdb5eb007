"""Record cassettes of multi-step scenarios from the sandbox served over HTTP on loopback.

The spec's explicit examples (``assemble.py``) cannot make a coherent walk of
many steps: their ids do not agree with each other, and most action answers
have no explicit example. The cassettes listed in `RECORDINGS` are therefore
*recordings of the droplets sandbox*, never of a live account:

* a `SandboxServer` (seed 0) serves the sandbox on ``http://127.0.0.1:<port>``
  with a `VirtualClock` it shares with the recording client, so every wait
  polls on virtual time and the run is reproducible; two droplets (tag
  ``web``, nyc3) are seeded in process first, as an account in use has some
  (and so nyc3 has its default VPC);
* a real `Client` with the requests transport (``RetryPolicy(attempts=1)``)
  runs the scenario's function against it; the transport keeps every request
  and answer as they crossed the socket;
* what is written: the method, the URI with the loopback host rewritten to
  ``https://api.digitalocean.com``, the client's own headers with
  ``Authorization: REDACTED``, the request body; the status, the sandbox's
  headers (``content-type`` where there is a body, ``ratelimit-*``) plus a ``date`` from the virtual
  clock and an ``x-request-id`` derived from the cassette name (the sandbox's
  are random), and the body with its absolute links rewritten to
  ``https://api.digitalocean.com`` as the real API writes them (JSON
  re-indented for reading);
* port checks (``wait="ssh"``) are not HTTP: the sandbox answers them in
  process and each answer is kept in ``metadata.probes`` (host, port, answer,
  how many requests preceded it and the virtual seconds since the last request
  or check), which the cassette world replays;
* ``metadata.seconds_before`` holds the virtual seconds between an answer (or
  a port check) and the next request wherever the client waited, and ``metadata.clock_start``
  the virtual clock's start: the cassette world's client gets that clock, and
  the contract test replays the cassette on a fresh in-process sandbox with the
  same timings.

Every response body must validate against the spec's response schema of its
operation (``tests/contract/test_contract_recorded_cassettes.py`` checks it).

Usage::

    python cassettes/record_sandbox.py            # (re)record cassettes/<name>.yaml for each recording
    python cassettes/record_sandbox.py --check    # exit 1 when a committed file differs from a fresh recording
"""

from __future__ import annotations

import argparse
import email.utils
import http
import importlib
import json
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

import droplets
from droplets import Client
from droplets.retry import RetryPolicy
from droplets.sandbox import VirtualClock
from droplets.sandbox.server import SandboxServer
from droplets.transport.base import Request, Response
from droplets.transport.http import RequestsTransport

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
from assemble import Dumper, write_or_check  # noqa: E402  (the cassettes' own YAML style and writer)

SCENARIOS = HERE.parent / "tests" / "scenarios"
BASE = "https://api.digitalocean.com"
CLOCK_START = 1_700_000_000.0
SEED = 0
SEEDED_DROPLETS = 2
"""Droplets (tag ``web``, nyc3) the served sandbox holds before a recording starts: not recorded."""
KEPT_ANSWER_HEADERS = ("content-type", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "retry-after")
"""The sandbox's answer headers a recording keeps (``date`` and ``x-request-id`` are rewritten, framing dropped)."""


@dataclass(frozen=True)
class Recording:
    """A scenario function to record: ``module`` in ``tests/scenarios/``, called with no arguments."""

    module: str
    function: str

    def load(self) -> Callable[[], None]:
        """Import the scenario function (``tests/scenarios`` on the path, as pytest has it)."""
        if str(SCENARIOS) not in sys.path:
            sys.path.insert(0, str(SCENARIOS))
        walk: Callable[[], None] = getattr(importlib.import_module(self.module), self.function)
        return walk


RECORDINGS: dict[str, Recording] = {
    "day_in_the_life": Recording("day_in_the_life", "walk_the_day"),
    "volume_upkeep": Recording("volume_upkeep", "grow_and_snapshot"),
}


@dataclass(frozen=True)
class Exchange:
    """One request as the client sent it and the answer it got, on the virtual clock."""

    request: Request
    response: Response
    seconds_before: float
    answered_at: float


class RecordingTransport(RequestsTransport):
    """The requests transport, keeping every exchange; port checks answered by the served sandbox."""

    def __init__(self, server: SandboxServer, clock: VirtualClock) -> None:
        super().__init__()
        self.server = server
        self.clock = clock
        self.exchanges: list[Exchange] = []
        self.probes: list[dict[str, Any]] = []
        self._last = clock.time()

    def send(self, request: Request) -> Response:
        sent_at = self.clock.time()
        response = super().send(request)
        self.exchanges.append(Exchange(request, response, sent_at - self._last, self.clock.time()))
        self._last = self.clock.time()
        return response

    def probe(self, host: str, port: int, timeout: float) -> bool:
        waited = round(self.clock.time() - self._last, 6)
        answer = self.server.sandbox.probe(host, port)
        made = {"after_requests": len(self.exchanges), "seconds_before": waited, "host": host, "port": port}
        self.probes.append({**made, "open": answer})
        self._last = self.clock.time()
        return answer


def record(name: str) -> dict[str, Any]:
    """Run recording ``name`` against a freshly served sandbox and return the cassette (vcrpy's YAML shape)."""
    walk = RECORDINGS[name].load()
    clock = VirtualClock(CLOCK_START)
    with SandboxServer(port=0, seed=SEED, action_seconds=None, clock=clock) as server:
        # An account in use: a droplet in nyc3 already (so nyc3 has its default VPC), seeded in process.
        server.sandbox.seed_droplets(SEEDED_DROPLETS, tag="web")
        transport = RecordingTransport(server, clock)
        client = Client(
            token="sandbox-token", base_url=server.url, transport=transport, clock=clock, retry=RetryPolicy(attempts=1)
        )
        with droplets.using(client):
            walk()
        client.close()
    return _cassette(name, server.url, transport)


def _cassette(name: str, origin: str, transport: RecordingTransport) -> dict[str, Any]:
    interactions = []
    for number, ex in enumerate(transport.exchanges):
        headers = {key: [value] for key, value in ex.request.headers.items() if key != "Authorization"}
        headers["Authorization"] = ["REDACTED"]
        answer = {key: [ex.response.headers[key]] for key in KEPT_ANSWER_HEADERS if key in ex.response.headers}
        if not ex.response.body:
            answer.pop("content-type", None)  # the sandbox names a type for its empty 204s; the real API does not
        answer["date"] = [email.utils.formatdate(ex.answered_at, usegmt=True)]
        answer["x-request-id"] = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"droplets-recording:{name}:{number}"))]
        text = ex.response.body.decode("utf-8").replace(origin, BASE)
        if text:
            text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        interactions.append(
            {
                "request": {
                    "body": ex.request.body.decode("utf-8") if ex.request.body else None,
                    "headers": headers,
                    "method": ex.request.method,
                    "uri": ex.request.url.replace(origin, BASE, 1),
                },
                "response": {
                    "body": {"string": text},
                    "headers": dict(sorted(answer.items())),
                    "status": {"code": ex.response.status, "message": http.HTTPStatus(ex.response.status).phrase},
                },
            }
        )
    waits = {n: round(ex.seconds_before, 6) for n, ex in enumerate(transport.exchanges) if ex.seconds_before}
    metadata = {
        "source": f"the droplets sandbox (seed {SEED}) served over HTTP on loopback; not a live account",
        "seeded": f"{SEEDED_DROPLETS} droplets tagged web in nyc3, in process before recording",
        "recorded_by": "cassettes/record_sandbox.py",
        "scenario": f"tests/scenarios/{RECORDINGS[name].module}.py::{RECORDINGS[name].function}",
        "clock_start": CLOCK_START,
        "seconds_before": waits,
        "probes": transport.probes,
    }
    return {"interactions": interactions, "metadata": metadata, "version": 1}


def render(name: str, cassette: dict[str, Any]) -> str:
    """The cassette's file text: a header saying where it comes from, then vcrpy's YAML."""
    header = (
        f"# {name}: recorded by cassettes/record_sandbox.py from the droplets sandbox served over HTTP\n"
        "# on loopback (seed 0, virtual clock), not from a live account. Host rewritten to api.digitalocean.com.\n"
    )
    return header + yaml.dump(cassette, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=120)


def main(argv: list[str] | None = None) -> int:
    """Record every cassette of `RECORDINGS` (or only compare, with ``--check``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="only compare fresh recordings with the committed files")
    parser.add_argument("names", nargs="*", help="the recordings to make (all by default)")
    args = parser.parse_args(argv)
    texts = {name: render(name, record(name)) for name in args.names or list(RECORDINGS)}
    return write_or_check(texts, check=args.check)


if __name__ == "__main__":
    raise SystemExit(main())
