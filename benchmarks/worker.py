"""One measurement of one client, in a fresh interpreter.

``python -m benchmarks.worker SPEC`` takes a JSON object and prints one JSON
line with the result. SPEC keys:

* ``mode``: ``list`` (wall, CPU, peak RSS growth), ``memory`` (tracemalloc
  peak and retained), ``get`` (per-call times), ``bulk`` (power off by tag and
  wait), ``ready`` (``create_many`` of ``count`` droplets tagged ``tag`` with
  ``wait="active"``), ``gone`` (destroy them by tag with ``wait=True``) or
  ``profile`` (cProfile of a list, every thread, CPU time);
* ``client``: a key of :data:`benchmarks.clients.CLIENTS` (or of
  :data:`benchmarks.clients.BULK` for ``bulk``);
* ``url``: the sandbox server; ``orjson``: false to hide orjson from droplets
  (as on a default install); ``expect``: the number of droplets a list must
  return; ``droplet_id`` and ``calls`` for ``get``; ``tag`` and ``poll`` for
  ``bulk``; ``top`` for ``profile``.

The library is imported and its client built before anything is measured;
the first listing of the process is what is timed (a script lists once).
Client CPU is ``time.process_time()``: every thread of this process, and
nothing of the server, which runs in a process of its own.
"""

from __future__ import annotations

import gc
import json
import resource
import statistics
import sys
import time
from typing import Any


def _maxrss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _check(items: list[Any], expect: int | None) -> None:
    if expect is not None and len(items) != expect:
        raise RuntimeError(f"listed {len(items)} droplets, expected {expect}")


def _measure_list(kind: Any, handle: Any, expect: int | None) -> dict[str, Any]:
    gc.collect()
    rss_before = _maxrss_kib()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    items = kind.list_all(handle)
    wall1, cpu1 = time.perf_counter(), time.process_time()
    _check(items, expect)
    return {"wall": wall1 - wall0, "cpu": cpu1 - cpu0, "rss_mib": (_maxrss_kib() - rss_before) / 1024}


def _measure_memory(kind: Any, handle: Any, expect: int | None) -> dict[str, Any]:
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    items = kind.list_all(handle)
    gc.collect()
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    _check(items, expect)
    return {"peak_mib": peak / 2**20, "retained_mib": retained / 2**20}


def _measure_get(kind: Any, handle: Any, droplet_id: int, calls: int) -> dict[str, Any]:
    kind.get_one(handle, droplet_id)  # connect and warm up; not counted
    times = []
    cpu0 = time.process_time()
    for _ in range(calls):
        start = time.perf_counter()
        kind.get_one(handle, droplet_id)
        times.append(time.perf_counter() - start)
    cpu = time.process_time() - cpu0
    return {"median": statistics.median(times), "cpu_per_call": cpu / calls, "calls": calls}


def _profile_list(kind: Any, handle: Any, expect: int | None, top: int) -> dict[str, Any]:
    from benchmarks.profiling import profile_all_threads

    items, summary = profile_all_threads(lambda: kind.list_all(handle), top)
    _check(items, expect)
    return summary


def run(spec: dict[str, Any]) -> dict[str, Any]:
    """Carry out one measurement.

    Args:
        spec: What to measure (see the module docs).

    Returns:
        The measured figures, plus ``fast_decoder`` for droplets.
    """
    if not spec.get("orjson", True):
        sys.modules["orjson"] = None  # type: ignore[assignment]  # as if not installed
    from benchmarks import clients

    mode = spec["mode"]
    if mode == "bulk":
        return clients.BULK[spec["client"]](spec["url"], spec["tag"], spec["poll"])
    if mode == "ready":
        return clients.ready_droplets(spec["url"], spec["tag"], spec["count"], spec["poll"])
    if mode == "gone":
        return clients.gone_droplets(spec["url"], spec["tag"], spec["count"], spec["poll"])
    kind = clients.CLIENTS[spec["client"]]
    handle = kind.setup(spec["url"])
    result: dict[str, Any]
    if mode == "list":
        result = _measure_list(kind, handle, spec.get("expect"))
    elif mode == "memory":
        result = _measure_memory(kind, handle, spec.get("expect"))
    elif mode == "get":
        result = _measure_get(kind, handle, spec["droplet_id"], spec["calls"])
    elif mode == "profile":
        result = _profile_list(kind, handle, spec.get("expect"), spec.get("top", 15))
    else:
        raise ValueError(f"unknown mode {mode!r}")
    if spec["client"] == "droplets":
        from droplets import _json

        result["fast_decoder"] = _json.FAST_DECODER
    return result


def main() -> int:
    """Read the spec from ``argv[1]``, print the result as one JSON line."""
    print(json.dumps(run(json.loads(sys.argv[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
