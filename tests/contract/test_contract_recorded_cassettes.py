"""Contract: the cassettes recorded from the sandbox (``cassettes/record_sandbox.py``) are sound.

* every answer they hold validates against the spec's response schema of its
  operation and status (they are the sandbox's bodies, not the spec's examples);
* replayed request by request on a fresh in-process sandbox, with the
  recording's seed, seeding, virtual seconds and port checks, every answer is
  the recorded one (status and whole body), so the served sandbox and the
  in-process one agree, and the file holds what the sandbox says;
* a fresh recording gives the committed file byte for byte (it takes about a second).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from cassette_scripts import load_script

from droplets.sandbox import Sandbox, VirtualClock
from tests.conftest import SPEC_FILE
from tests.spec_schema import check, template_of

REPO_ROOT = Path(__file__).resolve().parents[2]
CASSETTE_DIR = REPO_ROOT / "cassettes"


RECORDER = load_script("record_sandbox.py", "cassette_recorder")
RECORDED = sorted(RECORDER.RECORDINGS)


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    return loaded


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CASSETTE_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("name", RECORDED)
def test_every_recorded_answer_validates_against_the_spec(name: str, spec: dict[str, Any]) -> None:
    operations = set()
    for number, item in enumerate(_load(name)["interactions"]):
        request, response = item["request"], item["response"]
        path = urlsplit(request["uri"]).path
        template = template_of(spec, request["method"], path)
        body = response["body"]["string"].encode()
        status = response["status"]["code"]
        try:
            check(spec, request["method"], template, status, body)
        except AssertionError as error:
            raise AssertionError(f"{name}#{number} {request['method']} {path}: {error}") from None
        operations.add((request["method"], template))
    assert len(operations) >= 10, "a recording walks many operations"


@pytest.mark.parametrize("name", RECORDED)
def test_a_fresh_in_process_sandbox_answers_every_recorded_request_the_same(name: str) -> None:
    data = _load(name)
    metadata = data["metadata"]
    clock = VirtualClock(metadata["clock_start"])
    sandbox = Sandbox(seed=RECORDER.SEED, clock=clock)  # writes https://api.digitalocean.com links, as recorded
    sandbox.seed_droplets(RECORDER.SEEDED_DROPLETS, tag="web")
    probes = list(metadata["probes"])
    for number, item in enumerate(data["interactions"]):
        while probes and probes[0]["after_requests"] == number:
            probe = probes.pop(0)
            clock.advance(probe["seconds_before"])
            assert sandbox.probe(probe["host"], probe["port"]) is probe["open"], f"{name}: port check {probe}"
        clock.advance(metadata["seconds_before"].get(number, 0.0))
        request, response = item["request"], item["response"]
        body = (request["body"] or "").encode()
        answer = sandbox.handle(request["method"], request["uri"], {"Authorization": "Bearer sandbox-token"}, body)
        label = f"{name}#{number} {request['method']} {request['uri']}"
        assert answer.status == response["status"]["code"], label
        recorded = response["body"]["string"]
        assert (answer.json() if answer.body else None) == (json.loads(recorded) if recorded else None), label
        assert answer.headers["ratelimit-remaining"] == response["headers"]["ratelimit-remaining"][0], label
    assert not probes, f"{name}: port checks left after the last request"


def test_the_committed_recordings_are_what_a_fresh_recording_gives() -> None:
    assert RECORDER.main(["--check"]) == 0, "run python cassettes/record_sandbox.py"


def test_the_day_in_the_life_recording_holds_the_whole_walk() -> None:
    data = _load("day_in_the_life")
    sent = [(i["request"]["method"], urlsplit(i["request"]["uri"]).path) for i in data["interactions"]]
    kinds = {(method, path.split("/")[2]) for method, path in sent}
    assert kinds >= {("POST", "account"), ("POST", "vpcs"), ("POST", "droplets"), ("POST", "volumes"),
                     ("POST", "reserved_ips"), ("POST", "firewalls"), ("DELETE", "firewalls"),
                     ("DELETE", "reserved_ips"), ("DELETE", "volumes"), ("DELETE", "droplets"), ("DELETE", "vpcs"),
                     ("DELETE", "account"), ("DELETE", "tags")}  # fmt: skip
    bodies = [json.loads(i["request"]["body"]) for i in data["interactions"] if i["request"]["body"]]
    assert {"type": "resize", "size_gigabytes": 20, "region": "nyc3"} in bodies
    assert [p["open"] for p in data["metadata"]["probes"]][-3:] == [True, True, True], "ssh ready on all three"
    text = (CASSETTE_DIR / "day_in_the_life.yaml").read_text(encoding="utf-8")
    assert "127.0.0.1" not in text and "sandbox-token" not in text
