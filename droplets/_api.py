"""The only module that knows the wire: paths, query names and envelope keys.

Everything above works with plain JSON dicts handed out by these functions;
everything below (the client) only moves requests. Lists follow every page:
after the first page tells the total, the remaining pages are fetched by a
small bounded pool on the client's session and yielded in order; a page that
fails after the retry policy raises, it is never dropped.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import attrs

from droplets.client import Client
from droplets.errors import UnexpectedResponse

__all__ = ["ENDPOINTS", "Endpoint", "Page"]

MAX_PER_PAGE = 200


@attrs.frozen
class Endpoint:
    """Where a collection lives and how its envelopes are keyed."""

    path: str
    plural: str
    singular: str
    filters: Mapping[str, str] = attrs.field(factory=dict)
    """Queryset filter name -> query parameter the server filters on."""


ENDPOINTS: dict[str, Endpoint] = {
    "droplets": Endpoint("/v2/droplets", "droplets", "droplet", {"tag": "tag_name", "name": "name"}),
    "actions": Endpoint("/v2/actions", "actions", "action"),
    "regions": Endpoint("/v2/regions", "regions", "region"),
    "sizes": Endpoint("/v2/sizes", "sizes", "size"),
    "images": Endpoint("/v2/images", "images", "image", {"type": "type", "private": "private", "tag": "tag_name"}),
    "ssh_keys": Endpoint("/v2/account/keys", "ssh_keys", "ssh_key"),
}

_CREATE_HINT = (
    "The create may have taken effect even though the request failed, so it was not repeated: "
    "call Droplet.objects.present(name=...) (or present_many), which creates only the droplets "
    "that do not exist yet"
)
_ACTION_HINT = (
    "The action may have started even though the request failed, so it was not repeated: "
    "check droplet.actions() before sending it again"
)


def _expect(data: Any, key: str, kind: type, what: str) -> Any:
    if not isinstance(data, dict) or not isinstance(data.get(key), kind):
        raise UnexpectedResponse(
            f"{what}: expected a JSON object with {key!r} ({kind.__name__}), got {str(data)[:200]!r}",
            status=200,
            path=key,
        )
    return data[key]


@attrs.frozen
class Page:
    """One page of a list answer."""

    items: list[dict[str, Any]]
    total: int | None
    next_url: str | None


def _page(client: Client, data: Any, key: str, what: str) -> Page:
    items = _expect(data, key, list, what)
    meta = data.get("meta")
    total = meta.get("total") if isinstance(meta, dict) else None
    links = data.get("links")
    pages = links.get("pages") if isinstance(links, dict) else None
    next_link = pages.get("next") if isinstance(pages, dict) else None
    return Page(
        items=items,
        total=total if isinstance(total, int) else None,
        next_url=client.rebase(next_link) if isinstance(next_link, str) else None,
    )


def iterate(
    client: Client,
    path: str,
    key: str,
    params: Mapping[str, Any] | None = None,
    *,
    per_page: int = MAX_PER_PAGE,
) -> Iterator[dict[str, Any]]:
    """Yield every item of a paginated list, in order (see `iterate_pages()`)."""
    for items in iterate_pages(client, path, key, params, per_page=per_page):
        yield from items


def iterate_pages(
    client: Client,
    path: str,
    key: str,
    params: Mapping[str, Any] | None = None,
    *,
    per_page: int = MAX_PER_PAGE,
) -> Iterator[list[dict[str, Any]]]:
    """Yield the items of every page of a paginated list, page by page, in order.

    Args:
        client: The client to send through.
        path: The collection path.
        key: The envelope key holding the items.
        params: Server-side filters.
        per_page: Items per page (at most 200).
    """
    query = dict(params or {}, per_page=per_page)
    first = _page(client, client.request("GET", path, params=query), key, f"GET {path}")
    yield first.items
    if first.next_url is None:
        return
    pages = math.ceil(first.total / per_page) if first.total is not None else None
    if pages is None or client.page_workers == 1 or pages <= 2:
        yield from _follow(client, first.next_url, key, path)
        return
    yield from _fetch_concurrently(client, path, key, query, pages)


def _follow(client: Client, url: str | None, key: str, path: str) -> Iterator[list[dict[str, Any]]]:
    while url is not None:
        page = _page(client, client.request("GET", url), key, f"GET {path}")
        yield page.items
        url = page.next_url


def _fetch_concurrently(
    client: Client, path: str, key: str, query: dict[str, Any], pages: int
) -> Iterator[list[dict[str, Any]]]:
    """Fetch pages 2..pages with a bounded pool, yielding in page order."""

    def fetch(number: int) -> Page:
        data = client.request("GET", path, params=dict(query, page=number))
        return _page(client, data, key, f"GET {path} page {number}")

    workers = min(client.page_workers, pages - 1)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="droplets-page")
    futures: dict[int, Future[Page]] = {}
    last: Page | None = None
    try:
        number = 2
        for wanted in range(2, pages + 1):
            while number <= pages and len(futures) <= workers:  # bounded: parsed pages wait in memory
                futures[number] = pool.submit(fetch, number)
                number += 1
            last = futures.pop(wanted).result()
            yield last.items
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    if last is not None and last.next_url is not None:
        # The collection grew while we read it: finish the sequential way.
        yield from _follow(client, last.next_url, key, path)


def count(client: Client, path: str, key: str, params: Mapping[str, Any] | None = None) -> int:
    """Count a collection with one request, from ``meta.total``."""
    data = client.request("GET", path, params=dict(params or {}, per_page=1))
    page = _page(client, data, key, f"GET {path}")
    if page.total is None:
        return len(page.items) + sum(len(items) for items in _follow(client, page.next_url, key, path))
    return page.total


def first(client: Client, path: str, key: str, params: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """Return the first item of a collection with one small request."""
    data = client.request("GET", path, params=dict(params or {}, per_page=1))
    items = _page(client, data, key, f"GET {path}").items
    return items[0] if items else None


def get_one(client: Client, endpoint: Endpoint, ident: int | str) -> dict[str, Any]:
    """``GET {path}/{id}`` and unwrap the singular envelope."""
    path = f"{endpoint.path}/{ident}"
    return _expect(client.request("GET", path), endpoint.singular, dict, f"GET {path}")  # type: ignore[no-any-return]


# -- droplets ---------------------------------------------------------------------


def droplet_path(droplet_id: int) -> str:
    """The path of one droplet."""
    return f"/v2/droplets/{droplet_id}"


def create_droplets(client: Client, body: Mapping[str, Any]) -> tuple[list[dict[str, Any]], list[int]]:
    """``POST /v2/droplets`` (single ``name`` or multi ``names``).

    Returns:
        The droplets as answered (status "new") and the ids of their create actions.
    """
    data = client.request("POST", "/v2/droplets", json_body=body, ambiguous_hint=_CREATE_HINT)
    if "names" in body:
        created = _expect(data, "droplets", list, "POST /v2/droplets")
    else:
        created = [_expect(data, "droplet", dict, "POST /v2/droplets")]
    links = data.get("links") if isinstance(data, dict) else None
    raw_actions = links.get("actions", []) if isinstance(links, dict) else []
    action_ids = [link["id"] for link in raw_actions if isinstance(link, dict) and isinstance(link.get("id"), int)]
    return created, action_ids


def delete_droplet(client: Client, droplet_id: int) -> None:
    """``DELETE /v2/droplets/{id}``."""
    client.request("DELETE", droplet_path(droplet_id))


def delete_droplets_by_tag(client: Client, tag: str) -> None:
    """``DELETE /v2/droplets?tag_name=...``: every droplet with the tag."""
    client.request("DELETE", "/v2/droplets", params={"tag_name": tag})


def post_action(client: Client, droplet_id: int, body: Mapping[str, Any]) -> dict[str, Any]:
    """``POST /v2/droplets/{id}/actions``; returns the action."""
    path = f"{droplet_path(droplet_id)}/actions"
    data = client.request("POST", path, json_body=body, ambiguous_hint=_ACTION_HINT)
    return _expect(data, "action", dict, f"POST {path}")  # type: ignore[no-any-return]


def post_tag_action(client: Client, tag: str, body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``POST /v2/droplets/actions?tag_name=...``; returns one action per droplet."""
    data = client.request(
        "POST", "/v2/droplets/actions", params={"tag_name": tag}, json_body=body, ambiguous_hint=_ACTION_HINT
    )
    return _expect(data, "actions", list, "POST /v2/droplets/actions")  # type: ignore[no-any-return]


