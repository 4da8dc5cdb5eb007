"""Querysets: lazy, clone-on-chain, filtered where the API can, complete lists."""

from __future__ import annotations

import pytest

import droplets
from droplets import Client, Droplet, Image, Region, ValidationError
from tests.unit.conftest import requests_of


@pytest.fixture
def client(web_and_db: Client) -> Client:
    return web_and_db


def test_nothing_is_sent_until_evaluated(client: Client) -> None:
    qs = client.droplets.filter(tag="web").exclude(status="off").filter(region="nyc3")
    assert requests_of(client) == []
    assert len(qs) == 3
    assert len(requests_of(client)) == 1
    list(qs)
    assert len(requests_of(client)) == 1, "results are cached once evaluated"


def test_chaining_clones(client: Client) -> None:
    base = client.droplets.all()
    narrowed = base.filter(tag="db")
    assert narrowed is not base
    assert len(base) == 5 and len(narrowed) == 2


def test_tag_and_name_go_to_the_server(client: Client) -> None:
    list(client.droplets.filter(tag="web"))
    name = client.droplets.first().name  # type: ignore[union-attr]
    client.transport.sandbox.reset_log()  # type: ignore[attr-defined]
    list(client.droplets.filter(name=name))
    list(client.droplets.filter(status="off"))
    paths = [path for _, path in requests_of(client)]
    assert "name=" + name in paths[0]
    assert "tag_name" not in paths[1] and "status" not in paths[1]


def test_tag_with_name_keeps_name_on_the_client(client: Client) -> None:
    name = client.droplets.filter(tag="web").first().name  # type: ignore[union-attr]
    client.transport.sandbox.reset_log()  # type: ignore[attr-defined]
    found = list(client.droplets.filter(tag="web", name=name))
    assert [d.name for d in found] == [name]
    (path,) = [p for _, p in requests_of(client)]
    assert "tag_name=web" in path and "name=" not in path.replace("tag_name", "")


def test_client_side_lookups(client: Client) -> None:
    assert client.droplets.filter(status="off").count() == 2
    assert client.droplets.filter(region="nyc3", status__in=["active"]).count() == 3
    assert client.droplets.filter(memory__gte=1024).count() == 5
    assert client.droplets.exclude(tag="web").count() == 2
    assert client.droplets.filter(tag="web").filter(tag="db").count() == 0


def test_unknown_field_names_the_valid_ones(client: Client) -> None:
    with pytest.raises(ValidationError) as caught:
        client.droplets.filter(colour="blue")
    assert "colour" in str(caught.value) and "status" in str(caught.value)
    with pytest.raises(ValidationError, match="lookup"):
        client.droplets.filter(status__regex="a.*")
    assert requests_of(client) == []


def test_count_with_server_filters_is_one_request(client: Client) -> None:
    assert client.droplets.filter(tag="web").count() == 3
    (path,) = [p for _, p in requests_of(client)]
    assert "per_page=1" in path


def test_first_exists_index_and_slices(client: Client) -> None:
    first = client.droplets.first()
    assert isinstance(first, Droplet)
    assert client.droplets.exists()
    assert not client.droplets.filter(tag="nope").exists()
    qs = client.droplets.all()
    assert qs[0].id == first.id
    assert [d.id for d in qs[1:3]] == [d.id for d in list(client.droplets.all())[1:3]]
    assert qs[-1].id == list(client.droplets.all())[-1].id
    with pytest.raises(IndexError):
        client.droplets.filter(tag="nope")[0]


def test_get_by_id_and_by_name(client: Client) -> None:
    some = client.droplets.first()
    assert some is not None
    client.transport.sandbox.reset_log()  # type: ignore[attr-defined]
    assert client.droplets.get(id=some.id).name == some.name
    assert requests_of(client) == [("GET", f"/v2/droplets/{some.id}")]
    assert client.droplets.get(name=some.name).id == some.id
    with pytest.raises(Droplet.DoesNotExist) as caught:
        client.droplets.get(id=999_999_999)
    assert isinstance(caught.value, droplets.NotFound) and caught.value.status == 404
    assert caught.value.request_id
    with pytest.raises(Droplet.MultipleObjectsReturned):
        client.droplets.get(tag="web")
    with pytest.raises(droplets.MultipleObjectsReturned):
        client.droplets.get(tag="web")


