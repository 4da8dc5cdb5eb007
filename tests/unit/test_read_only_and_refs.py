"""Snapshots stay snapshots: read-only fields, Django habits that get hints, by-id references."""

from __future__ import annotations

import copy
import pickle

import attrs
import pytest

import droplets
from droplets import Action, Client, Droplet, NotFound, Size, ValidationError
from droplets.compat import DO
from droplets.sandbox import Sandbox


@pytest.fixture
def client() -> Client:
    return Client.sandbox()


@pytest.fixture
def sandbox(client: Client) -> Sandbox:
    return client.transport.sandbox  # type: ignore[attr-defined,no-any-return]


@pytest.fixture
def droplet_id(sandbox: Sandbox) -> int:
    (ident,) = sandbox.seed_droplets(count=1, tag="web")
    sandbox.reset_log()
    return int(ident)


# -- item 8: read-only fields -----------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "hint"),
    [
        ("size", "s-2vcpu-4gb", "use d.resize(size)"),
        ("size_slug", "s-2vcpu-4gb", "use d.resize(size)"),
        ("name", "web-2", "use d.rename(name)"),
        ("image", "ubuntu-24-04-x64", "use d.rebuild(image)"),
        ("kernel", None, "use d.change_kernel(kernel)"),
        ("status", "off", "d.power_off()"),
        ("backup_ids", [], "d.enable_backups()"),
        ("created_at", None, "refresh() reloads them"),
    ],
)
def test_assigning_a_field_raises_with_a_hint(
    client: Client, droplet_id: int, field: str, value: object, hint: str
) -> None:
    d = Droplet.objects.using(client).get(id=droplet_id)
    before = getattr(d, field)
    with pytest.raises(AttributeError, match="is read-only") as caught:
        setattr(d, field, value)
    assert hint in str(caught.value)
    with pytest.raises(AttributeError, match="is read-only"):
        delattr(d, field)
    assert getattr(d, field) == before


def test_the_size_stays_a_size(client: Client, droplet_id: int) -> None:
    d = Droplet.objects.using(client).get(id=droplet_id)
    with pytest.raises(AttributeError, match=r"Droplet\.size is read-only .*use d\.resize\(size\)"):
        d.size = "s-2vcpu-4gb"  # type: ignore[assignment]
    assert isinstance(d.size, Size) and d.size.slug == d.size_slug


def test_an_unknown_attribute_cannot_be_set(client: Client, droplet_id: int) -> None:
    d = Droplet.objects.using(client).get(id=droplet_id)
    with pytest.raises(AttributeError, match=r"cannot set Droplet\.sizes"):
        d.sizes = ["typo"]  # type: ignore[attr-defined]


def test_refresh_and_verbs_still_update_in_place(client: Client, sandbox: Sandbox, droplet_id: int) -> None:
    d = Droplet.objects.using(client).get(id=droplet_id)
    same = d
    d.power_off(wait=True)
    assert d is same and d.status == "off"
    d.rename("web-renamed", wait=True)
    assert d.name == "web-renamed"
    Droplet.objects.using(client).get(id=droplet_id).power_on(wait=True)
    assert d.status == "off"
    assert d.refresh() is same and d.status == "active"


def test_actions_are_read_only_and_wait_updates_them(client: Client, droplet_id: int) -> None:
    action = Droplet.objects.using(client).get(id=droplet_id).reboot()
    with pytest.raises(AttributeError, match=r"Action\.status is read-only"):
        action.status = "completed"
    assert action.wait() is action and action.status == "completed"


def test_constructed_copied_and_pickled_droplets_are_droplets(client: Client, droplet_id: int) -> None:
    d = Droplet.objects.using(client).get(id=droplet_id)
    for other in (
        attrs.evolve(d, name="evolved"),
        Droplet(**{f.name: getattr(d, f.name) for f in attrs.fields(Droplet)}),
        copy.copy(d),
        copy.deepcopy(d),
        pickle.loads(pickle.dumps(d)),
    ):
        assert type(other) is Droplet
        with pytest.raises(AttributeError, match="is read-only"):
            other.name = "x"
    assert copy.copy(d) == d and pickle.loads(pickle.dumps(d)) == d


# -- item 11: Django habits ---------------------------------------------------------------


def test_delete_and_save_name_the_droplets_way(client: Client, droplet_id: int) -> None:
    d = Droplet.objects.using(client).get(id=droplet_id)
    with pytest.raises(AttributeError, match=r"Droplet has no delete\(\): use d\.destroy\(\)"):
        d.delete()  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match=r"Droplet has no save\(\): .*verbs \(d\.rename\(\), d\.resize\(\)"):
        d.save()  # type: ignore[attr-defined]
    assert not hasattr(d, "save") and not hasattr(d, "delete")
    with pytest.raises(AttributeError, match="has no attribute 'delet'"):
        d.delet  # type: ignore[attr-defined]  # noqa: B018


# -- item 9: one request for a by-id action ---------------------------------------------------


def test_a_reference_acts_with_exactly_one_request(client: Client, sandbox: Sandbox, droplet_id: int) -> None:
    ref = Droplet.objects.using(client).ref(droplet_id)
    assert sandbox.requests == []
    action = ref.reboot()
    assert sandbox.requests == [("POST", f"/v2/droplets/{droplet_id}/actions")]
    assert isinstance(action, Action) and action.type == "reboot"


