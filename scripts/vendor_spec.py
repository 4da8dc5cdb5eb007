"""Regenerate the vendored copy of the spec data the tests read (``tests/data/``).

The repository must stand alone: a clone with nothing beside it installs, runs and
passes its tests. The tests need the official DigitalOcean OpenAPI subset and its
example bodies, and the seed document's ``do.droplet.*`` signatures. Those live in
``../shared/`` while this project is developed; this script copies the facts the
tests use into ``tests/data/``:

- ``tests/data/openapi/droplets-openapi.yaml``: the spec with its prose stripped
  (every ``description`` keyword, ``x-codeSamples`` and the tag-group prose), so what
  remains are the paths, parameters, schemas, enums and examples;
- ``tests/data/openapi/examples/*.json``: the example bodies verbatim, and
  ``examples/index.json`` without its free-text ``note`` fields;
- ``tests/data/openapi/LICENSE-Apache-2.0.txt`` and ``PROVENANCE.md`` (upstream
  repository, commit, and what was changed);
- ``tests/data/seed_signatures.json``: each ``do.droplet.*`` call of the seed document
  as data (name, parameters, defaults), not a copy of the document.

Usage::

    python scripts/vendor_spec.py            # rewrite tests/data/ from ../shared/
    python scripts/vendor_spec.py --check    # exit 1 if tests/data/ is stale

Needs PyYAML (in the ``test`` extra).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SPEC_SOURCE = SHARED / "digitalocean-openapi"
SEED_SOURCE = SHARED / "seed"
TARGET = REPO / "tests" / "data"

PROSE_KEYS = frozenset({"description", "x-codeSamples", "x-tagGroups", "x-traitTag", "x-displayName"})
SEED_CALL = re.compile(r"^do\.droplet\.([a-z0-9_]+)\((.*)\)$")


def strip_prose(node: Any, *, under_properties: bool = False) -> Any:
    """Drop prose keywords, keeping schema property names that happen to be called ``description``."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if not under_properties and key in PROSE_KEYS:
                continue
            out[key] = strip_prose(value, under_properties=(key == "properties" and not under_properties))
        return out
    if isinstance(node, list):
        return [strip_prose(item) for item in node]
    return node


def seed_signatures(seed_text: str) -> list[dict[str, Any]]:
    """Every ``do.droplet.*`` line of the seed as ``{"name", "parameters": [{"name", "default"?}]}``."""
    calls = []
    for line in seed_text.splitlines():
        match = SEED_CALL.match(line.strip())
        if not match:
            continue
        parameters = []
        for part in filter(None, (p.strip() for p in match.group(2).split(","))):
            name, has_default, default = part.partition("=")
            entry: dict[str, Any] = {"name": name}
            if has_default:
                entry["default"] = json.loads(default.replace("None", "null").replace("False", "false"))
            parameters.append(entry)
        calls.append({"name": match.group(1), "parameters": parameters})
    return calls


def provenance(spec_readme: str) -> str:
    """The provenance note: upstream repository and commit, and what this copy changed."""
    commit = re.search(r"Commit \| `([0-9a-f]{40})`", spec_readme)
    return (
        "# Provenance of the vendored spec data\n\n"
        "- Upstream: the official DigitalOcean OpenAPI specification, repository `digitalocean/openapi`,\n"
        f"  commit `{commit.group(1) if commit else 'unknown'}`,\n"
        "  entry file `specification/DigitalOcean-public.v2.yaml`.\n"
        "- Subset: the Droplets operations and the resources around them, bundled into one file\n"
        "  (`droplets-openapi.yaml`, every `$ref` internal) with one JSON file per example body.\n"
        "- Changed here: the prose was removed (every `description` keyword, `x-codeSamples`, tag-group\n"
        "  prose, and the free-text `note` fields of `examples/index.json`). Paths, parameters, schemas,\n"
        "  enums and example bodies are unchanged.\n"
        "- Licence: Apache License 2.0 (`LICENSE-Apache-2.0.txt`, verbatim from upstream).\n"
        "- Regenerate with `python scripts/vendor_spec.py` when the upstream copy changes;\n"
        "  `python scripts/vendor_spec.py --check` tells whether this copy is stale.\n\n"
        "`seed_signatures.json` (one level up) lists the `do.droplet.*` calls of the seed document this\n"
        "project was created from, as data: each call's name, parameters and defaults.\n"
    )


def build(out: Path) -> None:
    """Write the vendored tree into ``out`` (which must not exist yet)."""
    openapi = out / "openapi"
    (openapi / "examples").mkdir(parents=True)
    spec = yaml.safe_load((SPEC_SOURCE / "droplets-openapi.yaml").read_text(encoding="utf-8"))
    text = yaml.safe_dump(strip_prose(spec), sort_keys=False, allow_unicode=True, width=120)
    (openapi / "droplets-openapi.yaml").write_text(text, encoding="utf-8")
    for example in sorted((SPEC_SOURCE / "examples").glob("*.json")):
        if example.name == "index.json":
            index = json.loads(example.read_text(encoding="utf-8"))
            for entry in index:
                entry.pop("note", None)
            (openapi / "examples" / "index.json").write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
        else:
            shutil.copyfile(example, openapi / "examples" / example.name)
    shutil.copyfile(SPEC_SOURCE / "LICENSE-Apache-2.0.txt", openapi / "LICENSE-Apache-2.0.txt")
    (openapi / "PROVENANCE.md").write_text(provenance((SPEC_SOURCE / "README.md").read_text("utf-8")), "utf-8")
    seed = sorted(SEED_SOURCE.glob("*.txt"))[0].read_text(encoding="utf-8")
    signatures = {"source": "the seed document's do.droplet.* calls", "calls": seed_signatures(seed)}
    (out / "seed_signatures.json").write_text(json.dumps(signatures, indent=2) + "\n", encoding="utf-8")


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether tests/data/ is stale")
    args = parser.parse_args()
    if not SPEC_SOURCE.is_dir() or not SEED_SOURCE.is_dir():
        print(f"nothing to vendor from: {SHARED} is not beside the repository", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "data"
        build(fresh)
        if args.check:
            vendored = {
                k: v for k, v in tree(TARGET).items() if k.startswith("openapi/") or k == "seed_signatures.json"
            }
            if vendored != tree(fresh):
                print("tests/data/ is stale: run python scripts/vendor_spec.py", file=sys.stderr)
                return 1
            print("tests/data/ matches ../shared/")
            return 0
        for name in ("openapi", "seed_signatures.json"):
            old = TARGET / name
            if old.is_dir():
                shutil.rmtree(old)
            elif old.exists():
                old.unlink()
        TARGET.mkdir(parents=True, exist_ok=True)
        for name in ("openapi", "seed_signatures.json"):
            shutil.move(str(fresh / name), str(TARGET / name))
    print(f"vendored into {TARGET.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
