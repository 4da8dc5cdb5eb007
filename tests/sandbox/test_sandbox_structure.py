"""Structure rules of droplets.sandbox: standard library only, nothing from the client."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import droplets.sandbox

PACKAGE = Path(droplets.sandbox.__file__).resolve().parent
MODULES = sorted(PACKAGE.rglob("*.py"))


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                found.append((node.lineno, "droplets.sandbox." + (node.module or "")))
            else:
                found.append((node.lineno, node.module or ""))
    return found


def test_modules_were_found() -> None:
    assert len(MODULES) > 10


def test_sandbox_imports_nothing_from_the_rest_of_droplets() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line} imports {name}"
        for path in MODULES
        for line, name in _imports(path)
        if (name == "droplets" or name.startswith("droplets.")) and not name.startswith("droplets.sandbox")
    ]
    assert offenders == []


def test_sandbox_uses_the_standard_library_only() -> None:
    allowed = set(sys.stdlib_module_names) | {"__future__", "droplets"}
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line} imports {name}"
        for path in MODULES
        for line, name in _imports(path)
        if name.split(".")[0] not in allowed
    ]
    assert offenders == []


def test_modules_stay_small() -> None:
    sizes = {path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in MODULES}
    assert max(sizes.values()) <= 350, sizes


def test_catalog_files_ship_with_the_package() -> None:
    names = {p.name for p in (PACKAGE / "catalog").glob("*.json")}
    assert {"regions.json", "sizes.json", "images.json", "kernels.json", "ssh_keys.json"} <= names


def test_every_route_handler_is_documented() -> None:
    from droplets.sandbox.routes import ROUTES

    assert len({(method, pattern) for method, pattern, _ in ROUTES}) == len(ROUTES), "a route is listed twice"
    for _, _, handler in ROUTES:
        assert handler.__doc__, handler.__name__
