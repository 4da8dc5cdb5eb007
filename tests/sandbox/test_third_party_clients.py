"""Third-party DigitalOcean clients (pydo, python-digitalocean) against SandboxServer.

Quirks worth knowing:

* pydo (azure-core) refuses to send a bearer token over plain HTTP unless each
  call passes ``enforce_https=False``; its ``list`` returns one page only.
* python-digitalocean follows the absolute ``links.pages.next`` URLs, so the
  server must write its own loopback URL as base (``SandboxServer`` does); its
  ``Action`` objects ignore the ``end_point`` given to the droplet and read
  ``DIGITALOCEAN_END_POINT`` instead; it sends ``null`` for unset optional
  fields (``vpc_uuid``), which the API, and so the sandbox, accepts.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from droplets.sandbox.server import SandboxServer

CREATE = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(port=0, latency_ms=0, seed=0, action_seconds=0.05, seed_droplets=230) as running:
        running.sandbox.lifecycle.set(networks_after=0.05)
        yield running


def _until(predicate: Any, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_pydo_lists_creates_gets_and_powers_off(server: SandboxServer) -> None:
    pydo = pytest.importorskip("pydo")
    client = pydo.Client(token="sandbox-token", endpoint=server.url)
    plain_http = {"enforce_https": False}

    page = client.droplets.list(per_page=100, **plain_http)
    assert page["meta"]["total"] == 230 and len(page["droplets"]) == 100
    assert page["links"]["pages"]["next"].startswith(server.url)

    created = client.droplets.create(body={"name": "pydo-1", **CREATE}, **plain_http)
    droplet_id = created["droplet"]["id"]
    assert created["droplet"]["status"] == "new"
    _until(lambda: client.droplets.get(droplet_id=droplet_id, **plain_http)["droplet"]["status"] == "active")

    action = client.droplet_actions.post(droplet_id=droplet_id, body={"type": "power_off"}, **plain_http)
    assert action["action"]["status"] == "in-progress"
    _until(
        lambda: client.actions.get(action_id=action["action"]["id"], **plain_http)["action"]["status"] == "completed"
    )
    assert client.droplets.get(droplet_id=droplet_id, **plain_http)["droplet"]["status"] == "off"


def test_python_digitalocean_lists_creates_gets_and_powers_off(
    server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    digitalocean = pytest.importorskip("digitalocean")
    monkeypatch.setenv("DIGITALOCEAN_END_POINT", f"{server.url}/v2/")
    manager = digitalocean.Manager(token="sandbox-token")

    everything = manager.get_all_droplets()
    assert len(everything) == 230, "python-digitalocean follows links.pages.next across pages"

    droplet = digitalocean.Droplet(
        token="sandbox-token",
        name="pdo-1",
        size_slug=CREATE["size"],
        **{
            "region": CREATE["region"],
            "image": CREATE["image"],
        },
    )
    droplet.create()
    _until(lambda: droplet.load().ip_address)
    assert droplet.status == "active"

    fetched = manager.get_droplet(droplet.id)
    assert fetched.name == "pdo-1"

    action = droplet.power_off(return_dict=False)
    assert action.wait(update_every_seconds=0.05) is True
    assert droplet.load().status == "off"
    assert {r.slug for r in manager.get_all_regions()} >= {"nyc3"}
