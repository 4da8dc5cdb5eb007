"""Users' scenarios on droplet metrics: CPU, filesystem and bandwidth series over an hour.

The cassettes replay the spec's explicit metrics examples, whose samples lie in
their own hours (``END_*`` below); the sandbox answers for its virtual "now".
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from scenario_world import World

from droplets import Droplet
from droplets.models.metrics import MetricSeries

END_CPU_EXAMPLE = datetime.fromtimestamp(1635387120, timezone.utc)
END_BANDWIDTH_EXAMPLE = datetime.fromtimestamp(1634052720, timezone.utc)


def _end(world: World, example_end: datetime) -> datetime:
    if world.kind == "cassette":
        return example_end
    return datetime.fromtimestamp(world.client.clock.time(), timezone.utc)


def _within(series: MetricSeries) -> bool:
    return all(series.start <= p.at <= series.end for line in series.lines for p in line.points)


@pytest.mark.cassette("droplet_metrics_cpu_and_filesystem")
def test_cpu_utilisation_and_disk_space_of_the_last_hour(world: World) -> None:
    end = _end(world, END_CPU_EXAMPLE)
    droplet = Droplet.ref(world.facts.droplet_id)

    cpu = droplet.metrics("cpu", start=timedelta(hours=1), end=end)
    free = droplet.metrics("filesystem_free", start=end - timedelta(hours=1), end=end)
    size = droplet.metrics("filesystem_size", start=timedelta(hours=1), end=end)

    modes = {line.labels["mode"] for line in cpu.lines}
    assert {"idle", "user", "system"} <= modes
    assert cpu.unit == "%" and cpu.points, "utilisation needs two samples or more"
    assert all(0.0 <= p.value <= 100.0 for p in cpu.points)
    assert all(line.labels["mountpoint"] == "/" for line in free.lines + size.lines)
    assert free.points and size.points and free.points[-1].value <= size.points[-1].value
    assert _within(cpu) and _within(free) and _within(size)
    sent = world.sent()
    assert [s.path.rsplit("/", 1)[-1] for s in sent] == ["cpu", "filesystem_free", "filesystem_size"]
    assert all(s.query["host_id"] == str(world.facts.droplet_id) for s in sent)
    assert int(sent[0].query["end"]) - int(sent[0].query["start"]) == 3600


@pytest.mark.cassette("droplet_metrics_bandwidth")
def test_public_inbound_bandwidth(world: World) -> None:
    end = _end(world, END_BANDWIDTH_EXAMPLE)

    series = Droplet.ref(world.facts.droplet_id).metrics(
        "bandwidth", start=timedelta(hours=1), end=end, interface="public", direction="inbound"
    )

    assert series.unit == "Mbit/s" and len(series.lines) == 1
    assert series.lines[0].labels["interface"] == "public" and series.lines[0].labels["direction"] == "inbound"
    assert series.points and all(p.value >= 0 for p in series.points)
    rows = series.to_rows()
    assert len(rows) == len(series.points) and rows[0]["interface"] == "public"
    assert [s.query.get("interface") for s in world.sent()] == ["public"]


@pytest.mark.sandbox_only("the memory and load metrics have only schema-derived examples")
def test_memory_and_load_of_the_last_hour(world: World) -> None:
    droplet = Droplet.ref(world.facts.droplet_id)
    memory = {
        kind: droplet.metrics(kind) for kind in ("memory_total", "memory_available", "memory_free", "memory_cached")
    }
    loads = [droplet.metrics(kind).points for kind in ("load_1", "load_5", "load_15")]

    last = {kind: series.points[-1].value for kind, series in memory.items()}
    assert 0 < last["memory_cached"] < last["memory_available"] <= last["memory_total"]
    assert 0 < last["memory_free"] < last["memory_total"]
    assert all(series.unit == "bytes" for series in memory.values())
    assert all(points and all(p.value >= 0 for p in points) for points in loads)
    assert len(world.sent()) == 7, "one request per series"
