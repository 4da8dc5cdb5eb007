"""Kernels (deprecated by DigitalOcean; droplets since 2017 use internal kernels)."""

from __future__ import annotations

import attrs

from droplets.models.base import Model

__all__ = ["Kernel"]


@attrs.frozen(repr=False)
class Kernel(Model):
    """A kernel a droplet can boot (``d.kernels()``).

    Attributes:
        id: Identifier, for ``d.change_kernel()``.
        name: Display name.
        version: Kernel version string.
    """

    _intern_key = "id"

    id: int
    name: str
    version: str

    def __repr__(self) -> str:
        return f"<Kernel {self.id} {self.version!r}>"
