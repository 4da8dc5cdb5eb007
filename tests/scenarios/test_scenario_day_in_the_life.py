"""One user's day with the droplet's world, on the sandbox and on recorded HTTP (issue 16).

The walk itself (a key, a VPC, three droplets with ``wait="ssh"``, a volume
attached to each, a reserved IP moved from the first droplet to the second, a
firewall on their tag, a volume grown, everything torn down) is
`day_in_the_life.walk_the_day`, asserted at every step. Its cassette was
recorded from the sandbox served over HTTP on loopback (not from a live
account; see ``cassettes/README.md``), with the port checks of ``wait="ssh"``
(not HTTP) kept beside the exchanges and answered from there on replay; every
request's JSON body must be the recorded one.
"""

from __future__ import annotations

import pytest
from day_in_the_life import walk_the_day
from scenario_world import World


@pytest.mark.cassette("day_in_the_life", match_body=True)
def test_a_day_with_volumes_a_reserved_ip_and_a_firewall(world: World) -> None:
    walk_the_day()
    sent = [(s.method, s.path) for s in world.sent()]
    assert sent[0] == ("POST", "/v2/account/keys") and sent[-1][0] == "GET"
    posts = [path for method, path in sent if method == "POST"]
    assert posts.count("/v2/droplets") == 1, "the three droplets are created in one request"
    assert sum(path.startswith("/v2/volumes/") and path.endswith("/actions") for path in posts) == 7
    deletes = {path.split("/")[2] for method, path in sent if method == "DELETE"}
    assert deletes >= {"firewalls", "reserved_ips", "volumes", "droplets", "vpcs", "account", "tags"}
