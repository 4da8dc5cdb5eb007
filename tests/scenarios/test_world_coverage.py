"""``docs/coverage.md`` maps every operation of the droplet's world to a call and a test that runs it."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from test_seed_coverage import COVERAGE, collected, final_call, function_source

from droplets.sandbox.routes import resolve
from tests.conftest import SPEC_FILE

SECTIONS = (
    "SSH Keys",
    "Tags",
    "VPCs",
    "Images",
    "Image Actions",
    "Snapshots",
    "Monitoring",
    "Account",
    "Droplet Autoscale Pools",
    "Block Storage",
    "Block Storage Actions",
    "Reserved IPs",
    "Reserved IP Actions",
    "Firewalls",
)
"""The spec's sections this table covers (the droplet's world)."""
FLOWS = ("/v2/droplets/{droplet_id}/destroy_with_associated_resources",)
"""Paths (and below) of other sections that the table covers too: the Droplets section's teardown flow."""
ROW = re.compile(r"^\| `(GET|POST|PUT|PATCH|DELETE) (/v2/[^`]*)` \| (.+?) \| `([^`]+)` \| (.+?) \|$", re.MULTILINE)


@dataclass(frozen=True)
class Row:
    operation: tuple[str, str]
    calls: tuple[str, ...]
    node: str
    cassette: str | None


def rows() -> list[Row]:
    out = []
    for method, path, model, node, cassette in ROW.findall(COVERAGE.read_text(encoding="utf-8")):
        name = cassette.strip("` ")
        calls = tuple(final_call(snippet) for snippet in re.findall(r"`([^`]+)`", model))
        out.append(Row((method, path), calls, node, None if name == "—" else name))
    return out


def spec_operations() -> set[tuple[str, str]]:
    spec = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    return {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if isinstance(operation, dict) and (operation.get("tags", [""])[0] in SECTIONS or path.startswith(FLOWS))
    }


def _example_path(template: str) -> str:
    """A concrete path for a template, with ids of the right shape for the route table."""
    values = {
        "ssh_key_identifier": "512189",
        "tag_id": "env:prod",
        "snapshot_id": "6372321",
        "vpc_id": "5a4981aa-9653-4bd1-bef5-d6bff52042e4",
        "image_id": "7555620",
        "action_id": "36805022",
        "autoscale_pool_id": "0d3db13e-a604-4944-9827-7ec2642d32ac",
        "volume_id": "506f78a4-e098-11e5-ad9f-000f53306ae1",
        "reserved_ip": "45.55.96.47",
        "firewall_id": "bb4b2611-3d72-467b-8602-280330ecd65c",
        "droplet_id": "3164444",
    }
    return re.sub(r"\{(\w+)\}", lambda m: values[m[1]], template)


def test_every_operation_has_a_row() -> None:
    table = {row.operation for row in rows()}
    wanted = spec_operations()
    assert wanted
    missing = sorted(wanted - table)
    assert not missing, f"operations without a row in docs/coverage.md: {missing}"
    assert table - wanted == set(), "rows for operations outside the covered sections"


def test_every_operation_has_a_sandbox_route() -> None:
    for method, path in spec_operations():
        assert resolve(method, _example_path(path)) is not None, f"the sandbox has no route for {method} {path}"


def test_every_row_names_a_test_that_runs_the_call() -> None:
    table = rows()
    nodes = collected(tuple(sorted({row.node.split("::")[0] for row in table})))
    for row in table:
        assert row.node in nodes, f"{row.operation}: {row.node} does not collect"
        assert row.node.endswith("[sandbox]"), f"{row.operation}: name the sandbox world's node"
        source, cassettes = function_source(row.node)
        for call in row.calls:
            assert re.search(rf"\.{call}\(", source), f"{row.node} does not call .{call}()"
        if row.cassette is not None:
            assert row.cassette in cassettes, f"{row.node} does not replay {row.cassette}"
