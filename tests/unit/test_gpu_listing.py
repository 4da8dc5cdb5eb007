"""GPU droplets: the API's default list leaves them out, ``all()`` does not (issue 12 item 2)."""

from __future__ import annotations

import pytest

from droplets import Client


@pytest.fixture
def client() -> Client:
    client = Client.sandbox()
    sandbox = client.transport.sandbox  # type: ignore[attr-defined]
    sandbox.seed_droplets(count=3, tag="web", region="nyc3")
    sandbox.seed_droplets(count=2, tag="ml", region="tor1", size="gpu-h100x1-80gb", image="gpu-h100x1-base")
    sandbox.reset_log()
    return client


def sent(client: Client) -> list[str]:
    return [path for _, path in client.transport.sandbox.requests]  # type: ignore[attr-defined]


def test_all_lists_every_droplet_gpu_droplets_included(client: Client) -> None:
    everything = list(client.droplets.all())
    assert len(everything) == 5
    assert sum(d.gpu_info is not None for d in everything) == 2
    assert sorted(sent(client)) == ["/v2/droplets?per_page=200", "/v2/droplets?type=gpus&per_page=200"]


def test_the_sandbox_default_list_leaves_gpu_droplets_out(client: Client) -> None:
    default = client.request("GET", "/v2/droplets")
    gpus = client.request("GET", "/v2/droplets", params={"type": "gpus"})
    assert {d["size_slug"] for d in default["droplets"]} == {"s-1vcpu-1gb"}
    assert {d["size_slug"] for d in gpus["droplets"]} == {"gpu-h100x1-80gb"}


def test_type_is_sent_to_the_server(client: Client) -> None:
    assert client.droplets.filter(type="gpus").count() == 2
    assert client.droplets.filter(type="droplets").count() == 3
    assert sent(client) == ["/v2/droplets?type=gpus&per_page=1", "/v2/droplets?type=droplets&per_page=1"]


def test_count_first_and_name_cover_both_lists(client: Client) -> None:
    assert client.droplets.count() == 5
    assert len(sent(client)) == 2
    gpu_name = client.droplets.filter(type="gpus").first().name  # type: ignore[union-attr]
    assert client.droplets.get(name=gpu_name).gpu_info is not None
    assert client.droplets.filter(name=gpu_name).exists()


def test_type_with_a_tag_is_checked_on_the_client(client: Client) -> None:
    assert client.droplets.filter(tag="ml", type="gpus").count() == 2
    assert client.droplets.filter(tag="ml", type="droplets").count() == 0
    assert client.droplets.exclude(type="gpus").count() == 3
    assert all("type=" not in path for path in sent(client)[:2])


def test_a_tag_list_and_destroy_by_tag_include_gpu_droplets(client: Client) -> None:
    assert client.droplets.filter(tag="ml").count() == 2
    client.droplets.filter(tag="ml").destroy(wait=True)
    assert client.droplets.filter(type="gpus").count() == 0
    assert client.droplets.count() == 3


def test_slices_read_the_gpu_list_only_when_they_reach_it(client: Client) -> None:
    first_two = client.droplets.all()[:2]
    assert len(first_two) == 2 and sent(client) == ["/v2/droplets?per_page=200"]
    client.transport.sandbox.reset_log()  # type: ignore[attr-defined]
    assert len(client.droplets.all()[:5]) == 5
    assert sent(client) == ["/v2/droplets?per_page=200", "/v2/droplets?type=gpus&per_page=200"]
