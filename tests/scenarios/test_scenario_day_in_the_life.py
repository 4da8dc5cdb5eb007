"""One user's day with the droplet's world: a key, a VPC, three droplets, volumes, a reserved IP, a firewall.

1. upload a key, create a VPC;
2. create 3 droplets with ``wait="ssh"``;
3. create and attach a volume to each;
4. reserve an IP for the first droplet;
5. put a firewall on the tag;
6. resize a volume;
7. move the IP to the second droplet;
8. tear it all down.
"""

from __future__ import annotations

import pytest
from scenario_world import World

from droplets import VPC, Droplet, Firewall, ReservedIP, SSHKey, Tag, Volume

PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMuc0GfV2+vO+pGkuaUnnUXhUe1EDFp3OqB+WYDoKjmw day@example"
SSH_FROM_ANYWHERE = {"protocol": "tcp", "ports": "22", "sources": {"addresses": ["0.0.0.0/0", "::/0"]}}


@pytest.mark.sandbox_only("the spec has no explicit examples for most of these steps (actions, wait='ssh')")
def test_a_day_with_volumes_a_reserved_ip_and_a_firewall(world: World) -> None:
    # 1. A key and a VPC.
    key = SSHKey.objects.create(name="day-laptop", public_key=PUBLIC_KEY)
    vpc = VPC.objects.create(name="day-prod", region="nyc3", ip_range="10.42.0.0/20")

    # 2. Three droplets, usable over SSH when create() returns.
    names = ["app-1", "app-2", "app-3"]
    apps = Droplet.objects.create_many(
        names=names, region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64",
        ssh_keys=[key], vpc_uuid=vpc.id, tags=["day-app"], wait="ssh",
    )  # fmt: skip
    assert [d.name for d in apps] == names and all(d.status == "active" and d.public_ipv4 for d in apps)
    assert {m.urn for m in vpc.members()} >= {f"do:droplet:{d.id}" for d in apps}

    # 3. A volume for each, attached (each attach queues if its droplet is still busy).
    volumes = [Volume.objects.create(name=f"data-{n}", size_gigabytes=10, region="nyc3") for n in range(1, 4)]
    for volume, droplet in zip(volumes, apps, strict=True):
        volume.attach(droplet, wait=True)
    assert [d.refresh().volume_ids for d in apps] == [[v.id] for v in volumes]

    # 4. A reserved IP for the first droplet.
    ip = ReservedIP.objects.create(droplet=apps[0], wait=True)
    assert ip.droplet_id == apps[0].id and ip.ip in [n.ip_address for n in apps[0].refresh().networks.v4]

    # 5. A firewall on the tag: every app droplet is behind it.
    fw = Firewall.objects.create(name="day-app-fw", inbound_rules=[SSH_FROM_ANYWHERE], tags=["day-app"])
    assert all([f.id for f in d.firewalls()] == [fw.id] for d in apps)

    # 6. Grow a volume.
    volumes[1].resize(20, wait=True)
    assert Volume.objects.get(volumes[1].id).size_gigabytes == 20

    # 7. Move the IP to the second droplet.
    ip.assign(apps[1], wait=True)
    assert [x.ip for x in apps[1].reserved_ips()] == [ip.ip] and apps[0].reserved_ips() == []

    # 8. Tear it all down: nothing of the day is left.
    fw.destroy()
    ip.unassign(wait=True)
    ip.destroy()
    for volume in volumes:
        volume.detach(wait=True)
        volume.destroy()
    Droplet.objects.filter(tag="day-app").destroy(wait=True)
    vpc.destroy()
    key.destroy()
    Tag.objects.get("day-app").destroy()
    assert not Droplet.objects.filter(tag="day-app").exists()
    assert not [v for v in Volume.objects.all() if v.name.startswith("data-")]
    assert list(ReservedIP.objects.all()) == [] and "day-app-fw" not in [f.name for f in Firewall.objects.all()]
