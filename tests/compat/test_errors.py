"""Seed: "A DOBOTOException is thrown if an issue is encountered." — every failure, wrapped."""

from __future__ import annotations

import pytest

import droplets
from droplets.compat import DO, DOBOTOException
from droplets.sandbox import Sandbox
from tests.compat._support import ATTRIBS


def test_info_of_a_missing_id_raises_with_status_and_request_id(do: DO) -> None:
    """Seed: info "Retrieve an existing Droplet by id" — a missing one is a DOBOTOException."""
    with pytest.raises(DOBOTOException) as caught:
        do.droplet.info(999999)
    error = caught.value
    cause = error.__cause__
    assert isinstance(cause, droplets.NotFound)
    assert cause.request_id
    message = str(error)
    assert "404" in message
    assert "not_found" in message
    assert cause.request_id in message
    assert (error.status, error.error_id, error.request_id) == (404, "not_found", cause.request_id)
    assert isinstance(error, droplets.DropletsError)


@pytest.mark.parametrize("call", ["destroy", "backup_enable", "power_off", "shutdown", "ipv6_enable"])
def test_both_id_and_tag_name_raise(do: DO, sandbox: Sandbox, call: str) -> None:
    """Seed: "id - Send only to reference a single Droplet by id"; "tag_name - Send only to reference all ..."."""
    (droplet_id,) = sandbox.seed_droplets(count=1, tag="web")
    sandbox.reset_log()
    with pytest.raises(DOBOTOException, match="exactly one of id or tag_name") as caught:
        getattr(do.droplet, call)(id=droplet_id, tag_name="web")
    assert isinstance(caught.value.__cause__, droplets.ValidationError)
    assert sandbox.requests == []


@pytest.mark.parametrize("call", ["destroy", "power_on", "private_networking_enable"])
def test_neither_id_nor_tag_name_raises(do: DO, sandbox: Sandbox, call: str) -> None:
    """Seed: by-id-or-tag calls act on "a single Droplet by id" or "all Droplets with this tag"; never on none."""
    sandbox.seed_droplets(count=1)
    with pytest.raises(DOBOTOException, match="exactly one of id or tag_name"):
        getattr(do.droplet, call)()
    assert len(sandbox.droplets()) == 1


def test_errored_action_with_wait_raises(do: DO, sandbox: Sandbox) -> None:
    """Seed: power_off with "wait - Whether to wait until the droplet is ready" — an errored action fails."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    sandbox.progression.fail_next("power_off")
    with pytest.raises(DOBOTOException, match="errored") as caught:
        do.droplet.power_off(droplet_id, wait=True)
    cause = caught.value.__cause__
    assert isinstance(cause, droplets.ActionFailed)
    assert cause.action.status == "errored"
    assert do.droplet.info(droplet_id)["status"] == "active"


def test_errored_tag_action_with_wait_raises(do: DO, sandbox: Sandbox) -> None:
    """Seed: shutdown by tag_name with wait — one errored action of the tag fails the call."""
    sandbox.seed_droplets(count=2, tag="web")
    sandbox.progression.fail_next("shutdown")
    with pytest.raises(DOBOTOException) as caught:
        do.droplet.shutdown(tag_name="web", wait=True)
    assert isinstance(caught.value.__cause__, droplets.ActionFailed)


def test_timeout_raises(do: DO, sandbox: Sandbox) -> None:
    """Seed: "timeout - number - How many seconds before giving up"."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    sandbox.progression.set("reboot", after_seconds=3600)
    with pytest.raises(DOBOTOException, match="still 'in-progress'") as caught:
        do.droplet.reboot(droplet_id, wait=True, poll=5, timeout=30)
    assert isinstance(caught.value.__cause__, droplets.WaitTimeout)


