"""The cassettes are safe and honest: no token, real wire shape, explicit examples only.

Two exceptions to "explicit examples only": a body that is an explicit example with one change named
in the cassette's ``metadata.derived`` (a state the spec shows no example of), recomputed here from the
example; and the sandbox recordings (``cassettes/record_sandbox.py``): their bodies are the sandbox's,
and ``test_contract_recorded_cassettes.py`` checks them against the spec's schemas instead.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml
from cassette_scripts import load_script

from tests.conftest import EXAMPLES

REPO_ROOT = Path(__file__).resolve().parents[2]
CASSETTE_DIR = REPO_ROOT / "cassettes"
TOKEN_LIKE = re.compile(r"Bearer\s+(?!REDACTED\b)\S+|dop_v1_\w*", re.IGNORECASE)
"""A bearer value other than REDACTED, or a DigitalOcean personal access token prefix."""
ALL_CASSETTES = sorted(CASSETTE_DIR.glob("*.yaml"))
RECORDED = [p for p in ALL_CASSETTES if "recorded_by: cassettes/record_sandbox.py" in p.read_text(encoding="utf-8")]
"""The cassettes recorded from the sandbox served over HTTP, not assembled from the spec's examples."""
CASSETTES = [p for p in ALL_CASSETTES if p not in RECORDED]


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _examples() -> Path:
    return EXAMPLES


def test_nothing_token_like_anywhere_in_cassettes() -> None:
    for path in sorted(CASSETTE_DIR.rglob("*")):
        if path.is_file():
            found = TOKEN_LIKE.findall(path.read_text(encoding="utf-8", errors="replace"))
            assert not found, f"{path.name}: {found}"


def test_the_token_scan_catches_tokens() -> None:
    assert TOKEN_LIKE.search("Authorization: Bearer abc123")
    assert TOKEN_LIKE.search("dop_v1_0123456789abcdef")
    assert not TOKEN_LIKE.search("Authorization: Bearer REDACTED")


@pytest.mark.parametrize("path", ALL_CASSETTES, ids=lambda p: p.stem)
def test_cassette_shape(path: Path) -> None:
    data = _load(path)
    assert data["version"] == 1 and data["interactions"]
    for item in data["interactions"]:
        request, response = item["request"], item["response"]
        assert request["headers"]["Authorization"] == ["REDACTED"]
        assert request["uri"].startswith("https://api.digitalocean.com/v2/")
        status = response["status"]["code"]
        headers = response["headers"]
        assert headers["ratelimit-limit"] == ["5000"]
        assert int(headers["ratelimit-remaining"][0]) >= 0 and int(headers["ratelimit-reset"][0]) > 1_600_000_000
        assert re.fullmatch(r"[0-9a-f-]{36}", headers["x-request-id"][0])
        body = response["body"]["string"]
        no_content = request["method"] == "DELETE" or request["uri"].endswith(
            "/destroy_with_associated_resources/retry"
        )
        if status == 204 or (status == 202 and no_content):
            # 204s, and what the spec answers 202 with no body: the DELETEs of autoscale pools and associated
            # resources, and the associated resources' retry POST.
            assert body == "" and "content-type" not in headers
            continue
        # The sandbox answers application/json, the real API (and so the assembled cassettes) adds the charset.
        charset = "" if path in RECORDED else "; charset=utf-8"
        assert headers["content-type"] == [f"application/json{charset}"]
        answer = json.loads(body)
        if status >= 400:
            assert set(answer) >= {"id", "message"}
        pages = (answer.get("links") or {}).get("pages") or {}
        if "next" in pages:
            # A per_page=1 capture: only first()/count() may use it, never a full list.
            assert dict(parse_qsl(urlsplit(request["uri"]).query)) == {"per_page": "1"}, request["uri"]


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: p.stem)
def test_bodies_are_the_specs_explicit_examples(path: Path) -> None:
    examples = _examples()
    index = {e["file"]: e for e in json.loads((examples / "index.json").read_text()) if e.get("file")}
    data = _load(path)
    used = data["metadata"]["examples"]
    assert all(index[name]["provenance"] in ("explicit", "explicit-corrected") for name in used)
    bodies = [json.loads((examples / name).read_text()) for name in used]
    derived = data["metadata"].get("derived", {})
    for number, item in enumerate(data["interactions"]):
        text = item["response"]["body"]["string"]
        if number in derived:
            # An explicit example changed for a state the spec shows no example of: exactly the change written.
            exchange = _assembler().CASSETTES[path.stem][number]
            base = json.loads((examples / exchange.example).read_text())
            assert json.loads(text) == exchange.change.apply(copy.deepcopy(base)) != base, f"{path.name}#{number}"
            assert derived[number] == f"{exchange.example}, {exchange.change.note}"
        elif text:
            assert json.loads(text) in bodies, f"{path.name}: a body that is no explicit example"
        if item["request"]["body"]:
            sent = json.loads(item["request"]["body"])
            assert sent in bodies or sent in _inline_request_bodies(), f"{path.name}: a request body from nowhere"


def _assembler() -> Any:
    return load_script("assemble.py", "cassette_assembler")


def _inline_request_bodies() -> list[Any]:
    """What the client sends where the spec's request example is schema-derived (written in the assembler)."""
    return [ex.request_body for exchanges in _assembler().CASSETTES.values() for ex in exchanges if ex.request_body]


def test_committed_cassettes_match_the_assembler() -> None:
    examples = _examples()
    module = _assembler()
    assert module.main(["--check", "--examples", str(examples)]) == 0, "run python cassettes/assemble.py"
    assert {f"{name}.yaml" for name in module.CASSETTES} == {p.name for p in CASSETTES}


def test_every_cassette_is_assembled_or_a_sandbox_recording() -> None:
    recorder = load_script("record_sandbox.py", "cassette_recorder")
    assert {f"{name}.yaml" for name in recorder.RECORDINGS} == {p.name for p in RECORDED} != set()
    for path in RECORDED:
        metadata = _load(path)["metadata"]
        assert "not a live account" in metadata["source"] and metadata["scenario"].startswith("tests/scenarios/")
