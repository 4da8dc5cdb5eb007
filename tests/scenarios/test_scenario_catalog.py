"""Users' scenarios on the read-only catalog: regions, sizes, images, SSH keys."""

from __future__ import annotations

import pytest
from scenario_world import World

from droplets import Image, Region, Size, SSHKey


@pytest.mark.read_only
@pytest.mark.cassette("regions_and_sizes")
def test_first_and_count_of_regions_and_sizes(world: World) -> None:
    region = Region.objects.first()
    assert isinstance(region, Region) and region.slug and region.name
    assert Region.objects.count() >= 1

    size = Size.objects.first()
    assert isinstance(size, Size) and size.slug and size.memory > 0
    assert Size.objects.count() >= 1

    # One small request each, and no page followed: first() and count()
    # read meta.total and the first item only.
    assert [(s.path, s.query) for s in world.sent()] == [
        ("/v2/regions", {"per_page": "1"}),
        ("/v2/regions", {"per_page": "1"}),
        ("/v2/sizes", {"per_page": "1"}),
        ("/v2/sizes", {"per_page": "1"}),
    ]


@pytest.mark.read_only
@pytest.mark.cassette("images")
def test_images_by_slug_distribution_and_private(world: World) -> None:
    image = Image.objects.get("ubuntu-16-04-x64")
    assert image.slug == "ubuntu-16-04-x64" and image.id is not None and image.public is True

    distributions = list(Image.objects.filter(type="distribution"))
    assert distributions and all(i.public and i.slug for i in distributions)

    private = list(Image.objects.filter(private=True))
    assert private and all(i.public is False for i in private)

    assert [(s.path, s.query) for s in world.sent()] == [
        ("/v2/images/ubuntu-16-04-x64", {}),
        ("/v2/images", {"type": "distribution", "per_page": "200"}),
        ("/v2/images", {"private": "true", "per_page": "200"}),
    ]


@pytest.mark.read_only
@pytest.mark.cassette("ssh_keys")
def test_list_ssh_keys(world: World) -> None:
    keys = list(SSHKey.objects.all())
    assert keys and all(isinstance(k, SSHKey) for k in keys)
    assert all(k.id and k.fingerprint.count(":") == 15 and k.public_key.startswith("ssh-") for k in keys)
