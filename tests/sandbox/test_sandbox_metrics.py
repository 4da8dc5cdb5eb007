"""The sandbox's droplet metrics: the spec's Prometheus shape, its rules, and plausible, repeatable series."""

from __future__ import annotations

from typing import Any

import pytest
from sandbox_api import Api
from test_sandbox_schema import check

from droplets.sandbox import Sandbox, VirtualClock
from droplets.sandbox.handlers.monitoring import METRICS, STEP

HOUR = 3600


@pytest.fixture
def running(api: Api, clock: VirtualClock) -> dict[str, Any]:
    """A droplet that has been running for three hours of virtual time."""
    droplet = api.create("metrics-1")
    clock.advance(3 * HOUR)
    return api.droplet(droplet["id"])


def _query(droplet_id: int, now: float, hours: float = 1, **extra: str) -> str:
    params = {"host_id": str(droplet_id), "start": str(int(now - hours * HOUR)), "end": str(int(now)), **extra}
    return "&".join(f"{k}={v}" for k, v in params.items())


def _get(api: Api, kind: str, query: str) -> Any:
    response = api.get(f"/v2/monitoring/metrics/droplet/{kind}?{query}")
    assert response.status == 200, response.body
    return response


@pytest.mark.parametrize("kind", METRICS)
def test_every_metric_answers_in_the_spec_shape(
    spec: dict[str, Any], api: Api, clock: VirtualClock, running: dict[str, Any], kind: str
) -> None:
    extra = {"interface": "public", "direction": "outbound"} if kind == "bandwidth" else {}
    response = _get(api, kind, _query(running["id"], clock.time(), **extra))
    check(spec, "GET", f"/v2/monitoring/metrics/droplet/{kind}", 200, response.body)
    body = response.json()
    assert body["status"] == "success" and body["data"]["resultType"] == "matrix"
    for line in body["data"]["result"]:
        assert line["metric"]["host_id"] == str(running["id"])
        assert len(line["values"]) == HOUR // STEP + 1 or len(line["values"]) == HOUR // STEP
        assert all(isinstance(t, int) and isinstance(v, str) and float(v) >= 0 for t, v in line["values"])


def test_cpu_has_a_growing_counter_per_mode(api: Api, clock: VirtualClock, running: dict[str, Any]) -> None:
    lines = _get(api, "cpu", _query(running["id"], clock.time())).json()["data"]["result"]
    assert {line["metric"]["mode"] for line in lines} == {
        "idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"
    }  # fmt: skip
    for line in lines:
        values = [float(v) for _, v in line["values"]]
        assert values == sorted(values), line["metric"]["mode"]


def test_sizes_bound_memory_and_disk(api: Api, clock: VirtualClock, running: dict[str, Any]) -> None:
    query = _query(running["id"], clock.time())

    def last(kind: str) -> float:
        return float(_get(api, kind, query).json()["data"]["result"][0]["values"][-1][1])

    assert last("memory_total") == running["memory"] * 1024**2
    assert 0 < last("memory_free") < last("memory_available") < last("memory_total")
    assert last("filesystem_size") == running["disk"] * 1024**3
    assert 0 < last("filesystem_free") < last("filesystem_size")


def test_points_lie_on_the_grid_from_creation_to_now(api: Api, clock: VirtualClock) -> None:
    droplet = api.create("young")
    created = clock.time()
    clock.advance(10 * 60)
    now = clock.time()
    body = _get(api, "load_1", _query(droplet["id"], now + HOUR, hours=3)).json()
    times = [t for t, _ in body["data"]["result"][0]["values"]]
    assert times and all(t % STEP == 0 for t in times)
    assert created <= times[0] and times[-1] <= now, "no samples before creation nor in the future"


def test_the_same_seed_gives_the_same_series(clock: VirtualClock) -> None:
    bodies = []
    for _ in range(2):
        sandbox = Sandbox(seed=7, clock=VirtualClock(start=1_700_000_000.0))
        api = Api(sandbox)
        droplet = api.create("same")
        sandbox.clock.advance(HOUR)
        bodies.append(_get(api, "cpu", _query(droplet["id"], sandbox.clock.time())).json())
    assert bodies[0] == bodies[1]


def test_an_unknown_droplet_has_no_series(api: Api, clock: VirtualClock) -> None:
    body = _get(api, "memory_free", _query(99999999, clock.time())).json()
    assert body["data"]["result"] == []


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("bandwidth?host_id=1&start=0&end=60", 400),
        ("bandwidth?host_id=1&start=0&end=60&interface=eth0&direction=inbound", 400),
        ("cpu?start=0&end=60", 400),
        ("cpu?host_id=abc&start=0&end=60", 400),
        ("cpu?host_id=1&end=60", 400),
        ("cpu?host_id=1&start=soon&end=60", 400),
        ("cpu?host_id=1&start=120&end=60", 400),
        ("cpu?host_id=1&start=0&end=99999999999", 400),
        ("gpu?host_id=1&start=0&end=60", 404),
    ],
)
def test_bad_queries_are_refused_with_the_api_error_body(
    spec: dict[str, Any], api: Api, path: str, status: int
) -> None:
    response = api.get(f"/v2/monitoring/metrics/droplet/{path}")
    assert response.status == status, response.body
    body = response.json()
    assert set(body) >= {"id", "message", "request_id"}
