"""Paginated list envelopes: ``meta.total`` and absolute ``links.pages`` URLs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from droplets.sandbox.request import Request

T = TypeVar("T")
Json = dict[str, Any]

MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 20


def paginate(
    req: Request,
    base_url: str,
    key: str,
    items: Sequence[T],
    render: Callable[[T], Any],
) -> Json:
    """Return one page of ``items`` in the API's list envelope.

    Args:
        req: The request (``page`` and ``per_page`` are read from it).
        base_url: Scheme and host of the absolute links.
        key: The plural envelope key (``droplets``).
        items: Every matching item, in order.
        render: Turns one item into its wire form (only the page's are rendered).

    Returns:
        ``{key: [...], "links": {...}, "meta": {"total": n}}``.

    Raises:
        ApiError: 400 for a bad ``page`` or ``per_page``.
    """
    per_page = req.query_int("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    page = req.query_int("page", 1, 1)
    total = len(items)
    start = (page - 1) * per_page
    body: Json = {key: [render(item) for item in items[start : start + per_page]]}
    body["links"] = page_links(req, base_url, page, per_page, total)
    body["meta"] = {"total": total}
    return body


def page_links(req: Request, base_url: str, page: int, per_page: int, total: int) -> Json:
    """Return the ``links`` object of a page: ``{}`` when there is one page.

    Args:
        req: The request; its other query parameters are kept in the links.
        base_url: Scheme and host of the absolute links.
        page: The current page.
        per_page: Items per page.
        total: Number of items in all pages.

    Returns:
        ``{"pages": {...}}`` with the links that make sense, or ``{}``.
    """
    last = max(1, -(-total // per_page))
    if last == 1 and page == 1:
        return {}
    others = [(k, v) for k, v in req.query.items() if k != "page"]

    def url(number: int) -> str:
        return f"{base_url}{req.path}?{urlencode([('page', str(number)), *others])}"

    pages: dict[str, str] = {}
    if page > 1:
        pages["first"] = url(1)
        pages["prev"] = url(min(page - 1, last))
    if page < last:
        pages["next"] = url(page + 1)
        pages["last"] = url(last)
    return {"pages": pages}
