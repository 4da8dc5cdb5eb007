"""Bulk creation of ready droplets for tests and benchmarks."""

from __future__ import annotations

from droplets.sandbox.state import SandboxState

_STATUSES = ("active", "off", "archive")


def seed_droplets(
    state: SandboxState,
    count: int,
    tag: str | None,
    region: str,
    size: str,
    image: str | int,
    status: str,
) -> list[int]:
    """Create ``count`` provisioned droplets, each with a completed create action.

    The arguments are those of `droplets.sandbox.Sandbox.seed_droplets()`,
    which documents them; ``state`` is the state to add to.

    Returns:
        The new droplets' ids.

    Raises:
        ValueError: For an unknown region, size or image, or a bad status.
    """
    region_obj = state.catalog.regions_by_slug.get(region)
    size_obj = state.catalog.sizes_by_slug.get(size)
    image_obj = state.find_image(image)
    if region_obj is None or size_obj is None or image_obj is None:
        raise ValueError(f"unknown region, size or image: {region!r}, {size!r}, {image!r}")
    if status not in _STATUSES:
        raise ValueError(f"status must be one of {_STATUSES}")
    booted = state.clock.time() - state.lifecycle.timings.ssh_after  # reachable at once
    prefix = tag or "droplet"
    first = len(state.droplets) + 1
    ids = []
    for number in range(first, first + count):
        d = state.new_droplet(
            name=f"{prefix}-{number}",
            region=region_obj,
            size=size_obj,
            image=image_obj,
            tags=[tag] if tag else [],
            features=["private_networking", "droplet_agent"],
        )
        state.provision(d, booted, networks_now=True)
        if status != "active":
            d.status, d.booted_at = status, None
        state.record_completed_action("create", d)
        ids.append(d.id)
    return ids