@pytest.mark.parametrize("bad", ["abc", -1, 0, 1.5, True, None])
def test_bad_ids_are_refused_before_any_request(client: Client, bad: object) -> None:
    with pytest.raises(ValidationError):
        client.droplets.get(id=bad) if bad is not None else client.droplets.get()
    assert requests_of(client) == []


def test_droplet_get_uses_the_default_client(client: Client) -> None:
    some = client.droplets.first()
    assert some is not None
    with droplets.using(client):
        assert Droplet.get(some.id).id == some.id
        with pytest.raises(ValidationError):
            Droplet.get("abc")  # type: ignore[arg-type]


def test_repr_is_bounded_to_twenty(client: Client) -> None:
    client.transport.sandbox.seed_droplets(count=30)  # type: ignore[attr-defined]
    text = repr(client.droplets.all())
    assert text.startswith("<DropletQuerySet [<Droplet ")
    assert text.count("<Droplet ") == 20
    assert "remaining elements truncated" in text


def test_large_lists_are_complete_and_in_order() -> None:
    client = Client.sandbox()
    client.transport.sandbox.seed_droplets(count=1050)  # type: ignore[attr-defined]
    ids = [d.id for d in client.droplets.all()]
    assert len(ids) == 1050 == len(set(ids))
    sequential = Client.sandbox()
    sequential.transport = client.transport
    sequential.page_workers = 1
    assert [d.id for d in sequential.droplets.all()] == ids


def test_catalog_managers(client: Client) -> None:
    assert isinstance(client.regions.get(slug="nyc3"), Region)
    image = client.images.get("ubuntu-24-04-x64")
    assert isinstance(image, Image) and image.slug == "ubuntu-24-04-x64"
    assert client.images.get(image.id).slug == image.slug
    assert all(i.type in ("base", "snapshot") for i in client.images.filter(type="distribution"))
    assert client.sizes.get(slug="s-2vcpu-4gb").vcpus == 2
    assert client.ssh_keys.count() >= 1
    with pytest.raises(Image.DoesNotExist):
        client.images.get("no-such-image")


def test_manager_is_class_only() -> None:
    client = Client.sandbox()
    client.transport.sandbox.seed_droplets(count=1)  # type: ignore[attr-defined]
    droplet = client.droplets.first()
    with pytest.raises(AttributeError, match="class only"):
        droplet.objects  # type: ignore[union-attr]  # noqa: B018


def test_a_full_read_pauses_the_collector_and_resumes_it(client: Client) -> None:
    """A full read builds acyclic objects only: the collector is off meanwhile and back on after, failure or not."""
    import gc

    seen: list[bool] = []
    real = client.transport.send

    def send(request: droplets.transport.Request) -> droplets.transport.Response:
        seen.append(gc.isenabled())
        return real(request)

    client.transport.send = send  # type: ignore[method-assign]
    assert gc.isenabled()
    assert len(list(client.droplets.all())) == 5
    assert seen and not any(seen), "the collector runs during the read"
    assert gc.isenabled(), "the collector is resumed after the read"

    def refuse(request: droplets.transport.Request) -> droplets.transport.Response:
        raise droplets.TransportError("refused", method=request.method, url=request.url, reached_server=False)

    client.transport.send = refuse  # type: ignore[method-assign]
    with pytest.raises(droplets.TransportError):
        list(client.droplets.filter(tag="web"))
    assert gc.isenabled(), "a failed read resumes the collector too"


def test_a_full_read_leaves_a_disabled_collector_disabled(client: Client) -> None:
    import gc

    gc.disable()
    try:
        assert len(list(client.droplets.all())) == 5
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_full_read_promotes_what_it_built_instead_of_scanning_it(client: Client) -> None:
    """The objects of a full read survive it: they leave the young generation without a collection pass."""
    import gc

    gc.collect()
    before = gc.get_stats()
    assert len(list(client.droplets.all())) == 5
    assert gc.get_count()[0] < 100, "the young generation still counts what the read built"
    assert gc.get_freeze_count() == 0, "nothing is left frozen"
    collections = [s["collections"] for s in gc.get_stats()]
    assert collections == [s["collections"] for s in before], "a collection pass ran at the end of the read"


def test_a_full_read_never_unfreezes_what_the_program_froze(client: Client) -> None:
    """A pre-fork server's ``gc.freeze()`` stays: the promotion is skipped then."""
    import gc

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert len(list(client.droplets.all())) == 5
        assert gc.get_freeze_count() > frozen // 2, "the program's frozen objects were unfrozen"
    finally:
        gc.unfreeze()