def test_a_reference_is_not_loaded_until_refreshed(client: Client, sandbox: Sandbox, droplet_id: int) -> None:
    ref = Droplet.objects.using(client).ref(str(droplet_id))  # type: ignore[arg-type]  # as typed in a shell
    assert ref.id == droplet_id and repr(ref) == f"<Droplet {droplet_id} (not loaded)>"
    with pytest.raises(AttributeError, match=r"not loaded; call d\.refresh\(\)"):
        ref.status  # noqa: B018
    with pytest.raises(AttributeError, match="not loaded"):
        ref.public_ipv4  # noqa: B018
    assert ref.refresh() is ref and ref.status == "active"
    assert ref == Droplet.objects.using(client).get(id=droplet_id)


def test_a_reference_with_wait_is_loaded_when_the_action_completes(
    client: Client, sandbox: Sandbox, droplet_id: int
) -> None:
    ref = Droplet.objects.using(client).ref(droplet_id)
    ref.power_off(wait=True)
    assert ref.status == "off"
    assert sandbox.requests[0] == ("POST", f"/v2/droplets/{droplet_id}/actions")
    assert sandbox.requests[-1] == ("GET", f"/v2/droplets/{droplet_id}")


def test_verbs_of_a_reference_leave_the_checks_to_the_api(client: Client, sandbox: Sandbox, droplet_id: int) -> None:
    ref = Droplet.objects.using(client).ref(droplet_id)
    with pytest.raises(droplets.Unprocessable, match="backup"):
        ref.restore(123456)
    assert sandbox.requests == [("POST", f"/v2/droplets/{droplet_id}/actions")]


def test_a_reference_to_a_missing_droplet_fails_on_its_first_request(client: Client, sandbox: Sandbox) -> None:
    ref = Droplet.objects.using(client).ref(99999999)
    with pytest.raises(NotFound):
        ref.reboot()
    assert len(sandbox.requests) == 1


@pytest.mark.parametrize("bad", [0, -1, "web-1", None, True, 1.5])
def test_a_reference_needs_a_positive_integer_id(client: Client, sandbox: Sandbox, bad: object) -> None:
    with pytest.raises(ValidationError, match="droplet id must be a positive integer"):
        Droplet.objects.using(client).ref(bad)  # type: ignore[arg-type]
    assert sandbox.requests == []


def test_droplet_ref_uses_the_default_client(client: Client, sandbox: Sandbox, droplet_id: int) -> None:
    with droplets.using(client):
        Droplet.ref(droplet_id).destroy()
    assert sandbox.requests == [("DELETE", f"/v2/droplets/{droplet_id}")]


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("reboot", ()),
        ("shutdown", ()),
        ("power_on", ()),
        ("power_off", ()),
        ("power_cycle", ()),
        ("password_reset", ()),
        ("backup_enable", ()),
        ("backup_disable", ()),
        ("ipv6_enable", ()),
        ("private_networking_enable", ()),
        ("rename", ("web-9",)),
        ("rebuild", ("ubuntu-24-04-x64",)),
        ("resize", ("s-2vcpu-4gb",)),
        ("kernel_update", (7515,)),
    ],
)
def test_compat_actions_by_id_send_exactly_the_post(
    client: Client, sandbox: Sandbox, call: str, args: tuple[object, ...]
) -> None:
    (droplet_id,) = sandbox.seed_droplets(count=1, status="off")  # off: resize needs it, the others accept it
    sandbox.reset_log()
    do = DO(client=client)
    getattr(do.droplet, call)(droplet_id, *args)
    assert sandbox.requests == [("POST", f"/v2/droplets/{droplet_id}/actions")]


def test_compat_destroy_and_lists_by_id_send_one_request(client: Client, sandbox: Sandbox, droplet_id: int) -> None:
    do = DO(client=client)
    do.droplet.action_list(droplet_id)
    do.droplet.backup_list(droplet_id)
    do.droplet.destroy(droplet_id)
    paths = [path.split("?")[0] for _, path in sandbox.requests]
    base = f"/v2/droplets/{droplet_id}"
    assert paths == [f"{base}/actions", f"{base}/backups", base]
    assert sandbox.requests[-1][0] == "DELETE"


def _bound_models() -> list[type]:
    import droplets.models  # noqa: F401  # every model module, so every Bound subclass exists
    from droplets.models.base import Bound

    found, todo = [], list(Bound.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if "_guarded" not in cls.__dict__:  # not a construction twin
            found.append(cls)
    return found


@pytest.mark.parametrize("model", _bound_models(), ids=lambda cls: cls.__name__)
def test_every_resource_model_is_read_only_and_built_as_itself(model: type) -> None:
    # Bound's attrs hooks build an instance on an unguarded twin and hand it back as the model;
    # a model of its own __attrs_post_init__ would leave its instances as the twin.
    assert "__attrs_pre_init__" not in model.__dict__ and "__attrs_post_init__" not in model.__dict__
    assert model._twin._guarded is model and model._twin.__mro__[1] is model
