"""The fixed part of the simulated account: regions, sizes, images, kernels, keys.

The JSON files beside this module hold wire objects taken from the official
spec's examples (plus a few realistic additions such as ``ubuntu-24-04-x64``).
They are read once with `importlib.resources` and never mutated: the
sandbox shares these dicts between droplets and only serializes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

Json = dict[str, Any]


def _load(name: str) -> Any:
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


@dataclass(frozen=True)
class Catalog:
    """Read-only lookup tables over the catalog files."""

    regions: list[Json]
    sizes: list[Json]
    images: list[Json]
    image_list_types: dict[int, str]
    kernels: list[Json]
    ssh_keys: list[Json]
    firewalls: list[Json]
    supported_backup_policies: list[Json]
    regions_by_slug: dict[str, Json] = field(init=False)
    sizes_by_slug: dict[str, Json] = field(init=False)
    kernels_by_id: dict[int, Json] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regions_by_slug", {r["slug"]: r for r in self.regions})
        object.__setattr__(self, "sizes_by_slug", {s["slug"]: s for s in self.sizes})
        object.__setattr__(self, "kernels_by_id", {k["id"]: k for k in self.kernels})

    def find_region(self, slug: str) -> Json | None:
        """Return an available region by slug or by prefix (``nyc`` means any New York).

        Args:
            slug: A region slug such as ``nyc3`` or a prefix such as ``nyc``.

        Returns:
            The region dict, or None.
        """
        exact = self.regions_by_slug.get(slug)
        if exact is not None:
            return exact
        for region in self.regions:
            if region["slug"].startswith(slug) and region["available"]:
                return region
        return None


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """Load the catalog files (cached; the result must not be mutated).

    Returns:
        The catalog.
    """
    image_entries = _load("images.json")
    return Catalog(
        regions=_load("regions.json"),
        sizes=_load("sizes.json"),
        images=[entry["image"] for entry in image_entries],
        image_list_types={entry["image"]["id"]: entry["list_type"] for entry in image_entries if entry["list_type"]},
        kernels=_load("kernels.json"),
        ssh_keys=_load("ssh_keys.json"),
        firewalls=_load("firewalls.json"),
        supported_backup_policies=_load("backup_policies.json"),
    )
