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
  what its scenario sends.

Markers (registered below):

* ``@pytest.mark.cassette("name")``: the scenario's cassette.
* ``@pytest.mark.sandbox_only("reason")``: no explicit example exists for an
  endpoint it uses; the cassette world is skipped with the reason.
* ``@pytest.mark.read_only``: safe to re-record against a live account
  (``DROPLETS_RECORD=1``, see ``cassettes/README.md``).

Scenarios are id-agnostic: what differs between the worlds (a droplet id, a
tag, an id that does not exist) comes from ``world.facts``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import vcr
from scenario_world import CASSETTE_FACTS, Facts, World, seed_sandbox

import droplets
from droplets import Client
from droplets.retry import RetryPolicy

REPO_ROOT = Path(__file__).resolve().parents[2]
CASSETTE_DIR = REPO_ROOT / "cassettes"
MATCH_ON = ["method", "scheme", "host", "port", "path", "query"]
FILTER_HEADERS = [("authorization", "REDACTED")]
CASSETTE_TOKEN = "test-token-not-real"
RECORDING = os.environ.get("DROPLETS_RECORD") == "1"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "cassette(name): the scenario's cassette in cassettes/<name>.yaml")
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
    yield from _cassette_world(request, cassette_name)


def _cassette_world(request: pytest.FixtureRequest, name: str) -> Iterator[World]:
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
    client = Client(token=token, base_url="https://api.digitalocean.com", retry=RetryPolicy(attempts=1))
    with (
        vcr.use_cassette(str(path), record_mode=record_mode, filter_headers=FILTER_HEADERS, match_on=MATCH_ON) as cas,
        droplets.using(client),
    ):
        yield World("cassette", client, token, facts, cassette=cas)
        if record_mode == "none":
            unplayed = [r.uri for i, r in enumerate(cas.requests) if cas.play_counts[i] == 0]
            assert not unplayed, f"{path.name}: the scenario did not send {unplayed}"
    client.close()
