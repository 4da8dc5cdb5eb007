"""Property: a bulk verb touches exactly the droplets that ``list(qs)`` shows, never more.

Querysets are built at random from the public API (filters, excludes, chains,
server- and client-side lookups, unions by tag, GPU lists), on a fresh
in-process sandbox each time. Hostile values (``None``, ``""``, empty lists)
are drawn too: building such a queryset must raise `ValidationError` before
any request. Deterministic (``derandomize``), so CI sees the same examples.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from droplets import Action, Client, ValidationError
from droplets.models.droplet_query import DropletQuerySet

TAGS = ["web", "db", "ml", "both", "nope"]
NAMES = ["web-1", "WEB-2", "db-4", "ml-6", "solo-9", "missing"]
STATUSES = ["active", "off", "new", "archive"]
REGIONS = ["nyc3", "tor1", "ams3"]
HOSTILE: list[Any] = [None, "", " ", [], ()]

SERVER_LOOKUPS = st.one_of(
    st.builds(lambda t: {"tag": t}, st.sampled_from(TAGS)),
    st.builds(lambda ts: {"tag__in": ts}, st.lists(st.sampled_from(TAGS), min_size=1, max_size=3)),
    st.builds(lambda n: {"name": n}, st.sampled_from(NAMES)),
    st.builds(lambda k: {"type": k}, st.sampled_from(["droplets", "gpus"])),
)
CLIENT_LOOKUPS = st.one_of(
    st.builds(lambda s: {"status": s}, st.sampled_from(STATUSES)),
    st.builds(lambda ss: {"status__in": ss}, st.lists(st.sampled_from(STATUSES), min_size=1, max_size=2)),
    st.builds(lambda r: {"region": r}, st.sampled_from(REGIONS)),
    st.builds(lambda m: {"memory__gte": m}, st.sampled_from([512, 1024, 2048, 200_000])),
    st.builds(lambda t: {"tags__contains": t}, st.sampled_from(TAGS)),
    st.builds(lambda n: {"name__contains": n}, st.sampled_from(["web", "-", "1", "zzz"])),
    st.builds(lambda i: {"id__in": i}, st.lists(st.integers(1, 12), min_size=1, max_size=4)),
)
HOSTILE_LOOKUPS = st.builds(
    lambda key, value: {key: value},
    st.sampled_from(["tag", "name", "status", "tag__in", "region", "id__in"]),
    st.sampled_from(HOSTILE),
)
METHOD = st.sampled_from(["filter", "filter", "exclude"])
STEP = st.one_of(
    st.tuples(METHOD, st.one_of(SERVER_LOOKUPS, CLIENT_LOOKUPS), st.just(False)),
    st.tuples(METHOD, HOSTILE_LOOKUPS, st.just(True)),
)
VERBS = ["destroy", "power_off", "power_on", "shutdown", "reboot", "snapshot", "enable_private_networking"]


def account() -> Client:
    """Nine droplets: tagged web / db / ml (GPU) / both, one untagged, active and off."""
    client = Client.sandbox()
    sandbox = client.transport.sandbox  # type: ignore[attr-defined]
    sandbox.seed_droplets(count=3, tag="web", region="nyc3")
    sandbox.seed_droplets(count=2, tag="db", region="nyc3", status="off")
    sandbox.seed_droplets(count=2, tag="ml", region="tor1", size="gpu-h100x1-80gb", image="gpu-h100x1-base")
    sandbox.seed_droplets(count=1, tag="both", region="ams3", status="off")
    sandbox.seed_droplets(count=1, region="nyc3")
    sandbox.reset_log()
    return client


Step = tuple[str, dict[str, Any], bool]


def build(client: Client, steps: list[Step]) -> DropletQuerySet:
    qs = client.droplets.all()
    for method, lookups, _ in steps:
        qs = getattr(qs, method)(**lookups)
    return qs


def action_targets(client: Client, before: set[int]) -> set[int]:
    return {a.resource_id for a in Action.objects.using(client).all() if a.id not in before}


@settings(
    max_examples=300, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(steps=st.lists(STEP, min_size=0, max_size=4), verb=st.sampled_from(VERBS), data=st.data())
def test_a_bulk_verb_touches_exactly_what_the_queryset_lists(steps: list[Step], verb: str, data: st.DataObject) -> None:
    client = account()
    sandbox = client.transport.sandbox  # type: ignore[attr-defined]
    every = {d["id"] for d in sandbox.droplets()}
    if any(hostile for _, _, hostile in steps):
        with pytest.raises(ValidationError):
            getattr(build(client, steps), verb)()
        assert sandbox.requests == [] and {d["id"] for d in sandbox.droplets()} == every
        return
    qs = build(client, steps)
    shown = [d.id for d in qs.all()]
    assert len(shown) == len(set(shown)), "a droplet was listed twice"

    # Slices and indexes are windows of the same list, never of a wider one.
    start = data.draw(st.integers(0, 10), label="start")
    stop = data.draw(st.integers(0, 10), label="stop")
    assert [d.id for d in qs.all()[start:stop]] == shown[start:stop]
    if shown:
        assert qs.all()[len(shown) - 1].id == shown[-1]

    actions_before = {a.id for a in Action.objects.using(client).all()}
    if verb == "destroy":
        qs.all().destroy(wait=True)
        touched = every - {d["id"] for d in sandbox.droplets()}
    else:
        returned = getattr(qs.all(), verb)()
        assert {a.resource_id for a in returned} == set(shown)
        touched = action_targets(client, actions_before)
    assert touched == set(shown), f"{verb} on {steps} touched {sorted(touched)}, the queryset lists {sorted(shown)}"
