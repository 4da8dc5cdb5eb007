"""Run the benchmark suite and write the report.

``python -m benchmarks.run`` (or ``python benchmarks/run.py``) measures, in one
run and side by side, ``droplets`` (default install and with orjson), plain
``requests`` paging (the baseline), python-digitalocean and pydo against the
sandbox served over HTTP on loopback, and writes ``docs/performance.md``.

* Every measurement of a client runs in a fresh interpreter
  (:mod:`benchmarks.worker`); the server runs in its own process
  (:mod:`benchmarks.server`), so its CPU is never counted as the client's.
* Repetitions alternate the order of the clients (ABCDE, EDCBA, ...); the
  report shows medians, ranges and ratios to the baseline of the same run.

Options: ``--quick`` (small N, one repetition, no file unless ``--out``),
``--repeat K``, ``--out PATH`` (``-`` for none), ``--json PATH`` (raw
figures), ``--no-profile``, ``--only NAME`` (a focused run of some
measurements: ``imports``, ``lists``, ``get``, ``bulk``, ``ready``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

if __package__ in (None, ""):  # run as ``python benchmarks/run.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import report

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


@dataclass(frozen=True)
class Row:
    """One client as a row of the tables.

    Attributes:
        label: The name shown in the report.
        client: The key in :data:`benchmarks.clients.CLIENTS`.
        orjson: Whether orjson may be imported in the worker.
    """

    label: str
    client: str
    orjson: bool = True


BASELINE = "requests"
DEFAULT_INSTALL = "droplets"
WITH_ORJSON = "droplets + orjson"
ROWS = (
    Row(BASELINE, "requests"),
    Row(DEFAULT_INSTALL, "droplets", orjson=False),
    Row(WITH_ORJSON, "droplets", orjson=True),
    Row("python-digitalocean", "python-digitalocean"),
    Row("pydo", "pydo"),
)
CLIENT_AFTER_IMPORT = "droplets, then Client()"
IMPORTS = (
    ("requests", "import requests", True),
    (DEFAULT_INSTALL, "import droplets", False),
    (WITH_ORJSON, "import droplets", True),
    (CLIENT_AFTER_IMPORT, "import droplets; droplets.Client(token='x')", False),
    ("python-digitalocean", "import digitalocean", True),
    ("pydo", "import pydo", True),
)
BULK_CLIENTS = ("droplets", "requests (naive loop)")


@dataclass(frozen=True)
class Plan:
    """What a run measures and how often.

    Attributes:
        sizes: Droplet counts listed.
        latencies: Server latencies in milliseconds.
        repeat: Repetitions of every list and get measurement.
        memory_repeat: Repetitions of the tracemalloc runs.
        memory_latencies: Latencies at which memory is measured (largest size only).
        get_calls: Timed calls of the get-one scenario.
        bulk_sizes: Droplets powered off by tag in the bulk scenario.
        bulk_repeat: Repetitions of the bulk scenario.
        ready_sizes: Droplets created with ``wait="active"`` then destroyed by tag with ``wait=True``.
        ready_repeat: Repetitions of the ready and gone scenario.
        action_seconds: How long each sandbox action takes (bulk scenario).
        poll: Poll interval of the bulk waits.
        import_runs: Fresh interpreters per imported module.
        profile: Whether to profile the droplets list.
    """

    sizes: tuple[int, ...] = (1_000, 10_000)
    latencies: tuple[float, ...] = (0.0, 50.0)
    repeat: int = 5
    memory_repeat: int = 3
    memory_latencies: tuple[float, ...] = (0.0, 50.0)
    get_calls: int = 200
    bulk_sizes: tuple[int, ...] = (50, 200)
    bulk_repeat: int = 3
    ready_sizes: tuple[int, ...] = (50,)
    ready_repeat: int = 3
    action_seconds: float = 3.0
    poll: float = 1.0
    import_runs: int = 15
    profile: bool = True


QUICK = Plan(
    sizes=(200, 2_000),
    repeat=1,
    memory_repeat=1,
    memory_latencies=(0.0,),
    get_calls=50,
    bulk_sizes=(20,),
    bulk_repeat=1,
    ready_sizes=(20,),
    ready_repeat=1,
    action_seconds=1.2,
    import_runs=3,
    profile=False,
)


@dataclass
class Results:
    """Every raw figure of a run, keyed for :mod:`benchmarks.report`."""

    plan: Plan
    listing: dict[tuple[int, float], dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    memory: dict[tuple[int, float], dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    get: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    bulk: dict[int, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    ready: dict[int, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    """Droplet count -> ``"ready"`` / ``"gone"`` -> the runs' figures."""
    imports: dict[str, list[float]] = field(default_factory=dict)
    fleet: dict[str, dict[str, Any]] = field(default_factory=dict)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: float = 0.0
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def alternate(items: Sequence[T], repetition: int) -> list[T]:
    """The order of ``items`` for a repetition: as given, then reversed, and so on."""
    return list(items) if repetition % 2 == 0 else list(reversed(items))


