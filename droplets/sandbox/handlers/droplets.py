"""Handlers of ``/v2/droplets``: list, create, get and destroy."""

from __future__ import annotations

import re
from typing import Any

from droplets.sandbox.errors import bad_request, not_found, unprocessable
from droplets.sandbox.handlers import Reply
from droplets.sandbox.handlers.common import show_droplet
from droplets.sandbox.pagination import paginate
from droplets.sandbox.records import DropletRecord
from droplets.sandbox.request import Request
from droplets.sandbox.schemas import MAX_USER_DATA, MULTI_CREATE, SINGLE_CREATE
from droplets.sandbox.state import SandboxState
from droplets.sandbox.validation import drop_nulls, validate
from droplets.sandbox.wire import droplet_wire

Json = dict[str, Any]
TAG_PATTERN = re.compile(r"^[a-zA-Z0-9_\-:]+$")


def list_droplets(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/droplets`` with ``tag_name``, ``name`` or ``type`` filters."""
    tag = req.query.get("tag_name")
    name = req.query.get("name")
    kind = req.query_choice("type", ("droplets", "gpus"))
    if tag is not None and (name is not None or kind is not None):
        raise bad_request("tag_name cannot be combined with name or type")
    visible = state.visible_droplets()
    if tag is not None:
        found = [d for d in visible if tag in d.tags]
    else:
        gpus = kind == "gpus"
        found = [d for d in visible if d.is_gpu == gpus]
        if name is not None:
            found = [d for d in found if d.name.lower() == name.lower()]
    return 200, paginate(req, state.base_url, "droplets", found, lambda d: show_droplet(state, d))


def get_droplet(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/droplets/{droplet_id}``."""
    d = state.get_droplet(req.int_param("droplet_id"))
    return 200, {"droplet": show_droplet(state, d)}


def destroy_droplet(state: SandboxState, req: Request) -> Reply:
    """``DELETE /v2/droplets/{droplet_id}``."""
    state.delete_droplet(state.get_droplet(req.int_param("droplet_id")))
    return 204, None


def destroy_by_tag(state: SandboxState, req: Request) -> Reply:
    """``DELETE /v2/droplets?tag_name=``: destroy every droplet with the tag.

    A tag the account never had is a 404, as the spec declares (and as the
    real API answers for an unknown tag resource); a known tag that no
    droplet carries any more destroys nothing and answers 204.
    """
    tag = req.query.get("tag_name")
    if not tag:
        raise bad_request("tag_name is required")
    if tag not in state.known_tags:
        raise not_found("tag")
    for d in [d for d in state.visible_droplets() if tag in d.tags]:
        state.delete_droplet(d)
    return 204, None


def create_droplets(state: SandboxState, req: Request) -> Reply:
    """``POST /v2/droplets``: one (``name``) or up to ten (``names``) droplets."""
    body = {k: v for k, v in req.json().items() if not (k in ("name", "names") and v is None)}
    if "name" in body and "names" in body:
        raise unprocessable("give either name or names, not both")
    multi = "names" in body
    body = drop_nulls(validate(body, MULTI_CREATE if multi else SINGLE_CREATE, strict=req.strict))
    names: list[str] = body["names"] if multi else [body["name"]]
    if not names:
        raise unprocessable("names must not be empty")
    _check_options(body)
    size, image, region = _resolve_catalog(state, body)
    state.storage.claim_at_create(list(body.get("volumes", [])), region, len(names))
    vpc = state.vpcs.records.get(body["vpc_uuid"]) if body.get("vpc_uuid") else None
    if vpc is not None and vpc["region"] != region["slug"]:  # (an unknown uuid is let through, as before)
        raise unprocessable(f"VPC {vpc['name']!r} is in {vpc['region']}, not in {region['slug']}")
    created = []
    for name in names:
        d = state.new_droplet(
            name=name,
            region=region,
            size=size,
            image=image,
            tags=list(body.get("tags") or []),
            features=_features(body),
            ipv6=body.get("ipv6", False),
            public_networking=body.get("public_networking", True),
            vpc_uuid=body.get("vpc_uuid"),
            volume_ids=list(body.get("volumes", [])),
        )
        state.storage.attached_at_create(d)
        action = state.start_action("create", d, {"backup_policy": body.get("backup_policy")})
        created.append((d, action))
    links = {
        "actions": [{"id": a.id, "rel": "create", "href": f"{state.base_url}/v2/actions/{a.id}"} for _, a in created]
    }
    if multi:
        return 202, {"droplets": [_created(d) for d, _ in created], "links": links}
    return 202, {"droplet": _created(created[0][0]), "links": links}


def _created(d: DropletRecord) -> Json:
    """The create answer's droplet: unlocked, like the spec's example, though its create action is pending."""
    return {**droplet_wire(d), "locked": False}


def _check_options(body: Json) -> None:
    if len(body.get("user_data", "").encode("utf-8")) > MAX_USER_DATA:
        raise unprocessable("user_data must be at most 64 KiB")
    if body.get("public_networking") is False and body.get("ipv6"):
        raise unprocessable("ipv6 must be false when public_networking is false")
    for tag in body.get("tags") or []:
        if not isinstance(tag, str) or len(tag) > 255 or not TAG_PATTERN.fullmatch(tag):
            raise unprocessable(f"tags: {tag!r} is not a valid tag name")


def _resolve_catalog(state: SandboxState, body: Json) -> tuple[Json, Json, Json]:
    catalog = state.catalog
    size = catalog.sizes_by_slug.get(body["size"])
    if size is None or not size["available"]:
        raise unprocessable(f"size: {body['size']!r} is not a valid size slug")
    image = state.find_image(body["image"])
    if image is None:
        raise unprocessable(f"image: {body['image']!r} is not a valid image id or slug")
    if "region" in body:
        region = catalog.find_region(body["region"])
        if region is None or not region["available"]:
            raise unprocessable(f"region: {body['region']!r} is not a valid region")
    else:
        usable = [r for r in catalog.regions if r["available"] and r["slug"] in size["regions"]]
        if not usable:
            raise unprocessable(f"size: {size['slug']!r} is not available in any region")
        region = usable[0]
    if region["slug"] not in size["regions"]:
        raise unprocessable(f"size: {size['slug']!r} is not available in {region['slug']}")
    return size, image, region


def _features(body: Json) -> list[str]:
    features = []
    if body.get("backups"):
        features.append("backups")
    features.append("private_networking")
    if body.get("ipv6"):
        features.append("ipv6")
    if body.get("monitoring"):
        features.append("monitoring")
    if body.get("with_droplet_agent") is not False:
        features.append("droplet_agent")
    return features
