"""Assemble the vcrpy cassettes of ``cassettes/`` from the spec's explicit example bodies.

The cassettes were not recorded from a live account: every response body is
one of the official DigitalOcean OpenAPI spec's *explicit* examples (the ones
``examples/index.json`` marks ``"provenance": "explicit"``, or
``"explicit-corrected"`` for an explicit example whose spec typo the bundle
fixed, such as the tag's ``imgages``), never a schema-derived one. This
script refuses any other example. Where a scenario needs a state the spec
shows no example of (a destroy status with a failed resource), the answer is
an explicit example with one `Change`, named in the cassette's
``metadata.derived``. What it adds is
what a recording would carry around those bodies: the request exactly as
``droplets`` sends it (method, URI with the client's query parameters,
``Accept``/``User-Agent`` headers, the ``Authorization`` header redacted to
``REDACTED``), the real status (200, 202 for create, 204 with an empty body
for DELETE, the error statuses with the spec's error bodies) and the headers
DigitalOcean answers with (``content-type``, ``ratelimit-*``,
``x-request-id``, ``date``). Request ids and dates are derived
deterministically from the cassette name, so re-running the script gives
byte-identical files.

Three explicit list examples (regions, sizes, kernels) were captured with
``per_page=1`` and carry ``links.pages.next``: they are only used for the
requests the client itself sends with ``per_page=1`` (``first()`` and
``count()``), which never follow the link, and the kernels one not at all.

Usage::

    python cassettes/assemble.py                 # (re)write cassettes/*.yaml
    python cassettes/assemble.py --check         # exit 1 if a file differs
    python cassettes/assemble.py --examples DIR  # another examples directory
"""

from __future__ import annotations

import argparse
import copy
import email.utils
import http
import json
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_EXAMPLES = HERE.parent / "tests" / "data" / "openapi" / "examples"
BASE = "https://api.digitalocean.com"
SPEC_SOURCE = "digitalocean/openapi@7c1300c479fed9c353cda9fc21cd968619552304"
USER_AGENT = "droplets-orm/0.1.0"

DROPLET = 3164444
"""The droplet of the spec's examples (get, list, create, backups, actions)."""
MISSING = 99999999
"""An id no example uses: answered 404 with the spec's not_found body."""
SSH_KEY = 289794
"""The SSH key of the spec's list example."""
TAG_NAME = "extra-awesome"
"""The tag of the spec's tag examples."""
DEFAULT_VPC = "e0fe0f4d-596a-465e-a902-571ce57b79fa"
"""The first default VPC of the spec's VPC list example (default-nyc1)."""
PROD_VPC = "5a4981aa-9653-4bd1-bef5-d6bff52042e4"
"""The non-default VPC of that example (env.prod-vpc)."""
TAGGED = {"resources": [{"resource_id": str(DROPLET), "resource_type": "droplet"}]}
POLICY_DROPLET = 444909706
"""The droplet of the spec's backup policy example (weekly, Sundays at 20:00)."""
TAG = "env%3Aprod"
"""``env:prod`` as the client URL-encodes it (both tagged examples carry it)."""

VOLUME = "506f78a4-e098-11e5-ad9f-000f53306ae1"
"""The volume of the spec's volume examples (get, list, actions), in nyc1."""
VOLUME_DROPLET = 11612190
"""The droplet of the spec's volume attach and detach examples."""

FIREWALL = "bb4b2611-3d72-467b-8602-280330ecd65c"
"""The firewall of the spec's firewall examples (create, get, update)."""
RESERVED_IP = "45.55.96.47"
"""The reserved IP of the spec's examples (nyc3)."""

METRICS = "/v2/monitoring/metrics/droplet"
AUTOSCALE = "/v2/droplets/autoscale"
POOL = "0d3db13e-a604-4944-9827-7ec2642d32ac"
"""The autoscale pool of the spec's examples."""

TEARDOWN_DROPLET = 187000742
"""The droplet of the spec's destroy-with-associated-resources status example."""
TEARDOWN = f"/v2/droplets/{TEARDOWN_DROPLET}/destroy_with_associated_resources"
PREVIEW = "droplets_list_associated_resources_200.json"
"""One of each kind: reserved IP 6186916 (45.55.96.47), snapshot 61486916, volume ba49449a-..., volume snapshot
edb0478d-...; 14.09 USD a month in all."""
STATUS = "droplets_get_destroy_associated_resources_status_200.json"
"""Completed without failures: the reserved IP, the snapshot and the volume snapshot destroyed, no volume."""
SELECTED = {"snapshots": ["61486916"], "volume_snapshots": ["edb0478d-7436-11ea-86e6-0a58ac144b91"],
            "reserved_ips": ["6186916"]}  # fmt: skip
