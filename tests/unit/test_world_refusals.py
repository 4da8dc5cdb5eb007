"""Input the new resources refuse before any request is sent (SSH keys, tags, VPCs, images)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import droplets
from droplets import Client, SSHKey

LAPTOP = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMuc0GfV2+vO+pGkuaUnnUXhUe1EDFp3OqB+WYDoKjmw laptop@example"


class _World:
    def __init__(self, client: Client) -> None:
        self.client = client

    def sent(self) -> list[tuple[str, str]]:
        return list(self.client.transport.sandbox.requests)  # type: ignore[attr-defined]


@pytest.fixture
def world() -> Iterator[_World]:
    client = Client.sandbox()
    with droplets.using(client):
        yield _World(client)


@pytest.mark.parametrize(
    "bad",
    [
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
        "ssh-ed25519",
        "ssh-foo AAAAC3NzaC1lZDI1NTE5AAAAIMuc0GfV2",
        "ssh-ed25519 not*base64!",
        "ssh-ed25519 AAAA",
        "",
        None,
    ],
)
def test_a_bad_key_is_refused_before_sending(world: _World, bad: object) -> None:
    with pytest.raises(droplets.ValidationError):
        SSHKey.objects.create(name="bad", public_key=bad)  # type: ignore[arg-type]
    with pytest.raises(droplets.ValidationError):
        SSHKey.objects.present(name="bad", public_key=bad)  # type: ignore[arg-type]
    assert world.sent() == []


def test_lookups_that_are_not_keys_are_refused_before_sending(world: _World) -> None:
    with pytest.raises(droplets.ValidationError):
        SSHKey.objects.get(fingerprint="not-a-fingerprint")
    with pytest.raises(droplets.ValidationError):
        SSHKey.objects.create(name="  ", public_key=LAPTOP)
    assert world.sent() == []
