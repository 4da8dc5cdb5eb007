"""Careless input is refused with ValidationError before any request is sent."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

import droplets
from droplets import Droplet
from tests.reliability.hostile import client_for, droplet_bodies, dumps, raw

CREATE = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}


@pytest.fixture
def setup() -> tuple[droplets.Client, Droplet, list[Any]]:
    """A client on a fake API that answers everything, and one loaded droplet; the request log starts empty."""
    [body] = droplet_bodies(1)
    client, transport = client_for(lambda request: raw(200, dumps({"droplet": body})))
    droplet = client.droplets.get(id=body["id"])
    transport.requests.clear()
    return client, droplet, transport.requests


def _refused(sent: list[Any], call: Callable[[], Any]) -> str:
    with pytest.raises(droplets.ValidationError) as caught:
        call()
    assert sent == [], "a request was sent before the input was checked"
    return str(caught.value)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_or_infinite_poll_and_timeout_are_refused(setup: Any, bad: float) -> None:
    client, droplet, sent = setup
    _refused(sent, lambda: droplet.power_off(wait=True, poll=bad))
    _refused(sent, lambda: droplet.power_off(wait=True, timeout=bad))
    _refused(sent, lambda: client.droplets.create(name="web-9", wait=True, poll=bad, **CREATE))
    _refused(sent, lambda: client.droplets.filter(tag="web").reboot(wait=True, timeout=bad))


@pytest.mark.parametrize("bad", [math.nan, math.inf, 0, -1])
def test_a_client_timeout_must_be_positive_and_finite(bad: float) -> None:
    with pytest.raises(droplets.ValidationError):
        client_for(lambda request: raw(200), timeout=bad)


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\t"])
def test_a_name_or_tag_with_a_trailing_line_break_is_refused(setup: Any, ending: str) -> None:
    client, droplet, sent = setup
    _refused(sent, lambda: client.droplets.create(name=f"web-9{ending}", **CREATE))
    _refused(sent, lambda: client.droplets.create(name="web-9", tags=[f"web{ending}"], **CREATE))
    _refused(sent, lambda: droplet.rename(f"web-2{ending}"))


def test_a_bare_string_where_a_list_is_expected_is_refused(setup: Any) -> None:
    client, _, sent = setup
    message = _refused(sent, lambda: client.droplets.create(name="web-9", tags="web", **CREATE))
    assert "list" in message


@pytest.mark.parametrize("ident", ["\u00b2", "\u0663", "1\u00b2", " 1", "-1", "0", 0, -5, True, 1.0])
def test_an_id_that_is_not_a_positive_integer_is_refused(setup: Any, ident: Any) -> None:
    client, _, sent = setup
    _refused(sent, lambda: client.droplets.get(ident))
    _refused(sent, lambda: client.droplets.get(id=ident))
    with droplets.using(client):
        _refused(sent, lambda: Droplet.get(ident))


@pytest.mark.parametrize("image", [0, -1, True])
def test_create_checks_an_image_id_like_rebuild(setup: Any, image: Any) -> None:
    client, droplet, sent = setup
    options = dict(CREATE, image=image)
    created = _refused(sent, lambda: client.droplets.create(name="web-9", **options))
    rebuilt = _refused(sent, lambda: droplet.rebuild(image))
    assert "image" in created and "image" in rebuilt