"""A selective destroy of what the status example shows destroyed (the preview's volume kept)."""
VOLUME_SNAPSHOT_BUSY = "the volume snapshot is in use: try again later"
"""The reason of the one failure in ``droplet_teardown_failed_then_retried`` (the spec shows no failed status)."""


# Ten minutes after the spec commit's date; the rate-limit window resets an
# hour after the oldest request. Both are in the past, so replaying never
# makes the client pace itself.
FIRST_ANSWER = 1786437600.0


@dataclass(frozen=True)
class Change:
    """A documented change to an explicit example, for a state the spec shows no example of."""

    note: str
    """What was changed, written to the cassette's ``metadata.derived``."""
    apply: Callable[[Any], Any]
    """Takes a copy of the explicit example and returns the changed body."""


def _one_failure(status: Any) -> Any:
    """The status example with its volume snapshot not destroyed, and why (``failures`` 1)."""
    entry = status["resources"]["volume_snapshots"][0]
    del entry["destroyed_at"]
    entry["error_message"] = VOLUME_SNAPSHOT_BUSY
    status["failures"] = 1
    return status


def _converting(action: Any) -> Any:
    """The image action example (a transfer) as the answer to a convert."""
    action["action"]["type"] = "convert"
    return action


CONVERTING = Change("action.type: convert (the spec's only image action example is a transfer)", _converting)


def _one_page(body: Any) -> Any:
    """A list example captured with ``per_page=1`` as the one page a ``per_page=200`` request gets."""
    body["links"] = {}
    body["meta"]["total"] = len(next(value for value in body.values() if isinstance(value, list)))
    return body


ONE_PAGE = Change("links: {}, meta.total: the items shown (the example was captured with per_page=1)", _one_page)

SNAPSHOT_IMAGE = 7555620
"""The first snapshot of the spec's private images example (its image actions example names it too)."""
BACKUP_IMAGE = 67539192
"""The backup of the spec's droplet backups example."""
DROPLET_SNAPSHOT = 6372321
"""The droplet snapshot of the spec's snapshot examples (an integer in the path, text in /v2/snapshots)."""
VOLUME_SNAPSHOT = "fbe805e8-866b-11e6-96bf-000f53315a41"
"""The volume snapshot of the spec's /v2/snapshots example."""

ONE_FAILURE = Change(
    "resources.volume_snapshots[0]: destroyed_at removed, error_message added; failures: 1 "
    "(the shape the spec's associated_resource_status schema gives a resource that was not destroyed)",
    _one_failure,
)


@dataclass(frozen=True)
class Exchange:
    """One request and the example that answers it."""

    method: str
    path: str
    status: int
    example: str | None = None
    request_example: str | None = None
    request_body: dict[str, Any] | None = None
    """The body the client sends, where the spec's request example is schema-derived (not explicit)."""
    seconds_before: float | None = None
    """Seconds between the previous answer and this request, where a scenario's timing matters (a wait
    that polls a second after a DELETE); the contract test advances the sandbox clock by it (else 60 s)."""
    request_headers: dict[str, str] = field(default_factory=dict)
    """Headers the operation requires besides the usual ones (``X-Dangerous: true``)."""
    change: Change | None = None
    """Where the answer is the explicit ``example`` changed (a state the spec has no example of)."""


def get(path: str, example: str, status: int = 200) -> Exchange:
    return Exchange("GET", path, status, example)


