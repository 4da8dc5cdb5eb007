"""The request functions: generic over the wire facts each model declares.

A model declares where its collection lives and how its envelopes are keyed
with an `Endpoint` beside its fields (``Droplet._endpoint``); the functions
here take that declaration and never name a resource. Everything above works
with plain JSON dicts handed out by these functions; everything below (the
client) only moves requests. Lists follow every page: after the first page
tells the total, the remaining pages are fetched by a small bounded pool on
the client's session and yielded in order; a page that fails after the retry
policy raises, it is never dropped. A server whose ``next`` links loop, or
that sends more pages than its ``meta.total`` can justify, gets
`UnexpectedResponse` (`PageGuard`), never an endless loop and never a
silently short list.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import attrs

from droplets._json import preview
from droplets.errors import UnexpectedResponse

if TYPE_CHECKING:
    from droplets.client import Client

__all__ = ["Endpoint", "Page"]

MAX_PER_PAGE = 200


@attrs.frozen
class Endpoint:
    """A model's wire facts: where its collection lives and how its envelopes are keyed.

    Attributes:
        path: The collection path, e.g. ``"/v2/droplets"``.
        plural: The envelope key of a list answer, e.g. ``"droplets"``.
        singular: The envelope key of a one-object answer, e.g. ``"droplet"``.
        filters: Queryset filter name -> query parameter the server filters on.
        exclusive: Sets of query parameters the server refuses together (the droplets
            list: ``tag_name`` with ``name``, ``tag_name`` with ``type``); a filter that
            would complete one is applied on the client.
        unions: Parameters whose ``__in`` lookup is answered as a union of one list per
            value, deduplicated by id (droplets: ``tag_name``).
        hidden: ``(parameter, value)`` lists that the default list leaves out (droplets:
            ``type=gpus``). A listing whose query can take that parameter and does not
            set it reads them too, so that ``all()`` is every object.
    """

    path: str
    plural: str
    singular: str
    filters: Mapping[str, str] = attrs.field(factory=dict)
    exclusive: tuple[frozenset[str], ...] = ()
    unions: frozenset[str] = frozenset()
    hidden: tuple[tuple[str, str], ...] = ()

    def item(self, ident: int | str) -> str:
        """The path of one object of the collection."""
        return f"{self.path}/{ident}"

    def allows(self, server: Mapping[str, Any], param: str) -> bool:
        """Whether ``param`` may be sent beside the query parameters already in ``server``."""
        sent = {param} | set(server)
        return not any(sent >= refused for refused in self.exclusive)


ACTION_HINT = (
    "The action may have started even though the request failed, so it was not repeated: "
    "check {}.actions() before sending it again"
)


def _expect(data: Any, key: str, kind: type, what: str) -> Any:
    if not isinstance(data, dict) or not isinstance(data.get(key), kind):
        raise UnexpectedResponse(
            f"{what}: expected a JSON object with {key!r} ({kind.__name__}), got {preview(data)}",
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


class PageGuard:
    """Stops a listing whose pages cannot be right: a repeated page link, or more pages than ``meta.total`` allows.

    The pages a total justifies are ``ceil(total / page size) + 1`` (one more
    for a collection that grew while it was read), with the page size taken
    from the first page and the largest total any page reported. Without any
    ``meta.total`` only repeated links are caught.
    """

    def __init__(self, path: str, first_url: str, first: Page, per_page: int) -> None:
        self.path = path
        self.pages = 1
        self.size = len(first.items) or per_page
        self.total = first.total
        self.seen = {first_url}

    def follow(self, url: str) -> None:
        """Check a ``next`` link before it is requested."""
        if url in self.seen:
            raise UnexpectedResponse(
                f"GET {self.path}: the API's pagination loops (the next page link {url!r} was already read); "
                "stopped rather than loop forever or return a partial list. Try again later",
                status=200,
                path="links.pages.next",
                url=url,
            )
        self.seen.add(url)

    def read(self, page: Page, url: str) -> None:
        """Count a page that was read; raise when the totals cannot justify it."""
        self.pages += 1
        if page.total is not None:
            self.total = page.total if self.total is None else max(self.total, page.total)
        if self.total is not None and self.pages > math.ceil(self.total / self.size) + 1:
            raise UnexpectedResponse(
                f"GET {self.path}: the API sent page {self.pages}, more than its meta.total of {self.total} "
                f"justifies at {self.size} per page; stopped rather than return a list it cannot vouch for. "
                "Try again later",
                status=200,
                path="meta.total",
                url=url,
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
    first_url = client.url(path, query)
    first = _page(client, client.request("GET", first_url), key, f"GET {path}")
    yield first.items
    if first.next_url is None:
        return
    guard = PageGuard(path, first_url, first, per_page)
    pages = math.ceil(first.total / per_page) if first.total is not None else None
    if pages is None or client.page_workers == 1 or pages <= 2:
        yield from _follow(client, first.next_url, key, path, guard)
        return
    yield from _fetch_concurrently(client, path, key, query, pages, guard)


def iterate_union(
    client: Client, path: str, key: str, queries: list[dict[str, Any]], *, prefetch: bool = True
) -> Iterator[list[dict[str, Any]]]:
    """Yield the pages of several lists of one collection as one list, each item once (by ``id``).

    With ``prefetch``, once the first list's first page has come (so a refused request is sent
    once), the first page of every later list is fetched while the first list is read: a full
    read of a union costs about the wall time of its longest list. Without it (for slices and
    ``first()``), a later list is requested only when the reader gets to it.
    """
    lists = [iterate_pages(client, path, key, query) for query in queries]
    first = next(lists[0], None)
    if len(lists) == 1:
        if first is not None:
            yield first
            yield from lists[0]
        return
    pool = ThreadPoolExecutor(max_workers=min(len(lists) - 1, max(client.page_workers, 1)))
    seen: set[Any] = set()
    try:
        heads = [pool.submit(next, pages, None) if prefetch else None for pages in lists[1:]]
        for index, (pages, head) in enumerate(zip(lists, [None, *heads], strict=True)):
            page = first if index == 0 else next(pages, None) if head is None else head.result()
            if page is None:
                continue
            for items in itertools.chain([page], pages):
                yield _unseen(items, seen)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _unseen(items: list[dict[str, Any]], seen: set[Any]) -> list[dict[str, Any]]:
    """The items whose id is not in ``seen`` (added to it); items without an id are kept for the converter."""
    fresh = []
    for item in items:
        ident = item.get("id") if isinstance(item, dict) else None
        if not isinstance(ident, (int, str)):
            fresh.append(item)
        elif ident not in seen:
            seen.add(ident)
            fresh.append(item)
    return fresh


def _follow(client: Client, url: str | None, key: str, path: str, guard: PageGuard) -> Iterator[list[dict[str, Any]]]:
    while url is not None:
        guard.follow(url)
        page = _page(client, client.request("GET", url), key, f"GET {path}")
        guard.read(page, url)
        yield page.items
        url = page.next_url


def _fetch_concurrently(
    client: Client, path: str, key: str, query: dict[str, Any], pages: int, guard: PageGuard
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
            guard.read(last, client.url(path, dict(query, page=wanted)))
            yield last.items
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    if last is not None and last.next_url is not None:
        # The collection grew while we read it: finish the sequential way.
        yield from _follow(client, last.next_url, key, path, guard)


def iterate_keyed(client: Client, path: str, key: str, *, per_page: int = MAX_PER_PAGE) -> Iterator[dict[str, Any]]:
    """Yield every item of a paginated answer whose envelope is an object keyed by id, not a list.

    ``GET /v2/droplets/backups/policies`` answers ``{"policies": {"<id>": {...}}, "links", "meta"}``.
    Pages are followed one after another; a next link seen before raises.
    """
    url: str | None = path
    params: dict[str, Any] | None = {"per_page": per_page}
    seen: set[str] = set()
    while url is not None:
        seen.add(url)
        data = client.request("GET", url, params=params)
        records = _expect(data, key, dict, f"GET {path}")
        page = _page(client, {**data, key: list(records.values())}, key, f"GET {path}")
        yield from page.items
        url, params = page.next_url, None
        if url in seen:
            raise UnexpectedResponse(f"GET {path}: the next-page link repeats {url!r}", status=200, path="links")


def count(client: Client, path: str, key: str, params: Mapping[str, Any] | None = None) -> int:
    """Count a collection with one request, from ``meta.total``."""
    first_url = client.url(path, dict(params or {}, per_page=1))
    page = _page(client, client.request("GET", first_url), key, f"GET {path}")
    if page.total is None:
        guard = PageGuard(path, first_url, page, 1)
        return len(page.items) + sum(len(items) for items in _follow(client, page.next_url, key, path, guard))
    return page.total


def first(client: Client, path: str, key: str, params: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """Return the first item of a collection with one small request."""
    data = client.request("GET", path, params=dict(params or {}, per_page=1))
    items = _page(client, data, key, f"GET {path}").items
    return items[0] if items else None


def get_one(client: Client, endpoint: Endpoint, ident: int | str) -> dict[str, Any]:
    """``GET {path}/{id}`` and unwrap the singular envelope."""
    path = endpoint.item(ident)
    return _expect(client.request("GET", path), endpoint.singular, dict, f"GET {path}")  # type: ignore[no-any-return]


def get(client: Client, path: str, key: str, kind: type = dict, params: Mapping[str, Any] | None = None) -> Any:
    """``GET path`` (not paginated) and unwrap the envelope ``key`` holding a ``kind``."""
    return _expect(client.request("GET", path, params=params), key, kind, f"GET {path}")


def create(
    client: Client, endpoint: Endpoint, body: Mapping[str, Any], *, many: bool = False, hint: str = ""
) -> tuple[list[dict[str, Any]], list[int]]:
    """``POST {path}``: create one object (or, with ``many``, several in one request).

    Args:
        client: The client to send through.
        endpoint: The collection.
        body: The JSON body.
        many: The answer holds the plural envelope (a multi-create).
        hint: What to tell the user if the request failed in a way that may have created.

    Returns:
        The objects as answered and the ids of the actions the answer links to.
    """
    data = client.request("POST", endpoint.path, json_body=body, ambiguous_hint=hint)
    what = f"POST {endpoint.path}"
    created = _expect(data, endpoint.plural, list, what) if many else [_expect(data, endpoint.singular, dict, what)]
    links = data.get("links") if isinstance(data, dict) else None
    raw_actions = links.get("actions", []) if isinstance(links, dict) else []
    action_ids = [link["id"] for link in raw_actions if isinstance(link, dict) and isinstance(link.get("id"), int)]
    return created, action_ids


def update(
    client: Client, endpoint: Endpoint, ident: int | str, body: Mapping[str, Any], *, method: str = "PUT"
) -> dict[str, Any]:
    """``PUT`` (or ``PATCH``) ``{path}/{id}`` and unwrap the singular envelope."""
    path = endpoint.item(ident)
    data = client.request(method, path, json_body=body)
    return _expect(data, endpoint.singular, dict, f"{method} {path}")  # type: ignore[no-any-return]


def delete(
    client: Client, endpoint: Endpoint, ident: int | str, sub: str = "", headers: Mapping[str, str] | None = None
) -> None:
    """``DELETE {path}/{id}`` (or ``{path}/{id}/{sub}``, e.g. ``.../dangerous`` with ``X-Dangerous: true``)."""
    path = endpoint.item(ident) + (f"/{sub}" if sub else "")
    client.request("DELETE", path, headers=headers)


def delete_where(client: Client, endpoint: Endpoint, params: Mapping[str, Any]) -> None:
    """``DELETE {path}?...``: every object the query parameters select (e.g. droplets by ``tag_name``)."""
    client.request("DELETE", endpoint.path, params=params)


def post_action(client: Client, endpoint: Endpoint, ident: int | str, body: Mapping[str, Any]) -> dict[str, Any]:
    """``POST {path}/{id}/actions``; returns the action."""
    path = f"{endpoint.item(ident)}/actions"
    data = client.request("POST", path, json_body=body, ambiguous_hint=ACTION_HINT.format(endpoint.singular))
    return _expect(data, "action", dict, f"POST {path}")  # type: ignore[no-any-return]


def post_actions_where(
    client: Client, endpoint: Endpoint, params: Mapping[str, Any], body: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """``POST {path}/actions?...`` (e.g. droplets by ``tag_name``); returns one action per object."""
    path = f"{endpoint.path}/actions"
    hint = ACTION_HINT.format(endpoint.singular)
    data = client.request("POST", path, params=params, json_body=body, ambiguous_hint=hint)
    return _expect(data, "actions", list, f"POST {path}")  # type: ignore[no-any-return]


def post_collection_action(client: Client, endpoint: Endpoint, body: Mapping[str, Any]) -> dict[str, Any]:
    """``POST {path}/actions``: one action on an object named in the body (e.g. a volume by name)."""
    path = f"{endpoint.path}/actions"
    data = client.request("POST", path, json_body=body, ambiguous_hint=ACTION_HINT.format(endpoint.singular))
    return _expect(data, "action", dict, f"POST {path}")  # type: ignore[no-any-return]


def send_sub(
    client: Client,
    endpoint: Endpoint,
    ident: int | str,
    sub: str,
    body: Mapping[str, Any],
    *,
    method: str = "POST",
    key: str | None = None,
    hint: str = "",
) -> Any:
    """``POST`` (or ``DELETE``, with a body) ``{path}/{id}/{sub}``.

    Returns:
        The envelope ``key`` of the answer (a dict), or None when no ``key`` is wanted (a 204).
    """
    path = f"{endpoint.item(ident)}/{sub}"
    data = client.request(method, path, json_body=body, ambiguous_hint=hint)
    return None if key is None else _expect(data, key, dict, f"{method} {path}")


def sub_item(client: Client, endpoint: Endpoint, ident: int | str, sub: str, key: str, kind: type = dict) -> Any:
    """``GET {path}/{id}/{sub}`` (not paginated) and unwrap the envelope ``key``."""
    return get(client, f"{endpoint.item(ident)}/{sub}", key, kind)


def sub_list(
    client: Client,
    endpoint: Endpoint,
    ident: int | str,
    sub: str,
    key: str | None = None,
    params: Mapping[str, Any] | None = None,
) -> Iterator[dict[str, Any]]:
    """Every item of an object's paginated sub-list ``{path}/{id}/{sub}`` (envelope ``key``, default ``sub``)."""
    return iterate(client, f"{endpoint.item(ident)}/{sub}", key or sub, params)


def recent(client: Client, endpoint: Endpoint, per_page: int = MAX_PER_PAGE) -> Page:
    """The first page of a collection (for actions: the newest, used by bulk waits)."""
    data = client.request("GET", endpoint.path, params={"per_page": per_page})
    return _page(client, data, endpoint.plural, f"GET {endpoint.path}")
