"""One user's day with the droplet's world, written once for every world it runs in.

1. upload a key, create a VPC;
2. create 3 droplets with ``wait="ssh"``;
3. create and attach a volume to each;
4. reserve an IP for the first droplet;
5. put a firewall on the tag;
6. resize a volume;
7. move the IP to the second droplet;
8. tear it all down.

`walk_the_day` runs on the default client and asserts at each step. The
scenario test runs it on the sandbox and on the ``day_in_the_life`` cassette;
``cassettes/record_sandbox.py`` runs the very same function against the
sandbox served over HTTP to record that cassette, so the recording holds
exactly the requests the walk sends (its assertions' requests included).
"""

from __future__ import annotations

from droplets import VPC, Droplet, Firewall, ReservedIP, SSHKey, Tag, Volume

PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMuc0GfV2+vO+pGkuaUnnUXhUe1EDFp3OqB+WYDoKjmw day@example"
SSH_FROM_ANYWHERE = {"protocol": "tcp", "ports": "22", "sources": {"addresses": ["0.0.0.0/0", "::/0"]}}
TAG = "day-app"
NAMES = ["app-1", "app-2", "app-3"]


def walk_the_day() -> None:
    """Walk the day on the default client, asserting what the user sees at each step."""
    # 1. A key and a VPC.
    key = SSHKey.objects.create(name="day-laptop", public_key=PUBLIC_KEY)
    vpc = VPC.objects.create(name="day-prod", region="nyc3", ip_range="10.42.0.0/20")
    assert key.fingerprint and vpc.ip_range == "10.42.0.0/20"

    # 2. Three droplets, usable over SSH when create() returns.
    apps = Droplet.objects.create_many(
        names=NAMES, region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64",
        ssh_keys=[key], vpc_uuid=vpc.id, tags=[TAG], wait="ssh",
    )  # fmt: skip
    assert [d.name for d in apps] == NAMES and all(d.status == "active" and d.public_ipv4 for d in apps)
    assert all(d.vpc_uuid == vpc.id and d.tags == [TAG] for d in apps)
    assert {m.urn for m in vpc.members()} >= {f"do:droplet:{d.id}" for d in apps}

    # 3. A volume for each, attached (each attach queues if its droplet is still busy).
    volumes = [Volume.objects.create(name=f"data-{n}", size_gigabytes=10, region="nyc3") for n in range(1, 4)]
    for volume, droplet in zip(volumes, apps, strict=True):
        attached = volume.attach(droplet, wait=True)
        assert attached.status == "completed" and attached.type == "attach_volume"
    assert [d.refresh().volume_ids for d in apps] == [[v.id] for v in volumes]
    assert [[v.id for v in d.volumes()] for d in apps] == [[v.id] for v in volumes]
    assert [v.refresh().droplet_ids for v in volumes] == [[d.id] for d in apps]

    # 4. A reserved IP for the first droplet.
    ip = ReservedIP.objects.create(droplet=apps[0], wait=True)
    assert ip.droplet_id == apps[0].id and ip.ip in [n.ip_address for n in apps[0].refresh().networks.v4]
    assert [x.ip for x in apps[0].reserved_ips()] == [ip.ip]

    # 5. A firewall on the tag: every app droplet is behind it, through the tag alone.
    fw = Firewall.objects.create(name="day-app-fw", inbound_rules=[SSH_FROM_ANYWHERE], tags=[TAG])
    assert fw.tags == [TAG] and not fw.droplet_ids
    assert all([f.id for f in d.firewalls()] == [fw.id] for d in apps)

    # 6. Grow a volume; the others keep their size.
    grown = volumes[1].resize(20, wait=True)
    assert grown.status == "completed" and grown.type == "resize_volume"
    assert [Volume.objects.get(v.id).size_gigabytes for v in volumes] == [10, 20, 10]

    # 7. Move the IP to the second droplet.
    moved = ip.assign(apps[1], wait=True)
    assert moved.status == "completed" and ip.refresh().droplet_id == apps[1].id
    assert [x.ip for x in apps[1].reserved_ips()] == [ip.ip] and apps[0].reserved_ips() == []

    # 8. Tear it all down: nothing of the day is left.
    fw.destroy()
    ip.unassign(wait=True)
    assert ip.refresh().droplet is None
    ip.destroy()
    for volume in volumes:
        volume.detach(wait=True)
        volume.destroy()
    Droplet.objects.filter(tag=TAG).destroy(wait=True)
    vpc.destroy()
    key.destroy()
    Tag.objects.get(TAG).destroy()
    assert not Droplet.objects.filter(tag=TAG).exists()
    assert not [v for v in Volume.objects.all() if v.name.startswith("data-")]
    assert list(ReservedIP.objects.all()) == [] and "day-app-fw" not in [f.name for f in Firewall.objects.all()]
    assert "day-prod" not in [v.name for v in VPC.objects.all()]
    assert "day-laptop" not in [k.name for k in SSHKey.objects.all()]
