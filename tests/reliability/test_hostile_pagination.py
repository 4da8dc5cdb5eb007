"""A hostile fake API's pagination: loops and endless pages raise, they never hang or shorten a list."""

from __future__ import annotations

import itertools
from urllib.parse import parse_qs, urlsplit

import pytest

import droplets
from droplets import Request, Response
from tests.reliability.hostile import client_for, droplet_bodies, page

BASE = "https://api.digitalocean.com/v2/droplets"


def _number(request: Request) -> int:
    return int(parse_qs(urlsplit(request.url).query).get("page", ["1"])[0])


@pytest.mark.parametrize("workers", [1, 6])
def test_a_next_link_to_the_same_page_raises_instead_of_looping(workers: int) -> None:
    bodies = droplet_bodies(2)
    client, transport = client_for(lambda request: page(bodies, 4, f"{BASE}?page=2&per_page=200"), page_workers=workers)
    with pytest.raises(droplets.UnexpectedResponse) as caught:
        list(client.droplets.all())
    assert "pagination" in str(caught.value) or "meta.total" in str(caught.value)
    assert len(transport.requests) < 10


def test_a_cycle_between_two_pages_without_meta_raises() -> None:
    bodies = droplet_bodies(2)

    def handler(request: Request) -> Response:
        following = 2 if _number(request) == 1 else 1
        return page(bodies[:1], None, f"{BASE}?page={following}&per_page=200")

    client, transport = client_for(handler)
    with pytest.raises(droplets.UnexpectedResponse) as caught:
        list(client.droplets.filter(type="droplets"))  # one list (all() also reads the GPU list)
    assert "loops" in str(caught.value)
    assert len(transport.requests) <= 3


@pytest.mark.parametrize("workers", [1, 6])
def test_endless_fresh_pages_stop_where_meta_total_cannot_justify_them(workers: int) -> None:
    bodies = droplet_bodies(3)
    counter = itertools.count(2)

    def handler(request: Request) -> Response:
        # Every page claims a next page with a new URL and a total of 3 droplets, one per page.
        return page(bodies[:1], 3, f"{BASE}?page={next(counter)}&per_page=1&n={len(transport.requests)}")

    client, transport = client_for(handler, page_workers=workers)
    with pytest.raises(droplets.UnexpectedResponse) as caught:
        list(client.droplets.all())
    assert "meta.total" in str(caught.value)
    assert len(transport.requests) <= 6


def test_count_without_meta_stops_a_loop() -> None:
    bodies = droplet_bodies(1)
    client, _ = client_for(lambda request: page(bodies, None, f"{BASE}?page=2&per_page=1"))
    with pytest.raises(droplets.UnexpectedResponse):
        client.droplets.count()


def test_a_collection_that_grows_while_read_is_still_listed_whole() -> None:
    bodies = droplet_bodies(5)

    def handler(request: Request) -> Response:
        number = _number(request)
        total = 4 if number == 1 else 5  # one droplet appeared after the first page
        items = bodies[(number - 1) * 2 : number * 2]
        following = f"{BASE}?page={number + 1}&per_page=2" if number * 2 < total else None
        return page(items, total, following)

    client, _ = client_for(handler, page_workers=1)
    assert [d.id for d in client.droplets.all()] == [b["id"] for b in bodies]
