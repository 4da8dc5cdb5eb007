"""Users' scenarios with cloud firewalls: typed rules, droplets and tags, the safe full update (both worlds)."""

from __future__ import annotations

from datetime import datetime

import pytest
from scenario_world import World

from droplets import Droplet, Firewall, InboundRule, OutboundRule, RuleTarget, Tag, ValidationError

MYSQL_IN = InboundRule(protocol="tcp", ports="3306", sources=RuleTarget(droplet_ids=[49696269]))
MYSQL_OUT = {"protocol": "tcp", "ports": "3306", "destinations": {"droplet_ids": [49696269]}}


def _tags_exist(world: World, *names: str) -> None:
    """A firewall takes existing tags only; the recorded account has them."""
    if world.sandbox is not None:
        for name in names:
            Tag.objects.create(name=name)
        world.sandbox.reset_log()


@pytest.mark.cassette("firewalls_manage")
def test_create_change_replace_and_delete_a_firewall(world: World) -> None:
    _tags_exist(world, "gateway", "frontend")
    droplet_id = world.facts.droplet_id
    fw = Firewall.objects.create(
        name="firewall",
        inbound_rules=[
            {
                "protocol": "tcp",
                "ports": "80",
                "sources": {"load_balancer_uids": ["4de7ac8b-495b-4884-9a69-1050c6793cd6"]},
            },
            InboundRule(protocol="tcp", ports="22", sources=RuleTarget(tags=["gateway"], addresses=["18.0.0.0/8"])),
        ],
        outbound_rules=[
            OutboundRule(protocol="tcp", ports="80", destinations=RuleTarget(addresses=["0.0.0.0/0", "::/0"]))
        ],
        droplets=[droplet_id],
    )
    assert isinstance(fw, Firewall) and fw.name == "firewall" and fw.status in ("waiting", "succeeded")
    assert fw.inbound_rules is not None and all(isinstance(r, InboundRule) for r in fw.inbound_rules)
    assert fw.inbound_rules[1].sources.tags == ["gateway"]
    assert Firewall.objects.get(fw.id).name == "firewall"
    assert all(isinstance(f, Firewall) for f in Firewall.objects.all())

    fw.add_droplets(droplet_id)
    fw.remove_droplets(droplet_id)
    assert droplet_id not in (fw.droplet_ids or [])
    fw.add_tags("frontend")
    fw.remove_tags("frontend")
    fw.add_rules(inbound=[MYSQL_IN], outbound=[MYSQL_OUT])
    fw.remove_rules(inbound=[MYSQL_IN], outbound=[MYSQL_OUT])
    assert MYSQL_IN not in (fw.inbound_rules or [])

    fw.update(name="frontend-firewall", tags=["frontend"], droplets=[droplet_id])  # the rules are sent as they are
    assert fw.name == "frontend-firewall" and fw.tags == ["frontend"] and fw.inbound_rules

    mine = Droplet.get(droplet_id).firewalls()  # typed models now, not dicts
    assert mine and all(isinstance(f, Firewall) and isinstance(f.created_at, datetime) for f in mine)
    fw.destroy()
    with pytest.raises(Firewall.DoesNotExist):
        fw.refresh()


@pytest.mark.sandbox_only("no explicit example answers a refused rule or a droplet's firewalls by tag")
def test_a_firewall_on_a_tag_reaches_its_droplets_and_rules_are_checked(world: World) -> None:
    web = list(Droplet.objects.filter(tag="web"))
    fw = Firewall.objects.create(
        name="web-fw",
        inbound_rules=[{"protocol": "tcp", "ports": "22", "sources": {"addresses": ["0.0.0.0/0"]}}],
        outbound_rules=[{"protocol": "icmp", "destinations": {"addresses": ["0.0.0.0/0", "::/0"]}}],
        tags=["web"],
    )
    assert fw.outbound_rules is not None and fw.outbound_rules[0].ports == "0"  # ICMP has no ports
    assert all(fw.id in [f.id for f in d.firewalls()] for d in web)
    for bad, message in [
        ({"protocol": "sctp", "ports": "22", "sources": {"addresses": ["0.0.0.0/0"]}}, "protocol"),
        ({"protocol": "tcp", "ports": "70000", "sources": {"addresses": ["0.0.0.0/0"]}}, "65535"),
        ({"protocol": "tcp", "ports": "9000-8000", "sources": {"addresses": ["0.0.0.0/0"]}}, "low end first"),
        ({"protocol": "tcp", "ports": "22", "sources": {"addresses": ["10.0.0.999"]}}, "CIDR"),
        ({"protocol": "tcp", "ports": "22", "sources": {}}, "names nothing"),
        ({"protocol": "tcp", "ports": "22"}, "needs sources"),
    ]:
        with pytest.raises(ValidationError, match=message):
            fw.add_rules(inbound=[bad])
    with pytest.raises(ValidationError, match="at least one"):
        Firewall.objects.create(name="empty")
    with pytest.raises(ValidationError, match="invalid"):
        Firewall.objects.create(name="-bad", inbound_rules=[fw.inbound_rules[0]])  # type: ignore[index]
    fw.update(tags=[])  # an empty list clears; what is left out stays
    assert fw.tags == [] and len(fw.inbound_rules or []) == 1
    assert all(fw.id not in [f.id for f in d.firewalls()] for d in web)
    fw.destroy()
