"""``docs/coverage.md`` covers every ``do.droplet.*`` call of the seed, with tests that exist.

The table maps each seed call to its object-model call and a test node id.
This test checks that every seed call has a row, that every node id collects
(on the sandbox world, and on the cassette world where a cassette is named),
that the test's code or parameter names the object-model call, and that a
named cassette exists and is the one the test replays.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
COVERAGE = REPO_ROOT / "docs" / "coverage.md"
SEED_SIGNATURES = REPO_ROOT / "tests" / "data" / "seed_signatures.json"
ROW = re.compile(r"^\| `do\.droplet\.([a-z0-9_]+)\(.*?` .*?\| (.+?) \| `([^`]+)` \| (.+?) \|$", re.MULTILINE)


@dataclass(frozen=True)
class Row:
    seed: str
    calls: tuple[str, ...]
    node: str
    cassette: str | None


def final_call(snippet: str) -> str:
    """The method a call chain ends with: ``Droplet.objects.filter(tag=t).power_off()`` -> ``power_off``."""
    flat = snippet
    while re.search(r"\([^()]*\)", flat):  # innermost argument lists first
        flat = re.sub(r"\([^()]*\)", "\N{WHITE SQUARE}", flat)
    names: list[str] = re.findall(r"([A-Za-z_][A-Za-z0-9_]*)\N{WHITE SQUARE}", flat)
    assert names, f"no call in {snippet!r}"
    return names[-1]


def rows() -> list[Row]:
    text = COVERAGE.read_text(encoding="utf-8")
    out = []
    for seed, model, node, cassette in ROW.findall(text):
        snippets = re.findall(r"`([^`]+)`", model)
        name = cassette.strip("` ")
        out.append(Row(seed, tuple(final_call(s) for s in snippets), node, None if name == "—" else name))
    return out


def seed_calls() -> set[str]:
    """The seed document's ``do.droplet.*`` call names (vendored as data in ``tests/data``)."""
    return {call["name"] for call in json.loads(SEED_SIGNATURES.read_text(encoding="utf-8"))["calls"]}


@cache
def collected(files: tuple[str, ...]) -> frozenset[str]:
    """The node ids pytest collects from ``files`` (one subprocess)."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *files],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return frozenset(line.strip() for line in result.stdout.splitlines() if "::" in line)


def function_source(node: str) -> tuple[str, list[str]]:
    """The source of a node's test function (decorators included) and its cassette marks.

    A scenario written once as a function of a sibling module (``from day_in_the_life import
    walk_the_day``, so that ``cassettes/record_sandbox.py`` can record it) counts as the test's
    code: the source of each such function the test calls is appended.
    """
    path, _, rest = node.partition("::")
    name = rest.split("[", 1)[0]
    source = (REPO_ROOT / path).read_text(encoding="utf-8")
    module = ast.parse(source)
    for item in module.body:
        if isinstance(item, ast.FunctionDef) and item.name == name:
            text = "\n".join(ast.get_source_segment(source, d) or "" for d in item.decorator_list)
            text += "\n" + (ast.get_source_segment(source, item) or "")
            cassettes = re.findall(r"pytest\.mark\.cassette\(\"([^\"]+)\"[,)]", text)
            return text + _walks_called(module, item, (REPO_ROOT / path).parent), cassettes
    raise AssertionError(f"{node}: no function {name} in {path}")


def _walks_called(module: ast.Module, test: ast.FunctionDef, folder: Path) -> str:
    """The source of the functions ``test`` calls that are imported from a sibling module of ``folder``."""
    called = {c.func.id for c in ast.walk(test) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)}
    texts = []
    for item in module.body:
        if isinstance(item, ast.ImportFrom) and item.module and (folder / f"{item.module}.py").exists():
            sibling = (folder / f"{item.module}.py").read_text(encoding="utf-8")
            wanted = {alias.name for alias in item.names} & called
            for function in ast.parse(sibling).body:
                if isinstance(function, ast.FunctionDef) and function.name in wanted:
                    texts.append(ast.get_source_segment(sibling, function) or "")
    return "".join(f"\n{text}" for text in texts)


def test_every_seed_call_has_a_row() -> None:
    table = {row.seed for row in rows()}
    seed = seed_calls()
    assert len(seed) == 27
    assert seed - table == set(), "seed calls without a row in docs/coverage.md"
    assert table - seed == set(), "rows for calls the seed does not have"


def test_every_row_names_a_test_that_runs_the_call() -> None:
    table = rows()
    assert table, "no rows parsed from docs/coverage.md"
    nodes = collected(tuple(sorted({row.node.split("::")[0] for row in table})))
    for row in table:
        assert row.node in nodes, f"{row.seed}: {row.node} does not collect"
        assert "[sandbox" in row.node, f"{row.seed}: name the sandbox node"
        source, cassettes = function_source(row.node)
        param = row.node.split("[", 1)[1]
        for call in row.calls:
            assert re.search(rf"\b{call}\b", source) or call in param, f"{row.node} never calls {call}()"
        if row.cassette is None:
            continue
        assert (REPO_ROOT / "cassettes" / f"{row.cassette}.yaml").exists(), row.cassette
        assert cassettes == [row.cassette], f"{row.node} replays {cassettes}, the table says {row.cassette}"
        assert row.node.replace("[sandbox", "[cassette") in nodes


def test_final_call() -> None:
    assert final_call("Droplet.objects.filter(tag=t).power_off(wait=True)") == "power_off"
    assert final_call("d.restore(d.backup_ids[0], wait=True)") == "restore"
    assert final_call("Droplet.objects.create(name=..., region=..., size=..., image=...)") == "create"
