"""Contract: the sandbox answers every cassette request the way the cassette does.

For each interaction of each cassette in ``cassettes/`` (the spec's explicit
examples, see ``cassettes/README.md``) the same request goes to a sandbox in
process (``Sandbox.handle`` with a bearer token), after seeding it so that
the cassette's objects exist; the cassette's ids are mapped to the sandbox's.
The two answers must have:

* the same status, and the sandbox must have routed the same path;
* the same JSON key sets at every level: dicts compared recursively by
  their keys, lists by their first elements (when both have one);
* bodies that both structure under the library's strict converter
  (``forbid_extra_keys``) into the model of their envelope.

A key may be on one side only when it is listed in :data:`OPTIONAL` and the
spec's schema for it does not require it (checked against the spec itself).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from droplets import (
    VPC,
    Account,
    Action,
    Droplet,
    Firewall,
    Image,
    Kernel,
    Region,
    ReservedIP,
    Size,
    Snapshot,
    SSHKey,
    Tag,
    Volume,
    VPCMember,
)
from droplets._converter import strict, structure_wire
from droplets.models.associated import AssociatedResources, DestroyStatus
from droplets.models.autoscale_pool import AutoscalePool, PoolHistoryEvent, PoolMember
from droplets.models.backup import BackupPolicyRecord, SupportedBackupPolicy
from droplets.sandbox import Sandbox, VirtualClock
from tests.conftest import SPEC_FILE

REPO_ROOT = Path(__file__).resolve().parents[2]
CASSETTE_DIR = REPO_ROOT / "cassettes"
AUTH = {"Authorization": "Bearer contract-test-token"}
CASSETTE_DROPLET = 3164444
FIREWALL_DROPLETS = (8043964, 49696269)
"""The droplets of the spec's firewall request examples (mapped to the first seeded droplet)."""
VOLUME_DROPLET = 11612190
"""The droplet of the spec's volume action examples (nyc1)."""
POLICY_DROPLET = 444909706
"""The droplet of the backup policy example: the sandbox's first droplet (backups enabled) answers for it."""
CASSETTE_VPCS = {"default": "e0fe0f4d-596a-465e-a902-571ce57b79fa", "other": "5a4981aa-9653-4bd1-bef5-d6bff52042e4"}
"""The VPCs of the spec's list example the cassettes name: a default one and env.prod-vpc."""
TEARDOWN_DROPLET = 187000742
"""The droplet of the spec's destroy status example (the ``droplet_teardown_*`` cassettes)."""
TEARDOWN_EXAMPLE = {
    "reserved_ip": "6186916",
    "snapshot": "61486916",
    "volume": "ba49449a-7435-11ea-b89e-0a58ac14480f",
    "volume_snapshot": "edb0478d-7436-11ea-86e6-0a58ac144b91",
}
"""The ids of the spec's associated-resources examples, one resource of each kind."""
SNAPSHOT_CASSETTES = ("snapshots_by_kind", "droplet_snapshot_destroy", "image_verbs", "image_convert")
"""Cassettes naming the examples' snapshot, backup and volume snapshot ids (mapped by `_equip_for_snapshots`)."""
CASSETTE_POOL = "0d3db13e-a604-4944-9827-7ec2642d32ac"
"""The autoscale pool of the spec's examples: a cassette that does not create it finds the sandbox's."""
SENT_HEADERS = ("X-Dangerous",)
"""Request headers of a cassette that the contract sends on too (the dangerous destroy requires its header)."""
LEARNED_IDS = (("volume", "id"), ("reserved_ip", "ip"), ("firewall", "id"), ("autoscale_pool", "id"))
"""Objects whose cassette id maps to the sandbox's once a create (or get) answered both."""

