"""``droplets autoscale list|create|get|delete|members`` on the sandbox."""

from __future__ import annotations

import json

from droplets import AutoscalePool
from droplets.sandbox import Sandbox
from tests.cli.conftest import Run, assert_one_line_error, table

CREATE = ["autoscale", "create", "web", "--region", "nyc3", "--size", "s-1vcpu-1gb", "--image", "ubuntu-24-04-x64"]


def test_create_list_get_members_and_delete(run: Run, sandbox: Sandbox) -> None:
    created = run(*CREATE, "--target", "2", "--tag", "pool", "-o", "json")
    assert created.code == 0, created.err
    pool = json.loads(created.out)
    assert pool["config"] == {"target_number_instances": 2} and pool["droplet_template"]["tags"] == ["pool"]
    sandbox.clock.advance(120)

    rows = table(run("autoscale", "list").out)
    assert rows[0][:4] == ["ID", "Name", "Status", "Size"] and rows[1][:4] == [pool["id"], "web", "active", "2"]
    assert json.loads(run("autoscale", "get", pool["id"], "-o", "json").out)["id"] == pool["id"]
    members = table(run("autoscale", "members", pool["id"]).out)
    assert len(members) == 3 and all(row[1] == "active" for row in members[1:])

    refused = run("autoscale", "delete", pool["id"])
    assert_one_line_error(refused)
    assert "--force" in refused.err
    deleted = run("autoscale", "delete", pool["id"], "--with-droplets", "--force")
    assert deleted.code == 0 and "and its droplets" in deleted.out
    assert AutoscalePool.objects.count() == 0


def test_a_scaled_pool_and_the_usage_errors(run: Run, sandbox: Sandbox) -> None:
    result = run(*CREATE, "--min", "1", "--max", "4", "--cpu-target", "0.6", "-o", "json")
    assert result.code == 0, result.err
    config = json.loads(result.out)["config"]
    assert config == {"min_instances": 1, "max_instances": 4, "target_cpu_utilization": 0.6}

    assert_one_line_error(run(*CREATE, "--target", "2", "--min", "1", "--max", "3"))
    assert_one_line_error(run(*CREATE, "--min", "1"))
    assert_one_line_error(run(*CREATE, "--target", "0"))
    assert run("autoscale", "create", "web").code == 2
