"""The account's VPCs: records, the default per region, and free address ranges.

Pure state, no HTTP (the handlers are in ``handlers/vpcs.py``). A region's
default VPC is made the first time something needs it (a droplet created
without ``vpc_uuid``) or when the first VPC of the region is created.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from droplets.sandbox.ids import Allocator
from droplets.sandbox.records import iso

Json = dict[str, Any]


class VpcStore:
    """Every VPC of the account, by id, in creation order."""

    def __init__(self) -> None:
        self.records: dict[str, Json] = {}

    def default_of(self, region: str) -> Json | None:
        """The region's default VPC, if it has one."""
        return next((v for v in self.records.values() if v["region"] == region and v["default"]), None)

    def ensure_default(self, region: str, alloc: Allocator, now: float) -> str:
        """The id of the region's default VPC, made on first use."""
        found = self.default_of(region)
        if found is None:
            found = self.add(alloc, now, name=f"default-{region}", region=region, ip_range=None, description="")
        return str(found["id"])

    def overlapping(self, ip_range: str) -> Json | None:
        """A VPC whose range overlaps ``ip_range``, if any."""
        wanted = ipaddress.IPv4Network(ip_range)
        return next((v for v in self.records.values() if ipaddress.IPv4Network(v["ip_range"]).overlaps(wanted)), None)

    def free_range(self) -> str:
        """A ``/20`` in ``10.0.0.0/8`` that overlaps no VPC (as the API picks one)."""
        for second in range(100, 256):
            for third in range(0, 256, 16):
                candidate = f"10.{second}.{third}.0/20"
                if self.overlapping(candidate) is None:
                    return candidate
        raise RuntimeError("the sandbox ran out of private /20 ranges")

    def add(
        self, alloc: Allocator, now: float, *, name: str, region: str, ip_range: str | None, description: str
    ) -> Json:
        """Add a VPC (the region's default when it is the region's first) and return it."""
        ident = alloc.uuid()
        vpc = {
            "id": ident,
            "urn": f"do:vpc:{ident}",
            "name": name,
            "description": description,
            "region": region,
            "ip_range": ip_range or self.free_range(),
            "default": self.default_of(region) is None,
            "created_at": iso(now),
        }
        self.records[ident] = vpc
        return vpc

    def make_default(self, vpc: Json) -> None:
        """Make ``vpc`` its region's default; the old default stops being one."""
        old = self.default_of(vpc["region"])
        if old is not None:
            old["default"] = False
        vpc["default"] = True
