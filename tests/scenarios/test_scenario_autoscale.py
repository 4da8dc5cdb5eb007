"""Users' scenarios on Droplet autoscale pools: create, watch it fill, rescale, list, delete."""

from __future__ import annotations

import pytest
from scenario_world import World

from droplets import AutoscalePool, Droplet
from droplets.models.autoscale_pool import DropletTemplate, DynamicConfig, PoolHistoryEvent, PoolMember, StaticConfig

POOL = "0d3db13e-a604-4944-9827-7ec2642d32ac"
"""The autoscale pool of the spec's examples."""
TEMPLATE = DropletTemplate(
    name="example.com",
    region="nyc3",
    size="c-2",
    image="ubuntu-20-04-x64",
    ssh_keys=("3b:16:e4:bf:8b:00:8b:b8:59:8c:a9:d3:f0:19:fa:45",),
    tags=("env:prod", "web"),
    ipv6=True,
)


@pytest.mark.cassette("autoscale_pool_lifecycle")
def test_a_pool_fills_rescales_and_goes(world: World) -> None:
    pool = AutoscalePool.objects.create(
        name="my-autoscale-pool", config=StaticConfig(target_number_instances=2), droplet_template=TEMPLATE
    )
    assert isinstance(pool.config, StaticConfig) and pool.status == "active"
    if world.sandbox is not None:
        world.sandbox.clock.advance(120)  # the members' create actions complete

    pool.update(config=DynamicConfig(min_instances=1, max_instances=5, target_cpu_utilization=0.5, cooldown_minutes=10))
    assert isinstance(pool.config, DynamicConfig) and pool.config.max_instances == 5
    assert AutoscalePool.objects.get(pool.id).config == pool.config
    members = pool.members()
    assert members and all(isinstance(m, PoolMember) and m.status in {"provisioning", "active"} for m in members)
    history = pool.history()
    assert history and all(isinstance(e, PoolHistoryEvent) for e in history)
    assert history[0].reason in {"CONFIGURATION_CHANGE", "SCALE_UP", "SCALE_DOWN"}
    assert [p.id for p in AutoscalePool.objects.all()] == [pool.id]

    pool.destroy()
    sent = [(s.method, s.path.removeprefix("/v2/droplets/autoscale")) for s in world.sent()]
    assert sent == [
        ("POST", ""),
        ("PUT", f"/{pool.id}"),
        ("GET", f"/{pool.id}"),
        ("GET", f"/{pool.id}/members"),
        ("GET", f"/{pool.id}/history"),
        ("GET", ""),
        ("DELETE", f"/{pool.id}"),
    ]


@pytest.mark.cassette("autoscale_pool_dangerous_delete")
def test_the_dangerous_delete_takes_the_droplets_with_the_pool(world: World) -> None:
    pool_id = POOL  # the spec examples' pool on the cassette; on the sandbox, one built here
    if world.sandbox is not None:
        before = {d.id for d in Droplet.objects.all()}
        template = DropletTemplate(
            region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", ssh_keys=(), tags=("pool",)
        )
        built = AutoscalePool.objects.create(
            name="workers", config={"target_number_instances": 3}, droplet_template=template
        )
        world.sandbox.clock.advance(120)
        world.sandbox.reset_log()
        pool_id = built.id

    pool = AutoscalePool.objects.get(pool_id)
    members = {m.droplet_id for m in pool.members()}
    assert members
    # X-Dangerous: true is required: the sandbox answers 400 without it, the cassette's matcher refuses the DELETE.
    pool.destroy(with_droplets=True)
    sent = [(s.method, s.path.removeprefix("/v2/droplets/autoscale")) for s in world.sent()]
    assert sent == [("GET", f"/{pool_id}"), ("GET", f"/{pool_id}/members"), ("DELETE", f"/{pool_id}/dangerous")]

    if world.sandbox is not None:
        assert len(members) == 3 and {d.id for d in Droplet.objects.filter(tag="pool")} == members
        world.sandbox.reset_log()
        world.sandbox.clock.advance(60)
        assert AutoscalePool.objects.filter(name="workers").count() == 0
        assert {d.id for d in Droplet.objects.all()} == before
