"""The clients under test, each as a user of that library would write it.

Every client has the same three entry points, called by
:mod:`benchmarks.worker` in a fresh process:

* ``setup(url)``: import the library and build a client (not timed);
* ``list_all(handle)``: every droplet of the account, materialised to a list;
* ``get_one(handle, droplet_id)``: one droplet by id.

The libraries are imported inside ``setup`` so that a worker loads only the
one it measures. The baseline, ``requests``, pages the way the API documents:
``per_page=200`` and ``links.pages.next`` until there is none, keeping
``response.json()["droplets"]``.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TOKEN = "benchmark-token"
PER_PAGE = 200


@dataclass(frozen=True)
class ClientKind:
    """One library as the benchmark drives it.

    Attributes:
        setup: Build a client handle for a base URL (imports happen here).
        list_all: Return every droplet as a list.
        get_one: Return one droplet by id.
    """

    setup: Callable[[str], Any]
    list_all: Callable[[Any], list[Any]]
    get_one: Callable[[Any, int], Any]


# -- plain requests (the baseline) ------------------------------------------------


@dataclass
class _Plain:
    session: Any
    url: str
    headers: dict[str, str]


def _requests_setup(url: str) -> _Plain:
    import requests

    return _Plain(requests.Session(), url, {"Authorization": f"Bearer {TOKEN}"})


def _requests_list(plain: _Plain) -> list[Any]:
    items: list[Any] = []
    url: str | None = f"{plain.url}/v2/droplets?per_page={PER_PAGE}"
    while url:
        response = plain.session.get(url, headers=plain.headers)
        response.raise_for_status()
        data = response.json()
        items.extend(data["droplets"])
        url = data.get("links", {}).get("pages", {}).get("next")
    return items


def _requests_get(plain: _Plain, droplet_id: int) -> Any:
    response = plain.session.get(f"{plain.url}/v2/droplets/{droplet_id}", headers=plain.headers)
    response.raise_for_status()
    return response.json()["droplet"]


# -- droplets ---------------------------------------------------------------------


def _droplets_setup(url: str) -> Any:
    import droplets

    return droplets.Client(token=TOKEN, base_url=url)


def _droplets_list(client: Any) -> list[Any]:
    return list(client.droplets.all())


def _droplets_get(client: Any, droplet_id: int) -> Any:
    return client.droplets.get(droplet_id)


# -- python-digitalocean ----------------------------------------------------------


def _pdo_setup(url: str) -> Any:
    # Its Action objects read the end point from the environment only; the
    # Manager takes it as ``end_point``. Set both, as its users must.
    os.environ["DIGITALOCEAN_END_POINT"] = f"{url}/v2/"
    import digitalocean

    return digitalocean.Manager(token=TOKEN, end_point=f"{url}/v2/")


def _pdo_list(manager: Any) -> list[Any]:
    return list(manager.get_all_droplets())


def _pdo_get(manager: Any, droplet_id: int) -> Any:
    return manager.get_droplet(droplet_id)


# -- pydo -------------------------------------------------------------------------


def _pydo_setup(url: str) -> Any:
    import pydo

    return pydo.Client(token=TOKEN, endpoint=url)


def _pydo_list(client: Any) -> list[Any]:
    # pydo's list answers one page; its users page with ``page=``. It sends a
    # bearer token over plain http only with ``enforce_https=False``.
    items: list[Any] = []
    page = 1
    while True:
        data = client.droplets.list(per_page=PER_PAGE, page=page, enforce_https=False)
        items.extend(data["droplets"])
        if not data.get("links", {}).get("pages", {}).get("next"):
            return items
        page += 1


def _pydo_get(client: Any, droplet_id: int) -> Any:
    return client.droplets.get(droplet_id=droplet_id, enforce_https=False)["droplet"]


CLIENTS: dict[str, ClientKind] = {
    "requests": ClientKind(_requests_setup, _requests_list, _requests_get),
    "droplets": ClientKind(_droplets_setup, _droplets_list, _droplets_get),
    "python-digitalocean": ClientKind(_pdo_setup, _pdo_list, _pdo_get),
    "pydo": ClientKind(_pydo_setup, _pydo_list, _pydo_get),
}


# -- bulk power-off and wait --------------------------------------------------------


def bulk_droplets(url: str, tag: str, poll: float) -> dict[str, Any]:
    """Power off every droplet tagged ``tag`` with droplets and wait for all.

    Returns:
        ``actions`` started and ``rounds``: poll rounds the wait made (counted
        from the ``progress`` callback, called for each pending action after
        every round).
    """
    import droplets

    client = droplets.Client(token=TOKEN, base_url=url)
    seen: Counter[int] = Counter()

    def progress(action: Any) -> None:
        seen[action.id] += 1

    actions = client.droplets.filter(tag=tag).power_off(wait=True, poll=poll, progress=progress)
    if any(action.status != "completed" for action in actions):
        raise RuntimeError("an action did not complete")
    return {"actions": len(actions), "rounds": max(seen.values(), default=0)}


def bulk_requests_naive(url: str, tag: str, poll: float) -> dict[str, Any]:
    """Power off by tag with plain requests, then poll every action by id each round.

    This is the loop most scripts write (and what python-digitalocean's
    ``Action.wait()`` does for one action), run over all actions.

    Returns:
        ``actions`` started and ``rounds`` of polling.
    """
    import requests

    session = requests.Session()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    response = session.post(
        f"{url}/v2/droplets/actions", params={"tag_name": tag}, json={"type": "power_off"}, headers=headers
    )
    response.raise_for_status()
    actions = response.json()["actions"]
    pending = {action["id"] for action in actions if action["status"] == "in-progress"}
    rounds = 0
    while pending:
        time.sleep(poll)
        rounds += 1
        for action_id in sorted(pending):
            answer = session.get(f"{url}/v2/actions/{action_id}", headers=headers)
            answer.raise_for_status()
            if answer.json()["action"]["status"] != "in-progress":
                pending.discard(action_id)
    return {"actions": len(actions), "rounds": rounds}


# -- ready and gone waits ---------------------------------------------------------------


class _RoundClock:
    """The real clock, counting the sleeps between poll rounds (each round sleeps once)."""

    def __init__(self) -> None:
        self.rounds = 0

    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.rounds += 1
            time.sleep(seconds)


def ready_droplets(url: str, tag: str, count: int, poll: float) -> dict[str, Any]:
    """Create ``count`` droplets tagged ``tag`` with ``create_many(..., wait="active")``.

    Returns:
        ``droplets`` created and ready (active with a public IPv4), and
        ``rounds``: the poll rounds of the wait (the client's sleeps).
    """
    import droplets

    clock = _RoundClock()
    client = droplets.Client(token=TOKEN, base_url=url, clock=clock)
    names = [f"{tag}-{number}" for number in range(1, count + 1)]
    created = client.droplets.create_many(
        names, region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", tags=[tag], wait="active", poll=poll
    )
    if not all(d.status == "active" and d.public_ipv4 for d in created):
        raise RuntimeError("a droplet is not ready")
    return {"droplets": len(created), "rounds": clock.rounds}


def gone_droplets(url: str, tag: str, count: int, poll: float) -> dict[str, Any]:
    """Destroy the ``count`` droplets tagged ``tag`` with one request and wait until none is shown.

    Nothing else is sent: the wait itself ends only when the tag count is 0
    (else it raises `droplets.WaitTimeout`).

    Returns:
        ``droplets`` destroyed and ``rounds`` of the wait.
    """
    import droplets

    clock = _RoundClock()
    client = droplets.Client(token=TOKEN, base_url=url, clock=clock)
    client.droplets.filter(tag=tag).destroy(wait=True, poll=poll)
    return {"droplets": count, "rounds": clock.rounds}


BULK: dict[str, Callable[[str, str, float], dict[str, Any]]] = {
    "droplets": bulk_droplets,
    "requests (naive loop)": bulk_requests_naive,
}
