"""``droplets metrics ID KIND``: a sparkline by default, every point with -o table, the series with -o json."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from droplets.cli.commands_metrics import BARS, sparkline
from droplets.sandbox import Sandbox
from tests.cli.conftest import Run, assert_one_line_error, table


@pytest.fixture
def droplet_id(sandbox: Sandbox) -> int:
    (droplet_id,) = sandbox.seed_droplets(count=1, tag="web")
    sandbox.clock.advance(6 * 3600)
    return droplet_id


def test_the_default_is_a_sparkline_with_min_max_and_last(run: Run, droplet_id: int) -> None:
    result = run("metrics", str(droplet_id), "cpu", "--since", "2h")
    assert result.code == 0 and result.err == ""
    heading, chart, summary = result.out.splitlines()
    assert heading.startswith(f"droplet {droplet_id} cpu, ")
    assert chart and set(chart) <= set(BARS) and len(chart) <= 60
    assert summary.startswith("min ") and " max " in summary and " last " in summary
    assert re.search(r"\((59|60) points\)$", summary), "two hours of two-minute samples, as utilisation steps"


def test_table_lists_every_point_and_json_the_whole_series(run: Run, droplet_id: int) -> None:
    rows = table(run("metrics", str(droplet_id), "memory_free", "-o", "table").out)
    assert rows[0] == ["Time (UTC)", "Value (bytes)"] and len(rows) - 1 in (30, 31)
    assert all(datetime.strptime(r[0], "%Y-%m-%d %H:%M:%S") and float(r[1]) > 0 for r in rows[1:])

    result = run("metrics", str(droplet_id), "bandwidth", "--interface", "private", "--direction", "outbound",
                 "--since", "30m", "-o", "json")  # fmt: skip
    data = json.loads(result.out)
    assert data["kind"] == "bandwidth" and data["unit"] == "Mbit/s" and data["droplet_id"] == droplet_id
    assert data["lines"][0]["labels"]["interface"] == "private" and len(data["points"]) in (15, 16)


@pytest.mark.parametrize("since", ["1x", "h", "0m", "-1h", "1h30"])
def test_a_bad_duration_is_a_usage_error(run: Run, droplet_id: int, since: str) -> None:
    assert run("metrics", str(droplet_id), "cpu", "--since", since).code == 2


def test_an_unknown_kind_is_a_usage_error(run: Run, droplet_id: int) -> None:
    assert run("metrics", str(droplet_id), "memory").code == 2


def test_a_droplet_without_samples_says_so(run: Run, sandbox: Sandbox) -> None:
    result = run("metrics", "99999999", "load_5")
    assert result.code == 0 and "no samples in this range" in result.out


def test_a_failure_is_one_line(run: Run, sandbox: Sandbox, droplet_id: int) -> None:
    sandbox.faults.inject(method="GET", path="/v2/monitoring/metrics/droplet/cpu", status=401, times=None)
    assert_one_line_error(run("metrics", str(droplet_id), "cpu"))


def test_sparkline_scales_and_resamples() -> None:
    assert sparkline([]) == ""
    assert sparkline([1.0, 1.0]) == BARS[0] * 2
    assert sparkline([0.0, 0.5, 1.0]) == BARS[0] + BARS[4] + BARS[-1]
    assert len(sparkline([float(i) for i in range(500)], width=40)) == 40
