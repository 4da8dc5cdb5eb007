"""Load the cassette scripts (``cassettes/assemble.py``, ``cassettes/record_sandbox.py``) as modules for the tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

CASSETTE_DIR = Path(__file__).resolve().parents[2] / "cassettes"


def load_script(filename: str, module_name: str) -> Any:
    """Import ``cassettes/<filename>`` as ``module_name`` (registered first: dataclasses look their module up)."""
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, CASSETTE_DIR / filename)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
