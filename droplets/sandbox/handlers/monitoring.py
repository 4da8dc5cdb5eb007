"""Handlers of the Droplet metrics (``/v2/monitoring/metrics/droplet/{metric}``).

The real API answers in Prometheus' range-query shape:
``{"status": "success", "data": {"resultType": "matrix", "result": [{"metric":
{labels}, "values": [[unix_seconds, "value"], ...]}]}}``, every value a string.

The sandbox makes its series up, deterministically: the same seed, droplet,
metric, labels and timestamp always give the same value, so a test can ask
twice and compare. Points lie on a 120-second grid (the spec's examples' step)
and only where the droplet existed: from its creation to the sandbox's "now"
(its virtual clock), never in the future. Values are plausible for the
droplet's size: CPU counters grow by the seconds each mode used (per mode,
summed over the vCPUs), memory and filesystem figures stay within the size's
memory and disk, load averages hover around a fraction of the vCPUs, and
bandwidth is a few megabits per second.

Rules the spec states and the sandbox checks: ``host_id``, ``start`` and
``end`` are required (``interface`` and ``direction`` too, for bandwidth), the
times are UNIX seconds, and ``start`` is not after ``end``; a missing or bad
value is a 400. A ``host_id`` that names no droplet answers an empty result,
as a Prometheus query for an unknown host does (the spec declares no 404).
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

from droplets.sandbox.errors import bad_request
from droplets.sandbox.handlers import Reply
from droplets.sandbox.records import DropletRecord
from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState

Json = dict[str, Any]

STEP = 120
"""Seconds between points (the spec's examples use two minutes)."""
MAX_POINTS = 11_000
"""About 15 days of points: a longer range is refused (400) like an over-large Prometheus query."""
CPU_MODES = ("idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user")
CPU_SHARE = {"idle": 0.82, "iowait": 0.01, "irq": 0.0, "nice": 0.001, "softirq": 0.004, "steal": 0.002,
             "system": 0.04, "user": 0.123}  # fmt: skip
"""Average share of each CPU second spent in each mode."""
FILESYSTEM_LABELS = {"device": "/dev/vda1", "fstype": "ext4", "mountpoint": "/"}
GIB = 1024**3
MIB = 1024**2
METRICS = (
    "cpu",
    "bandwidth",
    "memory_available",
    "memory_cached",
    "memory_free",
    "memory_total",
    "load_1",
    "load_5",
    "load_15",
    "filesystem_free",
    "filesystem_size",
)


def _noise(*parts: object) -> float:
    """A deterministic number in [0, 1) from its parts."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _wave(seed: int, droplet_id: int, name: str, t: int, period: float = 3600.0) -> float:
    """A smooth daily-looking wave in [-1, 1], phase-shifted per droplet and series, plus a little noise."""
    phase = _noise(seed, droplet_id, name) * 2 * math.pi
    return 0.8 * math.sin(2 * math.pi * t / period + phase) + 0.2 * (2 * _noise(seed, droplet_id, name, t) - 1)


def _times(d: DropletRecord, start: int, end: int, now: float) -> list[int]:
    first = max(start, math.ceil(d.created_at))
    last = min(end, int(now))
    first += -first % STEP
    return list(range(first, last + 1, STEP))


def _value(kind: str, d: DropletRecord, t: int, seed: int, labels: Json) -> float:
    memory = float(d.size["memory"] * MIB)
    disk = float(d.disk * GIB)
    vcpus = float(d.size["vcpus"])
    wave = _wave(seed, d.id, kind + repr(sorted(labels.items())), t)
    if kind == "cpu":
        mode = labels["mode"]
        elapsed = t - d.created_at
        # A counter: the mode's average share of every vCPU second, plus a bounded wobble.
        return vcpus * (CPU_SHARE[mode] * elapsed + 30 * CPU_SHARE[mode] * (1 + wave))
    if kind == "memory_total":
        return float(memory)
    if kind == "memory_available":
        return memory * (0.55 + 0.15 * wave)
    if kind == "memory_free":
        return memory * (0.30 + 0.10 * wave)
    if kind == "memory_cached":
        return memory * (0.20 + 0.05 * wave)
    if kind == "filesystem_size":
        return float(disk)
    if kind == "filesystem_free":
        return disk * (0.80 - 0.05 * (t - d.created_at) / (30 * 86400) + 0.01 * wave)
    if kind.startswith("load_"):
        return max(0.0, vcpus * (0.25 + 0.2 * wave))
    # bandwidth, in megabits per second
    scale = 2.0 if labels["interface"] == "public" else 0.2
    return max(0.0, scale * (1 + wave))


def _labels(kind: str, request: Request, host_id: str) -> list[Json]:
    if kind == "cpu":
        return [{"host_id": host_id, "mode": mode} for mode in CPU_MODES]
    if kind == "bandwidth":
        interface = request.query_choice("interface", ("private", "public"))
        direction = request.query_choice("direction", ("inbound", "outbound"))
        if interface is None or direction is None:
            raise bad_request("interface and direction are required for bandwidth metrics")
        return [{"direction": direction, "host_id": host_id, "interface": interface}]
    if kind.startswith("filesystem_"):
        return [{**FILESYSTEM_LABELS, "host_id": host_id}]
    return [{"host_id": host_id}]


def _seconds(request: Request, name: str) -> int:
    raw = request.query.get(name)
    if raw is None or raw == "":
        raise bad_request(f"{name} is required (UNIX seconds)")
    try:
        return int(float(raw))
    except (ValueError, OverflowError):
        raise bad_request(f"{name} must be UNIX seconds, got {raw!r}") from None


def get_droplet_metric(state: SandboxState, request: Request) -> Reply:
    """``GET /v2/monitoring/metrics/droplet/{metric}``: one range query for one droplet.

    Args:
        state: The sandbox state.
        request: The request; ``metric`` is a path parameter.

    Returns:
        200 with the Prometheus-shaped body.
    """
    kind = request.params["metric"]
    host_id = request.query.get("host_id", "")
    if not host_id.isdigit():
        raise bad_request("host_id is required: the Droplet ID")
    start, end = _seconds(request, "start"), _seconds(request, "end")
    if start > end:
        raise bad_request("start must not be after end")
    if (end - start) // STEP > MAX_POINTS:
        raise bad_request(f"the range holds more than {MAX_POINTS} points; ask for a shorter range")
    label_sets = _labels(kind, request, host_id)
    droplet = state.droplets.get(int(host_id))
    result = []
    if droplet is not None:
        times = _times(droplet, start, end, state.clock.time())
        seed = state.alloc.seed
        for labels in label_sets:
            values = [[t, repr(_value(kind, droplet, t, seed, labels))] for t in times]
            result.append({"metric": labels, "values": values})
    return 200, {"status": "success", "data": {"resultType": "matrix", "result": result}}
