"""Create options: typed keyword parameters, models where ids go, the spec's rules checked first."""

from __future__ import annotations

import inspect
import json
from typing import Any, get_args

import attrs
import pytest
import yaml

from droplets import BackupPolicy, Client, Droplet, Image, Region, Request, Response, Size, SSHKey, ValidationError
from droplets.models.backup import HOURS, PLANS, WEEKDAYS, BackupPlan, Weekday
from droplets.transport.sandbox import SandboxTransport
from tests.conftest import SPEC_FILE

OPTIONS = [
    "region", "size", "image", "ssh_keys", "backups", "backup_policy", "ipv6", "monitoring", "user_data",
    "volumes", "tags", "vpc_uuid", "public_networking", "with_droplet_agent", "wait", "poll", "timeout",
]  # fmt: skip
BASE: dict[str, Any] = {"region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}


class Recording:
    """The sandbox transport, keeping every request (bodies included)."""

    def __init__(self) -> None:
        self.inner = SandboxTransport.create()
        self.sandbox = self.inner.sandbox
        self.requests: list[Request] = []

    def send(self, request: Request) -> Response:
        self.requests.append(request)
        return self.inner.send(request)

    def close(self) -> None:
        self.inner.close()

    def bodies(self, method: str = "POST") -> list[dict[str, Any]]:
        return [json.loads(r.body) for r in self.requests if r.method == method and r.body]


@pytest.fixture
def transport() -> Recording:
    return Recording()


@pytest.fixture
def client(transport: Recording) -> Client:
    return Client(token="t", base_url="https://api.digitalocean.com", transport=transport, clock=transport.inner.clock)


@pytest.mark.parametrize("method", ["create", "create_many", "present", "present_many"])
def test_every_option_is_a_typed_keyword_only_parameter(method: str) -> None:
    parameters = inspect.signature(getattr(Droplet.objects, method)).parameters
    for option in OPTIONS:
        assert option in parameters, f"{method}() has no {option} parameter"
        assert parameters[option].kind is inspect.Parameter.KEYWORD_ONLY
        assert parameters[option].annotation is not inspect.Parameter.empty
    assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()), "no **options"


def test_the_four_methods_share_one_option_list() -> None:
    def options(method: str) -> list[tuple[str, Any, Any]]:
        parameters = list(inspect.signature(getattr(Droplet.objects, method)).parameters.values())[1:]
        return [(p.name, p.annotation, p.default) for p in parameters]

    assert options("create") == options("create_many") == options("present") == options("present_many")


def test_an_unknown_option_is_a_type_error_before_any_request(client: Client, transport: Recording) -> None:
    with pytest.raises(TypeError, match="tag"):
        client.droplets.create("web-1", tag="web", **BASE)  # type: ignore[call-arg]
    assert transport.requests == []


@pytest.mark.parametrize("missing", ["region", "size", "image"])
def test_region_size_and_image_are_required(client: Client, transport: Recording, missing: str) -> None:
    options = {k: v for k, v in BASE.items() if k != missing}
    with pytest.raises(ValidationError, match=f"{missing} is required"):
        client.droplets.create("web-1", **options)
    with pytest.raises(ValidationError, match=f"{missing} is required"):
        client.droplets.create("web-1", **{**BASE, missing: None})
    assert transport.requests == []


def test_public_networking_false_needs_ipv6_false(client: Client, transport: Recording) -> None:
    with pytest.raises(ValidationError, match="public_networking=False needs ipv6=False"):
        client.droplets.create("private-1", public_networking=False, ipv6=True, **BASE)
    with pytest.raises(ValidationError, match="public_networking=False needs ipv6=False"):
        client.droplets.present_many(["private-1", "private-2"], public_networking=False, ipv6=True, **BASE)
    assert transport.requests == []


def test_public_networking_false_is_sent_and_the_droplet_has_no_public_address(
    client: Client, transport: Recording
) -> None:
    d = client.droplets.create("private-1", public_networking=False, wait=True, **BASE)
    assert transport.bodies()[0]["public_networking"] is False
    assert d.public_ipv4 is None and d.private_ipv4 is not None


def test_default_public_networking_is_not_sent(client: Client, transport: Recording) -> None:
    client.droplets.create("web-1", with_droplet_agent=True, **BASE)
    (body,) = transport.bodies()
    assert "public_networking" not in body and body["with_droplet_agent"] is True


