"""Users' scenarios with VPCs: list them, see who is inside, create, change the default, delete."""

from __future__ import annotations

import pytest
from scenario_world import World

import droplets
from droplets import VPC, Droplet, VPCMember


@pytest.mark.cassette("vpcs_manage")
def test_list_vpcs_read_members_and_delete_one(world: World) -> None:
    default = VPC.objects.filter(default=True).first()
    assert isinstance(default, VPC) and default.urn == f"do:vpc:{default.id}"
    members = default.members()
    assert members and all(isinstance(m, VPCMember) and m.resource_type and m.resource_id for m in members)
    assert "droplet" in {m.resource_type for m in members}

    with pytest.raises(droplets.ValidationError, match="default VPC"):
        default.destroy()  # refused before sending
    other = VPC.objects.get(name="env.prod-vpc")
    assert other.default is False and other.description == "VPC for production environment"
    other.destroy()
    assert [(s.method, s.path) for s in world.sent()] == [
        ("GET", "/v2/vpcs"),
        ("GET", f"/v2/vpcs/{default.id}/members"),
        ("GET", "/v2/vpcs"),
        ("DELETE", f"/v2/vpcs/{other.id}"),
    ]


@pytest.mark.sandbox_only("the spec's VPC create, get, update and patch answers are schema-derived")
def test_create_a_vpc_put_droplets_in_it_and_move_the_default(world: World) -> None:
    vpc = VPC.objects.create(name="prod", region="ams3", ip_range="10.20.0.0/20", description="production")
    assert vpc.default is True and vpc.region == "ams3", "the first VPC of a region is its default"
    stage = VPC.objects.create(name="stage", region="ams3")
    assert stage.default is False and stage.ip_range.endswith("/20")

    d = Droplet.objects.create(
        name="db-1", region="ams3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", vpc_uuid=vpc, wait=True
    )
    assert d.vpc_uuid == vpc.id
    assert [m.resource_id for m in vpc.members(resource_type="droplet")] == [str(d.id)]

    stage.update(name="staging", default=True)
    assert stage.default and stage.name == "staging"
    assert vpc.refresh().default is False
    vpc.partial_update(description="production databases")
    assert VPC.objects.get(vpc.id).description == "production databases" and vpc.name == "prod"

    with pytest.raises(droplets.Forbidden):
        vpc.destroy()  # it has members
    d.destroy(wait=True)
    vpc.destroy()
    with pytest.raises(VPC.DoesNotExist):
        VPC.objects.get(vpc.id)
    with pytest.raises(droplets.ValidationError, match="cannot be deleted"):
        stage.destroy()
    with pytest.raises(droplets.ValidationError, match="cannot be switched off"):
        stage.partial_update(default=False)


@pytest.mark.sandbox_only("refused before sending: nothing to replay")
def test_bad_vpc_input_is_refused_before_sending(world: World) -> None:
    for bad in ("8.8.8.0/24", "10.0.0.0/8", "10.1.1.0/29", "10.1.1.1/24", "not-a-range"):
        with pytest.raises(droplets.ValidationError):
            VPC.objects.create(name="x", region="nyc3", ip_range=bad)
    with pytest.raises(droplets.ValidationError):
        VPC.objects.create(name="under_score", region="nyc3")
    with pytest.raises(droplets.ValidationError):
        VPC.objects.get("not-a-uuid")
    assert world.sent() == []
