"""Several OS processes on one token against ``droplets sandbox serve``, with and without a shared Redis budget.

The served sandbox enforces a small burst window (20 requests per 2 s) per
token across all its clients, as DigitalOcean does with its 250 a minute.
With the store every worker draws from one budget: the server answers no
429 and every droplet is created exactly once. Without it each worker
believes it owns the budget: they run into 429s, which the retry policy
absorbs (a 429 was not processed, so even a create is retried), and still
nothing is lost.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fleet.conftest import ROOT, ServedSandbox

WORKER = Path(__file__).with_name("fleet_worker.py")
TOKEN = "dop_v1_" + "fleet" * 12
WORKERS = 3
EACH = 15
BURST = ("--burst-limit", "20", "--burst-window", "2")
WINDOWS = "20/2 seconds"


def run_fleet(served: ServedSandbox, *shared: str) -> list[dict[str, object]]:
    """Start the workers at once, wait for all, return their reports."""
    processes = [
        subprocess.Popen(
            [sys.executable, str(WORKER), served.url, TOKEN, str(number), str(EACH), *shared],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(WORKERS)
    ]
    reports = []
    for process in processes:
        output, errors = process.communicate(timeout=300)
        assert process.returncode == 0, f"worker failed: {output} {errors}"
        reports.append(json.loads(output.strip().splitlines()[-1]))
    return reports


def assert_nothing_lost(served: ServedSandbox, reports: list[dict[str, object]]) -> None:
    expected = {f"w{worker}-{number}" for worker in range(WORKERS) for number in range(EACH)}
    assert {name for report in reports for name in report["created"]} == expected  # type: ignore[attr-defined]
    listing = served.get("/v2/droplets?tag_name=fleet&per_page=200", TOKEN)
    names = [droplet["name"] for droplet in listing["droplets"]]
    assert sorted(names) == sorted(expected), "every droplet exists exactly once"


def test_with_a_shared_store_the_fleet_gets_no_429(
    serve_sandbox: Callable[..., ServedSandbox], redis_store: str
) -> None:
    served = serve_sandbox(*BURST)
    reports = run_fleet(served, redis_store, WINDOWS)
    stats = served.stats()
    assert stats["rate_limited"] == 0, stats
    assert stats["admitted"] == WORKERS * EACH
    assert sum(report["retries"] for report in reports) == 0  # type: ignore[misc]
    assert_nothing_lost(served, reports)
    assert "0 answered 429" in served.stop()


def test_without_a_store_the_fleet_runs_into_429s_that_the_retry_policy_absorbs(
    serve_sandbox: Callable[..., ServedSandbox],
) -> None:
    served = serve_sandbox(*BURST)
    reports = run_fleet(served)
    stats = served.stats()
    assert stats["rate_limited"] > 0, "the workers, each pacing alone, overran the token's burst window"
    assert stats["burst"] == stats["rate_limited"]
    assert sum(report["retries"] for report in reports) == stats["rate_limited"]  # type: ignore[misc]
    assert_nothing_lost(served, reports)
    assert f"{stats['rate_limited']} answered 429" in served.stop()


@pytest.mark.parametrize("flags", [BURST])
def test_the_served_sandbox_counts_one_budget_per_token_across_clients(
    serve_sandbox: Callable[..., ServedSandbox], flags: tuple[str, ...]
) -> None:
    served = serve_sandbox(*flags)
    import urllib.error

    answers = []
    for _ in range(25):
        try:
            served.get("/v2/regions", TOKEN)
            answers.append(200)
        except urllib.error.HTTPError as error:
            answers.append(error.code)
            assert error.headers["retry-after"] in {"1", "2"}
    assert answers.count(200) == 20 and answers.count(429) == 5
    served.get("/v2/regions", "another-token")  # another token has its own budget
    assert served.stats() == {"admitted": 21, "rate_limited": 5, "hourly": 0, "burst": 5, "path": 0, "tokens": 2}
