"""SSH keys of the account (``GET /v2/account/keys``)."""

from __future__ import annotations

import attrs

from droplets._api import Endpoint
from droplets.managers import Manager, ManagerDescriptor
from droplets.models.base import Model

__all__ = ["SSHKey"]


@attrs.frozen(repr=False)
class SSHKey(Model):
    """A public key that can be embedded in new droplets.

    Attributes:
        id: Identifier, usable in ``create(ssh_keys=[...])``.
        fingerprint: MD5 fingerprint, also usable in ``ssh_keys``.
        public_key: The key itself.
        name: Display name.
    """

    _endpoint = Endpoint("/v2/account/keys", "ssh_keys", "ssh_key")

    id: int
    fingerprint: str
    public_key: str
    name: str

    objects = ManagerDescriptor(Manager["SSHKey"])

    @classmethod
    def _key_field(cls, key: int | str) -> str:
        return "id" if isinstance(key, int) else "fingerprint"

    def __repr__(self) -> str:
        return f"<SSHKey {self.id} {self.name!r} {self.fingerprint}>"