class Server:
    """The sandbox server process (:mod:`benchmarks.server`) and its command channel."""

    def __init__(self, latency_ms: float, seed_droplets: int, action_seconds: float = 1.0) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.server",
                f"--latency-ms={latency_ms:g}",
                f"--seed-droplets={seed_droplets}",
                f"--action-seconds={action_seconds:g}",
            ],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url: str = self._read()["url"]

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the sandbox server exited with {self.process.wait()}")
        return json.loads(line)  # type: ignore[no-any-return]

    def command(self, line: str) -> dict[str, Any]:
        """Send one command and return the server's answer."""
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self._read()

    def stop(self) -> None:
        """Ask the server to quit, and end it if it does not."""
        try:
            assert self.process.stdin is not None
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


@contextmanager
def serving(latency_ms: float, seed_droplets: int, action_seconds: float = 1.0) -> Iterator[Server]:
    """Run a sandbox server process for the duration of a ``with`` block."""
    server = Server(latency_ms, seed_droplets, action_seconds)
    try:
        yield server
    finally:
        server.stop()


def run_worker(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return its figures."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.worker", json.dumps(spec)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"worker {spec} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _measured(server: Server, spec: dict[str, Any]) -> dict[str, Any]:
    """Run a worker and add the requests the server received, and the server's CPU, meanwhile."""
    before = server.command("reset")
    figures = run_worker(spec)
    counted = server.command("count")
    figures["requests"] = counted["requests"]
    figures["by_method"] = counted["by_method"]
    figures["server_cpu"] = counted["cpu"] - before["cpu"]
    return figures


def measure_lists(plan: Plan, results: Results) -> None:
    """Every list scenario: wall, CPU, RSS growth and requests; then tracemalloc runs."""
    largest = max(plan.sizes)
    for size in plan.sizes:
        for latency in plan.latencies:
            with serving(latency, size) as server:
                table = results.listing.setdefault((size, latency), {})
                for repetition in range(plan.repeat):
                    for row in alternate(ROWS, repetition):
                        spec = {"mode": "list", "client": row.client, "orjson": row.orjson}
                        figures = _measured(server, {**spec, "url": server.url, "expect": size})
                        table.setdefault(row.label, []).append(figures)
                        _log(f"list {size} @ {latency:g} ms  {row.label:<20} {figures['wall']:.3f} s wall")
                if size == largest and latency in plan.memory_latencies:
                    memory = results.memory.setdefault((size, latency), {})
                    for repetition in range(plan.memory_repeat):
                        for row in alternate(ROWS, repetition):
                            spec = {"mode": "memory", "client": row.client, "orjson": row.orjson}
                            figures = run_worker({**spec, "url": server.url, "expect": size})
                            memory.setdefault(row.label, []).append(figures)
                            _log(f"memory {size} @ {latency:g} ms  {row.label:<20} {figures['peak_mib']:.1f} MiB")
                if size == largest and latency == 0 and plan.profile:
                    for row in ROWS[:3]:
                        spec = {"mode": "profile", "client": row.client, "orjson": row.orjson, "top": 15}
                        results.profiles[row.label] = run_worker({**spec, "url": server.url, "expect": size})
                        _log(f"profiled {row.label}")


def measure_get(plan: Plan, results: Results) -> None:
    """Get one droplet ``get_calls`` times at 0 ms, per client."""
    with serving(0.0, min(plan.sizes)) as server:
        droplet_id = server.command("seed 1 get-one")["ids"][0]
        for repetition in range(plan.repeat):
            for row in alternate(ROWS, repetition):
                spec = {"mode": "get", "client": row.client, "orjson": row.orjson, "url": server.url}
                figures = run_worker({**spec, "droplet_id": droplet_id, "calls": plan.get_calls})
                results.get.setdefault(row.label, []).append(figures)
                _log(f"get one  {row.label:<20} {figures['median'] * 1000:.2f} ms")


def measure_bulk(plan: Plan, results: Results) -> None:
    """Power off tagged droplets and wait: requests per poll round, per client."""
    with serving(0.0, 0, plan.action_seconds) as server:
        runs = 0
        for count in plan.bulk_sizes:
            table = results.bulk.setdefault(count, {})
            for repetition in range(plan.bulk_repeat):
                for label in alternate(BULK_CLIENTS, repetition):
                    runs += 1
                    tag = f"bulk-{runs}"
                    server.command(f"seed {count} {tag}")
                    spec = {"mode": "bulk", "client": label, "url": server.url, "tag": tag, "poll": plan.poll}
                    started = time.perf_counter()
                    figures = _measured(server, spec)
                    figures["wall"] = time.perf_counter() - started
                    table.setdefault(label, []).append(figures)
                    _log(f"bulk {count}  {label:<22} {figures['requests']} requests, {figures['rounds']} rounds")


def measure_ready(plan: Plan, results: Results) -> None:
    """Create droplets with ``wait="active"``, then destroy them by tag with ``wait=True``: requests per round."""
    with serving(0.0, 0, plan.action_seconds) as server:
        for count in plan.ready_sizes:
            table = results.ready.setdefault(count, {})
            for repetition in range(plan.ready_repeat):
                tag = f"ready-{count}-{repetition}"
                for kind in ("ready", "gone"):
                    spec = {"mode": kind, "url": server.url, "tag": tag, "count": count, "poll": plan.poll}
                    started = time.perf_counter()
                    figures = _measured(server, spec)
                    figures["wall"] = time.perf_counter() - started
                    table.setdefault(kind, []).append(figures)
                    _log(f"{kind} {count}  {figures['by_method']} in {figures['rounds']} rounds")


_IMPORT_CODE = """\
import sys, time
{block}start = time.perf_counter()
{statement}
print(time.perf_counter() - start)
"""


def measure_imports(plan: Plan, results: Results) -> None:
    """Time ``import X`` in fresh interpreters, alternating the order."""
    for repetition in range(plan.import_runs):
        for label, statement, orjson in alternate(IMPORTS, repetition):
            block = "" if orjson else "sys.modules['orjson'] = None\n"
            code = _IMPORT_CODE.format(block=block, statement=statement)
            done = subprocess.run(
                [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
            )
            results.imports.setdefault(label, []).append(float(done.stdout.strip()))
    _log("imports timed")


def measure_fleet(plan: Plan, results: Results) -> None:
    """Four processes on one token against a small burst window, with and without the shared store."""
    from benchmarks import fleet

    results.fleet = fleet.measure()
    for mode, figures in results.fleet.items():
        _log(f"fleet {mode:<14} {figures['429s']} 429s, {figures['wall']:.1f} s, {figures['share']:.0%} of the limit")


def _compile_bytecode() -> None:
    """Byte-compile the package under test, as ``pip install`` does for every installed library.

    The peers are measured from their installed bytecode. A checkout
    installed in editable mode has none, and with ``PYTHONDONTWRITEBYTECODE``
    set (as on this machine) every fresh interpreter would compile each
    droplets module from source, which no installed copy does.
    """
    import compileall

    if not compileall.compile_dir(ROOT / "droplets", quiet=1):
        raise SystemExit("could not byte-compile droplets/")


def _check_environment() -> None:
    missing = []
    for module in ("requests", "droplets", "digitalocean", "pydo", "orjson", "limits", "redis"):
        done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, check=False)
        if done.returncode != 0:
            missing.append(module)
    if missing:
        raise SystemExit(
            f"missing {', '.join(missing)}: install the bench extra, "
            "e.g. pip install -e '.[bench]' (see benchmarks/README.md)"
        )
    if shutil.which("redis-server") is None and not os.path.exists("/usr/bin/redis-server"):
        raise SystemExit("missing redis-server (the fleet scenario's shared store): apt-get install redis-server")


MEASURES: dict[str, Callable[[Plan, Results], None]] = {
    "imports": measure_imports,
    "lists": measure_lists,
    "get": measure_get,
    "bulk": measure_bulk,
    "ready": measure_ready,
    "fleet": measure_fleet,
}
"""Every measurement, in the order a full run makes them."""


def build_parser() -> argparse.ArgumentParser:
    """The command-line options of the benchmark run."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: small N, 1 repetition (under a minute)")
    parser.add_argument("--repeat", type=int, help="repetitions of each list and get measurement (5)")
    parser.add_argument("--out", help="markdown report path (docs/performance.md; none with --quick); - for none")
    parser.add_argument("--json", help="also write the raw figures as JSON to this path")
    parser.add_argument(
        "--only",
        choices=sorted(MEASURES),
        action="append",
        help=(
            "run only these measurements (repeatable); fleet alone rewrites its section of the report in place,"
            " the others make a focused report that shows only their tables"
        ),
    )
    parser.add_argument(
        "--profile", action=argparse.BooleanOptionalAction, help="profile the droplets list (on unless --quick)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, print the report and write it.

    Args:
        argv: Command-line arguments (``sys.argv[1:]`` when None).

    Returns:
        The exit status.
    """
    args = build_parser().parse_args(argv)
    plan = QUICK if args.quick else Plan()
    changes: dict[str, Any] = {}
    if args.repeat is not None:
        changes.update(repeat=max(1, args.repeat), memory_repeat=max(1, min(args.repeat, plan.memory_repeat)))
    if args.profile is not None:
        changes["profile"] = args.profile
    plan = Plan(**{**plan.__dict__, **changes})
    _check_environment()
    _compile_bytecode()
    if args.only == ["fleet"]:
        return _only_fleet(args.out)
    command = "python -m benchmarks.run" + "".join(f" {arg}" for arg in (sys.argv[1:] if argv is None else argv))
    results = Results(plan, load_before=os.getloadavg())
    started = time.perf_counter()
    for name, measure in MEASURES.items():
        if not args.only or name in args.only:
            measure(plan, results)
    results.seconds = time.perf_counter() - started
    results.load_after = os.getloadavg()
    text = report.render(results, command=command, quick=args.quick)
    print(text)
    out = args.out if args.out is not None else ("-" if args.quick else "docs/performance.md")
    if out != "-":
        path = Path(out) if os.path.isabs(out) else ROOT / out
        path.write_text(text, encoding="utf-8")
        _log(f"wrote {path}")
    if args.json:
        Path(args.json).write_text(json.dumps(report.raw(results), indent=1), encoding="utf-8")
    return 0


def _only_fleet(out: str | None) -> int:
    """Measure the fleet scenario alone and rewrite its section of the report."""
    from benchmarks import fleet

    section = report.fleet_section(fleet.measure())
    print("\n".join(section))
    if out != "-":
        path = ROOT / (out or "docs/performance.md")
        path.write_text(report.splice_fleet(path.read_text(encoding="utf-8"), section), encoding="utf-8")
        _log(f"rewrote the fleet section of {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
