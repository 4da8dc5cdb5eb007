"""Two worlds for the users' scenarios: the sandbox and recorded HTTP.

A scenario is written once against the public API (``Droplet.objects``,
``Droplet.get`` ... on the default client) and runs on both worlds through
the parametrized ``world`` fixture:

* ``sandbox``: ``Client.sandbox()``, seeded with the droplets the scenarios
  need (see :func:`seed_sandbox`). Waits run on its virtual clock.
* ``cassette``: a real ``Client`` (requests transport) for
  ``https://api.digitalocean.com`` with ``RetryPolicy(attempts=1)``, inside
  ``vcr.use_cassette(cassettes/<name>.yaml, record_mode="none", ...)``. The
  cassettes replay the spec's explicit examples (``cassettes/README.md``);
  every recorded interaction must be played, so a cassette holds exactly
  what its scenario sends. A cassette recorded from the sandbox
  (``cassettes/record_sandbox.py``) also gives the client the recording's
  virtual clock and answers its port checks from ``metadata.probes``.

Markers (registered below):

* ``@pytest.mark.cassette("name")``: the scenario's cassette; with ``match_body=True`` a request
  matches only with the recorded JSON body (where the cassette holds the body ``droplets`` sends, not
  the spec's request example). ``X-Dangerous`` is always matched.
* ``@pytest.mark.sandbox_only("reason")``: no explicit example exists for an
  endpoint it uses; the cassette world is skipped with the reason.
* ``@pytest.mark.read_only``: safe to re-record against a live account
  (``DROPLETS_RECORD=1``, see ``cassettes/README.md``).

Scenarios are id-agnostic: what differs between the worlds (a droplet id, a
tag, an id that does not exist) comes from ``world.facts``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import vcr
import yaml
from scenario_world import CASSETTE_FACTS, Facts, RecordedProbes, World, seed_sandbox

import droplets
from droplets import Client
from droplets.retry import RetryPolicy
from droplets.sandbox import VirtualClock

REPO_ROOT = Path(__file__).resolve().parents[2]
CASSETTE_DIR = REPO_ROOT / "cassettes"
MATCH_ON = ["method", "scheme", "host", "port", "path", "query", "x_dangerous"]
FILTER_HEADERS = [("authorization", "REDACTED")]
CASSETTE_TOKEN = "test-token-not-real"
RECORDING = os.environ.get("DROPLETS_RECORD") == "1"


def _json_body(sent: Any, recorded: Any) -> None:
    """vcrpy matcher: the request's JSON body is the recorded one (both empty, or equal once decoded)."""

    def decoded(body: Any) -> Any:
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        return json.loads(body) if body else None

    assert decoded(sent.body) == decoded(recorded.body), "another JSON body than the recorded one"


def _x_dangerous(sent: Any, recorded: Any) -> None:
    """vcrpy matcher: ``X-Dangerous`` is sent exactly where it was recorded, with the same value."""
    assert sent.headers.get("X-Dangerous") == recorded.headers.get("X-Dangerous"), "X-Dangerous differs"


CASSETTES = vcr.VCR()
CASSETTES.register_matcher("json_body", _json_body)
CASSETTES.register_matcher("x_dangerous", _x_dangerous)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "cassette(name, match_body=False): the scenario's cassette in cassettes/<name>.yaml"
    )
    config.addinivalue_line("markers", "sandbox_only(reason): no explicit example; the cassette world is skipped")
    config.addinivalue_line("markers", "read_only: the scenario may be re-recorded against a live account")


def _marker_arg(request: pytest.FixtureRequest, name: str) -> str | None:
    marker = request.node.get_closest_marker(name)
    return str(marker.args[0]) if marker is not None and marker.args else None


@pytest.fixture(params=["sandbox", "cassette"])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    """The scenario's world, installed as the default client."""
    cassette_name = _marker_arg(request, "cassette")
    sandbox_only = _marker_arg(request, "sandbox_only")
    if cassette_name is None and sandbox_only is None:
        raise pytest.UsageError(f"{request.node.nodeid}: mark it cassette(name) or sandbox_only(reason)")
    if request.param == "sandbox":
        client = Client.sandbox()
        facts = seed_sandbox(client)
        with droplets.using(client):
            yield World("sandbox", client, "sandbox-token", facts, sandbox=client.transport.sandbox)  # type: ignore[attr-defined]
        return
    if sandbox_only is not None:
        pytest.skip(f"sandbox only: {sandbox_only}")
    assert cassette_name is not None
    marker = request.node.get_closest_marker("cassette")
    match_on = [*MATCH_ON, "json_body"] if marker is not None and marker.kwargs.get("match_body") else MATCH_ON
    yield from _cassette_world(request, cassette_name, match_on)


def _cassette_world(request: pytest.FixtureRequest, name: str, match_on: list[str]) -> Iterator[World]:
    path = CASSETTE_DIR / f"{name}.yaml"
    facts = CASSETTE_FACTS
    token = CASSETTE_TOKEN
    record_mode = "none"
    if RECORDING:
        # Re-recording against a live account: read-only scenarios only, with
        # the account's own ids (cassettes/README.md).
        if request.node.get_closest_marker("read_only") is None:
            pytest.skip("DROPLETS_RECORD=1: this scenario changes the account, it is never recorded live")
        token = os.environ.get("DIGITALOCEAN_TOKEN", "")
        droplet_id = os.environ.get("DROPLETS_RECORD_DROPLET_ID", "")
        if not token or not droplet_id.isdigit():
            pytest.skip("DROPLETS_RECORD=1 needs DIGITALOCEAN_TOKEN and DROPLETS_RECORD_DROPLET_ID")
        facts = Facts(int(droplet_id), os.environ.get("DROPLETS_RECORD_TAG", facts.tag), facts.missing_id)
        record_mode = "once"
    elif not path.exists():
        pytest.fail(f"missing cassette {path}; run python cassettes/assemble.py")
    recording = _sandbox_recording(path) if record_mode == "none" else {}
    client = Client(
        token=token,
        base_url="https://api.digitalocean.com",
        retry=RetryPolicy(attempts=1),
        transport=RecordedProbes(recording["probes"]) if recording else None,
        clock=VirtualClock(recording["clock_start"]) if recording else None,
    )
    with (
        CASSETTES.use_cassette(
            str(path), record_mode=record_mode, filter_headers=FILTER_HEADERS, match_on=match_on
        ) as cas,
        droplets.using(client),
    ):
        yield World("cassette", client, token, facts, cassette=cas)
        if record_mode == "none":
            unplayed = [r.uri for i, r in enumerate(cas.requests) if cas.play_counts[i] == 0]
            assert not unplayed, f"{path.name}: the scenario did not send {unplayed}"
        if isinstance(client.transport, RecordedProbes):
            assert not client.transport.unanswered, f"{path.name}: recorded port checks not made"
    client.close()


def _sandbox_recording(path: Path) -> dict[str, Any]:
    """A sandbox recording's metadata (clock start, port checks), or {} for a cassette of the spec's examples."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    if "recorded_by: cassettes/record_sandbox.py" not in text:
        return {}
    metadata: dict[str, Any] = yaml.safe_load(text)["metadata"]
    return metadata
