"""Handlers of the images endpoints."""

from __future__ import annotations

from typing import Any

from droplets.sandbox.errors import bad_request, not_found, unprocessable
from droplets.sandbox.handlers import Reply
from droplets.sandbox.handlers.common import account_image, show_action
from droplets.sandbox.pagination import paginate
from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState
from droplets.sandbox.validation import drop_nulls, validate

Json = dict[str, Any]


def list_images(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/images`` with ``type``, ``private`` and ``tag_name`` filters."""
    kind = req.query_choice("type", ("application", "distribution"))
    private = req.query_bool("private")
    tag = req.query.get("tag_name")
    images = state.all_images()
    if kind is not None:
        list_types = state.catalog.image_list_types
        images = [i for i in images if list_types.get(i["id"]) == kind]
    if private:
        images = [i for i in images if not i["public"]]
    if tag is not None:
        images = [i for i in images if tag in (i["tags"] or [])]
    return 200, paginate(req, state.base_url, "images", images, lambda i: i)


def get_image(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/images/{image_id}``: by id, or by slug for public images."""
    ref = req.params["image_id"]
    if ref.isdigit() and int(ref) < 1:
        raise bad_request("image_id must be at least 1")
    image = state.find_image(ref)
    if image is None:
        raise not_found("image")
    return 200, {"image": image}


DISTRIBUTIONS = (
    "Arch Linux", "CentOS", "CoreOS", "Debian", "Fedora", "Fedora Atomic", "FreeBSD",
    "Gentoo", "openSUSE", "RancherOS", "Rocky Linux", "Ubuntu", "Unknown",
)  # fmt: skip
UPDATE: Json = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "pattern": r"\S"},
        "distribution": {"type": "string"},
        "description": {"type": "string", "maxLength": 255},
    },
}
ACTION: Json = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": {"type": "string", "enum": ["convert", "transfer"]}, "region": {"type": "string"}},
}


def _own_image(state: SandboxState, req: Request) -> Json:
    """An image of the account (a snapshot, backup or private image): public images cannot be changed (404)."""
    ref = req.params["image_id"]
    image = account_image(state, int(ref)) if ref.isdigit() else None
    if image is None:
        raise not_found("image")
    return image


def update_image(state: SandboxState, req: Request) -> Reply:
    """``PUT /v2/images/{image_id}``: name, distribution (other values are stored as Unknown), description."""
    image = _own_image(state, req)
    body = drop_nulls(validate(req.json(), UPDATE))  # a null field is not given: the image keeps its value
    if "name" in body:
        image["name"] = body["name"]
    if "distribution" in body:
        image["distribution"] = body["distribution"] if body["distribution"] in DISTRIBUTIONS else "Unknown"
    if "description" in body:
        image["description"] = body["description"]
    return 200, {"image": image}


def delete_image(state: SandboxState, req: Request) -> Reply:
    """``DELETE /v2/images/{image_id}``: 204, for snapshots (a backup must be converted first: 422)."""
    image = _own_image(state, req)
    if image["type"] == "backup":
        raise unprocessable("a backup cannot be deleted; convert it to a snapshot first")
    if state.user_images.pop(image["id"], None) is None:  # a private image of the catalog: this account's copy
        state.catalog_images = [i for i in state.catalog_images if i["id"] != image["id"]]
    for d in state.droplets.values():
        if image["id"] in d.snapshot_ids:
            d.snapshot_ids.remove(image["id"])
    return 204, None


def post_image_action(state: SandboxState, req: Request) -> Reply:
    """``POST /v2/images/{image_id}/actions``: ``transfer`` (to ``region``) or ``convert`` (a backup); 201."""
    image = _own_image(state, req)
    body = req.json()
    validate(body, ACTION)
    if body["type"] == "transfer":
        region = next((r for r in state.catalog.regions if r["slug"] == body.get("region")), None)
        if region is None:
            raise unprocessable("transfer needs a valid region")
        slug = region["slug"]
        if slug in image["regions"]:
            raise unprocessable(f"the image is already available in {slug}")

        def effect() -> None:
            image["regions"].append(slug)

    else:
        if image["type"] != "backup":
            raise unprocessable("only a backup can be converted to a snapshot")
        region = next(r for r in state.catalog.regions if r["slug"] == image["regions"][0])

        def effect() -> None:
            image["type"] = "snapshot"

    action = state.start_resource_action(body["type"], "image", image["id"], region, locks=None, effect=effect)
    return 201, {"action": show_action(state, action)}


def _image_actions(state: SandboxState, req: Request) -> list[Any]:
    image = _own_image(state, req)
    return [a for a in state.actions.values() if a.resource_type == "image" and a.resource_id == image["id"]]


def list_image_actions(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/images/{image_id}/actions``."""
    actions = _image_actions(state, req)
    return 200, paginate(req, state.base_url, "actions", actions, lambda a: show_action(state, a))


def get_image_action(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/images/{image_id}/actions/{action_id}``: wrapped as ``{"action": ...}`` like the examples."""
    wanted = req.int_param("action_id")
    action = next((a for a in _image_actions(state, req) if a.id == wanted), None)
    if action is None:
        raise not_found("action")
    return 200, {"action": show_action(state, action)}
