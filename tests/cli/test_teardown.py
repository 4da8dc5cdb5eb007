"""``droplets destroy ID --with-associated all|selective``: shows the resources and their cost, asks, destroys."""

from __future__ import annotations

import io

import pytest

from droplets import Droplet, ReservedIP, Volume
from droplets.sandbox import Sandbox
from tests.cli.conftest import FakeTTY, Run, assert_one_line_error


def _equipped(sandbox: Sandbox) -> tuple[Droplet, Volume, ReservedIP]:
    d = Droplet.objects.create(name="web-1", region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", wait=True)
    volume = Volume.objects.create(name="data", size_gigabytes=100, region="nyc3")
    volume.attach(d, wait=True)
    ip = ReservedIP.objects.create(droplet=d)
    sandbox.clock.advance(60)
    return d, volume, ip


def test_the_dangerous_way_lists_the_costs_and_asks_first(
    run: Run, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    d, volume, _ = _equipped(sandbox)
    monkeypatch.setattr("sys.stdin", FakeTTY("n\n"))
    refused = run("destroy", str(d.id), "--with-associated", "all")
    assert refused.code == 1
    assert "10.00" in refused.out and "5.00" in refused.out and "total 15.00 USD/month" in refused.out
    assert "ALL its associated resources" in refused.err and "X-Dangerous" in refused.err
    assert [v.id for v in Volume.objects.all()] == [volume.id]

    monkeypatch.setattr("sys.stdin", FakeTTY("y\n"))
    done = run("destroy", str(d.id), "--with-associated", "all", "--wait")
    assert done.code == 0, done.err
    assert "with all its associated resources (done)" in done.out
    assert Volume.objects.count() == 0 and ReservedIP.objects.count() == 0
    assert [r for r in sandbox.requests if r[1].endswith("/dangerous")] == [
        ("DELETE", f"/v2/droplets/{d.id}/destroy_with_associated_resources/dangerous")
    ]


def test_the_selective_way_marks_what_is_kept(run: Run, sandbox: Sandbox) -> None:
    d, volume, ip = _equipped(sandbox)
    result = run("destroy", str(d.id), "--with-associated", "selective", "--reserved-ip", ip.ip, "--wait", "-f")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert any(ip.ip in line and line.rstrip().endswith("destroy") for line in lines)
    assert any("data" in line and "keep (still billed)" in line for line in lines)
    assert ReservedIP.objects.count() == 0 and [v.id for v in Volume.objects.all()] == [volume.id]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--with-associated", "all", "--volume", "data"], "drop --volume"),
        (["--volume", "data"], "need --with-associated selective"),
        (["--tag", "web", "--with-associated", "all"], "exactly one droplet ID"),
        (["--with-associated", "selective", "--volume", "someone-elses"], "not associated"),
    ],
)
def test_bad_combinations_destroy_nothing(
    run: Run, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    d, _, _ = _equipped(sandbox)
    monkeypatch.setattr("sys.stdin", FakeTTY("y\n"))
    ids = [] if "--tag" in args else [str(d.id)]
    result = run("destroy", *ids, *args)
    assert_one_line_error(result)
    assert message in result.err
    assert Droplet.objects.get(id=d.id).status == "active" and Volume.objects.count() == 1


def test_without_a_terminal_it_refuses_unless_forced(
    run: Run, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    d, _, _ = _equipped(sandbox)
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    result = run("destroy", str(d.id), "--with-associated", "all")
    assert_one_line_error(result)
    assert "--force" in result.err and Volume.objects.count() == 1


@pytest.mark.parametrize("how", [["all"], ["selective", "--volume", "data", "--reserved-ip", "{ip}"]])
def test_poll_reaches_the_wait_of_a_destroy_with_associated_resources(
    run: Run, sandbox: Sandbox, how: list[str]
) -> None:
    d, _, ip = _equipped(sandbox)
    sandbox.reset_log()
    way = [arg.format(ip=ip.ip) for arg in how]
    result = run("destroy", str(d.id), "--with-associated", *way, "--wait", "--poll", "1", "-f")
    assert result.code == 0, result.err
    status = ("GET", f"/v2/droplets/{d.id}/destroy_with_associated_resources/status")
    # The reserved IP goes 3 s after the DELETE, the volume 6 s after: read every second, the flow is done at the 6th.
    assert sandbox.requests.count(status) == 6
