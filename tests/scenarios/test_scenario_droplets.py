"""Users' scenarios on droplets: list, filter, get, create, destroy, backups, actions.

Each runs on the sandbox and on the cassettes (see conftest.py).
"""

from __future__ import annotations

import pytest
from scenario_world import Sent, World

from droplets import Action, Droplet, Snapshot

CREATE_OPTIONS = {
    # The spec's explicit create request example, as keyword arguments.
    "region": "nyc3",
    "size": "s-1vcpu-1gb",
    "image": "ubuntu-20-04-x64",
    "ssh_keys": [289794, "3b:16:e4:bf:8b:00:8b:b8:59:8c:a9:d3:f0:19:fa:45"],
    "backups": True,
    "ipv6": True,
    "monitoring": True,
    "tags": ["env:prod", "web"],
    "user_data": "#cloud-config\nruncmd:\n  - touch /test.txt\n",
    "vpc_uuid": "760e09ef-dc84-11e8-981e-3cfdfeaae000",
}


@pytest.mark.read_only
@pytest.mark.cassette("droplets_list_and_filter")
def test_list_all_then_filter_by_tag_and_status(world: World) -> None:
    everything = list(Droplet.objects.all())
    assert everything and all(isinstance(d, Droplet) for d in everything)
    gpus = [d for d in everything if d.gpu_info is not None]
    assert gpus, "all() includes the GPU droplets that the API's default list leaves out"

    tag = world.facts.tag
    tagged = list(Droplet.objects.filter(tag=tag))
    assert tagged and all(tag in d.tags for d in tagged)
    assert {d.id for d in tagged} < {d.id for d in everything}

    active = list(Droplet.objects.filter(status="active"))
    assert [d.id for d in active] == [d.id for d in everything if d.status == "active"]

    lists = [s for s in world.sent() if s.path == "/v2/droplets"]
    assert [s.query for s in lists] == [
        {"per_page": "200"},
        {"type": "gpus", "per_page": "200"},  # all() is the default list and the GPU list
        {"tag_name": tag, "per_page": "200"},  # the tag filter is the server's
        {"per_page": "200"},  # the status filter is applied by the client
        {"type": "gpus", "per_page": "200"},
    ]


@pytest.mark.read_only
@pytest.mark.cassette("droplets_by_type")
def test_gpu_and_plain_droplets_by_type(world: World) -> None:
    gpus = list(Droplet.objects.filter(type="gpus"))
    assert gpus and all(d.gpu_info is not None and d.size.gpu_info is not None for d in gpus)
    plain = list(Droplet.objects.filter(type="droplets"))
    assert plain and all(d.gpu_info is None for d in plain)
    assert world.sent() == [
        Sent("GET", "/v2/droplets", {"type": "gpus", "per_page": "200"}),  # the server filters by type
        Sent("GET", "/v2/droplets", {"type": "droplets", "per_page": "200"}),
    ]


@pytest.mark.read_only
@pytest.mark.cassette("droplet_get")
def test_get_by_id_and_missing_id(world: World) -> None:
    droplet = Droplet.get(world.facts.droplet_id)
    assert droplet.id == world.facts.droplet_id
    assert droplet.status == "active" and droplet.region.slug == "nyc3"
    assert droplet.public_ipv4 is not None and droplet.created_at.tzinfo is not None

    with pytest.raises(Droplet.DoesNotExist) as caught:
        Droplet.get(world.facts.missing_id)
    error = caught.value
    assert error.status == 404 and error.id == "not_found"
    assert error.request_id
    text = str(error)
    assert str(world.facts.missing_id) in text and error.request_id in text and world.token not in text


@pytest.mark.cassette("droplet_create")
def test_create_one_without_waiting(world: World) -> None:
    droplet = Droplet.objects.create(name="example.com", wait=False, **CREATE_OPTIONS)
    assert droplet.status == "new" and droplet.name == "example.com"
    assert set(droplet.tags) == {"env:prod", "web"}
    assert {"backups", "ipv6", "monitoring"} <= set(droplet.features)
    assert [(s.method, s.path) for s in world.sent()] == [("POST", "/v2/droplets")]


