"""A droplet's network interfaces."""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = ["NetworkV4", "NetworkV6", "Networks"]


@attrs.frozen
class NetworkV4:
    """An IPv4 interface. Private interfaces have the gateway ``"nil"``."""

    ip_address: str
    netmask: str
    gateway: str
    type: Literal["public", "private"] | str


@attrs.frozen
class NetworkV6:
    """An IPv6 interface; ``netmask`` is the prefix length."""

    ip_address: str
    netmask: int
    gateway: str
    type: Literal["public"] | str


@attrs.frozen
class Networks:
    """A droplet's interfaces by IP version (both empty until it is provisioned)."""

    v4: tuple[NetworkV4, ...] = ()
    v6: tuple[NetworkV6, ...] = ()

    def address(self, version: Literal[4, 6], kind: Literal["public", "private"]) -> str | None:
        """Return the first address of that version and type, or None."""
        for net in self.v4 if version == 4 else self.v6:
            if net.type == kind:
                return net.ip_address
        return None
