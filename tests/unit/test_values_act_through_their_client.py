"""Images and snapshots act through the client they were read from, never silently through the default one.

`Image` is a value shared by every droplet of a listing that shows it
(interned): the sharing is per client, and each image is bound to its client
when it is made. Two sandbox clients, a third one installed as the default:
whatever came from the second sends to the second, and the others see no
request.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest

import droplets
from droplets import Action, Client, Droplet, Image, Snapshot
from droplets._converter import structure_wire
from tests.conftest import load_example


def _requests(client: Client) -> list[tuple[str, str]]:
    return list(client.transport.sandbox.requests)  # type: ignore[attr-defined]


@pytest.fixture
def clients() -> Iterator[tuple[Client, Client, Client]]:
    """(first, second, default): the default one is installed, the others only passed around."""
    first, second, default = Client.sandbox(), Client.sandbox(), Client.sandbox()
    for client in (first, second):
        d = client.droplets.create("web-1", region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", wait=True)
        d.snapshot(name="golden", wait=True)
    with droplets.using(default):
        yield first, second, default


def _own_image(client: Client) -> Image:
    (d,) = client.droplets.all()
    return client.images.get(d.snapshot_ids[0])


def test_an_image_from_the_second_client_acts_through_it(clients: tuple[Client, Client, Client]) -> None:
    first, second, default = clients
    image = _own_image(second)
    assert image.client is second
    before = (len(_requests(first)), len(_requests(default)))
    renamed = image.update(name="golden-2")
    assert renamed.name == "golden-2" and renamed.client is second
    action = image.transfer(region="ams3", wait=True)
    assert isinstance(action, Action) and action.status == "completed" and action.client is second
    assert [a.id for a in image.actions()] == [action.id]
    assert image.action(action.id).type == "transfer"
    image.destroy()
    sent = _requests(second)
    assert ("PUT", f"/v2/images/{image.id}") in sent and ("DELETE", f"/v2/images/{image.id}") in sent
    assert ("POST", f"/v2/images/{image.id}/actions") in sent
    assert (len(_requests(first)), len(_requests(default))) == before  # the others saw nothing


def test_the_image_of_a_droplet_listed_by_the_second_client_acts_through_it(
    clients: tuple[Client, Client, Client],
) -> None:
    first, second, default = clients
    (of_first,) = first.droplets.all()
    (of_second,) = second.droplets.all()
    # The same distribution image in both accounts: equal values, one instance per client.
    assert of_first.image == of_second.image and of_first.image is not of_second.image
    assert of_first.image.client is first and of_second.image.client is second
    (again,) = second.droplets.all()
    assert again.image is of_second.image  # still shared within one client's listings

    # Rebuilt from its snapshot, the droplet's image is the account's own: its verbs go to the second client.
    of_second.rebuild(of_second.snapshot_ids[0], wait=True)
    image = of_second.refresh().image
    assert image.id == of_second.snapshot_ids[0] and image.client is second
    before = (len(_requests(first)), len(_requests(default)))
    image.update(name="from-the-droplet")
    assert image.actions() == []
    assert ("PUT", f"/v2/images/{image.id}") in _requests(second)
    assert (len(_requests(first)), len(_requests(default))) == before


def test_the_default_client_is_used_only_for_images_read_without_one(clients: tuple[Client, Client, Client]) -> None:
    _, _, default = clients
    loose = structure_wire(load_example("droplets_get_200.json")["droplet"], Droplet)
    assert loose.image.client is default  # read without a client: the default one, as documented
    by_hand = structure_wire(load_example("images_get_200.json")["image"], Image)
    assert by_hand.client is default


def test_snapshots_act_through_the_client_of_their_droplet_or_volume(clients: tuple[Client, Client, Client]) -> None:
    first, second, default = clients
    (d,) = second.droplets.all()
    (snapshot,) = d.snapshots()
    volume = second.volumes.create(name="data", size_gigabytes=10, region="nyc3")
    nightly = volume.snapshot("nightly")
    (listed,) = volume.snapshots()
    assert {snapshot.client, nightly.client, listed.client} == {second}
    before = (len(_requests(first)), len(_requests(default)))
    snapshot.destroy()
    listed.destroy()
    sent = _requests(second)
    assert ("DELETE", f"/v2/snapshots/{snapshot.id}") in sent and ("DELETE", f"/v2/snapshots/{nightly.id}") in sent
    assert (len(_requests(first)), len(_requests(default))) == before
    assert second.snapshots.count() == 0 and first.snapshots.filter(resource_type="droplet").count() == 1


def test_threads_structuring_for_two_clients_keep_their_images_apart(clients: tuple[Client, Client, Client]) -> None:
    first, second, _ = clients
    page = [dict(load_example("droplets_get_200.json")["droplet"], id=i) for i in range(1, 201)]
    wrong: list[str] = []

    def structure_many(client: Client) -> None:
        try:
            for _ in range(40):
                for d in Droplet._from_wire_many(page, client):
                    if d.image.client is not client:
                        wrong.append(f"droplet {d.id} for {client!r} has the image of {d.image.client!r}")
                        return
        except Exception as error:  # a thread's exception would be lost: record it
            wrong.append(repr(error))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, inside the structuring of a page
    try:
        threads = [threading.Thread(target=structure_many, args=(c,)) for c in (first, second, first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert wrong == []


def test_a_snapshot_and_an_image_compare_and_hash_by_their_fields_only(clients: tuple[Client, Client, Client]) -> None:
    first, second, _ = clients
    a = first.images.get("ubuntu-24-04-x64")
    b = second.images.get("ubuntu-24-04-x64")
    assert a == b and hash(a) == hash(b) and repr(a) == repr(b) and a.to_dict() == b.to_dict()
    assert a.client is first and b.client is second
    assert isinstance(Snapshot.objects.using(second).first(), Snapshot)