CASSETTES: dict[str, list[Exchange]] = {
    "droplets_list_and_filter": [
        get("/v2/droplets?per_page=200", "droplets_list_200.json"),
        get("/v2/droplets?type=gpus&per_page=200", "droplets_list_200_gpus.json"),
        get(f"/v2/droplets?tag_name={TAG}&per_page=200", "droplets_list_200_tagged.json"),
        get("/v2/droplets?per_page=200", "droplets_list_200.json"),
        get("/v2/droplets?type=gpus&per_page=200", "droplets_list_200_gpus.json"),
    ],
    "droplets_by_type": [
        get("/v2/droplets?type=gpus&per_page=200", "droplets_list_200_gpus.json"),
        get("/v2/droplets?type=droplets&per_page=200", "droplets_list_200.json"),
    ],
    "droplet_get": [
        get(f"/v2/droplets/{DROPLET}", "droplets_get_200.json"),
        get(f"/v2/droplets/{MISSING}", "error_404.json", 404),
    ],
    "droplet_create": [
        Exchange("POST", "/v2/droplets", 202, "droplets_create_202_single.json", "droplets_create_single_request.json"),
    ],
    "droplet_create_many": [
        Exchange("POST", "/v2/droplets", 202, "droplets_create_202_multi.json", "droplets_create_multi_request.json"),
    ],
    "droplet_destroy": [
        get(f"/v2/droplets/{DROPLET}", "droplets_get_200.json"),
        Exchange("DELETE", f"/v2/droplets/{DROPLET}", 204),
        get(f"/v2/droplets/{DROPLET}", "error_404.json", 404),
    ],
    "droplets_destroy_by_tag": [
        Exchange("DELETE", f"/v2/droplets?tag_name={TAG}", 204),
    ],
    # Issue 13: a destroy that waits, polled a second after the 204 and still shown (the droplet
    # stays visible a moment); a ready wait's one round for several droplets, and for one; an
    # action refused with 422 for another reason than a lock (raised at once, sent once).
    "droplet_destroy_still_shown": [
        get(f"/v2/droplets/{DROPLET}", "droplets_get_200.json"),
        Exchange("DELETE", f"/v2/droplets/{DROPLET}", 204),
        Exchange("GET", f"/v2/droplets/{DROPLET}", 200, "droplets_get_200.json", seconds_before=1),
    ],
    "droplets_wait_ready": [
        get(f"/v2/droplets?tag_name={TAG}&per_page=200", "droplets_list_200_tagged.json"),
        get(f"/v2/droplets?tag_name={TAG}&per_page=200", "droplets_list_200_tagged.json"),
    ],
    "droplet_wait_ready": [
        get(f"/v2/droplets/{DROPLET}", "droplets_get_200.json"),
        get(f"/v2/droplets/{DROPLET}", "droplets_get_200.json"),
    ],
    "droplet_action_refused": [
        get(f"/v2/droplets/{DROPLET}", "droplets_get_200.json"),
        Exchange(
            "POST",
            f"/v2/droplets/{DROPLET}/actions",
            422,
            "error_422.json",
            request_body={"type": "resize", "size": "s-2vcpu-4gb", "disk": False},
        ),
    ],
    "droplet_backups_and_snapshots": [
        get(f"/v2/droplets/{DROPLET}", "droplets_get_200.json"),
        get(f"/v2/droplets/{DROPLET}/backups?per_page=200", "droplets_list_backups_200.json"),
        get(f"/v2/droplets/{DROPLET}/snapshots?per_page=200", "droplets_list_snapshots_200.json"),
    ],
    "droplet_actions_list": [
        get(f"/v2/droplets/{DROPLET}", "droplets_get_200.json"),
        get(f"/v2/droplets/{DROPLET}/actions?per_page=200", "droplet_actions_list_200.json"),
    ],
    "droplet_backup_policies": [
        get("/v2/droplets/backups/supported_policies", "droplets_list_supported_backup_policies_200.json"),
        get("/v2/droplets/backups/policies?per_page=200", "droplets_list_backup_policies_200.json"),
        get(f"/v2/droplets/{POLICY_DROPLET}/backups/policy", "droplets_get_backup_policy_200.json"),
    ],
    "regions_and_sizes": [
        get("/v2/regions?per_page=1", "regions_list_200.json"),
        get("/v2/regions?per_page=1", "regions_list_200.json"),
        get("/v2/sizes?per_page=1", "sizes_list_200.json"),
        get("/v2/sizes?per_page=1", "sizes_list_200.json"),
    ],
    "images": [
        get("/v2/images/ubuntu-16-04-x64", "images_get_200.json"),
        get("/v2/images?type=distribution&per_page=200", "images_list_200_distribution.json"),
        # The spec's "Snapshots" example: the private images of a user.
        get("/v2/images?private=true&per_page=200", "images_list_200_snapshots.json"),
    ],
    "ssh_keys": [
        get("/v2/account/keys?per_page=200", "ssh_keys_list_200.json"),
    ],
    "ssh_keys_manage": [
        get("/v2/account/keys?per_page=1", "ssh_keys_list_200.json"),
        Exchange("DELETE", f"/v2/account/keys/{SSH_KEY}", 204),
        get(f"/v2/account/keys/{SSH_KEY}", "error_404.json", 404),
    ],
    "volumes_manage": [
        Exchange("POST", "/v2/volumes", 201, "volumes_create_201.json", "volumes_create_ext4_request.json"),
        get(f"/v2/volumes/{VOLUME}", "volumes_get_200.json"),
        get("/v2/volumes?name=example&region=nyc1&per_page=200", "volumes_list_200_by_name.json"),
        get("/v2/volumes?region=nyc1&per_page=200", "volumes_list_200_by_region.json"),
        Exchange(
            "POST",
            f"/v2/volumes/{VOLUME}/actions",
            202,
            "volume_actions_post_by_id_202_attach.json",
            "volume_actions_post_by_id_attach_request.json",
        ),
        get(f"/v2/volumes/{VOLUME}", "volumes_get_200.json"),
        get(f"/v2/volumes/{VOLUME}/actions?per_page=200", "volume_actions_list_200.json"),
        Exchange(
            "POST",
            f"/v2/volumes/{VOLUME}/actions",
            202,
            "volume_actions_post_by_id_202_detach.json",
            "volume_actions_post_by_id_detach_request.json",
        ),
        Exchange(
            "POST",
            "/v2/volumes/actions",
            202,
            "volume_actions_post_202_attach.json",
            "volume_actions_post_attach_request.json",
        ),
        Exchange(
            "POST",
            "/v2/volumes/actions",
            202,
            "volume_actions_post_202_detach.json",
            "volume_actions_post_detach_request.json",
        ),
        Exchange("DELETE", f"/v2/volumes/{VOLUME}", 204),
        get(f"/v2/volumes/{VOLUME}", "error_404.json", 404),
        Exchange("DELETE", "/v2/volumes?name=example&region=nyc1", 204),
    ],
    "tags_manage": [
        Exchange("POST", "/v2/tags", 201, "tags_create_201.json", request_body={"name": TAG_NAME}),
        get(f"/v2/droplets/{DROPLET}", "droplets_get_200.json"),
        Exchange("POST", f"/v2/tags/{TAG_NAME}/resources", 204, request_body=TAGGED),
        get(f"/v2/tags/{TAG_NAME}", "tags_get_200.json"),
        Exchange("DELETE", f"/v2/tags/{TAG_NAME}/resources", 204, request_body=TAGGED),
        get("/v2/tags?per_page=200", "tags_list_200.json"),
        Exchange("DELETE", f"/v2/tags/{TAG_NAME}", 204),
        get(f"/v2/tags/{TAG_NAME}", "error_404.json", 404),
    ],
    "reserved_ips_manage": [
        Exchange(
            "POST", "/v2/reserved_ips", 202, "reserved_ips_create_202_reserving.json", request_body={"region": "nyc3"}
        ),
        get(f"/v2/reserved_ips/{RESERVED_IP}", "reserved_ips_get_200_reserved.json"),
        Exchange(
            "POST",
            f"/v2/reserved_ips/{RESERVED_IP}/actions",
            201,
            "reserved_ips_actions_post_201.json",
            request_body={"type": "assign", "droplet_id": DROPLET},
        ),
        get(f"/v2/reserved_ips/{RESERVED_IP}", "reserved_ips_get_200_assigned.json"),
        get("/v2/reserved_ips?per_page=200", "reserved_ips_list_200.json"),
        Exchange(
            "POST",
            f"/v2/reserved_ips/{RESERVED_IP}/actions",
            201,
            "reserved_ips_actions_post_201.json",
            request_body={"type": "unassign"},
        ),
        get(f"/v2/reserved_ips/{RESERVED_IP}", "reserved_ips_get_200_reserved.json"),
        Exchange(
            "POST",
            "/v2/reserved_ips",
            202,
            "reserved_ips_create_202_assigning.json",
            request_body={"droplet_id": DROPLET},
        ),
        Exchange("DELETE", f"/v2/reserved_ips/{RESERVED_IP}", 204),
        get(f"/v2/reserved_ips/{RESERVED_IP}", "error_404.json", 404),
    ],
    "vpcs_manage": [
        get("/v2/vpcs?per_page=200", "vpcs_list_200.json"),
        get(f"/v2/vpcs/{DEFAULT_VPC}/members?per_page=200", "vpcs_list_members_200.json"),
        get("/v2/vpcs?per_page=200", "vpcs_list_200.json"),
        Exchange("DELETE", f"/v2/vpcs/{PROD_VPC}", 204),
    ],
    "firewalls_manage": [
        Exchange("POST", "/v2/firewalls", 202, "firewalls_create_202.json", "firewalls_create_request.json"),
        get(f"/v2/firewalls/{FIREWALL}", "firewalls_get_200.json"),
        get("/v2/firewalls?per_page=200", "firewalls_list_200.json"),
        Exchange("POST", f"/v2/firewalls/{FIREWALL}/droplets", 204, None, "firewalls_assign_droplets_request.json"),
        Exchange("DELETE", f"/v2/firewalls/{FIREWALL}/droplets", 204, None, "firewalls_delete_droplets_request.json"),
        Exchange("POST", f"/v2/firewalls/{FIREWALL}/tags", 204, None, "firewalls_add_tags_request.json"),
        Exchange("DELETE", f"/v2/firewalls/{FIREWALL}/tags", 204, None, "firewalls_delete_tags_request.json"),
        Exchange("POST", f"/v2/firewalls/{FIREWALL}/rules", 204, None, "firewalls_add_rules_request.json"),
        Exchange("DELETE", f"/v2/firewalls/{FIREWALL}/rules", 204, None, "firewalls_delete_rules_request.json"),
        Exchange("PUT", f"/v2/firewalls/{FIREWALL}", 200, "firewalls_update_200.json", "firewalls_update_request.json"),
        get(f"/v2/droplets/{DROPLET}", "droplets_get_200.json"),
        get(f"/v2/droplets/{DROPLET}/firewalls?per_page=200", "droplets_list_firewalls_200.json"),
        Exchange("DELETE", f"/v2/firewalls/{FIREWALL}", 204),
        get(f"/v2/firewalls/{FIREWALL}", "error_404.json", 404),
    ],
    "snapshots_by_kind": [
        get("/v2/snapshots?per_page=200", "snapshots_list_200.json"),
        get("/v2/snapshots?resource_type=droplet&per_page=200", "snapshots_list_200_droplets.json"),
        Exchange("DELETE", f"/v2/snapshots/{DROPLET_SNAPSHOT}", 204),
        Exchange("DELETE", f"/v2/snapshots/{VOLUME_SNAPSHOT}", 204),
    ],
    # A droplet's own snapshot deleted through /v2/snapshots/{id} (the integer id of the droplet's list).
    "droplet_snapshot_destroy": [
        get(f"/v2/droplets/{DROPLET}/snapshots?per_page=200", "droplets_list_snapshots_200.json"),
        Exchange("DELETE", f"/v2/snapshots/{DROPLET_SNAPSHOT}", 204),
        get(f"/v2/snapshots/{DROPLET_SNAPSHOT}", "error_404.json", 404),
    ],
    # The verbs on one of the account's own images: rename, copy to a region, its actions, delete.
    "image_verbs": [
        get("/v2/images?private=true&per_page=200", "images_list_200_snapshots.json"),
        Exchange(
            "PUT",
            f"/v2/images/{SNAPSHOT_IMAGE}",
            200,
            "images_update_200.json",
            request_body={"name": "new-image-name"},
        ),
        Exchange(
            "POST",
            f"/v2/images/{SNAPSHOT_IMAGE}/actions",
            201,
            "image_actions_post_201.json",
            request_body={"type": "transfer", "region": "ams3"},
        ),
        Exchange(
            "GET",
            f"/v2/images/{SNAPSHOT_IMAGE}/actions?per_page=200",
            200,
            "image_actions_list_200.json",
            change=ONE_PAGE,
        ),
        Exchange("DELETE", f"/v2/images/{SNAPSHOT_IMAGE}", 204),
        get(f"/v2/images/{SNAPSHOT_IMAGE}", "error_404.json", 404),
    ],
    "image_convert": [
        get(f"/v2/droplets/{DROPLET}/backups?per_page=200", "droplets_list_backups_200.json"),
        Exchange(
            "POST",
            f"/v2/images/{BACKUP_IMAGE}/actions",
            201,
            "image_actions_post_201.json",
            request_body={"type": "convert"},
            change=CONVERTING,
        ),
    ],
    "error_unauthorized": [
        get("/v2/droplets?per_page=200", "error_401.json", 401),
    ],
    "error_rate_limited": [
        get("/v2/account/keys?per_page=200", "error_429.json", 429),
    ],
    "error_server_error": [
        get(f"/v2/droplets/{DROPLET}", "error_500.json", 500),
    ],
    # The metrics examples' own hours: CPU and filesystem end at 1635387120, bandwidth at 1634052720.
    "droplet_metrics_cpu_and_filesystem": [
        get(
            f"{METRICS}/cpu?host_id={DROPLET}&start=1635383520&end=1635387120",
            "monitoring_get_droplet_cpu_metrics_200.json",
        ),
        get(
            f"{METRICS}/filesystem_free?host_id={DROPLET}&start=1635383520&end=1635387120",
            "monitoring_get_droplet_filesystem_free_metrics_200.json",
        ),
        get(
            f"{METRICS}/filesystem_size?host_id={DROPLET}&start=1635383520&end=1635387120",
            "monitoring_get_droplet_filesystem_size_metrics_200.json",
        ),
    ],
    "autoscale_pool_lifecycle": [
        Exchange(
            "POST",
            AUTOSCALE,
            202,
            "autoscalepools_create_202_static.json",
            "autoscalepools_create_static_request.json",
        ),
        Exchange(
            "PUT",
            f"{AUTOSCALE}/{POOL}",
            200,
            "autoscalepools_update_200_dynamic.json",
            "autoscalepools_update_request.json",
        ),
        get(f"{AUTOSCALE}/{POOL}", "autoscalepools_get_200.json"),
        get(f"{AUTOSCALE}/{POOL}/members?per_page=200", "autoscalepools_list_members_200.json"),
        get(f"{AUTOSCALE}/{POOL}/history?per_page=200", "autoscalepools_list_history_200.json"),
        get(f"{AUTOSCALE}?per_page=200", "autoscalepools_list_200.json"),
        Exchange("DELETE", f"{AUTOSCALE}/{POOL}", 202),
    ],
    # Issue 17: destroy with associated resources. The droplet is the status example's (reached with
    # Droplet.ref()); the destroys answer 202 with no body, the retry 202, then 409 once nothing failed.
    "droplet_teardown_selective": [
        get(TEARDOWN, PREVIEW),
        get(TEARDOWN, PREVIEW),  # the destroy matches each choice to the preview's ids before deleting
        Exchange("DELETE", f"{TEARDOWN}/selective", 202, request_body=SELECTED),
        get(f"{TEARDOWN}/status", STATUS),
        get(f"{TEARDOWN}/status", STATUS),
    ],
    "droplet_teardown_dangerous": [
        Exchange("DELETE", f"{TEARDOWN}/dangerous", 202, request_headers={"X-Dangerous": "true"}),
        get(f"{TEARDOWN}/status", STATUS),
    ],
    "droplet_teardown_failed_then_retried": [
        get(TEARDOWN, PREVIEW),
        Exchange("DELETE", f"{TEARDOWN}/dangerous", 202, request_headers={"X-Dangerous": "true"}),
        Exchange("GET", f"{TEARDOWN}/status", 200, STATUS, change=ONE_FAILURE),
        Exchange("POST", f"{TEARDOWN}/retry", 202),
        get(f"{TEARDOWN}/status", STATUS),
        Exchange("POST", f"{TEARDOWN}/retry", 409, "error_409.json"),
    ],
    "autoscale_pool_dangerous_delete": [
        get(f"{AUTOSCALE}/{POOL}", "autoscalepools_get_200.json"),
        get(f"{AUTOSCALE}/{POOL}/members?per_page=200", "autoscalepools_list_members_200.json"),
        Exchange("DELETE", f"{AUTOSCALE}/{POOL}/dangerous", 202, request_headers={"X-Dangerous": "true"}),
    ],
    "droplet_metrics_bandwidth": [
        get(
            f"{METRICS}/bandwidth?host_id={DROPLET}&start=1634049120&end=1634052720&interface=public&direction=inbound",
            "monitoring_get_droplet_bandwidth_metrics_200_inbound_public.json",
        ),
    ],
}


