"""SSH keys of the account (``/v2/account/keys``): upload, rename, delete, and find by fingerprint.

A key is identified in paths by its integer id or its fingerprint (the MD5
of the key blob, as colon-separated hex). `SSHKeyManager.present()` is
idempotent by that fingerprint: it computes it locally, asks for it, and
uploads the key only when the account does not hold it yet.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import attrs

from droplets._api import Endpoint
from droplets.errors import NotFound, ValidationError
from droplets.managers import Manager, ManagerDescriptor
from droplets.models.base import Bound, check_id

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["SSHKey", "SSHKeyManager", "check_public_key", "fingerprint_of"]

KEY_TYPES = frozenset(
    {
        "ssh-ed25519",
        "ssh-rsa",
        "ssh-dss",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    }
)
"""The public key types OpenSSH writes in ``.pub`` files."""

_FINGERPRINT = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){15}$")


def _blob(public_key: Any) -> bytes:
    import base64  # here, not at import: base64 and hashlib cost ~15 ms that `import droplets` does not need
    import binascii

    if not isinstance(public_key, str):
        raise ValidationError(f"public_key must be the text of a .pub file, got {type(public_key).__name__}")
    parts = public_key.strip().split()
    if len(parts) < 2 or parts[0] not in KEY_TYPES or "\n" in public_key.strip():
        start = public_key.strip()[:30]
        raise ValidationError(
            f"public_key {start!r}... is not an OpenSSH public key: expected one line '<type> <base64> [comment]' "
            f"with type one of {', '.join(sorted(KEY_TYPES))} "
            "(the content of ~/.ssh/id_ed25519.pub, not the private key)"
        )
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(f"public_key's key data {parts[1][:20]!r}... is not valid base64") from None
    if len(blob) < 16:
        raise ValidationError(f"public_key's key data is {len(blob)} bytes long; a real key is longer")
    return blob


def check_public_key(public_key: Any) -> str:
    """Check that ``public_key`` is one line of an OpenSSH ``.pub`` file and return it stripped.

    Raises:
        droplets.ValidationError: Not a public key (a private key, a wrong type, broken base64).
    """
    _blob(public_key)
    return str(public_key).strip()


def fingerprint_of(public_key: str) -> str:
    """The MD5 fingerprint DigitalOcean shows for a public key (``"3b:16:bf:..."``).

    Raises:
        droplets.ValidationError: Not a public key.
    """
    import hashlib

    digest = hashlib.md5(_blob(public_key), usedforsecurity=False).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(f"an SSH key needs a non-empty name, got {name!r}")
    return name


class SSHKeyManager(Manager["SSHKey"]):
    """``SSHKey.objects``: querysets plus create, present and get by fingerprint."""

    def get(self, *ident: Any, **lookups: Any) -> SSHKey:
        """The key with this id or fingerprint (one request), or matching ``lookups``.

        Example:
            >>> SSHKey.objects.get(fingerprint="3b:16:bf:e4:8b:00:8b:b8:59:8c:a9:d3:f0:19:45:fa")  # doctest: +SKIP
        """
        if not ident and set(lookups) == {"fingerprint"}:
            return self.get_queryset().get(lookups["fingerprint"])
        return self.get_queryset().get(*ident, **lookups)

    def create(self, name: str, public_key: str) -> SSHKey:
        """Upload a public key.

        Args:
            name: A display name.
            public_key: One line of a ``.pub`` file (``ssh-ed25519 AAAA... comment``).

        Raises:
            droplets.ValidationError: The key is not an OpenSSH public key (nothing was sent).
            droplets.Unprocessable: The account holds this key already (see `present()`).

        Example:
            >>> SSHKey.objects.create(name="laptop", public_key=open("id_ed25519.pub").read())  # doctest: +SKIP
        """
        return self._create_one({"name": _check_name(name), "public_key": check_public_key(public_key)})

    def present(self, name: str, public_key: str) -> tuple[SSHKey, bool]:
        """Return the account's copy of ``public_key``, uploading it only if absent.

        Idempotent by fingerprint: a key already uploaded (under any name) is
        returned as it is, not renamed.

        Returns:
            ``(key, created)``.
        """
        _check_name(name)
        fingerprint = fingerprint_of(public_key)
        try:
            return self.get(fingerprint=fingerprint), False
        except NotFound:
            return self.create(name=name, public_key=public_key), True


@attrs.define(repr=False)
class SSHKey(Bound):
    """A public key that can be embedded in new droplets.

    Attributes:
        id: Identifier, usable in ``create(ssh_keys=[...])``.
        fingerprint: MD5 fingerprint, also usable in ``ssh_keys`` and in ``get(fingerprint=...)``.
        public_key: The key itself.
        name: Display name (the only field that can change).
    """

    _endpoint = Endpoint("/v2/account/keys", "ssh_keys", "ssh_key")
    _gettable = True

    id: int
    fingerprint: str
    public_key: str
    name: str

    objects = ManagerDescriptor(SSHKeyManager)

    @classmethod
    def _check_key(cls, key: Any) -> int | str:
        if isinstance(key, str) and not key.isdigit():
            if not _FINGERPRINT.fullmatch(key):
                raise ValidationError(f"{key!r} is neither an SSH key id nor a fingerprint like '3b:16:bf:...'")
            return key
        return check_id(key, "SSHKey id")

    @classmethod
    def _key_field(cls, key: int | str) -> str:
        return "id" if isinstance(key, int) else "fingerprint"

    def refresh(self) -> Self:
        """Reload from the API in place and return self."""
        return self._take(type(self).objects.using(self.client).get(self.id))

    def update(self, *, name: str) -> Self:
        """Rename the key (the only change the API allows); returns self, updated.

        Example:
            >>> key.update(name="laptop-2")   # doctest: +SKIP
        """
        return self._save({"name": _check_name(name)})

    def destroy(self) -> None:
        """Delete the key from the account (droplets made with it keep it).

        Raises:
            SSHKey.DoesNotExist: It was deleted already.
        """
        self._delete()

    def __repr__(self) -> str:
        return f"<SSHKey {self.id} {self.name!r} {self.fingerprint}>"
