"""Handlers of the images endpoints."""

from __future__ import annotations

from droplets.sandbox.errors import bad_request, not_found
from droplets.sandbox.handlers import Reply
from droplets.sandbox.pagination import paginate
from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState


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
