"""droplets: DigitalOcean Droplets as typed Python objects.

Example:
    >>> import droplets
    >>> from droplets import Droplet
    >>> droplets.configure(sandbox=True)  # doctest: +ELLIPSIS
    <Client ...>
    >>> d = Droplet.objects.create(name="web-1", region="nyc3", size="s-1vcpu-1gb",
    ...                            image="ubuntu-24-04-x64", wait=True)
    >>> d.status
    'active'
"""

import importlib as _importlib
import typing as _typing

from droplets._version import __version__
from droplets.client import ConfigurationError, MissingToken, configure, default_client, using
from droplets.errors import (
    ActionFailed,
    APIError,
    BadRequest,
    Conflict,
    DestroyFailed,
    DropletsError,
    Forbidden,
    MultipleObjectsReturned,
    NotFound,
    RateLimited,
    RateLimitStoreError,
    ServerError,
    TransportError,
    Unauthorized,
    UnexpectedResponse,
    Unprocessable,
    ValidationError,
    WaitTimeout,
)
from droplets.facade import Client
from droplets.managers import Manager
from droplets.models import (
    Action,
    BackupPolicy,
    BackupWindow,
    Droplet,
    Image,
    Kernel,
    Networks,
    NetworkV4,
    NetworkV6,
    Region,
    Size,
    SSHKey,
    SupportedBackupPolicy,
)
from droplets.models.droplet_wait import ReadyProgress
from droplets.query import QuerySet
from droplets.ratelimit import RateLimit
from droplets.retry import RetryPolicy
from droplets.transport.base import Request, Response, Transport
from droplets.waiting import wait_for

if _typing.TYPE_CHECKING:
    from droplets.models.account import Account, Team
    from droplets.models.autoscale_pool import AutoscalePool
    from droplets.models.firewall import Firewall, InboundRule, OutboundRule, RuleTarget
    from droplets.models.metrics import MetricSeries
    from droplets.models.reserved_ip import ReservedIP
    from droplets.models.snapshot import Snapshot
    from droplets.models.tag import Tag
    from droplets.models.volume import Volume
    from droplets.models.vpc import VPC, VPCMember

_LAZY: dict[str, str] = {
    "Account": "droplets.models.account",
    "Team": "droplets.models.account",
    "VPC": "droplets.models.vpc",
    "VPCMember": "droplets.models.vpc",
    "AutoscalePool": "droplets.models.autoscale_pool",
    "MetricSeries": "droplets.models.metrics",
    "Snapshot": "droplets.models.snapshot",
    "Tag": "droplets.models.tag",
    "Volume": "droplets.models.volume",
    "ReservedIP": "droplets.models.reserved_ip",
    "Firewall": "droplets.models.firewall",
    "InboundRule": "droplets.models.firewall",
    "OutboundRule": "droplets.models.firewall",
    "RuleTarget": "droplets.models.firewall",
}
"""Resources imported on first use (``droplets.Tag``), so that each costs nothing at ``import droplets``."""


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'droplets' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [  # noqa: RUF022 (plain sorted order, which tests/meta checks)
    "APIError",
    "Account",
    "Action",
    "ActionFailed",
    "AutoscalePool",
    "BackupPolicy",
    "BackupWindow",
    "BadRequest",
    "Client",
    "ConfigurationError",
    "Conflict",
    "DestroyFailed",
    "Droplet",
    "DropletsError",
    "Firewall",
    "Forbidden",
    "Image",
    "InboundRule",
    "Kernel",
    "Manager",
    "MetricSeries",
    "MissingToken",
    "MultipleObjectsReturned",
    "NetworkV4",
    "NetworkV6",
    "Networks",
    "NotFound",
    "OutboundRule",
    "QuerySet",
    "RateLimit",
    "RateLimitStoreError",
    "RateLimited",
    "ReadyProgress",
    "Region",
    "Request",
    "ReservedIP",
    "Response",
    "RetryPolicy",
    "RuleTarget",
    "SSHKey",
    "ServerError",
    "Size",
    "Snapshot",
    "SupportedBackupPolicy",
    "Tag",
    "Team",
    "Transport",
    "TransportError",
    "Unauthorized",
    "UnexpectedResponse",
    "Unprocessable",
    "VPC",
    "VPCMember",
    "ValidationError",
    "Volume",
    "WaitTimeout",
    "__version__",
    "configure",
    "default_client",
    "using",
    "wait_for",
]
