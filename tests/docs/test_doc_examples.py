"""The documentation's examples run, so they cannot rot.

* Every ```python block of a docs page (and of README.md) runs, in page order,
  in one namespace per page, like a doctest session, with a fresh sandbox
  installed as the default client and no ``DIGITALOCEAN_*`` variables set.
  A block preceded by ``<!-- not-run: reason -->`` is skipped (it needs a
  real account); a block preceded by ``<!-- pytest-file -->`` is an example
  test module and is run by pytest in a subprocess.
* Every ``droplets ...`` command line in a ```sh block of the CLI page parses
  with the command's own parser (``python -m droplets.sandbox`` lines with
  that module's parser).
* ``mkdocs.yml``'s nav names every page of ``docs/`` and nothing missing;
  the strict build passes when MkDocs is installed (the ``docs`` extra).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import droplets
from droplets.cli import build_parser
from droplets.client import _override, _reset_default
from droplets.sandbox.__main__ import build_parser as sandbox_parser

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# Pages other engineers own: their examples are tested where they are maintained.
OTHERS = {"seed-compat.md", "coverage.md", "performance.md"}
PAGES = sorted(p for p in DOCS.rglob("*.md") if p.relative_to(DOCS).as_posix() not in OTHERS)
EXAMPLE_FILES = [*PAGES, ROOT / "README.md"]

FENCE = re.compile(r"^```(?P<lang>[\w-]*)[^\n]*\n(?P<code>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
MARKER = re.compile(r"<!--\s*(?P<kind>not-run|pytest-file)\s*(?::\s*(?P<reason>.*?))?\s*-->\s*\Z", re.DOTALL)


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    path: Path
    line: int
    lang: str
    code: str
    marker: str | None
    reason: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def blocks(path: Path) -> list[Block]:
    """The fenced blocks of a Markdown file, with the marker comment before each."""
    text = path.read_text()
    found = []
    for match in FENCE.finditer(text):
        before = text[: match.start()].rstrip()
        marker = MARKER.search(before)
        found.append(
            Block(
                path=path,
                line=text.count("\n", 0, match.start()) + 1,
                lang=match["lang"],
                code=match["code"],
                marker=marker["kind"] if marker else None,
                reason=(marker["reason"] or "") if marker else "",
            )
        )
    return found


def _ident(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.fixture
def fresh_default() -> Iterator[None]:
    """A fresh sandbox as the default client and a clean environment, restored afterwards."""
    saved = {name: value for name, value in os.environ.items() if name.startswith("DIGITALOCEAN_")}
    for name in saved:
        del os.environ[name]
    previous = _reset_default(droplets.Client.sandbox())
    token = _override.set(None)
    try:
        yield
    finally:
        _override.reset(token)
        _reset_default(previous)
        for name in [n for n in os.environ if n.startswith("DIGITALOCEAN_")]:
            del os.environ[name]
        os.environ.update(saved)


@pytest.mark.usefixtures("fresh_default")
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=_ident)
def test_python_examples_run(path: Path, tmp_path: Path) -> None:
    namespace: dict[str, object] = {"__name__": f"docs_{path.stem}"}
    ran = 0
    for block in blocks(path):
        if block.lang != "python" or block.marker == "not-run":
            continue
        if block.marker == "pytest-file":
            _run_as_pytest(block, tmp_path)
            ran += 1
            continue
        # Leading newlines make tracebacks name the line of the Markdown file.
        code = compile("\n" * block.line + block.code, _ident(path), "exec")
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                exec(code, namespace)
            except Exception:
                pytest.fail(f"{block.where}: the example failed:\n{traceback.format_exc(limit=-3)}")
        ran += 1
    if path.name != "index.md" and "reference" not in path.parts:
        assert ran, f"{_ident(path)} has no runnable python example"


def _run_as_pytest(block: Block, tmp_path: Path) -> None:
    test_file = tmp_path / f"test_doc_example_{block.line}.py"
    test_file.write_text(block.code)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGITALOCEAN_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"{block.where}: the example test file failed:\n{result.stdout}\n{result.stderr}"


def test_not_run_blocks_say_why() -> None:
    for path in EXAMPLE_FILES:
        for block in blocks(path):
            if block.marker == "not-run":
                assert block.reason.strip(), f"{block.where}: a not-run block must give its reason"


def _command_lines(path: Path) -> list[tuple[str, list[str]]]:
    """Every ``droplets ...`` / ``python -m droplets.sandbox ...`` command of the sh blocks."""
    commands = []
    for block in blocks(path):
        if block.lang not in ("sh", "bash", "console"):
            continue
        for line in block.code.replace("\\\n", " ").splitlines():
            line = line.split(" #", 1)[0].strip().removeprefix("$ ")
            if not line or line.startswith("#"):
                continue
            for segment in re.split(r"&&|\|\||\||;", line):
                words = shlex.split(segment)
                while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
                    words.pop(0)
                if words[:1] == ["droplets"]:
                    commands.append(("droplets", words[1:]))
                elif words[:3] == ["python", "-m", "droplets.sandbox"]:
                    commands.append(("sandbox", words[3:]))
    return commands


def test_cli_page_commands_parse() -> None:
    commands = _command_lines(DOCS / "cli.md")
    assert len(commands) >= 10, "the CLI page should show the commands"
    named = {argv[0] for kind, argv in commands if kind == "droplets" and argv}
    assert named >= {"list", "show", "create", "destroy", "power-off", "sandbox", "demo"}
    for kind, argv in commands:
        parser = build_parser() if kind == "droplets" else sandbox_parser()
        with contextlib.redirect_stderr(io.StringIO()) as err, contextlib.redirect_stdout(io.StringIO()):
            try:
                parser.parse_args(argv)
            except SystemExit as stop:
                pytest.fail(f"`{kind} {shlex.join(argv)}` does not parse (exit {stop.code}): {err.getvalue()}")


def _nav_pages(nav: object) -> Iterator[str]:
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_pages(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_pages(value)


def test_nav_lists_every_page_and_only_existing_ones() -> None:
    yaml = pytest.importorskip("yaml")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    assert config["docs_dir"] == "docs"
    nav = list(_nav_pages(config["nav"]))
    existing = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert set(nav) <= existing, f"nav names missing pages: {sorted(set(nav) - existing)}"
    # Other owners' pages may land before their nav entry; the build only notes them.
    missing = existing - set(nav) - OTHERS
    assert not missing, f"pages missing from the nav: {sorted(missing)}"
    assert len(nav) == len(set(nav))


def test_index_quick_start_is_the_readme_s() -> None:
    readme = [b.code.strip() for b in blocks(ROOT / "README.md") if b.lang == "sh"]
    index = [b.code.strip() for b in blocks(DOCS / "index.md") if b.lang == "sh"]
    assert readme[:2] == ["pip install . && droplets demo", "pip install '.[test]' && python -m pytest -q"]
    assert index[:2] == readme[:2]


def test_strict_build_passes(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
