"""The public `Client`: the policy client plus one typed accessor per resource.

`droplets.client.Client` knows transports and the request policy, never a
model. This module sits above both layers and adds, one line per resource,
``client.droplets``, ``client.ssh_keys``, ...: each is the model's manager
bound to the client it is read from (``client.droplets`` is
``Droplet.objects.using(client)``), typed for mypy and IDEs.

A model is imported the first time its accessor is read, so a resource costs
nothing at ``import droplets``. Adding a resource here is one line: the
annotation gives the manager's type, the string names the model.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from droplets import client as _client

if TYPE_CHECKING:
    from droplets.managers import Manager
    from droplets.models.account import AccountManager
    from droplets.models.action import Action
    from droplets.models.autoscale_pool import AutoscalePoolManager
    from droplets.models.base import Model
    from droplets.models.droplet_query import DropletManager
    from droplets.models.firewall import FirewallManager
    from droplets.models.image_verbs import ImageManager
    from droplets.models.region import Region
    from droplets.models.reserved_ip import ReservedIPManager
    from droplets.models.size import Size
    from droplets.models.snapshot import Snapshot
    from droplets.models.ssh_key import SSHKeyManager
    from droplets.models.tag import TagManager
    from droplets.models.volume import VolumeManager
    from droplets.models.vpc import VPCManager

__all__ = ["Accessor", "Client"]

MgrT = TypeVar("MgrT")


class Accessor(Generic[MgrT]):
    """``client.<name>``: a model's manager bound to the client it is read from.

    Args:
        model: Where the model lives, as ``"module:Class"``; imported on first use.
    """

    def __init__(self, model: str) -> None:
        self.model_path = model
        self._model: type[Model] | None = None

    def model(self) -> type[Model]:
        """The model class (imported on first call)."""
        if self._model is None:
            module, _, name = self.model_path.partition(":")
            self._model = getattr(importlib.import_module(module), name)
        return self._model

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Accessor[MgrT]: ...

    @overload
    def __get__(self, instance: _client.Client, owner: type[Any]) -> MgrT: ...

    def __get__(self, instance: _client.Client | None, owner: type[Any]) -> Accessor[MgrT] | MgrT:
        if instance is None:
            return self
        return self.model().objects.using(instance)  # type: ignore[attr-defined,no-any-return]


class Client(_client.Client):
    """A connection to one DigitalOcean account (or a sandbox), with a manager per resource.

    Everything of `droplets.client.Client` (token, base URL, transport,
    retries, rate limits), plus ``client.droplets``, ``client.ssh_keys`` and
    the other resources: each is ``Model.objects.using(client)``.

    Example:
        >>> client = Client.sandbox()
        >>> client.droplets.count()
        0
    """

    account: Accessor[AccountManager] = Accessor("droplets.models.account:Account")
    actions: Accessor[Manager[Action]] = Accessor("droplets.models.action:Action")
    autoscale_pools: Accessor[AutoscalePoolManager] = Accessor("droplets.models.autoscale_pool:AutoscalePool")
    droplets: Accessor[DropletManager] = Accessor("droplets.models.droplet:Droplet")
    firewalls: Accessor[FirewallManager] = Accessor("droplets.models.firewall:Firewall")
    images: Accessor[ImageManager] = Accessor("droplets.models.image:Image")
    regions: Accessor[Manager[Region]] = Accessor("droplets.models.region:Region")
    reserved_ips: Accessor[ReservedIPManager] = Accessor("droplets.models.reserved_ip:ReservedIP")
    sizes: Accessor[Manager[Size]] = Accessor("droplets.models.size:Size")
    ssh_keys: Accessor[SSHKeyManager] = Accessor("droplets.models.ssh_key:SSHKey")
    snapshots: Accessor[Manager[Snapshot]] = Accessor("droplets.models.snapshot:Snapshot")
    tags: Accessor[TagManager] = Accessor("droplets.models.tag:Tag")
    volumes: Accessor[VolumeManager] = Accessor("droplets.models.volume:Volume")
    vpcs: Accessor[VPCManager] = Accessor("droplets.models.vpc:VPC")


_client._client_class = Client
