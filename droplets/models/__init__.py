"""The object model: one module per resource."""

from droplets.models.action import Action
from droplets.models.backup import BackupPolicy, SupportedBackupPolicy
from droplets.models.droplet import Droplet
from droplets.models.hardware import Amount, BackupWindow, DiskInfo, GpuInfo
from droplets.models.image import Image
from droplets.models.kernel import Kernel
from droplets.models.network import Networks, NetworkV4, NetworkV6
from droplets.models.region import Region
from droplets.models.size import Size
from droplets.models.ssh_key import SSHKey

__all__ = [
    "Action",
    "Amount",
    "BackupPolicy",
    "BackupWindow",
    "DiskInfo",
    "Droplet",
    "GpuInfo",
    "Image",
    "Kernel",
    "NetworkV4",
    "NetworkV6",
    "Networks",
    "Region",
    "SSHKey",
    "Size",
    "SupportedBackupPolicy",
]