MODELS: dict[str, type] = {
    "droplet": Droplet,
    "droplets": Droplet,
    "image": Image,
    "images": Image,
    "backups": Snapshot,
    "snapshots": Snapshot,
    "actions": Action,
    "regions": Region,
    "sizes": Size,
    "ssh_keys": SSHKey,
    "ssh_key": SSHKey,
    "tag": Tag,
    "account": Account,
    "vpc": VPC,
    "vpcs": VPC,
    "members": VPCMember,
    "tags": Tag,
    "kernels": Kernel,
    "volume": Volume,
    "volumes": Volume,
    "reserved_ip": ReservedIP,
    "reserved_ips": ReservedIP,
    "firewall": Firewall,
    "firewalls": Firewall,
    "action": Action,
    "autoscale_pool": AutoscalePool,
    "autoscale_pools": AutoscalePool,
    "history": PoolHistoryEvent,
    "policy": BackupPolicyRecord,
    "policies": BackupPolicyRecord,
    "supported_policies": SupportedBackupPolicy,
}
WHOLE_BODY: dict[str, type] = {
    "/destroy_with_associated_resources": AssociatedResources,
    "/destroy_with_associated_resources/status": DestroyStatus,
}
"""Path endings whose answer is one object keyed by kind, not an envelope: the whole body structures into it."""
MEMBERS: dict[str, type] = {"droplets": PoolMember}
"""What an autoscale pool's ``/members`` answer holds under ``droplets``: pool members, not droplets."""
"""Envelope key -> the model its object (or each list item) structures into."""

OPTIONAL: dict[str, tuple[str, str]] = {
    "request_id": ("error", "the 401/404/429/500 examples leave it out; the sandbox always sends it"),
    "disk_info": ("size", "the droplet examples' embedded sizes leave it out; the sizes list example has it"),
    "vpc_uuid": ("droplet", "the create 202 examples leave it out; the get example has it"),
    "type": ("image", "the images get example leaves it out; every other image example has it"),
    "resource_id": ("action", "the volume attach examples leave it out, the detach ones send null (quirk 20)"),
    "current_utilization": ("autoscale_pool", "the create and update examples leave it out; get and list have it"),
    "last_tagged_uri": ("tags_metadata", "absent while nothing carries the tag (the tag create example)"),
    "pages": ("page_links", 'examples write links as {"pages": {}}, the sandbox as {} (both: no more pages)'),
    "backup_policy": ("droplet_backup_policy_record", "a record of a droplet without backups leaves it out"),
    "next_backup_window": ("droplet_backup_policy_record", "a record of a droplet without backups leaves it out"),
    "weekday": ("droplet_backup_policy", "the example's policy is weekly; the sandbox's droplet backs up daily"),
}
"""Key -> (the spec schema that does not require it, why the sides differ)."""

RULE_TARGET_KEYS = {"addresses", "droplet_ids", "load_balancer_uids", "kubernetes_ids", "tags"}
"""The keys of a firewall rule's ``sources``/``destinations`` (``firewall_rule_target``): none is required."""

SPEC = SPEC_FILE
RECORDER = "cassettes/record_sandbox.py"


@dataclass(frozen=True)
class Interaction:
    cassette: str
    number: int
    method: str
    uri: str
    body: bytes
    status: int
    answer: Any
    headers: dict[str, str]
    seconds_before: float = 60.0
    """Sandbox seconds to pass before this request: the cassette's ``metadata.seconds_before``, else 60
    (the actions a cassette starts have completed before its next request)."""