def test_models_are_accepted_where_ids_and_slugs_go(client: Client, transport: Recording) -> None:
    region = Region.objects.using(client).filter(slug="nyc3").first()
    size = Size.objects.using(client).filter(slug="s-1vcpu-1gb").first()
    image = Image.objects.using(client).get("ubuntu-24-04-x64")
    key = SSHKey.objects.using(client).first()
    assert region is not None and size is not None and key is not None

    @attrs.frozen
    class Volume:  # stands for the volume model: anything with a string id
        id: str

    @attrs.frozen
    class VPC:
        id: str

    first = client.volumes.create(name="data", size_gigabytes=10, region="nyc3")  # the sandbox checks they exist
    second = client.volumes.create(name="logs", size_gigabytes=10, region="nyc3")
    transport.requests.clear()
    client.droplets.create(
        "web-1",
        region=region,
        size=size,
        image=image,
        ssh_keys=[key, 12345, "3b:16:bf"],
        volumes=[Volume(first.id), second.id],
        vpc_uuid=VPC("760e09ef-dc84-11e8-981e-3cfdfeaae000"),
        tags=["web"],
    )
    (body,) = transport.bodies()
    assert body["region"] == "nyc3" and body["size"] == "s-1vcpu-1gb" and body["image"] == image.id
    assert body["ssh_keys"] == [key.id, 12345, "3b:16:bf"]
    assert body["volumes"] == [first.id, second.id]
    assert body["vpc_uuid"] == "760e09ef-dc84-11e8-981e-3cfdfeaae000"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("tags", "web", "tags must be a list"),
        ("ssh_keys", "3b:16:bf", "ssh_keys must be a list"),
        ("volumes", [123], "volumes takes ids"),
        ("vpc_uuid", 5, "vpc_uuid takes ids"),
        ("ipv6", "yes", "ipv6 must be True or False"),
        ("public_networking", None, "public_networking must be True or False"),
        ("with_droplet_agent", 1, "with_droplet_agent must be True or False"),
        ("image", Image, "image must be"),
    ],
)
def test_bad_option_values_are_refused_before_sending(
    client: Client, transport: Recording, option: str, value: Any, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        client.droplets.create("web-1", **{**BASE, option: value})
    assert transport.requests == []


@pytest.mark.parametrize(
    "policy",
    [BackupPolicy(plan="weekly", weekday="SAT", hour=20), {"plan": "weekly", "weekday": "SAT", "hour": 20}],
)
def test_backup_policy_as_a_model_or_a_dict(client: Client, transport: Recording, policy: Any) -> None:
    d = client.droplets.create("web-1", backups=True, backup_policy=policy, wait=True, **BASE)
    assert transport.bodies()[0]["backup_policy"] == {"plan": "weekly", "weekday": "SAT", "hour": 20}
    assert d.backup_policy() == BackupPolicy(
        plan="weekly", weekday="SAT", hour=20, window_length_hours=4, retention_period_days=28
    )


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        ({"plan": "hourly"}, "backup plan must be one of \\['daily', 'weekly'\\]"),
        ({"plan": "weekly", "weekday": "sunday"}, "backup weekday must be one of"),
        ({"plan": "daily", "hour": 3}, "backup hour must be one of \\[0, 4, 8, 12, 16, 20\\]"),
        ({"plan": "daily", "hour": True}, "backup hour"),
        ({"plan": "daily", "weekday": "SUN"}, "needs plan='weekly'"),
        ({"plan": "weekly", "day": "SUN"}, "the weekday key is 'weekday'"),
        ("weekly", "backup_policy must be a BackupPolicy or a dict"),
        (BackupPolicy(plan="weekly", hour=2), "backup hour"),
    ],
)
def test_bad_backup_policies_are_refused_before_sending(
    client: Client, transport: Recording, policy: Any, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        client.droplets.create("web-1", backups=True, backup_policy=policy, **BASE)
    assert transport.requests == []


def test_backup_policy_needs_backups(client: Client, transport: Recording) -> None:
    with pytest.raises(ValidationError, match="backup_policy is used only with backups=True"):
        client.droplets.create("web-1", backup_policy={"plan": "daily"}, **BASE)
    assert transport.requests == []


def test_present_checks_the_options_even_when_the_droplet_exists(client: Client, transport: Recording) -> None:
    client.droplets.create("web-1", **BASE)
    transport.requests.clear()
    with pytest.raises(ValidationError, match="public_networking=False needs ipv6=False"):
        client.droplets.present("web-1", public_networking=False, ipv6=True, **BASE)
    assert transport.requests == []
    droplet, created = client.droplets.present("web-1", **BASE)
    assert droplet.name == "web-1" and created is False


def test_backup_policy_values_are_the_specs() -> None:
    schemas = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))["components"]["schemas"]
    policy = schemas["droplet_backup_policy"]["properties"]
    assert list(PLANS) == policy["plan"]["enum"]
    assert list(WEEKDAYS) == policy["weekday"]["enum"]
    assert list(HOURS) == policy["hour"]["enum"]
    assert set(get_args(BackupPlan)) == set(PLANS) and set(get_args(Weekday)) == set(WEEKDAYS)


def test_create_options_are_the_specs_create_properties() -> None:
    schemas = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))["components"]["schemas"]
    properties = set(schemas["droplet_create"]["properties"])
    parameters = set(inspect.signature(Droplet.objects.create).parameters)
    assert properties <= parameters, f"create() lacks {sorted(properties - parameters)}"
