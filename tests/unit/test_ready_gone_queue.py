"""Ready means usable, gone means gone, and actions queue instead of colliding (issue 13).

Every scenario runs on the sandbox with its realistic timings: addresses come
3 s after ``active``, SSH answers 20 s after boot, a destroyed droplet stays
visible 5 s, a locked droplet answers 422 "Droplet already has a pending event.".
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

import droplets
from droplets import Client, Droplet, Request, Response, WaitTimeout
from droplets.models.droplet_wait import ReadyProgress
from droplets.sandbox import Sandbox

CREATE = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}
REALISTIC = {"networks_after": 3, "ssh_after": 20, "gone_after": 5}


def sandbox_client(**timings: Any) -> Client:
    return Client.sandbox(lifecycle={**REALISTIC, **timings})


def sandbox_of(client: Client) -> Sandbox:
    return client.transport.sandbox  # type: ignore[attr-defined,no-any-return]


def sent(client: Client) -> list[tuple[str, str]]:
    return sandbox_of(client).requests


@pytest.fixture
def client() -> Iterator[Client]:
    client = sandbox_client()
    with droplets.using(client):
        yield client


# -- ready ------------------------------------------------------------------------------


def test_create_wait_returns_an_active_droplet_with_its_public_address(client: Client) -> None:
    d = Droplet.objects.create("web-1", **CREATE, wait=True)
    assert d.status == "active" and d.public_ipv4 is not None
    assert client.clock.monotonic() >= 33, "the create action takes 30 s and the address 3 s more"


def test_create_wait_ssh_waits_until_the_port_accepts(client: Client) -> None:
    d = Droplet.objects.create("web-1", **CREATE, wait="ssh")
    assert d.public_ipv4 is not None
    assert sandbox_of(client).probe(d.public_ipv4, 22)
    assert client.clock.monotonic() >= 50, "SSH answers 20 s after the boot at 30 s"


def test_public_networking_false_waits_for_the_private_address(client: Client) -> None:
    d = Droplet.objects.create("db-1", **CREATE, public_networking=False, wait="ssh")
    assert d.public_ipv4 is None and d.private_ipv4 is not None


def test_a_404_just_after_create_is_tolerated_while_the_droplet_appears() -> None:
    client = sandbox_client(appear_after=40)
    with droplets.using(client):
        d = Droplet.objects.create("web-1", **CREATE, wait=True)
    assert d.status == "active" and d.public_ipv4 is not None
    assert ("GET", f"/v2/droplets/{d.id}") in sent(client)


@pytest.mark.parametrize(
    ("timings", "wait", "stage", "says"),
    [
        ({}, True, "action", "still 'in-progress'"),
        ({"appear_after": 10_000}, True, "status", "not shown by the API yet"),
        ({"networks_after": 10_000}, True, "address", "has no public IPv4 address"),
        ({"ssh_after": 10_000}, "ssh", "port", "port 22 of droplet"),
    ],
)
def test_a_timeout_names_the_stage_not_reached(timings: dict[str, Any], wait: Any, stage: str, says: str) -> None:
    client = sandbox_client(**timings)
    if stage == "action":
        sandbox_of(client).progression.set("create", after_seconds=10_000)
    with droplets.using(client), pytest.raises(WaitTimeout) as caught:
        Droplet.objects.create("web-1", **CREATE, wait=wait, timeout=120)
    assert caught.value.stage == stage
    assert says in str(caught.value)
    assert client.clock.monotonic() <= 121, "one deadline covers every stage"


def test_one_deadline_covers_all_stages() -> None:
    client = sandbox_client(ssh_after=60)
    with droplets.using(client), pytest.raises(WaitTimeout) as caught:
        Droplet.objects.create("web-1", **CREATE, wait="ssh", timeout=80)  # 30 + 60 > 80
    assert caught.value.stage == "port"
    assert caught.value.droplets and caught.value.droplets[0].public_ipv4 is not None


def test_an_errored_create_raises_action_failed(client: Client) -> None:
    sandbox_of(client).progression.fail_next("create")
    with pytest.raises(droplets.ActionFailed):
        Droplet.objects.create("web-1", **CREATE, wait=True)


def test_create_many_with_a_tag_costs_one_request_per_round_for_the_api_part(client: Client) -> None:
    names = [f"web-{n}" for n in range(1, 13)]  # two create requests
    created = Droplet.objects.create_many(names, **CREATE, tags=["web"], wait="ssh", poll=5)
    assert all(d.status == "active" and d.public_ipv4 for d in created)
    polls = [(method, target) for method, target in sent(client) if method == "GET"]
    assert {target.split("?")[0] for _, target in polls} == {"/v2/actions", "/v2/droplets"}
    assert all("tag_name=web" in target for _, target in polls if target.startswith("/v2/droplets"))
    virtual_rounds = client.clock.monotonic() / 5
    assert len(polls) <= virtual_rounds + 1, "one API request per poll round"


def test_wait_ready_on_an_existing_droplet_and_its_progress(client: Client) -> None:
    d = Droplet.objects.create("web-1", **CREATE)
    seen: list[ReadyProgress] = []
    d.wait_ready(ssh=True, poll=5, progress=seen.append)
    assert d.status == "active" and d.public_ipv4
    assert seen[-1] == ReadyProgress(1, 1, "ready")
    assert {p.stage for p in seen} >= {"port", "ready"}


def test_wait_ready_on_another_port(client: Client) -> None:
    d = Droplet.objects.create("web-1", **CREATE, wait=True)
    with pytest.raises(WaitTimeout) as caught:
        d.wait_ready(ssh=True, port=2222, timeout=60)
    assert caught.value.stage == "port" and "port 2222" in str(caught.value)
    sandbox_of(client).lifecycle.set(open_ports=[22, 2222])
    assert d.wait_ready(ssh=True, port=2222) is d


def test_wait_ready_raises_when_the_droplet_was_destroyed(client: Client) -> None:
    d = Droplet.objects.create("web-1", **CREATE, wait=True)
    Droplet.get(d.id).destroy(wait=True)
    with pytest.raises(Droplet.DoesNotExist):
        d.wait_ready()


def test_manager_wait_ready_finds_the_create_actions_of_new_droplets(client: Client) -> None:
    created = Droplet.objects.create_many(["a-1", "a-2"], **CREATE, tags=["a"])
    sandbox_of(client).progression.fail_next("*")
    Droplet.objects.create("b-1", **CREATE)
    ready = Droplet.objects.wait_ready(created)
    assert [d.status for d in ready] == ["active", "active"]


@pytest.mark.parametrize("bad", [{"wait": "booted"}, {"wait": "ssh", "ssh_port": 0}, {"wait": True, "poll": 0.5}])
def test_bad_wait_arguments_are_refused_before_any_request(client: Client, bad: dict[str, Any]) -> None:
    with pytest.raises(droplets.ValidationError):
        Droplet.objects.create("web-1", **CREATE, **bad)
    assert sent(client) == []


# -- gone -------------------------------------------------------------------------------


def test_destroy_wait_returns_once_get_answers_404(client: Client) -> None:
    d = Droplet.objects.create("web-1", **CREATE, wait=True)
    sandbox_of(client).reset_log()
    d.destroy(wait=True, poll=1)
    log = sent(client)
    assert log[0] == ("DELETE", f"/v2/droplets/{d.id}")
    assert set(log[1:]) == {("GET", f"/v2/droplets/{d.id}")}
    assert len(log[1:]) == 5, "visible 5 s after the 204, polled every second"
    with pytest.raises(Droplet.DoesNotExist):
        Droplet.get(d.id)


def test_tag_destroy_wait_sends_one_request_per_round(client: Client) -> None:
    sandbox_of(client).seed_droplets(30, tag="web")
    sandbox_of(client).reset_log()
    Droplet.objects.filter(tag="web").destroy(wait=True, poll=1)
    log = sent(client)
    assert log[0] == ("DELETE", "/v2/droplets?tag_name=web")
    assert log[1:] == [("GET", "/v2/droplets?tag_name=web&per_page=1")] * 5
    assert Droplet.objects.filter(tag="web").count() == 0


def test_a_gone_timeout_names_its_stage() -> None:
    client = sandbox_client(gone_after=10_000)
    with droplets.using(client):
        d = Droplet.objects.create("web-1", **CREATE, wait=True)
        with pytest.raises(WaitTimeout) as caught:
            d.destroy(wait=True, timeout=30)
        assert caught.value.stage == "gone" and "still shown" in str(caught.value)
        with pytest.raises(WaitTimeout, match="tagged 'web'"):
            Droplet.objects.create("web-2", **CREATE, tags=["web"])
            Droplet.objects.filter(tag="web").destroy(wait=True, timeout=30)


def test_destroy_of_a_filtered_queryset_waits_for_each(client: Client) -> None:
    sandbox_of(client).seed_droplets(3, tag="web")
    seen: list[ReadyProgress] = []
    Droplet.objects.filter(tag="web", status="active").destroy(wait=True, progress=seen.append)
    assert seen[-1] == ReadyProgress(3, 3, "ready")
    assert Droplet.objects.filter(tag="web").count() == 0


# -- queue ------------------------------------------------------------------------------


def _posts(client: Client, droplet_id: int) -> list[tuple[str, str]]:
    return [r for r in sent(client) if r == ("POST", f"/v2/droplets/{droplet_id}/actions")]


def test_an_action_on_a_locked_droplet_waits_and_is_sent_exactly_twice(client: Client) -> None:
    d = Droplet.objects.create("web-1", **CREATE, wait=True)
    first = d.power_off()
    reboot = d.power_on(wait=True)
    assert reboot.type == "power_on" and reboot.status == "completed"
    assert first.refresh().status == "completed"
    assert len(_posts(client, d.id)) == 3, "power_off once, power_on twice (refused, then accepted)"
    assert d.status == "active"


def test_queue_false_raises_unprocessable_naming_the_pending_action(client: Client) -> None:
    d = Droplet.objects.create("web-1", **CREATE, wait=True)
    pending = d.power_off()
    with pytest.raises(droplets.Unprocessable) as caught:
        d.reboot(queue=False)
    text = str(caught.value)
    assert caught.value.status == 422 and caught.value.message == "Droplet already has a pending event."
    assert f"pending action is {pending.id} (power_off" in text
    assert "queue=True" in text and f"Action.get({pending.id}).wait()" in text
    assert len(_posts(client, d.id)) == 2


def test_the_queue_gives_up_at_the_timeout_without_sending_again(client: Client) -> None:
    d = Droplet.objects.create("web-1", **CREATE, wait=True)
    sandbox_of(client).progression.set("snapshot", after_seconds=10_000)
    snapshot = d.snapshot()
    with pytest.raises(WaitTimeout) as caught:
        d.reboot(timeout=60)
    assert caught.value.stage == "queue" and caught.value.action is not None
    assert caught.value.action.id == snapshot.id
    assert "'reboot' was not sent" in str(caught.value)
    assert len(_posts(client, d.id)) == 2


def test_a_422_that_is_not_a_lock_is_raised_at_once(client: Client) -> None:
    d = Droplet.objects.create("web-1", **CREATE, wait=True)
    sandbox_of(client).reset_log()
    with pytest.raises(droplets.Unprocessable, match="powered off"):
        d.resize("s-2vcpu-4gb")
    assert sent(client) == [("POST", f"/v2/droplets/{d.id}/actions")]


def test_queryset_actions_per_droplet_queue_the_same_way(client: Client) -> None:
    web = Droplet.objects.create_many(["w-1", "w-2"], **CREATE, tags=["web"], wait=True)
    for d in web:
        d.power_off()  # both locked now, still "active" until the action completes
    actions = Droplet.objects.filter(tag="web", status="active").reboot(wait=True)  # per droplet
    assert [a.status for a in actions] == ["completed", "completed"]
    assert len(_posts(client, web[0].id)) == 3, "power_off, then reboot refused once and sent again"
    assert len(_posts(client, web[1].id)) == 2, "its power_off ended while the first one waited"


# -- a real port check ------------------------------------------------------------------


class LoopbackDroplet:
    """A transport that answers one droplet whose public address is 127.0.0.1 (no ``probe``)."""

    def __init__(self, droplet: dict[str, Any]) -> None:
        self.droplet = droplet

    def send(self, request: Request) -> Response:
        path = urlsplit(request.url).path
        assert request.method == "GET" and path == f"/v2/droplets/{self.droplet['id']}", path
        body = json.dumps({"droplet": self.droplet}).encode()
        return Response(status=200, headers={"content-type": "application/json"}, body=body)

    def close(self) -> None:
        pass


@pytest.fixture
def loopback_droplet() -> dict[str, Any]:
    sandbox = Sandbox()
    sandbox.seed_droplets(1)
    data = sandbox.droplets()[0]
    data["networks"] = {
        "v4": [{"ip_address": "127.0.0.1", "netmask": "255.0.0.0", "gateway": "127.0.0.1", "type": "public"}],
        "v6": [],
    }
    return data


def test_the_port_check_opens_and_closes_a_real_connection(loopback_droplet: dict[str, Any]) -> None:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(10)
    port = listener.getsockname()[1]
    accepted: list[bytes] = []

    def serve() -> None:
        connection, _ = listener.accept()
        connection.settimeout(10)
        accepted.append(connection.recv(16))  # b"": the client closed without sending anything
        connection.close()

    server = threading.Thread(target=serve)
    server.start()
    try:
        client = Client(token="t", transport=LoopbackDroplet(loopback_droplet))
        d = client.droplets.get(id=loopback_droplet["id"])
        assert d.wait_ready(ssh=True, port=port, timeout=30) is d
        server.join(10)
    finally:
        listener.close()
    assert accepted == [b""], "one real connection, opened and closed, nothing sent"


def test_a_closed_real_port_times_out_at_the_port_stage(loopback_droplet: dict[str, Any]) -> None:
    spare = socket.socket()
    spare.bind(("127.0.0.1", 0))
    port = spare.getsockname()[1]
    spare.close()  # nothing listens there now: connections are refused
    client = Client(token="t", transport=LoopbackDroplet(loopback_droplet))
    d = client.droplets.get(id=loopback_droplet["id"])
    with pytest.raises(WaitTimeout) as caught:
        d.wait_ready(ssh=True, port=port, poll=1, timeout=1)
    assert caught.value.stage == "port" and "127.0.0.1" in str(caught.value)


def test_present_and_present_many_wait_for_the_droplets_that_already_exist(client: Client) -> None:
    earlier = Droplet.objects.create("web-1", **CREATE, tags=["web"])  # a previous run, not waited on
    d, created = Droplet.objects.present("web-1", **CREATE, tags=["web"], wait=True)
    assert not created and d.id == earlier.id
    assert d.status == "active" and d.public_ipv4 is not None
    Droplet.objects.create("web-2", **CREATE, tags=["web"])
    every, new = Droplet.objects.present_many(["web-1", "web-2", "web-3"], **CREATE, tags=["web"], wait="ssh")
    assert [x.name for x in new] == ["web-3"]
    assert all(x.status == "active" and x.public_ipv4 for x in every)
    assert all(sandbox_of(client).probe(x.public_ipv4 or "", 22) for x in every)
