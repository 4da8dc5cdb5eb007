"""Actions and waiting: raise on failure, raise on timeout, never fail silently."""

from __future__ import annotations

import time

import pytest

import droplets
from droplets import Action, Client, Droplet, ValidationError


@pytest.fixture
def client() -> Client:
    return Client.sandbox()


@pytest.fixture
def droplet(client: Client) -> Droplet:
    client.transport.sandbox.seed_droplets(count=1, tag="web")  # type: ignore[attr-defined]
    found = client.droplets.first()
    assert found is not None
    return found


def sandbox_of(client: Client):  # type: ignore[no-untyped-def]
    return client.transport.sandbox  # type: ignore[attr-defined]


def test_power_off_wait_refreshes_and_costs_no_real_time(client: Client, droplet: Droplet) -> None:
    started_virtual = client.clock.monotonic()
    started_real = time.monotonic()
    action = droplet.power_off(wait=True)
    assert action.status == "completed" and action.type == "power_off"
    assert droplet.status == "off"
    assert client.clock.monotonic() - started_virtual >= 5, "virtual time passed while polling"
    assert time.monotonic() - started_real < 5
    droplet.power_on(wait=True)
    assert droplet.status == "active"


def test_without_wait_the_action_is_returned_in_progress(client: Client, droplet: Droplet) -> None:
    action = droplet.reboot()
    assert isinstance(action, Action) and action.status == "in-progress"
    assert droplet.refresh().locked
    with pytest.raises(droplets.Unprocessable, match=f"pending action is {action.id} \\(reboot"):
        droplet.power_off(queue=False)
    assert action.wait().status == "completed"
    assert not droplet.refresh().locked


def test_progress_is_called_after_every_poll(client: Client, droplet: Droplet) -> None:
    sandbox_of(client).progression.set("power_off", after_polls=3)
    seen: list[str] = []
    droplet.power_off(wait=True, poll=1, progress=lambda a: seen.append(a.status))
    assert seen == ["in-progress"] * 3 + ["completed"]  # seen in progress by 3 reads, then done


def test_errored_action_raises_action_failed_with_the_action(client: Client, droplet: Droplet) -> None:
    sandbox_of(client).progression.fail_next("power_off")
    with pytest.raises(droplets.ActionFailed) as caught:
        droplet.power_off(wait=True)
    assert caught.value.action.status == "errored"
    assert caught.value.action.type == "power_off"
    assert str(caught.value.action.id) in str(caught.value)


def test_timeout_raises_wait_timeout_and_allows_waiting_again(client: Client, droplet: Droplet) -> None:
    sandbox_of(client).progression.set("snapshot", after_seconds=600)
    with pytest.raises(droplets.WaitTimeout) as caught:
        droplet.snapshot(name="nightly", wait=True, timeout=60)
    action = caught.value.action
    assert action.status == "in-progress" and caught.value.timeout == 60
    assert action.wait(timeout=900).status == "completed"
    assert len(droplet.refresh().snapshot_ids) == 1


@pytest.mark.parametrize(("poll", "timeout"), [(0.5, 300), (0, 300), (5, 0), ("5", 300)])
def test_bad_wait_parameters_are_refused_before_any_request(
    client: Client, droplet: Droplet, poll: object, timeout: object
) -> None:
    sandbox_of(client).reset_log()
    with pytest.raises(ValidationError):
        droplet.power_off(wait=True, poll=poll, timeout=timeout)  # type: ignore[arg-type]
    assert sandbox_of(client).request_count == 0


def test_action_get_and_refresh(client: Client, droplet: Droplet) -> None:
    action = droplet.power_cycle()
    with droplets.using(client):
        loaded = Action.get(action.id)
    assert loaded.id == action.id and loaded.type == "power_cycle"
    assert droplet.action(action.id).id == action.id
    assert action.id in [a.id for a in droplet.actions()]
    with pytest.raises(Action.DoesNotExist):
        client.actions.get(id=123456789)


def test_bulk_wait_costs_one_request_per_round(client: Client) -> None:
    sandbox = sandbox_of(client)
    sandbox.seed_droplets(count=50, tag="fleet")
    sandbox.progression.set("power_off", after_polls=3)
    sandbox.reset_log()
    actions = client.droplets.filter(tag="fleet").power_off(wait=True)
    assert len(actions) == 50 and all(a.status == "completed" for a in actions)
    methods = [(m, p.split("?")[0]) for m, p in sandbox.requests]
    assert methods[0] == ("POST", "/v2/droplets/actions")
    polls = methods[1:]
    assert polls and all(p == ("GET", "/v2/actions") for p in polls)
    assert len(polls) == 4, "three rounds see the actions in progress, the fourth sees them done"
    assert all(d.status == "off" for d in client.droplets.filter(tag="fleet"))


def test_instance_action_bodies_are_validated(client: Client, droplet: Droplet) -> None:
    sandbox_of(client).reset_log()
    with pytest.raises(ValidationError, match="already has size"):
        droplet.resize(droplet.size_slug)
    with pytest.raises(ValidationError, match="hostname"):
        droplet.rename("not a hostname!")
    with pytest.raises(ValidationError, match="not a backup"):
        droplet.restore(12345)
    with pytest.raises(ValidationError):
        droplet.restore("ubuntu-24-04-x64")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        droplet.change_kernel("latest")  # type: ignore[arg-type]
    assert sandbox_of(client).request_count == 0


def test_resize_rename_and_rebuild_effects(client: Client, droplet: Droplet) -> None:
    droplet.power_off(wait=True)
    droplet.resize("s-2vcpu-4gb", disk=True, wait=True)
    assert droplet.size_slug == "s-2vcpu-4gb" and droplet.vcpus == 2
    droplet.rename("renamed-1", wait=True)
    assert droplet.name == "renamed-1"
    droplet.rebuild("ubuntu-24-04-x64", wait=True)
    assert droplet.image.slug == "ubuntu-24-04-x64"


def test_public_bulk_wait_and_queryset_reboot(client: Client) -> None:
    sandbox = sandbox_of(client)
    sandbox.seed_droplets(count=3, tag="api")
    actions = client.droplets.filter(tag="api").reboot()
    assert len(actions) == 3 and all(a.type == "reboot" for a in actions)
    sandbox.reset_log()
    droplets.wait_for(actions, poll=5)
    assert all(a.status == "completed" for a in actions)
    assert {path.split("?")[0] for _, path in sandbox.requests} == {"/v2/actions"}


def test_sandbox_ignores_a_bad_api_url_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGITALOCEAN_API_URL", "http://example.com")
    assert Client.sandbox().droplets.count() == 0


def test_create_many_with_wait_reloads_by_tag_in_one_listing(client: Client) -> None:
    sandbox = sandbox_of(client)
    names = [f"batch-{n}" for n in range(12)]
    sandbox.reset_log()
    created = client.droplets.create_many(
        names=names, region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", tags=["batch"], wait=True
    )
    assert [d.name for d in created] == names
    assert all(d.status == "active" and d.public_ipv4 for d in created)
    gets = [path for method, path in sandbox.requests if method == "GET" and path.startswith("/v2/droplets")]
    assert len(gets) == 1 and "tag_name=batch" in gets[0]
