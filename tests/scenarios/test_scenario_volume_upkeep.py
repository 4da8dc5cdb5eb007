"""Grow a volume and keep snapshots of it, on the sandbox and on recorded HTTP (issue 16).

The walk is `volume_upkeep.grow_and_snapshot`, asserted at every step; its
cassette was recorded from the sandbox served over HTTP on loopback (not a
live account; see ``cassettes/README.md``), replayed with every JSON body matched.
"""

from __future__ import annotations

import pytest
from scenario_world import World
from volume_upkeep import grow_and_snapshot

from droplets import ValidationError, Volume


@pytest.mark.cassette("volume_upkeep", match_body=True)
def test_grow_a_volume_and_keep_its_snapshots(world: World) -> None:
    grow_and_snapshot()
    sent = [(s.method, s.path) for s in world.sent()]
    actions = [path for method, path in sent if method == "POST" and path.endswith("/actions")]
    assert len(actions) == 1, "the resize is posted once"
    snapshots = [path for method, path in sent if method == "POST" and path.endswith("/snapshots")]
    assert len(snapshots) == 2
    deleted = [path for method, path in sent if method == "DELETE"]
    assert [p.split("/")[2] for p in deleted] == ["snapshots", "snapshots", "volumes"]


@pytest.mark.sandbox_only("refused before sending: nothing to record")
def test_a_volume_only_grows_and_nothing_is_sent_otherwise(world: World) -> None:
    volume = Volume.objects.create(name="upkeep-small", size_gigabytes=20, region="nyc3")
    before = len(world.sent())
    for size in (20, 10):
        with pytest.raises(ValidationError, match="can only grow"):
            volume.resize(size)
    assert len(world.sent()) == before and Volume.objects.get(volume.id).size_gigabytes == 20
    volume.destroy()
