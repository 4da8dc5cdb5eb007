"""Users' scenarios with tags: create, tag droplets and images, read the counts, untag, delete."""

from __future__ import annotations

import pytest
from scenario_world import World

import droplets
from droplets import Droplet, Image, Tag


@pytest.mark.cassette("tags_manage")
def test_create_a_tag_tag_a_droplet_and_delete_the_tag(world: World) -> None:
    tag = Tag.objects.create(name="extra-awesome")
    assert tag.name == "extra-awesome" and tag.resources.count == 0

    d = Droplet.get(world.facts.droplet_id)
    tag.add(d)
    loaded = Tag.objects.get("extra-awesome")
    assert loaded.resources.droplets is not None and loaded.resources.droplets.count >= 1
    assert loaded.resources.count >= 1

    d.untag("extra-awesome")
    assert "extra-awesome" not in d.tags
    assert "extra-awesome" in [t.name for t in Tag.objects.all()]

    tag.destroy()
    with pytest.raises(Tag.DoesNotExist):
        Tag.objects.get("extra-awesome")
    body_free = [(s.method, s.path) for s in world.sent()]
    assert body_free == [
        ("POST", "/v2/tags"),
        ("GET", f"/v2/droplets/{d.id}"),
        ("POST", "/v2/tags/extra-awesome/resources"),
        ("GET", "/v2/tags/extra-awesome"),
        ("DELETE", "/v2/tags/extra-awesome/resources"),
        ("GET", "/v2/tags"),
        ("DELETE", "/v2/tags/extra-awesome"),
        ("GET", "/v2/tags/extra-awesome"),
    ]


@pytest.mark.sandbox_only("tagging images and the counts after a delete have no explicit example")
def test_tag_droplets_and_a_snapshot_image_then_delete_the_tag(world: World) -> None:
    d = Droplet.get(world.facts.droplet_id)
    image = Image.objects.get(d.snapshot_ids[0])
    Tag.objects.create(name="release:2026-11")
    d.tag("release:2026-11")
    assert "release:2026-11" in d.tags and "release:2026-11" in Droplet.get(d.id).tags

    tag = Tag.objects.get("release:2026-11")
    tag.add(image)
    tag.refresh()
    assert tag.resources.count == 2 and tag.resources.images is not None and tag.resources.images.count == 1
    assert [x.id for x in Droplet.objects.filter(tag="release:2026-11")] == [d.id]

    tag.remove(image)
    assert tag.refresh().resources.count == 1
    tag.destroy()
    assert "release:2026-11" not in Droplet.get(d.id).tags, "deleting a tag untags every resource"


@pytest.mark.sandbox_only("the 404 of an unknown tag has no explicit example for the resources endpoint")
def test_tagging_with_a_tag_that_does_not_exist_says_to_create_it(world: World) -> None:
    d = Droplet.get(world.facts.droplet_id)
    with pytest.raises(Tag.DoesNotExist, match=r"Tag.objects.create\(name='nope'\)"):
        d.tag("nope")
    assert "nope" not in d.tags


@pytest.mark.sandbox_only("refused before sending: nothing to replay")
def test_bad_tag_names_and_untaggable_objects_are_refused_before_sending(world: World) -> None:
    region = droplets.Region.objects.first()
    sent = len(world.sent())
    for bad in ("with space", "x" * 256, "", "здорово"):
        with pytest.raises(droplets.ValidationError):
            Tag.objects.create(name=bad)
    tag = Tag.objects.create(name="ok")
    with pytest.raises(droplets.ValidationError, match="cannot be tagged"):
        tag.add(region)  # type: ignore[arg-type]
    with pytest.raises(droplets.ValidationError, match="at least one"):
        tag.add()
    assert len(world.sent()) == sent + 1
