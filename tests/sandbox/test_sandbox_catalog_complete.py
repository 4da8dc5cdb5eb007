"""The catalog is complete and consistent: every slug of the spec's examples and of our docs exists."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sandbox_api import Api

from tests.conftest import EXAMPLES, ROOT

REGION_SLUG = re.compile(r"\b(?:nyc|sfo|ams|sgp|lon|fra|tor|blr|syd|atl)[0-9]\b")
SIZE_SLUG = re.compile(r"\b(?:[a-z]+-[0-9]+vcpu-[0-9]+gb|gpu-h100x[0-9]+-[0-9]+gb|c-[0-9]+)\b")
IMAGE_SLUG = re.compile(r"\b[a-z]+-[0-9]+(?:-[0-9]+)?-x64\b")
TRUNCATED = {"s-32vcpu-192g": "s-32vcpu-192gb"}
"""A slug the spec's region examples cut short; the sandbox lists the full one."""
CONTRADICTED = {"nifty1": "the neighbors example shows image 7555620 public as nifty1; images_list_200 has it private"}
"""Example slugs another example contradicts; the catalog follows the images list."""


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


def _example_objects() -> Iterator[dict[str, Any]]:
    for path in sorted(EXAMPLES.glob("*.json")):
        yield from _objects(json.loads(path.read_text(encoding="utf-8")))


def _all(api: Api, path: str, key: str) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = api.get(f"{path}?per_page=200").json()[key]
    return listed


def test_every_region_of_the_examples_is_in_the_catalog(api: Api) -> None:
    catalog = {r["slug"] for r in _all(api, "/v2/regions", "regions")}
    seen = {o["slug"] for o in _example_objects() if {"slug", "sizes", "features", "available"} <= set(o)}
    seen |= {slug for o in _example_objects() for slug in o.get("regions") or [] if isinstance(slug, str)}
    seen |= {o["region_slug"] for o in _example_objects() if isinstance(o.get("region_slug"), str)}
    assert seen and seen <= catalog, seen - catalog


def test_every_size_of_the_examples_is_in_the_catalog(api: Api) -> None:
    catalog = {s["slug"] for s in _all(api, "/v2/sizes", "sizes")}
    seen = {o["slug"] for o in _example_objects() if {"slug", "vcpus", "memory", "regions"} <= set(o)}
    seen |= {o["size_slug"] for o in _example_objects() if isinstance(o.get("size_slug"), str)}
    seen |= {
        TRUNCATED.get(slug, slug)
        for o in _example_objects()
        if {"slug", "sizes", "features"} <= set(o)
        for slug in o["sizes"]
    }
    assert seen and seen <= catalog, seen - catalog


def test_every_public_image_and_kernel_of_the_examples_is_in_the_catalog(api: Api) -> None:
    images = _all(api, "/v2/images", "images")
    by_slug = {i["slug"] for i in images if i["slug"]}
    by_id = {i["id"] for i in images}
    examples = [o for o in _example_objects() if {"id", "distribution", "public"} <= set(o)]
    public = {o["slug"] for o in examples if o["public"] and o["slug"]} - set(CONTRADICTED)
    assert public and public <= by_slug, public - by_slug
    listed = json.loads((EXAMPLES / "images_list_200.json").read_text(encoding="utf-8"))["images"]
    assert {i["id"] for i in listed} <= by_id
    kernels = {o["id"] for o in _example_objects() if set(o) == {"id", "name", "version"}}
    [droplet_id] = api.sandbox.seed_droplets(1)
    catalog_kernels = {k["id"] for k in _all(api, f"/v2/droplets/{droplet_id}/kernels", "kernels")}
    assert kernels and kernels <= catalog_kernels


def test_regions_and_sizes_agree_both_ways(api: Api) -> None:
    regions = {r["slug"]: r for r in _all(api, "/v2/regions", "regions")}
    sizes = {s["slug"]: s for s in _all(api, "/v2/sizes", "sizes")}
    for region in regions.values():
        for slug in region["sizes"]:
            assert slug in sizes, f"{region['slug']} lists {slug}, which /v2/sizes does not have"
            assert region["slug"] in sizes[slug]["regions"], (region["slug"], slug)
        if not region["available"]:
            assert region["sizes"] == []
    for size in sizes.values():
        for slug in size["regions"]:
            assert slug in regions and size["slug"] in regions[slug]["sizes"], (size["slug"], slug)
        assert size["available"] == bool(size["regions"])


def _doc_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def test_every_slug_in_our_docs_exists(api: Api) -> None:
    regions = {r["slug"] for r in _all(api, "/v2/regions", "regions")}
    sizes = {s["slug"] for s in _all(api, "/v2/sizes", "sizes")}
    images = {i["slug"] for i in _all(api, "/v2/images", "images")}
    missing = []
    for path in _doc_files():
        text = path.read_text(encoding="utf-8")
        for pattern, known in ((REGION_SLUG, regions), (SIZE_SLUG, sizes), (IMAGE_SLUG, images)):
            missing += [f"{path.name}: {slug}" for slug in set(pattern.findall(text)) - known]
    assert missing == []


@pytest.mark.parametrize("slug", ["ubuntu-22-04-x64", "syd1", "c-2", "s-32vcpu-192gb", "gpu-h100x8-640gb"])
def test_slugs_a_client_would_try_can_create_droplets(api: Api, slug: str) -> None:
    body: dict[str, Any] = {"name": "probe-1", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}
    if slug.startswith("gpu"):
        body.update(size=slug, region="tor1", image="gpu-h100x1-base")
    elif slug[:3].isalpha() and slug[3:].isdigit():
        body["region"] = slug
    elif "x64" in slug:
        body["image"] = slug
    else:
        body["size"] = slug
    response = api.post("/v2/droplets", body)
    assert response.status == 202, response.body
