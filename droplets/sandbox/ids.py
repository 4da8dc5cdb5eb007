"""Deterministic ids and addresses derived from one seed, and (random) request ids."""

from __future__ import annotations

import random
import uuid

_PUBLIC_PREFIXES = ((164, 90), (159, 203), (138, 197), (167, 99), (143, 198), (104, 131))


class Allocator:
    """Hands out ids and addresses; the same seed gives the same sequence.

    Args:
        seed: The seed of every random choice.
    """

    def __init__(self, seed: int) -> None:
        self.seed = seed
        rng = random.Random(seed)
        self._rng = rng
        self._droplet_id = 400_000_000 + rng.randrange(50_000_000)
        self._action_id = 2_100_000_000 + rng.randrange(10_000_000)
        self._image_id = 180_000_000 + rng.randrange(10_000_000)
        self._ip_index = 0

    def droplet_id(self) -> int:
        """Return a new droplet id."""
        self._droplet_id += 1
        return self._droplet_id

    def action_id(self) -> int:
        """Return a new action id."""
        self._action_id += 1
        return self._action_id

    def image_id(self) -> int:
        """Return a new image (snapshot or backup) id."""
        self._image_id += 1
        return self._image_id

    def ip_index(self) -> int:
        """Return the index of a fresh address set (see `addresses()`)."""
        self._ip_index += 1
        return self._ip_index

    def uuid(self) -> str:
        """Return a seeded random UUID4 string (VPC ids)."""
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def choice(self, options: tuple[int, ...]) -> int:
        """Return a seeded choice among ``options``.

        Args:
            options: What to choose from.

        Returns:
            One of the options.
        """
        return self._rng.choice(options)


def request_id() -> str:
    """Return a fresh random request id (UUID4), unique like the API's, whatever the seed."""
    return str(uuid.uuid4())


def public_v4(index: int) -> dict[str, str]:
    """Return the public IPv4 network of address set ``index``.

    Args:
        index: From `Allocator.ip_index()`.

    Returns:
        A ``network_v4`` dict.
    """
    a, b = _PUBLIC_PREFIXES[(index // 64_000) % len(_PUBLIC_PREFIXES)]
    c, d = (index // 250) % 256, index % 250 + 2
    return {
        "ip_address": f"{a}.{b}.{c}.{d}",
        "netmask": "255.255.255.0",
        "gateway": f"{a}.{b}.{c}.1",
        "type": "public",
    }


def private_v4(index: int, region_index: int) -> dict[str, str]:
    """Return the private (VPC) IPv4 network of address set ``index``.

    Args:
        index: From `Allocator.ip_index()`.
        region_index: The region's position in the catalog.

    Returns:
        A ``network_v4`` dict; the gateway is the string ``"nil"`` as in the API.
    """
    c, d = (index // 250) % 256, index % 250 + 2
    return {
        "ip_address": f"10.{108 + region_index}.{c}.{d}",
        "netmask": "255.255.0.0",
        "gateway": "nil",
        "type": "private",
    }


def public_v6(index: int) -> dict[str, object]:
    """Return the public IPv6 network of address set ``index``.

    Args:
        index: From `Allocator.ip_index()`.

    Returns:
        A ``network_v6`` dict (netmask is an integer prefix length).
    """
    return {
        "ip_address": f"2604:a880:400:d1:0:{(index >> 16) & 0xFFFF:x}:{index & 0xFFFF:x}:1",
        "netmask": 64,
        "gateway": "2604:a880:400:d1::1",
        "type": "public",
    }
