"""``list``, ``show`` and the read-only listings, as tables and as JSON."""

from __future__ import annotations

import json

import pytest

from droplets.sandbox import Sandbox
from tests.cli.conftest import Run, assert_one_line_error, column_starts, table


def test_list_prints_an_aligned_table(run: Run, sandbox: Sandbox) -> None:
    ids = sandbox.seed_droplets(count=3, tag="web")
    result = run("list")
    assert result.code == 0 and result.err == ""
    lines = result.out.splitlines()
    assert lines[0].split("  ")[0] == "ID" and "Public IPv4" in lines[0] and "Status" in lines[0]
    assert len(lines) == 4
    header_starts = column_starts(lines[0])
    for line in lines[1:]:
        assert column_starts(line) == header_starts, f"misaligned:\n{result.out}"
    assert [int(row[0]) for row in table(result.out)[1:]] == ids


def test_list_json_equals_the_api_shape(run: Run, sandbox: Sandbox) -> None:
    sandbox.seed_droplets(count=2, tag="web")
    result = run("list", "-o", "json")
    assert result.code == 0
    assert json.loads(result.out) == sandbox.droplets()


def _ids(result_out: str) -> list[int]:
    return [droplet["id"] for droplet in json.loads(result_out)]


def test_list_filters_by_tag_on_the_server_and_by_status_and_region(run: Run, sandbox: Sandbox) -> None:
    web = sandbox.seed_droplets(count=2, tag="web")
    db = sandbox.seed_droplets(count=1, tag="db")
    off = sandbox.seed_droplets(count=1, tag="web", status="off", region="sfo3")
    sandbox.reset_log()
    assert _ids(run("list", "--tag", "web", "-o", "json").out) == web + off
    assert any("tag_name=web" in path for _, path in sandbox.requests)
    assert _ids(run("list", "--status", "off", "-o", "json").out) == off
    assert _ids(run("list", "--region", "sfo3", "-o", "json").out) == off
    assert _ids(run("list", "--region", "nyc3", "--status", "active", "-o", "json").out) == web + db


def test_list_no_header_and_empty_account(run: Run, sandbox: Sandbox) -> None:
    assert run("list", "--no-header").out == ""
    assert run("list").out.startswith("ID")
    assert json.loads(run("list", "-o", "json").out) == []
    sandbox.seed_droplets(count=1, tag="web")
    assert not run("list", "--no-header").out.startswith("ID")


def test_show_one_droplet(run: Run, sandbox: Sandbox) -> None:
    (droplet_id,) = sandbox.seed_droplets(count=1, tag="web")
    result = run("show", str(droplet_id))
    assert result.code == 0
    assert table(result.out)[1][:2] == [str(droplet_id), "web-1"]
    data = json.loads(run("show", str(droplet_id), "-o", "json").out)
    assert data == sandbox.droplets()[0]


def test_actions_kernels_snapshots_backups(run: Run, sandbox: Sandbox) -> None:
    (droplet_id,) = sandbox.seed_droplets(count=1, tag="web")
    assert run("snapshot", str(droplet_id), "--name", "snap-1", "--wait").code == 0
    assert run("enable-backups", str(droplet_id), "--wait").code == 0
    sandbox.clock.advance(2 * 86400)  # type: ignore[attr-defined]

    actions = run("actions", str(droplet_id), "-o", "json")
    assert actions.code == 0
    assert {a["type"] for a in json.loads(actions.out)} >= {"snapshot", "enable_backups"}
    assert table(run("actions", str(droplet_id)).out)[0][:3] == ["ID", "Status", "Type"]

    kernels = json.loads(run("kernels", str(droplet_id), "-o", "json").out)
    assert kernels and set(kernels[0]) == {"id", "name", "version"}
    assert table(run("kernels", str(droplet_id)).out)[0] == ["ID", "Name", "Version"]

    snapshots = json.loads(run("snapshots", str(droplet_id), "-o", "json").out)
    assert [s["name"] for s in snapshots] == ["snap-1"]
    assert "snap-1" in run("snapshots", str(droplet_id)).out

    backups = json.loads(run("backups", str(droplet_id), "-o", "json").out)
    assert backups and all(b["type"] == "backup" for b in backups)
    assert run("backups", str(droplet_id)).out.count("backup") == len(backups)


def test_neighbors_of_one_droplet_and_of_the_account(run: Run, sandbox: Sandbox) -> None:
    ids = sandbox.seed_droplets(count=3, tag="web")
    report = json.loads(run("neighbors", "-o", "json").out)
    assert report and all(len(group) >= 2 for group in report)
    grouped = [d["id"] for d in report[0]]
    mine = json.loads(run("neighbors", str(grouped[0]), "-o", "json").out)
    assert [d["id"] for d in mine] == grouped[1:]
    text = run("neighbors").out
    assert table(text)[0][:2] == ["Group", "ID"]
    assert [row[0] for row in table(text)[1:]] == ["1"] * len(grouped)
    assert set(grouped) <= set(ids)


@pytest.mark.parametrize(
    ("command", "header", "key"),
    [
        ("regions", ["Slug", "Name", "Available"], "slug"),
        ("sizes", ["Slug", "Description", "Memory"], "slug"),
        ("images", ["ID", "Name", "Type"], "id"),
        ("ssh-keys", ["ID", "Name", "FingerPrint"], "fingerprint"),
    ],
)
def test_catalog_listings(run: Run, sandbox: Sandbox, command: str, header: list[str], key: str) -> None:
    result = run(command)
    assert result.code == 0
    assert table(result.out)[0][: len(header)] == header
    data = json.loads(run(command, "-o", "json").out)
    assert data and all(key in item for item in data)
    assert len(result.out.splitlines()) == len(data) + 1


def test_images_filters(run: Run, sandbox: Sandbox) -> None:
    distributions = json.loads(run("images", "--type", "distribution", "-o", "json").out)
    assert distributions and all(i["type"] in ("base", "distribution") or i["distribution"] for i in distributions)
    assert any("type=distribution" in path for _, path in sandbox.requests)
    assert run("images", "--private").code == 0
    assert any("private=true" in path for _, path in sandbox.requests)


@pytest.mark.parametrize("command", [("list",), ("destroy", "-f"), ("power-off",), ("reboot",)])
def test_an_empty_tag_is_refused_never_all_droplets(run: Run, sandbox: Sandbox, command: tuple[str, ...]) -> None:
    sandbox.seed_droplets(count=2, tag="web")
    sandbox.reset_log()
    result = run(*command, "--tag", "")
    assert_one_line_error(result)
    assert result.out == "" and sandbox.requests == [] and len(sandbox.droplets()) == 2
