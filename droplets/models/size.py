"""Sizes: the CPU, memory and disk plans droplets run on."""

from __future__ import annotations

import attrs

from droplets._api import Endpoint
from droplets._converter import OMIT_IF_NONE
from droplets.managers import Manager, ManagerDescriptor
from droplets.models.base import Model
from droplets.models.hardware import DiskInfo, GpuInfo

__all__ = ["Size"]


@attrs.frozen(repr=False)
class Size(Model):
    """A droplet plan (``GET /v2/sizes``).

    Attributes:
        slug: Identifier, e.g. ``"s-1vcpu-1gb"``.
        memory: Memory in MB.
        vcpus: Virtual CPUs.
        disk: Disk in GB.
        transfer: Monthly transfer in TB.
        price_monthly: US dollars per month.
        price_hourly: US dollars per hour.
        regions: Slugs of the regions offering it.
        available: Whether droplets can be created with it.
        description: Plan family, e.g. ``"Basic"``.
        disk_info: Disks, where the API gives them.
        gpu_info: GPUs, for GPU plans.
    """

    _endpoint = Endpoint("/v2/sizes", "sizes", "size")
    _intern_key = "slug"

    slug: str
    memory: int
    vcpus: int
    disk: int
    transfer: float
    price_monthly: float
    price_hourly: float
    regions: tuple[str, ...]
    available: bool
    description: str
    disk_info: tuple[DiskInfo, ...] | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    gpu_info: GpuInfo | None = attrs.field(default=None, metadata=OMIT_IF_NONE)

    objects = ManagerDescriptor(Manager["Size"])

    def __repr__(self) -> str:
        return f"<Size {self.slug} {self.vcpus} vCPU {self.memory} MB {self.disk} GB ${self.price_monthly:g}/mo>"
