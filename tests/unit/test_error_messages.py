"""Error messages: DigitalOcean's words verbatim in .message, context and the next step in str()."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest

import droplets
from droplets import Client, Droplet, Request, Response
from tests.reliability.hostile import client_for, droplet_bodies, dumps, raw

NOT_FOUND = {"id": "not_found", "message": "The resource you requested could not be found.", "request_id": "rq-1"}


def _gone_after_load() -> tuple[Client, Droplet]:
    """A droplet loaded once; from then on the API answers 404 about it (it was destroyed elsewhere)."""
    [body] = droplet_bodies(1)
    answers = iter([raw(200, dumps({"droplet": body}))])

    def handler(request: Request) -> Response:
        return next(answers, None) or raw(404, dumps(NOT_FOUND))

    client, _ = client_for(handler)
    return client, client.droplets.get(id=body["id"])


def test_the_message_is_the_servers_and_str_adds_context_and_next_step() -> None:
    client, _ = client_for(lambda request: raw(404, dumps(NOT_FOUND)))
    with pytest.raises(Droplet.DoesNotExist) as caught:
        client.droplets.get(id=999)
    error = caught.value
    assert error.message == NOT_FOUND["message"]
    assert (error.status, error.id, error.request_id) == (404, "not_found", "rq-1")
    text = str(error)
    assert text.startswith("Droplet 999 does not exist: 404 not_found: The resource you requested could not be found.")
    assert "GET https://api.digitalocean.com/v2/droplets/999" in text and "rq-1" in text
    assert "Check the id" in text


VERBS: dict[str, Callable[[Droplet], Any]] = {
    "refresh": lambda d: d.refresh(),
    "reboot": lambda d: d.reboot(),
    "power_off": lambda d: d.power_off(),
    "rename": lambda d: d.rename("web-2"),
    "destroy": lambda d: d.destroy(),
    "kernels": lambda d: d.kernels(),
    "snapshots": lambda d: d.snapshots(),
    "actions": lambda d: d.actions(),
    "neighbors": lambda d: d.neighbors(),
}


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_a_404_about_a_named_droplet_is_its_does_not_exist(verb: str) -> None:
    _, droplet = _gone_after_load()
    with pytest.raises(Droplet.DoesNotExist) as caught:
        VERBS[verb](droplet)
    assert isinstance(caught.value, droplets.NotFound)
    assert caught.value.message == NOT_FOUND["message"]
    assert f"Droplet {droplet.id} does not exist" in str(caught.value)


def test_a_get_by_name_that_matches_nothing_has_no_http_wording() -> None:
    client, _ = client_for(lambda request: raw(200, dumps({"droplets": [], "meta": {"total": 0}, "links": {}})))
    with pytest.raises(Droplet.DoesNotExist) as caught:
        client.droplets.get(name="web-9")
    text = str(caught.value)
    assert text.startswith("no Droplet matches name='web-9'")
    assert "404" not in text and "not_found" not in text


def test_a_refused_connection_names_the_cause_the_url_and_the_setting() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = Client(token="t", base_url=f"http://127.0.0.1:{port}", retry=droplets.RetryPolicy(attempts=1))
    with pytest.raises(droplets.TransportError) as caught:
        client.droplets.count()
    text = str(caught.value)
    assert "refused" in text and f"http://127.0.0.1:{port}/v2/droplets" in text and "DIGITALOCEAN_API_URL" in text
    assert caught.value.reached_server is False


def test_a_sandbox_client_says_sandbox_in_its_repr_and_error_urls() -> None:
    client = Client.sandbox()
    assert "sandbox" in repr(client)
    with pytest.raises(Droplet.DoesNotExist) as caught:
        client.droplets.get(id=999_999)
    assert "sandbox" in caught.value.url and "sandbox" in str(caught.value)
    assert "api.digitalocean.com" not in str(caught.value)
