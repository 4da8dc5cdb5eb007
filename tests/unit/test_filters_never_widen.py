"""Filters never widen and never lie: what cannot be answered exactly is refused before any request.

Regressions of issue 11 item 1 (``filter(name=None).destroy()`` destroyed every
droplet) and issue 12 item 3 (``filter(tag=["web", "db"])`` sent the list's
repr and matched nothing).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest

from droplets import Action, Client, Image, Region, Size, SSHKey, ValidationError
from droplets.compat import DO, DOBOTOException
from tests.unit.conftest import requests_of


@pytest.fixture
def client(web_and_db: Client) -> Client:
    return web_and_db


def remaining(client: Client) -> int:
    return len(client.transport.sandbox.droplets())  # type: ignore[attr-defined]


EMPTY_VALUES = [None, "", "   ", [], (), set()]


@pytest.mark.parametrize("value", EMPTY_VALUES, ids=repr)
@pytest.mark.parametrize("lookup", ["name", "tag", "status", "region", "tag__in", "name__in"])
def test_an_empty_filter_value_is_refused_before_any_request(client: Client, lookup: str, value: Any) -> None:
    with pytest.raises(ValidationError):
        client.droplets.filter(**{lookup: value})
    with pytest.raises(ValidationError):
        client.droplets.exclude(**{lookup: value})
    with pytest.raises(ValidationError):
        client.droplets.get(**{lookup: value})
    with pytest.raises(ValidationError):
        client.droplets.filter(tag="web").filter(**{lookup: value})
    assert requests_of(client) == []


VERBS: dict[str, Callable[[Any], Any]] = {
    "destroy": lambda qs: qs.destroy(),
    "reboot": lambda qs: qs.reboot(),
    "power_off": lambda qs: qs.power_off(),
    "power_cycle": lambda qs: qs.power_cycle(),
    "shutdown": lambda qs: qs.shutdown(),
    "snapshot": lambda qs: qs.snapshot(),
    "enable_backups": lambda qs: qs.enable_backups(),
    "enable_private_networking": lambda qs: qs.enable_private_networking(),
}


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize(("lookup", "value"), [("name", None), ("name", ""), ("tag", None), ("tag", "")])
def test_a_bulk_verb_on_an_empty_filter_touches_nothing(client: Client, verb: str, lookup: str, value: Any) -> None:
    with pytest.raises(ValidationError):
        VERBS[verb](client.droplets.filter(**{lookup: value}))
    assert requests_of(client) == [] and remaining(client) == 5


def test_get_with_an_empty_id_never_falls_back_to_the_other_filters(client: Client) -> None:
    client.droplets.filter(tag="db").destroy()
    client.transport.sandbox.reset_log()  # type: ignore[attr-defined]
    for call in (
        lambda: client.droplets.get(id=None),
        lambda: client.droplets.filter(tag="web").get(id=None),
        lambda: client.droplets.get(None),
        lambda: client.droplets.get(name=None),
    ):
        with pytest.raises(ValidationError):
            call()
    assert requests_of(client) == []


@pytest.mark.parametrize(
    "manager",
    [
        lambda c: Region.objects.using(c),
        lambda c: Size.objects.using(c),
        lambda c: Image.objects.using(c),
        lambda c: SSHKey.objects.using(c),
        lambda c: Action.objects.using(c),
    ],
    ids=["Region", "Size", "Image", "SSHKey", "Action"],
)
def test_every_manager_refuses_empty_filters(client: Client, manager: Callable[[Client], Any]) -> None:
    objects = manager(client)
    field = "slug" if objects.model in (Region, Size, Image) else "id" if objects.model is Action else "name"
    for value in (None, "", []):
        for call in (objects.filter, objects.exclude, objects.get):
            with pytest.raises(ValidationError):
                call(**{field: value})
    assert requests_of(client) == []


def test_the_compat_facade_never_widens(client: Client) -> None:
    do = DO(client=client)
    for call in (
        lambda: do.droplet.destroy(id=None, tag_name=None),
        lambda: do.droplet.destroy(tag_name=""),
        lambda: do.droplet.power_off(tag_name=""),
        lambda: do.droplet.list(tag_name=""),
    ):
        with pytest.raises(DOBOTOException) as caught:  # the seed's one exception, caused by the refusal
            call()
        assert isinstance(caught.value.__cause__, ValidationError)
    assert remaining(client) == 5
    assert [m for m, _ in requests_of(client)] == []


# -- filters never lie --------------------------------------------------------------


def test_a_list_for_one_tag_is_refused_with_a_hint(client: Client) -> None:
    with pytest.raises(ValidationError, match=r"tag__in"):
        client.droplets.filter(tag=["web", "db"])
    assert requests_of(client) == []


def test_tag_in_is_a_union_of_server_lists_without_duplicates(client: Client) -> None:
    sandbox = client.transport.sandbox  # type: ignore[attr-defined]
    client.droplets.create("both", region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", tags=["web", "db"])
    client.droplets.create("neither", region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64")
    sandbox.reset_log()
    found = list(client.droplets.filter(tag__in=["web", "db", "web"]))
    assert len(found) == len({d.id for d in found}) == 6
    assert "neither" not in {d.name for d in found} and "both" in {d.name for d in found}
    queries = sorted(path for _, path in requests_of(client))
    assert queries == ["/v2/droplets?tag_name=db&per_page=200", "/v2/droplets?tag_name=web&per_page=200"]


def test_tags_gets_a_hint_and_tags_contains_works(client: Client) -> None:
    with pytest.raises(ValidationError, match=r"tag=.*tags__contains="):
        client.droplets.filter(tags="web")
    with pytest.raises(ValidationError, match=r"tag=.*tags__contains="):
        client.droplets.filter(tags=["web"])
    assert client.droplets.filter(tags__contains="web").count() == 3
    assert client.droplets.exclude(tags__contains="web").count() == 2


@pytest.mark.parametrize(
    ("lookups", "says"),
    [
        ({"tag__contains": "we"}, "tag takes tag=, tag__in="),
        ({"stauts": "off"}, "did you mean status="),
        ({"status__regex": "o.*"}, "unknown lookup"),
        ({"locked__gt": False}, "locked takes locked="),
        ({"region__contains": "nyc"}, "region takes region=, region__in="),
        ({"networks": "x"}, "not filterable"),
        ({"status": ["off", "active"]}, "status__in="),
        ({"status__in": "off"}, "takes a list"),
        ({"id": "123"}, "takes a number"),
        ({"memory__gte": "1024"}, "takes a number"),
        ({"locked": "yes"}, "True or False"),
        ({"created_at__gt": datetime(2020, 1, 1)}, "time zone"),
        ({"created_at__gt": "2020-01-01"}, "datetime"),
        ({"type": "gpu"}, "'droplets' or 'gpus'"),
        ({"tag": "web prod"}, "not a valid tag name"),
        ({"size": 3.5}, "Size or its slug"),
    ],
)
def test_a_lookup_that_cannot_be_answered_exactly_is_refused(
    client: Client, lookups: dict[str, Any], says: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        client.droplets.filter(**lookups)
    assert says in str(caught.value)
    assert requests_of(client) == []


def test_valid_lookups_still_answer(client: Client) -> None:
    since = datetime(2000, 1, 1, tzinfo=timezone.utc)
    assert client.droplets.filter(created_at__gt=since).count() == 5
    assert client.droplets.filter(id__in=[d.id for d in client.droplets.filter(tag="db")]).count() == 2
    assert client.droplets.filter(region__in=["nyc3", "ams3"], size="s-1vcpu-1gb").count() == 5
    assert client.droplets.filter(name__contains="db").count() == 2
    assert client.droplets.filter(tag__in=["db"], status="off").count() == 2


def test_name_matches_as_the_api_does_on_either_side(client: Client) -> None:
    name = client.droplets.filter(tag="web").first().name  # type: ignore[union-attr]
    upper = name.upper()
    server_side = list(client.droplets.filter(name=upper))
    client_side = list(client.droplets.filter(tag="web", name=upper))
    assert [d.name for d in server_side] == [d.name for d in client_side] == [name]


def test_image_type_and_private_are_answered_by_the_server_only(client: Client) -> None:
    images = Image.objects.using(client)
    for refused, says in (
        (lambda: images.exclude(private=True), "server"),
        (lambda: images.filter(private=True).filter(private=True), "server"),
        (lambda: images.filter(private=False), "public=True"),  # private=false lists every image
        (lambda: images.filter(type="snapshot"), "i.type == 'snapshot'"),  # the field's type is not the list's
        (lambda: images.filter(type="distribution").filter(type="application"), "server"),
        (lambda: images.exclude(type="distribution"), "server"),
    ):
        with pytest.raises(ValidationError, match=re.escape(says)):
            refused()
    assert requests_of(client) == []
    distributions = list(images.filter(type="distribution"))
    assert distributions and all(image.distribution for image in distributions)
    assert all(image.public is False for image in images.filter(private=True))


def test_queryset_delete_names_destroy(client: Client) -> None:
    qs = client.droplets.filter(tag="web")
    with pytest.raises(AttributeError, match=r"qs\.destroy\(\)"):
        qs.delete()  # type: ignore[attr-defined]
    assert not hasattr(qs, "delete") and remaining(client) == 5
    with pytest.raises(AttributeError, match="no attribute 'colour'"):
        qs.colour  # type: ignore[attr-defined]  # noqa: B018
