"""Users' scenarios with their own images: rename, copy to another region, convert a backup, delete."""

from __future__ import annotations

import pytest
from scenario_world import World

import droplets
from droplets import Action, Droplet, Image


@pytest.mark.sandbox_only("the image cassettes would need the examples' image ids mapped to the sandbox's")
def test_rename_transfer_and_delete_a_snapshot(world: World) -> None:
    d = Droplet.get(world.facts.droplet_id)
    image = Image.objects.get(d.snapshot_ids[0])
    renamed = image.update(name="web-01-golden")
    assert renamed.name == "web-01-golden" and renamed.id == image.id

    action = image.transfer(region="ams3", wait=True)
    assert isinstance(action, Action) and action.status == "completed" and action.type == "transfer"
    assert "ams3" in Image.objects.get(image.id).regions
    assert [a.id for a in image.actions()] == [action.id]
    assert image.action(action.id).status == "completed"
    with pytest.raises(droplets.Unprocessable, match="already available"):
        image.transfer(region="ams3")

    image.destroy()
    with pytest.raises(Image.DoesNotExist):
        Image.objects.get(image.id)
    assert image.id not in Droplet.get(d.id).snapshot_ids


@pytest.mark.sandbox_only("image actions other than the examples' transfer have no explicit example")
def test_convert_a_backup_into_a_snapshot(world: World) -> None:
    d = Droplet.get(world.facts.droplet_id)
    backup = Image.objects.get(d.backup_ids[0])
    assert backup.type == "backup"
    with pytest.raises(droplets.Unprocessable, match="convert it"):
        backup.destroy()
    world.client.images.convert(backup, wait=True)  # type: ignore[attr-defined]
    assert Image.objects.get(backup.id).type == "snapshot"
    public = Image.objects.get("ubuntu-24-04-x64")
    with pytest.raises(Image.DoesNotExist, match="own images"):
        public.update(name="mine now")


@pytest.mark.sandbox_only("refused before sending: nothing to replay")
def test_bad_image_changes_are_refused_before_sending(world: World) -> None:
    with pytest.raises(droplets.ValidationError):
        Image.objects.update(123, distribution="Windows")
    with pytest.raises(droplets.ValidationError):
        Image.objects.update(123)
    with pytest.raises(droplets.ValidationError):
        Image.objects.transfer(123, region="")
    with pytest.raises(droplets.ValidationError):
        Image.objects.destroy(-1)
    assert world.sent() == []


@pytest.mark.cassette("image_verbs", match_body=True)
def test_the_verbs_of_an_own_image_on_both_worlds(world: World) -> None:
    image = next(i for i in Image.objects.filter(private=True) if i.type == "snapshot")  # the account's own
    assert image.client is world.client
    renamed = image.update(name="new-image-name")
    assert isinstance(renamed, Image) and renamed.name == "new-image-name" and renamed.client is world.client
    action = image.transfer(region="ams3")
    assert isinstance(action, Action) and (action.type, action.status) == ("transfer", "in-progress")
    actions = image.actions()
    assert actions and all(isinstance(a, Action) and a.resource_type == "image" for a in actions)
    image.destroy()
    with pytest.raises(Image.DoesNotExist):
        Image.objects.get(image.id)
    assert [(s.method, s.path) for s in world.sent()] == [
        ("GET", "/v2/images"),
        ("PUT", f"/v2/images/{image.id}"),
        ("POST", f"/v2/images/{image.id}/actions"),
        ("GET", f"/v2/images/{image.id}/actions"),
        ("DELETE", f"/v2/images/{image.id}"),
        ("GET", f"/v2/images/{image.id}"),
    ]


@pytest.mark.cassette("image_convert", match_body=True)
def test_convert_a_backup_on_both_worlds(world: World) -> None:
    (backup, *_) = Droplet.ref(world.facts.droplet_id).backups()
    assert backup.type == "backup"
    with pytest.raises(droplets.ValidationError, match="convert it"):
        backup.destroy()  # refused before sending
    action = Image.objects.convert(backup.id)
    assert isinstance(action, Action) and (action.type, action.status) == ("convert", "in-progress")
    assert [(s.method, s.path) for s in world.sent()] == [
        ("GET", f"/v2/droplets/{world.facts.droplet_id}/backups"),
        ("POST", f"/v2/images/{backup.id}/actions"),
    ]
