"""Droplet autoscale pools (``/v2/droplets/autoscale``): a managed group of droplets from one template.

A pool keeps a number of droplets made from its `DropletTemplate`: a fixed
number (`StaticConfig`) or, with `DynamicConfig`, between a minimum and a
maximum, scaled on CPU or memory utilisation. DigitalOcean creates and
destroys the members; ``pool.members()`` and ``pool.history()`` show what it
did.

The spec's rules are checked before anything is sent: the config is one of
the two shapes with the spec's ranges (1-1000 instances, utilisation targets
0.05-1, cooldown 5-20 minutes, a minimum not above the maximum), the
template names a region the pools accept and its size, image and SSH keys,
``public_networking=False`` needs ``ipv6=False``, and ``user_data`` is at
most 64 KiB. Dicts are accepted wherever the config and the template models
are.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Union

import attrs

from droplets import _api, _converter
from droplets._api import Endpoint
from droplets._converter import OMIT_IF_NONE
from droplets.errors import NotFound, ValidationError
from droplets.managers import Manager, ManagerDescriptor
from droplets.models.base import Bound

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "AutoscalePool",
    "AutoscalePoolManager",
    "DropletTemplate",
    "DynamicConfig",
    "PoolHistoryEvent",
    "PoolMember",
    "StaticConfig",
    "Utilization",
]

REGIONS = ("nyc1", "nyc2", "nyc3", "ams2", "ams3", "sfo1", "sfo2", "sfo3", "sgp1", "lon1", "fra1", "tor1", "blr1",
           "syd1")  # fmt: skip
"""The regions the spec lets a pool template name."""
MAX_USER_DATA = 64 * 1024


@attrs.frozen
class Utilization:
    """Average utilisation, as fractions from 0 to 1."""

    memory: float | None = None
    cpu: float | None = None


@attrs.frozen
class StaticConfig:
    """A fixed number of droplets (1-1000)."""

    target_number_instances: int


@attrs.frozen
class DynamicConfig:
    """Between ``min_instances`` (1-500) and ``max_instances`` (1-1000), scaled on utilisation.

    Attributes:
        min_instances: The fewest droplets.
        max_instances: The most droplets.
        target_cpu_utilization: Target average CPU, a fraction (0.6 is 60 %), 0.05-1.
        target_memory_utilization: Target average memory, a fraction, 0.05-1.
        cooldown_minutes: Minutes between scaling events, 5-20 (DigitalOcean's default is 10).
    """

    min_instances: int
    max_instances: int
    target_cpu_utilization: float | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    target_memory_utilization: float | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    cooldown_minutes: int | None = attrs.field(default=None, metadata=OMIT_IF_NONE)


PoolConfig = Union[StaticConfig, DynamicConfig]  # noqa: UP007 (a runtime value: the converter's hook key)


@attrs.frozen
class DropletTemplate:
    """What every droplet of a pool is made from.

    Attributes:
        region: A region slug the pools accept (`REGIONS`).
        image: An image slug, or an image id written as a string.
        size: A size slug.
        ssh_keys: SSH key ids or fingerprints, as strings.
        name: The name given to every droplet (DigitalOcean numbers them).
        tags: Tags put on every droplet.
        vpc_uuid: The VPC (in the template's region).
        with_droplet_agent: Install the agent (needed for utilisation-based scaling).
        project_id: The project the droplets join.
        ipv6: Enable IPv6.
        user_data: Cloud-init user data (at most 64 KiB).
        public_networking: Give the droplets public addresses (``False`` needs ``ipv6=False``).
    """

    region: str
    image: str
    size: str
    ssh_keys: tuple[str, ...]
    name: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    tags: tuple[str, ...] | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    vpc_uuid: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    with_droplet_agent: bool | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    project_id: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    ipv6: bool | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    user_data: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    public_networking: bool | None = attrs.field(default=None, metadata=OMIT_IF_NONE)


@attrs.frozen
class PoolMember:
    """One droplet of a pool, as the pool sees it."""

    droplet_id: int
    created_at: datetime
    updated_at: datetime
    health_status: str
    """``healthy`` or ``unhealthy``."""
    status: str
    """``provisioning``, ``active``, ``deleting`` or ``off``."""
    current_utilization: Utilization | None = None
    unhealthy_reason: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)


@attrs.frozen
class PoolHistoryEvent:
    """One scaling event: why the desired size changed, and whether it is done."""

    history_event_id: str
    current_instance_count: int
    desired_instance_count: int
    reason: str
    """``CONFIGURATION_CHANGE``, ``SCALE_UP`` or ``SCALE_DOWN``."""
    status: str
    """``in_progress``, ``success`` or ``error``."""
    created_at: datetime
    updated_at: datetime


def _config_branch(data: Any) -> type:
    """The spec's ``oneOf``: a static config is the one with ``target_number_instances``."""
    return StaticConfig if isinstance(data, Mapping) and "target_number_instances" in data else DynamicConfig


_converter.register_union(PoolConfig, _config_branch)


def _ranged(value: Any, name: str, low: float, high: float, kind: type = int) -> None:
    ok = (isinstance(value, kind) and not isinstance(value, bool)) or (kind is float and isinstance(value, int))
    if not ok or isinstance(value, bool) or not low <= value <= high:
        raise ValidationError(f"config.{name} must be a {kind.__name__} from {low:g} to {high:g}, got {value!r}")


def _config(value: PoolConfig | Mapping[str, Any]) -> PoolConfig:
    if isinstance(value, Mapping):
        static, dynamic = "target_number_instances" in value, {"min_instances", "max_instances"} & set(value)
        if static == bool(dynamic):
            raise ValidationError(
                "config is either static ({'target_number_instances': N}) or dynamic "
                "({'min_instances': A, 'max_instances': B, ...}), not both nor neither"
            )
        try:
            value = StaticConfig(**value) if static else DynamicConfig(**value)
        except TypeError as error:
            raise ValidationError(f"config: {error}") from None
    if isinstance(value, StaticConfig):
        _ranged(value.target_number_instances, "target_number_instances", 1, 1000)
    elif isinstance(value, DynamicConfig):
        _ranged(value.min_instances, "min_instances", 1, 500)
        _ranged(value.max_instances, "max_instances", 1, 1000)
        if value.min_instances > value.max_instances:
            raise ValidationError(f"config.min_instances ({value.min_instances}) is above max_instances")
        for name in ("target_cpu_utilization", "target_memory_utilization"):
            if getattr(value, name) is not None:
                _ranged(getattr(value, name), name, 0.05, 1.0, float)
        if value.cooldown_minutes is not None:
            _ranged(value.cooldown_minutes, "cooldown_minutes", 5, 20)
    else:
        raise ValidationError(f"config must be a StaticConfig, a DynamicConfig or a dict, got {value!r}")
    return value


def _template(value: DropletTemplate | Mapping[str, Any]) -> DropletTemplate:
    if isinstance(value, Mapping):
        fields = dict(value)
        for name in ("ssh_keys", "tags"):
            if isinstance(fields.get(name), str):
                raise ValidationError(f"droplet_template.{name} must be a list, got the string {fields[name]!r}")
            if fields.get(name) is not None:
                fields[name] = tuple(str(item) for item in fields[name])
        try:
            value = DropletTemplate(**fields)
        except TypeError as error:
            raise ValidationError(f"droplet_template: {error}") from None
    if not isinstance(value, DropletTemplate):
        raise ValidationError(f"droplet_template must be a DropletTemplate or a dict, got {value!r}")
    if value.region not in REGIONS:
        raise ValidationError(f"droplet_template.region {value.region!r} is not one of the pools' regions: {REGIONS}")
    for name in ("image", "size"):
        if not isinstance(getattr(value, name), str) or not getattr(value, name).strip():
            raise ValidationError(f"droplet_template.{name} must be a slug (or, for image, an id as a string)")
    if value.public_networking is False and value.ipv6:
        raise ValidationError("droplet_template: public_networking=False needs ipv6=False")
    if value.user_data is not None and len(value.user_data.encode("utf-8")) > MAX_USER_DATA:
        raise ValidationError("droplet_template.user_data must be at most 64 KiB")
    return value


def _body(name: str, config: PoolConfig | Mapping[str, Any], template: DropletTemplate | Mapping[str, Any]) -> Any:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(f"name must be a non-empty string, got {name!r}")
    return {
        "name": name,
        "config": _converter.unstructure(_config(config)),
        "droplet_template": _converter.unstructure(_template(template)),
    }


class AutoscalePoolManager(Manager["AutoscalePool"]):
    """``AutoscalePool.objects``: querysets (``filter(name=...)`` is sent to the server) plus create."""

    def create(
        self,
        *,
        name: str,
        config: PoolConfig | Mapping[str, Any],
        droplet_template: DropletTemplate | Mapping[str, Any],
    ) -> AutoscalePool:
        """Create a pool; DigitalOcean then creates its droplets (one request).

        Args:
            name: The pool's name (it cannot change later).
            config: `StaticConfig`, `DynamicConfig` or the same as a dict.
            droplet_template: `DropletTemplate` or the same as a dict.

        Raises:
            droplets.ValidationError: A config or template the spec rules out (nothing was sent).

        Example:
            >>> AutoscalePool.objects.create(name="web", config={"target_number_instances": 3},   # doctest: +SKIP
            ...     droplet_template={"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64",
            ...                       "ssh_keys": ["3b:16:..."]})
        """
        return self._create_one(_body(name, config, droplet_template))


@attrs.define(repr=False)
class AutoscalePool(Bound):
    """A managed group of droplets.

    Attributes:
        id: The pool's id (a UUID).
        name: Its name.
        config: `StaticConfig` or `DynamicConfig`.
        droplet_template: What each droplet is made from.
        created_at: When it was created.
        updated_at: When it last changed.
        status: ``active``, ``deleting`` or ``error``.
        active_resources_count: How many droplets are active now.
        current_utilization: Average CPU and memory of the members, when known.
    """

    _endpoint = Endpoint("/v2/droplets/autoscale", "autoscale_pools", "autoscale_pool", {"name": "name"})
    _gettable = True
    _read_only_hints: ClassVar[Mapping[str, str]] = {
        "config": "use pool.update(config=...)",
        "droplet_template": "use pool.update(droplet_template=...)",
    }
    _habit_hints: ClassVar[Mapping[str, str]] = {"delete": "use pool.destroy()", "save": "use pool.update(...)"}

    id: str
    name: str
    config: PoolConfig
    droplet_template: DropletTemplate
    created_at: datetime
    updated_at: datetime
    status: str
    active_resources_count: int
    current_utilization: Utilization | None = attrs.field(default=None, metadata=OMIT_IF_NONE)

    objects = ManagerDescriptor(AutoscalePoolManager)

    @classmethod
    def _check_key(cls, key: Any) -> int | str:
        if not isinstance(key, str) or len(key) != 36:
            raise ValidationError(f"an autoscale pool id is a UUID string, got {key!r}")
        return key

    def refresh(self) -> Self:
        """Reload in place and return self."""
        return self._take(type(self).objects.using(self.client).get(self.id))

    def update(
        self,
        *,
        config: PoolConfig | Mapping[str, Any] | None = None,
        droplet_template: DropletTemplate | Mapping[str, Any] | None = None,
    ) -> Self:
        """Change the config and/or the template (the API's full replace; the rest is sent as it is).

        Args:
            config: The new config, or None to keep it.
            droplet_template: The new template, or None to keep it.

        Example:
            >>> pool.update(config={"target_number_instances": 5})   # doctest: +SKIP
        """
        body = _body(self.name, config or self.config, droplet_template or self.droplet_template)
        try:
            return self._save(body)
        except NotFound as error:
            raise self._missing(error) from error

    def members(self) -> list[PoolMember]:
        """The pool's droplets and their health (every page)."""
        items = _api.sub_list(self.client, self._endpoint, self.id, "members", "droplets")
        return [_converter.structure_wire(item, PoolMember) for item in items]

    def history(self) -> list[PoolHistoryEvent]:
        """The pool's scaling events, newest first (every page)."""
        return [
            _converter.structure_wire(e, PoolHistoryEvent)
            for e in _api.sub_list(self.client, self._endpoint, self.id, "history")
        ]

    def destroy(self, *, with_droplets: bool = False) -> None:
        """Delete the pool.

        Args:
            with_droplets: Also destroy every droplet of the pool, at once and for
                good (the API's *dangerous* delete, sent with ``X-Dangerous: true``).
                Without it, only the pool is deleted.

        Raises:
            AutoscalePool.DoesNotExist: It was deleted already.
        """
        if not with_droplets:
            self._delete()
            return
        try:
            _api.delete(self.client, self._endpoint, self.id, "dangerous", {"X-Dangerous": "true"})
        except NotFound as error:
            raise self._missing(error) from error

    def __repr__(self) -> str:
        size = (
            f"{self.config.target_number_instances} droplets"
            if isinstance(self.config, StaticConfig)
            else f"{self.config.min_instances}-{self.config.max_instances} droplets"
        )
        return f"<AutoscalePool {self.name!r} {self.status} {size}, {self.active_resources_count} active>"
