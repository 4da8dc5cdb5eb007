"""Handlers of ``/v2/tags``: create, list, get, delete, tag and untag resources.

The digest's rules: names match ``^[a-zA-Z0-9_\\-:]+$`` and are at most 255
characters (a violation is a 400 in the tag endpoints' own error shape);
names are case-stable (``GET /v2/tags/PROD`` does not find ``prod``); a tag
exists once created or while any resource carries it (droplet create's
``tags`` creates them); deleting a tag untags every resource; resource ids
are strings, resource types ``droplet``, ``image``, ``volume`` or
``volume_snapshot``.
"""

from __future__ import annotations

import re
from typing import Any

from droplets.sandbox.errors import ApiError, RootCauseError, not_found
from droplets.sandbox.handlers import Reply
from droplets.sandbox.handlers.common import account_image
from droplets.sandbox.pagination import paginate
from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState
from droplets.sandbox.validation import validate

Json = dict[str, Any]
NAME = re.compile(r"^[a-zA-Z0-9_\-:]+$")
KINDS = ("droplets", "images", "volumes", "volume_snapshots", "databases")
CREATE: Json = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
RESOURCES: Json = {
    "type": "object",
    "required": ["resources"],
    "properties": {
        "resources": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["resource_id", "resource_type"],
                "properties": {
                    "resource_id": {"type": "string"},
                    "resource_type": {"type": "string", "enum": ["droplet", "image", "volume", "volume_snapshot"]},
                },
            },
        }
    },
}


def _carriers(state: SandboxState, name: str) -> dict[str, list[str]]:
    """The URIs of what carries a tag, per kind, oldest first."""
    base = state.base_url
    droplets = [f"{base}/v2/droplets/{d.id}" for d in state.droplets.values() if name in d.tags]
    images = [f"{base}/v2/images/{i['id']}" for i in state.all_images() if name in (i.get("tags") or [])]
    return {"droplets": droplets, "images": images, "volumes": [], "volume_snapshots": [], "databases": []}


def names(state: SandboxState) -> list[str]:
    """Every tag of the account: created (or ever carried by a droplet), then those only images carry."""
    found = sorted(state.known_tags)
    for d in state.droplets.values():
        found += [t for t in d.tags if t not in found]
    for image in state.all_images():
        found += [t for t in image.get("tags") or [] if t not in found]
    return found


def show_tag(state: SandboxState, name: str) -> Json:
    """The wire form of a tag, with its resource counts."""
    carriers = _carriers(state, name)
    resources: Json = {"count": sum(len(uris) for uris in carriers.values())}
    everything = [uri for kind in KINDS for uri in carriers[kind]]
    if everything:
        resources["last_tagged_uri"] = everything[-1]
    for kind in KINDS:
        entry: Json = {"count": len(carriers[kind])}
        if carriers[kind]:
            entry["last_tagged_uri"] = carriers[kind][-1]
        resources[kind] = entry
    return {"name": name, "resources": resources}


def _existing(state: SandboxState, name: str) -> str:
    if name not in names(state):
        raise not_found("tag")
    return name


def list_tags(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/tags``."""
    return 200, paginate(req, state.base_url, "tags", names(state), lambda name: show_tag(state, name))


def create_tag(state: SandboxState, req: Request) -> Reply:
    """``POST /v2/tags``: 201 ``{tag}``; an existing name (any case) answers with the existing tag."""
    try:
        body = req.json()
    except ApiError as error:  # this endpoint's 400s have their own shape
        raise RootCauseError(error.message) from None
    body = validate(body, CREATE, strict=req.strict)
    name = body["name"]
    if not NAME.match(name) or len(name) > 255:
        raise RootCauseError(f'Error validating resource tag: "tag-name \\"{name}\\" contains invalid characters"')
    existing = next((t for t in names(state) if t.lower() == name.lower()), None)
    if existing is None:
        state.known_tags.add(name)
    return 201, {"tag": show_tag(state, existing or name)}


def get_tag(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/tags/{tag_id}`` (the name, case-sensitive)."""
    return 200, {"tag": show_tag(state, _existing(state, req.params["tag_id"]))}


def delete_tag(state: SandboxState, req: Request) -> Reply:
    """``DELETE /v2/tags/{tag_id}``: 204; every resource carrying it is untagged."""
    name = _existing(state, req.params["tag_id"])
    state.known_tags.discard(name)
    for d in state.droplets.values():
        if name in d.tags:
            d.tags.remove(name)
    for image in [*state.user_images.values(), *(i for i in state.catalog_images if not i["public"])]:
        if name in (image.get("tags") or []):
            image["tags"].remove(name)
    return 204, None


def _targets(state: SandboxState, req: Request) -> list[list[str]]:
    """The tag lists of the resources a tag/untag body names (404 if one does not exist)."""
    body = req.json()
    body = validate(body, RESOURCES, strict=req.strict)
    lists = []
    for ref in body["resources"]:
        ident, kind = ref["resource_id"], ref["resource_type"]
        if kind == "droplet" and ident.isdigit() and int(ident) in state.droplets:
            lists.append(state.droplets[int(ident)].tags)
        elif kind == "image" and ident.isdigit() and (image := account_image(state, int(ident))) is not None:
            if image.get("tags") is None:
                image["tags"] = []
            lists.append(image["tags"])
        else:
            raise not_found(kind)
    return lists


def tag_resources(state: SandboxState, req: Request) -> Reply:
    """``POST /v2/tags/{tag_id}/resources``: 204."""
    name = _existing(state, req.params["tag_id"])
    for tags in _targets(state, req):
        if name not in tags:
            tags.append(name)
    state.known_tags.add(name)
    return 204, None


def untag_resources(state: SandboxState, req: Request) -> Reply:
    """``DELETE /v2/tags/{tag_id}/resources``: 204."""
    name = _existing(state, req.params["tag_id"])
    for tags in _targets(state, req):
        if name in tags:
            tags.remove(name)
    return 204, None