def test_poll_below_one_second_raises(do: DO, sandbox: Sandbox) -> None:
    """Seed: "poll - number - Number of seconds between checks (min 1 sec)"."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    with pytest.raises(DOBOTOException) as caught:
        do.droplet.power_off(droplet_id, wait=True, poll=0.5)
    assert isinstance(caught.value.__cause__, droplets.ValidationError)
    assert do.droplet.action_list(droplet_id)[-1]["type"] == "create"


def test_api_refusal_carries_the_apis_message(do: DO, sandbox: Sandbox) -> None:
    """Seed: resize "The Droplet must be powered off prior to resizing." — the API's 422 is a DOBOTOException."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    with pytest.raises(DOBOTOException, match="422") as caught:
        do.droplet.resize(droplet_id, "s-2vcpu-4gb")
    assert isinstance(caught.value.__cause__, droplets.Unprocessable)
    assert "powered off" in str(caught.value)
    assert caught.value.status == 422


def test_server_errors_after_retries_raise(do: DO, sandbox: Sandbox) -> None:
    """Seed: list "A list of Droplet data structures" — unless the API keeps failing."""
    sandbox.faults.inject("GET", "/v2/droplets", status=503, times=None)
    with pytest.raises(DOBOTOException, match="503") as caught:
        do.droplet.list()
    assert isinstance(caught.value.__cause__, droplets.ServerError)


@pytest.mark.parametrize(
    ("attribs", "match"),
    [
        ({**ATTRIBS}, "exactly one of 'name'"),
        ({"name": "a", "names": ["b"], **ATTRIBS}, "exactly one of 'name'"),
        ({"names": "web-1", **ATTRIBS}, "must be a list"),
        ({"name": 7, **ATTRIBS}, "must be a string"),
        ({"name": "web-1", "volume": [], "volumes": [], **ATTRIBS}, "not both"),
        ({"name": "web-1", "colour": "blue", **ATTRIBS}, "unknown attribs"),
        ({"name": "web-1", "region": "nyc3"}, "size is required"),
        ({"name": "not a hostname!", **ATTRIBS}, "hostname"),
    ],
)
def test_bad_create_attribs_raise_before_any_request(
    do: DO, sandbox: Sandbox, attribs: dict[str, object], match: str
) -> None:
    """Seed: create attribs "name ... - if single droplet", "names ... - if multiple droplets", region "- required"."""
    for call in (do.droplet.create, do.droplet.present):
        with pytest.raises(DOBOTOException, match=match) as caught:
            call(attribs)
        assert isinstance(caught.value.__cause__, droplets.ValidationError)
    assert sandbox.droplets() == []
    assert not any(method == "POST" for method, _ in sandbox.requests)


def test_create_attribs_must_be_a_dict(do: DO) -> None:
    """Seed: "attribs - dict - The data of the Droplet"."""
    with pytest.raises(DOBOTOException, match="must be a dict"):
        do.droplet.create(["web-1"])  # type: ignore[arg-type]


def test_restore_from_a_foreign_image_raises(do: DO, sandbox: Sandbox) -> None:
    """Seed: "The image ID that is passed in must be a backup of the current Droplet instance."."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    with pytest.raises(DOBOTOException, match="must be the id of a backup") as caught:
        do.droplet.restore(droplet_id, 173489130)  # by id: only the POST is sent, the API refuses it (422)
    assert isinstance(caught.value.__cause__, droplets.Unprocessable)
    with pytest.raises(DOBOTOException):
        do.droplet.restore(droplet_id, "ubuntu-24-04-x64")


def test_action_info_of_a_missing_action_raises(do: DO, sandbox: Sandbox) -> None:
    """Seed: ``do.droplet.action_info(id, action_id)`` "Retrieve a Droplet Action" — a missing one raises."""
    (droplet_id,) = sandbox.seed_droplets(count=1)
    with pytest.raises(DOBOTOException, match="404") as caught:
        do.droplet.action_info(droplet_id, 1)
    assert isinstance(caught.value.__cause__, droplets.NotFound)
