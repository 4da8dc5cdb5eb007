"""A hostile fake API: redirects, bodies nested 100,000 deep. Nothing counts as success, nothing escapes untyped."""

from __future__ import annotations

import json

import pytest

import droplets
from droplets import Request, Response
from tests.reliability.hostile import client_for, droplet_bodies, dumps, nested, raw

REDIRECTS = [301, 302, 303, 307, 308]
ELSEWHERE = "https://evil.example/v2/droplets"


def _redirecting(status: int, method: str) -> tuple[droplets.Client, list[Request]]:
    [body] = droplet_bodies(1)

    def handler(request: Request) -> Response:
        if request.method == method:
            return raw(status, headers={"location": ELSEWHERE})
        return raw(200, dumps({"droplet": body}))

    client, transport = client_for(handler)
    return client, transport.requests


@pytest.mark.parametrize("status", REDIRECTS)
def test_destroy_answered_by_a_redirect_is_not_a_success(status: int) -> None:
    client, sent = _redirecting(status, "DELETE")
    droplet = client.droplets.get(id=1)
    with pytest.raises(droplets.UnexpectedResponse) as caught:
        droplet.destroy()
    assert caught.value.status == status
    assert ELSEWHERE in str(caught.value)
    assert [r.method for r in sent] == ["GET", "DELETE"]  # never repeated, never followed
    assert all(r.url.startswith("https://api.digitalocean.com/") for r in sent)


@pytest.mark.parametrize("status", REDIRECTS)
def test_destroy_by_tag_answered_by_a_redirect_is_not_a_success(status: int) -> None:
    client, sent = _redirecting(status, "DELETE")
    with pytest.raises(droplets.UnexpectedResponse) as caught:
        client.droplets.filter(tag="web").destroy()
    assert "never redirects" in str(caught.value)
    assert not any(r.url.startswith("https://evil.example") for r in sent)


@pytest.mark.parametrize("status", [300, 301, 304, 307])
def test_a_read_or_an_action_answered_by_a_redirect_raises(status: int) -> None:
    client, _ = _redirecting(status, "POST")
    droplet = client.droplets.get(id=1)
    with pytest.raises(droplets.UnexpectedResponse) as caught:
        droplet.reboot()
    assert caught.value.status == status and ELSEWHERE in str(caught.value)
    get_client, get_sent = _redirecting(status, "GET")
    with pytest.raises(droplets.UnexpectedResponse) as caught:
        get_client.droplets.get(id=1)
    assert caught.value.status == status and ELSEWHERE in str(caught.value)
    assert len(get_sent) == 1  # a redirect is final: not retried


@pytest.mark.parametrize("depth", [100_000, 5_000, 990])
@pytest.mark.parametrize("decoder", ["default", "stdlib"])
def test_a_body_nested_too_deep_is_an_unexpected_response(
    depth: int, decoder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if decoder == "stdlib":  # what a user without orjson runs
        monkeypatch.setattr("droplets.client.loads", json.loads)
        monkeypatch.setattr("droplets.errors.loads", json.loads)
    success, _ = client_for(lambda request: raw(200, nested(depth)))
    with pytest.raises(droplets.UnexpectedResponse):
        success.droplets.get(id=1)
    for status in (404, 422, 500):
        failing, _ = client_for(lambda request, status=status: raw(status, nested(depth)))
        with pytest.raises(droplets.UnexpectedResponse) as caught:
            failing.droplets.get(id=1)
        assert caught.value.status == status


def test_a_listing_item_nested_too_deep_names_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("droplets.client.loads", json.loads)
    body = b'{"droplets": [' + b"[" * 990 + b"]" * 990 + b'], "meta": {"total": 1}, "links": {}}'
    client, _ = client_for(lambda request: raw(200, body))
    with pytest.raises(droplets.UnexpectedResponse):
        list(client.droplets.all())
