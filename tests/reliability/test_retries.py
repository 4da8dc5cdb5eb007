"""The retry policy: patient with reads, never repeating a write that may have landed."""

from __future__ import annotations

from typing import Any

import pytest

import droplets
from droplets import Client, Droplet, RetryPolicy


def make_client(**options: Any) -> tuple[Client, Any]:
    client = Client.sandbox(**options)
    return client, client.transport.sandbox  # type: ignore[attr-defined]


CREATE = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_reads_are_retried_on_transient_statuses(status: int) -> None:
    client, sandbox = make_client()
    sandbox.faults.inject(method="GET", path="/v2/droplets", kind="status", status=status, times=2)
    assert client.droplets.count() == 0
    assert client.retries_made == 2


@pytest.mark.parametrize("kind", ["drop", "not_json"])
def test_reads_are_retried_on_lost_or_garbled_answers(kind: str) -> None:
    client, sandbox = make_client()
    sandbox.faults.inject(method="GET", path="/v2/regions", kind=kind, times=2)
    assert client.regions.count() > 0
    assert client.retries_made == 2


def test_read_timeout_is_retried_and_costs_virtual_time_only() -> None:
    client, sandbox = make_client()
    sandbox.faults.inject(method="GET", path="/v2/sizes", kind="delay", delay=120.0, times=1)
    before = client.clock.monotonic()
    assert client.sizes.count() > 0
    assert client.clock.monotonic() - before >= client.timeout[1]
    assert client.retries_made == 1


def test_retry_after_is_honoured() -> None:
    client, sandbox = make_client()
    sandbox.faults.inject(method="GET", path="/v2/droplets", kind="status", status=429, retry_after=17, times=1)
    before = client.clock.monotonic()
    client.droplets.count()
    assert client.clock.monotonic() - before >= 17


def test_final_error_carries_attempts_and_request_id() -> None:
    client, sandbox = make_client(seed=3)
    sandbox.faults.inject(method="GET", path="/v2/droplets", kind="status", status=503, times=None)
    with pytest.raises(droplets.ServerError) as caught:
        client.droplets.count()
    error = caught.value
    assert error.attempts == client.retry.attempts == 5
    assert error.request_id and error.request_id in str(error)
    assert "after 5 attempts" in str(error)


@pytest.mark.parametrize(("kind", "status"), [("status", 500), ("status", 503), ("drop", None), ("delay", None)])
def test_create_is_never_repeated_after_an_ambiguous_failure(kind: str, status: int | None) -> None:
    client, sandbox = make_client()
    sandbox.faults.inject(
        method="POST", path="/v2/droplets", kind=kind, status=status, delay=600.0, times=1, when="after"
    )
    with pytest.raises(droplets.DropletsError) as caught:
        client.droplets.create(name="web-1", **CREATE)
    assert "present(" in str(caught.value), "the error points to present() to reconcile"
    posts = [r for r in sandbox.requests if r[0] == "POST"]
    assert len(posts) == 1, "the create was sent exactly once"
    # The request landed: present() finds it instead of creating a twin.
    _, created = client.droplets.present(name="web-1", **CREATE)
    assert not created
    assert [d["name"] for d in sandbox.droplets()] == ["web-1"]


def test_create_is_retried_when_rate_limited() -> None:
    client, sandbox = make_client()
    sandbox.faults.inject(method="POST", path="/v2/droplets", kind="status", status=429, retry_after=2, times=2)
    droplet = client.droplets.create(name="web-1", **CREATE)
    assert droplet.name == "web-1"
    assert len(sandbox.droplets()) == 1
    assert client.retries_made == 2


def test_post_retried_only_when_it_never_reached_the_server() -> None:
    sent: list[str] = []

    class Refusing:
        def __init__(self, inner: Any) -> None:
            self.inner = inner
            self.failures = 2

        def send(self, request: droplets.Request) -> droplets.Response:
            sent.append(request.method)
            if self.failures:
                self.failures -= 1
                raise droplets.TransportError("could not connect", reached_server=False)
            return self.inner.send(request)

        def close(self) -> None:
            pass

    sandboxed = Client.sandbox()
    client = Client(token="t", transport=Refusing(sandboxed.transport), clock=sandboxed.clock)
    client.droplets.create(name="web-1", **CREATE)
    assert sent == ["POST", "POST", "POST"]


def test_action_post_not_repeated_after_5xx() -> None:
    client, sandbox = make_client()
    sandbox.seed_droplets(count=1)
    droplet = client.droplets.first()
    assert droplet is not None
    sandbox.faults.inject(
        method="POST", path=f"/v2/droplets/{droplet.id}/actions", kind="status", status=500, when="after"
    )
    with pytest.raises(droplets.ServerError) as caught:
        droplet.power_off()
    assert "droplet.actions()" in str(caught.value)
    assert len([a for a in droplet.actions() if a.type == "power_off"]) == 1


def test_delete_whose_answer_was_lost_counts_as_done() -> None:
    client, sandbox = make_client()
    sandbox.lifecycle.set(gone_after=0)  # the resent DELETE meets a 404 (not a droplet still going)
    sandbox.seed_droplets(count=1)
    droplet = client.droplets.first()
    assert droplet is not None
    sandbox.faults.inject(method="DELETE", path=f"/v2/droplets/{droplet.id}", kind="drop", when="after")
    droplet.destroy()
    assert sandbox.droplets() == []
    with pytest.raises(Droplet.DoesNotExist):
        droplet.refresh()


def test_policy_is_configurable() -> None:
    client = Client.sandbox()
    client.retry = RetryPolicy(attempts=1)
    client.transport.sandbox.faults.inject(method="GET", path="/v2/droplets", kind="status", status=503)  # type: ignore[attr-defined]
    with pytest.raises(droplets.ServerError):
        client.droplets.count()
    assert client.retries_made == 0
    with pytest.raises(ValueError):
        RetryPolicy(attempts=0)