def _interactions() -> Iterator[Interaction]:
    for path in sorted(CASSETTE_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data["metadata"].get("recorded_by") == RECORDER:
            continue  # a sandbox recording: test_contract_recorded_cassettes.py replays it on its own sandbox
        timing = data.get("metadata", {}).get("seconds_before", {})
        for number, item in enumerate(data["interactions"]):
            request, response = item["request"], item["response"]
            text = response["body"]["string"]
            yield Interaction(
                cassette=path.stem,
                number=number,
                method=request["method"],
                uri=request["uri"],
                body=(request["body"] or "").encode(),
                status=response["status"]["code"],
                answer=json.loads(text) if text else None,
                headers={k: request["headers"][k][0] for k in SENT_HEADERS if k in request["headers"]},
                seconds_before=float(timing.get(number, 60.0)),
            )


INTERACTIONS = list(_interactions())
CASSETTES = sorted({i.cassette for i in INTERACTIONS})


def _call(sandbox: Sandbox, method: str, path: str, body: Any = None) -> Any:
    raw = json.dumps(body).encode() if body is not None else b""
    answer = sandbox.handle(method, f"https://api.digitalocean.com{path}", AUTH, raw)
    assert answer.status < 300, (method, path, answer.status, answer.body)
    return answer.json()


def _seeded(cassette: str = "") -> tuple[Sandbox, dict[str, str]]:
    """A sandbox holding the examples' world: example.com and assets.example.com
    (tagged ``env:prod``; the first with a backup and a snapshot),
    stage.example.com, a droplet and a volume ``example`` in nyc1; and the map
    from the examples' ids to the sandbox's."""
    clock = VirtualClock()
    sandbox = Sandbox(seed=0, clock=clock)  # realistic timings: a destroyed droplet is shown 5 s more
    body = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-20-04-x64"}
    made = _call(
        sandbox,
        "POST",
        "/v2/droplets",
        {**body, "names": ["example.com", "assets.example.com"], "tags": ["web", "env:prod"]},
    )
    _call(sandbox, "POST", "/v2/droplets", {**body, "name": "stage.example.com", "tags": ["env:stage"]})
    first = made["droplets"][0]["id"]
    storage = _call(sandbox, "POST", "/v2/droplets", {**body, "region": "nyc1", "name": "volume-host"})
    _call(
        sandbox,
        "POST",
        "/v2/volumes",
        {"name": "example", "size_gigabytes": 10, "region": "nyc1", "tags": ["aninterestingtag"]},
    )
    clock.advance(60)
    for action in ({"type": "enable_backups"}, {"type": "snapshot", "name": "web-01"}):
        _call(sandbox, "POST", f"/v2/droplets/{first}/actions", action)
        clock.advance(120)
    clock.advance(2 * 86400)
    prod = _call(sandbox, "POST", "/v2/vpcs", {"name": "env.prod-vpc", "region": "nyc3"})["vpc"]["id"]
    default = next(v["id"] for v in _call(sandbox, "GET", "/v2/vpcs")["vpcs"] if v["default"])
    for tag in ("gateway", "frontend"):  # the firewall examples name these existing tags
        _call(sandbox, "POST", "/v2/tags", {"name": tag})
    teardown = _equip_for_teardown(sandbox) if cassette.startswith("droplet_teardown") else {}
    if cassette in SNAPSHOT_CASSETTES:
        teardown.update(_equip_for_snapshots(sandbox, first))
    if cassette == "autoscale_pool_dangerous_delete":
        template = {"name": "example.com", "region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64",
                    "ssh_keys": [], "tags": ["env:prod"], "user_data": "#cloud-config\n", "vpc_uuid": prod}  # fmt: skip
        pool = {"name": "my-autoscale-pool", "config": {"target_number_instances": 2}, "droplet_template": template}
        teardown[CASSETTE_POOL] = _call(sandbox, "POST", "/v2/droplets/autoscale", pool)["autoscale_pool"]["id"]
    return sandbox, {
        **teardown,
        **{str(i): str(first) for i in FIREWALL_DROPLETS},
        str(CASSETTE_DROPLET): str(first),
        str(POLICY_DROPLET): str(first),
        str(VOLUME_DROPLET): str(storage["droplet"]["id"]),
        CASSETTE_VPCS["default"]: default,
        CASSETTE_VPCS["other"]: prod,
    }


def _equip_for_snapshots(sandbox: Sandbox, first: int) -> dict[str, str]:
    """The examples' snapshot and backup of a droplet mapped to the first droplet's, and a volume snapshot."""
    droplet = _call(sandbox, "GET", f"/v2/droplets/{first}")["droplet"]
    snapshot, backup = droplet["snapshot_ids"][0], droplet["backup_ids"][0]
    volume = next(v for v in _call(sandbox, "GET", "/v2/volumes")["volumes"] if v["name"] == "example")
    taken = _call(sandbox, "POST", f"/v2/volumes/{volume['id']}/snapshots", {"name": "pvc-01-1595954862243"})
    return {
        "6372321": str(snapshot),  # the droplet snapshot of the snapshot examples
        "7555620": str(snapshot),  # the private images example's snapshot
        "67539192": str(backup),  # the backups example's backup
        "fbe805e8-866b-11e6-96bf-000f53315a41": taken["snapshot"]["id"],  # the /v2/snapshots volume snapshot
    }


def _equip_for_teardown(sandbox: Sandbox) -> dict[str, str]:
    """A droplet with one associated resource of each kind, as in the spec's preview example; the map of ids."""
    clock = sandbox.clock
    body = {"name": "ubuntu-s-1vcpu-1gb-nyc1-01", "region": "nyc1", "size": "s-1vcpu-1gb", "image": "ubuntu-20-04-x64"}
    droplet = _call(sandbox, "POST", "/v2/droplets", body)["droplet"]["id"]
    volume = _call(sandbox, "POST", "/v2/volumes", {"name": "volume-nyc1-01", "size_gigabytes": 100, "region": "nyc1"})
    volume_id = volume["volume"]["id"]
    clock.advance(60)
    _call(sandbox, "POST", f"/v2/volumes/{volume_id}/actions", {"type": "attach", "droplet_id": droplet})
    clock.advance(60)
    snapshot = _call(sandbox, "POST", f"/v2/volumes/{volume_id}/snapshots", {"name": "volume-nyc1-01-1585758983629"})
    ip = _call(sandbox, "POST", "/v2/reserved_ips", {"droplet_id": droplet})["reserved_ip"]["ip"]
    clock.advance(60)
    _call(sandbox, "POST", f"/v2/droplets/{droplet}/actions", {"type": "snapshot", "name": "nyc1-01-1585758823330"})
    clock.advance(120)
    (image,) = _call(sandbox, "GET", f"/v2/droplets/{droplet}")["droplet"]["snapshot_ids"]
    return {
        str(TEARDOWN_DROPLET): str(droplet),
        TEARDOWN_EXAMPLE["reserved_ip"]: str(int(ipaddress.IPv4Address(ip))),
        TEARDOWN_EXAMPLE["snapshot"]: str(image),
        TEARDOWN_EXAMPLE["volume"]: volume_id,
        TEARDOWN_EXAMPLE["volume_snapshot"]: snapshot["snapshot"]["id"],
    }


def _inject_destroy_failures(sandbox: Sandbox, cassette: str, ids: dict[str, str]) -> None:
    """Make the sandbox fail to destroy what a cassette's status shows failed, once each, for the same reason."""
    for item in INTERACTIONS:
        resources = (
            item.answer.get("resources") if item.cassette == cassette and isinstance(item.answer, dict) else None
        )
        for entries in (resources or {}).values():
            for entry in entries:
                if entry.get("error_message"):
                    sandbox.fail_destroy(ids[entry["id"]], entry["error_message"])


def _map_ids(uri: str, ids: dict[str, str]) -> str:
    parts = urlsplit(uri)
    path = "/".join(ids.get(s, s) for s in parts.path.split("/"))
    return path + (f"?{parts.query}" if parts.query else "")


def _map_body(body: bytes, ids: dict[str, str]) -> bytes:
    """The request body with the examples' ids (e.g. a ``droplet_id``) replaced by the sandbox's."""

    def swap(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        if isinstance(value, (int, str)) and not isinstance(value, bool) and str(value) in ids:
            return type(value)(ids[str(value)])
        return value

    return json.dumps(swap(json.loads(body))).encode() if body else body


def _learn_ids(ids: dict[str, str], theirs: Any, mine: Any) -> None:
    for envelope, key in LEARNED_IDS:
        if isinstance(theirs, dict) and isinstance(mine, dict) and envelope in theirs and envelope in mine:
            ids.setdefault(str(theirs[envelope][key]), str(mine[envelope][key]))


ONE_OF = (".autoscale_pool.config", ".autoscale_pools[0].config")
"""Values that are one of two shapes (the spec's ``oneOf``): the autoscale examples switch shape within one flow
(a static create request answered by a dynamic pool), so their keys are not compared; the strict converter
checks each side's shape instead."""


def _keyed_by_id(value: dict[str, Any]) -> bool:
    return bool(value) and all(key.isdigit() for key in value)


def key_differences(left: Any, right: Any, where: str = "$") -> list[str]:
    """Where two JSON values differ in their key sets (dicts by keys, lists by first item)."""
    if where.endswith(ONE_OF):
        return []
    if isinstance(left, dict) and isinstance(right, dict) and _keyed_by_id(left) and _keyed_by_id(right):
        # An object keyed by droplet id (the backup policies) is a list in disguise.
        return key_differences(list(left.values()), list(right.values()), where)
    if isinstance(left, dict) and isinstance(right, dict):
        out = []
        only = (set(left) ^ set(right)) - set(OPTIONAL)
        if where.endswith((".sources", ".destinations")):
            only -= RULE_TARGET_KEYS  # a rule names what it names: every key of a target is optional
        if only:
            out.append(f"{where}: only in cassette {sorted(set(left) - set(right))}, only in sandbox "
                       f"{sorted(set(right) - set(left))}")  # fmt: skip
        for key in sorted(set(left) & set(right)):
            out += key_differences(left[key], right[key], f"{where}.{key}")
        return out
    if isinstance(left, list) and isinstance(right, list):
        return key_differences(left[0], right[0], f"{where}[0]") if left and right else []
    if isinstance(left, dict) != isinstance(right, dict) or isinstance(left, list) != isinstance(right, list):
        if left is None or right is None:
            return []  # a nullable object (kernel, next_backup_window) set on one side only
        return [f"{where}: {type(left).__name__} in cassette, {type(right).__name__} in sandbox"]
    return []


def structure_strictly(body: Any, path: str = "") -> list[str]:
    """Structure every enveloped object of a body with the strict converter; return the failures."""
    failures = []
    whole = next((model for end, model in WHOLE_BODY.items() if path.endswith(end)), None)
    if whole is not None:
        try:
            structure_wire(body, whole, conv=strict)
        except Exception as error:
            return [f"{path}: {error}"]
        return []
    models = MEMBERS if path.endswith("/members") else MODELS
    if path.split("?")[0].rstrip("/").startswith("/v2/snapshots"):
        models = {**models, "snapshots": Snapshot, "snapshot": Snapshot}  # the account's list, not a droplet's
    for key, value in body.items():
        model = models.get(key)
        if model is None:
            continue
        items = value if isinstance(value, list) else [value]
        if isinstance(value, dict) and _keyed_by_id(value):
            items = list(value.values())
        for item in items:
            try:
                structure_wire(item, model, conv=strict)
            except Exception as error:
                failures.append(f"{key}: {error}")
    return failures


@pytest.mark.parametrize("cassette", CASSETTES)
def test_sandbox_answers_like_the_cassette(cassette: str) -> None:
    sandbox, ids = _seeded(cassette)
    _inject_destroy_failures(sandbox, cassette, ids)
    for item in (i for i in INTERACTIONS if i.cassette == cassette):
        target = _map_ids(item.uri, ids)
        headers = {**AUTH, **item.headers}
        if item.status == 401:
            headers = {}
        elif item.status in (429, 500):
            sandbox.faults.inject(method=item.method, path=urlsplit(target).path, status=item.status)
        sandbox.clock.advance(item.seconds_before)
        body = _map_body(item.body, ids)
        answer = sandbox.handle(item.method, f"https://api.digitalocean.com{target}", headers, body)
        label = f"{cassette}#{item.number} {item.method} {target}"
        assert answer.status == item.status, f"{label}: sandbox {answer.status} {answer.body[:300]!r}"
        assert sandbox.requests[-1] == (item.method, target), label
        mine = answer.json()
        _learn_ids(ids, item.answer, mine)
        if item.answer is None:
            assert mine is None and answer.body == b"", label
            continue
        assert key_differences(item.answer, mine) == [], label
        path = urlsplit(target).path
        assert structure_strictly(item.answer, path) == [], f"{label}: the cassette body"
        assert structure_strictly(mine, path) == [], f"{label}: the sandbox body"
        assert answer.headers["content-type"].startswith("application/json"), label
        for header in ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "x-request-id"):
            assert header in answer.headers, f"{label}: no {header}"


def test_optional_keys_are_optional_in_the_spec() -> None:
    schemas = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["components"]["schemas"]
    for key, (schema, _) in OPTIONAL.items():
        assert key in schemas[schema]["properties"], (key, schema)
        assert key not in schemas[schema].get("required", []), (key, schema)


def test_rule_target_keys_are_optional_in_the_spec() -> None:
    target = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["components"]["schemas"]["firewall_rule_target"]
    assert set(target["properties"]) == RULE_TARGET_KEYS and not target.get("required")


def test_every_cassette_interaction_is_checked() -> None:
    recorded = [p for p in CASSETTE_DIR.glob("*.yaml") if f"recorded_by: {RECORDER}" in p.read_text(encoding="utf-8")]
    assert len(CASSETTES) + len(recorded) == len(list(CASSETTE_DIR.glob("*.yaml"))) and len(CASSETTES) >= 14
    assert {i.status for i in INTERACTIONS} >= {200, 202, 204, 401, 404, 429, 500}


def test_key_differences_sees_a_missing_key() -> None:
    cassette = {"droplets": [{"id": 1, "size": {"slug": "s", "memory": 1}}], "meta": {"total": 1}}
    sandbox = {"droplets": [{"id": 2, "size": {"slug": "s"}}], "meta": {"total": 1}}
    assert key_differences(cassette, sandbox) == ["$.droplets[0].size: only in cassette ['memory'], only in sandbox []"]
    assert key_differences(cassette, cassette) == []
