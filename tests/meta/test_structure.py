"""Structure tests: the shape of the house, checked.

* layers import only downward (module-level imports);
* the client layer imports no model, lazily or not (the typed accessors
  ``client.droplets`` live in ``droplets.facade``, above both);
* API paths live only in wire declarations: a model's ``Endpoint`` (and
  module or class constants beside it), never inside a function (and the
  sandbox, which speaks the wire on the other side);
* every resource model has a sandbox handler module, a scenario test and a
  docs page with a runnable example;
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
    "droplets._secrets": 0,
    "droplets._enums": 0,
    "droplets.retry": 0,
    "droplets.ratelimit": 0,
    "droplets.validation": 0,
    "droplets.transport": 1,
    "droplets.client": 2,
    "droplets.shared_ratelimit": 2,
    "droplets._api": 3,
    "droplets._converter": 3,
    "droplets.query": 4,
    "droplets.lookups": 4,
    "droplets.managers": 4,
    "droplets.waiting": 4,
    "droplets.models": 5,
    "droplets.models.verbs": 0,
    "droplets.facade": 6,
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


def _docstring_ids(tree: ast.AST) -> set[int]:
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def _path_literals(tree: ast.AST, docstrings: set[int]) -> list[str]:
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and PATH_LITERAL.search(node.value)
    ]


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_paths_live_only_in_wire_declarations(path: Path) -> None:
    """A model module declares its paths (``_endpoint = Endpoint("/v2/...")``); verbs never build URLs."""
    tree = ast.parse(path.read_text())
    docstrings = _docstring_ids(tree)
    if not _module_name(path).startswith("droplets.models."):
        assert not _path_literals(tree, docstrings), f"{path.name} holds API paths; declare them beside the model"
        return
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            found = _path_literals(node, docstrings)
            assert not found, f"{path.name} builds the API path {found[0]!r} in a function; declare it beside the model"


CLIENT_LAYER = ["client.py", "retry.py", "ratelimit.py", "transport"]
MODEL_MODULES = ("droplets.models", "droplets.facade", "droplets.managers", "droplets.query", "droplets._api")


def _client_layer_sources() -> list[Path]:
    paths: list[Path] = []
    for name in CLIENT_LAYER:
        target = PACKAGE / name
        paths += sorted(target.rglob("*.py")) if target.is_dir() else [target]
    return paths


def _every_import(tree: ast.AST) -> list[str]:
    """Every module (and ``module.name``) imported anywhere: top level, in functions, under TYPE_CHECKING."""
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("droplets."):
            names.append(node.value)  # importlib.import_module("droplets.models...")
    return names


@pytest.mark.parametrize("path", _client_layer_sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_client_layer_imports_no_model(path: Path) -> None:
    """The client knows transports and policy; models, managers and accessors sit above it."""
    for name in _every_import(ast.parse(path.read_text())):
        assert not name.startswith(MODEL_MODULES), f"{path.relative_to(ROOT)} imports {name}"
        if name.startswith("droplets."):
            leaf = name.rpartition(".")[2]
            assert not (name.count(".") == 1 and leaf[:1].isupper()), f"{path.relative_to(ROOT)} imports {name}"


def test_client_layer_check_catches_a_lazy_model_import(tmp_path: Path) -> None:
    """The check above sees imports inside functions and under TYPE_CHECKING, not only at module level."""
    code = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from droplets.models.droplet import Droplet\n"
        "def f():\n    from droplets.facade import Client\n    import droplets.models.action\n"
    )
    found = _every_import(ast.parse(code))
    assert [n for n in found if n.startswith(MODEL_MODULES)] == [
        "droplets.models.droplet",
        "droplets.models.droplet.Droplet",
        "droplets.facade",
        "droplets.facade.Client",
        "droplets.models.action",
    ]


def _resource_models() -> list[type]:
    """Every model class that declares its own collection (``_endpoint``), from every model module."""
    import importlib

    from droplets.models.base import Model

    found: list[type] = []
    for source in sorted((PACKAGE / "models").glob("*.py")):
        module = importlib.import_module(_module_name(source))
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Model)
                and value.__module__ == module.__name__
                and "_endpoint" in value.__dict__
            ):
                found.append(value)
    return found


SHARED_CATALOG_HANDLERS = {"regions", "sizes"}
"""Read-only catalog collections served together by ``handlers/catalog.py``."""


@pytest.mark.parametrize("model", _resource_models(), ids=lambda m: m.__name__)
def test_every_resource_has_a_sandbox_handler_a_scenario_and_a_docs_page(model: type) -> None:
    from droplets.sandbox.routes import ROUTES

    endpoint = model._endpoint  # type: ignore[attr-defined]
    handler_module = "catalog" if endpoint.plural in SHARED_CATALOG_HANDLERS else endpoint.plural
    assert (PACKAGE / "sandbox" / "handlers" / f"{handler_module}.py").exists(), (
        f"{model.__name__} has no sandbox handler module droplets/sandbox/handlers/{endpoint.plural}.py"
    )
    served = {pattern for method, pattern, _ in ROUTES if method == "GET"}
    assert endpoint.path in served, f"the sandbox route table has no GET {endpoint.path} for {model.__name__}"
    from droplets.facade import Accessor, Client

    accessor = Client.__dict__.get(endpoint.plural)
    assert isinstance(accessor, Accessor), (
        f"droplets.facade.Client has no accessor {endpoint.plural} for {model.__name__}"
    )
    assert accessor.model() is model
    assert type(getattr(Client.sandbox(), endpoint.plural)) is type(model.objects)  # type: ignore[attr-defined]
    scenario_names = set()
    for test in (ROOT / "tests" / "scenarios").glob("test_*.py"):
        tree = ast.parse(test.read_text())
        scenario_names |= {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert model.__name__ in scenario_names, f"no scenario test (tests/scenarios/test_*.py) uses {model.__name__}"
    examples = "\n".join(
        block
        for page in (ROOT / "docs").glob("*.md")
        for block in re.findall(r"```python\n(.*?)```", page.read_text(), re.S)
    )
    assert re.search(rf"\b{model.__name__}\b", examples), f"no docs page has a runnable example using {model.__name__}"


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
    assert set(droplets.__all__) - {"__version__"} == public | set(droplets._LAZY)
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
    """``import droplets`` loads neither the sandbox, the CLI, the compat layer, requests nor the lazy resources."""
    import subprocess
    import sys

    code = (
        "import sys, droplets; "
        "roots = ('droplets.sandbox', 'droplets.cli', 'droplets.compat', 'droplets.demo', 'requests', 'urllib3') "
        "+ tuple(droplets._LAZY.values()); "
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
