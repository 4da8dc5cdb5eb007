"""``--help`` everywhere, ``--version``, the console script, ``demo`` and ``sandbox serve``."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from droplets import __version__
from droplets.cli import build_parser, main
from droplets.demo import main as demo_main
from tests.cli.conftest import FAKE_TOKEN, Run

BIN = Path(sys.executable).parent


def _subcommands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((*prefix, name))
                found.extend(_subcommands(sub, (*prefix, name)))
    return found


SUBCOMMANDS = _subcommands(build_parser())


def test_every_required_command_exists() -> None:
    names = {" ".join(command) for command in SUBCOMMANDS}
    required = [
        "list",
        "show",
        "create",
        "destroy",
        "power-on",
        "power-off",
        "power-cycle",
        "shutdown",
        "reboot",
        "enable-backups",
        "disable-backups",
        "enable-ipv6",
        "enable-private-networking",
        "resize",
        "rename",
        "rebuild",
        "restore",
        "change-kernel",
        "password-reset",
        "snapshot",
        "actions",
        "kernels",
        "snapshots",
        "backups",
        "neighbors",
        "regions",
        "sizes",
        "images",
        "ssh-keys",
        "demo",
    ]
    assert set(required) | {"sandbox serve"} <= names


@pytest.mark.parametrize("command", SUBCOMMANDS, ids=" ".join)
def test_help_of_every_subcommand_has_an_example(run: Run, command: tuple[str, ...]) -> None:
    result = run(*command, "--help")
    assert result.code == 0
    assert result.out.startswith(f"usage: droplets {' '.join(command)}")
    assert "Example:\n  droplets " in result.out


def test_top_level_help_and_no_arguments(run: Run) -> None:
    result = run("--help")
    assert result.code == 0 and "Examples:" in result.out and "DIGITALOCEAN_TOKEN" in result.out
    bare = run()
    assert bare.code == 0 and bare.out.startswith("usage: droplets")


def test_version(run: Run) -> None:
    result = run("--version")
    assert result.code == 0 and result.out == f"droplets {__version__}\n"


def test_console_script_help() -> None:
    done = subprocess.run([str(BIN / "droplets"), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.startswith("usage: droplets") and "power-off" in done.stdout


def test_python_dash_m_droplets() -> None:
    done = subprocess.run([sys.executable, "-m", "droplets", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == f"droplets {__version__}\n"


def test_demo_runs_every_step_on_virtual_time(run: Run) -> None:
    # No wall-clock bound here (a shared machine): the waits run on the sandbox's virtual clock.
    result = run("demo")
    assert result.code == 0, result.err
    assert result.err == ""
    out = result.out
    for step in range(1, 8):
        assert f"[{step}/7]" in out
    assert "create_many" in out and "power_off(wait=True)" in out and "destroy(wait=True)" in out
    assert "3 power_off actions" in out and "completed" in out
    assert "is now s-2vcpu-4gb" in out
    assert "droplets left in the account: 0" in out
    assert "d.volumes(): ['demo-data']" in out and "volumes: 0, reserved IPs: 0" in out
    # The attachments step: the volume in the droplet's volume_ids, the reserved IP on it and in its networks.
    attached = re.search(r"(\S+)'s volume_ids: \[('[0-9a-f-]{36}')\]", out)
    pointed = re.search(r"reserved IP (\d+\.\d+\.\d+\.\d+) points at (\S+); it shows in the", out)
    assert attached and pointed and attached.group(1) == pointed.group(2)
    assert re.search(rf"droplet's networks too: \[[^\]]*'{re.escape(pointed.group(1))}'", out)
    assert "of virtual time, in" in out and "of real time" in out
    assert FAKE_TOKEN not in out


def test_demo_module_main_leaves_the_default_client_alone(capsys: pytest.CaptureFixture[str]) -> None:
    import droplets.client

    before = droplets.client._default
    assert demo_main([]) == 0
    assert droplets.client._default is before
    assert "Done:" in capsys.readouterr().out


def test_sandbox_serve_delegates_to_the_sandbox_main(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def fake_main(argv: list[str] | None = None) -> int:
        seen.append(list(argv or []))
        return 0

    monkeypatch.setattr("droplets.sandbox.__main__.main", fake_main)
    result = run("sandbox", "serve", "--port", "0", "--latency-ms", "5", "--seed", "3")
    assert result.code == 0
    assert seen == [["--port", "0", "--latency-ms", "5", "--seed", "3"]]


def test_sandbox_serve_checks_its_options(run: Run) -> None:
    result = run("sandbox", "serve", "--port", "not-a-port")
    assert result.code == 2 and "usage: droplets sandbox serve" in result.err
    assert run("sandbox").code == 2


def test_sandbox_serve_over_http_with_the_command_as_client(tmp_path: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "droplets", "sandbox", "serve", "--port", "0", "--seed-droplets", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        banner = server.stdout.readline()
        assert "listening on http://127.0.0.1:" in banner, banner
        url = banner.split("listening on ")[1].split()[0]
        env = {**os.environ, "DIGITALOCEAN_API_URL": url, "DIGITALOCEAN_TOKEN": FAKE_TOKEN}
        env.pop("DIGITALOCEAN_ACCESS_TOKEN", None)
        done = subprocess.run(
            [str(BIN / "droplets"), "list", "--tag", "sandbox", "-o", "json"],
            capture_output=True, text=True, env=env, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert [d["name"] for d in json.loads(done.stdout)] == ["sandbox-1", "sandbox-2"]
        missing = subprocess.run(
            [str(BIN / "droplets"), "show", "1"], capture_output=True, text=True, env=env, timeout=60
        )
        assert missing.returncode == 1
        assert (
            missing.stderr.startswith("Error: Droplet 1 does not exist: 404 not_found")
            and missing.stderr.count("\n") == 1
        )
        assert FAKE_TOKEN not in missing.stderr + missing.stdout
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_main_reads_sys_argv_when_none(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.argv", ["droplets", "--version"])
    assert main() == 0
    assert capsys.readouterr().out.startswith("droplets ")


def test_demo_needs_nothing_from_the_environment(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DIGITALOCEAN_TOKEN", raising=False)
    monkeypatch.setenv("DIGITALOCEAN_API_URL", "http://not-loopback.example.com")
    result = run("demo")
    assert result.code == 0, result.err
    assert "droplets left in the account: 0" in result.out
