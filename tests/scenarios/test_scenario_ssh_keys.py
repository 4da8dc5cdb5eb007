"""Users' scenarios with SSH keys: upload, find by fingerprint, rename, use in a create, delete."""

from __future__ import annotations

import pytest
from scenario_world import World

import droplets
from droplets import Droplet, SSHKey

LAPTOP = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMuc0GfV2+vO+pGkuaUnnUXhUe1EDFp3OqB+WYDoKjmw laptop@example"
LAPTOP_FINGERPRINT = "59:43:7e:fd:d8:84:9c:84:35:f3:19:58:38:f2:5c:d6"
CI = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBSIwgWV8PfNnb9j/Z0cJYvgSWzu9a+3Nag1lzw+WKta ci@example"


@pytest.mark.sandbox_only("the spec's SSH key create, get and update answers are schema-derived, not explicit")
def test_upload_a_key_and_create_a_droplet_with_it(world: World) -> None:
    key = SSHKey.objects.create(name="laptop", public_key=LAPTOP)
    assert key.fingerprint == LAPTOP_FINGERPRINT == droplets.models.ssh_key.fingerprint_of(LAPTOP)
    assert SSHKey.objects.get(fingerprint=LAPTOP_FINGERPRINT) == key
    assert SSHKey.objects.get(key.id) == key

    key.update(name="laptop-2")
    assert key.name == "laptop-2" and SSHKey.objects.get(key.id).name == "laptop-2"

    d = Droplet.objects.create(
        name="keyed.example.com", region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", ssh_keys=[key]
    )
    sent = [s for s in world.sent() if s.method == "POST" and s.path == "/v2/droplets"]
    assert sent and d.name == "keyed.example.com"

    key.destroy()
    with pytest.raises(SSHKey.DoesNotExist):
        SSHKey.objects.get(fingerprint=LAPTOP_FINGERPRINT)
    with pytest.raises(SSHKey.DoesNotExist):
        key.destroy()


@pytest.mark.sandbox_only("the spec's SSH key create and get answers are schema-derived, not explicit")
def test_present_is_idempotent_by_fingerprint(world: World) -> None:
    first, created = SSHKey.objects.present(name="ci", public_key=CI)
    assert created
    again, created_again = SSHKey.objects.present(name="another name", public_key=CI + "\n")
    assert not created_again and again == first and again.name == "ci"
    assert [k.fingerprint for k in SSHKey.objects.all()].count(first.fingerprint) == 1


@pytest.mark.sandbox_only("the duplicate-key 422 has no explicit example")
def test_the_same_key_twice_is_refused_by_the_api(world: World) -> None:
    SSHKey.objects.create(name="laptop", public_key=LAPTOP)
    with pytest.raises(droplets.Unprocessable, match="already in use"):
        SSHKey.objects.create(name="laptop again", public_key=LAPTOP)


@pytest.mark.cassette("ssh_keys_manage")
def test_delete_a_listed_key(world: World) -> None:
    key = SSHKey.objects.first()
    assert key is not None
    key.destroy()
    with pytest.raises(SSHKey.DoesNotExist, match=str(key.id)):
        SSHKey.objects.get(key.id)
    assert [(s.method, s.path) for s in world.sent()] == [
        ("GET", "/v2/account/keys"),
        ("DELETE", f"/v2/account/keys/{key.id}"),
        ("GET", f"/v2/account/keys/{key.id}"),
    ]
