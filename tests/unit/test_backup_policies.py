"""Backup policy requests: bodies as the spec's examples, the id-keyed listing followed across pages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from droplets import BackupPolicy, Client, Droplet, Request, Response, UnexpectedResponse
from droplets.retry import RetryPolicy
from tests.conftest import MockTransport, json_response, load_example

ACTION = {"id": 1, "status": "in-progress", "type": "enable_backups", "started_at": "2024-09-13T20:00:00Z",
          "completed_at": None, "resource_id": 3164444, "resource_type": "droplet", "region": None,
          "region_slug": None}  # fmt: skip


def _client(handler: Any) -> tuple[Client, MockTransport]:
    transport = MockTransport(handler)
    retry = RetryPolicy(attempts=1)
    return Client(token="t", base_url="https://api.digitalocean.com", transport=transport, retry=retry), transport


def _posted(transport: MockTransport) -> list[Any]:
    return [json.loads(r.body) for r in transport.requests if r.method == "POST"]


@pytest.mark.parametrize(
    ("call", "example"),
    [
        (
            lambda d: d.enable_backups(backup_policy={"plan": "daily", "hour": 20}),
            "droplet_actions_post_enable_backups_request.json",
        ),
        (
            lambda d: d.change_backup_policy(BackupPolicy(plan="weekly", weekday="SUN", hour=20)),
            "droplet_actions_post_change_backup_policy_request.json",
        ),
        (lambda d: d.disable_backups(), "droplet_actions_post_disable_backups_request.json"),
    ],
)
def test_action_bodies_are_the_specs_examples(call: Any, example: str) -> None:
    client, transport = _client(lambda request: json_response(201, {"action": ACTION}))
    call(Droplet.objects.using(client).ref(3164444))
    assert _posted(transport) == [load_example(example)]
    assert transport.requests[0].url.endswith("/v2/droplets/3164444/actions")


def test_a_policy_read_back_can_be_sent_again() -> None:
    client, transport = _client(lambda request: json_response(201, {"action": ACTION}))
    policy = BackupPolicy(plan="weekly", weekday="SUN", hour=20, window_length_hours=4, retention_period_days=28)
    Droplet.objects.using(client).ref(3164444).change_backup_policy(policy)
    assert _posted(transport)[0]["backup_policy"] == {"plan": "weekly", "weekday": "SUN", "hour": 20}


def test_the_policies_listing_follows_every_page() -> None:
    body = load_example("droplets_list_backup_policies_200.json")
    records = list(body["policies"].items())
    next_page = "https://api.digitalocean.com/v2/droplets/backups/policies?page=2"
    first = {"policies": dict(records[:2]), "meta": {"total": 3}, "links": {"pages": {"next": next_page}}}
    second = {"policies": dict(records[2:]), "meta": {"total": 3}, "links": {}}

    def handler(request: Request) -> Response:
        return json_response(200, second if request.url.endswith("?page=2") else first)

    client, transport = _client(handler)
    policies = Droplet.objects.using(client).backup_policies()
    assert policies == {
        436444618: None,
        444909314: BackupPolicy(plan="daily", hour=20, window_length_hours=4, retention_period_days=7),
        444909706: BackupPolicy(plan="weekly", weekday="SUN", hour=20, window_length_hours=4, retention_period_days=28),
    }
    assert len(transport.requests) == 2 and "per_page=200" in transport.requests[0].url


def test_a_looping_next_link_raises_instead_of_looping() -> None:
    looping = {
        "policies": {},
        "links": {"pages": {"next": "https://api.digitalocean.com/v2/droplets/backups/policies?page=2"}},
    }

    client, transport = _client(lambda request: json_response(200, looping))
    with pytest.raises(UnexpectedResponse, match="repeats"):
        Droplet.objects.using(client).backup_policies()
    assert len(transport.requests) == 2


def test_a_policies_answer_that_is_not_keyed_by_id_is_unexpected() -> None:
    client, _ = _client(lambda request: json_response(200, {"policies": [], "links": {}}))
    with pytest.raises(UnexpectedResponse, match="policies"):
        Droplet.objects.using(client).backup_policies()
