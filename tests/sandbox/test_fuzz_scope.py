"""The schemathesis run's scope (``scripts/fuzz_sandbox.py``): derived from the route table, links repaired."""

from __future__ import annotations

import copy
import importlib.util
from types import ModuleType
from typing import Any

import pytest

from droplets.sandbox.routes import ROUTES
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_sandbox", ROOT / "scripts" / "fuzz_sandbox.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_served_operations_come_from_the_route_table(fuzz: ModuleType, spec: dict[str, Any]) -> None:
    operations = fuzz.spec_operations(spec)
    served = {operation_id for method, path, operation_id in operations if fuzz.is_served(method, path)}
    assert {"droplets_list", "droplets_create", "dropletActions_post", "images_get", "regions_list"} <= served
    assert "firewalls_list" not in served or any("firewalls" in pattern for _, pattern, _ in ROUTES)
    assert len(served) >= len(ROUTES) - 2, "nearly every route is one spec operation"


def test_every_route_serves_an_operation_of_the_spec(fuzz: ModuleType, spec: dict[str, Any]) -> None:
    handlers = {fuzz.served_by(method, path) for method, path, _ in fuzz.spec_operations(spec)}
    unfuzzed = [f"{method} {pattern}" for method, pattern, handler in ROUTES if handler not in handlers]
    assert unfuzzed == [], "a route the spec does not have would escape the fuzz run"


def test_dangling_links_are_repointed_to_the_operation_they_mean(fuzz: ModuleType, spec: dict[str, Any]) -> None:
    patched = copy.deepcopy(spec)
    repaired = fuzz.repair_links(patched)
    ids = {operation_id for _, _, operation_id in fuzz.spec_operations(patched)}
    assert all(link["operationId"] in ids for link in patched["components"]["links"].values())
    assert any("-> sshKeys_get" in line for line in repaired) or not repaired
    assert fuzz.repair_links(patched) == [], "a second pass finds nothing left to repair"