@pytest.mark.cassette("droplet_create_many")
def test_create_many_without_waiting(world: World) -> None:
    names = ["sub-01.example.com", "sub-02.example.com"]
    created = Droplet.objects.create_many(names=names, wait=False, **CREATE_OPTIONS)
    assert [d.name for d in created] == names
    assert {d.status for d in created} == {"new"}
    assert len({d.id for d in created}) == 2
    assert [(s.method, s.path) for s in world.sent()] == [("POST", "/v2/droplets")]


@pytest.mark.cassette("droplet_destroy")
def test_destroy_by_id(world: World) -> None:
    droplet = Droplet.get(world.facts.droplet_id)
    droplet.destroy()
    if world.sandbox is not None:
        world.sandbox.clock.advance(5)  # a destroyed droplet stays visible a moment
    with pytest.raises(Droplet.DoesNotExist):
        Droplet.get(world.facts.droplet_id)
    assert [(s.method, s.path) for s in world.sent()][1] == ("DELETE", f"/v2/droplets/{world.facts.droplet_id}")


@pytest.mark.cassette("droplets_destroy_by_tag")
def test_destroy_by_tag(world: World) -> None:
    Droplet.objects.filter(tag=world.facts.tag).destroy()
    assert world.sent() == [Sent("DELETE", "/v2/droplets", {"tag_name": world.facts.tag})]
    if world.sandbox is not None:
        world.sandbox.clock.advance(5)  # a destroyed droplet stays visible a moment
        assert Droplet.objects.filter(tag=world.facts.tag).count() == 0
        assert Droplet.objects.count() == 2  # stage and the GPU droplet


@pytest.mark.read_only
@pytest.mark.cassette("droplet_backups_and_snapshots")
def test_backups_and_snapshots_are_snapshots(world: World) -> None:
    droplet = Droplet.get(world.facts.droplet_id)
    backups = droplet.backups()
    snapshots = droplet.snapshots()
    assert backups and all(isinstance(i, Snapshot) and i.type == "backup" for i in backups)
    assert snapshots and all(isinstance(i, Snapshot) and i.type == "snapshot" for i in snapshots)
    assert all(i.created_at.tzinfo is not None and i.regions and i.size_gigabytes > 0 for i in backups + snapshots)
    if world.kind == "sandbox":  # the spec's examples are independent of each other
        assert {i.id for i in backups} <= set(droplet.backup_ids)


@pytest.mark.read_only
@pytest.mark.cassette("droplet_actions_list")
def test_actions_of_a_droplet(world: World) -> None:
    droplet = Droplet.get(world.facts.droplet_id)
    actions = droplet.actions()
    assert actions and all(isinstance(a, Action) for a in actions)
    assert all(a.resource_id == droplet.id and a.resource_type == "droplet" for a in actions)
    assert "create" in {a.type for a in actions}
    assert all(a.status in ("in-progress", "completed", "errored") for a in actions)


@pytest.mark.sandbox_only("GET /v2/droplets/{id}/actions/{action_id} has only a schema-derived example")
def test_action_by_id(world: World) -> None:
    droplet = Droplet.get(world.facts.droplet_id)
    listed = droplet.actions()
    one = droplet.action(listed[0].id)
    assert one == listed[0]
    assert Action.get(one.id) == one


@pytest.mark.sandbox_only("the neighbors endpoints have only schema-derived examples")
def test_neighbors_per_droplet_and_account_report(world: World) -> None:
    report = Droplet.objects.neighbors()
    assert report, "the seeded droplets share a hypervisor"
    for group in report:
        assert len(group) > 1 and all(isinstance(d, Droplet) for d in group)
        for droplet in group:
            assert {d.id for d in droplet.neighbors()} == {d.id for d in group} - {droplet.id}