class Dumper(yaml.SafeDumper):
    """Writes multi-line strings (the JSON bodies) as readable block scalars."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


Dumper.add_representer(str, _str)


def load_index(examples: Path) -> dict[str, str]:
    """Map each example file to its provenance class."""
    index = json.loads((examples / "index.json").read_text(encoding="utf-8"))
    return {entry["file"]: entry["provenance"] for entry in index if entry.get("file")}


def _explicit(examples: Path, provenance: dict[str, str], name: str) -> Any:
    if provenance.get(name) not in ("explicit", "explicit-corrected"):
        raise SystemExit(f"{name} is {provenance.get(name, 'not in index.json')!r}, not an explicit example")
    return json.loads((examples / name).read_text(encoding="utf-8"))


def build(name: str, exchanges: list[Exchange], examples: Path, provenance: dict[str, str]) -> dict[str, Any]:
    """Build one cassette as the dict vcrpy's YAML serializer reads."""
    interactions = []
    for number, ex in enumerate(exchanges):
        when = FIRST_ANSWER + number
        headers: dict[str, list[str]] = {"Accept": ["application/json"], "User-Agent": [USER_AGENT]}
        headers.update({name: [value] for name, value in ex.request_headers.items()})
        body = None
        if ex.request_example is not None or ex.request_body is not None:
            sent = ex.request_body or _explicit(examples, provenance, ex.request_example or "")
            body = json.dumps(sent, separators=(",", ":"))
            headers["Content-Type"] = ["application/json"]
        headers["Authorization"] = ["REDACTED"]
        answer: dict[str, list[str]] = {}
        text = ""
        if ex.example is not None:
            example = _explicit(examples, provenance, ex.example)
            if ex.change is not None:
                example = ex.change.apply(copy.deepcopy(example))
            text = json.dumps(example, indent=2, ensure_ascii=False)
            answer["content-type"] = ["application/json; charset=utf-8"]
        answer["date"] = [email.utils.formatdate(when, usegmt=True)]
        answer["ratelimit-limit"] = ["5000"]
        answer["ratelimit-remaining"] = ["0" if ex.status == 429 else str(4999 - number)]
        answer["ratelimit-reset"] = [str(int(FIRST_ANSWER) + 3600)]
        answer["x-request-id"] = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"droplets-cassette:{name}:{number}"))]
        interactions.append(
            {
                "request": {"body": body, "headers": headers, "method": ex.method, "uri": BASE + ex.path},
                "response": {
                    "body": {"string": text},
                    "headers": answer,
                    "status": {"code": ex.status, "message": http.HTTPStatus(ex.status).phrase},
                },
            }
        )
    used = sorted({e for ex in exchanges for e in (ex.example, ex.request_example) if e})
    metadata = {"source": f"{SPEC_SOURCE} explicit examples", "examples": used, "assembled_by": "cassettes/assemble.py"}
    timing = {number: ex.seconds_before for number, ex in enumerate(exchanges) if ex.seconds_before is not None}
    if timing:
        metadata["seconds_before"] = timing
    derived = {number: f"{ex.example}, {ex.change.note}" for number, ex in enumerate(exchanges) if ex.change}
    if derived:
        metadata["derived"] = derived
    return {"interactions": interactions, "metadata": metadata, "version": 1}


def render(name: str, cassette: dict[str, Any]) -> str:
    header = (
        f"# {name}: assembled by cassettes/assemble.py, not recorded from a live account.\n"
        f"# Response bodies: the explicit examples of {SPEC_SOURCE} (see metadata).\n"
    )
    if "derived" in cassette["metadata"]:
        header += "# Some are an explicit example with the one change metadata.derived names (no example shows it).\n"
    return header + yaml.dump(cassette, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=Path, default=DEFAULT_EXAMPLES, help="the spec's examples directory")
    parser.add_argument("--check", action="store_true", help="only compare with the committed files")
    args = parser.parse_args(argv)
    provenance = load_index(args.examples)
    texts = {
        name: render(name, build(name, exchanges, args.examples, provenance)) for name, exchanges in CASSETTES.items()
    }
    return write_or_check(texts, check=args.check)


def write_or_check(texts: dict[str, str], *, check: bool) -> int:
    """Write each cassette's text to ``cassettes/<name>.yaml``, or only compare (``check``); 1 if any differs."""
    stale = []
    for name, text in texts.items():
        path = HERE / f"{name}.yaml"
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