def droplet_action(client: Client, droplet_id: int, action_id: int) -> dict[str, Any]:
    """``GET /v2/droplets/{id}/actions/{action_id}``."""
    path = f"{droplet_path(droplet_id)}/actions/{action_id}"
    return _expect(client.request("GET", path), "action", dict, f"GET {path}")  # type: ignore[no-any-return]


DROPLET_LISTS: dict[str, str] = {
    "actions": "actions",
    "kernels": "kernels",
    "snapshots": "snapshots",
    "backups": "backups",
    "firewalls": "firewalls",
}


def droplet_list(client: Client, droplet_id: int, what: str) -> Iterator[dict[str, Any]]:
    """Every item of a droplet's sub-list (``actions``, ``kernels``, ``snapshots``, ``backups``, ``firewalls``)."""
    return iterate(client, f"{droplet_path(droplet_id)}/{what}", DROPLET_LISTS[what])


def neighbors(client: Client, droplet_id: int) -> list[dict[str, Any]]:
    """``GET /v2/droplets/{id}/neighbors`` (not paginated)."""
    path = f"{droplet_path(droplet_id)}/neighbors"
    return _expect(client.request("GET", path), "droplets", list, f"GET {path}")  # type: ignore[no-any-return]


def neighbor_ids(client: Client) -> list[list[int]]:
    """``GET /v2/reports/droplet_neighbors_ids``: one id list per shared server."""
    path = "/v2/reports/droplet_neighbors_ids"
    return _expect(client.request("GET", path), "neighbor_ids", list, f"GET {path}")  # type: ignore[no-any-return]


def recent_actions(client: Client, per_page: int = MAX_PER_PAGE) -> Page:
    """The first page of the account's actions, newest first (for bulk waits)."""
    data = client.request("GET", "/v2/actions", params={"per_page": per_page})
    return _page(client, data, "actions", "GET /v2/actions")


def get_action(client: Client, action_id: int) -> dict[str, Any]:
    """``GET /v2/actions/{id}``."""
    return get_one(client, ENDPOINTS["actions"], action_id)
