"""Structure tests: the shape of the house, checked.

* layers import only downward (module-level imports);
* only ``droplets._api`` knows the API's paths (and the sandbox, which
  speaks the wire on the other side);
* the sandbox imports nothing from the client;
* ``droplets.__all__`` is complete and sorted;
* every action verb of the object model has a sandbox route and a test.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import droplets

PACKAGE = Path(droplets.__file__).parent
ROOT = PACKAGE.parent

# Lower rank = lower layer. A module may import modules of its own rank or lower.
RANKS: dict[str, int] = {
    "droplets.errors": 0,
    "droplets._version": 0,
    "droplets._clock": 0,
    "droplets._json": 0,
    "droplets._display": 0,
    "droplets._fastpath": 0,
    "droplets._gc": 0,
    "droplets.retry": 0,
    "droplets.ratelimit": 0,
    "droplets.validation": 0,
    "droplets.transport": 1,
    "droplets.client": 2,
    "droplets._api": 3,
    "droplets._converter": 3,
    "droplets.query": 4,
    "droplets.managers": 4,
    "droplets.waiting": 4,
    "droplets.models": 5,
    "droplets.models.verbs": 0,
    "droplets.compat": 6,
    "droplets.cli": 6,
    "droplets.demo": 6,
    "droplets.pytest_plugin": 6,
    "droplets.__main__": 6,
    "droplets": 6,  # the public surface, imported by the outermost layer
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _rank(module: str) -> int | None:
    while module:
        if module in RANKS:
            return RANKS[module]
        module = module.rpartition(".")[0]
    return None


def _module_level_imports(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return [name for name in names if name == "droplets" or name.startswith("droplets.")]


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "sandbox" not in p.relative_to(PACKAGE).parts)


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_layers_import_only_downward(path: Path) -> None:
    module = _module_name(path)
    own = _rank(module)
    assert own is not None, f"{module} has no layer in RANKS; add it"
    tree = ast.parse(path.read_text())
    for imported in _module_level_imports(tree):
        if imported == "droplets" or imported.startswith("droplets.sandbox"):
            continue
        target = _rank(imported)
        if target is None:  # "droplets.errors.X": a name, ranked by its module
            continue
        assert target <= own, f"{module} (layer {own}) imports {imported} (layer {target}) at module level"


PATH_LITERAL = re.compile(r"/v2/[a-z_]")


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_api_module_knows_paths(path: Path) -> None:
    if _module_name(path) == "droplets._api":
        return
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            assert not PATH_LITERAL.search(node.value), f"{path.name} holds an API path {node.value!r}"


def test_sandbox_imports_nothing_from_the_client() -> None:
    for path in (PACKAGE / "sandbox").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if name.startswith("droplets"):
                    assert name.startswith("droplets.sandbox"), f"{path} imports {name}"


def test_all_is_complete_and_sorted() -> None:
    public = {
        name
        for name, value in vars(droplets).items()
        if not name.startswith("_") and not isinstance(value, type(droplets)) and name != "annotations"
    }
    assert set(droplets.__all__) - {"__version__"} == public
    assert list(droplets.__all__) == sorted(droplets.__all__)


def test_every_error_class_is_exported() -> None:
    from droplets import errors

    classes = {name for name, value in vars(errors).items() if isinstance(value, type) and issubclass(value, Exception)}
    assert classes <= set(droplets.__all__)


ACTION_VERBS = {
    "reboot": "reboot",
    "shutdown": "shutdown",
    "power_on": "power_on",
    "power_off": "power_off",
    "power_cycle": "power_cycle",
    "enable_backups": "enable_backups",
    "disable_backups": "disable_backups",
    "enable_ipv6": "enable_ipv6",
    "enable_private_networking": "enable_private_networking",
    "restore": "restore",
    "rebuild": "rebuild",
    "password_reset": "password_reset",
    "resize": "resize",
    "rename": "rename",
    "change_kernel": "change_kernel",
    "snapshot": "snapshot",
}


def test_every_action_verb_exists_has_sandbox_support_and_a_test() -> None:
    sandbox_text = "\n".join(p.read_text() for p in (PACKAGE / "sandbox").rglob("*.py"))
    tests_text = "\n".join(p.read_text() for p in (ROOT / "tests").rglob("test_*.py") if "meta" not in p.parts)
    for verb, action_type in ACTION_VERBS.items():
        assert callable(getattr(droplets.Droplet, verb)), verb
        assert f'"{action_type}"' in sandbox_text, f"the sandbox does not handle {action_type}"
        assert re.search(rf"\.{verb}\(", tests_text), f"no test calls .{verb}()"


def test_plain_import_is_light() -> None:
    """``import droplets`` loads neither the sandbox, the CLI, the compat layer nor requests."""
    import subprocess
    import sys

    code = (
        "import sys, droplets; "
        "roots = ('droplets.sandbox', 'droplets.cli', 'droplets.compat', 'droplets.demo', 'requests', 'urllib3'); "
        "print([m for m in sys.modules if m in roots or m.startswith(tuple(r + '.' for r in roots))])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_ci_runs_the_readme_test_command() -> None:
    """The README's quick start has two commands; CI runs the second one verbatim."""
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    assert commands[:2] == ["pip install . && droplets demo", "pip install '.[test]' && python -m pytest -q"]
    assert commands[1] in (ROOT / ".ci" / "run").read_text()
