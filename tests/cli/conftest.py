"""Helpers for the command-line tests: run ``main`` in process on a sandbox."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from droplets import Client
from droplets.cli import main
from droplets.sandbox import Sandbox

FAKE_TOKEN = "dop_v1_FAKE_TOKEN_must_never_be_printed_0123456789"


@dataclass
class Result:
    """What one run of the command did."""

    code: int
    out: str
    err: str


Run = Callable[..., Result]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run ``droplets ARGS...`` in process and capture its exit status and output.

    The environment holds a recognisable fake token, so tests can assert it
    is never printed.
    """
    monkeypatch.setenv("DIGITALOCEAN_TOKEN", FAKE_TOKEN)
    capsys.readouterr()

    def invoke(*args: str) -> Result:
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def sandbox(droplets_sandbox: Client) -> Sandbox:
    """The sandbox behind the default client of this test."""
    return droplets_sandbox.transport.sandbox  # type: ignore[attr-defined,no-any-return]


class FakeTTY(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def assert_one_line_error(result: Result) -> None:
    """The failure contract: non-zero, one line on stderr, no traceback, no token."""
    assert result.code != 0
    assert result.err.endswith("\n") and result.err.count("\n") == 1, result.err
    assert result.err.startswith("Error: ")
    assert "Traceback" not in result.err + result.out
    assert FAKE_TOKEN not in result.err + result.out


def column_starts(line: str) -> list[int]:
    """Where each cell of a table line starts (cells are separated by 2+ spaces)."""
    return [match.start() for match in re.finditer(r"\S+(?: \S+)*", line)]


def table(out: str) -> list[list[str]]:
    """Split a table (cells without empty ones) into rows of cells."""
    return [re.split(r"\s{2,}", line.strip()) for line in out.splitlines()]
