"""Handlers of the SSH keys endpoints (``/v2/account/keys``).

A key is addressed by its integer id or its fingerprint (the MD5 of the key
blob, colon-separated hex, computed here as DigitalOcean does). The rules:
``name`` and ``public_key`` are required on create, the key must be an
OpenSSH public key, the account cannot hold the same key twice (422), and
only the name can change.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from droplets.sandbox.errors import not_found, unprocessable
from droplets.sandbox.handlers import Reply
from droplets.sandbox.pagination import paginate
from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState
from droplets.sandbox.validation import validate

Json = dict[str, Any]

KEY_TYPES = (  # written out again on purpose: the sandbox shares nothing with the client
    "ssh-ed25519",
    "ssh-rsa",
    "ssh-dss",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
)
CREATE: Json = {
    "type": "object",
    "required": ["name", "public_key"],
    "properties": {"name": {"type": "string", "pattern": r"\S"}, "public_key": {"type": "string", "pattern": r"\S"}},
}
UPDATE: Json = {"type": "object", "properties": {"name": {"type": "string", "pattern": r"\S"}}}


def fingerprint(public_key: str) -> str:
    """The MD5 fingerprint of an OpenSSH public key line.

    Args:
        public_key: ``<type> <base64> [comment]``.

    Returns:
        Colon-separated hex.

    Raises:
        ApiError: 422 if it is not a public key.
    """
    parts = public_key.strip().split()
    try:
        if len(parts) < 2 or parts[0] not in KEY_TYPES:
            raise ValueError(public_key)
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        raise unprocessable("Key invalid, key should be of the form 'type key [comment]'") from None
    digest = hashlib.md5(blob, usedforsecurity=False).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, 32, 2))


def find_key(state: SandboxState, ref: str) -> Json:
    """Return a key by id or fingerprint, or raise 404.

    Args:
        state: The sandbox state.
        ref: The path's ``ssh_key_identifier``.

    Returns:
        The key.
    """
    if ref.isdigit():
        key = state.ssh_keys.get(int(ref))
    else:
        key = next((k for k in state.ssh_keys.values() if k["fingerprint"] == ref), None)
    if key is None:
        raise not_found("ssh_key")
    return key


def list_ssh_keys(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/account/keys``."""
    return 200, paginate(req, state.base_url, "ssh_keys", list(state.ssh_keys.values()), dict)


def create_ssh_key(state: SandboxState, req: Request) -> Reply:
    """``POST /v2/account/keys``: 201 ``{ssh_key}``; 422 for a bad or duplicate key."""
    body = req.json()
    body = validate(body, CREATE, strict=req.strict)
    public_key = body["public_key"].strip()
    print_ = fingerprint(public_key)
    if any(k["fingerprint"] == print_ for k in state.ssh_keys.values()):
        raise unprocessable("SSH Key is already in use on your account")
    key = {"id": max(state.ssh_keys, default=512_188) + 1, "fingerprint": print_, "public_key": public_key}
    key["name"] = body["name"]
    state.ssh_keys[key["id"]] = key
    return 201, {"ssh_key": dict(key)}


def get_ssh_key(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/account/keys/{ssh_key_identifier}`` (id or fingerprint)."""
    return 200, {"ssh_key": dict(find_key(state, req.params["ssh_key_identifier"]))}


def update_ssh_key(state: SandboxState, req: Request) -> Reply:
    """``PUT /v2/account/keys/{ssh_key_identifier}``: only the name changes."""
    key = find_key(state, req.params["ssh_key_identifier"])
    body = req.json()
    body = validate(body, UPDATE, strict=req.strict)
    if "name" in body:
        key["name"] = body["name"]
    return 200, {"ssh_key": dict(key)}


def delete_ssh_key(state: SandboxState, req: Request) -> Reply:
    """``DELETE /v2/account/keys/{ssh_key_identifier}``: 204."""
    key = find_key(state, req.params["ssh_key_identifier"])
    del state.ssh_keys[key["id"]]
    return 204, None
