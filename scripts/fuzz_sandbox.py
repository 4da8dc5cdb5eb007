"""Fuzz the served sandbox with schemathesis over every operation of the vendored spec that it serves.

CI runs it (``.ci/run``, after ``pip install '.[fuzz]'``); run it by hand the same way::

    python scripts/fuzz_sandbox.py --max-time 240

The operations come from the sandbox's own route table: a spec operation is
fuzzed when ``droplets.sandbox.routes.resolve`` finds a handler for its path,
so the run grows with the sandbox as resources are added, and operations the
spec has but the sandbox does not serve yet are listed and left out. The run
covers the examples, coverage, fuzzing and stateful (OpenAPI links) phases
and fails on any failure of the five conformance checks below.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from droplets.sandbox.routes import resolve
from droplets.sandbox.server import SandboxServer

ROOT = Path(__file__).resolve().parent.parent
SPEC_FILE = ROOT / "tests" / "data" / "openapi" / "droplets-openapi.yaml"
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
)
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
SAMPLE_PARAMETERS = (
    "123",
    "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "192.0.2.1",
    "web",
    "3b:16:bf:e4:8b:00:8b:b8:59:8c:a9:d3:f0:19:45:fa",
)
"""Values tried for each path parameter: one of them fits each kind of id the routes accept."""
ACCOUNT = {
    "droplets": [
        {"name": "fuzz-1", "tags": ["fuzz"], "backups": [{"name": "fuzz-1 nightly"}], "snapshots": [{"name": "gold"}]},
        {"name": "fuzz-2", "tags": ["fuzz"], "status": "off"},
    ]
}


def spec_operations(spec: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Return ``(METHOD, path template, operationId)`` of every operation in the spec."""
    return [
        (method.upper(), path, operation["operationId"])
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def repair_links(spec: dict[str, Any]) -> list[str]:
    """Point the spec's links that name a missing operation at the one they mean, in place.

    The upstream spec's SSH key links name ``sshKeys_get_by_id``,
    ``sshKeys_delete_by_fingerprint``... while the operations are
    ``sshKeys_get`` and ``sshKeys_delete``; schemathesis refuses to run the
    stateful phase with a dangling link. A link is repointed to the
    operation on the same path whose id its name starts with.

    Returns:
        One line per repaired link.
    """
    ids = {operation_id for _, _, operation_id in spec_operations(spec)}
    repaired = []
    for link_name, link in spec.get("components", {}).get("links", {}).items():
        target = link.get("operationId")
        if target is None or target in ids:
            continue
        meant = next((i for i in sorted(ids, key=len, reverse=True) if _plain(target).startswith(_plain(i))), None)
        if meant is None:
            raise SystemExit(f"link {link_name} names {target}, which the spec does not have")
        link["operationId"] = meant
        repaired.append(f"  link {link_name}: {target} -> {meant}")
    return repaired


def _plain(operation_id: str) -> str:
    return operation_id.replace("_", "").lower()


def served_by(method: str, template: str) -> Any:
    """Return the sandbox handler that answers this operation's path, or None."""
    names = re.findall(r"{([^}]+)}", template)
    for values in itertools.product(SAMPLE_PARAMETERS, repeat=len(names)):
        path = template
        for name, value in zip(names, values, strict=True):
            path = path.replace("{" + name + "}", value)
        route = resolve(method, path)
        if route is not None:
            return route[0]
    return None


def is_served(method: str, template: str) -> bool:
    """Whether the sandbox's route table answers this operation's path."""
    return served_by(method, template) is not None


def main(argv: list[str] | None = None) -> int:
    """Serve the sandbox, run schemathesis on the served operations, return its exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-time", type=int, default=240, help="seconds schemathesis may spend (240)")
    parser.add_argument("--max-examples", type=int, default=30, help="test cases per operation and phase (30)")
    parser.add_argument("--workers", default="1", help="schemathesis workers (1: two raced inside schemathesis once)")
    parser.add_argument("--seed", type=int, default=0, help="schemathesis seed, for a reproducible run (0)")
    args = parser.parse_args(argv)

    spec = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    for line in repair_links(spec):
        print(line)
    operations = spec_operations(spec)
    served = [op for op in operations if is_served(op[0], op[1])]
    missing = [op for op in operations if op not in served]
    print(f"fuzzing {len(served)} of the spec's {len(operations)} operations (those the sandbox serves)")
    for method, path, operation_id in missing:
        print(f"  not served yet, left out: {method} {path} ({operation_id})")
    if not served:
        print("no operation of the spec is served: nothing to fuzz", file=sys.stderr)
        return 1

    with (
        tempfile.TemporaryDirectory(prefix="fuzz-sandbox-") as workdir,
        SandboxServer(
            port=0, seed=0, action_seconds=0.02, rate_limit=None, burst_limit=None, seed_droplets=5, fixture=ACCOUNT
        ) as server,
    ):
        spec_file = Path(workdir) / "openapi.json"
        spec_file.write_text(json.dumps(spec), encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            str(spec_file),
            "--url",
            server.url,
            "--header",
            "Authorization: Bearer fuzz-token",
            "--checks",
            ",".join(CHECKS),
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--max-time",
            str(args.max_time),
            "--max-examples",
            str(args.max_examples),
            "--workers",
            args.workers,
            "--seed",
            str(args.seed),
            "--request-timeout",
            "30",
            "--suppress-health-check",
            "all",
            "--warnings",
            "off",
            "--no-color",
        ]
        for _, _, operation_id in served:
            command += ["--include-operation-id", operation_id]
        return subprocess.call(command, cwd=workdir)  # its .schemathesis/ cache stays out of the repository


if __name__ == "__main__":
    sys.exit(main())
